//! The graph as picture source: Graphviz dot and Mermaid (what a pull
//! request renders). Nodes are grouped by kind; edges carry their verb or
//! trigger. Every text from the program (names, routes) is escaped for the
//! quoted strings it goes into, so no route can end a string early.

use super::Graph;
use crate::model::{Model, Resource};

/// Mermaid `flowchart LR`. Node ids are the names behind a prefix, so that
/// a resource named `end` or `subgraph` is no keyword.
pub fn mermaid(model: &Model, graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    for resource in &model.resources {
        let label = match note(resource) {
            Some(note) => mermaid_text(&format!("{} {} ({note})", resource.kind, resource.name)),
            None => mermaid_text(&format!("{} {}", resource.kind, resource.name)),
        };
        let id = mermaid_id(&resource.name);
        let shape = match resource.kind.as_str() {
            "function" => format!("{id}([\"{label}\"])"),
            "table" | "bucket" | "stream" => format!("{id}[(\"{label}\")]"),
            "queue" | "topic" | "bus" => format!("{id}[/\"{label}\"/]"),
            _ => format!("{id}[\"{label}\"]"),
        };
        out.push_str(&format!("  {shape}\n"));
    }
    for (from, to, edge) in graph.edges() {
        let label = mermaid_text(&edge.kind.label());
        let (from, to) = (mermaid_id(&model.resource(from).name), mermaid_id(&model.resource(to).name));
        out.push_str(&format!("  {from} -->|\"{label}\"| {to}\n"));
    }
    // Inputs as hexagons, a dotted edge to each resource that uses one.
    for input in &model.inputs {
        let label = mermaid_text(&format!("input {}", input.name));
        out.push_str(&format!("  i_{}{{{{\"{label}\"}}}}\n", input.name));
    }
    for used in super::inputs::uses(model) {
        let (input, resource) = (&model.input(used.input).name, &model.resource(used.resource).name);
        out.push_str(&format!("  i_{input} -.->|\"{}\"| {}\n", mermaid_text(&used.place), mermaid_id(resource)));
    }
    out
}

/// What a node's name alone does not say: a WebSocket API, a function's
/// URL (`url: none, stream`), which the app's users call directly.
fn note(resource: &Resource) -> Option<String> {
    if crate::resolve::routes::is_websocket(resource) {
        return Some("websocket".into());
    }
    let url = resource.function_url()?;
    Some(match url.invoke_mode {
        "stream" => format!("url: {}, stream", url.auth),
        _ => format!("url: {}", url.auth),
    })
}

fn mermaid_id(name: &str) -> String {
    format!("r_{name}")
}

/// Text for a Mermaid quoted label: the characters Mermaid reads as markup
/// become its entity codes (`#quot;`), line breaks spaces.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
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
        let kind_text = dot_text(kind);
        out.push_str(&format!("  subgraph \"cluster_{kind_text}\" {{\n    label=\"{kind_text}\";\n"));
        let shape = if kind == "function" { "box" } else { "ellipse" };
        for resource in model.resources.iter().filter(|r| r.kind == kind) {
            let name = dot_text(&resource.name);
            match note(resource) {
                Some(note) => out
                    .push_str(&format!("    \"{name}\" [shape={shape}, label=\"{name}\\n({})\"];\n", dot_text(&note))),
                None => out.push_str(&format!("    \"{name}\" [shape={shape}];\n")),
            }
        }
        out.push_str("  }\n");
    }
    for (from, to, edge) in graph.edges() {
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\"];\n",
            dot_text(&model.resource(from).name),
            dot_text(&model.resource(to).name),
            dot_text(&edge.kind.label())
        ));
    }
    // Inputs in a cluster of their own, a dashed edge to each user.
    if !model.inputs.is_empty() {
        out.push_str("  subgraph \"cluster_input\" {\n    label=\"input\";\n");
        for input in &model.inputs {
            out.push_str(&format!("    \"input {}\" [shape=hexagon];\n", dot_text(&input.name)));
        }
        out.push_str("  }\n");
    }
    for used in super::inputs::uses(model) {
        out.push_str(&format!(
            "  \"input {}\" -> \"{}\" [label=\"{}\", style=dashed];\n",
            dot_text(&model.input(used.input).name),
            dot_text(&model.resource(used.resource).name),
            dot_text(&used.place)
        ));
    }
    out.push_str("}\n");
    out
}

/// Text for a dot quoted string: `"` and `\` escaped (a label reads `\\`
/// as one backslash), line breaks as `\n`, other control characters spaces.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
