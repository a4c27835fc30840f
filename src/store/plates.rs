//! Storage of plates: issuance, reservations, retirement, buildings, units and rooms.
