//! Reading past broken lines. An item that does not parse is read again
//! with each statement of its body alone (a line, the lines up to where its
//! brackets close, or a list of targets going on after a comma), every
//! other statement blanked: its bytes made spaces, so that every span stays
//! where it was. A nested block or multi-line value that fails alone is
//! looked into the same way. The statements that fail alone are reported,
//! each where it fails, and the item is read once more without them. When
//! that parses, the item is kept: a block with three broken lines shows
//! three errors, and the function around them keeps its grants, hover and
//! completion in the editor while a line is half typed. The first word of
//! each broken statement is kept (`File::broken`), so that `resolve` does
//! not call an attribute written on it missing.
//!
//! When the header or the closing brace is what is broken (the item does
//! not parse with its whole body blanked), when the item is one line or a
//! bracket in it never closes, when each statement parses alone but not
//! all together, or past the budget of reading ([`MAX_READ_BYTES`]),
//! nothing is recovered: the item is reported once and left out.

use super::errors::{position, syntax_error};
use super::{descent, read_with_pest};
use crate::ast::{Ident, Item};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use std::cell::Cell;
use std::ops::Range;

/// Blocks with more statements than this are not read again statement by
/// statement: each reading parses the whole item.
const MAX_STATEMENTS: usize = 256;

/// Items longer than this are not read again.
const MAX_BYTES: usize = MAX_READ_BYTES / 16;

/// How many bytes the readings of one item may read together: each reads
/// the whole item, nested blocks each read their statements, and an item
/// with many broken blocks would otherwise be read for each statement of
/// each. Past it, nothing is recovered. (A function of 1 KB may be read
/// 4,000 times; the largest item recovered, 16 times.)
const MAX_READ_BYTES: usize = 4 * 1024 * 1024;

/// What reading past the broken statements of an item found.
pub(super) struct Recovered {
    pub item: Item,
    /// One error per broken statement, in order, and the literal errors of
    /// the statements kept.
    pub errors: Vec<Diagnostic>,
    /// The first word of each broken statement.
    pub broken: Vec<Ident>,
}

/// The item `piece` (at byte `start` of `file`) read without its broken
/// statements, if it can be; `cut` says whether the file goes on after it.
pub(super) fn item(file: FileId, start: usize, piece: &str, cut: bool) -> Option<Recovered> {
    if piece.len() > MAX_BYTES {
        return None;
    }
    let statements = statements(piece, 0..piece.len())?;
    let reading = Reading { file, start, piece, cut, readings: Cell::new(MAX_READ_BYTES), refused: Cell::new(false) };
    // The header and the closing brace alone must parse.
    reading.parse(&blanked(piece, &statements)).ok()?;
    let mut found = Found::default();
    reading.find(&[], &statements, 0, &mut found);
    if found.bad.is_empty() || reading.refused.get() {
        return None;
    }
    let mut literals = Vec::new();
    let item = reading.parse_reporting(&blanked(piece, &found.bad), &mut literals)?;
    let mut errors = found.errors;
    errors.extend(literals);
    let broken = found.bad.iter().filter_map(|statement| first_word(file, start, piece, statement)).collect();
    Some(Recovered { item, errors, broken })
}

/// The statements found broken, and their errors.
#[derive(Default)]
struct Found {
    bad: Vec<Range<usize>>,
    errors: Vec<Diagnostic>,
}

/// Blocks nested deeper than this inside an item are not looked into:
/// a broken statement in one leaves the whole block out.
const MAX_NESTING: usize = 4;

/// One item being read again.
struct Reading<'p> {
    file: FileId,
    start: usize,
    piece: &'p str,
    cut: bool,
    /// The bytes the readings may still read (see [`MAX_READ_BYTES`]).
    readings: Cell<usize>,
    /// Whether a reading was asked for past them: nothing is recovered.
    refused: Cell<bool>,
}

impl Reading<'_> {
    /// Adds to `found` each of `statements` that does not parse alone, every
    /// other one and `around` blanked. A nested block or a multi-line
    /// value (`async {`, `env = {`) that fails is looked into: when it
    /// parses with its own statements blanked, only those of them that
    /// fail are broken.
    fn find(&self, around: &[Range<usize>], statements: &[Range<usize>], nesting: usize, found: &mut Found) {
        for (i, statement) in statements.iter().enumerate() {
            let mut blank: Vec<Range<usize>> = around.to_vec();
            blank.extend(statements.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, s)| s.clone()));
            let alone = blanked(self.piece, &blank);
            let Err(error) = self.parse(&alone) else { continue };
            if nesting < MAX_NESTING && self.found_inside(&blank, statement, nesting, found) {
                continue;
            }
            let bad = self.half_typed_list(&blank, statement).unwrap_or((alone, statement.clone(), error));
            let (alone, statement, error) = bad;
            found.errors.push(self.error(&alone, &statement, error));
            found.bad.push(statement);
        }
    }

    /// Whether the broken statements of the block `statement` were found
    /// inside it, `blank` blanked around it.
    fn found_inside(
        &self,
        blank: &[Range<usize>],
        statement: &Range<usize>,
        nesting: usize,
        found: &mut Found,
    ) -> bool {
        let Some(inner) = statements(self.piece, statement.clone()) else { return false };
        let mut skeleton = blank.to_vec();
        skeleton.extend(inner.iter().cloned());
        if inner.is_empty() || self.parse(&blanked(self.piece, &skeleton)).is_err() {
            return false;
        }
        let before = found.bad.len();
        self.find(blank, &inner, nesting + 1, found);
        found.bad.len() > before
    }

    /// A list of targets whose first line ends in a comma over a line that
    /// is a statement of its own (`send jobs,` typed above `write orders`):
    /// the first line alone is broken, and the rest is kept. Its reading
    /// alone, its range and its error.
    fn half_typed_list(
        &self,
        blank: &[Range<usize>],
        statement: &Range<usize>,
    ) -> Option<(String, Range<usize>, pest::error::Error<super::Rule>)> {
        let text = &self.piece[statement.clone()];
        let first_end = statement.start + text.find('\n')? + 1;
        if first_end >= statement.end {
            return None;
        }
        let (head, rest) = (statement.start..first_end, first_end..statement.end);
        let mut without_head = blank.to_vec();
        without_head.push(head.clone());
        self.parse(&blanked(self.piece, &without_head)).ok()?;
        let mut without_rest = blank.to_vec();
        without_rest.push(rest);
        let alone = blanked(self.piece, &without_rest);
        let error = self.parse(&alone).err()?;
        Some((alone, head, error))
    }

    /// `text` (the item with some statements blanked) read as the parser
    /// reads an item, or pest's error.
    fn parse(&self, text: &str) -> Result<(), pest::error::Error<super::Rule>> {
        let Some(left) = self.readings.get().checked_sub(text.len()) else {
            self.refused.set(true);
            return Ok(());
        };
        self.readings.set(left);
        if descent::item(self.file, self.start, text).is_some() {
            return Ok(());
        }
        read_with_pest(self.file, self.start, text, &mut Vec::new()).map(|_| ())
    }

    /// `text` read into an item, its literal errors added to `literals`.
    fn parse_reporting(&self, text: &str, literals: &mut Vec<Diagnostic>) -> Option<Item> {
        descent::item(self.file, self.start, text)
            .or_else(|| read_with_pest(self.file, self.start, text, literals).ok()?)
    }

    /// The error of `statement` read alone in `alone`: where the parser
    /// stopped inside it, or, when it stopped after it (the statement ends
    /// too early: `runtime =`, `read`), the statement itself.
    fn error(&self, alone: &str, statement: &Range<usize>, error: pest::error::Error<super::Rule>) -> Diagnostic {
        let written = &self.piece[statement.clone()];
        if position(&error) < statement.start + written.trim_end().len() {
            let whole = Span::new(self.file, self.start, self.start + alone.len());
            return syntax_error(whole, alone, self.cut, error);
        }
        let text = written.trim();
        let from = self.start + statement.start + (written.len() - written.trim_start().len());
        let span = Span::new(self.file, from, from + text.len());
        let shown = if text.chars().count() <= 40 { format!("`{text}`") } else { "this statement".into() };
        if text.ends_with('=') {
            return Diagnostic::new(Code::Syntax, span, format!("{shown} has no value"))
                .label("value missing")
                .help("write the value after `=`, or remove the line");
        }
        Diagnostic::new(Code::Syntax, span, format!("{shown} is not a whole statement"))
            .label("incomplete")
            .help("finish it or remove it: an attribute is written `name = value`, a verb `VERB TARGET`, a trigger `on SOURCE`")
    }
}

/// The byte ranges of the statements of the block at `within` of `piece`
/// (an item, or a block or value inside one), each whole lines with their
/// newline: a line, or the lines to where the brackets it opens close.
/// `None` when the block is not a first line ending in `{` or `[`, a body,
/// and a line holding only the closing bracket (comments and blank lines
/// may follow), when a bracket of the body is never closed, or when the
/// body holds more than [`MAX_STATEMENTS`].
fn statements(piece: &str, within: Range<usize>) -> Option<Vec<Range<usize>>> {
    let lines: Vec<Range<usize>> =
        lines(&piece[within.clone()]).into_iter().map(|l| l.start + within.start..l.end + within.start).collect();
    let header = lines.first()?;
    if !piece[header.clone()].trim_end().ends_with(['{', '[']) {
        return None;
    }
    let closing = lines.iter().rposition(|l| !is_blank(&piece[l.clone()]))?;
    if closing == 0 || !matches!(piece[lines[closing].clone()].trim(), "}" | "]" | "}," | "],") {
        return None;
    }
    let mut statements = Vec::new();
    let mut open: Option<usize> = None;
    let mut depth = 0i32;
    for line in &lines[1..closing] {
        let text = &piece[line.clone()];
        if open.is_none() && is_blank(text) {
            continue;
        }
        let from = *open.get_or_insert(line.start);
        let (net, comma) = brackets(text);
        depth += net;
        // A list of targets goes on after a comma at the end of a line.
        if depth <= 0 && !comma {
            statements.push(from..line.end);
            open = None;
            depth = 0;
        }
    }
    // A bracket left open to the end would take the statements after it.
    (open.is_none() && statements.len() <= MAX_STATEMENTS).then_some(statements)
}

/// Each line's byte range, with its newline.
fn lines(piece: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, _) in piece.match_indices('\n') {
        out.push(from..i + 1);
        from = i + 1;
    }
    if from < piece.len() {
        out.push(from..piece.len());
    }
    out
}

/// A line with nothing but spaces or a comment.
fn is_blank(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with('#') || line.starts_with("//")
}

/// Brackets a line opens minus those it closes, outside strings and
/// comments, and whether its code ends with a comma.
fn brackets(line: &str) -> (i32, bool) {
    let mut net = 0;
    let mut in_string = false;
    let mut last = b' ';
    let mut bytes = line.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' if in_string => {
                bytes.next();
            }
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'#' => break,
            b'/' if bytes.peek() == Some(&b'/') => break,
            b'{' | b'[' | b'(' => net += 1,
            b'}' | b']' | b')' => net -= 1,
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
    }
    (net, last == b',' && !in_string)
}

/// `piece` with the bytes of `ranges` made spaces, newlines kept.
fn blanked(piece: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = piece.as_bytes().to_vec();
    for range in ranges {
        for b in &mut bytes[range.clone()] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Whole lines are blanked, so no character is cut.
    String::from_utf8(bytes).unwrap_or_else(|_| piece.to_string())
}

/// The first word of a statement, if it starts with one.
fn first_word(file: FileId, start: usize, piece: &str, statement: &Range<usize>) -> Option<Ident> {
    let text = &piece[statement.clone()];
    let from = text.len() - text.trim_start().len();
    let word: &str = &text[from..]
        [..text[from..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len() - from)];
    let at = start + statement.start + from;
    (!word.is_empty()).then(|| Ident { text: word.to_string(), span: Span::new(file, at, at + word.len()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_lines_or_the_lines_their_brackets_hold() {
        let piece =
            "function f {\n  runtime = \"x\"\n\n  # a comment\n  env = {\n    A = \"{\"\n  }\n  read t\n}\n# after\n";
        let found: Vec<&str> =
            statements(piece, 0..piece.len()).expect("a body").into_iter().map(|r| &piece[r]).collect();
        assert_eq!(found, ["  runtime = \"x\"\n", "  env = {\n    A = \"{\"\n  }\n", "  read t\n"]);
        let env = piece.find("  env").expect("env")..piece.find("  read").expect("read");
        let inner: Vec<&str> = statements(piece, env).expect("a value").into_iter().map(|r| &piece[r]).collect();
        assert_eq!(inner, ["    A = \"{\"\n"]);
        let whole = |p: &'static str| statements(p, 0..p.len());
        assert_eq!(whole("queue q { a = 1 }\n"), None, "one line");
        assert_eq!(whole("function f {\n  a = 1\n  }  b = 2\n"), None, "no closing line");
        assert_eq!(whole("network n {\n  a = [1\n  b = [2]\n}\n"), None, "a list never closed");
        let listed = "function f {\n  send a, # more below\n    b\n  read t\n}\n";
        let found: Vec<&str> = whole(listed).expect("a body").into_iter().map(|r| &listed[r]).collect();
        assert_eq!(found, ["  send a, # more below\n    b\n", "  read t\n"], "targets go on after a comma");
    }

    #[test]
    fn blanking_keeps_every_byte_where_it_was() {
        let piece = "f {\n  é = 1\n}\n";
        let statement = statements(piece, 0..piece.len()).expect("a body");
        let blank = blanked(piece, &statement);
        assert_eq!(blank.len(), piece.len());
        assert_eq!(blank, format!("f {{\n{}\n}}\n", " ".repeat("  é = 1".len())));
    }
}
