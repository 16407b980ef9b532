//! Formatting requests: the document in the canonical layout of `format`,
//! as the smallest set of whole-line edits (none when nothing changes),
//! keeping the document's line endings (CRLF stays CRLF). A document with
//! syntax errors, or with bytes that are not UTF-8, is refused with a
//! message that says why.

use super::workspace::{position, Document};
use crate::format::{format_keeping_line_endings, FormatError};
use crate::source::SourceFile;
use lsp_types::{Range, TextEdit};
use similar::{DiffOp, TextDiff};

pub fn formatting(document: &Document) -> Result<Vec<TextEdit>, String> {
    if document.invalid_utf8 {
        return Err("not formatted: the document holds bytes that are not UTF-8 (LF0003)".into());
    }
    let text = &document.text;
    let formatted = format_keeping_line_endings(text).map_err(|error| refusal(text, &error))?;
    Ok(edits(text, &formatted))
}

fn refusal(text: &str, error: &FormatError) -> String {
    match error {
        FormatError::Syntax(errors) if !errors.is_empty() => {
            let first = &errors[0];
            let line = SourceFile::new("", text).position(first.primary.span.start as usize).line;
            format!("not formatted: {error}; the first, on line {line}: {}", first.message)
        }
        error => format!("not formatted: {error}"),
    }
}

/// Edits that turn `before` into `after`, one per run of changed lines.
fn edits(before: &str, after: &str) -> Vec<TextEdit> {
    let diff = TextDiff::from_lines(before, after);
    let new_lines: Vec<&str> = diff.new_slices().to_vec();
    let file = SourceFile::new("", before);
    let mut out: Vec<TextEdit> = Vec::new();
    // The old line range and new line range of the run being gathered.
    let mut run: Option<(usize, usize, usize, usize)> = None;
    let mut flush = |run: (usize, usize, usize, usize)| {
        let (old_start, old_end, new_start, new_end) = run;
        let range = Range::new(position(&file, file.line_start(old_start)), position(&file, file.line_start(old_end)));
        out.push(TextEdit { range, new_text: new_lines[new_start..new_end].concat() });
    };
    for op in diff.ops() {
        if let DiffOp::Equal { .. } = op {
            if let Some(done) = run.take() {
                flush(done);
            }
            continue;
        }
        let (old, new) = (op.old_range(), op.new_range());
        run = Some(match run {
            Some((old_start, _, new_start, _)) => (old_start, old.end, new_start, new.end),
            None => (old.start, old.end, new.start, new.end),
        });
    }
    if let Some(done) = run {
        flush(done);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let file = SourceFile::new("", text);
        let mut out = text.to_string();
        for edit in edits.iter().rev() {
            let start = file.offset_utf16(edit.range.start.line as usize, edit.range.start.character as usize);
            let end = file.offset_utf16(edit.range.end.line as usize, edit.range.end.character as usize);
            out.replace_range(start..end, &edit.new_text);
        }
        out
    }

    #[test]
    fn only_changed_lines_are_edited() {
        let before = "queue jobs {}\n\ntable t {\n  key =\"id\"\n}\nbus b {}";
        let after = "queue jobs {}\n\ntable t {\n  key = \"id\"\n}\n\nbus b {}\n";
        let edits = edits(before, after);
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(edits[0].range.start.line, 3);
        assert_eq!(apply(before, &edits), after);
    }

    #[test]
    fn crlf_documents_keep_their_line_endings() {
        let uri: lsp_types::Uri = "file:///x.lf".parse().expect("a URI");
        let text = "queue jobs {}\r\n\r\ntable t {\r\n  key = \"id\"\r\n}\r\n";
        let document = Document::new(uri.clone(), text.into(), false);
        assert_eq!(formatting(&document), Ok(Vec::new()), "already formatted");
        let text = "queue jobs {visibility_timeout=1m}\r\n";
        let document = Document::new(uri, text.into(), false);
        let edits = formatting(&document).expect("formatted");
        assert_eq!(apply(text, &edits), "queue jobs { visibility_timeout = 1m }\r\n");
    }
}
