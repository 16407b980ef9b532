//! The roles of the resources that act besides functions, inferred from
//! their edges like a function's (read from the model, where the graph's
//! edges come from, so that `deploy` builds the same roles without a
//! graph): a state machine (what its Task states
//! call, its log delivery and tracing), and a schedule or bus that starts
//! targets through its own role (an EventBridge Scheduler schedule invokes
//! functions and starts state machines; an EventBridge rule starts state
//! machines). Each action remembers the integration or trigger behind it.

use super::role::{from_def, merge, Need};
use super::{Arn, SharedName, Statement};
use crate::asl::sdk;
use crate::asl::tasks::{self, SYNC_EXECUTION_ACTIONS, SYNC_RULE, SYNC_RULE_ACTIONS};
use crate::model::{Model, Resource, ResourceId, Trigger};
use crate::source::Span;
use std::collections::HashMap;

/// What a state machine's role needs to deliver its logs (the Step
/// Functions guide, cw-logs, "IAM policies for logging to CloudWatch
/// Logs"). Log delivery is set up through CloudWatch Logs' vended-logs API,
/// whose actions have no resource type: AWS grants them only on `*`, and
/// offers nothing narrower. `logs:PutResourcePolicy` (the log group's
/// policy that lets the delivery write) stands in a statement of its own,
/// so that the one permissions-management action is seen alone.
const LOG_DELIVERY_ACTIONS: [&str; 7] = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:UpdateLogDelivery",
];
const LOG_DELIVERY_WHY: &str =
    "CloudWatch Logs log-delivery actions of a state machine's logging: AWS grants them only on * (Step Functions guide, cw-logs)";
const LOG_POLICY_ACTIONS: [&str; 1] = ["logs:PutResourcePolicy"];
const LOG_POLICY_WHY: &str = "the log group resource policy that lets Step Functions deliver a state machine's logs: CloudWatch Logs resource policies are account-wide, so AWS grants this only on * (Step Functions guide, cw-logs)";

/// X-Ray actions of a traced state machine (the Step Functions guide,
/// xray-iam): the write actions and the sampling rules, none with a
/// resource type.
const MACHINE_TRACING_WHY: &str =
    "X-Ray actions of a traced state machine (trace writes, sampling rules) have no resource type: AWS grants them only on * (Step Functions guide, xray-iam)";
const MACHINE_TRACING_ACTIONS: [&str; 4] =
    ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"];

/// Whether a schedule is an EventBridge Scheduler schedule rather than an
/// EventBridge rule: it says `timezone` or `window`, or runs once (`at(...)`),
/// which rules cannot do. Schedules that say none stay rules, so the
/// output of an app written before the Scheduler is unchanged.
pub fn is_scheduler(resource: &Resource) -> bool {
    resource.kind == "schedule"
        && (resource.attrs.get("timezone").is_some_and(|a| a.span.is_some())
            || resource.attrs.get("window").is_some_and(|a| a.span.is_some())
            || resource.attrs.str("at").is_some_and(|at| at.trim_start().starts_with("at(")))
}

/// Whether a resource other than a function has a role of its own.
pub fn acts(model: &Model, resource: &Resource) -> bool {
    acts_starting(model, resource, &started(model, resource.id))
}

/// [`acts`], given the targets the resource starts.
pub fn acts_starting(model: &Model, resource: &Resource, started: &[(ResourceId, Span)]) -> bool {
    if !resource.is_created() {
        return false;
    }
    match resource.kind.as_str() {
        "state_machine" => true,
        "schedule" if is_scheduler(resource) => !started.is_empty(),
        "schedule" | "bus" => started.iter().any(|(t, _)| model.resource(*t).kind == "state_machine"),
        _ => false,
    }
}

/// The role statements of a resource other than a function, given the
/// targets it starts ([`started`], [`starts`]).
pub fn statements_starting(model: &Model, resource: &Resource, started: &[(ResourceId, Span)]) -> Vec<Statement> {
    if resource.kind == "state_machine" {
        machine(model, resource)
    } else {
        starter(model, resource, started)
    }
}

/// The role of every resource other than a function that has one, in
/// source order. The targets each resource starts are gathered in one
/// pass over the app: asking [`started`] per resource reads every
/// function's triggers once per schedule and bus.
pub fn all(model: &Model) -> Vec<(ResourceId, Vec<Statement>)> {
    let starts = starts(model);
    model
        .resources
        .iter()
        .filter_map(|resource| {
            let started = starts.get(&resource.id).map_or(&[][..], Vec::as_slice);
            acts_starting(model, resource, started)
                .then(|| (resource.id, statements_starting(model, resource, started)))
        })
        .collect()
}

/// Per resource, the targets it starts (as [`started`] gives them), gathered
/// in one pass over the app.
pub fn starts(model: &Model) -> HashMap<ResourceId, Vec<(ResourceId, Span)>> {
    let mut starts: HashMap<ResourceId, Vec<(ResourceId, Span)>> = HashMap::new();
    for (target, trigger) in triggers(model) {
        starts.entry(trigger.source).or_default().push((target, trigger.span));
    }
    starts.values_mut().for_each(|targets| targets.sort_by_key(|(_, span)| *span));
    starts
}

/// A state machine: each Task's call, then logging and tracing.
fn machine(model: &Model, resource: &Resource) -> Vec<Statement> {
    let tasks = resource.machine.iter().flat_map(|m| &m.definition).flat_map(|d| &d.tasks);
    let mut needs = Vec::new();
    for task in tasks {
        let call = task_needs(model, task.target, &task.integration, task.span);
        let keys = call.first().map(|call| named_needs(model, task.target, call)).unwrap_or_default();
        needs.extend(call);
        needs.extend(keys);
    }
    // Each `*` statement on its own, so each says its own reason.
    let mut statements = merge(needs);
    if resource.attrs.str("logging").is_some_and(|level| level != "off") {
        let span = resource.attrs.span("logging").unwrap_or(resource.name_span);
        statements.extend(merge(vec![star("LogDeliveryOnlyOnStar", &LOG_DELIVERY_ACTIONS, LOG_DELIVERY_WHY, span)]));
        statements.extend(merge(vec![star("LogGroupPolicyOnlyOnStar", &LOG_POLICY_ACTIONS, LOG_POLICY_WHY, span)]));
    }
    if resource.attrs.bool("tracing") {
        let span = resource.attrs.span("tracing").unwrap_or(resource.name_span);
        statements.extend(merge(vec![star("XRayOnlyOnStar", &MACHINE_TRACING_ACTIONS, MACHINE_TRACING_WHY, span)]));
    }
    statements
}

/// What a Task's call needs on the resources its target names (the key of
/// its `encryption`): the grants there of each verb of the target's kind
/// that grants one of the call's actions, as that verb gives them to a
/// function (`sqs:sendMessage` on an encrypted queue: `send`'s
/// `kms:GenerateDataKey` and `kms:Decrypt` on the key).
fn named_needs<'m>(model: &'m Model, target: ResourceId, call: &Need) -> Vec<Need<'m>> {
    let verbs = model.kind_of(target).verbs.iter();
    let calling = verbs.filter(|v| v.grants.iter().any(|g| g.actions.iter().any(|a| call.actions.contains(a))));
    let named = calling.flat_map(|v| &v.grants).filter(|g| g.named.is_some() && super::holds(model, g, target));
    // `from_def` labels a grant on a named resource itself (`UseKEY`).
    let label = SharedName::from("");
    named.map(|g| Need { verb: call.verb.clone(), ..from_def(model, &label, g, target, call.span) }).collect()
}

/// One Task's call: the integration's actions on its target, and for a
/// `.sync` nested execution what following it needs.
fn task_needs(model: &Model, target: ResourceId, integration: &str, span: Span) -> Vec<Need<'static>> {
    let name = crate::grants::camel(&model.resource(target).name);
    if integration.starts_with(sdk::PREFIX) {
        return sdk_needs(model, target, integration, span);
    }
    let sync = integration.contains(".sync");
    let base = if sync { "states:startExecution.sync" } else { integration };
    let Some(def) = tasks::integration(base) else { return Vec::new() };
    let verb = format!("task {integration}");
    // A function with an alias is called through it (`deploy::states`
    // qualifies the Task's ARN), and granted on exactly that ARN.
    let called = match model.resource(target).alias() {
        Some(_) if def.kind == "function" => Arn::Alias { function: target },
        _ => Arn::Of { resource: target, form: "arn".into() },
    };
    let mut needs = vec![need(&format!("Task{name}"), def.actions, called, &verb, span)];
    if sync {
        // DescribeExecution applies to both kinds of execution, StopExecution
        // to Standard ones (Service Authorization Reference, states).
        let executions = Arn::Executions { machine: target, express: false };
        let express = Arn::Executions { machine: target, express: true };
        needs.push(need(&format!("Stop{name}"), &SYNC_EXECUTION_ACTIONS[1..], executions.clone(), &verb, span));
        let mut describe = need(&format!("Describe{name}"), &SYNC_EXECUTION_ACTIONS[..1], express, &verb, span);
        describe.resources.insert(0, executions);
        needs.push(describe);
        needs.push(need("SyncExecutionRule", &SYNC_RULE_ACTIONS, Arn::Literal(SYNC_RULE.into()), &verb, span));
    }
    needs
}

/// An AWS SDK call's action on its target, in each ARN form the stdlib
/// grants the action on.
fn sdk_needs(model: &Model, target: ResourceId, integration: &str, span: Span) -> Vec<Need<'static>> {
    let Some((action, forms)) = sdk::grant(&model.kinds, integration) else { return Vec::new() };
    let name = crate::grants::camel(&model.resource(target).name);
    let mut arns = forms.into_iter().map(|form| Arn::Of { resource: target, form: form.into() });
    let Some(first) = arns.next() else { return Vec::new() };
    let mut need = need(&format!("Task{name}"), &[action.as_str()], first, &format!("task {integration}"), span);
    need.resources.extend(arns);
    vec![need]
}

/// A schedule or bus: start (or invoke) each target it starts with its role.
fn starter(model: &Model, resource: &Resource, started: &[(ResourceId, Span)]) -> Vec<Statement> {
    let scheduler = is_scheduler(resource);
    let mut needs = Vec::new();
    for &(target, span) in started {
        let r = model.resource(target);
        let name = crate::grants::camel(&r.name);
        let arn = Arn::Of { resource: target, form: "arn".into() };
        match r.kind.as_str() {
            "state_machine" => needs.push(need(&format!("Start{name}"), &["states:StartExecution"], arn, "on", span)),
            // Through its alias, when it has one, as `deploy::states` targets it.
            "function" if scheduler => {
                let arn = if r.alias().is_some() { Arn::Alias { function: target } } else { arn };
                needs.push(need(&format!("Invoke{name}"), &["lambda:InvokeFunction"], arn, "on", span))
            }
            _ => {}
        }
    }
    merge(needs)
}

/// The targets a schedule or bus triggers (its trigger edges), with the
/// `on` statement's span, in source order.
pub fn started(model: &Model, id: ResourceId) -> Vec<(ResourceId, Span)> {
    let mut out: Vec<(ResourceId, Span)> =
        triggers(model).filter(|(_, t)| t.source == id).map(|(target, t)| (target, t.span)).collect();
    out.sort_by_key(|(_, span)| *span);
    out
}

/// Every trigger of a function or state machine, with its target.
fn triggers(model: &Model) -> impl Iterator<Item = (ResourceId, &Trigger)> {
    let functions = model.functions().flat_map(|(r, body)| body.triggers.iter().map(move |t| (r.id, t)));
    let machines = model.resources.iter().filter_map(|r| r.machine.as_ref().map(|m| (r.id, m)));
    let machines = machines.flat_map(|(id, m)| m.triggers.iter().map(move |t| (id, t)));
    functions.chain(machines)
}

fn need(label: &str, actions: &[&str], arn: Arn, verb: &str, span: Span) -> Need<'static> {
    Need {
        label: label.into(),
        actions: actions.iter().map(|a| SharedName::from(*a)).collect::<Vec<_>>().into(),
        resources: vec![arn],
        condition: None,
        why: None,
        managed: None,
        verb: Some(SharedName::from(verb)),
        span,
    }
}

fn star<'a>(label: &str, actions: &[&str], why: &'a str, span: Span) -> Need<'a> {
    Need {
        label: label.into(),
        actions: actions.iter().map(|a| SharedName::from(*a)).collect::<Vec<_>>().into(),
        resources: vec![Arn::Any],
        condition: None,
        why: Some(why),
        managed: None,
        verb: None,
        span,
    }
}
