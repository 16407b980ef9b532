//! The app's inputs as both targets declare them: a CloudFormation parameter
//! and a Terraform variable each, with one name per target, the type each
//! target spells, the default, the pattern and the description. Inputs are
//! not resources; the printers print this list (`Parameters`, `variable`
//! blocks) and refer to an input through `parameter` and `variable`.

use super::ids::camel;
use super::names::fnv1a;
use crate::model::{Input, InputId, InputType, Model, Val};
use std::collections::{BTreeSet, HashMap};

/// One input as it is declared in the outputs.
#[derive(Clone, Debug)]
pub struct DeployInput<'m> {
    pub input: &'m Input,
    /// The CloudFormation parameter's logical id (`PartnerQueueArn`).
    pub parameter: String,
    /// The Terraform variable's name (`partner_queue_arn`).
    pub variable: String,
    /// `String`, `CommaDelimitedList` or `Number`.
    pub cloudformation_type: &'static str,
    pub default: Option<Default>,
    /// The pattern as written: CloudFormation's `AllowedPattern` matches
    /// the whole value (each item of a list).
    pub pattern: Option<String>,
    /// The pattern Terraform's `regex` must match, anchored to the whole
    /// value as CloudFormation applies it.
    pub whole_pattern: Option<String>,
    pub description: String,
}

/// A default in the shape of the input's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Default {
    Text(String),
    List(Vec<String>),
    Number(i64),
}

impl Default {
    /// As CloudFormation writes every default: one string, a list's items
    /// joined by commas.
    pub fn cloudformation(&self) -> String {
        match self {
            Default::Text(text) => text.clone(),
            Default::List(items) => items.join(","),
            Default::Number(n) => n.to_string(),
        }
    }
}

/// The inputs of one app, named for both targets once.
#[derive(Clone, Debug)]
pub struct Inputs<'m> {
    pub list: Vec<DeployInput<'m>>,
}

impl<'m> Inputs<'m> {
    pub fn new(model: &'m Model) -> Inputs<'m> {
        Inputs::avoiding(model, &BTreeSet::new())
    }

    /// The inputs, each parameter whose id a resource of the template has
    /// (`orders_table` beside a table `orders`, `OrdersTable`) suffixed
    /// `Input`: a resource's id never changes because an input was added.
    pub fn avoiding(model: &'m Model, taken: &BTreeSet<String>) -> Inputs<'m> {
        let mut by_camel: HashMap<String, usize> = HashMap::new();
        for input in &model.inputs {
            *by_camel.entry(camel(&input.name)).or_default() += 1;
        }
        let list = model.inputs.iter().map(|input| deploy_input(input, &by_camel, taken)).collect();
        Inputs { list }
    }

    /// The CloudFormation parameter of an input.
    pub fn parameter(&self, id: InputId) -> &str {
        &self.list[id.0 as usize].parameter
    }

    /// The Terraform variable of an input.
    pub fn variable(&self, id: InputId) -> &str {
        &self.list[id.0 as usize].variable
    }
}

fn deploy_input<'m>(input: &'m Input, by_camel: &HashMap<String, usize>, taken: &BTreeSet<String>) -> DeployInput<'m> {
    let stem = camel(&input.name);
    // Names that camel-case alike get a hash of their own.
    let mut parameter = if by_camel.get(&stem).copied().unwrap_or(0) > 1 {
        format!("{stem}{:08x}", fnv1a(input.name.as_bytes()))
    } else {
        stem
    };
    if taken.contains(&parameter) {
        parameter.push_str("Input");
    }
    // `region` is the variable a Terraform configuration of an app without
    // a region declares.
    let variable = if input.name == "region" { "region_input".to_string() } else { input.name.clone() };
    DeployInput {
        input,
        parameter,
        variable,
        cloudformation_type: match input.ty {
            InputType::String => "String",
            InputType::List => "CommaDelimitedList",
            InputType::Number => "Number",
        },
        default: input.default.as_ref().and_then(default),
        pattern: input.pattern.clone(),
        whole_pattern: input.pattern.as_deref().map(crate::resolve::whole),
        description: description(input),
    }
}

fn default(value: &Val) -> Option<Default> {
    Some(match value {
        Val::Str(text) => Default::Text(text.clone()),
        Val::Int(n) => Default::Number(*n),
        Val::List(items) => Default::List(
            items
                .iter()
                .filter_map(|item| match item {
                    Val::Str(text) => Some(text.clone()),
                    _ => None,
                })
                .collect(),
        ),
        _ => return None,
    })
}

/// The input's `doc`, or what it is for the user who is asked for it.
fn description(input: &Input) -> String {
    match &input.doc {
        Some(doc) => doc.clone(),
        None => format!("Lambdaform input {} ({})", input.name, input.ty.word()),
    }
}

#[cfg(test)]
mod tests {
    use super::Default;

    #[test]
    fn cloudformation_defaults_are_strings() {
        assert_eq!(Default::List(vec!["a".into(), "b".into()]).cloudformation(), "a,b");
        assert_eq!(Default::Number(3).cloudformation(), "3");
    }
}
