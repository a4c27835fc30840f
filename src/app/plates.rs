//! Door plates for police (公安): suggestion, issuance, validation, retirement, and the
//! buildings, units and rooms behind a plate.
