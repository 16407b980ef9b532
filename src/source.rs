//! Source files: file ids, byte spans, the line index, and byte ↔ line/column
//! (characters or UTF-16 code units) conversions.

use serde::Serialize;

/// A byte order mark some editors write at the start of a UTF-8 file. The
/// parser skips it there; spans count its bytes, so they stay offsets into
/// the file as written, and columns do not, as editors show none.
pub const BYTE_ORDER_MARK: char = '\u{feff}';

/// Index of a file in a [`Sources`] set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file. Every node of the syntax tree and every
/// diagnostic label carries one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end as u32 }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `inner` lies inside this span, in the same file.
    pub fn contains(self, inner: Span) -> bool {
        inner.file == self.file && self.start <= inner.start && inner.end <= self.end
    }
}

/// One source file: its display name, text and line starts.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column; the column counts characters or UTF-16 units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let mut line_starts = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile { name: name.into(), text, line_starts }
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// 1-based line and column in characters, as `check --format json` reports.
    pub fn position(&self, byte: usize) -> Position {
        self.position_by(byte, |s| s.chars().count())
    }

    /// 1-based line and 1-based column in UTF-16 code units, as LSP counts.
    pub fn position_utf16(&self, byte: usize) -> Position {
        self.position_by(byte, |s| s.encode_utf16().count())
    }

    fn position_by(&self, byte: usize, width: impl Fn(&str) -> usize) -> Position {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let line = self.line_index(byte);
        let start = self.columns_start(line).min(byte);
        Position { line: line + 1, column: width(&self.text[start..byte]) + 1 }
    }

    /// Where a 0-based line's columns begin: its start, or after the byte
    /// order mark on the first line of a file that has one.
    pub fn columns_start(&self, line: usize) -> usize {
        let start = self.line_start(line);
        if line == 0 && self.text.starts_with(BYTE_ORDER_MARK) {
            start + BYTE_ORDER_MARK.len_utf8()
        } else {
            start
        }
    }

    /// Byte offset of a 0-based line and UTF-16 column, clamped to the line.
    pub fn offset_utf16(&self, line: usize, column: usize) -> usize {
        let start = self.columns_start(line);
        let end = self.line_start(line + 1).min(self.text.len());
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= column || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    fn floor_char_boundary(&self, mut byte: usize) -> usize {
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }
}

/// Every file of one compilation: the stdlib files first, then the app's.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn text(&self, span: Span) -> &str {
        &self.get(span.file).text[span.range()]
    }
}

#[cfg(test)]
mod tests {
    use super::{SourceFile, BYTE_ORDER_MARK};

    #[test]
    fn a_byte_order_mark_is_no_column() {
        let file = SourceFile::new("a.lf", format!("{BYTE_ORDER_MARK}queue jobs {{}}\nqueue b {{}}\n"));
        assert_eq!(file.position(9).column, 7, "`jobs` in the 7th column, as an editor shows it");
        assert_eq!(file.position_utf16(9).column, 7);
        assert_eq!(file.position(0).column, 1);
        assert_eq!(file.offset_utf16(0, 6), 9);
        assert_eq!(file.offset_utf16(1, 6), 23, "other lines are as they were");
    }
}
