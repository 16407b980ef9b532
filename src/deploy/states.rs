//! What state machines and the schedules and buses that start them deploy,
//! described once for both targets: a state machine with its definition
//! (the ASL file's text with each `${name}` filled in: the same definition
//! in `DefinitionString` and `definition`), its role (the grants of
//! `grants::principal`), and its log group when it logs; an EventBridge
//! Scheduler schedule per target with the schedule's role; an EventBridge
//! rule per state machine a rule schedule or a bus starts, with the
//! starter's role. Roles are `AWS::IAM::Role` with an inline policy in
//! CloudFormation, `aws_iam_role` and `aws_iam_role_policy` in Terraform.

use super::facts::retention_days;
use super::names;
use super::resource::{object, Attr, Form, Id, Key, Part, Resource, Type, Value};
use super::Scope;
use crate::grants::{self, camel, Arn};
use crate::model::{self, Model, Val};
use crate::stdlib::defaults;

/// The neutral resources of a created state machine, schedule or bus.
pub fn made_for(scope: &Scope, resource: &model::Resource) -> Vec<Resource> {
    match resource.kind.as_str() {
        "state_machine" => machine(scope, resource),
        "schedule" if grants::is_scheduler(resource) => scheduler(scope, resource),
        "schedule" | "bus" if grants::acts_starting(scope.model, resource, scope.triggers.started(resource.id)) => {
            rules(scope, resource)
        }
        _ => Vec::new(),
    }
}

fn machine(scope: &Scope, machine: &model::Resource) -> Vec<Resource> {
    let mut made = role(scope, machine, "states.amazonaws.com");
    let role_arn = made[0].attr(Attr::get("Arn", "arn"));
    let mut main =
        scope.resource(machine, scope.ids.main(machine), "AWS::StepFunctions::StateMachine", "aws_sfn_state_machine");
    let name = names::naming(scope.model, scope.stage, machine).map(|n| n.name).unwrap_or_default();
    main.set(Key::new("StateMachineName", "name"), name.clone());
    let express = machine.attrs.str("type") == Some("express");
    main.set(Key::new("StateMachineType", "type"), if express { "EXPRESS" } else { "STANDARD" });
    main.set(Key::new("RoleArn", "role_arn"), role_arn);
    main.set(Key::new("DefinitionString", "definition"), definition(scope, machine));
    if let Some(level) = machine.attrs.str("logging").filter(|level| *level != "off") {
        let logs = log_group(scope, machine, &name);
        let execution_data = machine.attrs.bool("log_execution_data");
        main.set(
            Key::cloudformation("LoggingConfiguration"),
            object([
                (Key::cloudformation("Level"), level.to_ascii_uppercase().into()),
                (Key::cloudformation("IncludeExecutionData"), execution_data.into()),
                (
                    Key::cloudformation("Destinations"),
                    Value::List(vec![object([(
                        Key::cloudformation("CloudWatchLogsLogGroup"),
                        object([(Key::cloudformation("LogGroupArn"), logs.attr(Attr::get("Arn", "arn")))]),
                    )])]),
                ),
            ]),
        );
        let destination =
            Value::Text(vec![Part::reference(logs.reference(Attr::get("Arn", "arn"))), Part::Lit(":*".into())]);
        main.set(
            Key::terraform("logging_configuration").in_form(Form::Block),
            object([
                (Key::terraform("level"), level.to_ascii_uppercase().into()),
                (Key::terraform("include_execution_data"), execution_data.into()),
                (Key::terraform("log_destination"), destination),
            ]),
        );
        made.push(logs.tagged());
    }
    if machine.attrs.bool("tracing") {
        main.set(
            Key::block("TracingConfiguration", "tracing_configuration"),
            object([(Key::new("Enabled", "enabled"), true.into())]),
        );
    }
    made.insert(0, main.tagged());
    made
}

/// The ASL file's text, each placeholder replaced by what it names; a
/// function that a Task calls (its `Resource` or `FunctionName`) is
/// called through its alias, when it has one, as every other caller does
/// (`grants::principal` grants exactly that qualified ARN).
fn definition(scope: &Scope, machine: &model::Resource) -> Value {
    let Some(definition) = machine.machine.as_ref().and_then(|m| m.definition.as_ref()) else {
        return Value::lit("");
    };
    let text = definition.text.as_str();
    let mut parts = Vec::new();
    let mut at = 0;
    for placeholder in &definition.placeholders {
        let range = placeholder.span.range();
        parts.push(Part::Lit(text[at..range.start].to_string()));
        parts.push(Part::Field(placeholder.target, placeholder.field.clone().unwrap_or_else(|| "arn".into())));
        if let Some(alias) = called_alias(scope.model, &definition.tasks, placeholder) {
            parts.push(Part::Lit(format!(":{alias}")));
        }
        at = range.end;
    }
    parts.push(Part::Lit(text[at..].to_string()));
    parts.retain(|p| !matches!(p, Part::Lit(s) if s.is_empty()));
    Value::Text(parts)
}

/// What a schedule calls: a function's alias when it has one (its role
/// is granted exactly that ARN), else the target's ARN.
fn called(scope: &Scope, target: model::ResourceId) -> Value {
    match scope.model.resource(target).alias() {
        Some(_) => super::policy::arn(scope, &Arn::Alias { function: target }),
        None => Value::Arn(target),
    }
}

/// The alias a placeholder qualifies: the placeholder names a function
/// with an alias and stands in the value by which a Task calls it.
fn called_alias<'m>(model: &'m Model, tasks: &[model::Task], placeholder: &model::Placeholder) -> Option<&'m str> {
    let within = |task: &&model::Task| {
        task.target == placeholder.target
            && task.span.file == placeholder.span.file
            && task.span.start <= placeholder.span.start
            && placeholder.span.end <= task.span.end
    };
    tasks.iter().find(within)?;
    model.resource(placeholder.target).alias()
}

/// `/aws/vendedlogs/states/NAME`, the prefix AWS advises for vended logs
/// (whose resource policy size it keeps small), deleted with the machine.
fn log_group(scope: &Scope, machine: &model::Resource, name: &str) -> Resource {
    let id = scope.ids.get(machine, "Logs");
    let mut group = scope.resource(machine, id, "AWS::Logs::LogGroup", "aws_cloudwatch_log_group");
    group.set(Key::new("LogGroupName", "name"), format!("/aws/vendedlogs/states/{name}"));
    if let Some(retention) = defaults::MACHINE_LOG_RETENTION.int(machine) {
        group.set(Key::new("RetentionInDays", "retention_in_days"), retention_days(retention));
    }
    group
}

/// One Scheduler schedule per target, each calling it with the schedule's role.
fn scheduler(scope: &Scope, schedule: &model::Resource) -> Vec<Resource> {
    let mut made = role(scope, schedule, "scheduler.amazonaws.com");
    let role_arn = made[0].attr(Attr::get("Arn", "arn"));
    let window = schedule.attrs.get("window").filter(|a| a.span.is_some()).and_then(|_| schedule.attrs.int("window"));
    for &(target, _) in scope.triggers.started(schedule.id) {
        let target_resource = scope.model.resource(target);
        let id = scope.ids.keyed(
            schedule,
            &format!("schedule {}", target_resource.name),
            &format!("{}Schedule", camel(&target_resource.name)),
        );
        let label = format!("{}_{}", schedule.name, target_resource.name);
        let mut main =
            Resource::new(Id::new(id, label), Type::both("AWS::Scheduler::Schedule", "aws_scheduler_schedule"));
        main.owner = Some(schedule.id);
        main.set(Key::new("ScheduleExpression", "schedule_expression"), schedule.attrs.str("at").unwrap_or_default());
        if let Some(zone) = schedule.attrs.str("timezone") {
            main.set(Key::new("ScheduleExpressionTimezone", "schedule_expression_timezone"), zone);
        }
        let window = match window {
            Some(seconds) => vec![
                (Key::new("Mode", "mode"), Value::from("FLEXIBLE")),
                (Key::new("MaximumWindowInMinutes", "maximum_window_in_minutes"), Value::from((seconds + 59) / 60)),
            ],
            None => vec![(Key::new("Mode", "mode"), Value::from("OFF"))],
        };
        main.set(Key::block("FlexibleTimeWindow", "flexible_time_window"), object(window));
        main.set(
            Key::block("Target", "target"),
            object([
                (Key::new("Arn", "arn"), called(scope, target)),
                (Key::new("RoleArn", "role_arn"), role_arn.clone()),
            ]),
        );
        made.push(main);
    }
    made
}

/// An EventBridge rule per state machine a rule schedule or a bus starts.
fn rules(scope: &Scope, starter: &model::Resource) -> Vec<Resource> {
    let mut made = role(scope, starter, "events.amazonaws.com");
    let role_arn = made[0].attr(Attr::get("Arn", "arn"));
    for &(target, span) in scope.triggers.started(starter.id) {
        let machine = scope.model.resource(target);
        let Some(body) = &machine.machine else { continue };
        let Some(trigger) = body.triggers.iter().find(|t| t.span == span) else { continue };
        let stem = camel(&machine.name);
        let label = format!("{}_{}", starter.name, machine.name);
        let rule_id = scope.ids.keyed(starter, &format!("rule {}", machine.name), &format!("{stem}Rule"));
        let mut rule = Resource::new(
            Id::new(rule_id, label.clone()),
            Type::both("AWS::Events::Rule", "aws_cloudwatch_event_rule"),
        );
        rule.owner = Some(starter.id);
        if starter.kind == "schedule" {
            rule.set(
                Key::new("ScheduleExpression", "schedule_expression"),
                starter.attrs.str("at").unwrap_or_default(),
            );
        } else {
            rule.set(Key::new("EventBusName", "event_bus_name"), Value::Field(starter.id, "name".into()));
            if let Some(pattern) = trigger.options.value("pattern") {
                rule.set(Key::json("EventPattern", "event_pattern"), plain(pattern));
            }
        }
        rule.set(Key::cloudformation("State"), "ENABLED");
        let target_props = |cloudformation: bool| {
            let mut p =
                vec![(Key::new("Arn", "arn"), Value::Arn(target)), (Key::new("RoleArn", "role_arn"), role_arn.clone())];
            if cloudformation {
                p.insert(0, (Key::cloudformation("Id"), Value::from("StateMachine")));
            }
            p
        };
        rule.set(Key::cloudformation("Targets"), Value::List(vec![object(target_props(true))]));
        let mut link = Resource::new(Id::new("", label), Type::terraform("aws_cloudwatch_event_target"));
        link.owner = Some(starter.id);
        link.set(Key::terraform("rule"), rule.attr(Attr::reference("name")));
        if starter.kind == "bus" {
            link.set(Key::terraform("event_bus_name"), Value::Field(starter.id, "name".into()));
        }
        link.set(Key::terraform("target_id"), "StateMachine");
        for (key, value) in target_props(false) {
            link.set(key, value);
        }
        made.push(rule.tagged());
        made.push(link);
    }
    made
}

/// A role that `service` assumes, with the principal's inferred statements
/// inline (none written when there are none: IAM refuses an empty policy).
fn role(scope: &Scope, owner: &model::Resource, service: &str) -> Vec<Resource> {
    let mut role = scope.resource(owner, scope.ids.get(owner, "Role"), "AWS::IAM::Role", "aws_iam_role");
    let trust = Value::Map(vec![
        ("Version".into(), "2012-10-17".into()),
        (
            "Statement".into(),
            Value::List(vec![Value::Map(vec![
                ("Effect".into(), "Allow".into()),
                ("Principal".into(), Value::Map(vec![("Service".into(), service.into())])),
                ("Action".into(), "sts:AssumeRole".into()),
                (
                    "Condition".into(),
                    Value::Map(vec![(
                        "StringEquals".into(),
                        Value::Map(vec![("aws:SourceAccount".into(), Value::Text(vec![Part::Account]))]),
                    )]),
                ),
            ])]),
        ),
    ]);
    role.set(Key::json("AssumeRolePolicyDocument", "assume_role_policy"), trust);
    if let Some(boundary) = &scope.model.app.permissions_boundary {
        role.set(Key::new("PermissionsBoundary", "permissions_boundary"), boundary.as_str());
    }
    let statements = grants::statements_starting(scope.model, owner, scope.triggers.started(owner.id));
    let mut made = Vec::new();
    if !statements.is_empty() {
        let document = super::policy::document(scope, &statements);
        let name = format!("{}Policy", camel(&owner.name));
        role.set(
            Key::cloudformation("Policies"),
            Value::List(vec![object([
                (Key::cloudformation("PolicyName"), name.clone().into()),
                (Key::cloudformation("PolicyDocument"), document.clone()),
            ])]),
        );
        let mut inline = Resource::new(Id::new("", scope.label(owner)), Type::terraform("aws_iam_role_policy"));
        inline.owner = Some(owner.id);
        inline.set(Key::terraform("name"), name);
        inline.set(Key::terraform("role"), role.attr(Attr::reference("id")));
        inline.set(Key::terraform("policy").in_form(Form::Json), document);
        made.push(inline);
    }
    made.insert(0, role.tagged());
    made
}

/// A pattern as written, keys kept.
fn plain(value: &Val) -> Value {
    match value {
        Val::Str(s) | Val::Word(s) => s.as_str().into(),
        Val::Int(n) | Val::Duration(n) | Val::Size(n) => Value::Int(*n),
        Val::Bool(b) => Value::Bool(*b),
        Val::List(items) => Value::List(items.iter().map(plain).collect()),
        Val::Object(entries) => Value::Map(entries.iter().map(|(k, v)| (k.clone().into(), plain(v))).collect()),
        // A pattern holds no references: LF1065 refuses them when resolving.
        Val::Ref(_) | Val::Field(..) => Value::lit(""),
        Val::Input(id) => Value::Input(*id),
    }
}
