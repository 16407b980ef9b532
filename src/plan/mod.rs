//! Plans for pull requests: the previous output against a new build, in
//! AWS terms. Both sides are read from output text (`template.json` or
//! `main.tf`), so any earlier build folder is the input of record. A
//! CloudFormation output split into nested stacks is read as one snapshot.

mod auth;
mod buckets;
mod cloudformation;
mod diff;
mod inputs;
mod nested;
mod reach;
pub mod render;
mod snapshot;
mod tables;
mod terraform;

pub use diff::{glob, Change, Hazard, HazardKind, Plan};
pub use inputs::InputChange;
pub use reach::star_only;
pub use snapshot::{Snapshot, Target};

use snapshot::Budget;

use crate::emit::cloudformation::split::ROOT_TEMPLATE;
use crate::stdlib::Kinds;

/// Reads one output file of `target`.
pub fn snapshot(target: Target, text: &str) -> Result<Snapshot, String> {
    match target {
        Target::Cloudformation => cloudformation::read(text),
        Target::Terraform => terraform::read(text),
    }
}

/// Reads a build's output files (name → text): `main.tf`, or
/// `template.json` with the nested templates it names (`stacks/*.json`).
pub fn snapshot_files(target: Target, files: &[(String, String)]) -> Result<Snapshot, String> {
    let file = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, text)| text.clone());
    match target {
        Target::Cloudformation => {
            let root = file(ROOT_TEMPLATE).ok_or("the output has no template.json")?;
            let mut budget = Budget::for_input(files.iter().map(|(_, text)| text.len()).sum());
            cloudformation::read_folder(&root, &file, &mut budget)
        }
        Target::Terraform => terraform::read(&file("main.tf").ok_or("the output has no main.tf")?),
    }
}

/// Compares two outputs of one target.
pub fn plan(target: Target, old: &Snapshot, new: &Snapshot, kinds: &Kinds) -> Plan {
    diff::plan(target, old, new, &stdlib_replacing(kinds, target))
}

/// (resource type, property) pairs the stdlib marks `replaces = true`.
fn stdlib_replacing(kinds: &Kinds, target: Target) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for kind in kinds.all() {
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
