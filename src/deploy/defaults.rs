//! The attributes both printers always write (a function's memory, timeout,
//! architecture and log retention; a queue's receives before its dead
//! letter), read through accessors named here. Their defaults live in the
//! stdlib alone, which `resolve` applies, so the printers hold no literal
//! of their own; a test fails if the stdlib stops declaring one of them.

use crate::model::{Model, Resource, Val};
use crate::stdlib::Literal;

/// An attribute of a stdlib kind that always has a value: the app's, or
/// the stdlib's default.
pub struct Defaulted {
    pub kind: &'static str,
    pub attribute: &'static str,
}

pub const MEMORY: Defaulted = Defaulted { kind: "function", attribute: "memory" };
pub const TIMEOUT: Defaulted = Defaulted { kind: "function", attribute: "timeout" };
pub const ARCH: Defaulted = Defaulted { kind: "function", attribute: "arch" };
pub const LOG_RETENTION: Defaulted = Defaulted { kind: "function", attribute: "log_retention" };
pub const MAX_RECEIVES: Defaulted = Defaulted { kind: "queue", attribute: "max_receives" };
/// Written only where it differs from the default (Terraform's provider
/// reads an absent `ephemeral_storage` as AWS's default).
pub const STORAGE: Defaulted = Defaulted { kind: "function", attribute: "storage" };

/// Every accessor, for the test that holds them to the stdlib.
pub const ALL: [&Defaulted; 6] = [&MEMORY, &TIMEOUT, &ARCH, &LOG_RETENTION, &MAX_RECEIVES, &STORAGE];

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
        resource.attrs.str(self.attribute)
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
            let attribute = kind.attributes.iter().find(|a| a.name == defaulted.attribute);
            let default = attribute.and_then(|a| a.default.as_ref());
            assert!(default.is_some(), "{}.{} has no default in the stdlib", defaulted.kind, defaulted.attribute);
        }
    }
}
