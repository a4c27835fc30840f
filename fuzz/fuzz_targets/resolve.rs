//! Any text against the resolver over the bundled Enshi register: it must never panic,
//! and every answer must keep the shape SPEC §5 promises (an address exactly when matched
//! or partial, candidates when ambiguous, a confidence between 0 and 1).
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use menpai::domain::resolve::{Resolver, Status};
use menpai::domain::{import, interchange, Register};

fn resolver() -> &'static Resolver {
    static RESOLVER: OnceLock<Resolver> = OnceLock::new();
    RESOLVER.get_or_init(|| {
        let features = interchange::parse(menpai::app::BUNDLED_ENSHI).expect("the bundled register parses");
        Resolver::build(Arc::new(import::plan(&Register::default(), features).additions))
    })
}

fuzz_target!(|text: &str| {
    let r = resolver().resolve(text);
    match r.status {
        Status::Matched | Status::Partial => assert!(r.address.is_some(), "{text:?}: {r:?}"),
        Status::Ambiguous => assert!(r.address.is_none() && r.candidates.len() >= 2, "{text:?}: {r:?}"),
        Status::NotFound => assert!(r.address.is_none(), "{text:?}: {r:?}"),
    }
    assert!((0.0..=1.0).contains(&r.confidence), "{text:?}: {r:?}");
    // A place outside the register is never also an answer inside it.
    if let Some(o) = &r.outside {
        assert!(r.status == Status::NotFound && !o.chain.is_empty(), "{text:?}: {r:?}");
    }
    serde_json::to_string(&r).expect("every answer serialises");
});
