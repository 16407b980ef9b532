//! What a definition's Task states call, and what each call needs: the
//! service integrations the compiler can bound to one resource of the app.
//! A Task names a function directly (`"Resource": "${validate}"`) or an
//! optimized integration (`arn:aws:states:::dynamodb:putItem`) whose
//! parameter (`TableName`, `QueueUrl`...) is a placeholder. Facts: the Step
//! Functions developer guide, "Integrating services" and "IAM policies for
//! integrated services" (nested executions: `stepfunctions-iam`).

use super::span;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, ResourceId, Task};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{Object, Value};

/// An optimized integration: the Task resource after
/// `arn:aws:states:::`, the parameter that names the target, the target's
/// kind and the actions on the target's ARN.
pub struct Integration {
    pub name: &'static str,
    pub parameter: &'static str,
    pub kind: &'static str,
    pub actions: &'static [&'static str],
}

pub const INTEGRATIONS: [Integration; 10] = [
    Integration {
        name: "lambda:invoke",
        parameter: "FunctionName",
        kind: "function",
        actions: &["lambda:InvokeFunction"],
    },
    Integration { name: "dynamodb:getItem", parameter: "TableName", kind: "table", actions: &["dynamodb:GetItem"] },
    Integration { name: "dynamodb:putItem", parameter: "TableName", kind: "table", actions: &["dynamodb:PutItem"] },
    Integration {
        name: "dynamodb:updateItem",
        parameter: "TableName",
        kind: "table",
        actions: &["dynamodb:UpdateItem"],
    },
    Integration {
        name: "dynamodb:deleteItem",
        parameter: "TableName",
        kind: "table",
        actions: &["dynamodb:DeleteItem"],
    },
    Integration { name: "sqs:sendMessage", parameter: "QueueUrl", kind: "queue", actions: &["sqs:SendMessage"] },
    Integration { name: "sns:publish", parameter: "TopicArn", kind: "topic", actions: &["sns:Publish"] },
    Integration { name: "events:putEvents", parameter: "EventBusName", kind: "bus", actions: &["events:PutEvents"] },
    Integration {
        name: "states:startExecution",
        parameter: "StateMachineArn",
        kind: "state_machine",
        actions: &["states:StartExecution"],
    },
    Integration {
        name: "states:startExecution.sync",
        parameter: "StateMachineArn",
        kind: "state_machine",
        actions: &["states:StartExecution"],
    },
];

/// A direct function ARN as a Task's resource: the Lambda integration.
pub const DIRECT_LAMBDA: &str = "lambda";

/// The integrations' suffixes: run a job and wait (`.sync`, `.sync:2`),
/// wait for a callback (`.waitForTaskToken`, which needs no more).
const SYNC: [&str; 2] = [".sync:2", ".sync"];
const CALLBACK: &str = ".waitForTaskToken";

/// What a `.sync` nested execution needs beyond starting it: to follow and
/// stop the execution it started, and the managed EventBridge rule Step
/// Functions puts to learn that it ended (stepfunctions-iam, "Synchronous").
pub const SYNC_EXECUTION_ACTIONS: [&str; 2] = ["states:DescribeExecution", "states:StopExecution"];
pub const SYNC_RULE_ACTIONS: [&str; 3] = ["events:DescribeRule", "events:PutRule", "events:PutTargets"];
pub const SYNC_RULE: &str =
    "arn:${partition}:events:${region}:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule";

pub fn integration(name: &str) -> Option<&'static Integration> {
    if name == DIRECT_LAMBDA {
        return INTEGRATIONS.first();
    }
    INTEGRATIONS.iter().find(|i| i.name == name)
}

pub fn find(model: &Model, file: FileId, root: &Object) -> (Vec<Task>, Vec<Diagnostic>) {
    let mut out = (Vec::new(), Vec::new());
    machine(model, file, root, &mut out);
    out
}

fn machine(model: &Model, file: FileId, object: &Object, out: &mut (Vec<Task>, Vec<Diagnostic>)) {
    let Some(Value::Object(states)) = object.get("States").map(|s| &s.value) else { return };
    for state in states.properties.iter().filter_map(|p| p.value.as_object()) {
        match state.get_string("Type").map(|t| t.value.as_ref()) {
            Some("Task") => task(model, file, state, out),
            Some("Parallel") => {
                for branch in state.get_array("Branches").iter().flat_map(|b| &b.elements).filter_map(Value::as_object)
                {
                    machine(model, file, branch, out);
                }
            }
            Some("Map") => {
                if let Some(inner) = state.get_object("ItemProcessor").or_else(|| state.get_object("Iterator")) {
                    machine(model, file, inner, out);
                }
            }
            _ => {}
        }
    }
}

fn task(model: &Model, file: FileId, state: &Object, out: &mut (Vec<Task>, Vec<Diagnostic>)) {
    let Some(resource) = state.get_string("Resource") else { return };
    let at = span(file, resource.range);
    let value = resource.value.as_ref();
    if let Some(target) = only_placeholder(model, value) {
        if model.resource(target).kind == "function" {
            out.0.push(Task { integration: DIRECT_LAMBDA.into(), target, span: at, callback: false });
        } else {
            out.1.push(uninferable(at, format!("`{value}` is {}, not a function", crate::resolve::a(&model.resource(target).kind)), "a Task's Resource names a function (`\"${name}\"`) or an integration (`arn:aws:states:::sqs:sendMessage`)"));
        }
        return;
    }
    if value.starts_with("${") && value.ends_with('}') {
        return; // an unknown name, reported as such
    }
    let Some(service) = value.strip_prefix("arn:aws:states:::") else {
        out.1.push(uninferable(at, format!("the compiler cannot bound what `{value}` does"), "name a function of the app (`\"Resource\": \"${name}\"`) or one of the integrations docs/language.md lists"));
        return;
    };
    let callback = service.ends_with(CALLBACK);
    let base = service.strip_suffix(CALLBACK).unwrap_or(service);
    if let Some(call) = base.strip_prefix(super::sdk::PREFIX) {
        super::sdk::task(model, file, state, call, (at, callback), out);
        return;
    }
    let (base, sync) = match SYNC.iter().find_map(|s| base.strip_suffix(s)) {
        Some(stripped) => (stripped, true),
        None => (base, false),
    };
    let name = if sync && base == "states:startExecution" { "states:startExecution.sync" } else { base };
    let Some(integration) = INTEGRATIONS.iter().find(|i| i.name == name && (!sync || i.name.ends_with(".sync"))) else {
        let names: Vec<&str> = INTEGRATIONS.iter().map(|i| i.name).filter(|n| !n.ends_with(".sync")).collect();
        out.1.push(uninferable(
            at,
            format!("the integration `{service}` is not one the compiler infers a grant for"),
            format!(
                "the integrations it knows are {}, and `aws-sdk:` calls on {}; call anything else from a function the state machine invokes",
                names.join(", "),
                super::sdk::services()
            ),
        ));
        return;
    };
    let wanted = Wanted { parameter: integration.parameter, kind: integration.kind, call: integration.name };
    let Some((target, given_at)) = target(model, file, state, &wanted, at, &mut out.1) else { return };
    let integration = if sync { service.trim_end_matches(CALLBACK).to_string() } else { integration.name.to_string() };
    out.0.push(Task { integration, target, span: given_at, callback });
}

/// The parameter a call names its target by, the target's kind, and the
/// call as the messages name it.
pub(super) struct Wanted<'a> {
    pub parameter: &'a str,
    pub kind: &'a str,
    pub call: &'a str,
}

/// The resource of the app that the Task's `Parameters` (or `Arguments`)
/// name in `wanted.parameter`, with where it is named; `None`, with a
/// diagnostic, when it names nothing of the right kind or is computed at
/// run time.
pub(super) fn target(
    model: &Model,
    file: FileId,
    state: &Object,
    wanted: &Wanted,
    at: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<(ResourceId, Span)> {
    let parameters = state.get_object("Parameters").or_else(|| state.get_object("Arguments"));
    let named = parameters.and_then(|p| parameter(p, wanted.parameter));
    let Some((given, given_at)) = named else {
        let dynamic = parameters.is_some_and(|p| p.get(&format!("{}.$", wanted.parameter)).is_some());
        let why = if dynamic {
            format!("`{}` is computed at run time", wanted.parameter)
        } else {
            format!("the Task gives no `{}`", wanted.parameter)
        };
        out.push(uninferable(
            at,
            format!("{why}: the compiler cannot tell which {} the Task calls", wanted.kind.replace('_', " ")),
            format!(
                "write `\"{}\": \"${{name}}\"` in `Parameters` (or `Arguments`), naming {} of the app",
                wanted.parameter,
                crate::resolve::a(wanted.kind)
            ),
        ));
        return None;
    };
    let given_at = span(file, given_at);
    match only_placeholder(model, &given) {
        Some(target) if model.resource(target).kind == wanted.kind => {
            out.extend(wrong_form(model, target, &given, wanted.parameter, given_at));
            return Some((target, given_at));
        }
        Some(target) => out.push(uninferable(
            given_at,
            format!(
                "`{}` names {}, but `{}` acts on {}",
                wanted.parameter,
                crate::resolve::a(&model.resource(target).kind),
                wanted.call,
                crate::resolve::a(wanted.kind)
            ),
            format!("name {} of the app here", crate::resolve::a(wanted.kind)),
        )),
        // An unknown name was reported as such.
        None if given.starts_with("${") && given.ends_with('}') => {}
        None => out.push(uninferable(
            given_at,
            format!("`{}` is not a placeholder of the app", wanted.parameter),
            format!(
                "write `\"{}\": \"${{name}}\"` naming {} the app declares, so that the role is granted on it alone",
                wanted.parameter,
                crate::resolve::a(wanted.kind)
            ),
        )),
    }
    None
}

/// The placeholder forms a parameter takes: `""` for the resource's ARN as
/// `${name}`, else a field (`${jobs.url}`). An API refuses any other: SQS
/// takes a queue's URL, S3 a bucket's name, Kinesis a stream's name.
fn accepted(parameter: &str) -> &'static [&'static str] {
    match parameter {
        "FunctionName" | "TableName" | "EventBusName" | "SecretId" | "Name" => &["", "arn", "name"],
        "TopicArn" | "StateMachineArn" => &["", "arn"],
        "QueueUrl" => &["url"],
        "Bucket" | "StreamName" => &["name"],
        _ => &[],
    }
}

/// LF1067: a placeholder the parameter's API would refuse at run time
/// (`"QueueUrl": "${jobs}"`, a queue's ARN).
fn wrong_form(model: &Model, target: ResourceId, given: &str, parameter: &str, at: Span) -> Option<Diagnostic> {
    let forms = accepted(parameter);
    let inner = given.trim_start_matches("${").trim_end_matches('}');
    let field = inner.split_once('.').map_or("", |(_, field)| field);
    let resource = model.resource(target);
    // An unknown field is LF1056's.
    let known = field.is_empty() || model.kind_of(target).field(field).is_some();
    if forms.is_empty() || forms.contains(&field) || !known {
        return None;
    }
    let shown = |field: &str| match field {
        "" | "arn" => "ARN".to_string(),
        "url" => "URL".to_string(),
        other => other.replace('_', " "),
    };
    let meant = match forms[0] {
        "" => format!("${{{}}}", resource.name),
        field => format!("${{{}.{field}}}", resource.name),
    };
    Some(
        Diagnostic::new(
            Code::PlaceholderForm,
            at,
            format!(
                "`{parameter}` takes the {}'s {}, and `{given}` is its {}",
                resource.kind.replace('_', " "),
                shown(forms[0]),
                shown(field)
            ),
        )
        .label(format!("its {}, not its {}", shown(field), shown(forms[0])))
        .help(format!("write `\"{parameter}\": \"{meant}\"`: the call would fail when the Task runs")),
    )
}

/// The parameter's string value and range: at the top of the parameters,
/// or, for `EventBusName`, in the first entry of `Entries`.
fn parameter(parameters: &Object, name: &str) -> Option<(String, jsonc_parser::common::Range)> {
    if let Some(s) = parameters.get_string(name) {
        return Some((s.value.to_string(), s.range));
    }
    let entries = parameters.get_array("Entries")?;
    let entry = entries.elements.first()?.as_object()?;
    let s = entry.get_string(name)?;
    Some((s.value.to_string(), s.range))
}

/// The resource a string stands for when it is one placeholder whole
/// (`${orders}`, `${jobs.url}`); unknown names were reported already.
fn only_placeholder(model: &Model, value: &str) -> Option<ResourceId> {
    let inner = value.strip_prefix("${")?.strip_suffix('}')?;
    let name = inner.split('.').next()?;
    model.find(name)
}

pub(super) fn uninferable(span: Span, message: String, help: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::UninferableTask, span, message).label("no grant can be inferred").help(help)
}
