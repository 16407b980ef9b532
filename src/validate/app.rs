//! Whole-app rules: resources nothing uses, invoke and destination cycles,
//! and functions that trigger themselves through what they write.

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{EdgeKind, Graph};
use crate::model::{Attrs, Model, ResourceId, Trigger};

/// A created resource no edge touches costs money and does nothing.
pub fn unused(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for resource in &model.resources {
        if resource.function.is_some() {
            continue;
        }
        if graph.incoming(resource.id).next().is_none() && graph.graph.edges(graph.node(resource.id)).next().is_none() {
            out.push(
                Diagnostic::new(Code::Unused, resource.name_span, format!("nothing uses `{}`", resource.name))
                    .label("unused")
                    .help("wire it to a function, or remove it"),
            );
        }
    }
}

/// Functions invoking each other (directly or through destinations) in a
/// circle can run forever.
pub fn invoke_cycles(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    let calls = graph.graph.filter_map(
        |_, id| Some(*id),
        |_, e| {
            let calls = matches!(&e.kind, EdgeKind::Access { verb, .. } if verb == "invoke")
                || matches!(e.kind, EdgeKind::Destination { .. });
            calls.then(|| e.clone())
        },
    );
    for component in petgraph::algo::tarjan_scc(&calls) {
        let members: Vec<ResourceId> =
            component.iter().map(|n| calls[*n]).filter(|id| model.resource(*id).function.is_some()).collect();
        let self_loop = component.len() == 1 && calls.find_edge(component[0], component[0]).is_some();
        if members.len() < 2 && !self_loop {
            continue;
        }
        let mut edges: Vec<_> = petgraph::visit::IntoEdgeReferences::edge_references(&calls)
            .filter(|e| {
                component.contains(&petgraph::visit::EdgeRef::source(e))
                    && component.contains(&petgraph::visit::EdgeRef::target(e))
            })
            .map(|e| e.weight().clone())
            .collect();
        edges.sort_by_key(|e| e.span);
        let names: Vec<&str> = members.iter().map(|id| model.resource(*id).name.as_str()).collect();
        let Some((first, rest)) = edges.split_first() else { continue };
        if self_loop && matches!(first.kind, EdgeKind::Destination { .. }) {
            continue; // reported by the self-destination rule
        }
        let mut d = Diagnostic::new(
            Code::InvokeCycle,
            first.span,
            format!("these functions invoke each other in a loop: {}", names.join(" → ")),
        )
        .label(first.kind.label())
        .help("make sure the loop ends, for example with a depth counter in the event, or break it");
        for edge in rest {
            d = d.secondary(edge.span, edge.kind.label());
        }
        out.push(d);
    }
}

/// A function that writes to the bucket, or sends to the queue or topic,
/// that triggers it invokes itself recursively; so does one that writes to
/// what the queue that triggers it subscribes to (a bucket's notifications,
/// a topic's or a bus's messages delivered to the queue).
pub fn recursion(model: &Model, out: &mut Vec<Diagnostic>) {
    const WRITES: [&str; 4] = ["write", "send", "publish", "put"];
    for (function, body) in model.functions() {
        for trigger in &body.triggers {
            for feed in feeds(model, trigger) {
                let written =
                    body.accesses.iter().find(|a| a.target == feed.source && WRITES.contains(&a.verb.as_str()));
                let Some(access) = written.filter(|_| !feed.filtered) else { continue };
                let source = &model.resource(feed.source).name;
                let (message, help) = match feed.through {
                    None => (
                        format!("`{}` writes to `{source}`, which triggers it", function.name),
                        "each write invokes the function again; for a bucket, trigger on a prefix or suffix the function never writes",
                    ),
                    Some(queue) => (
                        format!(
                            "`{}` writes to `{source}`, which delivers to `{}`, which triggers it",
                            function.name,
                            model.resource(queue).name
                        ),
                        "each write comes back through the queue and invokes the function again; for a bucket, subscribe the queue to a prefix or suffix the function never writes",
                    ),
                };
                out.push(
                    Diagnostic::new(Code::Recursion, access.span, message)
                        .label("feeds its own trigger")
                        .secondary(trigger.span, "triggered here")
                        .help(help),
                );
            }
        }
    }
}

/// What a trigger's events come from: its source, and what that source
/// (a queue) subscribes to.
struct Feed {
    source: ResourceId,
    /// The queue the events pass through, when they are delivered to one.
    through: Option<ResourceId>,
    /// Only keys under a prefix or with a suffix arrive.
    filtered: bool,
}

fn feeds(model: &Model, trigger: &Trigger) -> Vec<Feed> {
    let key_filtered = |attrs: &Attrs| attrs.str("prefix").is_some() || attrs.str("suffix").is_some();
    let mut feeds = vec![Feed { source: trigger.source, through: None, filtered: key_filtered(&trigger.options) }];
    let queue = model.resource(trigger.source);
    if let Some(subscribed) = queue.attrs.reference("subscribe") {
        feeds.push(Feed { source: subscribed, through: Some(queue.id), filtered: key_filtered(&queue.attrs) });
    }
    feeds
}
