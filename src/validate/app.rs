//! Whole-app rules: resources nothing uses, invoke and destination cycles,
//! and functions that trigger themselves through what they write.

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{EdgeKind, Graph};
use crate::model::{Model, ResourceId};

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
/// that triggers it invokes itself recursively.
pub fn recursion(model: &Model, out: &mut Vec<Diagnostic>) {
    const WRITES: [&str; 4] = ["write", "send", "publish", "put"];
    for (function, body) in model.functions() {
        for trigger in &body.triggers {
            let filtered = trigger.options.str("prefix").is_some() || trigger.options.str("suffix").is_some();
            let feedback =
                body.accesses.iter().find(|a| a.target == trigger.source && WRITES.contains(&a.verb.as_str()));
            if let (Some(access), false) = (feedback, filtered) {
                out.push(
                    Diagnostic::new(Code::Recursion, access.span, format!("`{}` writes to `{}`, which triggers it", function.name, model.resource(trigger.source).name))
                        .label("feeds its own trigger")
                        .secondary(trigger.span, "triggered here")
                        .help("each write invokes the function again; for a bucket, trigger on a prefix or suffix the function never writes"),
                );
            }
        }
    }
}
