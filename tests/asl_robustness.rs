//! A state machine's definition file is input like any other: whatever its
//! bytes (huge, deeply nested, not UTF-8, not JSON, JSON of the wrong
//! shapes, random mutations of a valid definition), `check` never panics,
//! reports at least one diagnostic when the file is not a valid
//! definition, puts each diagnostic of the file in that file, and keeps
//! every span on char boundaries. Each case runs on a thread of the default
//! test stack size, so a deep recursion shows up as a failure.

mod common;

use common::rng::Rng;
use lambdaform::check::{check_with, Checked, Input};
use lambdaform::cli::render_to_string;
use lambdaform::diagnostic::Label;

const APP: &str = r#"app flows { region = "eu-west-1" }

table orders { key = "id" }

function step {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/step.zip"
}

state_machine flow { definition = "flow.asl.json" }
"#;

const VALID: &str = r#"{
  "StartAt": "Step",
  "States": {
    "Step": { "Type": "Task", "Resource": "${step}", "Next": "Save" },
    "Save": {
      "Type": "Task",
      "Resource": "arn:aws:states:::dynamodb:putItem",
      "Parameters": { "TableName": "${orders}", "Item": { "id": { "S.$": "$.id" } } },
      "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ],
      "End": true
    },
    "Failed": { "Type": "Fail" }
  }
}"#;

/// Checks the app with `definition` as its ASL file, on its own thread.
fn check_definition(case: &str, definition: Vec<u8>) -> Checked {
    let name = case.to_string();
    std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            let read = move |_: &str| Ok(("flow.asl.json".to_string(), definition.clone()));
            let checked = check_with(vec![Input { name: "main.lf".into(), bytes: APP.into() }], common::today(), &read);
            for d in &checked.diagnostics {
                for Label { span, .. } in std::iter::once(&d.primary).chain(&d.secondary) {
                    let text = &checked.sources.get(span.file).text;
                    let (start, end) = (span.start as usize, span.end as usize);
                    assert!(start <= end && end <= text.len(), "{name}: {} span outside its file", d.code);
                    assert!(
                        text.is_char_boundary(start) && text.is_char_boundary(end),
                        "{name}: {} span off a char boundary",
                        d.code
                    );
                }
            }
            render_to_string(&checked, false);
            checked
        })
        .expect("spawn")
        .join()
        .unwrap_or_else(|_| panic!("{case}: check panicked"))
}

fn errors(checked: &Checked) -> Vec<String> {
    checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.as_str().to_string()).collect()
}

#[test]
fn a_valid_definition_is_clean() {
    let checked = check_definition("valid", VALID.into());
    assert!(errors(&checked).is_empty(), "{}", render_to_string(&checked, false));
}

#[test]
fn hostile_files_give_one_diagnostic_each_and_never_panic() {
    let mut deep = "[".repeat(200_000);
    deep.push_str(&"]".repeat(200_000));
    let mut huge = String::from("{\"StartAt\":\"A\",\"Comment\":\"");
    huge.push_str(&"x".repeat(2 * 1024 * 1024));
    huge.push_str("\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("deeply nested", deep.into_bytes(), "LF1057"),
        ("over 1 MB", huge.into_bytes(), "LF1057"),
        ("not UTF-8", b"{\"StartAt\": \"\xff\xfe\"}".to_vec(), "LF1057"),
        ("empty", Vec::new(), "LF1058"),
        ("not JSON", b"StartAt: A".to_vec(), "LF1057"),
        ("unclosed", b"{\"StartAt\": \"A\", \"States\": {".to_vec(), "LF1057"),
        ("a comment", b"{ // no\n}".to_vec(), "LF1057"),
        ("an array", b"[1, 2]".to_vec(), "LF1058"),
        ("States a list", br#"{"StartAt": "A", "States": ["A"]}"#.to_vec(), "LF1058"),
        ("Next a number", br#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": 3}}}"#.to_vec(), "LF1058"),
        ("Type a list", br#"{"StartAt": "A", "States": {"A": {"Type": ["Pass"], "End": true}}}"#.to_vec(), "LF1058"),
        ("state a string", br#"{"StartAt": "A", "States": {"A": "Pass"}}"#.to_vec(), "LF1058"),
        ("Branches an object", br#"{"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": {}, "End": true}}}"#.to_vec(), "LF1058"),
        ("Choices of numbers", br#"{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [1, 2]}}}"#.to_vec(), "LF1058"),
        ("Resource a number", br#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": 7, "End": true}}}"#.to_vec(), "LF1058"),
        ("Parameters a string", br#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": "x", "End": true}}}"#.to_vec(), "LF1059"),
        ("unclosed placeholder", br#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${step", "End": true}}}"#.to_vec(), "LF1056"),
        ("placeholder with escapes", br#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "\u00e9${nope}\"", "End": true}}}"#.to_vec(), "LF1056"),
    ];
    for (case, bytes, code) in cases {
        let checked = check_definition(case, bytes);
        let found = errors(&checked);
        assert!(found.contains(&code.to_string()), "{case}: expected {code}, got {found:?}");
        let definition = checked.sources.iter().find(|(_, f)| f.name == "flow.asl.json").map(|(id, _)| id);
        for d in checked.diagnostics.iter().filter(|d| d.is_error() && d.code.as_str() != "LF1057") {
            assert_eq!(Some(d.primary.span.file), definition, "{case}: {} is not in the definition file", d.code);
        }
    }
}

#[test]
fn mutations_of_a_valid_definition_never_panic() {
    let mut rng = Rng::new(15);
    let base = VALID.as_bytes();
    for round in 0..400 {
        let mut bytes = base.to_vec();
        for _ in 0..=rng.below(4) {
            let at = rng.below(bytes.len().max(1));
            match rng.below(4) {
                0 if !bytes.is_empty() => {
                    bytes.remove(at.min(bytes.len() - 1));
                }
                1 => bytes.insert(at, *rng.pick(b"{}[]\",:$\\\xc3\xff 0aT")),
                2 => {
                    let end = (at + rng.below(20)).min(bytes.len());
                    let piece = bytes[at..end].to_vec();
                    bytes.splice(at..at, piece);
                }
                _ => bytes.truncate(at),
            }
        }
        check_definition(&format!("mutation {round}"), bytes);
    }
}
