//! Plans for pull requests: the previous output against a new build, in
//! AWS terms. Both sides are read from output text (`template.json` or
//! `main.tf`), so any earlier build folder is the input of record.

mod cloudformation;
mod diff;
pub mod render;
mod snapshot;
mod terraform;

pub use diff::{glob, Change, Hazard, HazardKind, Plan};
pub use snapshot::{Snapshot, Target};

use crate::stdlib::Kinds;

/// Reads one output file of `target`.
pub fn snapshot(target: Target, text: &str) -> Result<Snapshot, String> {
    match target {
        Target::Cloudformation => cloudformation::read(text),
        Target::Terraform => terraform::read(text),
    }
}

/// Compares two outputs of one target.
pub fn plan(target: Target, old: &Snapshot, new: &Snapshot, kinds: &Kinds) -> Plan {
    diff::plan(target, old, new, &stdlib_replacing(kinds, target))
}

/// (resource type, property) pairs the stdlib marks `replaces = true`.
fn stdlib_replacing(kinds: &Kinds, target: Target) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for kind in &kinds.kinds {
        let ty = match target {
            Target::Cloudformation => &kind.cloudformation,
            Target::Terraform => &kind.terraform,
        };
        for attribute in kind.attributes.iter().filter(|a| a.replaces) {
            let property = match target {
                Target::Cloudformation => &attribute.cloudformation,
                Target::Terraform => &attribute.terraform,
            };
            if let Some(property) = property {
                out.push((ty.clone(), property.clone()));
            }
        }
    }
    out
}
