//! Naming for civil affairs (民政): checks, proposals, approval, renaming, retirement.
