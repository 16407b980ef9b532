//! The dependency graph of a resolved app (petgraph): a node per resource,
//! an edge per verb, trigger, destination, dead letter, redrive, topic
//! subscription, network and mount, each keeping the span that declared it. Cycles among the
//! references the outputs make are reported whole.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, ResourceId, Val};
use crate::source::Span;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// `read orders`: function → resource.
    Access { verb: String, user: Option<String> },
    /// `on jobs`: source → function.
    Trigger { poll: bool, route: Option<String> },
    /// `async { on_success = x }` or a stream trigger's `on_failure`: function → target.
    Destination { when: &'static str },
    /// `dead_letter = x` on a function: function → target.
    DeadLetter,
    /// `dead_letter = x` on a queue: queue → queue.
    Redrive,
    /// `subscribe = x` on a queue: topic → queue.
    Subscription,
    /// `network = x`: function → network.
    Network,
    /// `mount x at "/mnt/y" [readonly]`: function → filesystem.
    Mount { readonly: bool },
    /// `env = { X = y.name }`: the output reads an attribute of another resource.
    Reads { field: String },
    /// A state machine's Task state calls the target through a service
    /// integration (`lambda:invoke`, `dynamodb:putItem`...); the span is in
    /// the definition file.
    Task { integration: String },
    /// `layers = [x]`: function → a layer the app builds.
    Layer,
    /// `domain = { name = "api.example.com", certificate = x }`: api → certificate.
    Domain { name: String },
    /// `authorizer NAME { function = f }` or `{ issuer = pool }` in an api:
    /// api → the function or user pool it calls on.
    Authorizer { name: String },
    /// `encryption = k` on a queue, topic, stream, bucket or secret: the
    /// resource → the KMS key that encrypts it.
    Encryption,
}

impl EdgeKind {
    /// The label shown in `graph` output and in cycle reports.
    pub fn label(&self) -> String {
        match self {
            EdgeKind::Access { verb, .. } => verb.clone(),
            EdgeKind::Trigger { route: Some(route), .. } => format!("on {route}"),
            EdgeKind::Trigger { poll: true, .. } => "polls".into(),
            EdgeKind::Trigger { .. } => "triggers".into(),
            EdgeKind::Destination { when } => (*when).into(),
            EdgeKind::DeadLetter => "dead letter".into(),
            EdgeKind::Redrive => "redrive".into(),
            EdgeKind::Subscription => "delivers".into(),
            EdgeKind::Network => "network".into(),
            EdgeKind::Mount { readonly: false } => "mount".into(),
            EdgeKind::Mount { readonly: true } => "mount readonly".into(),
            EdgeKind::Reads { field } => format!("reads .{field}"),
            EdgeKind::Task { integration } => format!("task {integration}"),
            EdgeKind::Layer => "layer".into(),
            EdgeKind::Domain { name } => format!("domain {name}"),
            EdgeKind::Authorizer { name } => format!("authorizer {name}"),
            EdgeKind::Encryption => "encrypted by".into(),
        }
    }

    /// Whether the source's output definition references the target, so
    /// that a cycle of such edges is a deployment deadlock.
    fn is_dependency(&self) -> bool {
        matches!(self, EdgeKind::Redrive | EdgeKind::Reads { .. })
    }
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub kind: EdgeKind,
    pub span: Span,
}

pub struct Graph {
    pub graph: DiGraph<ResourceId, Edge>,
}

impl Graph {
    pub fn node(&self, id: ResourceId) -> NodeIndex {
        NodeIndex::new(id.0 as usize)
    }

    pub fn edges(&self) -> impl Iterator<Item = (ResourceId, ResourceId, &Edge)> {
        self.graph.edge_references().map(|e| (self.graph[e.source()], self.graph[e.target()], e.weight()))
    }

    /// Who uses a resource: the edges that end at it.
    pub fn incoming(&self, id: ResourceId) -> impl Iterator<Item = (ResourceId, &Edge)> {
        self.graph
            .edges_directed(self.node(id), petgraph::Direction::Incoming)
            .map(|e| (self.graph[e.source()], e.weight()))
    }
}

/// Builds the graph: a node per resource, then each resource's edges in
/// model order, on this thread. Finding the second half's edges on
/// another thread and adding them after took 1.11 against 0.50 ms at
/// 1,000 functions and 9.3 against 6.5 ms at 10,000 (medians of 21 and 7
/// timelines, `benches/stages.py`): the edges waiting in a list of their
/// own cost more fresh memory and copying than finding them saves.
/// Its dependency cycles are [`cycles`].
pub fn build(model: &Model) -> Graph {
    let resources = &model.resources;
    let mut graph = DiGraph::with_capacity(resources.len(), resources.len() * EDGES_PER_RESOURCE);
    for resource in resources {
        graph.add_node(resource.id);
    }
    let mut g = Graph { graph };
    for resource in resources {
        resource_edges(model, resource.id, &mut |from, to, kind, span| g.add(from, to, Edge { kind, span }));
    }
    g
}

/// About how many edges a resource of the bench's apps has (a function
/// has about ten): the graph's first room for them.
const EDGES_PER_RESOURCE: usize = 4;

impl Graph {
    fn add(&mut self, from: ResourceId, to: ResourceId, edge: Edge) {
        self.graph.add_edge(self.node(from), self.node(to), edge);
    }
}

/// Each edge that starts or ends at resource `id`, given to `add`.
fn resource_edges(model: &Model, id: ResourceId, add: &mut impl FnMut(ResourceId, ResourceId, EdgeKind, Span)) {
    let resource = model.resource(id);
    for attr in &resource.attrs.0 {
        let span = attr.span.unwrap_or(resource.name_span);
        match (&resource.kind[..], attr.name.as_str(), &attr.value) {
            ("queue", "dead_letter", Val::Ref(target)) => add(id, *target, EdgeKind::Redrive, span),
            ("queue", "subscribe", Val::Ref(topic)) => add(*topic, id, EdgeKind::Subscription, span),
            ("function", "dead_letter", Val::Ref(target)) => add(id, *target, EdgeKind::DeadLetter, span),
            ("function", "network", Val::Ref(target)) => add(id, *target, EdgeKind::Network, span),
            (_, "encryption", Val::Ref(key)) => add(id, *key, EdgeKind::Encryption, span),
            ("function", "layers", Val::List(layers)) => {
                for layer in layers.iter().filter_map(|l| if let Val::Ref(l) = l { Some(*l) } else { None }) {
                    add(id, layer, EdgeKind::Layer, span);
                }
            }
            (_, _, value) => {
                for (target, field) in field_reads(value) {
                    add(id, target, EdgeKind::Reads { field }, span);
                }
            }
        }
    }
    if let Some(domain) = resource.api_setup.as_ref().and_then(|a| a.domain.as_ref()) {
        add(id, domain.certificate, EdgeKind::Domain { name: domain.name.clone() }, domain.certificate_span);
    }
    for (target, name, span) in resource.api.as_deref().into_iter().flat_map(authorizer_targets) {
        add(id, target, EdgeKind::Authorizer { name }, span);
    }
    if let Some(machine) = &resource.machine {
        add_machine_edges(add, id, machine);
    }
    let Some(function) = &resource.function else { return };
    for access in &function.accesses {
        let user = access.user.as_ref().map(|(user, _)| user.clone());
        add(id, access.target, EdgeKind::Access { verb: access.verb.clone(), user }, access.span);
    }
    for trigger in &function.triggers {
        let poll =
            model.kind_of(trigger.source).trigger.as_ref().is_some_and(|t| t.mode == crate::stdlib::TriggerMode::Poll);
        let route = trigger.route.as_ref().map(|r| r.key());
        add(trigger.source, id, EdgeKind::Trigger { poll, route }, trigger.span);
        if let Some(target) = trigger.options.reference("on_failure") {
            let span = trigger.options.span("on_failure").unwrap_or(trigger.span);
            add(id, target, EdgeKind::Destination { when: "on failure" }, span);
        }
    }
    if let Some(config) = &function.async_config {
        for (name, when) in [("on_success", "on success"), ("on_failure", "on failure")] {
            if let Some(target) = config.attrs.reference(name) {
                add(id, target, EdgeKind::Destination { when }, config.attrs.span(name).unwrap_or(config.span));
            }
        }
    }
    for mount in &function.mounts {
        add(id, mount.target, EdgeKind::Mount { readonly: mount.readonly }, mount.span);
    }
}

/// The functions and user pools an API's authorizers call on, with the
/// authorizer's name and where each is named.
fn authorizer_targets(access: &crate::model::ApiAccess) -> Vec<(ResourceId, String, Span)> {
    let mut out = Vec::new();
    for authorizer in &access.authorizers {
        if let Some(function) = authorizer.function() {
            let span = authorizer.attrs.span("function").unwrap_or(authorizer.name_span);
            out.push((function, authorizer.name.clone(), span));
        }
        if let Some((crate::model::Issuer::Pool(pool), span)) = &authorizer.issuer {
            out.push((*pool, authorizer.name.clone(), *span));
        }
        for pool in authorizer.user_pools() {
            let span = authorizer.attrs.span("user_pools").unwrap_or(authorizer.name_span);
            out.push((pool, authorizer.name.clone(), span));
        }
    }
    out
}

/// A state machine's edges: who starts it, what its Tasks call, and the
/// other resources its definition names (the output reads them).
fn add_machine_edges(
    add: &mut impl FnMut(ResourceId, ResourceId, EdgeKind, Span),
    id: ResourceId,
    machine: &crate::model::MachineBody,
) {
    for trigger in &machine.triggers {
        add(trigger.source, id, EdgeKind::Trigger { poll: false, route: None }, trigger.span);
    }
    let Some(definition) = &machine.definition else { return };
    for task in &definition.tasks {
        add(id, task.target, EdgeKind::Task { integration: task.integration.clone() }, task.span);
    }
    for placeholder in &definition.placeholders {
        if definition.tasks.iter().any(|t| t.span.to(placeholder.span) == t.span) {
            continue;
        }
        let field = placeholder.field.clone().unwrap_or_else(|| "arn".into());
        add(id, placeholder.target, EdgeKind::Reads { field }, placeholder.span);
    }
}

/// The `resource.field` references inside a value.
fn field_reads(value: &Val) -> Vec<(ResourceId, String)> {
    match value {
        Val::Field(id, field) => vec![(*id, field.clone())],
        Val::List(items) => items.iter().flat_map(field_reads).collect(),
        Val::Object(entries) => entries.iter().flat_map(|(_, v)| field_reads(v)).collect(),
        _ => Vec::new(),
    }
}

/// Every strongly connected group of dependency edges is one error that
/// lists the whole cycle, each edge labelled at its line.
pub fn cycles(g: &Graph, model: &Model) -> Vec<Diagnostic> {
    let dependencies = g.graph.filter_map(|_, id| Some(*id), |_, e| e.kind.is_dependency().then(|| e.clone()));
    let mut out = Vec::new();
    for component in petgraph::algo::tarjan_scc(&dependencies) {
        // Nearly every component is one resource without a self-loop: skip
        // it before looking through all the edges for the component's own.
        if let [single] = component[..] {
            if dependencies.find_edge(single, single).is_none() {
                continue;
            }
        }
        let members: Vec<ResourceId> = component.iter().map(|n| dependencies[*n]).collect();
        let edges: Vec<(ResourceId, ResourceId, &Edge)> = dependencies
            .edge_references()
            .filter(|e| component.contains(&e.source()) && component.contains(&e.target()))
            .map(|e| (dependencies[e.source()], dependencies[e.target()], e.weight()))
            .collect();
        if members.len() < 2 && edges.is_empty() {
            continue;
        }
        let mut edges = edges;
        edges.sort_by_key(|(_, _, e)| e.span);
        let names: Vec<&str> = edges.iter().map(|(a, _, _)| model.resource(*a).name.as_str()).collect();
        let path = format!("{} → {}", names.join(" → "), names.first().copied().unwrap_or(""));
        let (first, rest) = edges.split_first().expect("a cycle has an edge");
        let label = |(from, to, e): &(ResourceId, ResourceId, &Edge)| {
            format!("`{}` {} `{}`", model.resource(*from).name, e.kind.label(), model.resource(*to).name)
        };
        let mut d = Diagnostic::new(
            Code::Cycle,
            first.2.span,
            format!("these resources depend on each other in a cycle: {path}"),
        )
        .label(label(first))
        .help("neither can be created before the other: remove one of the references");
        for edge in rest {
            d = d.secondary(edge.2.span, label(edge));
        }
        out.push(d);
    }
    out
}

pub mod inputs;
pub mod render;
