//! Two resources of one AWS type with one physical name would be one
//! resource to AWS: the second deployment fails, or worse, takes the
//! first's place. Names cut to AWS's lengths end with a 32-bit hash of the
//! whole, and two long names can share it; this finds every such pair for
//! the stage being built.

use super::names;
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;

/// An error for each resource whose physical name an earlier resource of
/// the same type already has, pointing at both names.
pub fn check_physical_names(checked: &Checked, stage: &str) -> Vec<Diagnostic> {
    let model = &checked.model;
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (index, resource) in model.resources.iter().enumerate().filter(|(_, r)| r.is_created()) {
        let name = match resource.kind.as_str() {
            "bucket" => names::bucket_prefix(model, stage, resource),
            _ => match names::naming(model, stage, resource) {
                Some(naming) => naming.name,
                None => continue,
            },
        };
        match seen.get(&(resource.kind.clone(), name.clone())) {
            Some(&first) => {
                let first = &model.resources[first];
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
            None => {
                seen.insert((resource.kind.clone(), name), index);
            }
        }
    }
    out
}
