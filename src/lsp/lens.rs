//! Code lens: on each function's name whose grants were inferred, "N
//! grants · explain". N counts IAM actions as hover lists them under
//! "Execution role": each action of each statement of the function's
//! role (the unit of the inlay hint's "N IAM actions" on a verb line,
//! summed over the role, logs and triggers included). The lens runs
//! `lambdaform.explain` for that function with `show`, so that the
//! server shows the explanation (`window/showMessage`) in any editor.
//! Counting needs only the grants `check` already inferred: the lenses
//! come whole, with no resolve step.

use super::commands::EXPLAIN;
use super::workspace::Analysis;
use crate::source::FileId;
use lsp_types::{CodeLens, Command, Uri};
use serde_json::json;

pub fn lenses(analysis: &Analysis, file: FileId, uri: &Uri) -> Vec<CodeLens> {
    let model = &analysis.checked.model;
    analysis
        .checked
        .grants
        .iter()
        .map(|grants| (model.resource(grants.function), grants.statements.iter().map(|s| s.actions.len()).sum()))
        .filter(|(function, _)| function.name_span.file == file)
        .map(|(function, count)| CodeLens {
            range: analysis.range(function.name_span),
            command: Some(Command {
                title: format!("{} · explain", grants_label(count)),
                command: EXPLAIN.to_string(),
                arguments: Some(vec![json!({ "uri": uri, "function": function.name, "show": true })]),
            }),
            data: None,
        })
        .collect()
}

/// `N grants`, for the IAM actions of a role's statements counted once
/// per statement each appears in (as here and in hover).
pub fn grants_label(count: usize) -> String {
    if count == 1 {
        "1 grant".to_string()
    } else {
        format!("{count} grants")
    }
}
