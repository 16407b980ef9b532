//! What the trigger builders read of the whole app, made once per output:
//! the Terraform label of what each trigger, each `allow` and each
//! function's integration on an API make (`{function}_{source}`, plus the
//! method for a route, `{function}_allow_{n}`), unique among the app's
//! names; and per source the triggers it feeds and what it starts, in
//! source order.

use crate::model::{self, Model, ResourceId};
use crate::source::Span;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default)]
pub struct Index {
    /// `(function, trigger index)` → label.
    triggers: HashMap<(ResourceId, usize), String>,
    /// `(function, allow index)` → label.
    allows: HashMap<(ResourceId, usize), String>,
    /// `(api, function)` → label of the integration.
    integrations: HashMap<(ResourceId, ResourceId), String>,
    /// Source → `(function, trigger index)` of each trigger it feeds.
    fed: HashMap<ResourceId, Vec<(ResourceId, usize)>>,
    /// Source → what it starts, state machines included
    /// (`grants::starts`).
    starts: HashMap<ResourceId, Vec<(ResourceId, Span)>>,
}

impl Index {
    pub fn new(model: &Model) -> Index {
        let mut used: HashSet<String> = model.resources.iter().map(|r| r.name.clone()).collect();
        let mut unique = |base: String| {
            let mut label = base.clone();
            let mut n = 2;
            while !used.insert(label.clone()) {
                label = format!("{base}_{n}");
                n += 1;
            }
            label
        };
        let mut index = Index { starts: crate::grants::starts(model), ..Index::default() };
        for (function, body) in model.functions() {
            for (n, trigger) in body.triggers.iter().enumerate() {
                let source = model.resource(trigger.source);
                let mut base = format!("{}_{}", function.name, source.name);
                if let Some(route) = &trigger.route {
                    let method = if route.method.is_empty() { "default" } else { &route.method };
                    base = format!("{base}_{}", method.to_ascii_lowercase());
                    if let Entry::Vacant(entry) = index.integrations.entry((trigger.source, function.id)) {
                        entry.insert(unique(format!("{}_{}", function.name, source.name)));
                    }
                }
                index.triggers.insert((function.id, n), unique(base));
                index.fed.entry(trigger.source).or_default().push((function.id, n));
            }
            for n in 0..body.allows.len() {
                index.allows.insert((function.id, n), unique(format!("{}_allow_{}", function.name, n + 1)));
            }
        }
        index
    }

    /// The label of what trigger `n` of `function` makes.
    pub fn trigger(&self, function: &model::Resource, n: usize) -> String {
        self.triggers.get(&(function.id, n)).cloned().unwrap_or_else(|| function.name.clone())
    }

    /// The label of the permission of `function`'s `n`th `allow`.
    pub fn allow(&self, function: &model::Resource, n: usize) -> String {
        self.allows.get(&(function.id, n)).cloned().unwrap_or_else(|| function.name.clone())
    }

    /// The label of `function`'s integration on `api`.
    pub fn integration(&self, api: ResourceId, function: &model::Resource) -> String {
        self.integrations.get(&(api, function.id)).cloned().unwrap_or_else(|| function.name.clone())
    }

    /// The functions `source` triggers, each with the index of the
    /// trigger, in source order.
    pub fn fed_by(&self, source: ResourceId) -> &[(ResourceId, usize)] {
        self.fed.get(&source).map_or(&[], Vec::as_slice)
    }

    /// The functions and state machines `source` starts, with the span of
    /// each trigger, in source order.
    pub fn started(&self, source: ResourceId) -> &[(ResourceId, Span)] {
        self.starts.get(&source).map_or(&[], Vec::as_slice)
    }

    /// The sources that feed some trigger, in declaration order.
    pub fn sources(&self) -> Vec<ResourceId> {
        let mut sources: Vec<ResourceId> = self.fed.keys().copied().collect();
        sources.sort();
        sources
    }
}
