//! Storage of naming: proposals and name changes of thoroughfares, localities and divisions.
