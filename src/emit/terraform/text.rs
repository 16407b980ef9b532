//! Terraform text written straight into `terraform fmt` layout: blocks,
//! arguments, objects, lists, calls and quoted strings go in as they are
//! printed, and each line is laid out as it ends, so no tree of the
//! configuration is built and no printed line is read again.
//!
//! `terraform fmt` runs HashiCorp's `hclwrite` formatter (hashicorp/hcl,
//! `hclwrite/format.go`); [`Text`] keeps its line rules:
//!
//! - **Blank lines**: one between two top-level blocks, before a nested
//!   block that follows an argument, and after a nested block that anything
//!   follows. An empty block is `name {}`.
//! - **Indentation** (`formatIndent`): two spaces per level. A line that
//!   opens more brackets than it closes opens one level; a line that closes
//!   more closes the levels those brackets opened. The writer counts the
//!   brackets it writes, so strings (whose `${...}` are balanced) never
//!   count.
//! - **Alignment** (`formatCells`): a line is an *assignment* when an `=`
//!   follows its first token and the brackets from that `=` to the end of
//!   the line balance (`a = 1`, `a = { b = 2 }`; not `a = {`). In a run of
//!   consecutive assignments every `=` stands one space after the widest
//!   key, widths counted in grapheme clusters. Any other line ends the run.
//!
//! Lists are written on one line; an object outside a call (`tags = {`)
//! takes a line per entry, one inside a call (`jsonencode({ a = 1 })`)
//! stays on one line. Identifiers are sanitized and keys quoted where they
//! are not identifiers, as hcl-rs does (`plan::terraform` and the tests
//! read the text back with it).

use crate::emit::words;
use std::fmt::Write as _;
use unicode_segmentation::UnicodeSegmentation;

/// Where the writer is between blocks and arguments: what decides the
/// blank lines.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum State {
    #[default]
    Initial,
    /// After `name {`, before the body's first line.
    BodyStart,
    Attribute,
    AttributeEnd,
    Block,
    BlockEnd,
}

/// Top-level blocks in `terraform fmt` layout.
#[derive(Default)]
pub struct Text {
    out: String,
    /// The lines of the open run of assignments, then the line being
    /// written (from `line_start`), each without its indentation: a line
    /// is written here once and copied once, into `out`, laid out.
    pending: String,
    line_start: usize,
    /// Brackets the line opened minus those it closed.
    net: i32,
    /// Where the line's first `=` is in `pending` (the end of its key) and
    /// `net` there.
    equals: Option<(usize, i32)>,
    /// Brackets opened by each open indentation level (`hclwrite`'s stack).
    levels: Vec<i32>,
    /// The run of assignment lines waiting for its widest key.
    run: Vec<Row>,
    widest: usize,
    state: State,
    /// Blocks open.
    depth: usize,
    /// Calls open: objects in a call stay on one line.
    calls: u32,
}

/// An identifier to write (a block type, an argument's name): one the
/// compiler spells itself, written as it is, or one given by a kind's
/// declaration or the app, sanitized as [`Text::ident`] does. Only a
/// `'static` text can be the compiler's own ([`From<&'static str>`]); a
/// name made at run time must say it is given. Checking the compiler's
/// own names again at every use cost 3.6% of the instructions of
/// `build --target terraform` (docs/performance.md); debug builds, the
/// tests', still check them.
#[derive(Clone, Copy)]
pub enum Identifier<'a> {
    Own(&'static str),
    Given(&'a str),
}

impl From<&'static str> for Identifier<'_> {
    fn from(name: &'static str) -> Self {
        Identifier::Own(name)
    }
}

/// A name the layer holds: borrowed, it is the compiler's own.
impl<'a> From<&'a std::borrow::Cow<'static, str>> for Identifier<'a> {
    fn from(name: &'a std::borrow::Cow<'static, str>) -> Self {
        match name {
            std::borrow::Cow::Borrowed(own) => Identifier::Own(own),
            std::borrow::Cow::Owned(given) => Identifier::Given(given),
        }
    }
}

/// An assignment line of the open run, in `pending`: the key at
/// `start..key_end`, then ` = ` and the rest to `end`; `indent` spaces
/// go before it and `columns` is the key's width with them.
struct Row {
    start: usize,
    key_end: usize,
    end: usize,
    indent: usize,
    columns: usize,
}

impl Text {
    /// `ident "label" ... {`; its body follows.
    pub fn open_block<'a>(&mut self, ident: impl Into<Identifier<'a>>, labels: &[&str]) {
        self.before(State::Block);
        self.identifier(ident.into());
        for label in labels {
            self.pending.push(' ');
            self.string(label);
        }
        self.pending.push_str(" {");
        self.net += 1;
        self.depth += 1;
        self.state = State::BodyStart;
    }

    /// The `}` of the innermost open block.
    pub fn close_block(&mut self) {
        self.depth -= 1;
        // An empty block is `name {}`, at any depth, as `terraform fmt` writes it.
        self.close('}');
        self.end_line();
        self.state = State::BlockEnd;
    }

    /// `key = `; the value follows, then [`Text::end_attribute`].
    pub fn attribute<'a>(&mut self, key: impl Into<Identifier<'a>>) {
        self.before(State::Attribute);
        self.identifier(key.into());
        self.equals();
    }

    pub fn end_attribute(&mut self) {
        self.end_line();
        self.state = State::AttributeEnd;
    }

    /// `key = value` of a value written by `value`.
    pub fn argument<'a>(&mut self, key: impl Into<Identifier<'a>>, value: impl FnOnce(&mut Text)) {
        self.attribute(key);
        value(self);
        self.end_attribute();
    }

    /// Code without brackets: a traversal, a number, `true`.
    pub fn code(&mut self, code: &str) {
        self.pending.push_str(code);
    }

    /// An integer.
    pub fn int(&mut self, n: i64) {
        self.pending.push_str(itoa::Buffer::new().format(n));
    }

    /// An [`Identifier`]: the compiler's own as it is, a given one sanitized.
    pub fn identifier(&mut self, name: Identifier) {
        match name {
            Identifier::Own(own) => {
                debug_assert!(is_plain_ident(own), "the compiler's own name `{own}` is not an identifier");
                self.pending.push_str(own);
            }
            Identifier::Given(given) => self.ident(given),
        }
    }

    /// An identifier as hcl-rs writes one: invalid characters become `_`.
    pub fn ident(&mut self, ident: &str) {
        if is_plain_ident(ident) {
            self.pending.push_str(ident);
        } else {
            self.pending.push_str(hcl::Identifier::sanitized(ident).as_str());
        }
    }

    /// An opening bracket: `{`, `[` or `(`.
    pub fn open(&mut self, bracket: char) {
        self.pending.push(bracket);
        self.net += 1;
    }

    /// A closing bracket: `}`, `]` or `)`.
    pub fn close(&mut self, bracket: char) {
        self.pending.push(bracket);
        self.net -= 1;
    }

    /// `name(`: what follows up to [`Text::close_call`] is its arguments,
    /// on one line.
    pub fn open_call(&mut self, name: &str) {
        self.pending.push_str(name);
        self.open('(');
        self.calls += 1;
    }

    pub fn close_call(&mut self) {
        self.calls -= 1;
        self.close(')');
    }

    /// `{`: entries follow, each begun with [`Text::entry`], then
    /// [`Text::close_object`].
    pub fn open_object(&mut self) -> Object {
        self.open('{');
        Object { first: true }
    }

    /// An object entry's key and ` = `: on its own line outside calls,
    /// after `, ` inside one. The key is bare where it is an identifier.
    pub fn entry(&mut self, object: &mut Object, key: &str) {
        if self.calls > 0 {
            self.pending.push_str(if object.first { " " } else { ", " });
        } else {
            self.end_line();
        }
        object.first = false;
        if is_object_key(key) {
            self.pending.push_str(key);
        } else {
            self.string(key);
        }
        self.equals();
    }

    pub fn close_object(&mut self, object: Object) {
        if !object.first {
            if self.calls > 0 {
                self.pending.push(' ');
            } else {
                self.end_line();
            }
        }
        self.close('}');
    }

    /// `" = "`, remembered when it is the line's first.
    fn equals(&mut self) {
        if self.equals.is_none() {
            self.equals = Some((self.pending.len(), self.net));
        }
        self.pending.push_str(" = ");
    }

    /// A quoted string: `${` and `%{` escaped as `$${` and `%%{`, quotes,
    /// backslashes and control characters as in JSON.
    /// A list of strings on one line: `["a", "b"]`.
    pub fn strings<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) {
        self.open('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.code(", ");
            }
            self.string(item);
        }
        self.close(']');
    }

    pub fn string(&mut self, s: &str) {
        self.pending.push('"');
        if plain(s, &STRING_SPECIAL, string_special) {
            self.pending.push_str(s);
        } else {
            let marked = escape_markers(s);
            escape_json(&mut self.pending, &marked);
        }
        self.pending.push('"');
    }

    /// A template string's opening quote; literals and interpolations
    /// follow, then [`Text::close_template`].
    pub fn open_template(&mut self) {
        self.pending.push('"');
    }

    /// A template's literal: quotes, backslashes and control characters
    /// escaped, then `${` and `%{`.
    pub fn template_literal(&mut self, s: &str) {
        if plain(s, &TEMPLATE_SPECIAL, template_special) {
            self.pending.push_str(s);
            return;
        }
        let escaped = escape_literal(s);
        self.pending.push_str(&escape_markers(&escaped));
    }

    pub fn open_interpolation(&mut self) {
        self.pending.push_str("${");
    }

    pub fn close_interpolation(&mut self) {
        self.pending.push('}');
    }

    pub fn close_template(&mut self) {
        self.pending.push('"');
    }

    /// An empty text written into `buffer`, whose room it keeps.
    pub fn reusing(mut buffer: String) -> Text {
        buffer.clear();
        Text { out: buffer, ..Text::default() }
    }

    /// The text laid out, ending in a newline after the last block.
    pub fn finish(mut self) -> String {
        if self.pending.len() > self.line_start {
            self.end_line();
        }
        self.close_run();
        self.out
    }

    /// What comes before a block or an argument: the end of the line that
    /// opened the body, or a blank line (hcl-rs's rules, which are
    /// `terraform fmt`'s for what the emitter writes).
    fn before(&mut self, next: State) {
        match (self.state, next) {
            (State::BodyStart, _) => self.end_line(),
            (State::AttributeEnd, State::Block) | (State::BlockEnd, _) => {
                self.close_run();
                self.out.push('\n');
            }
            _ => {}
        }
        self.state = next;
    }

    /// Lays out the line written: indents it, and holds it in the run when
    /// it is an assignment.
    fn end_line(&mut self) {
        let indent = self.indent(self.net);
        match self.equals {
            Some((key_end, before)) if before == self.net => self.add_row(indent, key_end),
            _ => {
                self.write_run();
                push_spaces(&mut self.out, indent);
                self.out.push_str(&self.pending[self.line_start..]);
                self.out.push('\n');
                self.pending.clear();
            }
        }
        self.line_start = self.pending.len();
        self.net = 0;
        self.equals = None;
    }

    /// `hclwrite`'s indentation of a line whose brackets net to `net`.
    fn indent(&mut self, net: i32) -> usize {
        if net > 0 {
            let indent = 2 * self.levels.len();
            self.levels.push(net);
            return indent;
        }
        let mut closed = -net;
        while closed > 0 {
            let Some(top) = self.levels.last_mut() else { break };
            if closed < *top {
                *top -= closed;
                closed = 0;
            } else {
                closed -= *top;
                self.levels.pop();
            }
        }
        2 * self.levels.len()
    }

    /// The line joins the run where it was written; its key ends at byte
    /// `key_end` of `pending`.
    fn add_row(&mut self, indent: usize, key_end: usize) {
        let columns = indent + columns(&self.pending[self.line_start..key_end]);
        self.widest = self.widest.max(columns);
        self.run.push(Row { start: self.line_start, key_end, end: self.pending.len(), indent, columns });
    }

    /// Writes the run and empties `pending`, between two lines.
    fn close_run(&mut self) {
        debug_assert_eq!(self.line_start, self.pending.len(), "a run closes between lines");
        self.write_run();
        self.pending.clear();
        self.line_start = 0;
    }

    /// Writes the run's lines, every `=` one space after the widest key.
    fn write_run(&mut self) {
        for row in &self.run {
            push_spaces(&mut self.out, row.indent);
            self.out.push_str(&self.pending[row.start..row.key_end]);
            // The rest starts at the `=`, after the one space `equals` wrote.
            push_spaces(&mut self.out, self.widest - row.columns + 1);
            self.out.push_str(&self.pending[row.key_end + 1..row.end]);
            self.out.push('\n');
        }
        self.run.clear();
        self.widest = 0;
    }
}

/// The finished texts of consecutive runs of top-level blocks, as one
/// [`Text`] would have printed them all: a blank line between two that
/// are not empty, and a newline at the end. Each is a part of the file,
/// written in turn; none is copied into another.
pub fn join(texts: Vec<String>) -> Vec<String> {
    let mut parts: Vec<String> = Vec::with_capacity(2 * texts.len());
    for text in texts.into_iter().filter(|text| !text.is_empty()) {
        if !parts.is_empty() {
            parts.push("\n".to_string());
        }
        parts.push(text);
    }
    if parts.is_empty() {
        parts.push("\n".to_string());
    }
    parts
}

/// An object being written: whether an entry has been.
pub struct Object {
    first: bool,
}

/// An ASCII identifier: what hcl-rs writes as it is.
fn is_plain_ident(s: &str) -> bool {
    let bytes = s.as_bytes();
    matches!(bytes.first(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_')) && bytes.iter().all(|&b| IDENT[usize::from(b)])
}

/// Bytes an ASCII identifier may hold after its first.
const IDENT: [bool; 256] = {
    let mut set = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        set[i] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        i += 1;
    }
    set
};

/// hcl-rs's test for a key it writes bare: an identifier, not a keyword.
fn is_object_key(s: &str) -> bool {
    let ident = if s.is_ascii() { is_plain_ident(s) } else { hcl::Identifier::new(s).is_ok() };
    ident && !matches!(s, "true" | "false" | "null" | "for")
}

/// Bytes a quoted string cannot hold as they are: control characters,
/// quotes, backslashes, and `$`/`%` which may start a marker.
const STRING_SPECIAL: [bool; 256] = special(false);

/// The same for a template's literals, which also escape Unicode's other
/// control characters (DEL and the C1 controls, whose UTF-8 starts 0xC2).
const TEMPLATE_SPECIAL: [bool; 256] = special(true);

/// [`STRING_SPECIAL`] eight bytes at a time.
fn string_special(word: u64) -> u64 {
    words::json_escaped(word) | words::bytes_equal(word, b'$') | words::bytes_equal(word, b'%')
}

/// [`TEMPLATE_SPECIAL`] eight bytes at a time.
fn template_special(word: u64) -> u64 {
    string_special(word) | words::bytes_equal(word, 0x7f) | words::bytes_equal(word, 0xc2)
}

/// Whether no byte of `s` is in `table`: a text shorter than a word byte
/// by byte, a longer one a word at a time (`marks`, the same set).
fn plain(s: &str, table: &[bool; 256], marks: fn(u64) -> u64) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() < 8 {
        bytes.iter().all(|&b| !table[usize::from(b)])
    } else {
        words::none_marked(bytes, marks)
    }
}

const fn special(template: bool) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        set[i] = true;
        i += 1;
    }
    set[b'"' as usize] = true;
    set[b'\\' as usize] = true;
    set[b'$' as usize] = true;
    set[b'%' as usize] = true;
    if template {
        set[0x7f] = true;
        set[0xc2] = true;
    }
    set
}

/// `${` and `%{` doubled to `$${` and `%%{`, read in pairs as hcl-rs does
/// (so `$${` stays as it is).
fn escape_markers(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.as_bytes().windows(2).any(|w| matches!(w, b"${" | b"%{")) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '$' && c != '%' {
            continue;
        }
        match chars.next() {
            Some(next) => {
                if next == '{' {
                    out.push(c);
                }
                out.push(next);
            }
            None => break,
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON's escapes: `\"`, `\\`, `\n`, `\r`, `\t`, `\u00XX`.
fn escape_json(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A template literal's escapes: JSON's, and every Unicode control
/// character as `\uXXXX`.
fn escape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The width of `text` as `hclwrite` counts it: grapheme clusters.
fn columns(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.graphemes(true).count()
    }
}

fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let chunk = n.min(SPACES.len());
        out.push_str(&SPACES[..chunk]);
        n -= chunk;
    }
}

#[cfg(test)]
mod tests {
    use super::{string_special, template_special, Text, STRING_SPECIAL, TEMPLATE_SPECIAL};

    /// The word tests mark what the tables hold: each byte value, at each
    /// place of a word of plain bytes.
    #[test]
    fn the_word_tests_mark_the_tables_bytes() {
        for (marks, table) in
            [(string_special as fn(u64) -> u64, &STRING_SPECIAL), (template_special, &TEMPLATE_SPECIAL)]
        {
            for byte in 0..=255u8 {
                for at in 0..8 {
                    let mut word = [b'a'; 8];
                    word[at] = byte;
                    let marked = marks(u64::from_le_bytes(word)) != 0;
                    assert_eq!(marked, table[usize::from(byte)], "byte {byte:#04x} at {at}");
                }
            }
        }
    }

    /// The text `write` makes. Each expected text is in `terraform fmt`
    /// layout (tests/emit_terraform.rs holds whole outputs to it).
    fn text(write: impl FnOnce(&mut Text)) -> String {
        let mut text = Text::default();
        write(&mut text);
        text.finish()
    }

    #[test]
    fn arguments_align_and_blocks_stand_apart() {
        let out = text(|t| {
            t.open_block("resource", &["aws_sqs_queue", "jobs"]);
            t.argument("name", |t| t.string("jobs"));
            t.argument("visibility_timeout_seconds", |t| t.int(30));
            t.open_block("redrive", &[]);
            t.argument("a", |t| t.code("true"));
            t.close_block();
            t.argument("b", |t| t.code("false"));
            t.close_block();
            t.open_block("data", &["aws_region", "current"]);
            t.close_block();
        });
        assert_eq!(
            out,
            "resource \"aws_sqs_queue\" \"jobs\" {\n  name                       = \"jobs\"\n  \
             visibility_timeout_seconds = 30\n\n  redrive {\n    a = true\n  }\n\n  b = false\n}\n\n\
             data \"aws_region\" \"current\" {}\n"
        );
    }

    /// `terraform fmt` writes `name {}` at any depth (hcl-rs put the `}`
    /// after its indentation, which `terraform fmt -check` rejects).
    #[test]
    fn an_empty_nested_block_is_written_as_terraform_fmt_writes_it() {
        let out = text(|t| {
            t.open_block("x", &[]);
            t.open_block("lifecycle", &[]);
            t.close_block();
            t.close_block();
        });
        assert_eq!(out, "x {\n  lifecycle {}\n}\n");
    }

    #[test]
    fn objects_take_a_line_per_entry_except_in_calls() {
        let out = text(|t| {
            t.open_block("x", &[]);
            t.argument("tags", |t| {
                let mut o = t.open_object();
                t.entry(&mut o, "a");
                t.string("1");
                t.entry(&mut o, "lambdaform:app");
                t.string("2");
                t.close_object(o);
            });
            t.argument("policy", |t| {
                t.open_call("jsonencode");
                let mut o = t.open_object();
                t.entry(&mut o, "Version");
                t.string("2012-10-17");
                t.entry(&mut o, "for");
                t.open('[');
                t.close(']');
                t.close_object(o);
                t.close_call();
            });
            t.argument("empty", |t| {
                let o = t.open_object();
                t.close_object(o);
            });
            t.close_block();
        });
        assert_eq!(
            out,
            "x {\n  tags = {\n    a                = \"1\"\n    \"lambdaform:app\" = \"2\"\n  }\n  \
             policy = jsonencode({ Version = \"2012-10-17\", \"for\" = [] })\n  empty  = {}\n}\n"
        );
    }

    #[test]
    fn a_list_of_objects_indents_by_its_brackets() {
        let out = text(|t| {
            t.open_block("x", &[]);
            t.argument("items", |t| {
                t.open('[');
                for key in ["a", "bb"] {
                    if key == "bb" {
                        t.code(", ");
                    }
                    let mut o = t.open_object();
                    t.entry(&mut o, key);
                    t.int(1);
                    t.close_object(o);
                }
                t.close(']');
            });
            t.close_block();
        });
        assert_eq!(out, "x {\n  items = [{\n    a = 1\n    }, {\n    bb = 1\n  }]\n}\n");
    }

    #[test]
    fn strings_and_templates_escape_as_hcl_rs_does() {
        let out = text(|t| {
            t.open_block("x", &[]);
            t.argument("s", |t| t.string("a\"b\\c\n${d} %{e} $${f} \u{1}\u{7f}"));
            t.argument("t", |t| {
                t.open_template();
                t.template_literal("${p}\u{7f}\"");
                t.open_interpolation();
                t.code("var.x");
                t.close_interpolation();
                t.close_template();
            });
            t.close_block();
        });
        assert_eq!(
            out,
            "x {\n  s = \"a\\\"b\\\\c\\n$${d} %%{e} $${f} \\u0001\u{7f}\"\n  t = \"$${p}\\u007f\\\"${var.x}\"\n}\n"
        );
    }

    /// Blocks printed in several texts and joined are the text one
    /// [`Text`] prints: a blank line between blocks, whichever text
    /// holds them, and none for a text with no block.
    #[test]
    fn joined_texts_read_as_one() {
        let block = |t: &mut Text, name: &str| {
            t.open_block("resource", &["aws_sqs_queue", name]);
            t.argument("name", |t| t.string(name));
            t.close_block();
        };
        let whole = text(|t| ["a", "b", "c"].iter().for_each(|name| block(t, name)));
        let parts = super::join(vec![
            text(|t| block(t, "a")),
            String::new(),
            text(|t| {
                block(t, "b");
                block(t, "c");
            }),
        ]);
        assert_eq!(parts.concat(), whole);
        assert_eq!(super::join(vec![String::new()]).concat(), "\n");
    }

    /// Given names are sanitized, and so is a name the layer owns (a
    /// kind's declaration gave it); only a borrowed one is the compiler's.
    #[test]
    fn identifiers_are_sanitized() {
        let declared: std::borrow::Cow<'static, str> = std::borrow::Cow::Owned("c d".to_string());
        let out = text(|t| {
            t.open_block("x", &["label with space"]);
            t.argument(super::Identifier::Given("a b"), |t| t.code("1"));
            t.argument(&declared, |t| t.code("2"));
            t.close_block();
        });
        assert_eq!(out, "x \"label with space\" {\n  a_b = 1\n  c_d = 2\n}\n");
    }
}
