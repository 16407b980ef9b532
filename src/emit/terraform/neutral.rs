//! Prints `deploy`'s neutral resources as Terraform: arguments, nested
//! blocks and `jsonencode` documents under their Terraform names,
//! references as traversals (`aws_apigatewayv2_api.shop.id`), text with
//! references as template strings. It decides nothing: a property
//! CloudFormation alone has is left out, one Terraform alone has is
//! written.

use super::expr::{self, block, data, data_ref, int, jsonencode, list, resource, string, template};
use super::{depends_on, Ctx};
use crate::deploy::resource::{Form, Keep, Part, Prop, Ref, Resource, Value};
use hcl::expr::Expression;
use hcl::{Block, BlockBuilder};

/// The block of the neutral resource, if Terraform has its type.
pub fn block_of(ctx: &Ctx, neutral: &Resource) -> Option<Block> {
    let ty = neutral.ty.terraform.as_deref()?;
    let block = if neutral.ty.lookup { data(ty, &neutral.id.terraform) } else { resource(ty, &neutral.id.terraform) };
    let mut main = body(ctx, block, &neutral.props);
    let needs: Vec<Expression> = neutral
        .depends_on
        .iter()
        .filter_map(|d| Some(expr::resource_ref(d.ty.terraform.as_deref()?, &d.id.terraform)))
        .collect();
    if !needs.is_empty() {
        main = main.add_attribute(depends_on(needs));
    }
    if let Some(lifecycle) = lifecycle(neutral) {
        main = main.add_block(lifecycle);
    }
    Some(main.build())
}

/// `lifecycle { prevent_destroy = true, ignore_changes = [...] }`, when
/// either applies.
fn lifecycle(neutral: &Resource) -> Option<Block> {
    let retain = neutral.keep == Keep::Retain;
    if !retain && neutral.made_once.is_empty() && !neutral.create_before_destroy {
        return None;
    }
    let mut lifecycle = block("lifecycle");
    if retain {
        lifecycle = lifecycle.add_attribute(("prevent_destroy", true));
    }
    if neutral.create_before_destroy {
        lifecycle = lifecycle.add_attribute(("create_before_destroy", true));
    }
    if !neutral.made_once.is_empty() {
        let names = neutral.made_once.iter().map(|name| expr::traversal(name, &[]));
        lifecycle = lifecycle.add_attribute(("ignore_changes", list(names)));
    }
    Some(lifecycle.build())
}

/// `props` added to a block in their order.
fn body(ctx: &Ctx, mut builder: BlockBuilder, props: &[Prop]) -> BlockBuilder {
    for prop in props {
        builder = match (prop.key.form, prop.key.terraform.as_deref(), &prop.value) {
            (Form::Flat, _, Value::Object(inner)) => body(ctx, builder, inner),
            (_, None, _) => builder,
            (Form::Block, Some(name), Value::Object(inner)) => builder.add_block(body(ctx, block(name), inner).build()),
            (Form::Block, Some(name), Value::List(items)) => items.iter().fold(builder, |builder, item| match item {
                Value::Object(inner) => builder.add_block(body(ctx, block(name), inner).build()),
                other => builder.add_attribute((name, value(ctx, other))),
            }),
            (Form::Json | Form::JsonText, Some(name), v) => builder.add_attribute((name, jsonencode(value(ctx, v)))),
            (_, Some(name), v) => builder.add_attribute((name, value(ctx, v))),
        };
    }
    builder
}

/// A value outside any resource (an output, a field read).
pub fn standalone(ctx: &Ctx, value: &Value) -> Expression {
    self::value(ctx, value)
}

fn value(ctx: &Ctx, value: &Value) -> Expression {
    match value {
        Value::Str(s) => string(s.clone()),
        Value::Int(n) => int(*n),
        Value::Bool(b) => Expression::Bool(*b),
        Value::List(items) => list(items.iter().map(|item| self::value(ctx, item))),
        Value::Object(props) => expr::object(
            props.iter().filter_map(|p| Some((p.key.terraform.as_deref()?.to_string(), self::value(ctx, &p.value)))),
        ),
        Value::Map(entries) => expr::object(entries.iter().map(|(k, v)| (k.clone(), self::value(ctx, v)))),
        Value::Text(parts) => template(parts.iter().map(|part| self::part(ctx, part)).collect()),
        Value::Ref(r) => traversal(r),
        Value::Field(id, field) => ctx.field(*id, field),
        Value::Arn(id) => ctx.arn(*id),
        Value::ArnAfter(id) => ctx.destination_arn(*id),
        Value::Input(id) => ctx.input(*id),
        Value::Package(key) => ctx.code_path(key),
        Value::PackageHash(key) => expr::call("filebase64sha256", vec![ctx.code_path(key)]),
        Value::Shared(shared) => self::value(ctx, shared),
    }
}

fn part(ctx: &Ctx, part: &Part) -> expr::Part {
    match part {
        Part::Lit(s) => expr::Part::Lit(s.clone()),
        Part::Partition => expr::Part::Expr(expr::partition()),
        Part::Region => expr::Part::Expr(expr::region()),
        Part::Account => expr::Part::Expr(expr::account()),
        Part::UrlSuffix => expr::Part::Expr(expr::dns_suffix()),
        Part::Ref(r) => expr::Part::Expr(traversal(r)),
        Part::Field(id, field) => expr::Part::Expr(ctx.field(*id, field)),
        Part::Input(id) => expr::Part::Expr(ctx.input(*id)),
    }
}

/// `TYPE.LABEL.ATTR`; a reference to a resource Terraform lacks is a bug
/// in the layer, printed visibly rather than dropped.
fn traversal(r: &Ref) -> Expression {
    let ty = r.ty.terraform.as_deref().unwrap_or("missing_terraform_type");
    if r.ty.lookup {
        return data_ref(ty, &r.id.terraform, r.attr.terraform);
    }
    expr::path_ref(ty, &r.id.terraform, r.attr.terraform)
}
