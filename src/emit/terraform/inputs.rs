//! A `variable` block per input (`deploy::inputs`): type, description,
//! default, and a `validation` with the input's pattern, given at deploy
//! time with `-var NAME=value` or a `.tfvars` file.

use super::text::Text;
use super::Ctx;
use crate::deploy::inputs::{Default, DeployInput};
use crate::model::InputType;

pub fn variables(ctx: &Ctx, text: &mut Text) {
    for input in &ctx.inputs.list {
        variable(text, input);
    }
}

fn variable(text: &mut Text, input: &DeployInput) {
    text.open_block("variable", &[&input.variable]);
    text.argument("description", |t| t.string(&input.description));
    text.argument("type", |t| match input.input.ty {
        InputType::String => t.code("string"),
        InputType::List => {
            t.open_call("list");
            t.code("string");
            t.close_call();
        }
        InputType::Number => t.code("number"),
    });
    if let Some(default) = &input.default {
        text.argument("default", |t| match default {
            Default::Text(s) => t.string(s),
            Default::List(items) => t.strings(items.iter().map(String::as_str)),
            Default::Number(n) => t.int(*n),
        });
    }
    if let (Some(pattern), Some(whole)) = (&input.pattern, &input.whole_pattern) {
        text.open_block("validation", &[]);
        text.argument("condition", |t| match input.input.ty {
            // `alltrue([for item in var.NAME : can(regex("...", item))])`
            InputType::List => {
                t.open_call("alltrue");
                t.open('[');
                t.code("for item in var.");
                t.ident(&input.variable);
                t.code(" : ");
                matches(t, whole, |t| t.code("item"));
                t.close(']');
                t.close_call();
            }
            _ => matches(t, whole, |t| {
                t.code("var.");
                t.ident(&input.variable);
            }),
        });
        let message = match input.input.ty {
            InputType::List => format!("Each item of {} must match {pattern}.", input.input.name),
            _ => format!("{} must match {pattern}.", input.input.name),
        };
        text.argument("error_message", |t| t.string(&message));
        text.close_block();
    }
    text.close_block();
}

/// `can(regex("PATTERN", VALUE))`.
fn matches(text: &mut Text, pattern: &str, value: impl FnOnce(&mut Text)) {
    text.open_call("can");
    text.open_call("regex");
    text.string(pattern);
    text.code(", ");
    value(text);
    text.close_call();
    text.close_call();
}
