//! The syntax tree printed again: items, statements and values as rows,
//! with the comments and blank lines of the source put back in order.

use super::layout::{emit, indent, push_blank, separate_multiline_items, with_comment, Class, Rendered, Row};
use super::lex::{lex, TokenKind};
use crate::ast::{AllowPrincipal, Body, Entry, File, Item, Statement, Value, ValueKind};
use crate::source::Span;

pub(super) struct Printer<'t> {
    text: &'t str,
    /// Every comment's byte range, in order; `next` is the first not yet printed.
    comments: Vec<(usize, usize)>,
    next: usize,
}

fn range(span: Span) -> (usize, usize) {
    (span.start as usize, span.end as usize)
}

impl<'t> Printer<'t> {
    pub(super) fn new(text: &'t str) -> Printer<'t> {
        let comments =
            lex(text).into_iter().filter(|t| t.kind == TokenKind::Comment).map(|t| (t.start, t.end)).collect();
        Printer { text, comments, next: 0 }
    }

    fn src(&self, span: Span) -> &'t str {
        self.text.get(span.range()).unwrap_or("")
    }

    fn has_newline(&self, span: Span) -> bool {
        self.src(span).contains('\n')
    }

    fn comment(&self, (start, end): (usize, usize)) -> String {
        self.text.get(start..end).unwrap_or("").trim_end().to_string()
    }

    pub(super) fn file(&mut self, file: &File) -> String {
        let spans: Vec<(usize, usize)> = file.items.iter().map(|item| self.item_range(item)).collect();
        let mut rows = self.rows(&spans, self.text.len(), |p, i| p.item(&file.items[i]));
        rows = separate_multiline_items(rows);
        let lines = emit(&rows);
        if lines.is_empty() {
            return String::new();
        }
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// The elements of a sequence (items, statements, entries) with the
    /// comments and blank lines around them, up to `end`.
    fn rows(
        &mut self,
        spans: &[(usize, usize)],
        end: usize,
        mut render: impl FnMut(&mut Self, usize) -> Rendered,
    ) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut last: Option<usize> = None;
        for (i, &(start, stop)) in spans.iter().enumerate() {
            self.comments_before(&mut rows, &mut last, start);
            if self.blank_between(last, start) {
                push_blank(&mut rows);
            }
            let mut rendered = render(self, i);
            // Comments inside an element printed on one line go above it.
            while let Some(&comment) = self.comments.get(self.next).filter(|c| c.0 < stop) {
                rows.push(Row::Comment(self.comment(comment)));
                self.next += 1;
            }
            let mut ends = stop;
            if let Some((comment, comment_end)) = self.trailing(stop) {
                rendered.trailing = Some(comment);
                ends = comment_end;
            }
            rows.push(Row::Element(rendered));
            last = Some(ends);
        }
        self.comments_before(&mut rows, &mut last, end);
        rows
    }

    fn comments_before(&mut self, rows: &mut Vec<Row>, last: &mut Option<usize>, limit: usize) {
        while let Some(&comment) = self.comments.get(self.next).filter(|c| c.0 < limit) {
            if self.blank_between(*last, comment.0) {
                push_blank(rows);
            }
            rows.push(Row::Comment(self.comment(comment)));
            self.next += 1;
            *last = Some(comment.1);
        }
    }

    fn blank_between(&self, last: Option<usize>, next: usize) -> bool {
        last.and_then(|l| self.text.get(l..next)).is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    /// The comment that ends the line at `at`, if nothing but spaces and
    /// commas stands between.
    fn trailing(&mut self, at: usize) -> Option<(String, usize)> {
        let comment = *self.comments.get(self.next)?;
        let gap = self.text.get(at..comment.0)?;
        if !gap.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | ',')) {
            return None;
        }
        self.next += 1;
        Some((self.comment(comment), comment.1))
    }

    /// `{ ... }` or `[ ... ]` over several lines: the opening on the first
    /// line (with its trailing comment), the rows indented, the closing.
    fn bracketed(
        &mut self,
        (open, close): (&str, &str),
        span: Span,
        spans: &[(usize, usize)],
        render: impl FnMut(&mut Self, usize) -> Rendered,
    ) -> Vec<String> {
        let (start, end) = range(span);
        let head = self.trailing(start + 1).map(|(comment, _)| comment);
        let rows = self.rows(spans, end.saturating_sub(1), render);
        if rows.is_empty() && head.is_none() {
            return vec![format!("{open}{close}")];
        }
        let mut lines = vec![with_comment(open.to_string(), head.as_deref())];
        lines.extend(emit(&rows).into_iter().map(|line| indent(&line)));
        lines.push(close.to_string());
        lines
    }

    // -------------------------------------------------------------- items

    fn item_range(&self, item: &Item) -> (usize, usize) {
        match item {
            Item::App { name, body } => (self.app_keyword(name.span), body.span.end as usize),
            Item::Existing { span, .. } => range(*span),
            Item::Block { kind, body, .. } => (kind.span.start as usize, body.span.end as usize),
        }
    }

    /// Where the `app` keyword before the app's name starts.
    fn app_keyword(&self, name: Span) -> usize {
        let before = self.text.get(..name.start as usize).unwrap_or("").trim_end();
        if before.ends_with("app") {
            before.len() - 3
        } else {
            name.start as usize
        }
    }

    fn item(&mut self, item: &Item) -> Rendered {
        match item {
            Item::App { name, body } => {
                let start = self.app_keyword(name.span);
                self.block_item(start, "app", &name.text, name.span, body)
            }
            Item::Block { kind, name, body } => {
                self.block_item(kind.span.start as usize, &kind.text, &name.text, name.span, body)
            }
            Item::Existing { kind, name, target, body, span } => {
                let lone = format!("existing {} {}", kind.text, name.text);
                let head = self.written_header(span.start as usize, name.span.end as usize).unwrap_or(lone.clone());
                let assigned = format!(" = {}", self.src(target.span));
                let Some(body) = body else { return Rendered::aligned(Class::Existing, head, Some(lone), assigned) };
                let mut lines = self.body(body);
                if lines.len() == 1 {
                    let tail = format!("{assigned} {}", lines.remove(0));
                    return Rendered::aligned(Class::Existing, head, Some(lone), tail);
                }
                lines[0] = format!("{lone}{assigned} {}", lines[0]);
                Rendered::lines(lines)
            }
        }
    }

    fn block_item(&mut self, start: usize, kind: &str, name: &str, name_span: Span, body: &Body) -> Rendered {
        let mut lines = self.body(body);
        let lone = format!("{kind} {name}");
        if lines.len() == 1 {
            let head = self.written_header(start, name_span.end as usize).unwrap_or(lone.clone());
            let tail = format!(" {}", lines.remove(0));
            return Rendered::aligned(Class::Block, head, Some(lone), tail);
        }
        lines[0] = format!("{lone} {}", lines[0]);
        Rendered::lines(lines)
    }

    /// A one-line item's header as written (`bus   events`), if it holds
    /// nothing but words and spaces.
    fn written_header(&self, start: usize, end: usize) -> Option<String> {
        let header = self.text.get(start..end)?;
        let plain = header.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ' || c == '\t');
        plain.then(|| header.replace('\t', " "))
    }

    // --------------------------------------------------------- statements

    fn body(&mut self, body: &Body) -> Vec<String> {
        if !self.has_newline(body.span) {
            if body.statements.is_empty() {
                return vec!["{}".into()];
            }
            let parts: Vec<String> = body.statements.iter().map(|s| self.statement(s).flat()).collect();
            return vec![format!("{{ {} }}", parts.join(" "))];
        }
        let spans: Vec<(usize, usize)> = body.statements.iter().map(|s| range(s.span())).collect();
        self.bracketed(("{", "}"), body.span, &spans, |p, i| p.statement(&body.statements[i]))
    }

    fn statement(&mut self, statement: &Statement) -> Rendered {
        match statement {
            Statement::Assignment { name, value } => {
                let value = self.value(value);
                assignment(name.text.clone(), value)
            }
            Statement::Edge { verb, targets, user } => {
                let targets: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
                let user = user.as_ref().map(|u| format!(" as {}", self.src(u.span))).unwrap_or_default();
                Rendered::aligned(Class::Verb, verb.text.clone(), None, format!(" {}{user}", targets.join(", ")))
            }
            Statement::Trigger { source, route, options, .. } => {
                let mut head = format!("on {}", source.text);
                if let Some(route) = route {
                    head = format!("{head} {}", self.src(route.span));
                }
                match options {
                    Some(options) => prefixed(&head, self.value(options)),
                    None => Rendered::line(head),
                }
            }
            Statement::Mount { target, path, readonly, .. } => {
                let readonly = if *readonly { " readonly" } else { "" };
                Rendered::line(format!("mount {} at {}{readonly}", target.text, self.src(path.span)))
            }
            Statement::Allow { principal, .. } => Rendered::line(match principal {
                AllowPrincipal::Account(account) => format!("allow invoke from account {}", self.src(account.span)),
                AllowPrincipal::Role(role) => format!("allow invoke from role {}", self.src(role.span)),
                AllowPrincipal::Organization(org) => format!("allow invoke from organization {}", self.src(org.span)),
                AllowPrincipal::Service { service, source } => {
                    let mut line = format!("allow invoke from service {}", self.src(service.span));
                    if let Some(source) = source {
                        line = format!("{line} source {}", self.src(source.span));
                    }
                    line
                }
            }),
            Statement::Nested { kind, name, body } => {
                let head = match name {
                    Some(name) => format!("{} {}", kind.text, name.text),
                    None => kind.text.clone(),
                };
                let body = self.body(body);
                prefixed(&head, body)
            }
        }
    }

    // ------------------------------------------------------------- values

    /// A value's lines: one, or several for a list or object written over
    /// several lines.
    fn value(&mut self, value: &Value) -> Vec<String> {
        match &value.kind {
            ValueKind::List(items) => self.list(value.span, items),
            ValueKind::Object(entries) => self.object(value.span, entries),
            _ => vec![self.src(value.span).to_string()],
        }
    }

    fn list(&mut self, span: Span, items: &[Value]) -> Vec<String> {
        if !self.has_newline(span) {
            let items: Vec<String> = items.iter().map(|v| self.value(v).join(" ")).collect();
            return vec![format!("[{}]", items.join(", "))];
        }
        let spans: Vec<(usize, usize)> = items.iter().map(|v| range(v.span)).collect();
        self.bracketed(("[", "]"), span, &spans, |p, i| {
            let mut lines = p.value(&items[i]);
            if let Some(last) = lines.last_mut() {
                last.push(',');
            }
            Rendered::lines(lines)
        })
    }

    fn object(&mut self, span: Span, entries: &[Entry]) -> Vec<String> {
        if !self.has_newline(span) {
            if entries.is_empty() {
                return vec!["{}".into()];
            }
            let entries: Vec<String> = entries.iter().map(|e| self.entry(e).flat()).collect();
            return vec![format!("{{ {} }}", entries.join(", "))];
        }
        let spans: Vec<(usize, usize)> = entries.iter().map(|e| range(e.key.span.to(e.value.span))).collect();
        self.bracketed(("{", "}"), span, &spans, |p, i| p.entry(&entries[i]))
    }

    fn entry(&mut self, entry: &Entry) -> Rendered {
        let key = self.src(entry.key.span).to_string();
        let value = self.value(&entry.value);
        assignment(key, value)
    }
}

/// `key = value`: aligned when the value is one line.
fn assignment(key: String, mut value: Vec<String>) -> Rendered {
    if value.len() == 1 {
        let tail = format!(" = {}", value.remove(0));
        return Rendered::aligned(Class::Assign, key, None, tail);
    }
    prefixed(&format!("{key} ="), value)
}

/// `head` and a space before the first of `lines`.
fn prefixed(head: &str, mut lines: Vec<String>) -> Rendered {
    match lines.first_mut() {
        Some(first) => *first = format!("{head} {first}"),
        None => lines.push(head.to_string()),
    }
    Rendered::lines(lines)
}
