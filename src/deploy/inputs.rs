//! The app's inputs as both targets declare them: a CloudFormation parameter
//! and a Terraform variable each, with one name per target, the type each
//! target spells, the default, the pattern (the one written, or the form
//! of the place the input stands in: [`place_pattern`]) and the
//! description. Inputs are
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
        let list = model
            .inputs
            .iter()
            .map(|input| {
                let mut declared = deploy_input(input, &by_camel, taken);
                if declared.pattern.is_none() {
                    declared.pattern = place_pattern(model, input.id);
                    declared.whole_pattern = declared.pattern.as_deref().map(crate::resolve::whole);
                }
                declared
            })
            .collect();
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

/// The pattern of an input without one of its own that stands where the
/// compiler would check a literal's form: a function's `image` (an ECR
/// image URI) or an item of its `layers` (a layer version ARN), each in
/// the app's region when it has one. So a value given at deploy time is
/// refused by CloudFormation's `AllowedPattern` and Terraform's
/// `validation`, as the compiler refuses the literal (LF1052, LF3012,
/// LF3082).
pub fn place_pattern(model: &Model, id: InputId) -> Option<String> {
    let region = match model.app.region.as_deref() {
        Some(region) if region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => region.to_string(),
        Some(region) => regex::escape(region),
        None => "[a-z]{2}(-[a-z]+)+-[0-9]".to_string(),
    };
    for (function, _) in model.functions() {
        if function.attrs.value("image") == Some(&Val::Input(id)) {
            return Some(format!(
                "[0-9]{{12}}\\.dkr\\.ecr\\.{region}\\.amazonaws\\.com(\\.cn)?/[a-z0-9._-]+(/[a-z0-9._-]+)*\
                 (:[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}|@sha256:[0-9a-f]{{64}})"
            ));
        }
        if let Some(Val::List(layers)) = function.attrs.value("layers") {
            if layers.contains(&Val::Input(id)) {
                return Some(format!("arn:aws[a-z-]*:lambda:{region}:[0-9]{{12}}:layer:[A-Za-z0-9_-]+:[0-9]+"));
            }
        }
    }
    None
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

    /// The patterns the compiler gives image and layer inputs accept what
    /// its own checks of a literal accept, and refuse what they refuse.
    #[test]
    fn place_patterns_agree_with_the_literal_checks() {
        let source = r#"
app a { region = "eu-west-1" }
input image { type = string }
input layer { type = string }
function f { image = image }
function g {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/g.zip"
  layers  = [layer]
}
"#;
        let input = crate::check::Input { name: "main.lf".into(), bytes: source.as_bytes().to_vec() };
        let checked = crate::check::check(vec![input], crate::date::Date::from_unix_seconds(1_786_838_400));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let model = checked.model;
        let pattern = |name: &str| {
            let id = model.inputs.iter().find(|i| i.name == name).unwrap().id;
            regex::Regex::new(&crate::resolve::whole(&super::place_pattern(&model, id).unwrap())).unwrap()
        };
        let image = pattern("image");
        let digest = format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:{}", "a".repeat(64));
        for uri in ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4", digest.as_str()] {
            assert!(crate::resolve::image_region(uri).is_some());
            assert!(image.is_match(uri), "{uri}");
        }
        for uri in [
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/App:1",
            "docker.io/library/python:3.12",
        ] {
            assert!(!image.is_match(uri), "{uri}");
        }
        let layer = pattern("layer");
        assert!(layer.is_match("arn:aws:lambda:eu-west-1:123456789012:layer:shared:3"));
        assert!(!layer.is_match("arn:aws:lambda:us-east-1:123456789012:layer:shared:3"));
        assert!(!layer.is_match("arn:aws:lambda:eu-west-1:123456789012:layer:shared"));
    }

    #[test]
    fn cloudformation_defaults_are_strings() {
        assert_eq!(Default::List(vec!["a".into(), "b".into()]).cloudformation(), "a,b");
        assert_eq!(Default::Number(3).cloudformation(), "3");
    }
}
