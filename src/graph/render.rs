//! The graph as picture source: Graphviz dot and Mermaid (what a pull
//! request renders). Nodes are grouped by kind; edges carry their verb or
//! trigger.

use super::Graph;
use crate::model::Model;

/// Mermaid `flowchart LR`.
pub fn mermaid(model: &Model, graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for resource in &model.resources {
        let label = format!("{} {}", resource.kind, resource.name);
        let shape = match resource.kind.as_str() {
            "function" => format!("{}([\"{label}\"])", resource.name),
            "table" | "bucket" | "stream" => format!("{}[(\"{label}\")]", resource.name),
            "queue" | "topic" | "bus" => format!("{}[/\"{label}\"/]", resource.name),
            _ => format!("{}[\"{label}\"]", resource.name),
        };
        out.push_str(&format!("  {shape}\n"));
    }
    for (from, to, edge) in graph.edges() {
        let label = edge.kind.label().replace('"', "'");
        out.push_str(&format!("  {} -->|\"{label}\"| {}\n", model.resource(from).name, model.resource(to).name));
    }
    out
}

/// Graphviz `digraph`, one cluster per kind.
pub fn dot(model: &Model, graph: &Graph) -> String {
    let mut out = String::from("digraph app {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    let mut kinds: Vec<&str> = model.resources.iter().map(|r| r.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        out.push_str(&format!("  subgraph \"cluster_{kind}\" {{\n    label=\"{kind}\";\n"));
        let shape = if kind == "function" { "box" } else { "ellipse" };
        for resource in model.resources.iter().filter(|r| r.kind == kind) {
            out.push_str(&format!("    \"{}\" [shape={shape}];\n", resource.name));
        }
        out.push_str("  }\n");
    }
    for (from, to, edge) in graph.edges() {
        let label = edge.kind.label().replace('"', "\\\"");
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{label}\"];\n",
            model.resource(from).name,
            model.resource(to).name
        ));
    }
    out.push_str("}\n");
    out
}
