//! The fast reader: `grammar/lambdaform.pest` transcribed rule by rule into
//! recursive descent over bytes, for items that are well formed.
//!
//! The grammar stays the definition of the language. This reader returns
//! `None` at the first thing it does not expect, and at any literal the
//! pest path would report (an unknown escape, a number over 64 bits); the
//! item is then read by pest, which words the error. `tests/syntax_agree.rs`
//! checks that wherever this reader returns an item, pest returns the same
//! tree with the same spans, over every `.lf` file in the repository and
//! thousands of mutated ones, and that it declines no well-formed item.
//!
//! It exists because pest spent 86% of `check`'s parse time in its
//! per-rule machinery (docs/performance.md); this reader is about ten times
//! faster on the same items.

use crate::ast::{
    AllowPrincipal, Body, Entry, Ident, Item, Statement, Unit, Value, ValueKind, DURATION_UNITS, SIZE_UNITS,
};
use crate::source::{FileId, Span};
use std::cell::Cell;

/// Reads `piece`, one top-level item found `offset` bytes into `file`.
pub fn item(file: FileId, offset: usize, piece: &str) -> Option<Item> {
    let pending = PENDING.take();
    let mut reader = Reader {
        text: piece,
        bytes: piece.as_bytes(),
        pos: 0,
        file,
        offset,
        refused: false,
        pending,
        word_at: Cell::new((usize::MAX, 0)),
    };
    // item = _{ SOI ~ (app | existing | block) ~ EOI }
    reader.skip();
    let item = reader.item_body();
    reader.skip();
    let whole = reader.pos == reader.bytes.len() && !reader.refused;
    PENDING.set(reader.pending);
    item.filter(|_| whole)
}

thread_local! {
    /// The statements of the bodies being read, kept between items so
    /// that its room is allocated once per thread.
    static PENDING: std::cell::Cell<Vec<Statement>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A cursor over one item.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
    offset: usize,
    /// Set at a literal that parses but that the pest path reports: the
    /// item is left to that path even if an alternative would match.
    refused: bool,
    /// The statements read so far of each body open, innermost last: a
    /// body's are moved out into a vector of their exact size when it
    /// closes, which saves the growth of one vector per body.
    pending: Vec<Statement>,
    /// The last word read: where it starts and its length. The keywords
    /// and names tried at one place each read the same word.
    word_at: Cell<(usize, usize)>,
}

/// `name_char = _{ ASCII_ALPHANUMERIC | "_" }`
fn is_name_char(b: u8) -> bool {
    NAME_CHAR[usize::from(b)]
}

const NAME_CHAR: [bool; 256] = {
    let mut set = [false; 256];
    let mut b = 0;
    while b < 256 {
        set[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'_';
        b += 1;
    }
    set
};

impl<'a> Reader<'a> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.offset + start, self.offset + end)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Runs `rule` and puts the cursor back when it fails, as a PEG
    /// alternative or optional does.
    fn attempt<T>(&mut self, rule: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.pos;
        let result = rule(self);
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    /// The implicit `WHITESPACE` and `COMMENT` between tokens:
    /// `" " | "\t" | "\r" | "\n"` and `("#" | "//")` to the end of the line.
    fn skip(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'#' => self.skip_line(),
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => self.skip_line(),
                _ => break,
            }
        }
    }

    fn skip_line(&mut self) {
        self.pos = self.bytes[self.pos..].iter().position(|&b| b == b'\n').map_or(self.bytes.len(), |i| self.pos + i);
    }

    /// A literal token, after the implicit skip.
    fn symbol(&mut self, b: u8) -> Option<()> {
        self.skip();
        (self.peek() == Some(b)).then(|| self.pos += 1)
    }

    /// The word of name characters at the cursor (maybe empty): every
    /// lexical rule below reads a whole word, as `name_char*` is greedy.
    fn word(&self) -> &'a str {
        let len = match self.word_at.get() {
            (at, len) if at == self.pos => len,
            _ => {
                let rest = &self.bytes[self.pos..];
                let len = rest.iter().position(|&b| !is_name_char(b)).unwrap_or(rest.len());
                self.word_at.set((self.pos, len));
                len
            }
        };
        &self.text[self.pos..self.pos + len]
    }

    /// `kw_X = @{ "X" ~ !name_char }`, after the implicit skip.
    fn keyword(&mut self, keyword: &str) -> Option<usize> {
        self.skip();
        let start = self.pos;
        (self.word() == keyword).then(|| {
            self.pos += keyword.len();
            start
        })
    }

    /// `name = @{ !keyword ~ ASCII_ALPHA ~ name_char* }`, where
    /// `keyword = @{ ("existing" | "true" | "false") ~ !name_char }`.
    fn name(&mut self) -> Option<Ident> {
        self.skip();
        self.name_here()
    }

    /// [`Reader::name`] without the skip before it, inside `reference`.
    fn name_here(&mut self) -> Option<Ident> {
        let word = self.word();
        let letter = word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
        (letter && !matches!(word, "existing" | "true" | "false")).then(|| self.take_ident(word.len()))
    }

    /// `key = @{ (ASCII_ALPHA | "_") ~ name_char* }`
    fn key(&mut self) -> Option<Ident> {
        self.skip();
        let word = self.word();
        let first = word.as_bytes().first().copied();
        first.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_').then(|| self.take_ident(word.len()))
    }

    fn take_ident(&mut self, len: usize) -> Ident {
        let start = self.pos;
        self.pos += len;
        Ident { text: self.text[start..self.pos].to_string(), span: self.span(start, self.pos) }
    }

    fn refuse<T>(&mut self) -> Option<T> {
        self.refused = true;
        None
    }

    // ------------------------------------------------------------ items

    /// `app | existing | block`
    fn item_body(&mut self) -> Option<Item> {
        if let Some(item) = self.attempt(Self::app) {
            return Some(item);
        }
        if let Some(item) = self.attempt(Self::existing) {
            return Some(item);
        }
        self.block()
    }

    /// `app = { kw_app ~ name ~ body }`
    fn app(&mut self) -> Option<Item> {
        self.keyword("app")?;
        let name = self.name()?;
        let body = self.body()?;
        Some(Item::App { name, body })
    }

    /// `existing = { kw_existing ~ name ~ name ~ "=" ~ (string | reference) }`
    fn existing(&mut self) -> Option<Item> {
        let start = self.keyword("existing")?;
        let kind = self.name()?;
        let name = self.name()?;
        self.symbol(b'=')?;
        let target = self.string_or_reference()?;
        let body = self.attempt(Self::body);
        let span = self.span(start, self.pos);
        Some(Item::Existing { kind, name, target, body, span })
    }

    /// `block = { name ~ name ~ body }`
    fn block(&mut self) -> Option<Item> {
        let kind = self.name()?;
        let name = self.name()?;
        let body = self.body()?;
        Some(Item::Block { kind, name, body })
    }

    /// `body = { "{" ~ statement* ~ "}" }`
    fn body(&mut self) -> Option<Body> {
        self.symbol(b'{')?;
        let start = self.pos - 1;
        let open = self.pending.len();
        while let Some(statement) = self.attempt(Self::statement) {
            self.pending.push(statement);
        }
        let statements = self.pending.drain(open..).collect();
        self.symbol(b'}')?;
        Some(Body { statements, span: self.span(start, self.pos) })
    }

    // ------------------------------------------------------- statements

    /// `statement = _{ trigger | mount | allow | assignment | nested | edge }`
    ///
    /// Tried in that order, but only the alternatives that can match: the
    /// first word picks the keyword one, and the token after a name tells
    /// apart the last three (`=` an assignment, `{` a nested block), which
    /// would each fail before reading a literal anyway.
    fn statement(&mut self) -> Option<Statement> {
        self.skip();
        let keyword: Option<fn(&mut Self) -> Option<Statement>> = match self.word() {
            "on" => Some(Self::trigger),
            "mount" => Some(Self::mount),
            "allow" => Some(Self::allow),
            _ => None,
        };
        if let Some(statement) = keyword.and_then(|rule| self.attempt(rule)) {
            return Some(statement);
        }
        match self.after_name()? {
            b'=' => self.attempt(Self::assignment),
            b'{' => self.attempt(Self::nested),
            _ => self.attempt(Self::nested).or_else(|| self.attempt(Self::edge)),
        }
    }

    /// The byte after the name at the cursor and the implicit skip, if a
    /// name is there and something follows it; the cursor stays.
    fn after_name(&mut self) -> Option<u8> {
        let word = self.word();
        let letter = word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
        if !letter || matches!(word, "existing" | "true" | "false") {
            return None;
        }
        let start = self.pos;
        self.pos += word.len();
        self.skip();
        let next = self.peek();
        self.pos = start;
        next
    }

    /// `trigger = { kw_on ~ name ~ string? ~ object? }`; its span ends with
    /// its last part, as `Builder::statement_span` makes pest's.
    fn trigger(&mut self) -> Option<Statement> {
        let start = self.keyword("on")?;
        let source = self.name()?;
        let mut end = self.pos;
        let route = self.attempt(Self::string);
        if route.is_some() {
            end = self.pos;
        }
        let options = self.attempt(Self::object);
        if options.is_some() {
            end = self.pos;
        }
        Some(Statement::Trigger {
            source,
            route: route.map(Box::new),
            options: options.map(Box::new),
            span: self.span(start, end),
        })
    }

    /// `mount = { kw_mount ~ name ~ kw_at ~ string ~ kw_readonly? }`
    fn mount(&mut self) -> Option<Statement> {
        let start = self.keyword("mount")?;
        let target = self.name()?;
        self.keyword("at")?;
        let path = self.string()?;
        let readonly = self.attempt(|p| p.keyword("readonly")).is_some();
        Some(Statement::Mount { target, path: Box::new(path), readonly, span: self.span(start, self.pos) })
    }

    /// `allow = { kw_allow ~ kw_invoke ~ kw_from ~ (allow_account | allow_role | allow_organization | allow_service) }`
    /// `allow_account = { kw_account ~ (string | reference) }`, `allow_role = { kw_role ~ (string | reference) }`,
    /// `allow_organization = { kw_organization ~ (string | reference) }`
    /// `allow_service = { kw_service ~ string ~ (kw_source ~ string)? }`
    fn allow(&mut self) -> Option<Statement> {
        let start = self.keyword("allow")?;
        self.keyword("invoke")?;
        self.keyword("from")?;
        let principal = if self.attempt(|r| r.keyword("account")).is_some() {
            AllowPrincipal::Account(self.string_or_reference()?)
        } else if self.attempt(|r| r.keyword("role")).is_some() {
            AllowPrincipal::Role(self.string_or_reference()?)
        } else if self.attempt(|r| r.keyword("organization")).is_some() {
            AllowPrincipal::Organization(self.string_or_reference()?)
        } else {
            self.keyword("service")?;
            let service = self.string()?;
            let source = self.attempt(|r| {
                r.keyword("source")?;
                r.string()
            });
            AllowPrincipal::Service { service, source }
        };
        Some(Statement::Allow { principal, span: self.span(start, self.pos) })
    }

    /// `(string | reference)`: a literal, or the name of an `input`.
    fn string_or_reference(&mut self) -> Option<Value> {
        self.attempt(Self::string).or_else(|| self.reference())
    }

    /// `assignment = { name ~ "=" ~ value }`
    fn assignment(&mut self) -> Option<Statement> {
        let name = self.name()?;
        self.symbol(b'=')?;
        let value = self.value()?;
        Some(Statement::Assignment { name, value })
    }

    /// `nested = { name ~ name? ~ body }`
    fn nested(&mut self) -> Option<Statement> {
        let kind = self.name()?;
        let name = self.attempt(Self::name);
        let body = self.body()?;
        Some(Statement::Nested { kind, name, body })
    }

    /// `edge = { name ~ name ~ ("," ~ name)* ~ (kw_as ~ string)? }`
    fn edge(&mut self) -> Option<Statement> {
        let verb = self.name()?;
        // `edge = ${ name ~ inline_space ~ edge_targets }`: spaces or tabs
        // only, then the first target.
        let gap = self.bytes[self.pos..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        if gap == 0 {
            return None;
        }
        self.pos += gap;
        let mut targets = vec![self.name_here()?];
        while let Some(target) = self.attempt(|r| {
            r.symbol(b',')?;
            r.name()
        }) {
            targets.push(target);
        }
        let user = self.attempt(|r| {
            r.keyword("as")?;
            r.string()
        });
        Some(Statement::Edge { verb, targets, user: user.map(Box::new) })
    }

    // ----------------------------------------------------------- values

    /// `value = _{ string | size | duration | integer | boolean | list | object | reference }`:
    /// the alternatives begin with different characters, but for `boolean`
    /// and `reference`, which `name` keeps apart.
    fn value(&mut self) -> Option<Value> {
        self.skip();
        match self.peek()? {
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => self.list(),
            b'{' => self.object(),
            _ => self.boolean().or_else(|| self.reference()),
        }
    }

    /// `string = ${ "\"" ~ string_body ~ "\"" }`, where `string_body` is
    /// any characters but `"`, `\` and a newline, or `\` and any character.
    /// Declines unknown escapes, which the pest path reports.
    fn string(&mut self) -> Option<Value> {
        self.skip();
        let start = self.pos;
        if self.peek() != Some(b'"') {
            return None;
        }
        let mut text = String::new();
        let mut run = start + 1;
        let mut at = run;
        loop {
            match *self.bytes.get(at)? {
                b'"' => break,
                b'\n' => return None,
                b'\\' => {
                    text.push_str(&self.text[run..at]);
                    text.push(match self.bytes.get(at + 1)? {
                        b'n' => '\n',
                        b't' => '\t',
                        b'"' => '"',
                        b'\\' => '\\',
                        _ => return self.refuse(),
                    });
                    at += 2;
                    run = at;
                }
                _ => at += 1,
            }
        }
        text.push_str(&self.text[run..at]);
        self.pos = at + 1;
        Some(Value { kind: ValueKind::String(text), span: self.span(start, self.pos) })
    }

    /// `size = ${ integer ~ size_unit ~ !name_char }`, then
    /// `duration = ${ integer ~ duration_unit ~ !name_char }`, then
    /// `integer = @{ "-"? ~ ASCII_DIGIT+ }`. Declines a number over 64 bits.
    fn number(&mut self) -> Option<Value> {
        let start = self.pos;
        let sign = usize::from(self.peek() == Some(b'-'));
        let digits = self.bytes[start + sign..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let end = start + sign + digits;
        let Ok(number) = self.text[start..end].parse::<i64>() else { return self.refuse() };
        let rest = &self.bytes[end..];
        let unit = UNITS.iter().find(|(unit, _)| {
            rest.starts_with(unit.text.as_bytes()) && !rest.get(unit.text.len()).copied().is_some_and(is_name_char)
        });
        let (kind, end) = match unit {
            Some((unit, kind)) => {
                let Some(amount) = number.checked_mul(unit.factor) else { return self.refuse() };
                (kind(amount, *unit), end + unit.text.len())
            }
            None => (ValueKind::Integer(number), end),
        };
        self.pos = end;
        Some(Value { kind, span: self.span(start, end) })
    }

    /// `boolean = @{ ("true" | "false") ~ !name_char }`
    fn boolean(&mut self) -> Option<Value> {
        let value = match self.word() {
            "true" => true,
            "false" => false,
            _ => return None,
        };
        let start = self.pos;
        self.pos += self.word().len();
        Some(Value { kind: ValueKind::Bool(value), span: self.span(start, self.pos) })
    }

    /// `reference = ${ name ~ ("." ~ name)? }`, with no space around the dot.
    fn reference(&mut self) -> Option<Value> {
        let name = self.name()?;
        let attribute = if self.peek() == Some(b'.') {
            self.attempt(|r| {
                r.pos += 1;
                r.name_here()
            })
        } else {
            None
        };
        let span = name.span.to(attribute.as_ref().map_or(name.span, |a| a.span));
        Some(Value { kind: ValueKind::Reference(name, attribute.map(Box::new)), span })
    }

    /// `list = { "[" ~ (value ~ (","? ~ value)* ~ ","?)? ~ "]" }`
    fn list(&mut self) -> Option<Value> {
        self.skip();
        let start = self.pos;
        self.symbol(b'[')?;
        let items = self.sequence(Self::value, b']')?;
        Some(Value { kind: ValueKind::List(items), span: self.span(start, self.pos) })
    }

    /// `object = { "{" ~ (entry ~ (","? ~ entry)* ~ ","?)? ~ "}" }`
    fn object(&mut self) -> Option<Value> {
        self.skip();
        let start = self.pos;
        self.symbol(b'{')?;
        let entries = self.sequence(Self::entry, b'}')?;
        Some(Value { kind: ValueKind::Object(entries), span: self.span(start, self.pos) })
    }

    /// `(part ~ (","? ~ part)* ~ ","?)? ~ close`
    fn sequence<T>(&mut self, part: fn(&mut Self) -> Option<T>, close: u8) -> Option<Vec<T>> {
        let mut parts = Vec::new();
        if let Some(first) = self.attempt(part) {
            parts.push(first);
            while let Some(next) = self.attempt(|r| {
                r.attempt(|r| r.symbol(b','));
                part(r)
            }) {
                parts.push(next);
            }
            self.attempt(|r| r.symbol(b','));
        }
        self.symbol(close)?;
        Some(parts)
    }

    /// `entry = { (key | string) ~ "=" ~ value }`; a quoted key's span
    /// includes its quotes.
    fn entry(&mut self) -> Option<Entry> {
        self.skip();
        let key = if self.peek() == Some(b'"') {
            let string = self.string()?;
            let ValueKind::String(text) = string.kind else { return None };
            Ident { text, span: string.span }
        } else {
            self.key()?
        };
        self.symbol(b'=')?;
        let value = self.value()?;
        Some(Entry { key, value })
    }
}

/// `size_unit = @{ "MB" | "GB" }` then `duration_unit = @{ "s" | "m" | "h" | "d" }`,
/// in the order `value` tries `size` and `duration`.
const UNITS: [(Unit, MakeValue); 6] = [
    (SIZE_UNITS[0], ValueKind::Size),
    (SIZE_UNITS[1], ValueKind::Size),
    (DURATION_UNITS[0], ValueKind::Duration),
    (DURATION_UNITS[1], ValueKind::Duration),
    (DURATION_UNITS[2], ValueKind::Duration),
    (DURATION_UNITS[3], ValueKind::Duration),
];

/// The kind of value a unit makes, of its amount and the unit.
type MakeValue = fn(i64, Unit) -> ValueKind;
