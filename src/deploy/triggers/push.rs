//! What a source that pushes to a function needs to call it: an HTTP
//! API's integration (one per function and API, payload 2.0) and route, a
//! topic's subscription with the trigger's `filter`, and the EventBridge
//! rule of a schedule (its expression) or a bus (the trigger's `pattern`,
//! every event when it has none) with the function as its target.

use super::super::facts::{rule_description, Unit};
use super::super::resource::{object, Attr, Id, Key, Part, Ref, Resource, Type, Value};
use super::super::{auth, names, stores, Scope};
use super::{invoked, trigger_id};
use crate::grants::{is_scheduler, SharedName};
use crate::model::{self, FunctionBody, Route};
use crate::resolve::routes::is_websocket;
use crate::stdlib::TriggerMode;

const RULE: (&str, &str) = ("AWS::Events::Rule", "aws_cloudwatch_event_rule");

/// The resources of `function`'s push triggers, in the order of its
/// triggers.
pub fn resources(scope: &Scope, function: &model::Resource, body: &FunctionBody) -> Vec<Resource> {
    let mut out = Vec::new();
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = scope.model.kind_of(trigger.source);
        if kind.trigger.as_ref().is_none_or(|t| t.mode != TriggerMode::Push) {
            continue;
        }
        let source = scope.model.resource(trigger.source);
        match (kind.name.as_str(), &trigger.route) {
            // REST methods: `rest`; WebSocket routes: `websocket`.
            ("api", Some(_)) if source.is_rest_api() || is_websocket(source) => {}
            ("api", Some(route)) => {
                if !body.triggers[..index].iter().any(|earlier| earlier.source == trigger.source) {
                    out.push(integration(scope, function, source));
                }
                out.push(route_resource(scope, function, body, index, route));
            }
            ("topic", _) => out.push(subscription(scope, function, body, index)),
            // A Scheduler schedule: `states`.
            ("schedule", _) if is_scheduler(source) => {}
            ("schedule" | "bus", _) => out.extend(rule(scope, function, body, index)),
            _ => {}
        }
    }
    for made in &mut out {
        made.owner = Some(function.id);
    }
    out
}

/// The Lambda proxy integration of `function` on the HTTP API `api`:
/// CloudFormation names the ARN callers invoke, Terraform its `invoke_arn`.
fn integration(scope: &Scope, function: &model::Resource, api: &model::Resource) -> Resource {
    let mut i = Resource::new(
        integration_id(scope, function, api),
        Type::both("AWS::ApiGatewayV2::Integration", "aws_apigatewayv2_integration"),
    );
    i.set(Key::new("ApiId", "api_id"), Value::Field(api.id, "id".into()));
    i.set(Key::new("IntegrationType", "integration_type"), "AWS_PROXY");
    i.set(Key::new("IntegrationMethod", "integration_method"), "POST");
    i.set(Key::cloudformation("IntegrationUri"), Value::ArnAfter(function.id));
    i.set(Key::terraform("integration_uri"), invoked(scope, function, "invoke_arn"));
    i.set(Key::new("PayloadFormatVersion", "payload_format_version"), "2.0");
    i
}

fn integration_id(scope: &Scope, function: &model::Resource, api: &model::Resource) -> Id {
    let cloudformation = match scope.cloudformation() {
        true => scope.ids.keyed(
            function,
            &["integration ", &api.name].concat(),
            &[&scope.ids.stem(api), "Integration"].concat(),
        ),
        false => SharedName::empty(),
    };
    Id::new(cloudformation, scope.triggers.integration(api.id, function))
}

/// The route, its authorization (`NONE` unless the route says otherwise,
/// which CloudFormation writes and Terraform leaves out), and the
/// integration it targets.
fn route_resource(
    scope: &Scope,
    function: &model::Resource,
    body: &FunctionBody,
    index: usize,
    route: &Route,
) -> Resource {
    let trigger = &body.triggers[index];
    let mut r = Resource::new(
        trigger_id(scope, function, body, index, "Route"),
        Type::both("AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"),
    );
    r.set(Key::new("ApiId", "api_id"), Value::Field(trigger.source, "id".into()));
    r.set(Key::new("RouteKey", "route_key"), route.key());
    let authorization = auth::route_authorization(scope, trigger);
    if authorization.is_empty() {
        r.set(Key::cloudformation("AuthorizationType"), "NONE");
    }
    r.props.extend(authorization);
    let api = scope.model.resource(trigger.source);
    let integration = Type::both("AWS::ApiGatewayV2::Integration", "aws_apigatewayv2_integration");
    let integration = Ref { id: integration_id(scope, function, api), ty: integration, attr: Attr::reference("id") };
    r.set(
        Key::new("Target", "target"),
        Value::Text(vec![Part::Lit("integrations/".into()), Part::reference(integration)]),
    );
    r
}

/// The function subscribed to the topic, with the trigger's `filter`.
fn subscription(scope: &Scope, function: &model::Resource, body: &FunctionBody, index: usize) -> Resource {
    let trigger = &body.triggers[index];
    let mut s = Resource::new(
        trigger_id(scope, function, body, index, "Subscription"),
        Type::both("AWS::SNS::Subscription", "aws_sns_topic_subscription"),
    );
    s.set(Key::new("TopicArn", "topic_arn"), Value::Arn(trigger.source));
    s.set(Key::new("Protocol", "protocol"), "lambda");
    s.set(Key::new("Endpoint", "endpoint"), Value::ArnAfter(function.id));
    super::fan_out::filter_policy(&mut s, &trigger.options);
    s
}

/// An EventBridge rule with the function as its target: CloudFormation
/// lists the target in the rule (`Id` the function's physical name),
/// Terraform makes it a resource (`target_id` the function's name).
fn rule(scope: &Scope, function: &model::Resource, body: &FunctionBody, index: usize) -> Vec<Resource> {
    let trigger = &body.triggers[index];
    let source = scope.model.resource(trigger.source);
    let id = trigger_id(scope, function, body, index, "Rule");
    let mut rule = Resource::new(id.clone(), Type::both(RULE.0, RULE.1));
    rule.set(Key::new("Description", "description"), rule_description(&source.name, &function.name));
    let mut target = Resource::new(Id::new("", id.terraform), Type::terraform("aws_cloudwatch_event_target"));
    target.set(Key::terraform("rule"), rule.attr(Attr::reference("name")));
    if source.kind == "schedule" {
        rule.set(Key::new("ScheduleExpression", "schedule_expression"), source.attrs.str("at").unwrap_or_default());
    } else {
        rule.set(Key::cloudformation("EventBusName"), bus_arn(scope, source));
        rule.set(Key::terraform("event_bus_name"), Value::Field(source.id, "name".into()));
        rule.set(Key::json("EventPattern", "event_pattern"), event_pattern(trigger.options.value("pattern")));
        target.set(Key::terraform("event_bus_name"), Value::Field(source.id, "name".into()));
    }
    rule.set(Key::cloudformation("State"), "ENABLED");
    let listed = object([
        (Key::cloudformation("Id"), names::function_name(scope.model, scope.stage, function).into()),
        (Key::cloudformation("Arn"), Value::ArnAfter(function.id)),
    ]);
    rule.set(Key::cloudformation("Targets"), Value::List(vec![listed]));
    target.set(Key::terraform("target_id"), function.name.as_str());
    target.set(Key::terraform("arn"), Value::ArnAfter(function.id));
    vec![rule.tagged(), target]
}

/// The bus a rule listens on, in CloudFormation: its ARN, read from a
/// created bus (`Fn::GetAtt`) so that the rule waits for it.
pub(super) fn bus_arn(scope: &Scope, bus: &model::Resource) -> Value {
    if bus.existing.is_some() {
        return Value::Arn(bus.id);
    }
    let kind = scope.model.kind_of(bus.id);
    let ty = Type::both(kind.cloudformation.clone(), kind.terraform.clone());
    let id = Id::new(scope.ids.main(bus), scope.label(bus));
    Value::reference(Ref { id, ty, attr: Attr::get("Arn", "arn") })
}

/// A trigger's or a subscribed queue's `pattern`, or every event on the
/// bus: `prefix ""` matches any source.
pub(super) fn event_pattern(pattern: Option<&model::Val>) -> Value {
    match pattern {
        Some(pattern) => stores::neutral(pattern, Unit::Seconds),
        None => {
            let any = Value::Map(vec![("prefix".into(), "".into())]);
            Value::Map(vec![("source".into(), Value::List(vec![any]))])
        }
    }
}
