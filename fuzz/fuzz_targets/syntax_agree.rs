//! Fuzz target: the fast reader and pest read every item of any UTF-8 text
//! the same way, or both decline it (tests/syntax_agree.rs does the same
//! over the repository's files and their mutations).

#![no_main]

use lambdaform::source::FileId;
use lambdaform::syntax::both_readings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    for (fast, pest) in both_readings(FileId(0), text) {
        assert_eq!(fast, pest, "the fast reader and pest disagree");
    }
});
