//! A plan as text for terminals, Markdown for pull-request comments (a
//! summary line, hazards, grants, collapsible details, a Mermaid graph of
//! what changed) and JSON for tools.

use super::diff::{Change, Plan};
use serde_json::Value;

/// The JSON form; its schema is documented in docs/plan.md.
pub fn json(plan: &Plan) -> String {
    let value = serde_json::json!({
        "schema": 1,
        "summary": summary_json(plan),
        "plan": plan,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

fn summary_json(plan: &Plan) -> Value {
    serde_json::json!({
        "added": plan.count(Change::Added),
        "removed": plan.count(Change::Removed),
        "changed": plan.count(Change::Changed),
        "replaced": plan.count(Change::Replaced),
        "grants_added": plan.grants.iter().filter(|g| g.change == Change::Added).count(),
        "grants_removed": plan.grants.iter().filter(|g| g.change == Change::Removed).count(),
        "grants_widened": plan.grants.iter().filter(|g| g.widened).count(),
        "hazards": plan.hazards.len(),
    })
}

/// One line: what changes, in numbers.
pub fn summary(plan: &Plan) -> String {
    if plan.is_empty() {
        return "No changes.".into();
    }
    let grants_added = plan.grants.iter().filter(|g| g.change == Change::Added).count();
    let grants_removed = plan.grants.iter().filter(|g| g.change == Change::Removed).count();
    let line = format!(
        "{} to add, {} to change, {} to replace, {} to remove; grants: {grants_added} added, {grants_removed} removed; {} hazard(s).",
        plan.count(Change::Added),
        plan.count(Change::Changed),
        plan.count(Change::Replaced),
        plan.count(Change::Removed),
        plan.hazards.len()
    );
    match plan.inputs.len() {
        0 => line,
        n => format!("{line} {n} input(s) added, removed or changed."),
    }
}

/// Terminal text; `color` adds ANSI colours.
pub fn text(plan: &Plan, color: bool) -> String {
    let paint = |code: &str, s: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
    let mut out = format!("{}\n", summary(plan));
    if !plan.hazards.is_empty() {
        out.push_str(&format!("\n{}\n", paint("1;31", "Hazards")));
        for h in &plan.hazards {
            out.push_str(&format!("  {} {}\n", paint("31", &format!("[{}]", h.kind.as_str())), h.message));
        }
    }
    if !plan.grants.is_empty() || !plan.permissions.is_empty() {
        out.push_str(&format!("\n{}\n", paint("1", "Grants")));
        for g in &plan.grants {
            let sign = if g.change == Change::Added { paint("32", "+") } else { paint("31", "-") };
            let widened =
                if g.widened && g.change == Change::Added { paint("33", " (widened)") } else { String::new() };
            out.push_str(&format!(
                "  {sign} {}: {} on {}{widened}{}\n",
                g.function,
                g.action,
                super::diff::scoped(&g.resource, g.condition.as_deref()),
                lines(&g.sources)
            ));
        }
        for p in &plan.permissions {
            let sign = if p.change == Change::Added { paint("32", "+") } else { paint("31", "-") };
            let widened =
                if p.widened && p.change == Change::Added { paint("33", " (widened)") } else { String::new() };
            out.push_str(&format!(
                "  {sign} {}: invoke by {} from {}{widened}{}\n",
                p.function,
                p.principal,
                p.source_arn.as_deref().unwrap_or("any source"),
                lines(&p.sources)
            ));
        }
    }
    if !plan.inputs.is_empty() {
        out.push_str(&format!("\n{}\n", paint("1", "Inputs")));
        for input in &plan.inputs {
            out.push_str(&format!("  {}\n", input.message));
        }
    }
    if !plan.resources.is_empty() {
        out.push_str(&format!("\n{}\n", paint("1", "Resources")));
        for r in &plan.resources {
            let (sign, code) = match r.change {
                Change::Added => ("+", "32"),
                Change::Removed => ("-", "31"),
                Change::Changed => ("~", "33"),
                Change::Replaced => ("-/+", "35"),
            };
            out.push_str(&format!("  {} {} ({})\n", paint(code, sign), r.id, r.ty));
            for p in &r.properties {
                let replaces = if p.replaces { " (forces replacement)" } else { "" };
                out.push_str(&format!("      {}: {} → {}{replaces}\n", p.path, short(&p.before), short(&p.after)));
            }
        }
    }
    out
}

fn lines(sources: &[String]) -> String {
    if sources.is_empty() {
        String::new()
    } else {
        format!("  ({})", sources.join(", "))
    }
}

fn short(value: &Option<Value>) -> String {
    let text = match value {
        None => "(none)".to_string(),
        Some(Value::String(s)) => format!("{s:?}"),
        Some(v) => v.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(79).collect::<String>())
    } else {
        text
    }
}

/// A pull-request comment.
pub fn markdown(plan: &Plan) -> String {
    let mut out = format!("### Lambdaform plan\n\n{}\n", summary(plan));
    if !plan.hazards.is_empty() {
        out.push_str("\n#### ⚠️ Hazards\n\n| hazard | resource | what happens |\n| --- | --- | --- |\n");
        for h in &plan.hazards {
            out.push_str(&format!("| `{}` | `{}` | {} |\n", h.kind.as_str(), h.resource, cell(&h.message)));
        }
    }
    if !plan.grants.is_empty() || !plan.permissions.is_empty() {
        out.push_str(
            "\n#### Grants\n\n| | function | action | resource | because of |\n| --- | --- | --- | --- | --- |\n",
        );
        for g in &plan.grants {
            let sign = match (g.change, g.widened) {
                (Change::Added, true) => "➕ widened",
                (Change::Added, false) => "➕",
                _ => "➖",
            };
            out.push_str(&format!(
                "| {sign} | `{}` | `{}` | `{}` | {} |\n",
                g.function,
                g.action,
                cell(&super::diff::scoped(&g.resource, g.condition.as_deref())),
                g.sources.join(", ")
            ));
        }
        for p in &plan.permissions {
            let sign = match (p.change, p.widened) {
                (Change::Added, true) => "➕ invoke, widened",
                (Change::Added, false) => "➕ invoke",
                _ => "➖ invoke",
            };
            let source = p.source_arn.as_deref().unwrap_or("any source");
            out.push_str(&format!(
                "| {sign} | `{}` | `{}` | `{}` | {} |\n",
                p.function,
                cell(&p.principal),
                cell(source),
                p.sources.join(", ")
            ));
        }
    }
    if !plan.inputs.is_empty() {
        out.push_str("\n#### Inputs\n\n");
        for input in &plan.inputs {
            out.push_str(&format!("- {}\n", cell(&input.message)));
        }
    }
    if !plan.resources.is_empty() {
        out.push_str("\n<details><summary>Resources</summary>\n\n| change | resource | type | properties |\n| --- | --- | --- | --- |\n");
        for r in &plan.resources {
            let properties: Vec<String> = r
                .properties
                .iter()
                .map(|p| format!("`{}`{}", p.path, if p.replaces { " (replaces)" } else { "" }))
                .collect();
            out.push_str(&format!(
                "| {} | `{}` | `{}` | {} |\n",
                change_word(r.change),
                r.id,
                r.ty,
                properties.join(", ")
            ));
        }
        out.push_str("\n</details>\n");
        out.push_str(&format!(
            "\n<details><summary>Graph of what changed</summary>\n\n```mermaid\n{}```\n\n</details>\n",
            mermaid(plan)
        ));
    }
    out
}

/// Changed resources as a Mermaid graph, coloured by change.
pub fn mermaid(plan: &Plan) -> String {
    let mut out = String::from("flowchart LR\n");
    for r in &plan.resources {
        let id: String = r.id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        out.push_str(&format!("  {id}[\"{} {}\"]:::{:?}\n", r.id, r.ty, r.change));
    }
    out.push_str("  classDef Added fill:#d4f8d4;\n  classDef Removed fill:#f8d4d4;\n  classDef Changed fill:#f8f0c8;\n  classDef Replaced fill:#e8d4f8;\n");
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn change_word(change: Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
        Change::Replaced => "replaced",
    }
}
