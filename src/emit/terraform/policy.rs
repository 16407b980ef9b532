//! Grants as Terraform: each `Arn` of a statement becomes an expression
//! (a created resource's `arn` attribute, a sub-ARN as a template over it,
//! an existing ARN with its placeholders read from the data sources), and
//! a function's statements become one `jsonencode`d policy document.

use super::expr::{jsonencode, list, object, placeholders, string, strings, template, Part};
use super::Ctx;
use crate::deploy::names;
use crate::grants::{sub_arn_of_existing, Arn, Statement};
use hcl::expr::Expression;

pub const VERSION: &str = "2012-10-17";

/// One ARN of a grant as an expression.
pub fn arn(ctx: &Ctx, arn: &Arn) -> Expression {
    match arn {
        Arn::Any => string("*"),
        Arn::Literal(arn) => placeholders(arn, &[]),
        Arn::LogGroup { function } => {
            let function = ctx.model.resource(*function);
            placeholders(&names::log_streams_arn(ctx.model, &ctx.options.stage, function), &[])
        }
        Arn::Executions { machine, express } => {
            let machine = ctx.model.resource(*machine);
            placeholders(&names::executions_arn(ctx.model, &ctx.options.stage, machine, *express), &[])
        }
        Arn::Alias { function } => {
            let alias = ctx.model.resource(*function).alias().unwrap_or_default();
            template(vec![Part::Expr(ctx.arn(*function)), Part::Lit(format!(":{alias}"))])
        }
        Arn::Of { resource, form } => {
            let r = ctx.model.resource(*resource);
            let kind = ctx.model.kind_of(*resource);
            let sub = kind.arn_form(form).unwrap_or("");
            match (&r.existing, form.as_str()) {
                (Some(existing), "arn") if existing.input.is_some() => ctx.field(*resource, "arn"),
                (Some(existing), _) if existing.input.is_some() => {
                    template(vec![Part::Expr(ctx.field(*resource, "arn")), Part::Lit(sub.to_string())])
                }
                (Some(existing), "arn") => placeholders(&existing.arn, &[]),
                (Some(existing), _) => placeholders(&sub_arn_of_existing(existing, sub), &[]),
                (None, "arn") => ctx.arn(*resource),
                // A whole template (user kinds): its parts from the data
                // sources, the name from the resource.
                (None, _) if sub.starts_with("arn:") => {
                    let name = ctx.field(*resource, "name");
                    // `${id}`: the resource's id where its kind reads one (an API's).
                    let id = if kind.field("id").is_some() { ctx.field(*resource, "id") } else { name.clone() };
                    placeholders(sub, &[("name", name), ("id", id)])
                }
                (None, _) => template(vec![Part::Expr(ctx.arn(*resource)), Part::Lit(sub.to_string())]),
            }
        }
    }
}

/// The ARN of an AWS managed policy (`service-role/X`) in any partition.
pub fn managed_arn(path: &str) -> Expression {
    template(vec![
        Part::Lit("arn:".into()),
        Part::Expr(super::expr::partition()),
        Part::Lit(format!(":iam::aws:policy/{path}")),
    ])
}

/// `jsonencode({ Version, Statement = [...] })` of a function's role policy.
pub fn document(ctx: &Ctx, statements: &[Statement]) -> Expression {
    let statements = statements.iter().map(|s| statement(ctx, s));
    jsonencode(object([("Version", string(VERSION)), ("Statement", list(statements))]))
}

fn statement(ctx: &Ctx, statement: &Statement) -> Expression {
    let mut entries = vec![
        ("Sid", string(statement.sid.clone())),
        ("Effect", string("Allow")),
        ("Action", strings(&statement.actions)),
        ("Resource", list(statement.resources.iter().map(|r| arn(ctx, r)))),
    ];
    if let Some(condition) = &statement.condition {
        let test = object([(condition.key, arn(ctx, &condition.value))]);
        entries.push(("Condition", object([(condition.operator, test)])));
    }
    object(entries)
}

/// The trust policy of every function role: Lambda may assume it.
pub fn assume_lambda() -> Expression {
    let statement = object([
        ("Effect", string("Allow")),
        ("Principal", object([("Service", string("lambda.amazonaws.com"))])),
        ("Action", string("sts:AssumeRole")),
    ]);
    jsonencode(object([("Version", string(VERSION)), ("Statement", list([statement]))]))
}
