//! Any bytes as an import file, planned against the bundled Enshi register: reading and
//! planning must never panic; a file is either refused with problems or planned, and a
//! plan's report names only features of the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use menpai::domain::{import, interchange, Register};

fn enshi() -> &'static Register {
    static ENSHI: OnceLock<Register> = OnceLock::new();
    ENSHI.get_or_init(|| {
        let features = interchange::parse(menpai::app::BUNDLED_ENSHI).expect("the bundled register parses");
        import::plan(&Register::default(), features).additions
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(features) = interchange::parse(text) else { return };
    let count = features.len();
    for existing in [&Register::default(), enshi()] {
        let plan = import::plan(existing, features.clone());
        assert!(plan.features.iter().all(|f| f.index < count), "a report line for a feature not in the file");
        let _ = plan.created_ids();
    }
});
