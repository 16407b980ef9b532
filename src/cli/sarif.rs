//! `check --format sarif`: the diagnostics as one SARIF 2.1.0 log, the
//! format GitHub code scanning, GitLab and most CI dashboards read.
//!
//! The run's rules are the whole code table (id, name, title, explanation,
//! a link to `docs/codes.md`, default level); each result points at its
//! primary span (1-based lines, columns in UTF-16 code units as SARIF
//! counts by default) with the secondary labels as related locations.
//! Each result carries a partial fingerprint that survives edits elsewhere
//! in the file: a hash of the code, the file, the flagged text (whitespace
//! runs made one space) and its ordinal among results with the same three,
//! never the line number.

use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic, Label, Severity, CODES_URL};
use crate::source::SourceFile;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The schema the log names in `$schema`.
pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of Lambdaform's fingerprint in `partialFingerprints`; its version
/// changes whenever the way it is computed does.
pub const FINGERPRINT: &str = "lambdaformSpan/v1";

/// Where locations in the embedded stdlib are relative to.
const STDLIB_BASE: &str = "LAMBDAFORM_STDLIB";

/// The SARIF log of a check.
pub fn sarif(checked: &Checked) -> Value {
    let fingerprints = fingerprints(checked);
    let results: Vec<Value> =
        checked.diagnostics.iter().zip(fingerprints).map(|(d, print)| result(checked, d, &print)).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver() },
            "originalUriBaseIds": {
                STDLIB_BASE: { "description": { "text": "The standard library built into lambdaform (stdlib/ in its repository)." } }
            },
            "columnKind": "utf16CodeUnits",
            "invocations": [{ "executionSuccessful": true }],
            "results": results,
        }],
    })
}

fn driver() -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|code| rule(*code)).collect();
    json!({
        "name": "lambdaform",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": CODES_URL.split("/blob/").next().unwrap_or(CODES_URL),
        "rules": rules,
    })
}

fn rule(code: Code) -> Value {
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": { "text": code.title() },
        "fullDescription": { "text": code.explanation() },
        "help": {
            "text": code.explanation(),
            "markdown": format!("**{}**: {}\n\n[{} in docs/codes.md]({})", code.title(), code.explanation(), code.as_str(), code.help_uri()),
        },
        "helpUri": code.help_uri(),
        "defaultConfiguration": { "level": level(code.severity()) },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(checked: &Checked, d: &Diagnostic, fingerprint: &str) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let related: Vec<Value> = d
        .secondary
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let mut location = location(checked, label);
            location["id"] = json!(index + 1);
            location
        })
        .collect();
    let mut result = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [location(checked, &d.primary)],
        "partialFingerprints": { FINGERPRINT: fingerprint },
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    result
}

/// A labelled span as a SARIF location, its label as the message.
fn location(checked: &Checked, label: &Label) -> Value {
    let file = checked.sources.get(label.span.file);
    let start = file.position_utf16(label.span.start as usize);
    let end = file.position_utf16(label.span.end as usize);
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": artifact(&file.name),
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
                "snippet": { "text": &file.text[label.span.range()] },
            },
        },
    });
    if !label.message.is_empty() {
        location["message"] = json!({ "text": label.message });
    }
    location
}

/// Characters kept as they are in a path: RFC 3986's unreserved ones and `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A source name as a URI: `<stdlib/queue.lf>` relative to the stdlib's
/// base, an absolute path as a `file:` URI, anything else as a path
/// relative to where `check` ran (the repository root in CI).
fn artifact(name: &str) -> Value {
    if let Some(stdlib) = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
        return json!({ "uri": encode(stdlib), "uriBaseId": STDLIB_BASE });
    }
    let path = name.replace('\\', "/");
    let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    if absolute {
        let slash = if path.starts_with('/') { "" } else { "/" };
        return json!({ "uri": format!("file://{slash}{}", encode(&path)) });
    }
    json!({ "uri": encode(path.trim_start_matches("./")) })
}

fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// One fingerprint per diagnostic, in order: see the module's comment.
fn fingerprints(checked: &Checked) -> Vec<String> {
    let keys: Vec<(Code, &SourceFile, String)> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let file = checked.sources.get(d.primary.span.file);
            let text = file.text[d.primary.span.range()].split_whitespace().collect::<Vec<_>>().join(" ");
            (d.code, file, text)
        })
        .collect();
    // The ordinal of each among the identical ones, in source order.
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| (checked.diagnostics[i].primary.span.file, checked.diagnostics[i].primary.span.start));
    let mut seen: HashMap<(Code, &str, &str), usize> = HashMap::new();
    let mut ordinals = vec![0; keys.len()];
    for i in order {
        let (code, file, text) = &keys[i];
        let count = seen.entry((*code, file.name.as_str(), text.as_str())).or_default();
        ordinals[i] = *count;
        *count += 1;
    }
    keys.iter()
        .zip(ordinals)
        .map(|((code, file, text), ordinal)| {
            let key = format!("{}\0{}\0{text}\0{ordinal}", code.as_str(), file.name);
            format!("{:016x}", fnv1a64(key.as_bytes()))
        })
        .collect()
}

/// FNV-1a, 64 bits: stable across platforms, releases and runs.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_uris() {
        assert_eq!(artifact("<stdlib/queue.lf>"), json!({ "uri": "stdlib/queue.lf", "uriBaseId": STDLIB_BASE }));
        assert_eq!(artifact("./app/main.lf"), json!({ "uri": "app/main.lf" }));
        assert_eq!(artifact("my app/ma#in.lf"), json!({ "uri": "my%20app/ma%23in.lf" }));
        assert_eq!(artifact("/work/app/main.lf"), json!({ "uri": "file:///work/app/main.lf" }));
        assert_eq!(artifact("C:\\apps\\main.lf"), json!({ "uri": "file:///C:/apps/main.lf" }));
        assert_eq!(artifact("café/main.lf"), json!({ "uri": "caf%C3%A9/main.lf" }));
    }

    #[test]
    fn fnv1a64_is_the_published_function() {
        // Test vectors of the FNV reference.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
