//! Rename of a resource or function across the app's files: its
//! declaration and every mention (verb targets, triggers, mounts,
//! references in values and `name.attr` reads). Refused while a file of
//! the app does not parse (a mention there would keep the old name), and
//! for a new name that breaks the rules: not a valid name, a word the
//! grammar reserves, or a name the app already uses. An api's authorizer
//! is renamed the same way: its block's name and every `auth = NAME` of
//! the api and its routes.

use super::index::{self, Role};
use super::navigation;
use super::workspace::Analysis;
use crate::diagnostic::Code;
use crate::source::FileId;
use lsp_types::{Range, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// Words that cannot name a resource: the grammar's keywords, and the
/// statement keywords a name would be read as.
const RESERVED: [&str; 8] = ["existing", "true", "false", "app", "on", "mount", "allow", "kind"];

/// The range of the resource name under the cursor, if it can be renamed.
pub fn prepare(analysis: &Analysis, file: FileId, offset: usize) -> Option<Range> {
    let occurrence = index::at(&analysis.checked, file, offset)?;
    let known = match &occurrence.role {
        Role::Declaration | Role::Reference => analysis.checked.model.find(occurrence.text).is_some(),
        Role::Authorizer { api, .. } => navigation::authorizer(analysis, api, occurrence.text).is_some(),
        _ => false,
    };
    known.then(|| analysis.range(occurrence.span))
}

/// The edits that rename the resource under the cursor to `new_name`, or
/// why it cannot be.
// `WorkspaceEdit` keys its changes by `Uri`, which clippy takes for a
// mutable key; its hash and equality are those of its text.
#[allow(clippy::mutable_key_type)]
pub fn rename(analysis: &Analysis, file: FileId, offset: usize, new_name: &str) -> Result<WorkspaceEdit, String> {
    let checked = &analysis.checked;
    let renamable =
        |o: &index::Occurrence| matches!(o.role, Role::Declaration | Role::Reference | Role::Authorizer { .. });
    let Some(occurrence) = index::at(checked, file, offset).filter(renamable) else {
        return Err("only the name of a resource, function or authorizer can be renamed".into());
    };
    let unreadable = [Code::Syntax, Code::TooDeep, Code::InvalidUtf8];
    if let Some(error) = checked.diagnostics.iter().find(|d| unreadable.contains(&d.code)) {
        let name = &checked.sources.get(error.primary.span.file).name;
        let line = checked.sources.get(error.primary.span.file).position(error.primary.span.start as usize).line;
        return Err(format!(
            "not renamed: {name}:{line} does not parse, and a mention of `{}` there would keep the old name",
            occurrence.text
        ));
    }
    let mentions = match &occurrence.role {
        Role::Authorizer { api, .. } => {
            if navigation::authorizer(analysis, api, occurrence.text).is_none() {
                return Err(format!("`{api}` has no authorizer named `{}`", occurrence.text));
            }
            check_authorizer_name(analysis, api, occurrence.text, new_name)?;
            index::authorizer_mentions(checked, api, occurrence.text)
        }
        _ => {
            if checked.model.find(occurrence.text).is_none() {
                return Err(format!(
                    "nothing is named `{}`: only a declared resource or function can be renamed",
                    occurrence.text
                ));
            }
            check_name(analysis, occurrence.text, new_name)?;
            index::resource_mentions(checked, occurrence.text)
        }
    };
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for mention in mentions {
        let Some(uri) = analysis.uri_of(mention.span.file) else { continue };
        let edit = TextEdit { range: analysis.range(mention.span), new_text: new_name.to_string() };
        changes.entry(uri.clone()).or_default().push(edit);
    }
    Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

/// A valid name that no keyword takes.
fn check_word(new: &str) -> Result<(), String> {
    let mut chars = new.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!("`{new}` is not a valid name: lower case letters, digits and `_`, starting with a letter"));
    }
    if RESERVED.contains(&new) {
        return Err(format!("`{new}` is a keyword of the language and cannot name a resource"));
    }
    Ok(())
}

/// An authorizer's new name: a valid name, not a word `auth` takes
/// (`none`, `iam`), and not another authorizer's of the same api.
fn check_authorizer_name(analysis: &Analysis, api: &str, old: &str, new: &str) -> Result<(), String> {
    check_word(new)?;
    if matches!(new, "none" | "iam") {
        return Err(format!("`auth = {new}` means no authorizer: `{new}` cannot name one"));
    }
    if new != old && navigation::authorizer(analysis, api, new).is_some() {
        return Err(format!("`{api}` already has an authorizer named `{new}`"));
    }
    Ok(())
}

fn check_name(analysis: &Analysis, old: &str, new: &str) -> Result<(), String> {
    check_word(new)?;
    let taken = index::declared(&analysis.checked).iter().any(|d| d.name == new)
        || analysis.checked.model.inputs.iter().any(|i| i.name == new);
    if taken && new != old {
        return Err(format!("`{new}` already names something in this app: names are unique, whatever their kind"));
    }
    Ok(())
}
