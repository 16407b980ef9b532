//! Hover: on a resource name its kind, attributes and who uses it (the
//! graph's incoming edges); on a function name also its inferred grants and
//! invoke permissions (`explain`), which `check` infers for every function
//! that resolved, errors elsewhere or not, with a note when an error may
//! have left some out; on a verb the IAM actions it grants on
//! each target; on a kind, attribute or field what the stdlib says of it;
//! on the word `defaults`, and on an attribute of its block, how many of
//! the kind's resources take each default.

use super::index::{self, Owner, Role};
use super::workspace::Analysis;
use crate::check::Checked;
use crate::diagnostic::Diagnostic;
use crate::explain::{explain, location};
use crate::grants::describe_arn;
use crate::graph::EdgeKind;
use crate::model::{ResourceId, Val};
use crate::resolve::format_in_unit;
use crate::source::{FileId, Span};
use crate::stdlib::{AttrDef, AttrType, KindDef, Literal, TriggerMode};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

/// Uses listed in a hover; a table used by a thousand functions lists the first.
const MAX_USERS: usize = 20;

pub fn hover(analysis: &Analysis, file: FileId, offset: usize) -> Option<Hover> {
    let checked = &analysis.checked;
    let occurrence = index::at(checked, file, offset)?;
    let markdown = match &occurrence.role {
        Role::Declaration | Role::Reference => {
            resource(checked, occurrence.text).or_else(|| super::inputs::hover(checked, occurrence.text))?
        }
        Role::Verb { targets } => verb(checked, occurrence.text, targets)?,
        Role::Kind => kind_markdown(checked.model.kinds.get(occurrence.text)?),
        Role::Attribute { owner } => attribute(checked, owner, occurrence.text)?,
        Role::Field { resource } => field(checked, resource, occurrence.text)?,
        Role::Defaults { kind, block } => defaults(checked, kind, *block),
        Role::Authorizer { api, .. } => {
            let authorizer = super::navigation::authorizer(analysis, api, occurrence.text)?;
            format!("**authorizer** `{}` of `{api}` (`type = {}`)", authorizer.name, authorizer.ty.word())
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
        range: Some(analysis.range(occurrence.span)),
    })
}

fn kind_of(checked: &Checked, id: ResourceId) -> Option<&KindDef> {
    checked.model.known_kind(checked.model.resource(id))
}

/// `file:line` without the folder: the app is one folder.
fn short(location: &str) -> &str {
    if location.starts_with('<') {
        return location;
    }
    location.rsplit(['/', '\\']).next().unwrap_or(location)
}

fn resource(checked: &Checked, name: &str) -> Option<String> {
    let model = &checked.model;
    let id = model.find(name)?;
    let r = model.resource(id);
    let mut out = format!("**{}** `{}` — {}", r.kind, r.name, short(&location(checked, r.name_span)));
    if let Some(existing) = &r.existing {
        match existing.input {
            Some(input) => {
                out.push_str(&format!("\n\nexisting: the ARN the input `{}` gives", model.input(input).name))
            }
            None => out.push_str(&format!("\n\nexisting: `{}`", existing.arn)),
        }
    }
    if !r.attrs.0.is_empty() {
        let width = r.attrs.0.iter().map(|a| a.name.len()).max().unwrap_or(0);
        out.push_str("\n\n```lambdaform\n");
        for attr in &r.attrs.0 {
            let default = match attr.span {
                None => "  # default",
                Some(span) if !r.span.contains(span) => "  # from defaults",
                Some(_) => "",
            };
            out.push_str(&format!("{:width$} = {}{default}\n", attr.name, value(checked, &attr.value)));
        }
        out.push_str("```");
    }
    let users = users(checked, id);
    if !users.is_empty() {
        out.push_str("\n\n**Used by**\n");
        for user in users.iter().take(MAX_USERS) {
            out.push_str(&format!("\n- {user}"));
        }
        if users.len() > MAX_USERS {
            out.push_str(&format!("\n- … and {} more (find references lists them all)", users.len() - MAX_USERS));
        }
    }
    // Functions, and the resources that act with roles of their own.
    if r.function.is_some() || crate::grants::acts(model, r) {
        out.push_str(&grants(checked, name));
    }
    Some(out)
}

/// Who uses a resource: the graph's edges into it, and the functions a
/// source triggers.
fn users(checked: &Checked, id: ResourceId) -> Vec<String> {
    let model = &checked.model;
    let graph = &checked.graph;
    let line = |span| short(&location(checked, span)).to_string();
    let mut uses: Vec<(Span, String)> = graph
        .incoming(id)
        .map(|(from, edge)| {
            (edge.span, format!("`{}` {} — {}", model.resource(from).name, edge.kind.label(), line(edge.span)))
        })
        .collect();
    // A source's trigger edges leave it: it is used by the functions it triggers.
    let triggers = graph.edges().filter(|(from, _, e)| *from == id && matches!(e.kind, EdgeKind::Trigger { .. }));
    uses.extend(triggers.map(|(_, to, edge)| {
        let text = format!("triggers `{}` ({}) — {}", model.resource(to).name, edge.kind.label(), line(edge.span));
        (edge.span, text)
    }));
    uses.sort();
    uses.into_iter().map(|(_, text)| text).collect()
}

/// The function's grants as `explain` gives them, and a warning when an
/// error may have left some out.
fn grants(checked: &Checked, name: &str) -> String {
    let Some(f) = explain(checked, Some(name)).into_iter().next() else {
        return String::new();
    };
    let count = f.statements.iter().map(|s| s.actions.len()).sum();
    let mut out = format!("\n\n**Execution role** — {}\n", super::lens::grants_label(count));
    for s in &f.statements {
        let actions: Vec<String> = s
            .actions
            .iter()
            .zip(&s.verbs)
            .map(|(a, verb)| if verb.is_empty() { format!("`{a}`") } else { format!("`{a}` ({verb})") })
            .collect();
        let resources: Vec<String> = s.resources.iter().map(|r| format!("`{r}`")).collect();
        let mut line = format!("\n- {} on {}", actions.join(", "), resources.join(", "));
        if let Some(condition) = &s.condition {
            line.push_str(&format!(" if `{condition}`"));
        }
        let sources: Vec<&str> = s.sources.iter().map(|l| short(l)).collect();
        if !sources.is_empty() {
            line.push_str(&format!(" — {}", sources.join(", ")));
        }
        out.push_str(&line);
    }
    if !f.permissions.is_empty() {
        out.push_str("\n\n**Invoke permissions**\n");
        for p in &f.permissions {
            let from = p.source_arn.as_ref().map(|s| format!(" from `{s}`")).unwrap_or_default();
            out.push_str(&format!("\n- `{}`{from} — {}", p.principal, short(&p.source)));
        }
    }
    if let Some(why) = checked.model.find(name).and_then(|id| incomplete(checked, id)) {
        out.push_str(&format!("\n\n_May be incomplete: {why}._"));
    }
    out
}

/// Why a function's grants may lack some: an error inside its block (a
/// statement in error grants nothing), or a name it uses that is declared
/// by an item that does not parse yet.
fn incomplete(checked: &Checked, id: ResourceId) -> Option<String> {
    let function = checked.model.resource(id);
    let span = function.span;
    let errors: Vec<&Diagnostic> =
        checked.diagnostics.iter().filter(|d| d.is_error() && span.contains(d.primary.span)).collect();
    if let Some(first) = errors.first() {
        let line = checked.sources.get(span.file).position(first.primary.span.start as usize).line;
        return Some(format!("`{}` has {} error(s), the first on line {line}", function.name, errors.len()));
    }
    let unparsed = index::occurrences(checked, span.file)
        .into_iter()
        .find(|o| o.role == Role::Reference && span.contains(o.span) && checked.model.find(o.text).is_none())?;
    Some(format!("`{}` is declared by an item that does not parse yet", unparsed.text))
}

fn verb(checked: &Checked, verb: &str, targets: &[&str]) -> Option<String> {
    let model = &checked.model;
    let mut out = String::new();
    for target in targets {
        let Some(id) = model.find(target) else { continue };
        let Some(kind) = kind_of(checked, id) else { continue };
        let Some(def) = kind.verb(verb) else { continue };
        out.push_str(&format!("**{verb}** `{target}` ({}) grants:\n", kind.name));
        for grant in &def.grants {
            let arns = crate::grants::arns_of(model, grant, id);
            if arns.is_empty() {
                continue;
            }
            let actions: Vec<String> = grant.actions.iter().map(|a| format!("`{a}`")).collect();
            let resources: Vec<String> = arns.iter().map(|arn| format!("`{}`", describe_arn(model, arn))).collect();
            out.push_str(&format!("\n- {} on {}", actions.join(", "), resources.join(", ")));
            if let Some(condition) = crate::grants::condition_for(grant, id) {
                out.push_str(&format!(" if `{}`", condition.describe(model)));
            }
            if let Some(why) = &grant.why {
                out.push_str(&format!(" ({why})"));
            }
        }
        out.push_str("\n\n");
    }
    (!out.is_empty()).then(|| out.trim_end().to_string())
}

pub fn kind_markdown(kind: &KindDef) -> String {
    let mut out = format!("**kind** `{}`", kind.name);
    if !kind.cloudformation.is_empty() {
        out.push_str(&format!(" — `{}`, `{}`", kind.cloudformation, kind.terraform));
    }
    if !kind.attributes.is_empty() {
        out.push_str("\n\n**Attributes**\n");
        for def in &kind.attributes {
            out.push_str(&format!("\n- `{}`: {}", def.name, summary(def)));
        }
    }
    let verbs: Vec<String> = kind.verbs.iter().map(|v| format!("`{}`", v.name)).collect();
    if !verbs.is_empty() {
        out.push_str(&format!("\n\n**Verbs**: {}", verbs.join(", ")));
    }
    if let Some(trigger) = &kind.trigger {
        let mode = if trigger.mode == TriggerMode::Poll { "polled (event source mapping)" } else { "pushes" };
        out.push_str(&format!("\n\n**Triggers** a function: {mode}"));
    }
    out
}

/// `a duration such as ...; default 30s, 0s..12h; required` and the doc.
pub fn summary(def: &AttrDef) -> String {
    let mut parts = vec![def.ty.describe()];
    if let Some(default) = &def.default {
        parts.push(format!("default {}", literal(&def.ty, default)));
    }
    if def.min.is_some() || def.max.is_some() {
        let bound = |n: Option<i64>| n.map(|n| format_in_unit(&def.ty, n)).unwrap_or_default();
        parts.push(format!("{}..{}", bound(def.min), bound(def.max)));
    }
    if def.required {
        parts.push("required".into());
    }
    if def.replaces {
        parts.push("a change replaces the resource".into());
    }
    let mut out = parts.join("; ");
    if !def.doc.is_empty() {
        out.push_str(&format!(" — {}", def.doc));
    }
    out
}

/// A default as Lambdaform writes it.
pub fn literal(ty: &AttrType, literal: &Literal) -> String {
    match literal {
        Literal::Int(n) => format_in_unit(ty, *n),
        Literal::Bool(b) => b.to_string(),
        Literal::Str(s) if matches!(ty, AttrType::Enum(_)) => s.clone(),
        Literal::Str(s) => format!("{s:?}"),
        Literal::List(items) => format!("[{}]", items.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", ")),
    }
}

fn attribute(checked: &Checked, owner: &Owner, name: &str) -> Option<String> {
    let kinds = &checked.model.kinds;
    let (defs, whose) = match owner {
        Owner::App => return Some(format!("`{name}`: an attribute of the `app` block")),
        Owner::Kind(kind) => (&kinds.get(kind)?.attributes, format!("{kind} attribute")),
        Owner::Defaults { kind, block } => {
            let def = kinds.get(kind)?.attribute(name)?;
            let (taking, of_kind) = taken(checked, kind, *block, name);
            return Some(format!(
                "`{name}` ({kind} attribute): {}\n\nTaken by {taking} of the {of_kind} {kind}s the app creates",
                summary(def)
            ));
        }
        Owner::Async => (&kinds.get("function")?.block("async")?.attributes, "async setting".into()),
        Owner::Trigger(kind) => (&kinds.get(kind)?.trigger.as_ref()?.options, format!("{kind} trigger option")),
        Owner::Block { kind, block } => (&kinds.get(kind)?.block(block)?.attributes, format!("{kind} {block} setting")),
    };
    let def = defs.iter().find(|d| d.name == name)?;
    Some(format!("`{name}` ({whose}): {}", summary(def)))
}

/// How many resources of `kind` the app creates take the attribute `name`
/// from the defaults `block`, and how many it creates.
fn taken(checked: &Checked, kind: &str, block: Span, name: &str) -> (usize, usize) {
    let of_kind = || checked.model.resources.iter().filter(|r| r.kind == kind && r.existing.is_none());
    let taking = of_kind().filter(|r| r.attrs.span(name).is_some_and(|s| block.contains(s))).count();
    (taking, of_kind().count())
}

/// On the word `defaults`: what the block does, and how many resources of
/// its kind take each of its attributes.
fn defaults(checked: &Checked, kind: &str, block: Span) -> String {
    let mut out = format!(
        "**defaults** of `{kind}`: every {kind} the app creates takes these attributes unless it writes its own; \
         an object (`env`) merges key by key, the {kind}'s keys winning"
    );
    let defs = checked.model.kinds.get(kind).map_or(&[][..], |k| &k.attributes[..]);
    let counts: Vec<String> = defs
        .iter()
        .filter_map(|def| {
            let (taking, of_kind) = taken(checked, kind, block, &def.name);
            (taking > 0).then(|| format!("- `{}`: taken by {taking} of {of_kind} {kind}s", def.name))
        })
        .collect();
    if !counts.is_empty() {
        out.push_str("\n\n");
        out.push_str(&counts.join("\n"));
    }
    out
}

fn field(checked: &Checked, resource: &str, name: &str) -> Option<String> {
    let id = checked.model.find(resource)?;
    let kind = kind_of(checked, id)?;
    let def = kind.field(name)?;
    Some(format!(
        "`{resource}.{name}`: a readable attribute of {} `{resource}` (CloudFormation `{}`, Terraform `{}`)",
        kind.name, def.cloudformation, def.terraform
    ))
}

/// A typed value as Lambdaform writes it.
fn value(checked: &Checked, value: &Val) -> String {
    let model = &checked.model;
    let name = |id: &ResourceId| model.resources.get(id.0 as usize).map_or("?", |r| r.name.as_str());
    match value {
        Val::Str(s) => format!("{s:?}"),
        Val::Int(n) => n.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Duration(n) => format_in_unit(&AttrType::Duration, *n),
        Val::Size(n) if *n % 1024 == 0 && *n > 0 => format!("{}GB", n / 1024),
        Val::Size(n) => format!("{n}MB"),
        Val::Word(w) => w.clone(),
        Val::Ref(id) => name(id).to_string(),
        Val::Field(id, f) => format!("{}.{f}", name(id)),
        Val::Input(id) => model.inputs.get(id.0 as usize).map_or("?", |i| i.name.as_str()).to_string(),
        Val::List(items) => {
            format!("[{}]", items.iter().map(|v| self::value(checked, v)).collect::<Vec<_>>().join(", "))
        }
        Val::Object(entries) => {
            let entries: Vec<String> =
                entries.iter().map(|(k, v)| format!("{k} = {}", self::value(checked, v))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}
