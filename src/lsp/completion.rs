//! Completion, driven by the stdlib's definitions: kinds at the top level
//! (after `existing` those that can be, after `defaults` those the app can
//! create), attributes inside a block (type and default in the detail; in
//! a defaults block those a default may give), verbs and
//! trigger keywords at the start of a function statement, the targets a
//! verb is defined for, enumerated words and booleans after `attr =`, the
//! resources of the right kinds after `network =`, `on`, `mount`,
//! `dead_letter =`, `on_failure =` and `on_success =`, and the readable
//! fields after `resource.`. Resources are those that resolved and those
//! whose item does not parse yet but whose header is whole (`index`).

use super::context::{context, Frame};
use super::workspace::Analysis;
use super::{hover, index, inputs};
use crate::check::Checked;
use crate::stdlib::{AttrDef, AttrType, KindDef};
use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};

/// The completions at byte `offset` of `text`; `None` inside a string or
/// a comment.
pub fn completion(analysis: &Analysis, text: &str, offset: usize) -> Option<Vec<CompletionItem>> {
    let context = context(text, offset)?;
    let checked = &analysis.checked;
    let kinds = &checked.model.kinds;
    let words: Vec<&str> = context.words.iter().map(String::as_str).collect();
    if let [.., resource, "."] = words.as_slice() {
        return Some(fields(checked, resource));
    }
    let items = match context.frames.last() {
        None => top_level(checked, &words),
        Some(Frame::Block { kind }) if kind == "app" => match words.as_slice() {
            [] => ["region", "account", "tags", "permissions_boundary"]
                .iter()
                .map(|name| item(name, CompletionItemKind::PROPERTY, "app setting", None))
                .collect(),
            _ => Vec::new(),
        },
        Some(Frame::Block { kind }) if kind == "input" => inputs::in_block(&words),
        Some(Frame::Block { kind }) => match kinds.get(kind) {
            Some(def) => with_authorizers(checked, None, block(checked, def, &words), &words),
            None => Vec::new(),
        },
        Some(Frame::Defaults { kind }) => match kinds.get(kind) {
            Some(def) => settings(checked, &crate::resolve::defaultable(def), &words),
            None => Vec::new(),
        },
        Some(Frame::Existing { kind }) => match kinds.get(kind) {
            Some(def) => settings(checked, &def.existing_settings(), &words),
            None => Vec::new(),
        },
        Some(Frame::Async) => match kinds.get("function").and_then(|f| f.block("async")) {
            Some(block) => settings(checked, &block.attributes, &words),
            None => Vec::new(),
        },
        Some(Frame::Options { source }) => match kind_of(checked, source).and_then(|k| k.trigger.as_ref()) {
            Some(trigger) => {
                with_authorizers(checked, Some(source), settings(checked, &trigger.options, &words), &words)
            }
            None => Vec::new(),
        },
        Some(Frame::Nested { kind, block }) => match kinds.get(kind).and_then(|k| k.block(block)) {
            Some(block) => settings(checked, &block.attributes, &words),
            None => Vec::new(),
        },
        Some(Frame::Object { kind, attribute }) => {
            match kinds.get(kind).and_then(|k| k.attribute(attribute)).map(|a| &a.ty) {
                Some(AttrType::Record(entries)) => settings(checked, entries, &words),
                _ => Vec::new(),
            }
        }
        Some(Frame::Other) => Vec::new(),
    };
    Some(items)
}

pub(super) fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: &str,
    documentation: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        documentation: documentation
            .map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })),
        ..CompletionItem::default()
    }
}

fn top_level(checked: &Checked, words: &[&str]) -> Vec<CompletionItem> {
    let kinds = checked.model.kinds.all();
    let kind_item =
        |k: &KindDef| item(&k.name, CompletionItemKind::CLASS, "resource kind", Some(hover::kind_markdown(k)));
    match words {
        [] => {
            let mut items: Vec<CompletionItem> = kinds.iter().filter(|k| k.creatable).map(kind_item).collect();
            if checked.model.app.span.is_none() {
                items.push(item("app", CompletionItemKind::KEYWORD, "the app block: region, tags, ...", None));
            }
            items.push(item("existing", CompletionItemKind::KEYWORD, "existing KIND NAME = \"ARN\"", None));
            items.push(item(
                "defaults",
                CompletionItemKind::KEYWORD,
                "defaults KIND { ... }: attributes every resource of a kind takes",
                None,
            ));
            items.extend(inputs::top_level(checked, words));
            items
        }
        ["existing", _, _, "="] => inputs::top_level(checked, words),
        ["existing"] => kinds.iter().filter(|k| k.existable && !k.arn.is_empty()).map(kind_item).collect(),
        ["defaults"] => kinds.iter().filter(|k| k.creatable).map(kind_item).collect(),
        _ => Vec::new(),
    }
}

/// After `auth =`: the authorizers of the route's API (`source`), or of
/// every API in an api block, beside `none` and `iam`.
fn with_authorizers(
    checked: &Checked,
    source: Option<&String>,
    mut items: Vec<CompletionItem>,
    words: &[&str],
) -> Vec<CompletionItem> {
    if words != ["auth", "="] {
        return items;
    }
    let apis = checked.model.resources.iter().filter(|r| source.is_none_or(|s| *s == r.name));
    for access in apis.filter_map(|r| r.api.as_ref()) {
        for authorizer in &access.authorizers {
            if !items.iter().any(|i| i.label == authorizer.name) {
                let detail = format!("{} authorizer", authorizer.ty.word());
                items.push(item(&authorizer.name, CompletionItemKind::VARIABLE, &detail, None));
            }
        }
    }
    items
}

/// Inside a block of `kind`.
fn block(checked: &Checked, kind: &KindDef, words: &[&str]) -> Vec<CompletionItem> {
    let function = kind.name == "function";
    match words {
        [] => {
            let mut items = attributes(&kind.attributes);
            if function {
                items.extend(statement_starts(checked));
            } else {
                items.extend(kind.blocks.iter().map(|b| {
                    let mut completion =
                        item(&b.name, CompletionItemKind::KEYWORD, &format!("{} NAME {{ ... }}", b.name), None);
                    completion.insert_text = Some(format!("{} ", b.name));
                    completion
                }));
            }
            if kind.name == "state_machine" {
                items.push(item(
                    "on",
                    CompletionItemKind::KEYWORD,
                    "on SCHEDULE or on BUS { pattern = ... }: what starts it",
                    None,
                ));
            }
            items
        }
        [attr, "="] => {
            let mut items = settings(checked, &kind.attributes, words);
            items.extend(inputs::after_assignment(checked, &kind.name, attr));
            items
        }
        _ if function => inputs::after_allow(checked, words).unwrap_or_else(|| function_statement(checked, words)),
        _ if kind.name == "state_machine" => machine_statement(checked, words),
        _ => Vec::new(),
    }
}

/// In a state machine: what starts it (`on` a schedule or a bus).
fn machine_statement(checked: &Checked, words: &[&str]) -> Vec<CompletionItem> {
    match words {
        ["on"] => resources(checked, |k| matches!(k.name.as_str(), "schedule" | "bus")),
        _ => Vec::new(),
    }
}

/// Attributes at a statement start, or the values of `attr =`.
fn settings(checked: &Checked, defs: &[AttrDef], words: &[&str]) -> Vec<CompletionItem> {
    match words {
        [] => attributes(defs),
        [attr, "="] => match defs.iter().find(|d| d.name == *attr) {
            Some(def) => values(checked, &def.ty),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn attributes(defs: &[AttrDef]) -> Vec<CompletionItem> {
    defs.iter()
        .map(|def| {
            let mut detail = type_word(&def.ty);
            if let Some(default) = &def.default {
                detail = format!("{detail}, default {}", hover::literal(&def.ty, default));
            } else if def.required {
                detail = format!("{detail}, required");
            }
            let mut completion = item(&def.name, CompletionItemKind::PROPERTY, &detail, Some(hover::summary(def)));
            completion.insert_text = Some(format!("{} = ", def.name));
            completion
        })
        .collect()
}

fn type_word(ty: &AttrType) -> String {
    match ty {
        AttrType::String => "string".into(),
        AttrType::Int => "number".into(),
        AttrType::Bool => "bool".into(),
        AttrType::Duration => "duration".into(),
        AttrType::Size => "size".into(),
        AttrType::Enum(values) | AttrType::Name(values) => values.join(" | "),
        AttrType::Ref(kinds) => format!("a {}", kinds.join(" | ")),
        AttrType::List => "list".into(),
        AttrType::Object | AttrType::Record(_) => "object".into(),
    }
}

/// What may stand after `attr =`.
fn values(checked: &Checked, ty: &AttrType) -> Vec<CompletionItem> {
    match ty {
        AttrType::Ref(kinds) => resources(checked, |k| kinds.contains(&k.name)),
        AttrType::Enum(values) | AttrType::Name(values) => {
            values.iter().map(|v| item(v, CompletionItemKind::ENUM_MEMBER, "", None)).collect()
        }
        AttrType::Bool => ["true", "false"].iter().map(|v| item(v, CompletionItemKind::KEYWORD, "", None)).collect(),
        _ => Vec::new(),
    }
}

/// The app's resources whose kind passes `wanted`, including those whose
/// item does not parse yet (the function being typed).
fn resources(checked: &Checked, wanted: impl Fn(&KindDef) -> bool) -> Vec<CompletionItem> {
    index::declared(checked)
        .into_iter()
        .filter(|d| wanted(d.kind))
        .map(|d| {
            let detail = if d.existing { format!("existing {}", d.kind.name) } else { d.kind.name.clone() };
            item(d.name, CompletionItemKind::VARIABLE, &detail, None)
        })
        .collect()
}

/// Verbs the app's resources define (with their targets), and the other
/// statement keywords of a function.
fn statement_starts(checked: &Checked) -> Vec<CompletionItem> {
    let mut verbs: Vec<(String, Vec<&str>)> = Vec::new();
    for declared in index::declared(checked) {
        for verb in declared.kind.verbs.iter().filter(|v| !v.is_mount()) {
            match verbs.iter_mut().find(|(name, _)| *name == verb.name) {
                Some((_, targets)) => targets.push(declared.name),
                None => verbs.push((verb.name.clone(), vec![declared.name])),
            }
        }
    }
    let mut items: Vec<CompletionItem> = verbs
        .iter()
        .map(|(verb, targets)| {
            let detail = format!("verb: {}", targets.join(", "));
            item(verb, CompletionItemKind::METHOD, &detail, None)
        })
        .collect();
    items.push(item("on", CompletionItemKind::KEYWORD, "on SOURCE: a trigger", None));
    items.push(item("mount", CompletionItemKind::KEYWORD, "mount NAME at \"/mnt/...\"", None));
    items.push(item("allow", CompletionItemKind::KEYWORD, "allow invoke from account \"ID\"", None));
    items.push(item("async", CompletionItemKind::KEYWORD, "async { retries, max_age, on_success, on_failure }", None));
    items
}

/// After the first words of a function statement: `on`, `mount`, a verb.
fn function_statement(checked: &Checked, words: &[&str]) -> Vec<CompletionItem> {
    match words {
        ["on"] => resources(checked, |k| k.trigger.is_some()),
        ["mount"] => resources(checked, |k| k.verb("mount").is_some()),
        [verb] | [verb, .., ","] if *verb != "mount" => {
            let mut items = resources(checked, |k| k.verb(verb).is_some());
            items.retain(|item| !words[1..].contains(&item.label.as_str()));
            items
        }
        _ => Vec::new(),
    }
}

/// The kind of a resource the app declares, parsed or not yet.
fn kind_of<'c>(checked: &'c Checked, name: &str) -> Option<&'c KindDef> {
    index::declared(checked).into_iter().find(|d| d.name == name).map(|d| d.kind)
}

/// The fields of `resource` that may be read: of an existing resource,
/// those its ARN holds (the others are refused, LF1045, LF1066, LF3036).
fn fields(checked: &Checked, resource: &str) -> Vec<CompletionItem> {
    let Some(kind) = kind_of(checked, resource) else {
        return Vec::new();
    };
    let resolved = checked.model.find(resource).map(|id| checked.model.resource(id));
    kind.fields
        .iter()
        .filter(|f| resolved.is_none_or(|r| crate::resolve::existing::readable(r, &f.name)))
        .map(|f| {
            let detail = format!("CloudFormation {}, Terraform {}", f.cloudformation, f.terraform);
            item(&f.name, CompletionItemKind::FIELD, &detail, None)
        })
        .collect()
}
