//! The parser of `grammar/lambdaform.pest`. A file is cut into its
//! top-level items first, and each item is parsed on its own, so one syntax
//! error never hides the errors of the other items.
//!
//! Each item is read by `descent`, a fast transcription of the grammar, and
//! when it declines (a syntax error, or a literal to report) by pest, which
//! decides and words the error: pest's rule names become words a user knows.

mod descent;
mod incremental;

use crate::ast::{AllowPrincipal, Body, Entry, File, Ident, Item, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span, BYTE_ORDER_MARK};
use pest::iterators::Pair;
use pest::Parser as _;

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
    std::thread::scope(|threads| {
        let second = threads.spawn(|| read_all(file, text, &scan(text, middle, |_| false).0));
        let (first_segments, stopped) = scan(text, 0, |at| at == middle);
        let (mut out, mut diagnostics) = read_all(file, text, &first_segments);
        let second = second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // Nothing open before `middle` (only comments): the first scan read all.
        if stopped == Some(middle) {
            let (rest, rest_diagnostics) = second;
            out.items.extend(rest.items);
            out.unparsed.extend(rest.unparsed);
            diagnostics.extend(rest_diagnostics);
        }
        (out, diagnostics)
    })
}

/// Reads `segments` of `text` in order.
fn read_all(file: FileId, text: &str, segments: &[Segment]) -> (File, Vec<Diagnostic>) {
    let mut out = File::default();
    let mut diagnostics = Vec::new();
    for segment in segments {
        read_segment(file, text, segment, &mut out, &mut diagnostics);
    }
    (out, diagnostics)
}

/// The first line from byte `from` on that starts in column 0 with an item
/// header: [`scan`] starts an item there whatever came before it. A line
/// after a backslash is passed over: it may go on a string, and then the
/// first half's scan would not stop there and the second half be wasted.
fn header_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        at += bytes[at..].iter().position(|&b| b == b'\n')? + 1;
        let escaped = bytes[..at - 1].ends_with(b"\\");
        if !escaped && bytes.get(at).is_some_and(u8::is_ascii_alphabetic) && looks_like_header(&text[at..]) {
            return Some(at);
        }
    }
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
        ([(_, "existing"), _, name], Some('=')) => *name,
        ([_, name], Some('{')) if words[0].1 != "existing" => *name,
        _ => return None,
    };
    let begins_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    let span = Span::new(file, start + name_at, start + name_at + name.len());
    begins_with_letter.then(|| Ident { text: name.to_string(), span })
}

/// A top-level item's byte range, and how deep its brackets nest.
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    start: usize,
    end: usize,
    depth: usize,
    deep_at: usize,
}

/// Cuts a file at the start of each top-level item: a line that starts in
/// column 0 while no bracket is open, or an indented one that looks like an
/// item header (`kind name {`, `existing ...`) while no bracket is open, or a
/// column-0 line that looks like an item header even inside an unclosed
/// block, so a missing `}` costs one error, not the rest of the file.
fn segments(text: &str) -> Vec<Segment> {
    scan(text, 0, |_| false).0
}

/// The segments of `text` from `from`, which is 0 or where an item starts
/// (then the scan from there reads nothing before it: the start of an
/// item resets every state), up to the first later item start `stop`
/// accepts, returned with them.
fn scan(text: &str, from: usize, mut stop: impl FnMut(usize) -> bool) -> (Vec<Segment>, Option<usize>) {
    let bytes = text.as_bytes();
    let mut segments = Vec::new();
    let mut current: Option<Segment> = None;
    let mut depth = 0usize;
    let mut i = if from == 0 && text.starts_with(BYTE_ORDER_MARK) { BYTE_ORDER_MARK.len_utf8() } else { from };
    let mut line_start = true;
    // Only spaces and tabs since the line started.
    let mut indent = true;
    while i < bytes.len() {
        let b = bytes[i];
        let header = || looks_like_header(&text[i..]);
        let starts_item = (i == from && from > 0)
            || b.is_ascii_alphabetic()
                && ((line_start && (depth == 0 || header())) || (indent && depth == 0 && header()));
        indent &= b == b' ' || b == b'\t';
        if starts_item {
            if let Some(mut segment) = current.take() {
                segment.end = i;
                segments.push(segment);
                if stop(i) {
                    return (segments, Some(i));
                }
            }
            depth = 0;
            current = Some(Segment { start: i, end: i, depth: 0, deep_at: 0 });
        }
        line_start = false;
        let comment = b == b'#' || (b == b'/' && bytes.get(i + 1) == Some(&b'/'));
        if current.is_none() && !b.is_ascii_whitespace() && !comment {
            // Stray text before the first item: parse it as an item so the
            // user hears about it. It starts here, before a string or
            // bracket below moves `i` on.
            current = Some(Segment { start: i, end: i, depth: 0, deep_at: 0 });
        }
        match b {
            b'\n' => {
                line_start = true;
                indent = true;
            }
            b'"' => i = skip_string(bytes, i),
            b'#' => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'{' | b'[' => {
                depth += 1;
                if let Some(segment) = current.as_mut() {
                    if depth > segment.depth {
                        segment.depth = depth;
                        segment.deep_at = i;
                    }
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
        if i < bytes.len() && current.is_some() && !line_start && !indent {
            // Inside a line of an item, only these bytes change a state.
            i += bytes[i..].iter().position(|&b| !PLAIN[b as usize]).unwrap_or(bytes.len() - i);
        }
    }
    if let Some(mut segment) = current {
        segment.end = text.len();
        segments.push(segment);
    }
    (segments, None)
}

/// The bytes that, past the start of a line in an item, [`scan`] passes
/// over without a change of state: all but newlines, quotes, comment
/// starts and brackets.
const PLAIN: [bool; 256] = {
    let mut plain = [true; 256];
    let special = b"\n\"#/{}[]";
    let mut k = 0;
    while k < special.len() {
        plain[special[k] as usize] = false;
        k += 1;
    }
    plain
};

fn looks_like_header(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    if line.split_whitespace().next() == Some("existing") {
        return true;
    }
    // `kind name {`, `kind name {}`, `kind name{ ... }`: two words, a brace.
    let Some((head, _)) = line.split_once('{') else {
        return false;
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    matches!(words.as_slice(), [kind, name] if is_word(kind) && is_word(name))
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Index of the closing quote (or the newline ending an unterminated string).
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return i,
            b'\n' => return i - 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn skip_line(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i.saturating_sub(1)
}

/// `cut`: the item ends where the next top-level item starts, not at the
/// end of the file.
fn syntax_error(segment: Span, piece: &str, cut: bool, error: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = describe_found(&piece[at..], cut);
    let end = at + found.1.max(1).min(piece.len().saturating_sub(at).max(1));
    let end = end.min(piece.len()).max(at);
    let span = Span::new(segment.file, segment.start as usize + at, segment.start as usize + end);
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::new(Code::Syntax, span, format!("expected {expected}, found {}", found.0))
        .label(format!("expected {expected}"))
        .help(syntax_help(&expected, found.0.as_str()))
}

/// What the parser met: a word, a symbol, or the end of the item.
fn describe_found(rest: &str, cut: bool) -> (String, usize) {
    let Some(c) = rest.chars().next() else {
        return (if cut { END_OF_ITEM } else { END_OF_FILE }.into(), 0);
    };
    if c.is_alphanumeric() || c == '_' {
        let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').take(40).collect();
        let len = word.len();
        return (format!("`{word}`"), len);
    }
    (format!("`{c}`"), c.len_utf8())
}

const END_OF_FILE: &str = "the end of the file";
const END_OF_ITEM: &str = "the next top-level item";
const STATEMENT: &str = "a statement";
const ITEM: &str = "a top-level item (`KIND NAME { ... }`)";
const VALUE: &str = "a value";

fn expected_words(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = rules.iter().map(|r| rule_word(*r)).collect();
    words.sort_unstable();
    words.dedup();
    if words.contains(&STATEMENT) || words.contains(&ITEM) {
        // Statements and items start with a name: say the bigger word only.
        words.retain(|w| *w != "a name");
    }
    if words.contains(&VALUE) {
        // Where a value may stand, names and strings are values too.
        words.retain(|w| *w != "a name" && *w != "a string");
    }
    match words.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn rule_word(rule: Rule) -> &'static str {
    match rule {
        Rule::name | Rule::reference | Rule::key => "a name",
        Rule::string | Rule::string_body => "a string",
        Rule::integer | Rule::duration | Rule::size | Rule::boolean | Rule::list | Rule::object => VALUE,
        Rule::entry => "an entry `key = value`",
        Rule::body => "`{`",
        Rule::EOI => "the end of the item",
        Rule::app | Rule::existing | Rule::block | Rule::kw_app | Rule::kw_existing => ITEM,
        Rule::assignment
        | Rule::trigger
        | Rule::mount
        | Rule::allow
        | Rule::nested
        | Rule::edge
        | Rule::kw_on
        | Rule::kw_mount
        | Rule::kw_allow => STATEMENT,
        Rule::allow_account
        | Rule::allow_service
        | Rule::allow_role
        | Rule::allow_organization
        | Rule::kw_account
        | Rule::kw_service
        | Rule::kw_role
        | Rule::kw_organization => "`account \"ID\"`, `role \"ARN\"`, `organization \"o-…\"` or `service \"NAME\"`",
        // `as "user"` may end any verb statement; where it could stand, a
        // new statement could too, and that is the word a reader expects.
        Rule::kw_as => STATEMENT,
        Rule::kw_readonly => "`readonly`",
        Rule::kw_at => "`at`",
        Rule::kw_invoke => "`invoke`",
        Rule::kw_from => "`from`",
        Rule::kw_source => "`source`",
        Rule::duration_unit => "a duration unit (s, m, h, d)",
        Rule::size_unit => "a size unit (MB, GB)",
        _ => "something else",
    }
}

fn syntax_help(expected: &str, found: &str) -> String {
    if found.starts_with("`=`") || expected.contains("statement") && found == "`=`" {
        return "attributes are written `name = value`".into();
    }
    if expected.contains("`at`") {
        return "a mount is written `mount NAME at \"/mnt/path\"`, with `readonly` after it to mount without writing"
            .into();
    }
    if expected.contains("`{`") {
        return "a block is written `KIND NAME { ... }`".into();
    }
    if found == END_OF_FILE || found == END_OF_ITEM {
        return "a block is not closed: add the missing `}`".into();
    }
    if expected.contains("statement") && found.starts_with('`') && found.len() > 3 {
        return "each statement is `name = value`, `VERB TARGET`, `on SOURCE`, `mount NAME at \"/mnt/x\"` or `allow invoke from ...`".into();
    }
    "see docs/language.md for the forms a Lambdaform file may contain".into()
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
                Item::Existing { kind, name, target, span }
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
                Statement::Trigger { source, route, options, span }
            }
            Rule::mount => {
                let mut parts = children.into_iter();
                let target = self.ident(parts.next().expect("mount has a target"));
                let path = self.value(parts.next().expect("mount has a path"));
                Statement::Mount { target, path, readonly, span }
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
                let (names, user): (Vec<_>, Vec<_>) = children.into_iter().partition(|p| p.as_rule() == Rule::name);
                let user = user.into_iter().next().map(|p| self.value(p));
                let mut idents = names.into_iter().map(|p| self.ident(p));
                let verb = idents.next().expect("edge has a verb");
                Statement::Edge { verb, targets: idents.collect(), user }
            }
        }
    }

    fn value(&mut self, pair: Pair<Rule>) -> Value {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::string => ValueKind::String(self.unescape(pair)),
            Rule::integer => ValueKind::Integer(self.integer(pair.as_str(), span, 1)),
            Rule::duration => {
                let (number, unit) = split_unit(pair);
                let factor = match unit.as_str() {
                    "s" => 1,
                    "m" => 60,
                    "h" => 3600,
                    _ => 86_400,
                };
                ValueKind::Duration(self.integer(&number, span, factor))
            }
            Rule::size => {
                let (number, unit) = split_unit(pair);
                let factor = if unit == "GB" { 1024 } else { 1 };
                ValueKind::Size(self.integer(&number, span, factor))
            }
            Rule::boolean => ValueKind::Bool(pair.as_str() == "true"),
            Rule::list => ValueKind::List(pair.into_inner().map(|p| self.value(p)).collect()),
            Rule::object => ValueKind::Object(pair.into_inner().map(|p| self.entry(p)).collect()),
            _ => {
                let mut parts = pair.into_inner().map(|p| self.ident(p));
                let name = parts.next().expect("reference has a name");
                ValueKind::Reference(name, parts.next())
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

fn split_unit(pair: Pair<Rule>) -> (String, String) {
    let mut parts = pair.into_inner();
    let number = parts.next().map(|p| p.as_str().to_string()).unwrap_or_default();
    let unit = parts.next().map(|p| p.as_str().to_string()).unwrap_or_default();
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
        assert!(file.items.is_empty() && diagnostics.len() == 1, "{diagnostics:?}");
    }
}
