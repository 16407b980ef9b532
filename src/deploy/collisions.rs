//! Two resources of one AWS type with one physical name would be one
//! resource to AWS: the second deployment fails, or worse, takes the
//! first's place. Names cut to AWS's lengths end with a 32-bit hash of the
//! whole, and two long names can share it; this finds every such pair for
//! the stage being built.

use super::names;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Resource};
use std::collections::hash_map::{Entry, HashMap};

/// An error for each resource whose physical name an earlier resource of
/// the same type already has, pointing at both names.
pub fn check_physical_names(model: &Model, stage: &str) -> Vec<Diagnostic> {
    // Naming is most of the work (a name per resource, hashed where cut):
    // two threads name half the resources each.
    let created: Vec<&Resource> = model.resources.iter().filter(|r| r.is_created()).collect();
    let named = crate::parallel::in_halves(&created, |resource| match resource.kind.as_str() {
        "bucket" => Some(names::bucket_prefix(model, stage, resource)),
        _ => names::naming(model, stage, resource).map(|naming| naming.name),
    });
    let mut seen: HashMap<(&str, String), &Resource, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(named.len(), foldhash::fast::FixedState::default());
    let mut out = Vec::new();
    for (resource, name) in created.into_iter().zip(named) {
        let Some(name) = name else { continue };
        match seen.entry((resource.kind.as_str(), name)) {
            Entry::Occupied(first) => {
                let (first, name) = (*first.get(), &first.key().1);
                out.push(
                    Diagnostic::new(
                        Code::PhysicalNameCollision,
                        resource.name_span,
                        format!(
                            "{} `{}` and `{}` would both be named `{name}` in stage `{stage}`",
                            resource.kind, first.name, resource.name
                        ),
                    )
                    .label("second resource with this physical name")
                    .secondary(first.name_span, "first named here")
                    .help("shorten one of the two names so that it fits AWS's length for this kind uncut"),
                );
            }
            Entry::Vacant(entry) => {
                entry.insert(resource);
            }
        }
    }
    out
}
