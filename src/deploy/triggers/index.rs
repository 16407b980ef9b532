//! What the trigger builders read of the whole app, made once per output:
//! the Terraform label of what each trigger, each `allow` and each
//! function's integration on an API make (`{function}_{source}`, plus the
//! method for a route, `{function}_allow_{n}`), unique among the app's
//! names; and per source the triggers it feeds, the queues subscribed to
//! it and what it starts, in source order.

use crate::grants::SharedName;
use crate::model::{self, Model, ResourceId};
use crate::source::Span;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// Looked up per trigger, allow and integration while printing: hashed
/// with foldhash (the keys are the compiler's own ids and names).
type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

#[derive(Debug, Default)]
pub struct Index {
    /// Each model resource's name, the label of what is made for it,
    /// shared by all that is; indexed by `ResourceId`.
    labels: Vec<SharedName>,
    /// `(function, trigger index)` → label.
    triggers: Map<(ResourceId, usize), SharedName>,
    /// `(function, allow index)` → label.
    allows: Map<(ResourceId, usize), SharedName>,
    /// `(api, function)` → label of the integration.
    integrations: Map<(ResourceId, ResourceId), SharedName>,
    /// Source → `(function, trigger index)` of each trigger it feeds.
    fed: Map<ResourceId, Vec<(ResourceId, usize)>>,
    /// Source → the queues subscribed to it (`subscribe`).
    subscribers: Map<ResourceId, Vec<ResourceId>>,
    /// Source → what it starts, state machines included
    /// (`grants::starts`).
    starts: HashMap<ResourceId, Vec<(ResourceId, Span)>>,
}

impl Index {
    pub fn new(model: &Model) -> Index {
        // The app's names are borrowed; only the labels made here are kept,
        // each once, shared by every resource and reference that holds it.
        let names: HashSet<&str, foldhash::fast::FixedState> =
            model.resources.iter().map(|r| r.name.as_str()).collect();
        // Sized once: a large app makes tens of thousands of labels.
        let (triggers, allows) = model
            .functions()
            .fold((0, 0), |(triggers, allows), (_, body)| (triggers + body.triggers.len(), allows + body.allows.len()));
        let mut made: HashSet<SharedName, foldhash::fast::FixedState> =
            HashSet::with_capacity_and_hasher(triggers + allows, Default::default());
        let mut unique = |base: String| {
            let mut label = base;
            let mut n = 2;
            let stem_len = label.len();
            while names.contains(label.as_str()) || made.contains(label.as_str()) {
                label.truncate(stem_len);
                label.push('_');
                label.push_str(itoa::Buffer::new().format(n));
                n += 1;
            }
            let label = SharedName::from(label);
            made.insert(label.clone());
            label
        };
        let mut index = Index {
            labels: model.resources.iter().map(|r| SharedName::from(&r.name)).collect(),
            starts: crate::grants::starts(model),
            triggers: Map::with_capacity_and_hasher(triggers, Default::default()),
            allows: Map::with_capacity_and_hasher(allows, Default::default()),
            ..Index::default()
        };
        for (function, body) in model.functions() {
            for (n, trigger) in body.triggers.iter().enumerate() {
                let source = model.resource(trigger.source);
                let mut base = join(&function.name, &source.name);
                if let Some(route) = &trigger.route {
                    let method = if route.method.is_empty() { "default" } else { &route.method };
                    if let Entry::Vacant(entry) = index.integrations.entry((trigger.source, function.id)) {
                        entry.insert(unique(base.clone()));
                    }
                    base.push('_');
                    base.extend(method.chars().map(|c| c.to_ascii_lowercase()));
                }
                index.triggers.insert((function.id, n), unique(base));
                index.fed.entry(trigger.source).or_default().push((function.id, n));
            }
            for n in 0..body.allows.len() {
                let mut base = join(&function.name, "allow_");
                base.push_str(itoa::Buffer::new().format(n + 1));
                index.allows.insert((function.id, n), unique(base));
            }
        }
        for queue in model.resources.iter().filter(|r| r.kind == "queue") {
            if let Some(source) = queue.attrs.reference("subscribe") {
                index.subscribers.entry(source).or_default().push(queue.id);
            }
        }
        index
    }

    /// The label of what is made for `resource` alone: its name.
    pub fn label(&self, resource: &model::Resource) -> SharedName {
        match self.labels.get(resource.id.0 as usize) {
            Some(label) => label.clone(),
            None => SharedName::from(&resource.name),
        }
    }

    /// The label of what trigger `n` of `function` makes.
    pub fn trigger(&self, function: &model::Resource, n: usize) -> SharedName {
        self.triggers.get(&(function.id, n)).cloned().unwrap_or_else(|| self.label(function))
    }

    /// The label of the permission of `function`'s `n`th `allow`.
    pub fn allow(&self, function: &model::Resource, n: usize) -> SharedName {
        self.allows.get(&(function.id, n)).cloned().unwrap_or_else(|| self.label(function))
    }

    /// The label of `function`'s integration on `api`.
    pub fn integration(&self, api: ResourceId, function: &model::Resource) -> SharedName {
        self.integrations.get(&(api, function.id)).cloned().unwrap_or_else(|| self.label(function))
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

    /// The queues subscribed to `source`, in source order.
    pub fn subscribers(&self, source: ResourceId) -> &[ResourceId] {
        self.subscribers.get(&source).map_or(&[], Vec::as_slice)
    }

    /// The sources that feed some trigger or that a queue subscribes to,
    /// in declaration order.
    pub fn sources(&self) -> Vec<ResourceId> {
        let mut sources: Vec<ResourceId> = self.fed.keys().chain(self.subscribers.keys()).copied().collect();
        sources.sort();
        sources.dedup();
        sources
    }
}

/// `{a}_{b}`.
fn join(a: &str, b: &str) -> String {
    let mut joined = String::with_capacity(a.len() + b.len() + 12);
    joined.push_str(a);
    joined.push('_');
    joined.push_str(b);
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is made for a resource alone is labelled with its name, one
    /// text shared by every resource and reference that holds it.
    #[test]
    fn a_resources_label_is_its_name_shared() {
        let source = "app a { region = \"eu-west-1\" }\nqueue jobs {}\n";
        let input = crate::check::Input { name: "main.lf".into(), bytes: source.as_bytes().to_vec() };
        let checked = crate::check::check(vec![input], crate::date::Date::from_unix_seconds(1_786_838_400));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let index = Index::new(&checked.model);
        let jobs = &checked.model.resources[0];
        assert_eq!(index.label(jobs), "jobs");
        assert_eq!(index.label(jobs).as_ptr(), index.label(jobs).as_ptr(), "the same text, not a copy");
    }
}
