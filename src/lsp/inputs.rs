//! Inputs in the editor: hover on an input's name (its type, default,
//! pattern and where it becomes a parameter and a variable), and the
//! completions where an input may stand (`resolve::takes_input`, `existing`
//! ARNs, `allow invoke from` principals) or inside an `input` block.

use super::completion::item;
use crate::check::Checked;
use crate::deploy::inputs::Inputs;
use crate::explain::location;
use crate::model::InputType;
use crate::resolve::takes_input;
use lsp_types::{CompletionItem, CompletionItemKind};

/// Hover on an input's name.
pub fn hover(checked: &Checked, name: &str) -> Option<String> {
    let inputs = Inputs::new(&checked.model);
    let input = inputs.list.iter().find(|i| i.input.name == name)?;
    let declared = location(checked, input.input.name_span);
    let file = declared.rsplit(['/', '\\']).next().unwrap_or(&declared);
    let mut out = format!("**input** `{name}` ({}) — {file}", input.input.ty.word());
    if let Some(doc) = &input.input.doc {
        out.push_str(&format!("\n\n{doc}"));
    }
    if let Some(default) = &input.default {
        out.push_str(&format!("\n\ndefault: `{}`", default.cloudformation()));
    }
    if let Some(pattern) = &input.pattern {
        out.push_str(&format!("\n\npattern: `{pattern}` (each value matches it whole)"));
    }
    out.push_str(&format!(
        "\n\nGiven at deploy time: CloudFormation parameter `{}` (`{}`), Terraform `var.{}`.",
        input.parameter, input.cloudformation_type, input.variable
    ));
    if input.input.uses.is_empty() {
        out.push_str(" Nothing uses it yet.");
    }
    Some(out)
}

/// The app's inputs of type `ty`, as completions.
fn of_type(checked: &Checked, ty: InputType) -> Vec<CompletionItem> {
    checked
        .model
        .inputs
        .iter()
        .filter(|i| i.ty == ty)
        .map(|i| item(&i.name, CompletionItemKind::CONSTANT, &format!("input ({})", ty.word()), i.doc.clone()))
        .collect()
}

/// After `attr =` in a block of `kind`: the inputs that may stand there.
pub fn after_assignment(checked: &Checked, kind: &str, attr: &str) -> Vec<CompletionItem> {
    match (takes_input(kind, attr), attr) {
        (false, _) | (true, "env" | "layers") => Vec::new(),
        (true, "image") => of_type(checked, InputType::String),
        (true, _) => of_type(checked, InputType::List),
    }
}

/// At the top level: `input` itself, and string inputs after
/// `existing KIND NAME =`.
pub fn top_level(checked: &Checked, words: &[&str]) -> Vec<CompletionItem> {
    match words {
        [] => vec![item(
            "input",
            CompletionItemKind::KEYWORD,
            "input NAME { type = string }: a value given at deploy time",
            None,
        )],
        ["existing", _, _, "="] => of_type(checked, InputType::String),
        _ => Vec::new(),
    }
}

/// String inputs after `allow invoke from account|role|organization`.
pub fn after_allow(checked: &Checked, words: &[&str]) -> Option<Vec<CompletionItem>> {
    match words {
        ["allow", "invoke", "from", "account" | "role" | "organization"] => Some(of_type(checked, InputType::String)),
        _ => None,
    }
}

/// Inside `input NAME { ... }`: its attributes, and the types after `type =`.
pub fn in_block(words: &[&str]) -> Vec<CompletionItem> {
    match words {
        [] => [
            ("type", "string | list | number, required"),
            ("default", "the value when the deployment gives none"),
            ("pattern", "a regular expression each value matches whole"),
            ("doc", "what the value is"),
        ]
        .iter()
        .map(|(name, detail)| {
            let mut completion = item(name, CompletionItemKind::PROPERTY, detail, None);
            completion.insert_text = Some(format!("{name} = "));
            completion
        })
        .collect(),
        ["type", "="] => {
            ["string", "list", "number"].iter().map(|t| item(t, CompletionItemKind::ENUM_MEMBER, "", None)).collect()
        }
        _ => Vec::new(),
    }
}
