//! `lambdaform explain` and `lambdaform graph`: the grants of each function
//! with the line behind each one, and the graph as dot or Mermaid.

use super::{load_checked, usage_error, DiagnosticFormat};
use crate::date::Date;
use crate::explain::{
    explain, key_policies, subscriptions, FunctionExplanation, KeyPolicyExplanation, SubscriptionExplanation,
};
use crate::graph::render;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

pub fn run_explain(path: &Path, function: Option<&str>, format: ExplainFormat, today: Date) -> ExitCode {
    let diagnostics = if format == ExplainFormat::Json { DiagnosticFormat::Json } else { DiagnosticFormat::Human };
    let checked = match load_checked(path, diagnostics, today) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let explanations = explain(&checked, function);
    if let Some(name) = function.filter(|_| explanations.is_empty()) {
        return usage_error(&format!("the app has no function (or other resource with a role) named `{name}`"));
    }
    // The queue policies of subscriptions belong to no function.
    let subscriptions = if function.is_none() { subscriptions(&checked) } else { Vec::new() };
    let keys = if function.is_none() { key_policies(&checked) } else { Vec::new() };
    match format {
        ExplainFormat::Json => {
            let mut json = serde_json::json!({ "functions": explanations, "subscriptions": subscriptions });
            if !keys.is_empty() {
                json["key_policies"] = serde_json::json!(keys);
            }
            super::out(&(serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"));
        }
        ExplainFormat::Text => {
            super::out(&(text(&explanations) + &subscriptions_text(&subscriptions) + &key_policies_text(&keys)))
        }
    }
    ExitCode::SUCCESS
}

/// The explanation as aligned tables, one per function: a row per action
/// with the verb that brought it, and the resources and the lines behind it on the statement's first row.
pub fn text(functions: &[FunctionExplanation]) -> String {
    let mut out = String::new();
    for f in functions {
        out.push_str(&format!("{} {} ({})\n", f.kind, f.function, f.location));
        let mut rows =
            vec![["statement".to_string(), "action".into(), "verb".into(), "resources".into(), "because of".into()]];
        for s in &f.statements {
            let mut resources = s.resources.join(", ");
            if let Some(condition) = &s.condition {
                resources.push_str(&format!(" if {condition}"));
            }
            if let Some(why) = &s.why {
                resources.push_str(&format!(" ({why})"));
            }
            for (i, (action, verb)) in s.actions.iter().zip(&s.verbs).enumerate() {
                let first = i == 0;
                let cell = |text: &str| if first { text.to_string() } else { String::new() };
                rows.push([cell(&s.sid), action.clone(), verb.clone(), cell(&resources), cell(&s.sources.join(", "))]);
            }
        }
        out.push_str(&table(&rows));
        if !f.permissions.is_empty() {
            let mut rows = vec![[
                "invoke permission".to_string(),
                "principal".into(),
                "source".into(),
                "because of".into(),
                String::new(),
            ]];
            for p in &f.permissions {
                let mut source = match (&p.source_arn, &p.action, &p.condition) {
                    (Some(arn), _, _) => arn.clone(),
                    (None, Some(action), Some(condition)) => format!("{action} if {condition}"),
                    _ => "any".into(),
                };
                if p.source_account {
                    source.push_str(" (and SourceAccount = this account)");
                }
                rows.push([p.sid.clone(), p.principal.clone(), source, p.source.clone(), String::new()]);
            }
            out.push_str(&table(&rows));
        }
        out.push('\n');
    }
    out
}

/// One table of the queues subscribed to topics, buses and buckets and
/// what their policies allow (and, for a bucket, which events it sends).
fn subscriptions_text(subscriptions: &[SubscriptionExplanation]) -> String {
    if subscriptions.is_empty() {
        return String::new();
    }
    let mut rows = vec![["queue policy".to_string(), "allows".into(), "source".into(), "because of".into()]];
    for s in subscriptions {
        let mut source = format!("{} if aws:SourceArn = {}", s.principal, s.source_arn);
        if s.source_account {
            source.push_str(" and aws:SourceAccount = this account");
        }
        if s.raw_delivery {
            source.push_str(", raw delivery");
        }
        if let Some(notification) = &s.notification {
            source.push_str(", on ");
            source.push_str(&notification.events.join(" or "));
            let keys = [&notification.prefix, &notification.suffix];
            if keys.iter().any(|key| key.is_some()) {
                let [prefix, suffix] = keys.map(|key| key.as_deref().unwrap_or_default());
                source.push_str(&format!(" of keys {prefix}*{suffix}"));
            }
        } else if s.filtered {
            source.push_str(", filtered");
        }
        rows.push([format!("{} ← {}", s.queue, s.from), s.action.to_string(), source, s.source.clone()]);
    }
    let mut out = String::from("subscriptions\n");
    out.push_str(&table(&rows));
    out.push('\n');
    out
}

/// One table of the services the created keys' policies let use them.
fn key_policies_text(keys: &[KeyPolicyExplanation]) -> String {
    if keys.is_empty() {
        return String::new();
    }
    let mut rows = vec![["key policy".to_string(), "allows".into(), "to".into(), "because of".into()]];
    for k in keys {
        let to = format!("{} if aws:SourceAccount = this account, for {}", k.principal, k.queue);
        rows.push([k.key.clone(), k.actions.join(", "), to, k.source.clone()]);
    }
    let mut out = String::from("key policies\n");
    out.push_str(&table(&rows));
    out.push('\n');
    out
}

fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let widths: Vec<usize> = (0..N).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub fn run_graph(path: &Path, format: GraphFormat, today: Date) -> ExitCode {
    let checked = match load_checked(path, DiagnosticFormat::Human, today) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let graph = &checked.graph;
    match format {
        GraphFormat::Dot => super::out(&render::dot(&checked.model, graph)),
        GraphFormat::Mermaid => super::out(&render::mermaid(&checked.model, graph)),
    }
    ExitCode::SUCCESS
}
