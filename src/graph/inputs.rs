//! Where each deploy-time input is used: the resource and the place (an
//! attribute, `existing`, `allow`). Inputs are not resources, so they are
//! no nodes of the petgraph; `render` draws them beside it.

use crate::model::{AllowPrincipal, InputId, Model, ResourceId, Text, Val};

/// One use of an input by a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    pub input: InputId,
    pub resource: ResourceId,
    /// The attribute (`subnets`, `env`), `existing` or `allow`.
    pub place: String,
}

/// Every use, in the order of the resources and then of their attributes.
pub fn uses(model: &Model) -> Vec<Use> {
    let mut out = Vec::new();
    for resource in &model.resources {
        let mut push = |input: InputId, place: &str| {
            let used = Use { input, resource: resource.id, place: place.to_string() };
            if !out.contains(&used) {
                out.push(used);
            }
        };
        if let Some(input) = resource.existing.as_ref().and_then(|e| e.input) {
            push(input, "existing");
        }
        for attr in &resource.attrs.0 {
            let mut found = Vec::new();
            inputs_in(&attr.value, &mut found);
            for input in found {
                push(input, &attr.name);
            }
        }
        for allow in resource.function.iter().flat_map(|f| &f.allows) {
            if let AllowPrincipal::Account(Text::Input(input))
            | AllowPrincipal::Role(Text::Input(input))
            | AllowPrincipal::Organization(Text::Input(input)) = &allow.principal
            {
                push(*input, "allow");
            }
        }
    }
    out
}

fn inputs_in(value: &Val, out: &mut Vec<InputId>) {
    match value {
        Val::Input(id) => out.push(*id),
        Val::List(items) => items.iter().for_each(|v| inputs_in(v, out)),
        Val::Object(entries) => entries.iter().for_each(|(_, v)| inputs_in(v, out)),
        _ => {}
    }
}
