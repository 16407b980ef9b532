//! Both outputs read into the same shape: resources with JSON properties in
//! which every reference is a marker `⟦id|attribute⟧` (the CloudFormation
//! logical id and `Ref` or `GetAtt` attribute; the Terraform address and
//! attribute) and every pseudo parameter or caller-identity data source a
//! placeholder (`${partition}`, `${region}`, `${account}`, `${url_suffix}`).
//! Terraform resources that are parts of another (role policies, bucket
//! settings, event targets, secret versions) are folded into it under
//! `+<type>`, so that one AWS resource is one resource on each side.

use hcl::expr::{Expression, ObjectKey, TemplateExpr, TraversalOperator};
use hcl::structure::{Body, Structure};
use hcl::template::{Element, Template};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The CloudFormation type, the Terraform type, and what a bare reference
/// gives: CloudFormation's `Ref` and Terraform's `id`.
pub const TYPES: &[(&str, &str, &str, &str)] = &[
    ("AWS::Lambda::Function", "aws_lambda_function", "name", "name"),
    ("AWS::IAM::Role", "aws_iam_role", "name", "name"),
    ("AWS::DynamoDB::Table", "aws_dynamodb_table", "name", "name"),
    ("AWS::SQS::Queue", "aws_sqs_queue", "url", "url"),
    ("AWS::SNS::Topic", "aws_sns_topic", "arn", "arn"),
    ("AWS::S3::Bucket", "aws_s3_bucket", "name", "name"),
    ("AWS::Events::EventBus", "aws_cloudwatch_event_bus", "name", "name"),
    ("AWS::Events::Rule", "aws_cloudwatch_event_rule", "name", "name"),
    ("AWS::Kinesis::Stream", "aws_kinesis_stream", "name", "arn"),
    ("AWS::Kinesis::StreamConsumer", "aws_kinesis_stream_consumer", "arn", "arn"),
    ("AWS::SecretsManager::Secret", "aws_secretsmanager_secret", "arn", "arn"),
    ("AWS::KMS::Key", "aws_kms_key", "id", "id"),
    ("AWS::SSM::Parameter", "aws_ssm_parameter", "name", "name"),
    ("AWS::Logs::LogGroup", "aws_cloudwatch_log_group", "name", "name"),
    ("AWS::Lambda::Permission", "aws_lambda_permission", "id", "id"),
    ("AWS::Lambda::EventSourceMapping", "aws_lambda_event_source_mapping", "id", "id"),
    ("AWS::Lambda::EventInvokeConfig", "aws_lambda_function_event_invoke_config", "id", "id"),
    ("AWS::Lambda::Url", "aws_lambda_function_url", "id", "id"),
    ("AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api", "id", "id"),
    ("AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage", "id", "id"),
    ("AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route", "id", "id"),
    ("AWS::ApiGatewayV2::Integration", "aws_apigatewayv2_integration", "id", "id"),
    ("AWS::ApiGatewayV2::Authorizer", "aws_apigatewayv2_authorizer", "id", "id"),
    ("AWS::SNS::Subscription", "aws_sns_topic_subscription", "arn", "arn"),
    ("AWS::SQS::QueuePolicy", "aws_sqs_queue_policy", "id", "id"),
    ("AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api", "id", "id"),
    ("AWS::ApiGateway::Resource", "aws_api_gateway_resource", "id", "id"),
    ("AWS::ApiGateway::Method", "aws_api_gateway_method", "id", "id"),
    ("AWS::ApiGateway::Deployment", "aws_api_gateway_deployment", "id", "id"),
    ("AWS::ApiGateway::Stage", "aws_api_gateway_stage", "name", "id"),
    ("AWS::ApiGateway::ApiKey", "aws_api_gateway_api_key", "id", "id"),
    ("AWS::ApiGateway::UsagePlan", "aws_api_gateway_usage_plan", "id", "id"),
    ("AWS::ApiGateway::UsagePlanKey", "aws_api_gateway_usage_plan_key", "id", "id"),
    ("AWS::ApiGateway::DomainName", "aws_api_gateway_domain_name", "name", "id"),
    ("AWS::ApiGateway::BasePathMapping", "aws_api_gateway_base_path_mapping", "id", "id"),
    ("AWS::ApiGateway::Authorizer", "aws_api_gateway_authorizer", "id", "id"),
    ("AWS::ApiGateway::GatewayResponse", "aws_api_gateway_gateway_response", "id", "id"),
    ("AWS::ApiGatewayV2::DomainName", "aws_apigatewayv2_domain_name", "name", "name"),
    ("AWS::ApiGatewayV2::ApiMapping", "aws_apigatewayv2_api_mapping", "id", "id"),
    ("AWS::StepFunctions::StateMachine", "aws_sfn_state_machine", "arn", "arn"),
    ("AWS::Scheduler::Schedule", "aws_scheduler_schedule", "name", "name"),
    ("AWS::Lambda::Alias", "aws_lambda_alias", "arn", "arn"),
    ("AWS::Lambda::LayerVersion", "aws_lambda_layer_version", "arn", "arn"),
];

/// Terraform resources that are a part of another, and the argument that
/// names it.
const PARTS: [(&str, &str); 13] = [
    ("aws_iam_role_policy", "role"),
    ("aws_iam_role_policy_attachment", "role"),
    ("aws_s3_bucket_public_access_block", "bucket"),
    ("aws_s3_bucket_server_side_encryption_configuration", "bucket"),
    ("aws_s3_bucket_versioning", "bucket"),
    ("aws_s3_bucket_lifecycle_configuration", "bucket"),
    ("aws_s3_bucket_notification", "bucket"),
    ("aws_cloudwatch_event_target", "rule"),
    ("aws_secretsmanager_secret_version", "secret_id"),
    // A REST API method's integration, a resource of its own in Terraform
    // and the method's `Integration` in CloudFormation.
    ("aws_api_gateway_integration", "http_method"),
    // Its responses (a CORS preflight's), the method's `MethodResponses`
    // and its integration's `IntegrationResponses` in CloudFormation.
    ("aws_api_gateway_method_response", "http_method"),
    ("aws_api_gateway_integration_response", "http_method"),
    // An alias's provisioned concurrency, its `ProvisionedConcurrencyConfig`
    // in CloudFormation.
    ("aws_lambda_provisioned_concurrency_config", "qualifier"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Cloudformation,
    Terraform,
}

#[derive(Clone, Debug)]
pub struct Res {
    /// Logical id, or `type.label`.
    pub id: String,
    /// The CloudFormation type (Terraform types through [`TYPES`]), or the
    /// Terraform type where none corresponds.
    pub ty: String,
    pub props: Value,
    /// `DeletionPolicy: Retain`, or `lifecycle { prevent_destroy = true }`.
    pub retained: bool,
}

/// One target's output.
#[derive(Debug, Default)]
pub struct Side {
    pub resources: Vec<Res>,
    /// Terraform's data sources other than the caller's identity: address →
    /// (type, arguments).
    pub data: BTreeMap<String, (String, Value)>,
    /// Terraform's provider `default_tags`.
    pub default_tags: Option<Value>,
    /// Output value → description.
    pub outputs: Vec<(Value, Option<String>)>,
}

impl Side {
    pub fn get(&self, id: &str) -> Option<&Res> {
        self.resources.iter().find(|r| r.id == id)
    }
}

pub fn marker(id: &str, attribute: &str) -> String {
    format!("⟦{id}|{attribute}⟧")
}

// ---------------------------------------------------------------- CloudFormation

pub fn cloudformation(text: &str) -> Side {
    let template: Value = serde_json::from_str(text).expect("template.json is JSON");
    let mut side = Side::default();
    let resources = template.get("Resources").and_then(Value::as_object).expect("Resources");
    for (id, resource) in resources {
        side.resources.push(Res {
            id: id.clone(),
            ty: resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_string(),
            props: intrinsics(resource.get("Properties").unwrap_or(&Value::Null)),
            retained: resource.get("DeletionPolicy").and_then(Value::as_str) == Some("Retain"),
        });
    }
    if let Some(outputs) = template.get("Outputs").and_then(Value::as_object) {
        for output in outputs.values() {
            let description = output.get("Description").and_then(Value::as_str).map(str::to_string);
            side.outputs.push((intrinsics(output.get("Value").unwrap_or(&Value::Null)), description));
        }
    }
    fold_versions(&mut side);
    // A parameter's `Ref` is the input it stands for, as `var.NAME` is.
    if let Some(parameters) = template.get("Parameters").and_then(Value::as_object) {
        let inputs: Vec<(String, String)> =
            parameters.keys().map(|id| (marker(id, "Ref"), format!("${{input.{id}}}"))).collect();
        for resource in &mut side.resources {
            resource.props = replaced(&resource.props, &inputs);
        }
    }
    side
}

/// Each published version folded into its function, as Terraform says it
/// (`publish = true`, and `version` read of the function): the version's
/// other properties become the function's `+AWS::Lambda::Version`, and
/// `Fn::GetAtt [Version, Version]` reads the function's `Version`.
fn fold_versions(side: &mut Side) {
    let mut renamed = Vec::new();
    let mut folded = Vec::new();
    for (index, version) in side.resources.iter().enumerate().filter(|(_, r)| r.ty == "AWS::Lambda::Version") {
        let function = version.props.get("FunctionName").and_then(Value::as_str).unwrap_or_default();
        let whole = function.starts_with('⟦') && function.ends_with('⟧');
        let found = markers(function);
        let [(function, _)] = found.as_slice() else { continue };
        if !whole || side.get(function).is_none() {
            continue;
        }
        renamed.push((marker(&version.id, "Version"), marker(function, "Version")));
        folded.push((index, function.clone()));
    }
    for (index, function) in folded.into_iter().rev() {
        let mut version = side.resources.remove(index).props;
        if let Value::Object(map) = &mut version {
            map.remove("FunctionName");
        }
        if let Some(Value::Object(map)) = side.resources.iter_mut().find(|r| r.id == function).map(|r| &mut r.props) {
            map.insert("+AWS::Lambda::Version".into(), version);
        }
    }
    for resource in &mut side.resources {
        resource.props = replaced(&resource.props, &renamed);
    }
    for (value, _) in &mut side.outputs {
        *value = replaced(value, &renamed);
    }
}

/// `value` with each `(from, to)` text replaced in its strings.
fn replaced(value: &Value, pairs: &[(String, String)]) -> Value {
    match value {
        Value::String(s) => Value::String(pairs.iter().fold(s.clone(), |s, (from, to)| s.replace(from, to))),
        Value::Array(items) => Value::Array(items.iter().map(|i| replaced(i, pairs)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), replaced(v, pairs))).collect()),
        other => other.clone(),
    }
}

fn pseudo(name: &str) -> Option<&'static str> {
    Some(match name {
        "AWS::Region" => "${region}",
        "AWS::AccountId" => "${account}",
        "AWS::Partition" => "${partition}",
        "AWS::URLSuffix" => "${url_suffix}",
        "AWS::StackName" => "${stack_name}",
        _ => return None,
    })
}

/// Intrinsic functions as text with markers.
fn intrinsics(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(intrinsics).collect()),
        Value::Object(map) if map.len() == 1 => {
            let (key, arg) = map.iter().next().expect("one entry");
            match (key.as_str(), arg) {
                ("Ref", Value::String(id)) => {
                    Value::String(pseudo(id).map_or_else(|| marker(id, "Ref"), str::to_string))
                }
                ("Fn::GetAtt", Value::Array(parts)) if parts.len() == 2 => {
                    Value::String(marker(parts[0].as_str().unwrap_or_default(), parts[1].as_str().unwrap_or_default()))
                }
                ("Fn::GetAtt", Value::String(path)) => {
                    let (id, attribute) = path.split_once('.').unwrap_or((path, ""));
                    Value::String(marker(id, attribute))
                }
                ("Fn::Sub", Value::String(text)) => Value::String(substitute(text, &Map::new())),
                ("Fn::Sub", Value::Array(parts)) => {
                    let text = parts.first().and_then(Value::as_str).unwrap_or_default();
                    let vars = parts.get(1).and_then(Value::as_object).cloned().unwrap_or_default();
                    Value::String(substitute(text, &vars))
                }
                ("Fn::Join", Value::Array(parts)) if parts.len() == 2 => {
                    let separator = parts[0].as_str().unwrap_or_default();
                    let items: Vec<String> = match intrinsics(&parts[1]) {
                        Value::Array(items) => items.iter().map(text_of).collect(),
                        other => vec![text_of(&other)],
                    };
                    Value::String(items.join(separator))
                }
                _ => Value::Object(map.iter().map(|(k, v)| (k.clone(), intrinsics(v))).collect()),
            }
        }
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), intrinsics(v))).collect()),
        other => other.clone(),
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `Fn::Sub`'s `${X}`, `${X.Attr}`, `${AWS::Region}` and `${!Literal}`.
fn substitute(text: &str, vars: &Map<String, Value>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else { break };
        let name = &rest[start + 2..start + end];
        if let Some(literal) = name.strip_prefix('!') {
            out.push_str(&format!("${{{literal}}}"));
        } else if let Some(value) = vars.get(name) {
            out.push_str(&text_of(&intrinsics(value)));
        } else if let Some(placeholder) = pseudo(name) {
            out.push_str(placeholder);
        } else {
            let (id, attribute) = name.split_once('.').unwrap_or((name, "Ref"));
            out.push_str(&marker(id, attribute));
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------- Terraform

pub fn terraform(text: &str) -> Side {
    let body: Body = hcl::from_str(text).expect("main.tf is HCL");
    let mut side = Side::default();
    for structure in body.iter() {
        let Structure::Block(block) = structure else { continue };
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.identifier.as_str(), labels.as_slice()) {
            ("resource", [ty, label]) => {
                let (props, retained) = block_json(&block.body);
                let ty = TYPES.iter().find(|t| t.1 == *ty).map_or(ty.to_string(), |t| t.0.to_string());
                let ty = if PARTS.iter().any(|p| p.0 == ty) { format!("+{ty}") } else { ty };
                side.resources.push(Res { id: format!("{}.{label}", labels[0]), ty, props, retained });
            }
            ("data", [ty, label]) if !is_pseudo_data(ty) => {
                side.data.insert(format!("data.{ty}.{label}"), (ty.to_string(), block_json(&block.body).0));
            }
            ("provider", ["aws"]) => {
                let (provider, _) = block_json(&block.body);
                side.default_tags = provider.pointer("/default_tags/0/tags").cloned();
            }
            ("output", [_]) => {
                let (output, _) = block_json(&block.body);
                let description = output.get("description").and_then(Value::as_str).map(str::to_string);
                side.outputs.push((output.get("value").cloned().unwrap_or(Value::Null), description));
            }
            _ => {}
        }
    }
    fold_parts(&mut side);
    side
}

fn is_pseudo_data(ty: &str) -> bool {
    matches!(ty, "aws_caller_identity" | "aws_partition" | "aws_region")
}

/// A block body as JSON: attributes by name, nested blocks as lists under
/// their name (`lifecycle` and `depends_on` left out); whether
/// `prevent_destroy` is set.
fn block_json(body: &Body) -> (Value, bool) {
    let mut map = Map::new();
    let mut retained = false;
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) if attribute.key.as_str() == "depends_on" => {}
            Structure::Attribute(attribute) => {
                map.insert(attribute.key.as_str().to_string(), expression(&attribute.expr));
            }
            Structure::Block(block) if block.identifier.as_str() == "lifecycle" => {
                retained = block_json(&block.body).0.get("prevent_destroy") == Some(&Value::Bool(true));
            }
            Structure::Block(block) => {
                let entry = map.entry(block.identifier.as_str().to_string()).or_insert_with(|| Value::Array(vec![]));
                if let Value::Array(items) = entry {
                    items.push(block_json(&block.body).0);
                }
            }
        }
    }
    (Value::Object(map), retained)
}

fn expression(expr: &Expression) -> Value {
    match expr {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Expression::String(s) => Value::String(s.clone()),
        Expression::Array(items) => Value::Array(items.iter().map(expression).collect()),
        Expression::Object(object) => {
            Value::Object(object.iter().map(|(k, v)| (object_key(k), expression(v))).collect())
        }
        Expression::TemplateExpr(template) => Value::String(template_text(template)),
        Expression::Traversal(traversal) => {
            let mut path = vec![match &traversal.expr {
                Expression::Variable(v) => v.as_str().to_string(),
                other => text_of(&expression(other)),
            }];
            for operator in &traversal.operators {
                match operator {
                    TraversalOperator::GetAttr(name) => path.push(name.as_str().to_string()),
                    TraversalOperator::Index(Expression::Number(n)) => path.push(n.to_string()),
                    TraversalOperator::LegacyIndex(n) => path.push(n.to_string()),
                    other => path.push(format!("{other:?}")),
                }
            }
            Value::String(traversal_text(&path))
        }
        Expression::Variable(v) => Value::String(format!("${{{}}}", v.as_str())),
        Expression::FuncCall(call) if call.name.to_string() == "jsonencode" && call.args.len() == 1 => {
            expression(&call.args[0])
        }
        Expression::FuncCall(call) => {
            let args: Vec<String> = call.args.iter().map(|a| text_of(&expression(a))).collect();
            Value::String(format!("{}({})", call.name, args.join(", ")))
        }
        Expression::Parenthesis(inner) => expression(inner),
        other => Value::String(format!("<{other}>")),
    }
}

fn object_key(key: &ObjectKey) -> String {
    match key {
        ObjectKey::Identifier(id) => id.as_str().to_string(),
        ObjectKey::Expression(expr) => text_of(&expression(expr)),
        other => other.to_string(),
    }
}

fn template_text(template: &TemplateExpr) -> String {
    let raw = match template {
        TemplateExpr::QuotedString(s) => s.clone(),
        TemplateExpr::Heredoc(h) => h.template.clone(),
    };
    let Ok(parsed) = Template::from_str(&raw) else { return raw };
    parsed
        .elements()
        .iter()
        .map(|element| match element {
            Element::Literal(text) => text.clone(),
            Element::Interpolation(i) => text_of(&expression(&i.expr)),
            Element::Directive(_) => "<directive>".to_string(),
        })
        .collect()
}

/// `aws_sqs_queue.jobs.arn` → a marker; the caller's identity → placeholders.
fn traversal_text(path: &[String]) -> String {
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["data", "aws_region", _, "name" | "region" | "id"] => "${region}".into(),
        ["data", "aws_caller_identity", _, "account_id"] => "${account}".into(),
        ["data", "aws_partition", _, "partition"] => "${partition}".into(),
        ["data", "aws_partition", _, "dns_suffix"] => "${url_suffix}".into(),
        ["data", ty, label, attribute, ..] => marker(&format!("data.{ty}.{label}"), attribute),
        ["path", "module"] => "${path.module}".into(),
        // An input: its parameter's id is the variable's name in camel case.
        ["var", name] if *name != "region" => format!("${{input.{}}}", lambdaform::grants::camel(name)),
        [ty, label, attribute, rest @ ..] if ty.starts_with("aws_") || ty.starts_with("random_") => {
            let extra: String = rest.iter().map(|r| format!(".{r}")).collect();
            format!("{}{extra}", marker(&format!("{ty}.{label}"), attribute))
        }
        _ => format!("${{{}}}", path.join(".")),
    }
}

/// The `⟦id|attribute⟧` markers of a text, in order.
pub fn markers(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('⟦') {
        let Some(end) = rest[start..].find('⟧') else { break };
        let inner = &rest[start + '⟦'.len_utf8()..start + end];
        let (id, attribute) = inner.split_once('|').unwrap_or((inner, ""));
        out.push((id.to_string(), attribute.to_string()));
        rest = &rest[start + end + '⟧'.len_utf8()..];
    }
    out
}

/// Each part folded into the resource its parent argument refers to; a part
/// whose parent is not a resource of this configuration stays on its own.
fn fold_parts(side: &mut Side) {
    let mut folded = Vec::new();
    for (index, part) in side.resources.iter().enumerate() {
        let Some(ty) = part.ty.strip_prefix('+') else { continue };
        let argument = PARTS.iter().find(|p| p.0 == ty).map(|p| p.1).unwrap_or_default();
        let parent = part.props.get(argument).and_then(Value::as_str).unwrap_or_default();
        let whole = parent.starts_with('⟦') && parent.ends_with('⟧');
        let parent = match markers(parent).as_slice() {
            [(id, _)] if whole => id.clone(),
            _ => continue,
        };
        if let Some(target) = side.resources.iter().position(|r| r.id == parent) {
            folded.push((index, target));
        }
    }
    for (index, target) in folded.iter().rev() {
        let part = side.resources[*index].clone();
        let key = part.ty.clone();
        let mut props = part.props;
        // A generated secret value: the generator's arguments go with it.
        for field in ["secret_string", "secret_string_wo"] {
            let source = props.get(field).and_then(Value::as_str).map(markers).unwrap_or_default();
            if let Some((id, _)) = source.first() {
                let generator =
                    side.get(id).map(|r| r.props.clone()).or_else(|| side.data.get(id).map(|d| d.1.clone()));
                if let Some(generator) = generator {
                    props["generator"] = generator;
                }
            }
        }
        let parent = &mut side.resources[*target].props;
        if let Value::Object(map) = parent {
            let entry = map.entry(key).or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(items) = entry {
                items.insert(0, props);
            }
        }
    }
    let gone: Vec<usize> = folded.iter().map(|(i, _)| *i).collect();
    let generators: Vec<String> =
        side.resources.iter().filter(|r| r.id.starts_with("random_")).map(|r| r.id.clone()).collect();
    let mut index = 0;
    side.resources.retain(|r| {
        let keep = !gone.contains(&index) && !generators.contains(&r.id);
        index += 1;
        keep
    });
}
