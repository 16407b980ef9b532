//! A build folder read back as data: its resources (id, type, properties,
//! protection), and per function the (action, resource) pairs its role
//! allows and the invoke permissions on it. Plans compare two snapshots, so
//! an output written by any earlier build is the input of record.

use serde_json::Value;
use std::collections::BTreeMap;

/// Which output a snapshot was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Cloudformation,
    Terraform,
}

#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// By logical id (CloudFormation) or `type.label` (Terraform).
    pub resources: BTreeMap<String, Resource>,
    /// By function id, as for resources.
    pub functions: BTreeMap<String, Access>,
    /// The deploy-time inputs, by parameter id or variable name.
    pub inputs: BTreeMap<String, super::inputs::Declared>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub ty: String,
    pub properties: Value,
    /// What keeps its data when it leaves the app or is replaced:
    /// `DeletionPolicy` and `UpdateReplacePolicy` (CloudFormation, `Delete`
    /// when absent) or `prevent_destroy` (Terraform, `false` when absent).
    pub protection: BTreeMap<&'static str, Value>,
    /// The nested stack it is in (`Stack03`), when the output is split.
    pub stack: Option<String>,
}

impl Resource {
    /// Whether it outlives its removal from the app (`Retain`, `prevent_destroy`).
    pub fn retained(&self) -> bool {
        ["DeletionPolicy", "prevent_destroy"].iter().any(|p| self.protection.get(p).is_some_and(|v| keeps(v) == 2))
    }
}

/// How much a protection value keeps: 2 the resource (`Retain`,
/// `RetainExceptOnCreate`, `prevent_destroy = true`), 1 a snapshot of its
/// data (`Snapshot`), 0 nothing (`Delete`, `false`, anything else).
pub fn keeps(value: &Value) -> u8 {
    match value {
        Value::String(s) if s == "Retain" || s == "RetainExceptOnCreate" => 2,
        Value::String(s) if s == "Snapshot" => 1,
        Value::Bool(true) => 2,
        _ => 0,
    }
}

/// What a function's role allows and who may invoke it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
    /// The function's physical name, as users read it.
    pub name: String,
    pub grants: Vec<Grant>,
    pub permissions: Vec<Invoke>,
}

/// One allowed (action, resource) pair.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub action: String,
    pub resource: String,
    /// A condition narrowing it, as JSON text.
    pub condition: Option<String>,
    /// `file:line`s behind it, where the output records them.
    pub sources: Vec<String>,
    /// Why it is as broad as it is, where the output records it.
    pub why: Option<String>,
}

/// What an output records about a statement (CloudFormation's role
/// `Metadata`, by `Sid`): the lines behind it and why it is as broad.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub sources: Vec<String>,
    pub why: Option<String>,
}

/// One statement of the function's resource-based policy.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Invoke {
    pub principal: String,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub sources: Vec<String>,
    /// A function URL's condition (`FunctionUrlAuthType = NONE`,
    /// `InvokedViaFunctionUrl`): the permission lets in calls through the URL.
    pub url: Option<String>,
}

/// The function URL condition of a permission, from its properties as
/// CloudFormation or Terraform names them.
pub fn url_condition(auth_type: Option<String>, via_url: Option<String>) -> Option<String> {
    match (auth_type, via_url) {
        (Some(auth), _) => Some(format!("FunctionUrlAuthType = {auth}")),
        (None, Some(via)) if via == "true" => Some("InvokedViaFunctionUrl".into()),
        _ => None,
    }
}

/// A permission's principal as plan shows it: `*` narrowed by
/// `PrincipalOrgID` reads `* in organization o-…`.
pub fn principal(principal: String, org: Option<String>) -> String {
    match org {
        Some(org) => format!("{principal} in organization {org}"),
        None => principal,
    }
}

/// Stateful resource types: deleting or replacing them loses data (a KMS
/// key, the data it encrypted).
pub const STATEFUL: [&str; 10] = [
    "AWS::DynamoDB::Table",
    "AWS::SQS::Queue",
    "AWS::S3::Bucket",
    "AWS::Kinesis::Stream",
    "AWS::KMS::Key",
    "aws_dynamodb_table",
    "aws_sqs_queue",
    "aws_s3_bucket",
    "aws_kinesis_stream",
    "aws_kms_key",
];

/// KMS key types: what they hold is the means to read other data.
pub fn is_key(ty: &str) -> bool {
    matches!(ty, "AWS::KMS::Key" | "aws_kms_key")
}

/// Properties whose change replaces the resource (AWS-RULES.md §8, the
/// Terraform provider's ForceNew arguments), beyond those the stdlib marks.
pub fn replacing_properties(ty: &str) -> &'static [&'static str] {
    match ty {
        "AWS::Lambda::Function" => &["FunctionName", "PackageType"],
        "AWS::Lambda::Permission" => {
            &["Action", "FunctionName", "Principal", "PrincipalOrgID", "SourceArn", "SourceAccount"]
        }
        "AWS::Lambda::EventSourceMapping" => &["EventSourceArn", "StartingPosition", "StartingPositionTimestamp"],
        "AWS::Lambda::EventInvokeConfig" => &["FunctionName", "Qualifier"],
        "AWS::SQS::Queue" => &["FifoQueue", "QueueName"],
        "AWS::SNS::Topic" => &["TopicName", "FifoTopic"],
        "AWS::SNS::Subscription" => &["Endpoint", "Protocol", "TopicArn"],
        "AWS::DynamoDB::Table" => &["TableName", "KeySchema"],
        "AWS::IAM::Role" => &["RoleName", "Path"],
        "AWS::Events::Rule" => &["Name", "EventBusName"],
        "AWS::Events::EventBus" => &["Name"],
        "AWS::S3::Bucket" => &["BucketName"],
        "AWS::Logs::LogGroup" => &["LogGroupName"],
        "AWS::Kinesis::Stream" => &["Name"],
        "AWS::Kinesis::StreamConsumer" => &["ConsumerName", "StreamARN"],
        "AWS::ApiGatewayV2::Api" => &["ProtocolType"],
        "AWS::ApiGatewayV2::Stage" => &["ApiId", "StageName"],
        "AWS::ApiGatewayV2::Route" | "AWS::ApiGatewayV2::Integration" => &["ApiId"],
        "aws_lambda_function" => &["function_name", "package_type"],
        "aws_lambda_permission" => &[
            "action",
            "function_name",
            "principal",
            "principal_org_id",
            "source_arn",
            "source_account",
            "statement_id",
        ],
        "aws_lambda_event_source_mapping" => &["event_source_arn", "starting_position"],
        "aws_sqs_queue" => &["name", "fifo_queue"],
        "aws_sns_topic" => &["name", "fifo_topic"],
        "aws_sns_topic_subscription" => &["endpoint", "protocol", "topic_arn"],
        "aws_dynamodb_table" => &["name", "hash_key", "range_key"],
        "aws_iam_role" => &["name", "path"],
        "aws_cloudwatch_event_rule" => &["name", "event_bus_name"],
        "aws_cloudwatch_event_bus" => &["name"],
        "aws_s3_bucket" => &["bucket"],
        "aws_cloudwatch_log_group" => &["name"],
        "aws_kinesis_stream" => &["name"],
        "aws_kinesis_stream_consumer" => &["name", "stream_arn"],
        _ => &[],
    }
}

/// The property that fixes a resource's physical name, if any.
pub fn name_property(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::IAM::Role" => "RoleName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::Logs::LogGroup" => "LogGroupName",
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::Events::Rule" | "AWS::Events::EventBus" | "AWS::Kinesis::Stream" => "Name",
        _ => return None,
    })
}

/// The longest text [`canonical`] writes by substituting `Fn::Sub`
/// variables; IAM's ARNs are at most 2,048 characters. Past it, the
/// intrinsic stays its JSON text, which compares unequal to any ARN.
const MAX_SUBSTITUTED: usize = 8192;

/// CloudFormation intrinsics as canonical text, so that references compare
/// and match like ARNs: `{"Ref": "X"}` → `${X}`, `{"Fn::GetAtt": ["X", "Arn"]}`
/// → `${X.Arn}`, `{"Fn::Sub": "..."}` → its string. Bounded: a variable
/// that would make the text longer than [`MAX_SUBSTITUTED`] leaves the
/// whole intrinsic as its JSON text, so nesting never multiplies the work.
/// A statement's condition with each value in its canonical form, so that
/// `{"Fn::Sub": "arn:…"}` and the same ARN written out compare equal.
fn canonical_condition(condition: &Value) -> String {
    let Value::Object(operators) = condition else { return condition.to_string() };
    let operators = operators.iter().map(|(operator, keys)| {
        let keys = match keys {
            Value::Object(keys) => Value::Object(
                keys.iter()
                    .map(|(key, value)| {
                        let value = match value {
                            Value::Array(values) => {
                                Value::Array(values.iter().map(|v| Value::String(canonical(v))).collect())
                            }
                            value => Value::String(canonical(value)),
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        (operator.clone(), keys)
    });
    Value::Object(operators.collect()).to_string()
}

pub fn canonical(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) if map.len() == 1 => {
            let (key, arg) = map.iter().next().expect("one entry");
            match (key.as_str(), arg) {
                ("Ref", Value::String(id)) => format!("${{{id}}}"),
                ("Fn::GetAtt", Value::Array(parts)) => {
                    let parts: Vec<String> = parts.iter().map(canonical).collect();
                    format!("${{{}}}", parts.join("."))
                }
                ("Fn::GetAtt", Value::String(path)) => format!("${{{path}}}"),
                ("Fn::Sub", Value::String(s)) => s.clone(),
                ("Fn::Sub", Value::Array(parts)) => substituted(parts).unwrap_or_else(|| value.to_string()),
                _ => value.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// `Fn::Sub [template, variables]` with each variable's canonical text in
/// place; `None` past [`MAX_SUBSTITUTED`].
fn substituted(parts: &[Value]) -> Option<String> {
    let mut text = parts.first().map(canonical).unwrap_or_default();
    if let Some(Value::Object(vars)) = parts.get(1) {
        for (name, v) in vars {
            let variable = format!("${{{name}}}");
            let uses = text.matches(&variable).count();
            if uses == 0 {
                continue;
            }
            let v = canonical(v);
            if text.len() + uses * v.len() > MAX_SUBSTITUTED {
                return None;
            }
            text = text.replace(&variable, &v);
        }
    }
    Some(text)
}

pub fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// The work reading an output may do beyond reading it: parameters put in
/// place across nested stacks and statements multiplied out into (action,
/// resource) pairs, counted in bytes. It is linear in the size of what is
/// read, so an output built to expand (parameters passed in a cycle,
/// statements with thousands of actions and resources) is refused in
/// bounded time and memory instead of exhausting them.
#[derive(Debug)]
pub struct Budget {
    left: usize,
}

/// Bytes of expansion allowed per byte read, and in any case. A build's
/// own output expands about once (1.2 times in the examples).
const WORK_PER_BYTE: usize = 16;
const WORK_BASE: usize = 16 << 20;

impl Budget {
    pub fn for_input(bytes: usize) -> Budget {
        Budget { left: bytes.saturating_mul(WORK_PER_BYTE).saturating_add(WORK_BASE) }
    }

    /// Takes `bytes` of work, or says why the output cannot be read.
    pub fn spend(&mut self, bytes: usize) -> Result<(), String> {
        self.left = self.left.checked_sub(bytes).ok_or_else(|| {
            format!(
                "the output expands to over {WORK_PER_BYTE} times its size (parameters passed between nested \
                 stacks, or policy statements multiplied out); no build writes such an output, so plan stops"
            )
        })?;
        Ok(())
    }
}

/// Expands a policy document into allowed pairs; `traces` gives what the
/// output records about each statement, by Sid.
pub fn grants_of(
    document: &Value,
    traces: &BTreeMap<String, Trace>,
    budget: &mut Budget,
) -> Result<Vec<Grant>, String> {
    let mut out = Vec::new();
    for statement in as_list(document.get("Statement")) {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let sid = statement.get("Sid").and_then(Value::as_str).unwrap_or("");
        let condition = statement.get("Condition").map(canonical_condition);
        let trace = traces.get(sid).cloned().unwrap_or_default();
        let actions: Vec<String> = as_list(statement.get("Action")).into_iter().map(canonical).collect();
        let resources: Vec<String> = as_list(statement.get("Resource")).into_iter().map(canonical).collect();
        for action in &actions {
            for resource in &resources {
                let grant = Grant {
                    action: action.clone(),
                    resource: resource.clone(),
                    condition: condition.clone(),
                    sources: trace.sources.clone(),
                    why: trace.why.clone(),
                };
                budget.spend(grant.weight())?;
                out.push(grant);
            }
        }
    }
    Ok(out)
}

impl Grant {
    /// About the bytes it holds, for [`Budget`].
    pub fn weight(&self) -> usize {
        let texts = [Some(&self.action), Some(&self.resource), self.condition.as_ref(), self.why.as_ref()];
        let text: usize = texts.iter().flatten().map(|t| t.len()).sum();
        text + self.sources.iter().map(|s| s.len()).sum::<usize>() + std::mem::size_of::<Grant>()
    }
}

/// A policy document as the sorted pairs it allows, so that reordering or
/// splitting statements compares equal.
pub fn normalized_policy(document: &Value, budget: &mut Budget) -> Result<Value, String> {
    let mut pairs: Vec<String> = grants_of(document, &BTreeMap::new(), budget)?
        .into_iter()
        .map(|g| match g.condition {
            Some(c) => format!("{} on {} if {c}", g.action, g.resource),
            None => format!("{} on {}", g.action, g.resource),
        })
        .collect();
    pairs.sort();
    pairs.dedup();
    Ok(Value::Array(pairs.into_iter().map(Value::String).collect()))
}
