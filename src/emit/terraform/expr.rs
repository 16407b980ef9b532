//! Building blocks for the Terraform tree: resource and data blocks,
//! traversals (`aws_sqs_queue.jobs.arn`), function calls (`jsonencode`),
//! template strings (`"${aws_dynamodb_table.orders.arn}/index/*"`) and
//! object literals, all as hcl-rs values so the printer does the quoting.

use hcl::expr::{Expression, FuncCall, ObjectKey, TemplateExpr, Traversal, Variable};
use hcl::template::{Interpolation, Template};
use hcl::{Block, BlockBuilder, Object};

/// `data "TYPE" "LABEL" { ... }`, to be filled and built.
pub fn data(ty: &str, label: &str) -> BlockBuilder {
    Block::builder("data").add_label(ty).add_label(label)
}

/// A nested block without labels: `vpc_config { ... }`.
pub fn block(name: &str) -> BlockBuilder {
    Block::builder(name)
}

/// `root.a.b`: a reference to a resource's attribute or a whole resource.
pub fn traversal(root: &str, attrs: &[&str]) -> Expression {
    let mut builder = Traversal::builder(Variable::sanitized(root));
    for attr in attrs {
        builder = builder.attr(*attr);
    }
    Expression::from(builder.build())
}

/// `TYPE.LABEL.ATTR`, such as `aws_sqs_queue.jobs.arn`.
pub fn attr_ref(ty: &str, label: &str, attr: &str) -> Expression {
    traversal(ty, &[label, attr])
}

/// `data.TYPE.LABEL.ATTR`.
pub fn data_ref(ty: &str, label: &str, attr: &str) -> Expression {
    traversal("data", &[ty, label, attr])
}

pub fn partition() -> Expression {
    data_ref("aws_partition", "current", "partition")
}

pub fn region() -> Expression {
    data_ref("aws_region", "current", "name")
}

pub fn account() -> Expression {
    data_ref("aws_caller_identity", "current", "account_id")
}

/// `NAME(ARGS...)`.
pub fn call(name: &str, args: Vec<Expression>) -> Expression {
    let mut builder = FuncCall::builder(name);
    for arg in args {
        builder = builder.arg(arg);
    }
    Expression::from(builder.build())
}

/// An object literal; keys print bare where they are identifiers.
pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Expression)>) -> Expression {
    let mut object = Object::new();
    for (key, value) in entries {
        object.insert(ObjectKey::Expression(Expression::String(key.into())), value);
    }
    Expression::Object(object)
}

pub fn list(items: impl IntoIterator<Item = Expression>) -> Expression {
    Expression::Array(items.into_iter().collect())
}

pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Expression {
    list(items.into_iter().map(|s| Expression::String(s.as_ref().to_string())))
}

pub fn string(s: impl Into<String>) -> Expression {
    Expression::String(s.into())
}

pub fn int(n: i64) -> Expression {
    Expression::from(n)
}

/// One piece of a template string.
pub enum Part {
    Lit(String),
    Expr(Expression),
}

/// A quoted template: literals and `${...}` interpolations. A template of
/// one interpolation is that expression; one of literals only is a string.
pub fn template(parts: Vec<Part>) -> Expression {
    let mut merged: Vec<Part> = Vec::new();
    // A string interpolated is a literal: `"a${"b"}"` is `"ab"`.
    let parts = parts.into_iter().map(|part| match part {
        Part::Expr(Expression::String(s)) => Part::Lit(s),
        other => other,
    });
    for part in parts {
        match (merged.last_mut(), part) {
            (_, Part::Lit(s)) if s.is_empty() => {}
            (Some(Part::Lit(last)), Part::Lit(s)) => last.push_str(&s),
            (_, part) => merged.push(part),
        }
    }
    match merged.as_slice() {
        [] => return string(""),
        [Part::Lit(s)] => return string(s.clone()),
        [Part::Expr(e)] => return e.clone(),
        _ => {}
    }
    let mut template = Template::new();
    for part in merged {
        template = match part {
            Part::Lit(s) => template.add_literal(escape_literal(&s)),
            Part::Expr(e) => template.add_interpolation(Interpolation::new(e)),
        };
    }
    // The template's own printer writes literals and `${...}` as they go in a
    // quoted string; it escapes `${` and `%{`, the literal quoting is ours.
    let raw = hcl::format::to_string(&template).expect("a template of literals and expressions always prints");
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(raw)))
}

/// A string with `${partition}`, `${region}` and `${account}` placeholders
/// (ARNs of existing resources, kind templates) as a template over the data
/// sources; `extra` adds more placeholders such as `${name}`.
pub fn placeholders(text: &str, extra: &[(&str, Expression)]) -> Expression {
    let mut known: Vec<(String, Expression)> =
        vec![("${partition}".into(), partition()), ("${region}".into(), region()), ("${account}".into(), account())];
    known.extend(extra.iter().map(|(name, e)| (format!("${{{name}}}"), e.clone())));
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        parts.push(Part::Lit(rest[..at].to_string()));
        let after = &rest[at..];
        match known.iter().find_map(|(token, e)| after.strip_prefix(token.as_str()).map(|tail| (e, tail))) {
            Some((e, tail)) => {
                parts.push(Part::Expr(e.clone()));
                rest = tail;
            }
            None => {
                parts.push(Part::Lit("${".into()));
                rest = &after[2..];
            }
        }
    }
    parts.push(Part::Lit(rest.to_string()));
    template(parts)
}

/// Escapes a literal for a quoted template; `${` and `%{` are escaped by
/// the printer.
fn escape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(e: Expression) -> String {
        hcl::format::to_string(&e).expect("prints")
    }

    #[test]
    fn templates_merge_and_escape() {
        let e =
            template(vec![Part::Expr(attr_ref("aws_dynamodb_table", "orders", "arn")), Part::Lit("/index/*".into())]);
        assert_eq!(print(e), "\"${aws_dynamodb_table.orders.arn}/index/*\"");
        let e = template(vec![Part::Lit("a\"b${c}".into()), Part::Expr(account())]);
        assert_eq!(print(e), "\"a\\\"b$${c}${data.aws_caller_identity.current.account_id}\"");
        assert_eq!(print(template(vec![Part::Expr(account())])), "data.aws_caller_identity.current.account_id");
    }

    #[test]
    fn placeholders_become_data_sources() {
        let e = placeholders("arn:${partition}:ssm:${region}:${account}:parameter/x${other}", &[]);
        assert_eq!(
            print(e),
            "\"arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:\
             ${data.aws_caller_identity.current.account_id}:parameter/x$${other}\""
        );
        assert_eq!(
            print(placeholders("arn:aws:sqs:eu-west-1:123456789012:q", &[])),
            "\"arn:aws:sqs:eu-west-1:123456789012:q\""
        );
    }
}
