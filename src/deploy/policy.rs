//! IAM documents as neutral values: a role's policy document from its
//! grants, each grant's abstract [`Arn`] as the resource both targets
//! write, the trust policy of a Lambda execution role, and the metadata
//! that traces each statement back to the source lines behind it (which
//! `plan` reads).

use super::facts::provenance;
use super::names;
use super::resource::{Part, Value};
use super::Scope;
use crate::grants::{sub_arn_of_existing, Arn, Statement};
use crate::source::Span;

/// The policy language version every document states.
pub const VERSION: &str = "2012-10-17";

/// The execution role's trust policy: Lambda may assume it. One
/// document, built once and shared by every role.
pub fn lambda_trust() -> Value {
    static TRUST: std::sync::OnceLock<std::sync::Arc<Value>> = std::sync::OnceLock::new();
    Value::Shared(TRUST.get_or_init(|| std::sync::Arc::new(trust_document())).clone())
}

fn trust_document() -> Value {
    let statement = Value::Map(vec![
        ("Effect".into(), "Allow".into()),
        ("Principal".into(), Value::Map(vec![("Service".into(), "lambda.amazonaws.com".into())])),
        ("Action".into(), "sts:AssumeRole".into()),
    ]);
    Value::Map(vec![("Version".into(), VERSION.into()), ("Statement".into(), Value::List(vec![statement]))])
}

/// The statements as one policy document. `Action` and `Resource` are
/// always lists, one form for every statement and both targets.
pub fn document<'s>(scope: &Scope, statements: impl IntoIterator<Item = &'s Statement>) -> Value {
    let statements = statements.into_iter().map(|s| statement(scope, s)).collect();
    Value::Map(vec![("Version".into(), Value::lit(VERSION)), ("Statement".into(), Value::List(statements))])
}

fn statement(scope: &Scope, s: &Statement) -> Value {
    let mut entries = vec![
        ("Sid".into(), Value::from(s.sid.clone())),
        ("Effect".into(), Value::lit("Allow")),
        ("Action".into(), Value::Names(s.actions.clone())),
        ("Resource".into(), Value::List(s.resources.iter().map(|a| arn(scope, a)).collect())),
    ];
    if let Some(c) = &s.condition {
        let test = Value::Map(vec![(c.key.into(), arn(scope, &c.value))]);
        entries.push(("Condition".into(), Value::Map(vec![(c.operator.into(), test)])));
    }
    Value::Map(entries)
}

/// A grant's resource as both targets write it.
pub fn arn(scope: &Scope, arn: &Arn) -> Value {
    let model = scope.model;
    match arn {
        Arn::Any => "*".into(),
        Arn::Literal(text) => Value::Text(pseudo(text)),
        Arn::LogGroup { function } => {
            Value::Text(log_streams(&names::log_group_name(model, scope.stage, model.resource(*function))))
        }
        Arn::Executions { machine, express } => {
            Value::Text(pseudo(&names::executions_arn(model, scope.stage, model.resource(*machine), *express)))
        }
        Arn::Alias { function } => {
            let alias = model.resource(*function).alias().unwrap_or_default();
            Value::Text(vec![Part::Field(*function, "arn".into()), Part::Lit([":", alias].concat())])
        }
        Arn::Consumer { function, trigger } => {
            let function = model.resource(*function);
            let body = function.function.as_ref().expect("a consumer is a function's trigger's");
            super::triggers::consumer_arn(scope, function, body, *trigger)
        }
        Arn::Of { resource, form } if form == "arn" => Value::Arn(*resource),
        Arn::Of { resource, form } => {
            let r = model.resource(*resource);
            let kind = model.kind_of(*resource);
            let sub = kind.arn_form(form).unwrap_or("");
            match &r.existing {
                Some(existing) if existing.input.is_none() => Value::Text(pseudo(&sub_arn_of_existing(existing, sub))),
                // A whole template over the parts of an ARN (an app's own
                // kind): the resource's name, and its id where the kind
                // reads one (an API's), in place of `${name}` and `${id}`.
                None if sub.starts_with("arn:") => {
                    let id = if kind.field("id").is_some() { "id" } else { "name" };
                    let fields =
                        [("name", Part::Field(*resource, "name".into())), ("id", Part::Field(*resource, id.into()))];
                    Value::Text(placeholders(sub, &fields))
                }
                _ => Value::Text(vec![Part::Field(*resource, "arn".into()), Part::Lit(sub.into())]),
            }
        }
    }
}

/// The resource of a function's log grants, the partition, region and
/// account left for the target: the streams of its log `group` (the
/// resource type AWS documents for `logs:CreateLogStream` and
/// `logs:PutLogEvents`), with a `*` for each `/` of `/aws/lambda/{name}`.
/// The validators' policy_sentry reads a `/` as a separator of the ARN's
/// resource type and rejects the exact ARN, and moto's evaluator has no
/// `?`; the pattern still ends with the whole function name, which carries
/// app and stage. Made as parts, not parsed from text, unless the name
/// holds a `${`.
fn log_streams(group: &str) -> Vec<Part> {
    let mut tail = String::with_capacity(group.len() + 30);
    tail.push_str(":log-group:");
    tail.extend(group.chars().map(|c| if c == '/' { '*' } else { c }));
    tail.push_str(":log-stream:*");
    if group.contains("${") {
        return pseudo(&format!("arn:${{partition}}:logs:${{region}}:${{account}}{tail}"));
    }
    super::facts::regional_arn("logs", [Part::Lit(tail)])
}

/// `arn:${partition}:…:${account}:…` as parts.
pub fn pseudo(text: &str) -> Vec<Part> {
    placeholders(text, &[])
}

/// The parts of `text`: `${partition}`, `${region}` and `${account}` as
/// pseudo parameters, `${NAME}` of `fields` as the part given for it,
/// anything else literal.
fn placeholders(text: &str, fields: &[(&str, Part)]) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let push_literal = |parts: &mut Vec<Part>, s: &str| match parts.last_mut() {
        Some(Part::Lit(last)) => last.push_str(s),
        _ if s.is_empty() => {}
        _ => parts.push(Part::Lit(s.to_string())),
    };
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let Some(end) = rest[at..].find('}') else { break };
        push_literal(&mut parts, &rest[..at]);
        let name = &rest[at + 2..at + end];
        match name {
            "partition" => parts.push(Part::Partition),
            "region" => parts.push(Part::Region),
            "account" => parts.push(Part::Account),
            _ => match fields.iter().find(|(placeholder, _)| *placeholder == name) {
                Some((_, part)) => parts.push(part.clone()),
                None => push_literal(&mut parts, &rest[at..at + end + 1]),
            },
        }
        rest = &rest[at + end + 1..];
    }
    push_literal(&mut parts, rest);
    parts
}

/// CloudFormation `Metadata` of a role: per statement, the source lines
/// behind it, for a `*` resource why nothing narrower exists, and the AWS
/// managed policy attached in its place, if one is; none for Terraform.
pub fn sources(scope: &Scope, statements: &[Statement]) -> Option<Value> {
    if !scope.cloudformation() {
        return None;
    }
    let grants = statements
        .iter()
        .map(|s| {
            let lines = s.sources.iter().map(|span| Value::from(provenance(scope.sources, *span))).collect();
            let mut entry = vec![("Sources".into(), Value::List(lines))];
            if let Some(why) = &s.why {
                entry.push(("Why".into(), why.as_str().into()));
            }
            if let Some(managed) = &s.managed {
                entry.push(("ManagedPolicy".into(), managed.as_str().into()));
            }
            (s.sid.clone().into(), Value::Map(entry))
        })
        .collect();
    Some(Value::Map(vec![("Lambdaform".into(), Value::Map(vec![("Grants".into(), Value::Map(grants))]))]))
}

/// CloudFormation `Metadata` of an invoke permission: the source line
/// behind it; none for Terraform.
pub fn permission_sources(scope: &Scope, span: Span) -> Option<Value> {
    if !scope.cloudformation() {
        return None;
    }
    let line = Value::from(provenance(scope.sources, span));
    let sources = Value::Map(vec![("Sources".into(), Value::List(vec![line]))]);
    Some(Value::Map(vec![("Lambdaform".into(), sources)]))
}

/// The ARN of an AWS managed policy (`service-role/X`) in any partition.
pub fn managed_arn(path: &str) -> Value {
    Value::Text(vec![Part::Lit("arn:".into()), Part::Partition, Part::Lit(format!(":iam::aws:policy/{path}"))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_stream_parts_are_those_of_the_arn_text() {
        for name in ["shop-dev-f", "a/b-dev-x", "x${partition}y-dev-f", "x${y"] {
            let group = format!("/aws/lambda/{name}");
            let starred = group.replace('/', "*");
            let text = format!("arn:${{partition}}:logs:${{region}}:${{account}}:log-group:{starred}:log-stream:*");
            assert_eq!(log_streams(&group), pseudo(&text), "{name}");
        }
    }

    #[test]
    fn placeholders_become_parts_and_the_rest_stays_literal() {
        assert_eq!(
            pseudo("arn:${partition}:ssm:${region}:${account}:parameter/x${other}"),
            vec![
                Part::Lit("arn:".into()),
                Part::Partition,
                Part::Lit(":ssm:".into()),
                Part::Region,
                Part::Lit(":".into()),
                Part::Account,
                Part::Lit(":parameter/x${other}".into()),
            ]
        );
        assert_eq!(pseudo("arn:aws:sqs:eu-west-1:1:q${x}"), vec![Part::Lit("arn:aws:sqs:eu-west-1:1:q${x}".into())]);
    }
}
