//! Fuzz target: `check` takes any bytes as one app file and never panics;
//! every diagnostic's spans lie inside their file, on char boundaries.

#![no_main]

use lambdaform::check::{check, Input};
use lambdaform::date::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let checked = check(vec![Input { name: "fuzz.lf".into(), bytes: bytes.to_vec() }], Date::parse("2026-08-16").expect("a date"));
    for d in &checked.diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            let text = &checked.sources.get(label.span.file).text;
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            assert!(start <= end && end <= text.len(), "{}: span {start}..{end} outside {} bytes", d.code, text.len());
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{}: span {start}..{end} not on char boundaries",
                d.code
            );
        }
    }
    // Rendering walks the same spans through codespan: it must not panic either.
    let _ = lambdaform::cli::render_to_string(&checked, false);
});
