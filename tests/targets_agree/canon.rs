//! Values in one canonical form for both targets, given which resources
//! are paired: a reference to a paired resource becomes `${Pair.attr}` (the
//! pair named by its CloudFormation logical id, the attribute neutral:
//! `arn`, `name`, `url`, `id`, `stream_arn`, `invoke_arn`, `endpoint`), one
//! not yet paired `${?address.attr}`; a literal name or ARN of a paired
//! resource becomes the same reference (CloudFormation writes
//! `arn:${AWS::Partition}:lambda:…:function:app-dev-f` where Terraform writes
//! `aws_lambda_function.f.arn`); an existing resource, by literal ARN or by
//! Terraform data source, becomes `${existing service:resource.attr}`.

use super::read::{markers, Res, Side, Target, TYPES};
use super::table::{self, Canon, Row};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which resources are the same AWS resource: the Terraform address and the
/// CloudFormation logical id of each pair, both ways.
#[derive(Debug, Default)]
pub struct Pairs {
    pub list: Vec<(String, String)>,
    pub by_cloudformation: BTreeMap<String, String>,
    pub by_terraform: BTreeMap<String, String>,
    /// Pairs made by document order among what nothing else told apart.
    pub by_order: Vec<String>,
}

impl Pairs {
    pub fn add(&mut self, cloudformation: &str, terraform: &str) {
        self.list.push((cloudformation.to_string(), terraform.to_string()));
        self.by_cloudformation.insert(cloudformation.to_string(), terraform.to_string());
        self.by_terraform.insert(terraform.to_string(), cloudformation.to_string());
    }
    /// The pair name of a resource of `target`, if paired.
    pub fn name(&self, target: Target, id: &str) -> Option<&str> {
        match target {
            Target::Cloudformation => self.by_cloudformation.get_key_value(id).map(|(k, _)| k.as_str()),
            Target::Terraform => self.by_terraform.get(id).map(String::as_str),
        }
    }
}

/// What one target's values are read against.
pub struct View<'a> {
    pub target: Target,
    pub side: &'a Side,
    pub pairs: &'a Pairs,
    /// Literal text → the reference it denotes, longest first.
    aliases: Vec<(String, String, bool)>,
}

impl<'a> View<'a> {
    pub fn new(target: Target, side: &'a Side, pairs: &'a Pairs) -> View<'a> {
        let mut view = View { target, side, pairs, aliases: Vec::new() };
        view.aliases = aliases(&view);
        view
    }

    /// A value with markers rendered, aliases contracted, scalars made
    /// canonical, and the row's comparison applied.
    /// What this target says for `row`, as it says it (`None`: nothing).
    pub fn said(&self, row: &Row, props: &Value) -> Option<Value> {
        let get = match self.target {
            Target::Cloudformation => &row.cloudformation,
            Target::Terraform => &row.terraform,
        };
        table::read(get, props)
    }

    /// What this target means for `row`: what it says, or AWS's default,
    /// in canonical form.
    pub fn row_value(&self, row: &Row, props: &Value) -> Value {
        let value = self
            .said(row, props)
            .or_else(|| row.default.map(|d| serde_json::from_str(d).expect("a default is JSON")))
            .unwrap_or(Value::Null);
        self.canonical(&value, row.canon, row.property)
    }

    /// A resource's own `name` keeps its literal text: it is what is
    /// compared.
    pub fn canonical(&self, value: &Value, canon: Canon, property: &str) -> Value {
        let rendered = self.render(value, property != "name");
        let value = scalars(&rendered);
        apply(value, canon, property)
    }

    fn render(&self, value: &Value, names: bool) -> Value {
        match value {
            Value::String(text) => Value::String(self.render_text(text, names)),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.render(i, names)).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), self.render(v, names))).collect()),
            other => other.clone(),
        }
    }

    fn render_text(&self, text: &str, names: bool) -> String {
        let mut out = String::new();
        let mut rest = text;
        for (id, attribute) in markers(text) {
            let marker = super::read::marker(&id, &attribute);
            let start = rest.find(&marker).expect("marker in text");
            out.push_str(&rest[..start]);
            out.push_str(&self.reference(&id, &attribute));
            rest = &rest[start + marker.len()..];
        }
        out.push_str(rest);
        self.contract(&out, names)
    }

    /// `${Pair.attr}`, `${?address.attr}` or an existing resource.
    fn reference(&self, id: &str, attribute: &str) -> String {
        if let Some((ty, args)) = self.side.data.get(id) {
            return existing_by_data(ty, args, attribute);
        }
        let Some(resource) = self.side.get(id) else { return format!("${{?{id}.{attribute}}}") };
        if resource.ty == "AWS::ApiGatewayV2::Integration" {
            // A route's target: the function the integration calls.
            let uri = table::read(&table::Get::Path(self.uri_path()), &resource.props).unwrap_or(Value::Null);
            let function = apply(self.render(&uri, true), Canon::Referent, "");
            return format!("integration({})", super::compare::text(&function));
        }
        let neutral = self.neutral(resource, attribute);
        let name = self.pairs.name(self.target, id).map_or_else(|| format!("?{id}"), str::to_string);
        if neutral == "execution_arn" {
            return format!("arn:${{partition}}:execute-api:${{region}}:${{account}}:${{{name}.id}}");
        }
        format!("${{{name}.{neutral}}}")
    }

    fn uri_path(&self) -> &'static str {
        match self.target {
            Target::Cloudformation => "IntegrationUri",
            Target::Terraform => "integration_uri",
        }
    }

    fn neutral(&self, resource: &Res, attribute: &str) -> String {
        let row = TYPES.iter().find(|t| t.0 == resource.ty);
        match (self.target, attribute) {
            (Target::Cloudformation, "Ref") => row.map_or("ref", |t| t.2).to_string(),
            (Target::Terraform, "id") => row.map_or("id", |t| t.3).to_string(),
            (_, "Arn" | "arn" | "ConsumerARN") => "arn".into(),
            (_, "StreamArn" | "stream_arn") => "stream_arn".into(),
            (Target::Terraform, "function_name" | "bucket" | "name") => "name".into(),
            (Target::Cloudformation, "QueueName" | "TopicName" | "Name") => "name".into(),
            (_, "ApiEndpoint" | "api_endpoint") => "endpoint".into(),
            (_, "ApiId") => "id".into(),
            // What CloudFormation's `Ref` of a REST stage and of a custom
            // domain returns.
            (Target::Terraform, "stage_name" | "domain_name") => "name".into(),
            (_, "RootResourceId" | "root_resource_id") => "root_resource_id".into(),
            // The version a function published (`read::fold_versions`).
            (_, "Version" | "version") => "version".into(),
            // A custom domain's DNS target.
            (
                _,
                "RegionalDomainName" | "regional_domain_name" | "DistributionDomainName" | "cloudfront_domain_name",
            ) => "dns_target".into(),
            (_, other) => other.to_string(),
        }
    }

    /// Literal names and ARNs of paired resources → references.
    fn contract(&self, text: &str, names: bool) -> String {
        let mut out = text.to_string();
        // Twice: a form contracted first may make another one (a literal
        // function ARN inside its invocation URI).
        for _ in 0..2 {
            for (literal, reference, whole) in &self.aliases {
                if *whole {
                    if names && out == *literal {
                        out = reference.clone();
                    }
                } else if out.contains(literal.as_str()) {
                    out = replace_bounded(&out, literal, reference);
                }
            }
        }
        existing_by_arn(&out).unwrap_or(out)
    }
}

/// Each paired resource's literal name (if this target sets one) and the
/// ARN and other forms AWS derives from it.
fn aliases(view: &View) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for resource in &view.side.resources {
        let Some(pair) = view.pairs.name(view.target, &resource.id) else { continue };
        let rows = table::rows(&resource.ty);
        let get = rows.iter().find(|r| r.property == "name").map(|r| match view.target {
            Target::Cloudformation => &r.cloudformation,
            Target::Terraform => &r.terraform,
        });
        let name = get.and_then(|g| table::read(g, &resource.props)).and_then(|v| v.as_str().map(str::to_string));
        if resource.ty == "AWS::ApiGatewayV2::Api" {
            out.push((
                format!("https://${{{pair}.id}}.execute-api.${{region}}.${{url_suffix}}"),
                format!("${{{pair}.endpoint}}"),
                false,
            ));
        }
        if resource.ty == "AWS::ApiGatewayV2::DomainName" {
            // Terraform's path to the regional domain name (a block's list).
            let path = format!("${{{pair}.domain_name_configuration}}.0.target_domain_name");
            out.push((path, format!("${{{pair}.dns_target}}"), false));
        }
        if resource.ty == "AWS::Lambda::Function" {
            let invoke = format!("arn:${{partition}}:apigateway:${{region}}:lambda:path/2015-03-31/functions/${{{pair}.arn}}/invocations");
            out.push((invoke, format!("${{{pair}.invoke_arn}}"), false));
        }
        if resource.ty == "AWS::Lambda::Alias" {
            out.extend(alias_arns(view, resource, pair));
        }
        // An ARN built from a reference to the name.
        let by_name = format!("${{{pair}.name}}");
        let built = arn_of(&resource.ty, &by_name);
        if !built.is_empty() {
            out.push((built, format!("${{{pair}.arn}}"), false));
        }
        let Some(name) = name.filter(|n| !n.contains('⟦') && !n.contains("${?")) else { continue };
        let arn = arn_of(&resource.ty, &name);
        if !arn.is_empty() {
            out.push((arn, format!("${{{pair}.arn}}"), false));
        }
        // A name made of the account and region (a bucket's) is distinct
        // enough to be read inside a text too: a state machine's definition
        // names the bucket where CloudFormation writes the known name and
        // Terraform its reference.
        let inside_texts = name.contains("${account}");
        out.push((name, format!("${{{pair}.name}}"), !inside_texts));
    }
    // Longer literals first, so that a name that begins another's never
    // cuts it.
    out.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
    out
}

/// An alias's ARN as written from its function's (`${F.arn}:live`, once
/// the function's own ARN is contracted) and its invocation URI: the
/// alias, as Terraform's `aws_lambda_alias` attributes say it.
fn alias_arns(view: &View, alias: &Res, pair: &str) -> Vec<(String, String, bool)> {
    let (function, name) = match view.target {
        Target::Cloudformation => ("FunctionName", "Name"),
        Target::Terraform => ("function_name", "name"),
    };
    let text = |key: &str| alias.props.get(key).and_then(Value::as_str).unwrap_or_default();
    let (name, functions) = (text(name), markers(text(function)));
    let [(function, _)] = functions.as_slice() else { return Vec::new() };
    if name.is_empty() || name.contains('⟦') {
        return Vec::new();
    }
    let Some(function) = view.pairs.name(view.target, function) else { return Vec::new() };
    let arn = format!("${{{function}.arn}}:{name}");
    let invoke = format!(
        "arn:${{partition}}:apigateway:${{region}}:lambda:path/2015-03-31/functions/${{{pair}.arn}}/invocations"
    );
    vec![(arn, format!("${{{pair}.arn}}"), false), (invoke, format!("${{{pair}.invoke_arn}}"), false)]
}

/// The ARN of a resource of type `ty` named `name`, where AWS derives it
/// from the name.
fn arn_of(ty: &str, name: &str) -> String {
    let head = "arn:${partition}";
    let here = "${region}:${account}";
    match ty {
        "AWS::Lambda::Function" => format!("{head}:lambda:{here}:function:{name}"),
        "AWS::IAM::Role" => format!("{head}:iam::${{account}}:role/{name}"),
        "AWS::DynamoDB::Table" => format!("{head}:dynamodb:{here}:table/{name}"),
        "AWS::SQS::Queue" => format!("{head}:sqs:{here}:{name}"),
        "AWS::SNS::Topic" => format!("{head}:sns:{here}:{name}"),
        "AWS::S3::Bucket" => format!("{head}:s3:::{name}"),
        "AWS::Events::EventBus" => format!("{head}:events:{here}:event-bus/{name}"),
        "AWS::Events::Rule" => format!("{head}:events:{here}:rule/{name}"),
        "AWS::Kinesis::Stream" => format!("{head}:kinesis:{here}:stream/{name}"),
        "AWS::SSM::Parameter" => format!("{head}:ssm:{here}:parameter/{}", name.trim_start_matches('/')),
        "AWS::Logs::LogGroup" => format!("{head}:logs:{here}:log-group:{name}"),
        "AWS::StepFunctions::StateMachine" => format!("{head}:states:{here}:stateMachine:{name}"),
        _ => String::new(),
    }
}

/// `text` with each `literal` that is not followed by more of a name
/// replaced.
fn replace_bounded(text: &str, literal: &str, replacement: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(literal) {
        let after = &rest[start + literal.len()..];
        let bounded = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        out.push_str(&rest[..start]);
        out.push_str(if bounded { replacement } else { literal });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A literal ARN of a resource of the kinds an app may name `existing`.
fn existing_by_arn(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [_, _, service, _, _, resource] = parts.as_slice() else { return None };
    if !text.starts_with("arn:") || text.contains("${") || resource.is_empty() {
        return None;
    }
    let known = ["dynamodb", "sqs", "sns", "kinesis", "s3", "events", "secretsmanager", "ssm"];
    let function = *service == "lambda" && resource.starts_with("function:");
    if !known.contains(service) && !function {
        return None;
    }
    if let Some((table, label)) = resource.split_once("/stream/") {
        if *service == "dynamodb" && label != "*" {
            return Some(format!("${{existing dynamodb:{table}.stream_arn}}"));
        }
    }
    Some(format!("${{existing {service}:{resource}.arn}}"))
}

/// A Terraform data source read for an existing resource.
fn existing_by_data(ty: &str, args: &Value, attribute: &str) -> String {
    let arg = |name: &str| args.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    if let Some(existing) = existing_by_arn(&arg("arn")) {
        let base = existing.trim_end_matches(".arn}");
        return format!("{base}.{attribute}}}");
    }
    let resource = match ty {
        "aws_dynamodb_table" => format!("dynamodb:table/{}", arg("name")),
        "aws_sqs_queue" => format!("sqs:{}", arg("name")),
        "aws_sns_topic" => format!("sns:{}", arg("name")),
        "aws_kinesis_stream" => format!("kinesis:stream/{}", arg("name")),
        "aws_lambda_function" => format!("lambda:function:{}", arg("function_name")),
        "aws_s3_bucket" => format!("s3:{}", arg("bucket")),
        "aws_cloudwatch_event_bus" => format!("events:event-bus/{}", arg("name")),
        "aws_secretsmanager_secret" => format!("secretsmanager:secret:{}", arg("name")),
        "aws_ssm_parameter" => format!("ssm:parameter/{}", arg("name").trim_start_matches('/')),
        other => format!("{other}:{args}"),
    };
    format!("${{existing {resource}.{attribute}}}")
}

/// Numbers and booleans written as strings read as what they say.
fn scalars(value: &Value) -> Value {
    match value {
        Value::String(s) if s == "true" || s == "false" => Value::Bool(s == "true"),
        Value::String(s)
            if !s.is_empty() && s.len() < 16 && s.trim_start_matches('-').chars().all(|c| c.is_ascii_digit()) =>
        {
            s.parse::<i64>().map_or_else(|_| value.clone(), Value::from)
        }
        Value::Array(items) => Value::Array(items.iter().map(scalars).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), scalars(v))).collect()),
        other => other.clone(),
    }
}

fn apply(value: Value, canon: Canon, property: &str) -> Value {
    match canon {
        Canon::Plain => value,
        Canon::Set => match value {
            Value::Array(items) => {
                let mut items: Vec<Value> = items;
                items.sort_by_key(super::compare::text);
                items.dedup();
                Value::Array(items)
            }
            other => other,
        },
        Canon::Json => match value {
            Value::String(text) => serde_json::from_str(&text).map(|v| scalars(&v)).unwrap_or(Value::String(text)),
            other => other,
        },
        Canon::Policy => policy(&value),
        Canon::Referent => referent(value, property),
    }
}

/// A reference by what it refers to: `${F.name}`, `${F.arn}` and
/// `${F.invoke_arn}` are all `${F}`.
pub fn referent(value: Value, property: &str) -> Value {
    let Value::String(text) = value else { return value };
    if let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        if !inner.contains("${") {
            let base = inner.rsplit_once('.').map_or(inner, |(base, _)| base);
            return Value::String(format!("${{{base}}}"));
        }
    }
    if property == "bus" && !text.starts_with("arn:") && !text.contains("${") && text != "default" {
        return Value::String(format!("${{existing events:event-bus/{text}}}"));
    }
    Value::String(text)
}

/// A policy document, or policies by name, as sorted statements of one
/// (effect, action, resource, principal, condition) each.
fn policy(value: &Value) -> Value {
    let document = match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    };
    if document.get("Statement").is_none() {
        if let Value::Object(map) = &document {
            return Value::Object(map.iter().map(|(name, doc)| (name.clone(), policy(doc))).collect());
        }
    }
    let mut out: Vec<Value> = Vec::new();
    for statement in list(document.get("Statement")) {
        let effect = statement.get("Effect").and_then(Value::as_str).unwrap_or("Allow");
        let principal = statement.get("Principal").map(word);
        let condition = statement.get("Condition").map(word);
        let resources = list(statement.get("Resource"));
        let resources = if resources.is_empty() { vec![Value::Null] } else { resources };
        for action in list(statement.get("Action")) {
            for resource in &resources {
                let mut fact = format!("{effect} {} on {}", word(&action), word(resource));
                if let Some(p) = &principal {
                    fact.push_str(&format!(" principal {p}"));
                }
                if let Some(c) = &condition {
                    fact.push_str(&format!(" if {c}"));
                }
                out.push(Value::String(fact));
            }
        }
    }
    out.sort_by_key(super::compare::text);
    out.dedup();
    Value::Array(out)
}

/// A string as it is, anything else as JSON.
fn word(value: &Value) -> String {
    value.as_str().map_or_else(|| super::compare::text(value), str::to_string)
}

fn list(value: Option<&Value>) -> Vec<Value> {
    match value {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other.clone()],
    }
}

/// The references not yet paired in a canonical text: (address, attribute).
pub fn unpaired(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${?") {
        let Some(end) = rest[start..].find('}') else { break };
        let inner = &rest[start + 3..start + end];
        if let Some((id, attribute)) = inner.rsplit_once('.') {
            out.push((id.to_string(), attribute.to_string()));
        }
        rest = &rest[start + end + 1..];
    }
    out
}
