//! `defaults KIND { ... }`: attributes every resource of a kind the app
//! creates takes unless it writes its own, as SAM's `Globals` and the
//! Serverless Framework's `provider` settings give them. A block is checked
//! once, where it is written; a resource takes the checked value with its
//! span, so a rule about the value points at the `defaults` line. An
//! object attribute (`env`) merges key by key, the resource's keys
//! winning; an image function takes none of the .zip attributes.
//!
//! A defaults block holds attributes only: verbs, triggers, mounts and
//! `allow` stay with each function, so no function is granted what
//! another one uses.

use super::attrs::{written_as, Written};
use super::package::ZIP_ONLY;
use super::{a, Scope};
use crate::ast::{Body, Ident, Item, Statement, Value};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Attr, Resource, Val};
use crate::source::Span;
use crate::stdlib::{AttrDef, KindDef};
use std::sync::Arc;

/// The attributes the compiler reads from each resource's own block, with
/// what they hold that is the resource's alone.
const OWN_ONLY: [(&str, &str, &str); 3] = [
    ("function", "url", "a function URL is the function's own endpoint"),
    ("api", "domain", "a custom domain maps to one API"),
    ("api", "cors", "each API answers its own browsers' preflight requests"),
];

/// The attributes of `kind` a defaults block may give, as completion
/// offers them.
pub fn defaultable(kind: &KindDef) -> Vec<AttrDef> {
    let own = |d: &&AttrDef| OWN_ONLY.iter().any(|(k, attr, _)| *k == kind.name && d.name == *attr);
    kind.attributes.iter().filter(|d| !own(d)).cloned().collect()
}

/// Every `defaults` block, by kind, in the order written.
#[derive(Default)]
pub(crate) struct Defaults(Vec<Taken>);

impl Defaults {
    /// The defaults of `kind`, if a block gives them.
    pub fn of(&self, kind: &str) -> Option<&Taken> {
        self.0.iter().find(|t| t.kind == kind)
    }
}

/// What one `defaults KIND { ... }` block gives, by the position of each of
/// the kind's attribute definitions.
pub(crate) struct Taken {
    kind: String,
    /// `defaults KIND`.
    header: Span,
    /// Where each attribute was written, valid or not.
    seen: Vec<Option<Span>>,
    /// The first words of the block's broken statements (`ast::File::broken`).
    broken: Vec<String>,
    /// Each attribute's checked value.
    values: Vec<Option<Attr>>,
}

impl Taken {
    /// Whether the block writes the attribute `name` of `defs`, valid or not.
    pub fn writes(&self, defs: &[AttrDef], name: &str) -> bool {
        written_as(defs, &self.seen, name) || self.broken.iter().any(|word| word == name)
    }

    /// The `values` of a resource that wrote `seen`, each it did not write
    /// taken from the block and each object it wrote merged with the
    /// block's.
    pub fn fill(&self, defs: &[AttrDef], seen: &[Option<Span>], values: &mut [Option<Attr>]) {
        let image = self.kind == "function"
            && defs.iter().position(|d| d.name == "image").is_some_and(|i| seen[i].is_some() || self.seen[i].is_some());
        for (i, default) in self.values.iter().enumerate() {
            let Some(default) = default else { continue };
            if image && ZIP_ONLY.contains(&&*default.name) {
                continue;
            }
            match (&mut values[i], seen[i]) {
                (None, None) => values[i] = Some(default.clone()),
                (Some(Attr { value: Val::Object(own), .. }), Some(_)) => merge(own, &default.value),
                _ => {}
            }
        }
    }
}

/// The block's entries its resource does not write, then the resource's.
fn merge(own: &mut Vec<(String, Val)>, default: &Val) {
    let Val::Object(entries) = default else { return };
    let mut merged: Vec<(String, Val)> =
        entries.iter().filter(|(key, _)| !own.iter().any(|(k, _)| k == key)).cloned().collect();
    merged.append(own);
    *own = merged;
}

impl Scope<'_> {
    /// Reads every `defaults KIND { ... }` block, once the resources'
    /// names are bound (a default may refer to one: `network = private`).
    pub(super) fn read_defaults(&mut self, items: &[&Item]) {
        let mut defaults = Defaults::default();
        for item in items {
            let Item::Block { kind: word, name, body } = item else { continue };
            if word.text != "defaults" {
                continue;
            }
            self.item = Some(word.span.to(body.span));
            let header = word.span.to(name.span);
            let Some(kind) = self.known_kind(name, self.kinds.id(&name.text)) else { continue };
            if !kind.creatable {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::NotCreatable,
                        header,
                        format!("Lambdaform does not create {}", a(&kind.name)),
                    )
                    .label("no resource takes these defaults")
                    .help("defaults apply to the resources an app creates; remove this block"),
                );
                continue;
            }
            if let Some(first) = defaults.of(&kind.name) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateDefaults,
                        header,
                        format!("the defaults of `{}` are already given", kind.name),
                    )
                    .label("second defaults block")
                    .secondary(first.header, "first given here")
                    .help("merge the two blocks"),
                );
                continue;
            }
            let taken = self.defaults_block(kind, header, body);
            defaults.0.push(taken);
        }
        self.item = None;
        self.defaults = Arc::new(defaults);
    }

    /// One block's attributes, checked as a resource's are, none required.
    fn defaults_block(&mut self, kind: &KindDef, header: Span, body: &Body) -> Taken {
        let mut assignments: Vec<(&Ident, &Value)> = Vec::new();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, .. } if self.own_only(kind, name) => {}
                Statement::Assignment { name, value } => assignments.push((name, value)),
                other => self.not_a_default(other, kind),
            }
        }
        let defs = &kind.attributes;
        let Written { seen, values, unknown } = self.written(defs, assignments.into_iter(), &kind.name);
        if !unknown.is_empty() {
            self.unknown_attributes(unknown, defs, std::iter::empty(), &kind.name);
        }
        let broken = self.broken_in(header.to(body.span));
        Taken { kind: kind.name.clone(), header, seen, broken, values }
    }

    /// Whether the defaults block of `kind` did not parse: what it gives
    /// is not known, so nothing of a resource of the kind is missing.
    pub(super) fn defaults_unparsed(&self, kind: &str) -> bool {
        self.unparsed.iter().any(|name| name.strip_prefix("defaults ") == Some(kind))
    }

    /// LF1070 for an attribute each resource sets in its own block.
    fn own_only(&mut self, kind: &KindDef, name: &Ident) -> bool {
        let Some((_, _, why)) = OWN_ONLY.iter().find(|(k, attr, _)| *k == kind.name && *attr == name.text) else {
            return false;
        };
        self.diagnostics.push(
            Diagnostic::new(Code::NotADefault, name.span, format!("`{}` has no default: {why}", name.text))
                .label("set in each block")
                .help(format!("set `{}` in the {} block that has it, and remove it here", name.text, kind.name)),
        );
        true
    }

    /// LF1021 for a statement other than an attribute in a defaults block.
    fn not_a_default(&mut self, statement: &Statement, kind: &KindDef) {
        let help = match statement {
            Statement::Edge { .. } | Statement::Trigger { .. } | Statement::Mount { .. } | Statement::Allow { .. } => {
                format!(
                    "write it in each {} that needs it: a defaults block gives attributes only, so no {} is granted \
                     or triggered by what another one uses",
                    kind.name, kind.name
                )
            }
            _ => format!("a defaults block holds `name = value` attributes of {} only", a(&kind.name)),
        };
        self.diagnostics.push(
            Diagnostic::new(
                Code::MisplacedStatement,
                statement.span(),
                "this statement cannot stand in a defaults block",
            )
            .label("not allowed here")
            .help(help),
        );
    }

    /// LF1071 for a defaults block no resource takes anything from, and
    /// for each attribute of one that every resource of its kind writes.
    pub(super) fn unused_defaults(&mut self, resources: &[Resource]) {
        let defaults = Arc::clone(&self.defaults);
        for taken in &defaults.0 {
            let of_kind: Vec<&Resource> =
                resources.iter().filter(|r| r.kind == taken.kind && r.existing.is_none()).collect();
            if of_kind.is_empty() {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnusedDefault,
                        taken.header,
                        format!("the app creates no {}: no resource takes these defaults", taken.kind),
                    )
                    .label("taken by none")
                    .help(format!("declare {} below, or remove this block", a(&taken.kind))),
                );
                continue;
            }
            for (default, at) in taken.values.iter().zip(&taken.seen) {
                let (Some(default), Some(at)) = (default, at) else { continue };
                // An object merges into the resource's own: it is taken
                // wherever a key of it is not written again.
                if matches!(default.value, Val::Object(_)) {
                    continue;
                }
                let takes = |r: &&Resource| r.attrs.get(&default.name).is_some_and(|attr| attr.span == default.span);
                if !of_kind.iter().any(takes) {
                    self.diagnostics.push(never_taken(&taken.kind, &default.name, *at));
                }
            }
        }
    }
}

/// LF1071 for the default of `name` at `at`, which no resource of `kind` takes.
fn never_taken(kind: &str, name: &str, at: Span) -> Diagnostic {
    let image = if kind == "function" && ZIP_ONLY.contains(&name) { " or ships an image" } else { "" };
    Diagnostic::new(Code::UnusedDefault, at, format!("no {kind} takes this default `{name}`"))
        .label("taken by none")
        .help(format!(
            "each {kind} sets its own `{name}`{image}: remove it here, or from the {kind}s that need no other value"
        ))
}
