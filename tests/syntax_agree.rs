//! The fast reader (`src/syntax/descent.rs`) and pest read every item the
//! same way: the same tree with the same spans where both read it, and
//! `None` from both where pest finds a syntax error or a literal to report.
//! The grammar file stays the definition of the language; this test is what
//! holds the fast reader to it.
//!
//! Inputs: every `.lf` file of the repository (stdlib, examples, test
//! fixtures), every code block of docs/language.md, a generated app, and
//! thousands of mutations of them that break strings, numbers, brackets,
//! keywords and comments at random places.

mod common;

use common::rng::Rng;
use lambdaform::source::FileId;
use lambdaform::syntax::both_readings;
use std::path::Path;

/// Every `.lf` file under `dir`, recursively, sorted.
fn lf_files(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("readable folder").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            lf_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "lf") {
            // The fixture for invalid UTF-8 never reaches the parser.
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
}

/// The corpus: repository files, docs/language.md's code blocks, a generated app.
fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["stdlib", "examples", "tests"] {
        lf_files(&common::root().join(dir), &mut files);
    }
    let blocks = common::code_blocks(&common::language_md()).into_iter().enumerate();
    files.extend(blocks.map(|(i, block)| (format!("docs/language.md block {}", i + 1), block)));
    files.push(("generated app of 100 functions".into(), common::gen::app(100)));
    files
}

/// Asserts the two readers agree on every item of `text`; returns how many
/// items pest read.
fn assert_agree(name: &str, text: &str) -> usize {
    let mut read = 0;
    for (index, (fast, pest)) in both_readings(FileId(0), text).into_iter().enumerate() {
        assert_eq!(fast, pest, "{name}: item {} is read differently (left: fast, right: pest)", index + 1);
        read += usize::from(pest.is_some());
    }
    read
}

#[test]
fn every_file_of_the_repository_reads_the_same_both_ways() {
    let files = corpus();
    assert!(files.len() > 100, "the corpus is the repository's .lf files");
    let read: usize = files.iter().map(|(name, text)| assert_agree(name, text)).sum();
    assert!(read > 500, "only {read} items were read");
}

/// Fragments that make a reader take a different path when spliced in.
const TOKENS: [&str; 24] = [
    "\"",
    "\\",
    "\\q",
    "{",
    "}",
    "[",
    "]",
    ",",
    "=",
    ".",
    "#",
    "//",
    "\n",
    " ",
    "5m",
    "5MB",
    "2GB",
    "5ms",
    "99999999999999999999",
    "-",
    "true",
    "existing",
    "on",
    "allow invoke from service",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(3) {
            0 => {
                let token = rng.pick(&TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            1 => {
                let end = (at + 1 + rng.below(8)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            _ => {
                let end = (at + rng.below(16)).min(bytes.len());
                let copy: Vec<u8> = bytes[at.min(end)..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    // Deletions may split a character; the parser only sees valid UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_files_read_the_same_both_ways() {
    let files = corpus();
    let mut rng = Rng::new(0x5eed_a9ee);
    let mut read = 0;
    for case in 0..6_000 {
        let (name, text) = rng.pick(&files);
        let mutated = mutate(&mut rng, text);
        read += assert_agree(&format!("mutation {case} of {name}"), &mutated);
    }
    assert!(read > 1_000, "mutations should leave most items readable, but only {read} were read");
}
