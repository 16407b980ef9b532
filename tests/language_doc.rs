//! `docs/language.md` is the language reference, and two checks keep it
//! true:
//!
//! - Its per-kind tables (attributes, readable fields, verbs and the IAM
//!   actions they grant, triggers and their options, destinations) and the
//!   summaries of verbs, triggers and destinations across kinds are written
//!   from the stdlib's `KindDef`s between `<!-- generated: NAME -->` and
//!   `<!-- end generated -->` markers. The test fails when a region differs
//!   from what the stdlib says, or when a stdlib kind has no region.
//!   `LAMBDAFORM_BLESS=1 cargo test --test language_doc` rewrites the regions
//!   (the prose around them stays as written).
//! - Every code block has an info string. `lf` blocks are programs and are
//!   checked: a plain `lf` block must report no error and no warning; a block
//!   marked `lf expect=LF1009,LF3027` must report exactly those codes among
//!   its errors and warnings (notes are free).

mod common;

use common::{fenced_blocks, language_md, root};
use lambdaform::check::{check_with, Input};
use lambdaform::cli::render_to_string;
use lambdaform::diagnostic::Severity;
use lambdaform::source::Sources;
use lambdaform::stdlib::{self, AttrDef, AttrType, GrantDef, KindDef, Literal, TriggerMode};
use std::collections::BTreeSet;

const BEGIN: &str = "<!-- generated: ";
const END: &str = "<!-- end generated -->";

fn kinds() -> Vec<KindDef> {
    let (kinds, diagnostics) = stdlib::load(&mut Sources::default());
    assert!(diagnostics.is_empty(), "the stdlib has diagnostics: {diagnostics:?}");
    kinds.all().to_vec()
}

// ---------------------------------------------------------------- regions

/// The text a generated region holds, by its name (`kind queue`, `verbs`).
fn region(name: &str, kinds: &[KindDef]) -> Option<String> {
    match name {
        "verbs" => Some(verbs_summary(kinds)),
        "triggers" => Some(triggers_summary(kinds)),
        "destinations" => Some(destinations_summary(kinds)),
        _ => {
            let kind = name.strip_prefix("kind ")?;
            kinds.iter().find(|k| k.name == kind).map(kind_tables)
        }
    }
}

/// The names of the regions in `markdown`, in order.
fn region_names(markdown: &str) -> Vec<String> {
    markdown.lines().filter_map(|line| line.strip_prefix(BEGIN)?.strip_suffix(" -->")).map(str::to_string).collect()
}

/// `markdown` with every region's contents written anew; `Err` names a
/// region the stdlib knows nothing of, or a region left open.
fn regenerate(markdown: &str, kinds: &[KindDef]) -> Result<String, String> {
    let mut out = String::with_capacity(markdown.len());
    let mut open: Option<String> = None;
    for line in markdown.split_inclusive('\n') {
        let bare = line.trim_end();
        if let Some(name) = bare.strip_prefix(BEGIN).and_then(|rest| rest.strip_suffix(" -->")) {
            let text = region(name, kinds).ok_or_else(|| format!("no stdlib kind or summary is named `{name}`"))?;
            out.push_str(line);
            out.push('\n');
            out.push_str(&text);
            out.push('\n');
            open = Some(name.to_string());
        } else if bare == END {
            open.take().ok_or("an end marker without a beginning")?;
            out.push_str(line);
        } else if open.is_none() {
            out.push_str(line);
        }
    }
    match open {
        Some(name) => Err(format!("the region `{name}` is never closed")),
        None => Ok(out),
    }
}

#[test]
fn generated_tables_match_the_stdlib() {
    let path = root().join("docs/language.md");
    let markdown = language_md();
    let kinds = kinds();
    let expected = regenerate(&markdown, &kinds).unwrap_or_else(|e| panic!("docs/language.md: {e}"));
    if std::env::var_os("LAMBDAFORM_BLESS").is_some() {
        // Written whole and renamed, so that the tests reading it meanwhile
        // see the old text or the new, never half of one.
        let temporary = path.with_extension("md.tmp");
        std::fs::write(&temporary, &expected).expect("write docs/language.md.tmp");
        std::fs::rename(&temporary, &path).expect("rename to docs/language.md");
    } else if expected != markdown {
        let diff = similar::TextDiff::from_lines(&markdown, &expected);
        panic!(
            "docs/language.md differs from the stdlib; run `LAMBDAFORM_BLESS=1 cargo test --test language_doc`:\n{}",
            diff.unified_diff().context_radius(2)
        );
    }
    let names: BTreeSet<String> = region_names(&markdown).into_iter().collect();
    let missing: Vec<&str> =
        kinds.iter().map(|k| k.name.as_str()).filter(|k| !names.contains(&format!("kind {k}"))).collect();
    assert!(
        missing.is_empty(),
        "docs/language.md has no section for {missing:?}: add one with `{BEGIN}kind NAME -->` and `{END}` lines \
         (bless fills them in)"
    );
}

// ---------------------------------------------------------------- code blocks

/// What a block says it reports: `lf expect=LF1009,LF3027` → those codes.
fn expected_codes(info: &str) -> BTreeSet<String> {
    info.split_whitespace()
        .filter_map(|word| word.strip_prefix("expect="))
        .flat_map(|codes| codes.split(','))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_example_block_reports_what_it_says() {
    let markdown = language_md();
    let blocks = fenced_blocks(&markdown);
    let mut checked_blocks = 0;
    let mut failures = Vec::new();
    for block in &blocks {
        assert!(
            !block.info.is_empty(),
            "docs/language.md:{}: a code block needs an info string (`lf`, `lf expect=LF1009`, `bash`, `text`)",
            block.line
        );
        if block.info.split_whitespace().next() != Some("lf") {
            continue;
        }
        checked_blocks += 1;
        let name = format!("docs/language.md:{}", block.line);
        // Files an example names (state machine definitions) are read from `docs/`.
        let docs = root().join("docs");
        let read = |relative: &str| {
            let bytes = std::fs::read(docs.join(relative)).map_err(|_| "no such file".to_string())?;
            Ok((format!("docs/{relative}"), bytes))
        };
        let input = Input { name: name.clone(), bytes: block.text.clone().into_bytes() };
        let checked = check_with(vec![input], common::today(), &read);
        let reported: BTreeSet<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| d.code.as_str().to_string())
            .collect();
        let expected = expected_codes(&block.info);
        if reported != expected {
            failures.push(format!(
                "{name}: expected {expected:?}, reported {reported:?}\n{}",
                render_to_string(&checked, false)
            ));
        }
    }
    assert!(checked_blocks > 20, "only {checked_blocks} `lf` blocks: every section has an example");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn blocks_name_their_expectations() {
    assert_eq!(expected_codes("lf"), BTreeSet::new());
    assert_eq!(expected_codes("lf expect=LF1009,LF3027"), ["LF1009".to_string(), "LF3027".to_string()].into());
}

#[test]
fn regions_are_rewritten_and_prose_is_kept() {
    let kinds = kinds();
    let stale = format!("before\n{BEGIN}kind bus -->\nstale\n{END}\nafter\n");
    let fresh = regenerate(&stale, &kinds).expect("regenerates");
    assert!(fresh.starts_with("before\n") && fresh.ends_with(&format!("{END}\nafter\n")));
    assert!(fresh.contains("`events:PutEvents`") && !fresh.contains("stale"));
    assert!(regenerate(&format!("{BEGIN}kind nothing -->\n{END}\n"), &kinds).is_err());
    assert!(regenerate(&format!("{BEGIN}verbs -->\n"), &kinds).is_err());
}

// ---------------------------------------------------------------- one kind

fn kind_tables(kind: &KindDef) -> String {
    let mut out = String::new();
    out.push_str(&facts(kind));
    if !kind.attributes.is_empty() {
        out.push_str(&format!("\n**Attributes** of `{} NAME {{ ... }}`:\n\n", kind.name));
        out.push_str(&attribute_table("attribute", &kind.attributes));
    }
    for block in &kind.blocks {
        out.push_str(&format!("\n**`{} {{ ... }}`** inside a {}:\n\n", block.name, kind.name));
        out.push_str(&attribute_table("attribute", &block.attributes));
    }
    let verbs: Vec<_> = kind.verbs.iter().filter(|v| !v.is_mount()).collect();
    if !verbs.is_empty() {
        out.push_str("\n**Verbs**: what `VERB NAME` inside a function grants its role.\n\n");
        out.push_str("| verb | IAM actions | on |\n| --- | --- | --- |\n");
        for verb in verbs {
            for grant in &verb.grants {
                let name = match &grant.from {
                    Some(finer) => format!("`{}` (as `{finer}`)", verb.name),
                    None => format!("`{}`", verb.name),
                };
                out.push_str(&format!("| {name} | {} | {} |\n", actions(grant), resources(kind, grant)));
            }
        }
    }
    let mounts: Vec<_> = kind.verbs.iter().filter(|v| v.is_mount()).collect();
    if !mounts.is_empty() {
        out.push_str("\n**Mount**: `mount NAME at \"/mnt/...\"` inside a function grants its role:\n\n");
        out.push_str("| written | IAM actions | on |\n| --- | --- | --- |\n");
        for verb in mounts {
            let written = if verb.name == "mount" { "`mount … at`" } else { "`mount … at … readonly`" };
            for grant in &verb.grants {
                out.push_str(&format!("| {written} | {} | {} |\n", actions(grant), resources(kind, grant)));
            }
        }
    }
    if let Some(trigger) = &kind.trigger {
        out.push('\n');
        out.push_str(&trigger_text(kind, trigger));
    }
    if let Some(destination) = &kind.destination {
        out.push_str(&format!("\n**Destination**: {}. The function's role gets:\n\n", destination_uses(destination)));
        out.push_str(&grant_table(kind, &destination.grants));
    }
    out
}

fn facts(kind: &KindDef) -> String {
    let mut rows = Vec::new();
    if !kind.cloudformation.is_empty() {
        rows.push(("CloudFormation", format!("`{}`", kind.cloudformation)));
    }
    if !kind.terraform.is_empty() {
        rows.push(("Terraform", format!("`{}`", kind.terraform)));
    }
    if !kind.arn.is_empty() {
        rows.push(("ARN", format!("`{}`", kind.arn)));
    }
    rows.push(("declared as", declarations(kind)));
    if kind.stateful {
        rows.push(("data", "kept when the resource leaves the app or is replaced, unless `retain = false`".into()));
    }
    if !kind.fields.is_empty() {
        let fields: Vec<String> = kind.fields.iter().map(|f| format!("`NAME.{}`", f.name)).collect();
        rows.push(("readable fields", fields.join(", ")));
    }
    let mut out = String::from("| | |\n| --- | --- |\n");
    for (what, value) in rows {
        out.push_str(&format!("| {what} | {value} |\n"));
    }
    out
}

fn declarations(kind: &KindDef) -> String {
    let mut forms = Vec::new();
    if kind.creatable {
        forms.push(format!("`{} NAME {{ ... }}`", kind.name));
    }
    if kind.existable && !kind.arn.is_empty() {
        let what = if kind.by_name { "ARN or name" } else { "ARN" };
        forms.push(format!("`existing {} NAME = \"{what}\"`", kind.name));
    }
    forms.join(", or ")
}

fn attribute_table(first: &str, attributes: &[AttrDef]) -> String {
    let mut out = format!("| {first} | type | default | range | meaning |\n| --- | --- | --- | --- | --- |\n");
    for attr in attributes {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            attr.name,
            type_name(&attr.ty),
            default(attr),
            range(attr),
            meaning(attr)
        ));
    }
    out
}

fn type_name(ty: &AttrType) -> String {
    match ty {
        AttrType::String => "string".into(),
        AttrType::Int => "integer".into(),
        AttrType::Bool => "boolean".into(),
        AttrType::Duration => "duration".into(),
        AttrType::Size => "size".into(),
        AttrType::Enum(values) => format!("one of {}", stdlib::quoted(values)),
        AttrType::Name(values) => format!("a name, or one of {}", stdlib::quoted(values)),
        AttrType::Ref(kinds) => {
            let kinds: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
            format!("name of a {}", kinds.join(" or "))
        }
        AttrType::List => "list".into(),
        AttrType::Object => "object".into(),
        AttrType::Record(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|e| match default(e).as_str() {
                    "none" => format!("`{}` ({})", e.name, type_name(&e.ty)),
                    "required" => format!("`{}` ({}, required)", e.name, type_name(&e.ty)),
                    value => format!("`{}` ({}, default {value})", e.name, type_name(&e.ty)),
                })
                .collect();
            format!("object of {}", entries.join(", "))
        }
    }
}

fn default(attr: &AttrDef) -> String {
    match &attr.default {
        _ if attr.required => "required".into(),
        None => "none".into(),
        Some(Literal::Int(n)) => format!("`{}`", quantity(&attr.ty, *n)),
        Some(Literal::Bool(b)) => format!("`{b}`"),
        Some(Literal::Str(s)) if matches!(attr.ty, AttrType::Enum(_)) => format!("`{s}`"),
        Some(Literal::Str(s)) => format!("`\"{s}\"`"),
        Some(Literal::List(items)) => {
            let items: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
            format!("`[{}]`", items.join(", "))
        }
    }
}

fn range(attr: &AttrDef) -> String {
    match (attr.min, attr.max) {
        (None, None) => String::new(),
        (Some(min), None) => format!("≥ `{}`", quantity(&attr.ty, min)),
        (None, Some(max)) => format!("≤ `{}`", quantity(&attr.ty, max)),
        (Some(min), Some(max)) => format!("`{}` to `{}`", quantity(&attr.ty, min), quantity(&attr.ty, max)),
    }
}

/// A number in the attribute's base unit, written as a user would write it.
fn quantity(ty: &AttrType, n: i64) -> String {
    match ty {
        AttrType::Duration => {
            let unit = [(86_400, "d"), (3_600, "h"), (60, "m")].into_iter().find(|(size, _)| n != 0 && n % size == 0);
            match unit {
                Some((size, suffix)) => format!("{}{suffix}", n / size),
                None => format!("{n}s"),
            }
        }
        AttrType::Size if n != 0 && n % 1024 == 0 => format!("{}GB", n / 1024),
        AttrType::Size => format!("{n}MB"),
        _ => n.to_string(),
    }
}

fn meaning(attr: &AttrDef) -> String {
    let mut parts = Vec::new();
    if !attr.doc.is_empty() {
        parts.push(attr.doc.clone());
    }
    let sets: Vec<String> = [("CloudFormation", &attr.cloudformation), ("Terraform", &attr.terraform)]
        .into_iter()
        .filter_map(|(target, name)| name.as_ref().map(|n| format!("{target} `{n}`")))
        .collect();
    if !sets.is_empty() {
        parts.push(format!("sets {}", sets.join(", ")));
    }
    if attr.replaces {
        parts.push("a change replaces the resource".into());
    }
    parts.join("; ")
}

fn actions(grant: &GrantDef) -> String {
    grant.actions.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
}

/// Where a grant applies: the ARN, a sub-ARN, or `*` with AWS's reason.
fn resources(kind: &KindDef, grant: &GrantDef) -> String {
    let forms: Vec<String> = grant
        .resources
        .iter()
        .map(|form| match form.as_str() {
            "arn" => "the ARN".to_string(),
            "any" => format!("`*` ({})", grant.why.as_deref().unwrap_or("AWS offers nothing narrower")),
            "consumer" => "the trigger's own stream consumer, with `consumer = dedicated` only".to_string(),
            other if grant.named.as_deref() == Some(other) => {
                format!("the ARN of the resource named in `{other}`, where one is")
            }
            other => match kind.arn_form(other) {
                Some(template) if template.starts_with("arn:") => format!("`{template}`"),
                Some(suffix) => format!("the ARN + `{suffix}`"),
                None => format!("`{other}`"),
            },
        })
        .collect();
    let mut text = forms.join(", ");
    if grant.condition.as_deref() == Some("access_point") {
        text.push_str(", on condition that the client uses this access point");
    }
    text
}

/// A grant's actions in a summary table, with the attribute they depend
/// on for a grant on a resource the kind names (`kms:Decrypt` with
/// `encryption`).
fn summary_actions(grant: &GrantDef) -> String {
    match &grant.named {
        Some(form) => format!("{} (with `{form}`)", actions(grant)),
        None => actions(grant),
    }
}

fn grant_table(kind: &KindDef, grants: &[GrantDef]) -> String {
    let mut out = String::from("| IAM actions | on |\n| --- | --- |\n");
    for grant in grants {
        out.push_str(&format!("| {} | {} |\n", actions(grant), resources(kind, grant)));
    }
    out
}

fn trigger_text(kind: &KindDef, trigger: &stdlib::TriggerDef) -> String {
    let route = if trigger.route { " \"METHOD /path\"" } else { "" };
    let mut out = format!("**Trigger**: `on NAME{route}` inside a function. {}", how(trigger));
    match trigger.mode {
        TriggerMode::Poll if !trigger.grants.is_empty() => {
            out.push_str(" The function's role gets:\n\n");
            out.push_str(&grant_table(kind, &trigger.grants));
        }
        _ => out.push('\n'),
    }
    if !trigger.options.is_empty() {
        out.push_str("\n**Trigger options**: `on NAME { option = value, ... }`.\n\n");
        out.push_str(&attribute_table("option", &trigger.options));
    }
    out
}

/// How a trigger invokes the function, in a sentence.
fn how(trigger: &stdlib::TriggerDef) -> String {
    match (trigger.mode, &trigger.principal) {
        (TriggerMode::Poll, _) => {
            format!("Poll: an event source mapping reads the source (its `{}`) and invokes the function.", trigger.source_field)
        }
        (TriggerMode::Push, Some(principal)) => format!(
            "Push: `{principal}` invokes the function, allowed by a permission on the function limited to this source's ARN."
        ),
        (TriggerMode::Push, None) => "Push.".into(),
    }
}

fn destination_uses(destination: &stdlib::DestinationDef) -> String {
    let uses: Vec<&str> = [
        (destination.on_success, "`on_success`"),
        (destination.on_failure, "`on_failure`"),
        (destination.dead_letter, "`dead_letter`"),
    ]
    .into_iter()
    .filter_map(|(yes, name)| yes.then_some(name))
    .collect();
    format!("may be {} of a function", uses.join(", "))
}

// ---------------------------------------------------------------- summaries

fn verbs_summary(kinds: &[KindDef]) -> String {
    let mut out = String::from("| verb | on | IAM actions |\n| --- | --- | --- |\n");
    let mut names: Vec<&str> = kinds.iter().flat_map(|k| k.verbs.iter().map(|v| v.name.as_str())).collect();
    names.sort();
    names.dedup();
    for name in names {
        for kind in kinds.iter().filter(|k| k.verb(name).is_some()) {
            let def = kind.verb(name).expect("filtered");
            let actions: Vec<String> = def.grants.iter().map(summary_actions).collect();
            let mut verb = match name {
                "mount" => "`mount … at`".to_string(),
                stdlib::MOUNT_READONLY => "`mount … at … readonly`".to_string(),
                _ => format!("`{name}`"),
            };
            if !def.includes.is_empty() && !def.is_mount() {
                let includes: Vec<String> = def.includes.iter().map(|v| format!("`{v}`")).collect();
                verb.push_str(&format!(" (includes {})", includes.join(", ")));
            }
            out.push_str(&format!("| {verb} | [`{0}`](#{0}) | {1} |\n", kind.name, actions.join(", ")));
        }
    }
    out
}

fn triggers_summary(kinds: &[KindDef]) -> String {
    let mut out = String::from("| source | how | options |\n| --- | --- | --- |\n");
    for kind in kinds {
        let Some(trigger) = &kind.trigger else { continue };
        let how = match (trigger.mode, &trigger.principal) {
            (TriggerMode::Poll, _) => "poll: event source mapping".to_string(),
            (TriggerMode::Push, Some(principal)) => format!("push: `{principal}`"),
            (TriggerMode::Push, None) => "push".to_string(),
        };
        let how = if trigger.route { format!("{how}, route `\"METHOD /path\"`") } else { how };
        let options: Vec<String> = trigger.options.iter().map(|o| format!("`{}`", o.name)).collect();
        let options = if options.is_empty() { "none".to_string() } else { options.join(", ") };
        out.push_str(&format!("| [`{0}`](#{0}) | {how} | {options} |\n", kind.name));
    }
    out
}

fn destinations_summary(kinds: &[KindDef]) -> String {
    let mut out = String::from(
        "| kind | `on_success` | `on_failure` | `dead_letter` | the role gets |\n| --- | --- | --- | --- | --- |\n",
    );
    let mark = |yes: bool| if yes { "yes" } else { "" };
    for kind in kinds {
        let Some(d) = &kind.destination else { continue };
        let actions: Vec<String> = d.grants.iter().map(summary_actions).collect();
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} | {3} | {4} |\n",
            kind.name,
            mark(d.on_success),
            mark(d.on_failure),
            mark(d.dead_letter),
            actions.join(", ")
        ));
    }
    out
}
