//! Diagnostics as plain data (code, severity, message, labels, help, and
//! the edits that fix them where the help names one exactly). The code
//! table, every code naming one problem with its explanation, is
//! `codes.rs`.

mod codes;

pub use codes::{Code, CODES_URL};

use crate::source::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A labelled span: the primary one says what is wrong there, secondary ones
/// point at the other end of an edge or at an earlier definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// Edits that do exactly what the help says, where it names one: an
    /// editor's quick fixes (and a `check --fix` some day).
    pub fixes: Vec<Fix>,
}

/// One way to fix a diagnostic: a title for a menu and the edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does: "Replace with `orders`".
    pub title: String,
    pub edit: Edit,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Edit {
    /// The span's text becomes `text`.
    Replace { span: Span, text: String },
    /// `statement` joins the block that ends at the end of `block` (its `}`).
    AddStatement { block: Span, statement: String },
    /// `item` goes on a line of its own, a blank line after it, before the
    /// top-level item that starts at the start of `before` and the comment
    /// lines right above it.
    AddItem { before: Span, item: String },
}

impl Edit {
    /// The file (the one the edit's span is in) and the byte range of
    /// `text` to replace, with what replaces it: a statement added to a
    /// block goes on a line of its own above a `}` that has its own line
    /// (indented one level more, with the file's line ending), else before
    /// the `}` on the block's line.
    pub fn in_text(&self, text: &str) -> (std::ops::Range<usize>, String) {
        match self {
            Edit::Replace { span, text: new } => (span.range(), new.clone()),
            Edit::AddStatement { block, statement } => {
                let close = (block.end as usize).saturating_sub(1).min(text.len());
                let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
                let indent = &text[line_start..close];
                if line_start > 0 && indent.trim().is_empty() {
                    let newline = if text[..line_start].ends_with("\r\n") { "\r\n" } else { "\n" };
                    return (line_start..line_start, format!("{indent}  {statement}{newline}"));
                }
                let inner_end = text[..close].trim_end().len();
                if text[..inner_end].ends_with('{') {
                    (inner_end..close, format!(" {statement} "))
                } else {
                    (inner_end..inner_end, format!(" {statement}"))
                }
            }
            Edit::AddItem { before, item } => {
                let at = (before.start as usize).min(text.len());
                let line_start = above_comments(text, text[..at].rfind('\n').map_or(0, |i| i + 1));
                let newline = if text[..line_start].ends_with("\r\n") { "\r\n" } else { "\n" };
                (line_start..line_start, format!("{item}{newline}{newline}"))
            }
        }
    }

    pub fn file(&self) -> crate::source::FileId {
        match self {
            Edit::Replace { span, .. } => span.file,
            Edit::AddStatement { block, .. } => block.file,
            Edit::AddItem { before, .. } => before.file,
        }
    }
}

/// The start of the comment lines right above the line at `line_start`,
/// or `line_start` if there are none; after a byte order mark.
fn above_comments(text: &str, mut line_start: usize) -> usize {
    let first = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    line_start = line_start.max(first);
    while line_start > first {
        let above = text[..line_start - 1].rfind('\n').map_or(first, |i| i + 1);
        if !text[above..line_start].trim_start().starts_with('#') {
            break;
        }
        line_start = above;
    }
    line_start
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label { span, message: String::new() },
            secondary: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    pub fn label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Offers `edit` as a fix titled `title`.
    pub fn fix(mut self, title: impl Into<String>, edit: Edit) -> Diagnostic {
        self.fixes.push(Fix { title: title.into(), edit });
        self
    }

    /// Offers replacing the span's text with `text`.
    pub fn replace_with(self, span: Span, text: impl Into<String>) -> Diagnostic {
        let text = text.into();
        self.fix(format!("Replace with `{text}`"), Edit::Replace { span, text })
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `a`, `a or b`, `a, b or c`: the items of a message's list, the last
/// joined by `word` (`or`, `and`).
pub fn listed<S: AsRef<str>>(items: &[S], word: &str) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {word} {last}", rest.join(", ")),
        _ => items.concat(),
    }
}
