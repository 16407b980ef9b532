//! Inlay hints: after a resource's name, the durations and sizes it gets
//! by default or from a `defaults` block (`timeout 3s, memory 128MB`), which decide AWS rules such as
//! a queue's visibility against its consumer's timeout; after each target
//! of a verb, how many IAM actions that grants (hover the verb for them).

use super::workspace::Analysis;
use crate::model::{Resource, Val};
use crate::resolve::format_in_unit;
use crate::source::{FileId, Span};
use crate::stdlib::AttrType;
use lsp_types::{InlayHint, InlayHintLabel, InlayHintTooltip, Range};

pub fn hints(analysis: &Analysis, file: FileId, range: Range) -> Vec<InlayHint> {
    let start = analysis.offset(file, range.start);
    let end = analysis.offset(file, range.end);
    let visible = |span: Span| span.file == file && start <= span.start as usize && span.end as usize <= end;
    let model = &analysis.checked.model;
    let mut out = Vec::new();
    for resource in model.resources.iter().filter(|r| visible(r.span) || visible(r.name_span)) {
        if let Some(defaults) = defaults(analysis, resource) {
            out.push(hint(analysis, resource.name_span, defaults, "defaults that apply"));
        }
        let Some(body) = &resource.function else { continue };
        for access in body.accesses.iter().filter(|a| visible(a.span)) {
            let kind = model.known_kind(model.resource(access.target));
            let Some(verb) = kind.and_then(|k| k.verb(&access.verb)) else { continue };
            let applying = verb.grants.iter().filter(|g| crate::grants::holds(model, g, access.target));
            let actions: usize = applying.map(|g| g.actions.len()).sum();
            let label = if actions == 1 { "1 IAM action".to_string() } else { format!("{actions} IAM actions") };
            out.push(hint(analysis, access.span, label, "what this grants: hover the verb for the actions"));
        }
    }
    out
}

/// The durations and sizes a resource leaves at their default, or takes
/// from its kind's `defaults` block: values its own block does not show.
fn defaults(analysis: &Analysis, resource: &Resource) -> Option<String> {
    let kind = analysis.checked.model.known_kind(resource)?;
    let defaults: Vec<String> = resource
        .attrs
        .0
        .iter()
        .filter(|attr| attr.span.is_none_or(|span| !resource.span.contains(span)))
        .filter_map(|attr| {
            let def = kind.attributes.iter().find(|d| d.name == attr.name)?;
            match (&def.ty, &attr.value) {
                (AttrType::Duration | AttrType::Size, Val::Duration(n) | Val::Size(n)) => {
                    Some(format!("{} {}", attr.name, format_in_unit(&def.ty, *n)))
                }
                _ => None,
            }
        })
        .collect();
    (!defaults.is_empty()).then(|| defaults.join(", "))
}

/// A hint after `span`.
fn hint(analysis: &Analysis, span: Span, label: String, tooltip: &str) -> InlayHint {
    InlayHint {
        position: analysis.range(span).end,
        label: InlayHintLabel::String(label),
        kind: None,
        text_edits: None,
        tooltip: Some(InlayHintTooltip::String(tooltip.to_string())),
        padding_left: Some(true),
        padding_right: Some(true),
        data: None,
    }
}
