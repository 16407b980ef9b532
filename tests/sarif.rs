//! `check --format sarif`: every UI fixture's log validates against the
//! official SARIF 2.1.0 schema (`tests/data/sarif-schema-2.1.0.json`, see
//! `tests/data/README.md`), the rules are the code table, regions are the
//! diagnostics' 1-based positions, and fingerprints survive unrelated edits.

mod common;

use common::root;
use lambdaform::check::{check, Checked, Input};
use lambdaform::cli::diagnostics_json;
use lambdaform::cli::sarif::{sarif, FINGERPRINT};
use lambdaform::diagnostic::Code;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `language` pattern of the official schema, as published (twice: a
/// run's and a tool component's): its lone `]` makes it an invalid ECMA-262
/// regex, which validators refuse to compile (oasis-tcs/sarif-spec issues
/// 562 and 576, fixed in no release).
const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

/// The official schema, with only its broken `language` patterns replaced by
/// the one their text describes (two letters, an optional `-` and two more).
/// Lambdaform never writes `language`.
fn validator() -> jsonschema::Validator {
    let path = root().join("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    for owner in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][owner]["properties"]["language"]["pattern"];
        assert_eq!(pattern, BROKEN_LANGUAGE_PATTERN, "the vendored schema changed: drop the replacement if fixed");
        *pattern = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("the schema compiles")
}

fn errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn check_text(name: &str, text: &str) -> Checked {
    check(vec![Input { name: name.into(), bytes: text.as_bytes().to_vec() }])
}

fn lf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            lf_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "lf") {
            out.push(path);
        }
    }
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn fingerprint(result: &Value) -> String {
    result["partialFingerprints"][FINGERPRINT].as_str().expect("a fingerprint").to_string()
}

#[test]
fn every_fixture_validates_against_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    lf_files(&root().join("tests/ui"), &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut results_seen = 0;
    for file in &files {
        let name = file.strip_prefix(root()).unwrap_or(file).display().to_string();
        let bytes = std::fs::read(file).expect("readable fixture");
        let log = sarif(&check(vec![Input { name: name.clone(), bytes }]));
        results_seen += results(&log).len();
        problems.extend(errors(&validator, &log).into_iter().map(|e| format!("{name}: {e}")));
    }
    assert!(files.len() > 50 && results_seen > 50, "{} fixtures, {results_seen} results", files.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_validator_rejects_a_broken_log() {
    let validator = validator();
    let mut log = sarif(&check_text("main.lf", "queue q {\n"));
    assert!(errors(&validator, &log).is_empty());
    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!errors(&validator, &bad_level).is_empty(), "the schema is enforced");
    let location = &mut log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    location["uri"] = Value::from("my app/<main>.lf");
    assert!(!errors(&validator, &log).is_empty(), "formats are checked: a URI is percent-encoded");
}

#[test]
fn rules_are_the_code_table() {
    let log = sarif(&check_text("main.lf", ""));
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Code::ALL.len());
    for (rule, code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["name"], code.name());
        assert_eq!(rule["shortDescription"]["text"], code.title());
        assert_eq!(rule["fullDescription"]["text"], code.explanation());
        let anchor = format!("docs/codes.md#{}", code.as_str().to_ascii_lowercase());
        assert!(rule["helpUri"].as_str().is_some_and(|u| u.ends_with(&anchor)), "{}", rule["helpUri"]);
        let level = match code.severity().as_str() {
            "info" => "note",
            other => other,
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
    }
    let code = Code::parse("LF3006").expect("a code");
    assert_eq!(rules[Code::ALL.iter().position(|c| *c == code).unwrap()]["name"], "VisibilityTimeout");
}

/// An app with an error that has a secondary label, and a warning.
const APP: &str = "app shop { region = \"eu-west-1\" }\n\
queue jobs {}\n\
topic spare {}\n\
function worker {\n\
  runtime = \"python3.12\"\n\
  handler = \"app.handler\"\n\
  code    = \"build/worker.zip\"\n\
  timeout = 1m\n\
  on jobs\n\
}\n";

#[test]
fn results_point_at_the_diagnostics_1_based() {
    let checked = check_text("app/main.lf", APP);
    let log = sarif(&checked);
    let plain = diagnostics_json(&checked);
    let plain = plain["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(results(&log).len(), plain.len());
    assert!(plain.len() >= 2, "{plain:?}");
    for (result, d) in results(&log).iter().zip(plain) {
        assert_eq!(result["ruleId"], d["code"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "app/main.lf");
        let region = &location["region"];
        for (sarif_key, json_key) in
            [("startLine", "line"), ("startColumn", "column"), ("endLine", "end_line"), ("endColumn", "end_column")]
        {
            assert_eq!(region[sarif_key], d[json_key], "{sarif_key} of {}", d["code"]);
        }
        assert!(result["message"]["text"].as_str().is_some_and(|t| t.starts_with(d["message"].as_str().unwrap())));
    }
    let timeout = results(&log).iter().find(|r| r["ruleId"] == "LF3006").expect("LF3006");
    assert_eq!(timeout["locations"][0]["physicalLocation"]["region"]["snippet"]["text"], "on jobs");
    assert_eq!(timeout["relatedLocations"][0]["message"]["text"], "visibility timeout set here");
}

#[test]
fn columns_count_utf16_units() {
    // `é` is one UTF-16 unit and one character, `𝄞` two units and one
    // character: `nope` starts at character 25, UTF-16 unit 26.
    let text = "function f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"f.zip\"\n  env = { A = \"é𝄞\", B = nope.arn }\n}\nqueue r { dead_letter = \"é𝄞\" }\n";
    let checked = check_text("main.lf", text);
    let log = sarif(&checked);
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
    let unknown = results(&log).iter().find(|r| r["ruleId"] == "LF1002").expect("LF1002");
    assert_eq!(unknown["locations"][0]["physicalLocation"]["region"]["startColumn"], 26);
    let plain = diagnostics_json(&checked);
    let plain = plain["diagnostics"].as_array().expect("diagnostics").iter().find(|d| d["code"] == "LF1002").cloned();
    assert_eq!(plain.expect("LF1002")["column"], 25, "check --format json counts characters");
    let wrong = results(&log).iter().find(|r| r["ruleId"] == "LF1005").expect("LF1005");
    let region = &wrong["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startColumn"].as_u64(), region["endColumn"].as_u64()), (Some(25), Some(30)));
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let before = sarif(&check_text("main.lf", APP));
    let edited = format!(
        "# a comment that moves every line down\n\n{}\ntopic alerts {{}}\n",
        APP.replace("  timeout = 1m\n", "  timeout = 1m\n  memory  = 256MB\n")
    );
    let after = sarif(&check_text("main.lf", &edited));
    let prints = |log: &Value| -> Vec<String> { results(log).iter().map(fingerprint).collect() };
    let lines = |log: &Value| -> Vec<Value> {
        results(log).iter().map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].clone()).collect()
    };
    assert_eq!(prints(&before).len(), 2, "{before}");
    assert_eq!(prints(&after).len(), 3, "one more unused topic: {after}");
    for (print, line) in prints(&before).iter().zip(lines(&before)) {
        let index = prints(&after).iter().position(|p| p == print);
        let moved = index.map(|i| lines(&after)[i].clone());
        assert!(moved.is_some_and(|l| l != line), "{print} (line {line}) is found again on another line");
    }
    let renamed = sarif(&check_text("other.lf", APP));
    assert!(prints(&renamed).iter().all(|p| !prints(&before).contains(p)), "the file is part of the fingerprint");
}

#[test]
fn identical_results_get_distinct_fingerprints() {
    let text = "function f {\n  read nope\n  read nope\n}\n";
    let log = sarif(&check_text("main.lf", text));
    let unknown: Vec<String> = results(&log).iter().filter(|r| r["ruleId"] == "LF1002").map(fingerprint).collect();
    assert_eq!(unknown.len(), 2, "{log}");
    assert_ne!(unknown[0], unknown[1]);
    // Whitespace inside the flagged text does not count.
    let spaced = sarif(&check_text("main.lf", &text.replace("read nope", "read   nope")));
    let again: Vec<String> = results(&spaced).iter().filter(|r| r["ruleId"] == "LF1002").map(fingerprint).collect();
    assert_eq!(unknown, again);
}

#[test]
fn the_cli_prints_sarif_and_keeps_the_exit_code() {
    let run = |fixture: &str| {
        Command::new(env!("CARGO_BIN_EXE_lambdaform"))
            .args(["check", fixture, "--format", "sarif"])
            .current_dir(root())
            .output()
            .expect("lambdaform runs")
    };
    let failing = run("tests/ui/LF3006_visibility_timeout.lf");
    assert_eq!(failing.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&failing.stdout).expect("SARIF on stdout");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/ui/LF3006_visibility_timeout.lf"
    );
    assert!(failing.stderr.is_empty(), "nothing on stderr: {}", String::from_utf8_lossy(&failing.stderr));
    let clean = run("examples/orders");
    assert_eq!(clean.status.code(), Some(0));
    let log: Value = serde_json::from_slice(&clean.stdout).expect("SARIF on stdout");
    assert!(errors(&validator(), &log).is_empty());
}
