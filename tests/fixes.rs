//! Every fix a diagnostic offers (an editor's quick fix) is applied to the
//! fixture that raised it and the result checked again: it still parses,
//! and the diagnostic it fixes is gone.

mod common;

use lambdaform::check::{check, Checked, Input};
use lambdaform::diagnostic::{Code, Diagnostic};
use std::collections::BTreeSet;
use std::path::Path;

fn checked(text: &str) -> Checked {
    check(vec![Input { name: "main.lf".into(), bytes: text.as_bytes().to_vec() }], common::today())
}

fn count(checked: &Checked, code: Code) -> usize {
    checked.diagnostics.iter().filter(|d| d.code == code).count()
}

fn apply(text: &str, diagnostic: &Diagnostic, fix: usize) -> String {
    let (range, replacement) = diagnostic.fixes[fix].edit.in_text(text);
    let mut out = text.to_string();
    out.replace_range(range, &replacement);
    out
}

#[test]
fn every_fix_removes_its_diagnostic() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/ui")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lf"))
        .collect();
    paths.sort();
    let mut fixed = BTreeSet::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let before = checked(&text);
        for diagnostic in &before.diagnostics {
            for (i, fix) in diagnostic.fixes.iter().enumerate() {
                let after_text = apply(&text, diagnostic, i);
                let after = checked(&after_text);
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                // A syntax error's fix mends the syntax; any other leaves it as it was.
                let (syntax_before, syntax_after) = (count(&before, Code::Syntax), count(&after, Code::Syntax));
                let parses = if diagnostic.code == Code::Syntax {
                    syntax_after < syntax_before
                } else {
                    syntax_after == syntax_before
                };
                assert!(parses, "{name}: `{}` parses:\n{after_text}", fix.title);
                assert!(
                    count(&after, diagnostic.code) < count(&before, diagnostic.code),
                    "{name}: `{}` fixes {}:\n{after_text}",
                    fix.title,
                    diagnostic.code.as_str()
                );
                fixed.insert(diagnostic.code.as_str());
            }
        }
    }
    let expected = [
        "LF0001", "LF1002", "LF1003", "LF1004", "LF1005", "LF1010", "LF1011", "LF1016", "LF1018", "LF1033", "LF3006",
        "LF3007", "LF3008",
    ];
    for code in expected {
        assert!(fixed.contains(code), "a fixture exercises the fix of {code}: {fixed:?}");
    }
}

#[test]
fn a_statement_joins_its_block_in_the_block_s_layout() {
    let cases = [
        ("queue jobs {}\n", "queue jobs { visibility_timeout = 60s }\n"),
        ("queue jobs { retention = 4d }\n", "queue jobs { retention = 4d visibility_timeout = 60s }\n"),
        ("queue jobs {\n  retention = 4d\n}\n", "queue jobs {\n  retention = 4d\n  visibility_timeout = 60s\n}\n"),
        (
            "queue jobs {\r\n  retention = 4d\r\n}\r\n",
            "queue jobs {\r\n  retention = 4d\r\n  visibility_timeout = 60s\r\n}\r\n",
        ),
    ];
    for (text, expected) in cases {
        let block = lambdaform::source::Span::new(lambdaform::source::FileId(0), 0, text.trim_end().len());
        let edit = lambdaform::diagnostic::Edit::AddStatement { block, statement: "visibility_timeout = 60s".into() };
        let (range, replacement) = edit.in_text(text);
        let mut out = text.to_string();
        out.replace_range(range, &replacement);
        assert_eq!(out, expected);
    }
}

/// A declaration goes above the item that reads the name, and above the
/// comment lines that belong to that item, in the file's line ending.
#[test]
fn a_declaration_goes_above_the_item_and_its_comments() {
    let function = "function f {\n  send jobs\n}\n";
    let cases = [
        (function.to_string(), format!("queue jobs {{}}\n\n{function}")),
        (format!("app a {{}}\n\n{function}"), format!("app a {{}}\n\nqueue jobs {{}}\n\n{function}")),
        (
            format!("app a {{}}\n\n# sends\n# twice\n{function}"),
            format!("app a {{}}\n\nqueue jobs {{}}\n\n# sends\n# twice\n{function}"),
        ),
        (
            "app a {}\r\n\r\nfunction f {\r\n}\r\n".to_string(),
            "app a {}\r\n\r\nqueue jobs {}\r\n\r\nfunction f {\r\n}\r\n".to_string(),
        ),
        (format!("\u{feff}# sends\n{function}"), format!("\u{feff}queue jobs {{}}\n\n# sends\n{function}")),
    ];
    for (text, expected) in cases {
        let start = text.find("function").expect("a function");
        let before = lambdaform::source::Span::new(lambdaform::source::FileId(0), start, text.len());
        let edit = lambdaform::diagnostic::Edit::AddItem { before, item: "queue jobs {}".into() };
        let (range, replacement) = edit.in_text(&text);
        let mut out = text.clone();
        out.replace_range(range, &replacement);
        assert_eq!(out, expected);
    }
}

/// A name nothing declares offers, as quick fixes, the declarations that
/// fit where it is written and are whole as written (not a function, not a
/// network, which need a body, nor a filesystem, which only exists).
#[test]
fn an_undeclared_name_offers_the_declarations_that_fit_its_place() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/LF1002_undeclared_name_help_fits_its_place.lf"),
    )
    .expect("the fixture");
    let offered: Vec<(String, Vec<String>)> = checked(&text)
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownName)
        .map(|d| {
            let name = text[d.primary.span.range()].to_string();
            (name, d.fixes.iter().map(|f| f.title.clone()).collect())
        })
        .collect();
    let declare = |name: &str, items: &[&str]| -> (String, Vec<String>) {
        (name.to_string(), items.iter().map(|item| format!("Declare `{name}`: `{item}`")).collect())
    };
    assert_eq!(
        offered,
        vec![
            declare("private", &[]),
            declare("web", &["api web {}"]),
            declare("jobs", &["queue jobs {}", "topic jobs {}", "bucket jobs {}", "bus jobs {}", "stream jobs {}"]),
            declare("outbox", &["queue outbox {}"]),
            declare("carts", &["bucket carts {}", "secret carts {}"]),
            declare("billing", &[]),
            declare("shared", &[]),
            declare(
                "ledger",
                &["queue ledger {}", "topic ledger {}", "bucket ledger {}", "bus ledger {}", "stream ledger {}"]
            ),
        ]
    );
}
