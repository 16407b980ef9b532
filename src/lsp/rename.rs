//! Rename of a resource or function across the app's files: its
//! declaration and every mention (verb targets, triggers, mounts,
//! references in values and `name.attr` reads). Refused while a file of
//! the app does not parse (a mention there would keep the old name), and
//! for a new name that breaks the rules: not a valid name, a word the
//! grammar reserves, or a name the app already uses.

use super::index::{self, Role};
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
    let resource = matches!(occurrence.role, Role::Declaration | Role::Reference);
    (resource && analysis.checked.model.find(&occurrence.text).is_some()).then(|| analysis.range(occurrence.span))
}

/// The edits that rename the resource under the cursor to `new_name`, or
/// why it cannot be.
// `WorkspaceEdit` keys its changes by `Uri`, which clippy takes for a
// mutable key; its hash and equality are those of its text.
#[allow(clippy::mutable_key_type)]
pub fn rename(analysis: &Analysis, file: FileId, offset: usize, new_name: &str) -> Result<WorkspaceEdit, String> {
    let checked = &analysis.checked;
    let occurrence = index::at(checked, file, offset).filter(|o| matches!(o.role, Role::Declaration | Role::Reference));
    let Some(occurrence) = occurrence else {
        return Err("only the name of a resource or function can be renamed".into());
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
    if checked.model.find(&occurrence.text).is_none() {
        return Err(format!(
            "nothing is named `{}`: only a declared resource or function can be renamed",
            occurrence.text
        ));
    }
    check_name(analysis, &occurrence.text, new_name)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for mention in index::resource_mentions(checked, &occurrence.text) {
        let Some(uri) = analysis.uri_of(mention.span.file) else { continue };
        let edit = TextEdit { range: analysis.range(mention.span), new_text: new_name.to_string() };
        changes.entry(uri.clone()).or_default().push(edit);
    }
    Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

fn check_name(analysis: &Analysis, old: &str, new: &str) -> Result<(), String> {
    let mut chars = new.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!("`{new}` is not a valid name: lower case letters, digits and `_`, starting with a letter"));
    }
    if RESERVED.contains(&new) {
        return Err(format!("`{new}` is a keyword of the language and cannot name a resource"));
    }
    let taken = index::declared(&analysis.checked).iter().any(|d| d.name == new)
        || analysis.checked.model.inputs.iter().any(|i| i.name == new);
    if taken && new != old {
        return Err(format!("`{new}` already names something in this app: names are unique, whatever their kind"));
    }
    Ok(())
}
