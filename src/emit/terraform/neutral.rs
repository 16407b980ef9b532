//! Prints `deploy`'s neutral resources as Terraform text, straight into
//! [`Text`]: arguments, nested blocks and `jsonencode` documents under
//! their Terraform names, references as traversals
//! (`aws_apigatewayv2_api.shop.id`), text with references as template
//! strings. It decides nothing: a property CloudFormation alone has is left
//! out, one Terraform alone has is written.

use super::text::{Identifier, Text};
use super::{Ctx, Read};
use crate::deploy::resource::{Form, Keep, Part, Prop, Ref, Resource, Value};
use crate::model::InputId;
use std::borrow::Cow;

/// The block of the neutral resource, if Terraform has its type.
pub fn write(ctx: &Ctx, text: &mut Text, neutral: &Resource) {
    let Some(ty) = neutral.ty.terraform.as_deref() else { return };
    let kind = if neutral.ty.lookup { "data" } else { "resource" };
    text.open_block(kind, &[ty, &neutral.id.terraform]);
    body(ctx, text, &neutral.props);
    let mut needs = neutral.depends_on.iter().filter_map(|d| Some((d.ty.terraform.as_deref()?, &d.id.terraform)));
    if let Some(first) = needs.next() {
        text.attribute("depends_on");
        text.open('[');
        for (i, (ty, label)) in std::iter::once(first).chain(needs).enumerate() {
            if i > 0 {
                text.code(", ");
            }
            text.ident(ty);
            text.code(".");
            text.ident(label);
        }
        text.close(']');
        text.end_attribute();
    }
    lifecycle(text, neutral);
    text.close_block();
}

/// `lifecycle { prevent_destroy = true, ignore_changes = [...] }`, when
/// either applies.
fn lifecycle(text: &mut Text, neutral: &Resource) {
    let retain = neutral.keep == Keep::Retain;
    if !retain && neutral.made_once.is_empty() && !neutral.create_before_destroy {
        return;
    }
    text.open_block("lifecycle", &[]);
    if retain {
        text.argument("prevent_destroy", |t| t.code("true"));
    }
    if neutral.create_before_destroy {
        text.argument("create_before_destroy", |t| t.code("true"));
    }
    if !neutral.made_once.is_empty() {
        text.argument("ignore_changes", |t| {
            t.open('[');
            for (i, name) in neutral.made_once.iter().enumerate() {
                if i > 0 {
                    t.code(", ");
                }
                t.ident(name);
            }
            t.close(']');
        });
    }
    text.close_block();
}

/// `props` written in a block in their order.
fn body(ctx: &Ctx, text: &mut Text, props: &[Prop]) {
    for prop in props {
        match (prop.key.form, prop.key.terraform.as_ref().map(Identifier::from), &prop.value) {
            (Form::Flat, _, Value::Object(inner)) => body(ctx, text, inner),
            (_, None, _) => {}
            (Form::Block, Some(name), Value::Object(inner)) => nested(ctx, text, name, inner),
            (Form::Block, Some(name), Value::List(items)) => {
                for item in items {
                    match item {
                        Value::Object(inner) => nested(ctx, text, name, inner),
                        other => text.argument(name, |t| value(ctx, t, other)),
                    }
                }
            }
            (Form::Json | Form::JsonText, Some(name), v) => text.argument(name, |t| {
                t.open_call("jsonencode");
                value(ctx, t, v);
                t.close_call();
            }),
            (_, Some(name), v) => text.argument(name, |t| value(ctx, t, v)),
        }
    }
}

/// `name { ... }`.
fn nested(ctx: &Ctx, text: &mut Text, name: Identifier, props: &[Prop]) {
    text.open_block(name, &[]);
    body(ctx, text, props);
    text.close_block();
}

/// A value as an expression: in an argument, an output, a field read.
pub fn value(ctx: &Ctx, text: &mut Text, value: &Value) {
    match value {
        Value::Str(s) => text.string(s),
        Value::Int(n) => text.int(*n),
        Value::Bool(b) => text.code(if *b { "true" } else { "false" }),
        Value::List(items) => {
            text.open('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    text.code(", ");
                }
                self::value(ctx, text, item);
            }
            text.close(']');
        }
        Value::Names(names) => text.strings(names.iter().map(|name| name.as_str())),
        Value::Object(props) => {
            object(ctx, text, props.iter().filter_map(|p| Some((p.key.terraform.as_deref()?, &p.value))))
        }
        Value::Map(entries) => object(ctx, text, entries.iter().map(|(k, v)| (k.as_ref(), v))),
        Value::Text(parts) => template(ctx, text, parts),
        Value::Ref(r) => traversal(text, r),
        Value::Field(id, field) => read(ctx, text, &ctx.field(*id, field)),
        Value::Arn(id) => read(ctx, text, &ctx.arn(*id)),
        Value::ArnAfter(id) => read(ctx, text, &ctx.destination_arn(*id)),
        Value::Input(id) => input(ctx, text, *id),
        Value::Package(key) => package(text, key),
        Value::PackageHash(key) => {
            text.open_call("filebase64sha256");
            package(text, key);
            text.close_call();
        }
        Value::Shared(shared) => self::value(ctx, text, shared),
    }
}

/// What a field read gives.
pub fn read(ctx: &Ctx, text: &mut Text, read: &Read) {
    match read {
        Read::Attr { ty, label, attr } => {
            text.ident(ty);
            text.code(".");
            text.ident(label);
            text.code(".");
            text.ident(attr);
        }
        Read::Input(id) => input(ctx, text, *id),
        Read::Value(v) => value(ctx, text, v),
    }
}

/// The path of a function's package as Terraform sees it:
/// `"${path.module}/{key}"`. `build` copies each package into the output
/// folder at its key, so the folder is self-contained and its layout is
/// the S3 key layout the CloudFormation template uses.
fn package(text: &mut Text, key: &str) {
    text.open_template();
    text.open_interpolation();
    text.code("path.module");
    text.close_interpolation();
    text.template_literal("/");
    text.template_literal(key);
    text.close_template();
}

/// `var.NAME`.
fn input(ctx: &Ctx, text: &mut Text, id: InputId) {
    text.code("var.");
    text.ident(ctx.inputs.variable(id));
}

/// An object literal. A key given twice keeps its first place and takes
/// its last value, as an object literal's map does. The entries are read
/// where they are (objects are small), never collected.
fn object<'v>(ctx: &Ctx, text: &mut Text, entries: impl Iterator<Item = (&'v str, &'v Value)> + Clone) {
    let mut object = text.open_object();
    for (i, (key, v)) in entries.clone().enumerate() {
        if entries.clone().take(i).any(|(k, _)| k == key) {
            continue;
        }
        let last = entries.clone().skip(i + 1).filter(|(k, _)| *k == key).last().map_or(v, |(_, v)| v);
        text.entry(&mut object, key);
        value(ctx, text, last);
    }
    text.close_object(object);
}

/// One piece of a template: literal text, a part written as code, or an
/// expression the context reads.
enum Piece<'a> {
    Lit(Cow<'a, str>),
    Part(&'a Part),
    Read(Read<'a>),
    Value(Value),
}

/// A quoted template of literals and `${...}` interpolations, adjacent
/// literals merged. A template of one interpolation is that expression;
/// one of literals only is a string.
fn template(ctx: &Ctx, text: &mut Text, parts: &[Part]) {
    let pieces = pieces(ctx, parts);
    match pieces.as_slice() {
        [] => text.string(""),
        [Piece::Lit(s)] => text.string(s),
        [Piece::Part(part)] => code(ctx, text, part),
        [Piece::Read(r)] => read(ctx, text, r),
        [Piece::Value(v)] => value(ctx, text, v),
        _ => {
            text.open_template();
            for piece in &pieces {
                match piece {
                    Piece::Lit(s) => text.template_literal(s),
                    Piece::Part(part) => {
                        text.open_interpolation();
                        code(ctx, text, part);
                        text.close_interpolation();
                    }
                    Piece::Read(r) => {
                        text.open_interpolation();
                        read(ctx, text, r);
                        text.close_interpolation();
                    }
                    Piece::Value(v) => {
                        text.open_interpolation();
                        value(ctx, text, v);
                        text.close_interpolation();
                    }
                }
            }
            text.close_template();
        }
    }
}

/// The pieces of a text, adjacent literals merged. A field read that is
/// literal text (an existing resource's name) merges with its neighbours.
fn pieces<'a>(ctx: &'a Ctx, parts: &'a [Part]) -> Vec<Piece<'a>> {
    let mut pieces: Vec<Piece> = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Part::Lit(s) => push_lit(&mut pieces, Cow::Borrowed(s)),
            Part::Field(id, field) => match ctx.field(*id, field) {
                Read::Value(v) => match literal(ctx, &v) {
                    Some(s) => push_lit(&mut pieces, Cow::Owned(s)),
                    None => pieces.push(Piece::Value(v)),
                },
                read => pieces.push(Piece::Read(read)),
            },
            part => pieces.push(Piece::Part(part)),
        }
    }
    pieces
}

/// The text of a value that prints as a plain string.
fn literal(ctx: &Ctx, value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.to_string()),
        Value::Text(parts) => match pieces(ctx, parts).as_slice() {
            [] => Some(String::new()),
            [Piece::Lit(s)] => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn push_lit<'a>(pieces: &mut Vec<Piece<'a>>, s: Cow<'a, str>) {
    if s.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(Piece::Lit(last)) => last.to_mut().push_str(&s),
        _ => pieces.push(Piece::Lit(s)),
    }
}

/// A template part that is a reference, as code.
fn code(ctx: &Ctx, text: &mut Text, part: &Part) {
    match part {
        Part::Lit(s) => text.string(s),
        Part::Partition => text.code("data.aws_partition.current.partition"),
        Part::Region => text.code("data.aws_region.current.name"),
        Part::Account => text.code("data.aws_caller_identity.current.account_id"),
        Part::UrlSuffix => text.code("data.aws_partition.current.dns_suffix"),
        Part::Ref(r) => traversal(text, r),
        Part::Field(id, field) => read(ctx, text, &ctx.field(*id, field)),
        Part::Input(id) => input(ctx, text, *id),
    }
}

/// `TYPE.LABEL.ATTR` (`data.` before a data source's); the attribute may index
/// a list (`domain_name_configuration[0].target_domain_name`). A reference
/// to a resource Terraform lacks is a bug in the layer, printed visibly
/// rather than dropped.
fn traversal(text: &mut Text, r: &Ref) {
    let ty = r.ty.terraform.as_ref().map_or(Identifier::Own("missing_terraform_type"), Identifier::from);
    if r.ty.lookup {
        text.code("data.");
    }
    text.identifier(ty);
    text.code(".");
    text.ident(&r.id.terraform);
    let attr: &'static str = r.attr.terraform;
    for step in attr.split('.') {
        let (name, index) = match step.strip_suffix(']').and_then(|s| s.split_once('[')) {
            Some((name, index)) => (name, index.parse::<u64>().ok()),
            None => (step, None),
        };
        text.code(".");
        text.identifier(Identifier::Own(name));
        if let Some(index) = index {
            text.open('[');
            text.code(&index.to_string());
            text.close(']');
        }
    }
}
