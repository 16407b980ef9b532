//! CONTRIBUTING.md names files, folders and test targets; this test keeps
//! those names true, so the guide cannot send a contributor to a path that
//! moved.

mod common;

use common::root;

/// The top-level folders whose paths the guide may name.
const ROOTS: [&str; 8] = ["src/", "tests/", "stdlib/", "docs/", "examples/", "editors/", "fuzz/", ".ci/"];

/// Every `code span` of the text.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// A span that names a path of the repository, without placeholders.
fn is_concrete_path(span: &str) -> bool {
    ROOTS.iter().any(|r| span.starts_with(r))
        && !span.contains(char::is_whitespace)
        && !span.chars().any(|c| c.is_ascii_uppercase() || c == '*' || c == '<')
}

#[test]
fn every_path_in_contributing_exists() {
    let text = std::fs::read_to_string(root().join("CONTRIBUTING.md")).expect("CONTRIBUTING.md");
    let paths: Vec<&str> = code_spans(&text).into_iter().filter(|s| is_concrete_path(s)).collect();
    assert!(paths.len() > 15, "the guide names the files to change: {paths:?}");
    let missing: Vec<&&str> = paths.iter().filter(|p| !root().join(p).exists()).collect();
    assert!(missing.is_empty(), "CONTRIBUTING.md names paths that do not exist: {missing:?}");
}

#[test]
fn every_test_target_in_contributing_exists() {
    let text = std::fs::read_to_string(root().join("CONTRIBUTING.md")).expect("CONTRIBUTING.md");
    let targets: Vec<&str> = text
        .split("--test ")
        .skip(1)
        .filter_map(|rest| rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next())
        .filter(|name| *name != "NAME")
        .collect();
    assert!(targets.len() >= 3, "the guide names its test commands: {targets:?}");
    for target in targets {
        assert!(root().join("tests").join(format!("{target}.rs")).exists(), "`--test {target}` is not a test target");
    }
}

#[test]
fn placeholders_and_globs_are_not_paths() {
    assert!(is_concrete_path("src/stdlib/mod.rs"));
    assert!(!is_concrete_path("stdlib/NAME.lf"));
    assert!(!is_concrete_path("tests/grants/*.lf"));
    assert!(!is_concrete_path("cargo test"));
    assert_eq!(code_spans("a `x` b `y`"), ["x", "y"]);
}
