//! Formatting requests: the whole document in the canonical layout of
//! `format`, as one edit; nothing (null) while it has syntax errors.

use super::workspace::position;
use crate::format::format;
use crate::source::SourceFile;
use lsp_types::{Position, Range, TextEdit};

pub fn formatting(text: &str) -> Option<Vec<TextEdit>> {
    let formatted = format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let file = SourceFile::new("", text);
    let range = Range::new(Position::new(0, 0), position(&file, text.len()));
    Some(vec![TextEdit { range, new_text: formatted }])
}
