//! The parser of `grammar/lambdaform.pest`. A file is cut into its
//! top-level items first (`cut`), and each item is parsed on its own, so
//! one syntax error never hides the errors of the other items; a long file
//! is cut and read in two halves on two threads.
//!
//! Each item is read by `descent`, a fast transcription of the grammar, and
//! when it declines (a syntax error, or a literal to report) by pest, which
//! decides the error, which `errors` words: pest's rule names become words
//! a user knows. This file turns pest's pairs into the syntax tree.

mod cut;
mod descent;
mod errors;
mod incremental;
mod mistakes;
mod recover;

use crate::ast::{
    AllowPrincipal, Body, Entry, File, Ident, Item, Statement, Unit, Value, ValueKind, DURATION_UNITS, SIZE_UNITS,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::iterators::Pair;
use pest::Parser as _;

use cut::{header_after, scan, segments, Segment};
use errors::syntax_error;

pub use incremental::Parse;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/lambdaform.pest"]
struct Grammar;

/// Lists and objects nest at most this deep; pest recurses per level.
const MAX_DEPTH: usize = 64;

/// Files at least this long are cut and read on two threads: below it, a
/// thread costs more than the half of the reading it takes over.
const PARALLEL_FROM: usize = 64 * 1024;

/// Parses one file. Items that fail to parse are left out and reported.
///
/// A long file is cut at an item header near its middle and the two halves
/// are cut into segments and read at once, then joined in order: the start
/// of an item resets every state of the cutter (see [`scan`]), so the join
/// is the serial parse, byte for byte.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let Some(middle) = (text.len() >= PARALLEL_FROM).then(|| header_after(text, text.len() / 2)).flatten() else {
        return read_all(file, text, &segments(text));
    };
    let ((first, stopped), (rest, rest_diagnostics)) = crate::parallel::both(
        || {
            let (segments, stopped) = scan(text, 0, |at| at == middle);
            // Room for the second half's items too, which come after these
            // (the halves are cut near the middle byte): joining them then
            // copies nothing of the first half's.
            let mut first = File { items: Vec::with_capacity(2 * segments.len() + 16), ..File::default() };
            let diagnostics = read_into(&mut first, file, text, &segments);
            ((first, diagnostics), stopped)
        },
        || read_all(file, text, &scan(text, middle, |_| false).0),
    );
    let (mut out, mut diagnostics) = first;
    // Nothing open before `middle` (only comments): the first scan read all.
    if stopped == Some(middle) {
        out.items.extend(rest.items);
        out.unparsed.extend(rest.unparsed);
        out.broken.extend(rest.broken);
        diagnostics.extend(rest_diagnostics);
    }
    (out, diagnostics)
}

/// Reads `segments` of `text` in order.
fn read_all(file: FileId, text: &str, segments: &[Segment]) -> (File, Vec<Diagnostic>) {
    let mut out = File::default();
    let diagnostics = read_into(&mut out, file, text, segments);
    (out, diagnostics)
}

/// Reads `segments` of `text` in order into `out`; their errors.
fn read_into(out: &mut File, file: FileId, text: &str, segments: &[Segment]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for segment in segments {
        read_segment(file, text, segment, out, &mut diagnostics);
    }
    diagnostics
}

/// Reads one top-level item of `text` into `out`, its errors into
/// `diagnostics`. What it adds depends on nothing but the file, the
/// segment's start, its text and whether the file goes on after it.
fn read_segment(file: FileId, text: &str, segment: &Segment, out: &mut File, diagnostics: &mut Vec<Diagnostic>) {
    let piece = &text[segment.start..segment.end];
    if segment.depth > MAX_DEPTH {
        out.unparsed.extend(declared_name(file, segment.start, piece));
        diagnostics.push(
            Diagnostic::new(
                Code::TooDeep,
                Span::new(file, segment.deep_at, segment.deep_at + 1),
                format!("lists and objects nest more than {MAX_DEPTH} levels deep"),
            )
            .label("too deep")
            .help("flatten the value; no AWS setting needs this much nesting"),
        );
        return;
    }
    if let Some(item) = descent::item(file, segment.start, piece) {
        out.items.push(item);
        return;
    }
    match read_with_pest(file, segment.start, piece, diagnostics) {
        Ok(item) => out.items.extend(item),
        Err(error) => {
            let cut = segment.end < text.len();
            if let Some(recovered) = recover::item(file, segment.start, piece, cut) {
                out.items.push(recovered.item);
                out.broken.extend(recovered.broken);
                diagnostics.extend(recovered.errors);
                return;
            }
            let span = Span::new(file, segment.start, segment.end);
            diagnostics.push(syntax_error(span, piece, cut, error));
            out.unparsed.extend(declared_name(file, segment.start, piece));
        }
    }
}

/// One item read by pest, `offset` bytes into `file`; the literal errors
/// it finds (an unknown escape, a number over 64 bits) go to `diagnostics`.
fn read_with_pest(
    file: FileId,
    offset: usize,
    piece: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Item>, pest::error::Error<Rule>> {
    let mut pairs = Grammar::parse(Rule::item, piece)?;
    let mut builder = Builder { file, offset, diagnostics };
    Ok(pairs.next().map(|pair| builder.item(pair)))
}

/// Each top-level item of `text` as the fast reader and as pest read it,
/// `None` where one declines (for pest: a syntax error or a literal it
/// reports), for the test that keeps the two in agreement. Items nested
/// deeper than the parser allows are left out.
pub fn both_readings(file: FileId, text: &str) -> Vec<(Option<Item>, Option<Item>)> {
    let readable = segments(text).into_iter().filter(|s| s.depth <= MAX_DEPTH);
    readable
        .map(|segment| {
            let piece = &text[segment.start..segment.end];
            let fast = descent::item(file, segment.start, piece);
            let mut diagnostics = Vec::new();
            let pest = read_with_pest(file, segment.start, piece, &mut diagnostics).ok().flatten();
            (fast, pest.filter(|_| diagnostics.is_empty()))
        })
        .collect()
}

/// The name an item that failed to parse declares, if its header is whole:
/// `KIND NAME {` or `existing KIND NAME =`.
fn declared_name(file: FileId, start: usize, piece: &str) -> Option<Ident> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    while words.len() < 3 {
        at = piece[at..].find(|c: char| !c.is_whitespace()).map_or(piece.len(), |i| at + i);
        let len = piece[at..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(piece.len() - at);
        if len == 0 {
            break;
        }
        words.push((at, &piece[at..at + len]));
        at += len;
    }
    let next = piece[at..].trim_start().chars().next();
    let (name_at, name) = match (words.as_slice(), next) {
        // What a defaults block that does not parse may give is not known:
        // `resolve` reports nothing missing of its kind.
        ([(_, "defaults"), (at, kind)], Some('{')) => {
            let span = Span::new(file, start + at, start + at + kind.len());
            return Some(Ident { text: format!("defaults {kind}"), span });
        }
        ([(_, "existing"), _, name], Some('=')) => *name,
        ([_, name], Some('{')) if words[0].1 != "existing" => *name,
        _ => return None,
    };
    let begins_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    let span = Span::new(file, start + name_at, start + name_at + name.len());
    begins_with_letter.then(|| Ident { text: name.to_string(), span })
}

/// Turns pest pairs into the syntax tree, reporting literal errors.
struct Builder<'d> {
    file: FileId,
    offset: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident { span: self.span(&pair), text: pair.as_str().to_string() }
    }

    fn item(&mut self, pair: Pair<Rule>) -> Item {
        let rule = pair.as_rule();
        let span = self.span(&pair);
        let mut inner = parts(pair);
        let mut next = || inner.next().expect("grammar guarantees the parts of an item");
        match rule {
            Rule::app => {
                let name = self.ident(next());
                let body = self.body(next());
                Item::App { name, body }
            }
            Rule::existing => {
                let kind = self.ident(next());
                let name = self.ident(next());
                let target = self.value(next());
                let body = inner.next().map(|pair| self.body(pair));
                // Up to the target or the body: pest's span also holds the
                // whitespace it skipped looking for a body.
                let end = body.as_ref().map_or(target.span.end, |body| body.span.end);
                let span = Span { end, ..span };
                Item::Existing { kind, name, target, body, span }
            }
            _ => {
                let kind = self.ident(next());
                let name = self.ident(next());
                let body = self.body(next());
                Item::Block { kind, name, body }
            }
        }
    }

    fn body(&mut self, pair: Pair<Rule>) -> Body {
        let span = self.span(&pair);
        let statements = pair.into_inner().map(|p| self.statement(p)).collect();
        Body { statements, span }
    }

    /// A statement's span up to the end of its last part: the whitespace and
    /// comments pest skips before an absent optional part (`on jobs` then a
    /// newline) belong to no statement.
    fn statement_span(&self, pair: &Pair<Rule>) -> Span {
        let mut span = self.span(pair);
        let mut last = pair.clone().into_inner().last();
        while let Some(part) = last {
            span.end = self.span(&part).end;
            let principal = matches!(part.as_rule(), Rule::allow_account | Rule::allow_service);
            last = if principal { part.into_inner().last() } else { None };
        }
        span
    }

    fn statement(&mut self, pair: Pair<Rule>) -> Statement {
        let rule = pair.as_rule();
        let span = self.statement_span(&pair);
        let readonly = pair.clone().into_inner().any(|p| p.as_rule() == Rule::kw_readonly);
        let children: Vec<Pair<Rule>> = parts(pair).collect();
        match rule {
            Rule::assignment => {
                let mut parts = children.into_iter();
                let name = self.ident(parts.next().expect("assignment has a name"));
                let value = self.value(parts.next().expect("assignment has a value"));
                Statement::Assignment { name, value }
            }
            Rule::trigger => {
                let mut parts = children.into_iter();
                let source = self.ident(parts.next().expect("trigger has a source"));
                let (mut route, mut options) = (None, None);
                for part in parts {
                    match part.as_rule() {
                        Rule::string => route = Some(self.value(part)),
                        _ => options = Some(self.value(part)),
                    }
                }
                Statement::Trigger { source, route: route.map(Box::new), options: options.map(Box::new), span }
            }
            Rule::mount => {
                let mut parts = children.into_iter();
                let target = self.ident(parts.next().expect("mount has a target"));
                let path = self.value(parts.next().expect("mount has a path"));
                Statement::Mount { target, path: Box::new(path), readonly, span }
            }
            Rule::allow => {
                let principal = children.into_iter().next().expect("allow has a principal");
                let rule = principal.as_rule();
                let mut values = parts(principal).map(|p| self.value(p));
                let first = values.next().expect("allow names a principal");
                let principal = match rule {
                    Rule::allow_account => AllowPrincipal::Account(first),
                    Rule::allow_role => AllowPrincipal::Role(first),
                    Rule::allow_organization => AllowPrincipal::Organization(first),
                    _ => AllowPrincipal::Service { service: first, source: values.next() },
                };
                Statement::Allow { principal, span }
            }
            Rule::nested => {
                let mut kind = None;
                let mut name = None;
                let mut body = None;
                for part in children {
                    match part.as_rule() {
                        Rule::body => body = Some(self.body(part)),
                        _ if kind.is_none() => kind = Some(self.ident(part)),
                        _ => name = Some(self.ident(part)),
                    }
                }
                Statement::Nested {
                    kind: kind.expect("nested block has a kind"),
                    name,
                    body: body.expect("nested block has a body"),
                }
            }
            _ => {
                // The verb, then the targets and the user in `edge_targets`.
                let parts = children.into_iter().flat_map(|p| match p.as_rule() {
                    Rule::edge_targets => parts(p).collect::<Vec<_>>(),
                    _ => vec![p],
                });
                let (names, user): (Vec<_>, Vec<_>) = parts.partition(|p| p.as_rule() == Rule::name);
                let user = user.into_iter().next().map(|p| self.value(p));
                let mut idents = names.into_iter().map(|p| self.ident(p));
                let verb = idents.next().expect("edge has a verb");
                Statement::Edge { verb, targets: idents.collect(), user: user.map(Box::new) }
            }
        }
    }

    fn value(&mut self, pair: Pair<Rule>) -> Value {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::string => ValueKind::String(self.unescape(pair)),
            Rule::integer => ValueKind::Integer(self.integer(pair.as_str(), span, 1)),
            Rule::duration => {
                let (number, unit) = split_unit(pair, &DURATION_UNITS);
                ValueKind::Duration(self.integer(&number, span, unit.factor), unit)
            }
            Rule::size => {
                let (number, unit) = split_unit(pair, &SIZE_UNITS);
                ValueKind::Size(self.integer(&number, span, unit.factor), unit)
            }
            Rule::boolean => ValueKind::Bool(pair.as_str() == "true"),
            Rule::list => ValueKind::List(pair.into_inner().map(|p| self.value(p)).collect()),
            Rule::object => ValueKind::Object(pair.into_inner().map(|p| self.entry(p)).collect()),
            _ => {
                let mut parts = pair.into_inner().map(|p| self.ident(p));
                let name = parts.next().expect("reference has a name");
                ValueKind::Reference(name, parts.next().map(Box::new))
            }
        };
        Value { kind, span }
    }

    fn entry(&mut self, pair: Pair<Rule>) -> Entry {
        let mut parts = pair.into_inner();
        let key_pair = parts.next().expect("entry has a key");
        let key = if key_pair.as_rule() == Rule::string {
            let span = self.span(&key_pair);
            Ident { text: self.unescape(key_pair), span }
        } else {
            self.ident(key_pair)
        };
        let value = self.value(parts.next().expect("entry has a value"));
        Entry { key, value }
    }

    fn integer(&mut self, digits: &str, span: Span, factor: i64) -> i64 {
        match digits.parse::<i64>().ok().and_then(|n| n.checked_mul(factor)) {
            Some(n) => n,
            None => {
                self.diagnostics.push(
                    Diagnostic::new(Code::NumberTooLarge, span, "this number does not fit in 64 bits")
                        .label("too large"),
                );
                0
            }
        }
    }

    fn unescape(&mut self, pair: Pair<Rule>) -> String {
        let body = pair.into_inner().next().expect("string has a body");
        let start = self.span(&body).start as usize;
        let raw = body.as_str();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((j, other)) => {
                    let span = Span::new(self.file, start + i, start + j + other.len_utf8());
                    self.diagnostics.push(
                        Diagnostic::new(Code::BadEscape, span, format!("unknown escape `\\{other}`"))
                            .label("not an escape")
                            .help("strings know \\\" \\\\ \\n and \\t; write \\\\ for a backslash"),
                    );
                }
                None => {}
            }
        }
        out
    }
}

/// The children of a pair, without the keyword tokens.
fn parts(pair: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_app
            | Rule::kw_existing
            | Rule::kw_on
            | Rule::kw_mount
            | Rule::kw_at
            | Rule::kw_readonly
            | Rule::kw_as
            | Rule::kw_role
            | Rule::kw_organization
            | Rule::kw_allow
            | Rule::kw_invoke
            | Rule::kw_from
            | Rule::kw_account
            | Rule::kw_service
            | Rule::kw_source
    )
}

/// A size's or duration's number and its unit, one of `units` (the
/// grammar allows no other).
fn split_unit(pair: Pair<Rule>, units: &[Unit]) -> (String, Unit) {
    let mut parts = pair.into_inner();
    let number = parts.next().map(|p| p.as_str().to_string()).unwrap_or_default();
    let text = parts.next().map(|p| p.as_str()).unwrap_or_default();
    let unit = units.iter().find(|unit| unit.text == text).copied().unwrap_or(units[0]);
    (number, unit)
}

#[cfg(test)]
mod tests {
    use super::{parse, read_all, segments, PARALLEL_FROM};
    use crate::ast::Item;
    use crate::source::{FileId, Span, BYTE_ORDER_MARK};

    #[test]
    fn a_leading_byte_order_mark_is_skipped_and_counted_in_spans() {
        let text = format!("{BYTE_ORDER_MARK}queue jobs {{}}\n");
        let (file, diagnostics) = parse(FileId(0), &text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let [Item::Block { kind, name, .. }] = file.items.as_slice() else { panic!("one item: {file:?}") };
        assert_eq!((kind.span, name.span), (Span::new(FileId(0), 3, 8), Span::new(FileId(0), 9, 13)));
        let (_, diagnostics) = parse(FileId(0), &format!("queue jobs {{}}\n{BYTE_ORDER_MARK}"));
        assert_eq!(diagnostics.len(), 1, "a mark anywhere else is stray text");
    }

    /// A file long enough to be read on two threads, with `snippet` put in
    /// at each line start near its middle, parses as the serial reading does.
    #[test]
    fn a_long_file_read_on_two_threads_parses_as_one_thread_does() {
        let example = include_str!("../../examples/orders/main.lf");
        let long = example.repeat(PARALLEL_FROM / example.len() + 2);
        let middle = long.len() / 2;
        let snippets = [
            "",
            "queue broken {\n  x = [\n",
            "topic t {\n  x = \"a\\\nqueue y {\n}\"\n}\n",
            "}\n",
            "  queue indented { }\n",
            "# queue commented {\n",
        ];
        let line_starts = long[middle - 600..middle + 600].match_indices('\n').map(|(at, _)| middle - 600 + at + 1);
        for at in line_starts {
            for snippet in snippets {
                let text = format!("{}{snippet}{}", &long[..at], &long[at..]);
                let serial = read_all(FileId(0), &text, &segments(&text));
                assert!(parse(FileId(0), &text) == serial, "{snippet:?} at {at}");
            }
        }
        // The middle of the file inside the snippet.
        for snippet in snippets {
            let text = format!("{long}{snippet}{long}");
            let serial = read_all(FileId(0), &text, &segments(&text));
            assert!(parse(FileId(0), &text) == serial, "{snippet:?} in the middle");
        }
        let comments_first = format!("{}\n{long}", "# a comment\n".repeat(long.len() / 10));
        let serial = read_all(FileId(0), &comments_first, &segments(&comments_first));
        assert!(parse(FileId(0), &comments_first) == serial);
    }

    #[test]
    fn a_string_open_at_the_end_of_the_file_is_one_error() {
        let (file, diagnostics) = parse(FileId(0), "queue a { x = \"abc");
        assert!(file.items.is_empty());
        let [error] = diagnostics.as_slice() else { panic!("one error: {diagnostics:?}") };
        assert_eq!((error.code, error.primary.span), (crate::diagnostic::Code::Syntax, Span::new(FileId(0), 14, 15)));
    }
}
