//! The help of a name nothing declares (LF1002): a declaration of a kind
//! that fits where the name is written (`on http "POST /x"` wants an
//! `api`, `send jobs` a `queue`), rather than one example for every place.

use super::a;
use crate::diagnostic::listed;
use crate::stdlib::{KindDef, Kinds};

/// What a name is looked up as, for the help when nothing declares it.
#[derive(Clone, Copy)]
pub(crate) enum Wanted<'w> {
    /// Any resource: a field read, a value.
    Any,
    /// A resource of this kind.
    Kind(&'w str),
    /// A resource of one of these kinds.
    Kinds(&'w [String]),
    /// A resource with this field (`orders.stream_arn`).
    Field(&'w str),
    /// What a function does `verb` to (`send jobs`).
    Verb(&'w str),
    /// What triggers a function, with a route (`on http "GET /"`) or without.
    Trigger { route: bool },
}

/// `declare it, for example `queue jobs {}``, with the kinds that fit
/// `wanted` named when there are several.
pub(crate) fn help(kinds: &Kinds, wanted: Wanted, name: &str) -> String {
    let fitting: Vec<&KindDef> = kinds.all().iter().filter(|k| fits(k, wanted) && declarable(k)).collect();
    let Some(example) = example_kind(&fitting) else {
        return format!("declare it, for example `queue {name} {{}}`");
    };
    let example = declaration(example, name);
    match wanted {
        Wanted::Any => format!("declare it, for example `{example}`"),
        _ if fitting.len() == 1 => format!("declare it: `{example}`"),
        Wanted::Verb(verb) => {
            format!("declare it, for example `{example}`; `{verb}` is done to {}", either(&fitting))
        }
        Wanted::Field(field) => {
            format!("declare it, for example `{example}`; `{field}` is a field of {}", either(&fitting))
        }
        Wanted::Trigger { .. } => {
            format!("declare it, for example `{example}`; functions are triggered by {}", either(&fitting))
        }
        Wanted::Kind(_) | Wanted::Kinds(_) => format!("declare it as {}, for example `{example}`", either(&fitting)),
    }
}

/// The declarations that fit `wanted` and are whole as written (`queue
/// jobs {}`, not `table jobs { key = … }`): an editor's quick fixes. None
/// where any resource would do: the help's example is only an example.
pub(crate) fn declarations(kinds: &Kinds, wanted: Wanted, name: &str) -> Vec<String> {
    if matches!(wanted, Wanted::Any) {
        return Vec::new();
    }
    let whole = |k: &&KindDef| k.creatable && !needs_body(k);
    kinds.all().iter().filter(|k| fits(k, wanted)).filter(whole).map(|k| declaration(k, name)).collect()
}

fn fits(kind: &KindDef, wanted: Wanted) -> bool {
    match wanted {
        // The first example stays a queue, whatever the kinds' order.
        Wanted::Any => kind.name == "queue",
        Wanted::Kind(name) => kind.name == name,
        Wanted::Kinds(names) => names.contains(&kind.name),
        Wanted::Field(field) => kind.field(field).is_some(),
        Wanted::Verb(verb) => kind.verb(verb).is_some_and(|v| !v.is_mount()),
        Wanted::Trigger { route } => kind.trigger.as_ref().is_some_and(|t| t.route == route),
    }
}

/// A kind a program can declare a resource of.
fn declarable(kind: &KindDef) -> bool {
    kind.creatable || kind.existable
}

/// The kind whose declaration is shortest to write: one created with no
/// required attribute, else one created, else one that exists already.
fn example_kind<'k>(fitting: &[&'k KindDef]) -> Option<&'k KindDef> {
    let bare = |k: &KindDef| k.creatable && !needs_body(k);
    let found = fitting.iter().find(|k| bare(k)).or_else(|| fitting.iter().find(|k| k.creatable));
    found.or(fitting.first()).copied()
}

/// `queue jobs {}`, `table orders { key = … }`, `existing certificate cert
/// = "ARN"`; a function's body is more than its required attributes (a
/// runtime and handler, or an image).
fn declaration(kind: &KindDef, name: &str) -> String {
    if !kind.creatable {
        return format!("existing {} {name} = \"ARN\"", kind.name);
    }
    if kind.name == "function" {
        return format!("function {name} {{ … }}");
    }
    let required: Vec<String> =
        kind.attributes.iter().filter(|a| a.required).map(|a| format!("{} = …", a.name)).collect();
    if required.is_empty() {
        format!("{} {name} {{}}", kind.name)
    } else {
        format!("{} {name} {{ {} }}", kind.name, required.join(" "))
    }
}

/// Whether a resource of `kind` is declared with something in its body.
fn needs_body(kind: &KindDef) -> bool {
    kind.name == "function" || kind.attributes.iter().any(|a| a.required)
}

/// `a bucket, an email_identity or a table`: in the order of the kinds'
/// names, whatever their articles.
fn either(kinds: &[&KindDef]) -> String {
    let mut names: Vec<&str> = kinds.iter().map(|k| k.name.as_str()).collect();
    names.sort_unstable();
    let names: Vec<String> = names.into_iter().map(a).collect();
    listed(&names, "or")
}
