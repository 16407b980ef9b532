//! Kinds an app declares (`kind NAME { ... }`), read as the stdlib's are,
//! and held to one more rule: a grant wider than one resource's ordinary
//! use says why (`why = "..."` in the grant), so that `explain`, the
//! template's metadata and a reviewer see the reason beside the statement.
//! Wide means a wildcard in an action (`*`, `s3:*`, `s3:Get*`), an action
//! of IAM, STS or Organizations (they change who may do what), or the
//! resource `any` (`*`). The stdlib's kinds need no reason but for `any`,
//! and give one there.

use crate::ast::{self, Item};
use crate::diagnostic::{Code, Diagnostic};
use crate::stdlib::{self, GrantDef, KindDef, Kinds};

/// Services whose actions decide who may do what.
const PERMISSION_SERVICES: [&str; 3] = ["iam", "sts", "organizations"];

pub(super) fn declare_user_kinds(files: &[&ast::File], kinds: &mut Kinds, diagnostics: &mut Vec<Diagnostic>) {
    for item in files.iter().flat_map(|f| &f.items) {
        if let Item::Block { kind, name, body } = item {
            if kind.text == "kind" {
                let taken = if super::NOT_RESOURCES.contains(&name.text.as_str()) {
                    Some((format!("`{}` is a word of the language, not a kind's name", name.text), "reserved"))
                } else {
                    kinds
                        .get(&name.text)
                        .map(|_| (format!("the kind `{}` is already defined", name.text), "defined again here"))
                };
                if let Some((message, label)) = taken {
                    diagnostics.push(
                        Diagnostic::new(Code::DuplicateName, name.span, message)
                            .label(label)
                            .help("choose another name for your kind"),
                    );
                    continue;
                }
                let declared = stdlib::read_kind(&name.text, name.span, body, diagnostics);
                diagnostics.extend(unjustified_grants(&declared));
                kinds.push(declared);
            }
        }
    }
}

/// Every grant of `kind` (verbs, trigger, destination) that is wide and
/// gives no reason: one diagnostic per wide action, and one for `any`.
pub fn unjustified_grants(kind: &KindDef) -> Vec<Diagnostic> {
    let verbs = kind.verbs.iter().flat_map(|v| &v.grants);
    let trigger = kind.trigger.iter().flat_map(|t| &t.grants);
    let destination = kind.destination.iter().flat_map(|d| &d.grants);
    let mut out = Vec::new();
    for grant in verbs.chain(trigger).chain(destination).filter(|g| g.why.is_none()) {
        wide_actions(grant, &mut out);
        if grant.resources.iter().any(|r| r == "any") {
            let span = grant.resources_span.unwrap_or(grant.span);
            out.push(
                Diagnostic::new(Code::UnjustifiedGrant, span, "a grant on `any` resource needs a reason")
                    .label("Resource \"*\"")
                    .help(WHY_HELP),
            );
        }
    }
    out
}

const WHY_HELP: &str =
    "add `why = \"...\"` to this grant, saying why nothing narrower serves; `explain` shows it beside the statement";

fn wide_actions(grant: &GrantDef, out: &mut Vec<Diagnostic>) {
    for (index, action) in grant.actions.iter().enumerate() {
        let span = grant.action_spans.get(index).copied().unwrap_or(grant.span);
        let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
        let problem = if action.contains(['*', '?']) {
            format!("`{action}` is a wildcard: it grants every action it matches, and those AWS adds later")
        } else if PERMISSION_SERVICES.contains(&service.as_str()) {
            format!("`{action}` is an action of {}: it changes who may do what", service_name(&service))
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(Code::UnjustifiedGrant, span, format!("{problem}; the grant needs a reason"))
                .label("wide action")
                .secondary(grant.span, "in this grant")
                .help(WHY_HELP),
        );
    }
}

fn service_name(service: &str) -> &'static str {
    match service {
        "iam" => "IAM",
        "sts" => "STS",
        _ => "AWS Organizations",
    }
}

#[cfg(test)]
mod tests {
    use super::unjustified_grants;
    use crate::source::Sources;
    use crate::stdlib;

    #[test]
    fn no_stdlib_kind_needs_a_reason_it_does_not_give() {
        let (kinds, diagnostics) = stdlib::load(&mut Sources::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        for kind in kinds.all() {
            let problems = unjustified_grants(kind);
            assert!(problems.is_empty(), "{}: {problems:?}", kind.name);
        }
    }
}
