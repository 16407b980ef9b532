//! The app's `tags`, put on every resource that takes tags, checked
//! against AWS's tagging rules: a key of 1 to 128 characters, a value of at
//! most 256, letters, digits, spaces and `_ . : / = + - @` only, no key
//! starting with `aws:` (AWS's), none with `lambdaform:` (the two tags
//! Lambdaform adds), at most 50 tags per resource, each key once.

use super::value::duplicate_key;
use super::Scope;
use crate::ast::{Entry, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

/// Tags AWS allows on one resource.
const MAX_TAGS: usize = 50;
/// Tags Lambdaform puts on every resource (`lambdaform:app`, `lambdaform:stage`).
const OWN_TAGS: usize = 2;
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 256;

impl Scope<'_> {
    /// The tags written in the app block, each problem reported.
    pub(super) fn app_tags(&mut self, entries: &[Entry], span: Span) -> Vec<(String, String)> {
        let mut tags = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let key = &entry.key.text;
            if let Some(first) = entries[..index].iter().find(|e| &e.key.text == key) {
                self.diagnostics.push(duplicate_key(key, entry.key.span, first.key.span));
                continue;
            }
            if let Some(problem) = key_problem(key) {
                self.diagnostics.push(bad_tag(entry.key.span, format!("the tag key `{key}` {problem}")));
            }
            match &entry.value.kind {
                ValueKind::String(value) => {
                    if let Some(problem) = value_problem(value) {
                        self.diagnostics.push(bad_tag(entry.value.span, format!("the value of tag `{key}` {problem}")));
                    }
                    tags.push((key.clone(), value.clone()));
                }
                other => self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        entry.value.span,
                        format!("tag values are strings, found {}", other.describe()),
                    )
                    .label("expected a string"),
                ),
            }
        }
        if entries.len() > MAX_TAGS - OWN_TAGS {
            self.diagnostics.push(bad_tag(
                span,
                format!(
                    "{} tags are too many: AWS allows {MAX_TAGS} per resource, and Lambdaform adds {OWN_TAGS}",
                    entries.len()
                ),
            ));
        }
        tags
    }
}

fn key_problem(key: &str) -> Option<String> {
    let length = key.chars().count();
    let lower = key.to_ascii_lowercase();
    if !(1..=MAX_KEY).contains(&length) {
        Some(format!("has {length} characters; keys have 1 to {MAX_KEY}"))
    } else if lower.starts_with("aws:") {
        Some("starts with `aws:`, which AWS keeps for its own tags".into())
    } else if lower.starts_with("lambdaform:") {
        Some("starts with `lambdaform:`, which Lambdaform keeps for the tags it adds".into())
    } else {
        bad_character(key)
    }
}

fn value_problem(value: &str) -> Option<String> {
    let length = value.chars().count();
    if length > MAX_VALUE {
        Some(format!("has {length} characters; values have at most {MAX_VALUE}"))
    } else {
        bad_character(value)
    }
}

/// Letters, digits and spaces of any script, and `_ . : / = + - @`.
fn bad_character(text: &str) -> Option<String> {
    let allowed = |c: char| {
        c.is_alphabetic() || c.is_numeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
    };
    text.chars()
        .find(|c| !allowed(*c))
        .map(|c| format!("holds `{}`, which AWS does not take in tags", c.escape_debug()))
}

fn bad_tag(span: Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::BadTag, span, message)
        .label("invalid tag")
        .help("tag keys have 1 to 128 characters, values up to 256: letters, digits, spaces and `_ . : / = + - @`")
}
