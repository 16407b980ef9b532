//! What an event pattern may hold: an EventBridge rule's `pattern`, an SNS
//! `filter` (a topic trigger's, or a queue's subscription) and a mapping's
//! `filters` are matched against the content of events, written as they
//! are. A `resource.field` reference in one would be matched as the
//! value it names at deploy time, which the printers cannot all write
//! (Terraform's `jsonencode` of a rule pattern drops it): so it is LF1065,
//! never an empty string or a silently missing key.

use super::Scope;
use crate::ast::{Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};

/// `(owner, attribute)`: the attributes and trigger options that are
/// event patterns.
const PATTERNS: [(&str, &str); 6] = [
    ("bus trigger", "pattern"),
    ("topic trigger", "filter"),
    ("queue trigger", "filters"),
    ("stream trigger", "filters"),
    ("table trigger", "filters"),
    ("queue", "filter"),
];

impl Scope<'_> {
    /// Reports each reference inside the pattern `value` of `owner`'s
    /// `attr`; true when there was one (the pattern is then left out).
    pub(super) fn references_in_pattern(&mut self, owner: &str, attr: &str, value: &Value) -> bool {
        if !PATTERNS.contains(&(owner, attr)) {
            return false;
        }
        let mut found = Vec::new();
        references(value, &mut found);
        for value in &found {
            let ValueKind::Reference(name, Some(field)) = &value.kind else { continue };
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ReferenceInPattern,
                    value.span,
                    format!("`{}.{}` stands in an event pattern, which matches events as written", name.text, field.text),
                )
                .label("a reference in a pattern")
                .help(format!(
                    "write the value itself as a string (an ARN or a name the event carries), such as the physical name \
                     the app gives `{}`; a pattern holds no references",
                    name.text
                )),
            );
        }
        !found.is_empty()
    }
}

/// The `resource.field` references in a value, in order.
fn references<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match &value.kind {
        ValueKind::Reference(_, Some(_)) => out.push(value),
        ValueKind::List(items) => items.iter().for_each(|item| references(item, out)),
        ValueKind::Object(entries) => entries.iter().for_each(|entry| references(&entry.value, out)),
        _ => {}
    }
}
