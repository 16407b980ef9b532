//! The example apps check clean, and one of them is the reference's.
//!
//! Every folder under `examples/` is one app and must check with no error
//! and no warning. `examples/orders/main.lf` holds the "A whole app" program
//! of `docs/language.md` verbatim, so the reference and the example cannot
//! drift apart (tests/language_doc.rs checks every block of the reference).

mod common;

use common::{code_blocks, language_md, root};
use lambdaform::check::{check_with, Checked};
use lambdaform::cli::{read_app, render_to_string};
use lambdaform::diagnostic::Severity;
use std::path::PathBuf;

/// The folders of `examples/` that hold an app.
fn example_dirs() -> Vec<PathBuf> {
    common::examples().into_iter().map(|(_, dir)| dir).collect()
}

fn count(checked: &Checked, severity: Severity) -> usize {
    checked.diagnostics.iter().filter(|d| d.severity == severity).count()
}

#[test]
fn every_example_checks_clean() {
    let dirs = example_dirs();
    assert!(!dirs.is_empty(), "no examples found");
    let mut failures = Vec::new();
    for dir in dirs {
        let inputs = read_app(&dir).unwrap_or_else(|e| panic!("{e}"));
        let checked = check_with(inputs, common::today(), &common::files(&dir));
        let (errors, warnings) = (count(&checked, Severity::Error), count(&checked, Severity::Warning));
        if errors + warnings > 0 {
            failures.push(format!(
                "{}: {errors} error(s), {warnings} warning(s)\n{}",
                dir.display(),
                render_to_string(&checked, false)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A block that is a whole program rather than a fragment or a diagram.
fn is_program(block: &str) -> bool {
    block.lines().any(|line| {
        let mut words = line.split_whitespace();
        matches!(words.next(), Some("app" | "function"))
            && words.next().is_some_and(|name| name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            && words.next().is_some_and(|brace| brace.starts_with('{'))
    })
}

fn programs(markdown: &str) -> Vec<String> {
    code_blocks(markdown).into_iter().filter(|b| is_program(b)).collect()
}

#[test]
fn orders_example_is_the_language_md_program_verbatim() {
    let markdown = language_md();
    let programs = programs(&markdown);
    let whole_app = programs
        .iter()
        .find(|p| p.lines().any(|l| l.starts_with("app ")))
        .expect("docs/language.md has a program with an `app` block");
    let path = root().join("examples").join("orders").join("main.lf");
    let example = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(
        example.contains(whole_app.as_str()),
        "{} does not contain the \"A whole app\" program of docs/language.md verbatim",
        path.display()
    );
}

#[test]
fn code_blocks_are_found_and_classified() {
    let markdown = "text\n```\napp a {\n}\n```\n\n```text\nsource --> ast\n```\n```lf\nfunction f {}\n```\n";
    let blocks = code_blocks(markdown);
    assert_eq!(blocks, ["app a {\n}\n", "source --> ast\n", "function f {}\n"]);
    assert_eq!(programs(markdown), ["app a {\n}\n", "function f {}\n"]);
}
