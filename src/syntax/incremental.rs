//! Parsing a file again after an edit, item by item: the items before the
//! edit and after it are taken from the previous parse (those after it
//! with every span moved by the edit's change of length), and only the
//! items the edit touched are read again.
//!
//! Why the result is the one [`super::parse`] gives: what reading one
//! segment adds (an item, a name that failed to parse, diagnostics)
//! depends only on the file, the segment's start, its text and whether
//! text follows it (`read_segment`). Where the segments are cut is found
//! by a scan that, at the start of an item, forgets everything before it.
//! So the scan of the new text starts at the last old item whose header
//! line lies wholly before the first changed byte (the text before it and
//! its header are unchanged, so it starts an item there too), and stops at
//! the first item start in the unchanged tail of the text where an old
//! item started too (the scans read the same bytes from there on).

use super::{read_segment, scan, Segment};
use crate::ast::{AllowPrincipal, Body, Entry, File, Ident, Item, Statement, Value, ValueKind};
use crate::diagnostic::{Diagnostic, Edit};
use crate::source::{FileId, Span};
use std::sync::Arc;

/// A file's syntax tree and syntax errors, with what each top-level item
/// added to them, so that the next parse can take them again.
/// The tree is shared with the checks that read it; when none holds it any
/// more, the next parse takes its items without copying them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parse {
    pub ast: Arc<File>,
    pub errors: Vec<Diagnostic>,
    reads: Vec<Read>,
}

/// A parse being put together.
#[derive(Default)]
struct Builder {
    ast: File,
    errors: Vec<Diagnostic>,
    reads: Vec<Read>,
}

/// One segment and how many items, unparsed names, broken statements and
/// errors it added.
#[derive(Clone, Debug, PartialEq)]
struct Read {
    segment: Segment,
    items: usize,
    unparsed: usize,
    broken: usize,
    errors: usize,
}

impl Parse {
    /// The whole of `text`, parsed as [`super::parse`] parses it.
    pub fn new(file: FileId, text: &str) -> Parse {
        let mut parse = Builder::default();
        for segment in scan(text, 0, |_| false).0 {
            parse.read(file, text, segment);
        }
        parse.done()
    }

    /// The parse of `text`, which this parse's `old_text` became by an edit:
    /// the same as [`Parse::new`]'s, reading again only the items the
    /// edit touched.
    pub fn edited(self, file: FileId, old_text: &str, text: &str) -> Parse {
        let same_head = common_prefix(old_text.as_bytes(), text.as_bytes());
        let most = old_text.len().min(text.len()) - same_head;
        let same_tail = common_suffix(old_text.as_bytes(), text.as_bytes(), most);
        // The old items whose header line ends before the first changed
        // byte; the last of them is read again, from its start.
        let kept = self.reads.iter().take_while(|r| header_end(old_text, r.segment.start) < same_head).count();
        let from = kept.checked_sub(1).map_or(0, |last| self.reads[last].segment.start);
        let tail_from = text.len() - same_tail;
        let moved = |at: usize| at as i64 - text.len() as i64 + old_text.len() as i64;
        let starts_old = |at: usize| self.reads.binary_search_by_key(&(moved(at) as usize), |r| r.segment.start).ok();
        let (fresh, stopped) = scan(text, from, |at| at >= tail_from && starts_old(at).is_some());
        let resumed = stopped.and_then(starts_old).unwrap_or(self.reads.len());

        let shift = text.len() as i64 - old_text.len() as i64;
        let (mut reads, mut old) = Taken::new(self);
        let mut out = Builder::default();
        for read in reads.by_ref().take(kept.saturating_sub(1)) {
            out.take(read, &mut old, 0);
        }
        for read in reads.by_ref().take(resumed - kept.saturating_sub(1)) {
            old.items.by_ref().take(read.items).for_each(drop);
            old.unparsed.by_ref().take(read.unparsed).for_each(drop);
            old.broken.by_ref().take(read.broken).for_each(drop);
            old.errors.by_ref().take(read.errors).for_each(drop);
        }
        for segment in fresh {
            out.read(file, text, segment);
        }
        for read in reads {
            out.take(read, &mut old, shift);
        }
        out.done()
    }
}

impl Builder {
    fn done(self) -> Parse {
        Parse { ast: Arc::new(self.ast), errors: self.errors, reads: self.reads }
    }

    fn read(&mut self, file: FileId, text: &str, segment: Segment) {
        let (items, unparsed, broken, errors) =
            (self.ast.items.len(), self.ast.unparsed.len(), self.ast.broken.len(), self.errors.len());
        read_segment(file, text, &segment, &mut self.ast, &mut self.errors);
        self.reads.push(Read {
            segment,
            items: self.ast.items.len() - items,
            unparsed: self.ast.unparsed.len() - unparsed,
            broken: self.ast.broken.len() - broken,
            errors: self.errors.len() - errors,
        });
    }

    /// Takes what an old read added, its spans moved by `shift` bytes.
    fn take(&mut self, mut read: Read, old: &mut Taken, shift: i64) {
        let by = |at: usize| (at as i64 + shift) as usize;
        read.segment = Segment {
            start: by(read.segment.start),
            end: by(read.segment.end),
            // Where the deepest bracket is: 0 when there is none.
            deep_at: if read.segment.depth > 0 { by(read.segment.deep_at) } else { 0 },
            depth: read.segment.depth,
        };
        self.ast.items.extend(old.items.by_ref().take(read.items).map(|mut item| {
            item_spans(&mut item, &mut |span| move_span(span, shift));
            item
        }));
        let moved = |mut name: Ident| {
            move_span(&mut name.span, shift);
            name
        };
        self.ast.unparsed.extend(old.unparsed.by_ref().take(read.unparsed).map(moved));
        self.ast.broken.extend(old.broken.by_ref().take(read.broken).map(moved));
        self.errors.extend(old.errors.by_ref().take(read.errors).map(|mut error| {
            diagnostic_spans(&mut error, &mut |span| move_span(span, shift));
            error
        }));
        self.reads.push(read);
    }
}

/// What an old parse's reads added, taken apart, each part in order.
struct Taken {
    items: std::vec::IntoIter<Item>,
    unparsed: std::vec::IntoIter<Ident>,
    broken: std::vec::IntoIter<Ident>,
    errors: std::vec::IntoIter<Diagnostic>,
}

impl Taken {
    /// The old parse's reads, and what they added.
    fn new(parse: Parse) -> (std::vec::IntoIter<Read>, Taken) {
        let ast = Arc::try_unwrap(parse.ast).unwrap_or_else(|shared| (*shared).clone());
        let taken = Taken {
            items: ast.items.into_iter(),
            unparsed: ast.unparsed.into_iter(),
            broken: ast.broken.into_iter(),
            errors: parse.errors.into_iter(),
        };
        (parse.reads.into_iter(), taken)
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// How many last bytes `a` and `b` share, at most `most`.
fn common_suffix(a: &[u8], b: &[u8], most: usize) -> usize {
    a.iter().rev().zip(b.iter().rev()).take(most).take_while(|(x, y)| x == y).count()
}

/// Where the line of an item starting at `start` ends (its `\n`), or the
/// text's end: the scan looks that far to decide the item starts there.
fn header_end(text: &str, start: usize) -> usize {
    text[start..].find('\n').map_or(text.len(), |i| start + i)
}

fn move_span(span: &mut Span, shift: i64) {
    span.start = (span.start as i64 + shift) as u32;
    span.end = (span.end as i64 + shift) as u32;
}

/// Calls `f` on every span of `item`.
fn item_spans(item: &mut Item, f: &mut impl FnMut(&mut Span)) {
    match item {
        Item::App { name, body } => {
            f(&mut name.span);
            body_spans(body, f);
        }
        Item::Existing { kind, name, target, body, span } => {
            f(&mut kind.span);
            f(&mut name.span);
            value_spans(target, f);
            if let Some(body) = body {
                body_spans(body, f);
            }
            f(span);
        }
        Item::Block { kind, name, body } => {
            f(&mut kind.span);
            f(&mut name.span);
            body_spans(body, f);
        }
    }
}

fn body_spans(body: &mut Body, f: &mut impl FnMut(&mut Span)) {
    f(&mut body.span);
    for statement in &mut body.statements {
        statement_spans(statement, f);
    }
}

fn statement_spans(statement: &mut Statement, f: &mut impl FnMut(&mut Span)) {
    match statement {
        Statement::Assignment { name, value } => {
            f(&mut name.span);
            value_spans(value, f);
        }
        Statement::Trigger { source, route, options, span } => {
            f(&mut source.span);
            route.iter_mut().chain(options.iter_mut()).for_each(|v| value_spans(v, f));
            f(span);
        }
        Statement::Mount { target, path, readonly: _, span } => {
            f(&mut target.span);
            value_spans(path, f);
            f(span);
        }
        Statement::Allow { principal, span } => {
            match principal {
                AllowPrincipal::Account(v) | AllowPrincipal::Role(v) | AllowPrincipal::Organization(v) => {
                    value_spans(v, f)
                }
                AllowPrincipal::Service { service, source } => {
                    value_spans(service, f);
                    source.iter_mut().for_each(|v| value_spans(v, f));
                }
            }
            f(span);
        }
        Statement::Nested { kind, name, body } => {
            f(&mut kind.span);
            name.iter_mut().for_each(|n| f(&mut n.span));
            body_spans(body, f);
        }
        Statement::Edge { verb, targets, user } => {
            f(&mut verb.span);
            targets.iter_mut().for_each(|t| f(&mut t.span));
            user.iter_mut().for_each(|v| value_spans(v, f));
        }
    }
}

fn value_spans(value: &mut Value, f: &mut impl FnMut(&mut Span)) {
    f(&mut value.span);
    match &mut value.kind {
        ValueKind::List(values) => values.iter_mut().for_each(|v| value_spans(v, f)),
        ValueKind::Object(entries) => {
            for Entry { key, value } in entries {
                f(&mut key.span);
                value_spans(value, f);
            }
        }
        ValueKind::Reference(name, attr) => {
            f(&mut name.span);
            attr.iter_mut().for_each(|a| f(&mut a.span));
        }
        ValueKind::String(_)
        | ValueKind::Integer(_)
        | ValueKind::Duration(..)
        | ValueKind::Size(..)
        | ValueKind::Bool(_) => {}
    }
}

fn diagnostic_spans(diagnostic: &mut Diagnostic, f: &mut impl FnMut(&mut Span)) {
    f(&mut diagnostic.primary.span);
    diagnostic.secondary.iter_mut().for_each(|label| f(&mut label.span));
    for fix in &mut diagnostic.fixes {
        match &mut fix.edit {
            Edit::Replace { span, .. } => f(span),
            Edit::AddStatement { block, .. } => f(block),
            Edit::AddItem { before, .. } => f(before),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn file() -> FileId {
        Sources::default().add("main.lf", "")
    }

    /// Parses `old`, edits it into `new` and checks the item-by-item
    /// parse against a whole one: the same tree, errors and segments.
    fn same_as_whole(old: &str, new: &str) -> Parse {
        let edited = Parse::new(file(), old).edited(file(), old, new);
        let whole = Parse::new(file(), new);
        assert_eq!(edited.ast, whole.ast, "tree of {new:?} (from {old:?})");
        assert_eq!(edited.errors, whole.errors, "errors of {new:?} (from {old:?})");
        assert_eq!(edited.reads, whole.reads, "segments of {new:?} (from {old:?})");
        let (ast, errors) = super::super::parse(file(), new);
        assert_eq!((&*edited.ast, &edited.errors), (&ast, &errors));
        edited
    }

    const APP: &str = "app a { region = \"eu-west-1\" }\n\nqueue jobs {}\n\n\
        function f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code = \"f.zip\"\n  send jobs\n}\n\n\
        # a comment\ntopic alerts { fifo = true }\n\nfunction g {\n  memory = 512MB\n  publish alerts\n}\n";

    #[test]
    fn an_item_that_grows_moves_every_span_after_it() {
        let new = APP.replacen("queue jobs {}", "queue jobs { visibility_timeout = 40s }", 1);
        let edited = same_as_whole(APP, &new);
        let Item::Block { name, .. } = edited.ast.items.last().unwrap() else { panic!() };
        assert_eq!(&new[name.span.range()], "g");
    }

    #[test]
    fn an_item_that_shrinks_moves_every_span_after_it_back() {
        same_as_whole(APP, &APP.replacen("  runtime = \"python3.12\"\n", "", 1));
        same_as_whole(APP, &APP.replacen("512MB", "1024MB", 1));
        same_as_whole(&APP.replacen("512MB", "1024MB", 1), APP);
    }

    #[test]
    fn items_merged_and_split() {
        // The `}` of `f` removed: `f` runs on to the next item header.
        same_as_whole(APP, &APP.replacen("  send jobs\n}\n", "  send jobs\n\n", 1));
        same_as_whole(&APP.replacen("  send jobs\n}\n", "  send jobs\n\n", 1), APP);
        // An item cut in two by a header typed in its middle.
        same_as_whole(APP, &APP.replacen("  code = ", "}\nqueue more {\n  code = ", 1));
        // Two items joined on one line.
        same_as_whole(APP, &APP.replacen("}\n\n# a comment\ntopic", "} topic", 1));
    }

    #[test]
    fn strings_and_comments_that_swallow_or_release_the_next_lines() {
        // An unclosed string ends at its line; an escaped newline runs on.
        same_as_whole(APP, &APP.replacen("\"f.zip\"", "\"f.zip", 1));
        same_as_whole(APP, &APP.replacen("\"f.zip\"", "\"f.zip\\", 1));
        same_as_whole(APP, &APP.replacen("queue jobs {}", "queue jobs {} \"open \\", 1));
        // A comment marker before a header, and one taken away.
        same_as_whole(APP, &APP.replacen("\ntopic alerts", "\n# topic alerts", 1));
        same_as_whole(&APP.replacen("\ntopic alerts", "\n# topic alerts", 1), APP);
        same_as_whole(APP, &APP.replacen("# a comment", "a comment", 1));
        // A bracket opened in a string, then the string's quote removed.
        same_as_whole(APP, &APP.replacen("\"app.handler\"", "\"app{handler\"", 1));
        same_as_whole(APP, &APP.replacen("\"app.handler\"", "app{handler\"", 1));
    }

    #[test]
    fn edits_at_the_ends_and_of_the_whole() {
        same_as_whole(APP, &format!("queue first {{}}\n{APP}"));
        same_as_whole(APP, &format!("  {APP}"));
        same_as_whole(APP, &format!("\u{feff}{APP}"));
        same_as_whole(&format!("\u{feff}{APP}"), APP);
        same_as_whole(APP, &format!("{APP}queue last {{"));
        same_as_whole(APP, "");
        same_as_whole("", APP);
        same_as_whole(APP, APP);
        same_as_whole(APP, &APP.replacen("function g", "function g2", 1));
    }

    /// A small deterministic generator (xorshift), so failures repeat.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "",
        "x",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "\\",
        "\n",
        "\r\n",
        "#",
        "// c\n",
        "  ",
        "=",
        ",",
        "1024MB",
        "é",
        "function h {\n",
        "queue q {}\n",
        "\n}\n",
        "existing queue e = \"arn:aws:sqs:eu-west-1:1:q\"\n",
        "  read orders\n",
        "topic t {",
        " x = [1, [2, {a = 3}]]",
        "app b {}",
    ];

    fn random_edit(text: &str, random: &mut Random) -> String {
        let boundary = |mut at: usize| {
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let start = boundary(random.below(text.len() + 1));
        let end = boundary((start + random.below(12)).min(text.len())).max(start);
        let piece = PIECES[random.below(PIECES.len())];
        format!("{}{piece}{}", &text[..start], &text[end..])
    }

    #[test]
    fn many_random_edits_of_the_examples_parse_as_a_whole_parse_does() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let examples = [
            ("orders", include_str!("../../examples/orders/main.lf")),
            ("http_api", include_str!("../../examples/http_api/main.lf")),
            ("order_workflow", include_str!("../../examples/order_workflow/main.lf")),
            ("streams", include_str!("../../examples/streams/main.lf")),
            ("secure_api", include_str!("../../examples/secure_api/main.lf")),
        ];
        for (example, original) in examples {
            let original = original.to_string();
            let mut text = original.clone();
            let mut parse = Parse::new(file(), &text);
            for round in 0..300 {
                let new = if round % 50 == 49 { original.clone() } else { random_edit(&text, &mut random) };
                parse = parse.edited(file(), &text, &new);
                let whole = Parse::new(file(), &new);
                assert!(parse == whole, "{example}, round {round}: {new:?}");
                text = new;
            }
        }
    }
}
