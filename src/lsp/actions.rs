//! Code actions: a quick fix for each fix a diagnostic carries (in its
//! `data`, written by `diagnostics`), so the edit is the one `check`
//! decided, never guessed again here.

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, WorkspaceEdit};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Fix {
    title: String,
    /// `{ uri: [TextEdit] }`, as a `WorkspaceEdit`'s `changes`.
    changes: Value,
}

#[derive(Deserialize)]
struct Data {
    fixes: Vec<Fix>,
}

pub fn code_actions(params: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let wanted = |kind: &CodeActionKind| kind.as_str().starts_with(CodeActionKind::QUICKFIX.as_str());
    if params.context.only.as_ref().is_some_and(|only| !only.iter().any(|k| wanted(k) || k.as_str().is_empty())) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for diagnostic in params.context.diagnostics {
        let Some(data) = diagnostic.data.clone().and_then(|d| serde_json::from_value::<Data>(d).ok()) else {
            continue;
        };
        for (i, fix) in data.fixes.into_iter().enumerate() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: serde_json::from_value::<WorkspaceEdit>(json!({ "changes": fix.changes })).ok(),
                is_preferred: Some(i == 0),
                ..CodeAction::default()
            }));
        }
    }
    out
}
