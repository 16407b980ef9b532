//! The attributes whose value the checks and the layer rely on always
//! having (a function's memory, timeout, architecture and log retention; a
//! queue's visibility timeout and receives before its dead letter; a state
//! machine's log retention; a REST token authorizer's header and a usage
//! plan's quota period), read through accessors named here. Their defaults
//! live in the stdlib alone, which `resolve` applies, so neither the rules
//! nor the printers hold a literal of their own; a test fails if the stdlib
//! stops declaring one of them.

use crate::model::{Attrs, Model, Resource, Val};
use crate::stdlib::Literal;

/// An attribute of a stdlib kind that always has a value: the app's, or
/// the stdlib's default.
pub struct Defaulted {
    pub kind: &'static str,
    /// The block of the kind that declares the attribute, if not the kind.
    pub block: Option<&'static str>,
    pub attribute: &'static str,
}

pub const MEMORY: Defaulted = Defaulted { kind: "function", block: None, attribute: "memory" };
pub const TIMEOUT: Defaulted = Defaulted { kind: "function", block: None, attribute: "timeout" };
pub const ARCH: Defaulted = Defaulted { kind: "function", block: None, attribute: "arch" };
pub const LOG_RETENTION: Defaulted = Defaulted { kind: "function", block: None, attribute: "log_retention" };
pub const MAX_RECEIVES: Defaulted = Defaulted { kind: "queue", block: None, attribute: "max_receives" };
pub const VISIBILITY_TIMEOUT: Defaulted = Defaulted { kind: "queue", block: None, attribute: "visibility_timeout" };
/// Written only where it differs from the default (Terraform's provider
/// reads an absent `ephemeral_storage` as AWS's default).
pub const STORAGE: Defaulted = Defaulted { kind: "function", block: None, attribute: "storage" };

pub const MACHINE_LOG_RETENTION: Defaulted =
    Defaulted { kind: "state_machine", block: None, attribute: "log_retention" };
/// The header a REST API's `token` authorizer reads the token from.
pub const TOKEN_HEADER: Defaulted = Defaulted { kind: "api", block: Some("authorizer"), attribute: "header" };
pub const QUOTA_PERIOD: Defaulted = Defaulted { kind: "api", block: Some("usage_plan"), attribute: "period" };

/// Every accessor, for the test that holds them to the stdlib.
pub const ALL: [&Defaulted; 10] = [
    &MEMORY,
    &TIMEOUT,
    &ARCH,
    &LOG_RETENTION,
    &MAX_RECEIVES,
    &VISIBILITY_TIMEOUT,
    &STORAGE,
    &MACHINE_LOG_RETENTION,
    &TOKEN_HEADER,
    &QUOTA_PERIOD,
];

impl Defaulted {
    /// A number (a size in MB, a duration in seconds) of a resolved resource.
    pub fn int(&self, resource: &Resource) -> Option<i64> {
        resource.attrs.int(self.attribute)
    }

    /// Whether a resolved resource has the stdlib's default value.
    pub fn is_default(&self, model: &Model, resource: &Resource) -> bool {
        let default = model.kind_of(resource.id).attribute(self.attribute).and_then(|a| a.default.as_ref());
        match (resource.attrs.value(self.attribute), default) {
            (Some(Val::Int(n) | Val::Size(n) | Val::Duration(n)), Some(Literal::Int(d))) => n == d,
            (Some(Val::Str(s) | Val::Word(s)), Some(Literal::Str(d))) => s == d,
            (Some(Val::Bool(b)), Some(Literal::Bool(d))) => b == d,
            (None, _) => true,
            _ => false,
        }
    }

    /// A word or string of a resolved resource.
    pub fn text<'a>(&self, resource: &'a Resource) -> Option<&'a str> {
        self.text_in(&resource.attrs)
    }

    /// A word or string of a resolved block (an authorizer, a usage plan).
    pub fn text_in<'a>(&self, attrs: &'a Attrs) -> Option<&'a str> {
        attrs.str(self.attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::source::Sources;

    #[test]
    fn every_attribute_the_printers_rely_on_has_a_default_in_the_stdlib() {
        let mut sources = Sources::default();
        let (kinds, diagnostics) = crate::stdlib::load(&mut sources);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        for defaulted in ALL {
            let kind = kinds.get(defaulted.kind).unwrap_or_else(|| panic!("no kind {}", defaulted.kind));
            let attributes = match defaulted.block {
                Some(block) => &kind.block(block).unwrap_or_else(|| panic!("no block {block}")).attributes,
                None => &kind.attributes,
            };
            let attribute = attributes.iter().find(|a| a.name == defaulted.attribute);
            let default = attribute.and_then(|a| a.default.as_ref());
            let place = [Some(defaulted.kind), defaulted.block, Some(defaulted.attribute)];
            let place: Vec<&str> = place.into_iter().flatten().collect();
            assert!(default.is_some(), "{} has no default in the stdlib", place.join("."));
        }
    }

    /// A queue subscribed to a bucket takes a bucket trigger's `events`,
    /// `prefix` and `suffix`: the same types and defaults, so that one
    /// notification means the same whether a function or a queue gets it.
    #[test]
    fn a_queue_takes_a_bucket_triggers_settings_as_the_trigger_defines_them() {
        let mut sources = Sources::default();
        let (kinds, _) = crate::stdlib::load(&mut sources);
        let queue = kinds.get("queue").expect("queue");
        let trigger = kinds.get("bucket").and_then(|b| b.trigger.as_ref()).expect("a bucket trigger");
        for option in &trigger.options {
            let attribute = queue.attribute(&option.name).unwrap_or_else(|| panic!("queue has no `{}`", option.name));
            assert_eq!((&attribute.ty, &attribute.default), (&option.ty, &option.default), "{}", option.name);
        }
    }
}
