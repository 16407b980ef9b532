//! `check`'s diagnostics as LSP diagnostics, published per file of the app:
//! code and a link to its explanation, UTF-16 ranges, secondary labels as
//! related information, help appended to the message, and the edits of its
//! fixes in `data` (`{ "fixes": [{ "title", "changes": { uri: [TextEdit] } }] }`)
//! for code actions. A file that had diagnostics and has none now gets an
//! empty list, so no stale error stays in the editor.

use super::workspace::Analysis;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::Span;
use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams, TextEdit, Uri,
};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::str::FromStr;

/// Where each code is explained (`docs/codes.md`, one heading per code);
/// the client may pass another in `initializationOptions.codesUrl`.
pub const DEFAULT_CODES_URL: &str = crate::diagnostic::CODES_URL;

/// The lists to publish after a check: one for every file with
/// diagnostics, every open document, and every file that had diagnostics
/// before (now empty).
pub fn to_publish(
    analysis: &mut Analysis,
    is_open: impl Fn(&str) -> bool,
    codes_url: &str,
) -> Vec<PublishDiagnosticsParams> {
    let mut per_file: Vec<(Uri, Vec<LspDiagnostic>)> =
        analysis.uris.iter().map(|(_, uri)| (uri.clone(), Vec::new())).collect();
    for diagnostic in &analysis.checked.diagnostics {
        // Diagnostics inside the stdlib have no document to go to.
        let Some(i) = analysis.uris.iter().position(|(file, _)| *file == diagnostic.primary.span.file) else {
            continue;
        };
        per_file[i].1.push(convert(analysis, diagnostic, codes_url));
    }
    let mut out = Vec::new();
    let mut now = HashSet::new();
    for (uri, diagnostics) in per_file {
        let stale = analysis.published.contains(uri.as_str());
        if !diagnostics.is_empty() {
            now.insert(uri.as_str().to_string());
        }
        if !diagnostics.is_empty() || stale || is_open(uri.as_str()) {
            out.push(PublishDiagnosticsParams { uri, diagnostics, version: None });
        }
    }
    // Files that left the app (deleted, renamed, a closed unsaved buffer).
    let gone = analysis.published.iter().filter(|uri| !analysis.uris.iter().any(|(_, u)| u.as_str() == uri.as_str()));
    for uri in gone.filter_map(|uri| Uri::from_str(uri).ok()) {
        out.push(PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None });
    }
    analysis.published = now;
    out
}

fn convert(analysis: &Analysis, d: &Diagnostic, codes_url: &str) -> LspDiagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|label| {
            let uri = analysis.uri_of(label.span.file)?.clone();
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, analysis.range(label.span)),
                message: label.message.clone(),
            })
        })
        .collect();
    LspDiagnostic {
        range: analysis.range(d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: code_url(codes_url, d.code).map(|href| CodeDescription { href }),
        source: Some("lambdaform".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: fixes(analysis, d),
    }
}

/// The diagnostic's fixes as workspace edits, for `data`.
fn fixes(analysis: &Analysis, d: &Diagnostic) -> Option<Value> {
    let fixes: Vec<Value> = d
        .fixes
        .iter()
        .filter_map(|fix| {
            let file = fix.edit.file();
            let uri = analysis.uri_of(file)?;
            let (range, new_text) = fix.edit.in_text(&analysis.source(file).text);
            let edit = TextEdit { range: analysis.range(Span::new(file, range.start, range.end)), new_text };
            Some(json!({ "title": fix.title, "changes": { uri.as_str(): [edit] } }))
        })
        .collect();
    (!fixes.is_empty()).then(|| json!({ "fixes": fixes }))
}

/// `…/codes.md#lf1002`: the anchor of the code's heading.
pub fn code_url(base: &str, code: Code) -> Option<Uri> {
    Uri::from_str(&format!("{base}#{}", code.as_str().to_ascii_lowercase())).ok()
}
