//! UI tests: every `tests/ui/**/*.lf` fixture is checked as one app.
//!
//! Expectations are written inline, in the style of rust-analyzer and typst
//! tests: a comment line `# error[LF1002]` (or `# warning[...]`,
//! `# info[...]`), optionally followed by `: text` that the message must
//! contain, stands on the line directly below the line where the
//! diagnostic's primary span starts. An annotation refers to the nearest
//! preceding line that is not itself an annotation, so several annotations
//! can stack under one line. The test fails on a missing or an extra
//! diagnostic: the multiset of (severity, code, line) must match exactly.
//!
//! A diagnostic in a file the fixture names (a state machine definition
//! beside it, read relative to the fixture's folder) is expected with
//! `# error[LF1056]@asl/order.asl.json:7`: the file, relative to
//! `tests/ui/`, and the line in it; such annotations may stand anywhere.
//!
//! Each fixture also has an insta snapshot (gleam's style) holding the
//! fixture's source above the rendered diagnostics, in `tests/ui/snapshots/`.
//! Accept new or changed ones with `cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test ui`, and read them before
//! committing.

mod common;

use lambdaform::check::{check_with, Checked, Input};
use lambdaform::cli::render_to_string;
use lambdaform::diagnostic::Code;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Codes that have no fixture yet. Only codes of later stages may stand
/// here, never a front-end (`LF0xxx`, `LF1xxx`) one; a code leaves the list
/// when its first fixture lands (the test says so when it is stale).
/// These come from `build`, not `check`, so tests/build.rs fires them:
/// LF4003 and LF4005 to LF4007 read the packages (LF4005 to LF4007 need a
/// symbolic link, a named pipe or a folder made as the test runs), LF4004
/// needs a root template over 1 MB (a generated app of 4,500 functions),
/// and LF4010 depends on the stage being built.
const NOT_YET_COVERED: &[&str] = &["LF4003", "LF4004", "LF4005", "LF4006", "LF4007", "LF4010", "LF4011"];

/// Stages whose codes must all have a fixture, whatever the list above says.
const ALWAYS_COVERED_PREFIXES: &[&str] = &["LF0", "LF1"];

const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

/// One inline expectation.
#[derive(Debug)]
struct Annotation {
    severity: String,
    code: String,
    /// The other file it is in (`asl/order.asl.json`), if not the fixture.
    file: Option<String>,
    /// 1-based line the diagnostic's primary span starts on.
    line: usize,
    /// Text the message must contain, if given.
    message: Option<String>,
}

/// One diagnostic as the test compares it.
#[derive(Debug)]
struct Actual {
    severity: String,
    code: String,
    /// The definition file it is in, relative to `tests/ui/`.
    other: Option<String>,
    /// 0 when the diagnostic is in another file (the stdlib).
    line: usize,
    message: String,
    file: String,
}

struct Fixture {
    path: PathBuf,
    /// `tests/ui/NAME.lf`, as diagnostics show it.
    display: String,
    stem: String,
    /// The snapshot's name: the stem, after its folders under `tests/ui/`
    /// (`clean__LF3006_visibility_timeout_ok`), so names never collide.
    snapshot: String,
    bytes: Vec<u8>,
}

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("ui")
}

fn fixtures() -> Vec<Fixture> {
    let mut paths = Vec::new();
    collect_lf_files(&ui_dir(), &mut paths);
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures found under {}", ui_dir().display());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let display = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let folders = path
                .parent()
                .and_then(|p| p.strip_prefix(ui_dir()).ok())
                .map(|p| p.components().map(|c| format!("{}__", c.as_os_str().to_string_lossy())).collect::<String>());
            let snapshot = format!("{}{stem}", folders.unwrap_or_default());
            Fixture { path, display, stem, snapshot, bytes }
        })
        .collect()
}

fn collect_lf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_lf_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "lf") {
            out.push(path);
        }
    }
}

/// Reads `# error[LF1002]: text` annotations; `Err` on a malformed one.
fn annotations(text: &str) -> Result<Vec<Annotation>, String> {
    let mut out = Vec::new();
    let mut target = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        match parse_annotation(line) {
            None => target = Some(number),
            Some(Err(problem)) => return Err(format!("line {number}: {problem}: {line:?}")),
            Some(Ok((severity, code, Some((file, line)), message))) => {
                out.push(Annotation { severity, code, file: Some(file), line, message });
            }
            Some(Ok((severity, code, None, message))) => {
                let Some(line) = target else {
                    return Err(format!("line {number}: an annotation needs a line above it"));
                };
                out.push(Annotation { severity, code, file: None, line, message });
            }
        }
    }
    Ok(out)
}

type Parsed = (String, String, Option<(String, usize)>, Option<String>);

/// `None` for a line that is not an annotation.
fn parse_annotation(line: &str) -> Option<Result<Parsed, String>> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let severity = SEVERITIES.iter().find(|s| rest.starts_with(&format!("{s}[")))?;
    let rest = &rest[severity.len() + 1..];
    let Some((code, rest)) = rest.split_once(']') else {
        return Some(Err("unclosed `[`".into()));
    };
    if Code::parse(code).is_none() {
        return Some(Err(format!("`{code}` is not a diagnostic code")));
    }
    let (place, rest) = match rest.strip_prefix('@') {
        Some(at) => {
            let end = at.find(':').unwrap_or(at.len());
            let (file, after) = at.split_at(end);
            let after = after.strip_prefix(':').unwrap_or("");
            let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
            let Ok(line) = after[..digits].parse::<usize>() else {
                return Some(Err("expected `@FILE:LINE` after the code".into()));
            };
            (Some((file.to_string(), line)), &after[digits..])
        }
        None => (None, rest),
    };
    let rest = rest.trim();
    let message = match rest.strip_prefix(':') {
        Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        Some(_) => return Some(Err("empty message after `:`".into())),
        None if rest.is_empty() => None,
        None => return Some(Err("expected `: message` or nothing after the code".into())),
    };
    Some(Ok((severity.to_string(), code.to_string(), place, message)))
}

fn run(fixture: &Fixture) -> Checked {
    let input = Input { name: fixture.display.clone(), bytes: fixture.bytes.clone() };
    let folder = fixture.path.parent().unwrap_or(Path::new("")).to_path_buf();
    let shown = Path::new(&fixture.display).parent().unwrap_or(Path::new("")).to_path_buf();
    let read = move |relative: &str| {
        let bytes = std::fs::read(folder.join(relative)).map_err(|_| "no such file".to_string())?;
        Ok((shown.join(relative).display().to_string(), bytes))
    };
    check_with(vec![input], common::today(), &read)
}

fn actual(checked: &Checked) -> Vec<Actual> {
    let own = checked.app_files[0];
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let file = checked.sources.get(d.primary.span.file);
            let other = file.name.strip_prefix("tests/ui/").filter(|name| name.ends_with(".json"));
            let line = if d.primary.span.file == own || other.is_some() {
                file.position(d.primary.span.start as usize).line
            } else {
                0
            };
            Actual {
                severity: d.severity.as_str().to_string(),
                code: d.code.as_str().to_string(),
                other: other.map(String::from),
                line,
                message: d.message.clone(),
                file: file.name.clone(),
            }
        })
        .collect()
}

/// Every way the diagnostics differ from the annotations.
fn compare(expected: &[Annotation], actual: &[Actual]) -> Vec<String> {
    type Key = (usize, String, String, Option<String>);
    let mut want: BTreeMap<Key, usize> = BTreeMap::new();
    for a in expected {
        *want.entry((a.line, a.severity.clone(), a.code.clone(), a.file.clone())).or_default() += 1;
    }
    let mut got: BTreeMap<Key, Vec<&Actual>> = BTreeMap::new();
    for a in actual {
        got.entry((a.line, a.severity.clone(), a.code.clone(), a.other.clone())).or_default().push(a);
    }
    let mut problems = Vec::new();
    for (key, &count) in &want {
        let found = got.get(key).map_or(0, Vec::len);
        if found < count {
            let file = key.3.as_ref().map(|f| format!(" of {f}")).unwrap_or_default();
            problems.push(format!("missing {}x {}[{}] on line {}{file}", count - found, key.1, key.2, key.0));
        }
    }
    for (key, diagnostics) in &got {
        let wanted = want.get(key).copied().unwrap_or(0);
        for extra in diagnostics.iter().skip(wanted) {
            let place = match (&extra.other, extra.line) {
                (Some(file), line) => format!("on line {line} of {file}"),
                (None, 0) => format!("in {}", extra.file),
                (None, line) => format!("on line {line}"),
            };
            problems.push(format!("unexpected {}[{}] {place}: {}", extra.severity, extra.code, extra.message));
        }
    }
    for a in expected {
        let Some(text) = &a.message else { continue };
        let key = (a.line, a.severity.clone(), a.code.clone(), a.file.clone());
        let candidates = got.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        if !candidates.is_empty() && !candidates.iter().any(|d| d.message.contains(text.as_str())) {
            let messages: Vec<&str> = candidates.iter().map(|d| d.message.as_str()).collect();
            problems.push(format!(
                "{}[{}] on line {}: no message contains {text:?} (messages: {messages:?})",
                a.severity, a.code, a.line
            ));
        }
    }
    problems
}

/// The fixture's source above its rendered diagnostics.
fn snapshot(fixture: &Fixture, checked: &Checked) -> String {
    let text = &checked.sources.get(checked.app_files[0]).text;
    let rendered = render_to_string(checked, false);
    let rendered = if rendered.trim().is_empty() { "(no diagnostics)\n".to_string() } else { rendered };
    format!("----- SOURCE {}\n{text}\n----- DIAGNOSTICS\n{rendered}", fixture.display)
}

#[test]
fn fixtures_match_their_annotations_and_snapshots() {
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let checked = run(&fixture);
        let text = &checked.sources.get(checked.app_files[0]).text;
        match annotations(text) {
            Err(problem) => failures.push(format!("{}: bad annotation: {problem}", fixture.display)),
            Ok(expected) => {
                for problem in compare(&expected, &actual(&checked)) {
                    failures.push(format!("{}: {problem}", fixture.display));
                }
            }
        }
        let content = snapshot(&fixture, &checked);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(ui_dir().join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(&fixture.path);
        settings.set_omit_expression(true);
        let name = fixture.snapshot.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| settings.bind(|| insta::assert_snapshot!(name, content))));
        if outcome.is_err() {
            failures.push(format!("{}: snapshot differs (see above; `cargo insta review`)", fixture.display));
        }
    }
    assert!(failures.is_empty(), "{} fixture problem(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_code_has_a_fixture() {
    let mut covered: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for fixture in fixtures() {
        let text = String::from_utf8_lossy(&fixture.bytes);
        let Ok(expected) = annotations(&text) else { continue };
        for a in &expected {
            if let Some(code) = Code::parse(&a.code) {
                covered.entry(code.as_str()).or_default().push(fixture.stem.clone());
            }
        }
        // `LF1002_unknown_name.lf` is a fixture for LF1002: it must show it,
        // unless it expects nothing at all (a clean counterexample).
        let prefix = fixture.stem.split('_').next().unwrap_or("");
        match Code::parse(prefix) {
            Some(code) if expected.is_empty() || expected.iter().any(|a| a.code == code.as_str()) => {}
            Some(code) => problems.push(format!("{} is named for {code} but expects no {code}", fixture.display)),
            None => problems.push(format!("{} should be named `LFxxxx_what.lf` for its code", fixture.display)),
        }
    }
    for code in Code::ALL {
        let name = code.as_str();
        let front_end = ALWAYS_COVERED_PREFIXES.iter().any(|p| name.starts_with(p));
        let allowed = NOT_YET_COVERED.contains(&name);
        match (covered.contains_key(name), allowed) {
            (false, false) => problems.push(format!("{name} ({}) has no fixture in tests/ui", code.title())),
            (false, true) if front_end => {
                problems.push(format!("{name} is a front-end code: it cannot stay in NOT_YET_COVERED"))
            }
            (true, true) => problems.push(format!("{name} has a fixture now: remove it from NOT_YET_COVERED")),
            _ => {}
        }
    }
    for name in NOT_YET_COVERED {
        if Code::parse(name).is_none() {
            problems.push(format!("NOT_YET_COVERED lists {name}, which is not a code"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The harness itself: annotations attach to the right lines.
#[test]
fn annotations_attach_to_the_nearest_line_above() {
    let text = "queue a {}\n# error[LF1002]\n# warning[LF1004]: some text\n\nqueue b {}\n  # info[LF1003]\n";
    let parsed = annotations(text).expect("well-formed");
    let seen: Vec<(usize, &str, &str, Option<&str>)> =
        parsed.iter().map(|a| (a.line, a.severity.as_str(), a.code.as_str(), a.message.as_deref())).collect();
    assert_eq!(
        seen,
        [(1, "error", "LF1002", None), (1, "warning", "LF1004", Some("some text")), (5, "info", "LF1003", None)]
    );
    assert!(annotations("# error[LF1002]\n").is_err(), "nothing above");
    assert!(annotations("x\n# error[LF9999]\n").is_err(), "unknown code");
    assert!(annotations("x\n# error[LF1002] trailing\n").is_err(), "junk after the code");
    assert!(annotations("x\n# an ordinary comment about error[LF1002]\n").expect("plain comment").is_empty());
}
