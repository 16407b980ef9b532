//! The canonical layout of a Lambdaform file, for `lambdaform fmt` and editor
//! formatting: pure text in, text out. It prints the syntax tree of
//! `syntax::parse` again and puts back the comments and blank lines that
//! the tree does not hold; a file with syntax errors is refused, never
//! guessed at.
//!
//! The layout is the one of docs/language.md:
//! - two spaces of indent per level; one statement per line in a block that
//!   spans lines; a block, list or object written on one line stays on one
//!   line (`queue jobs { visibility_timeout = 4m }`, `[a, b]`,
//!   `{ k = v, k = v }`), one written over several lines gets one entry a
//!   line (objects without commas, lists with a trailing comma);
//! - within a block, the lines of one paragraph (statements not separated
//!   by a blank line or a statement that spans lines) align their `=`, and
//!   the verbs of its verb statements pad to the longest one
//!   (`read  orders` under `write orders`); trailing comments of
//!   consecutive lines line up too;
//! - at the top level, consecutive one-line items (`queue jobs {...}`,
//!   `existing ...`) align their `{` or `=`, keeping the spacing written
//!   inside their headers (`bus   events`); every item that spans lines
//!   has one blank line before and after it; elsewhere a run of blank lines
//!   becomes one blank line;
//! - comments stay where they are, re-indented; a comment written inside a
//!   statement that becomes one line moves to the line above it.
//!
//! Formatting twice gives the same text. `format` writes LF line
//! endings; `format_keeping_line_endings` writes the file's own. The result is checked before it is
//! returned: it must parse, and hold the same tokens (commas aside) and the
//! same comments as the input.
//!
//! `lex` finds the comments, `print` turns the tree into rows (elements,
//! comments, blank lines), `layout` aligns rows into lines.

mod layout;
mod lex;
mod print;

pub use lex::{lex, Token, TokenKind};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, BYTE_ORDER_MARK};
use crate::syntax;
use print::Printer;

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse: its syntax errors.
    Syntax(Vec<Diagnostic>),
    /// The formatter's own check failed: the output would not have been the
    /// same program (a bug in the formatter; the file is left alone).
    Internal(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(errors) => {
                write!(f, "the file has {} syntax error(s); fix them before formatting", errors.len())
            }
            FormatError::Internal(message) => write!(f, "the formatter failed its own check: {message}"),
        }
    }
}

/// The canonical layout of `text`, or why it cannot be given.
pub fn format(text: &str) -> Result<String, FormatError> {
    if let Some(rest) = text.strip_prefix(BYTE_ORDER_MARK) {
        // Kept as written, before the formatted text.
        return format(rest).map(|out| format!("{}{out}", BYTE_ORDER_MARK));
    }
    let (file, diagnostics) = syntax::parse(FileId(0), text);
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(refuses_formatting).collect();
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let out = Printer::new(text).file(&file);
    verify(text, &out)?;
    Ok(out)
}

/// `format` in the line endings of `text`: CRLF when its first line ends
/// with one, LF otherwise. `lambdaform fmt` and editor formatting both
/// keep a file's line endings, so a formatted CRLF file is left as it is.
pub fn format_keeping_line_endings(text: &str) -> Result<String, FormatError> {
    let formatted = format(text)?;
    let crlf = text.find('\n').is_some_and(|at| text[..at].ends_with('\r'));
    Ok(if crlf { formatted.replace('\n', "\r\n") } else { formatted })
}

/// Errors after which part of the file is missing from the tree.
fn refuses_formatting(diagnostic: &Diagnostic) -> bool {
    matches!(diagnostic.code, Code::Syntax | Code::TooDeep)
}

/// The output must parse and say the same thing: the same tokens in the
/// same order (commas are optional separators) and the same comments.
fn verify(before: &str, after: &str) -> Result<(), FormatError> {
    fn significant(text: &str) -> (Vec<&str>, Vec<&str>) {
        let (mut code, mut comments) = (Vec::new(), Vec::new());
        for token in lex(text) {
            let word = &text[token.start..token.end];
            match token.kind {
                TokenKind::Comment => comments.push(word.trim_end()),
                TokenKind::Punct if word == "," => {}
                _ => code.push(word),
            }
        }
        comments.sort_unstable();
        (code, comments)
    }
    let (code_before, comments_before) = significant(before);
    let (code_after, comments_after) = significant(after);
    if code_before != code_after {
        let at = code_before.iter().zip(&code_after).position(|(a, b)| a != b).unwrap_or(code_before.len());
        return Err(FormatError::Internal(format!("the tokens differ from token {at} on")));
    }
    if comments_before != comments_after {
        return Err(FormatError::Internal("a comment was lost or changed".into()));
    }
    let (_, diagnostics) = syntax::parse(FileId(0), after);
    if diagnostics.iter().any(refuses_formatting) {
        return Err(FormatError::Internal("the output does not parse".into()));
    }
    Ok(())
}
