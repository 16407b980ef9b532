//! A `variable` block per input (`deploy::inputs`): type, description,
//! default, and a `validation` with the input's pattern, given at deploy
//! time with `-var NAME=value` or a `.tfvars` file.

use super::expr::{call, int, string, strings, traversal};
use super::Ctx;
use crate::deploy::inputs::{Default, DeployInput};
use crate::model::InputType;
use hcl::expr::{Expression, ForExpr};
use hcl::Block;
use hcl::Identifier;

pub fn variables(ctx: &Ctx) -> Vec<Block> {
    ctx.inputs.list.iter().map(variable).collect()
}

fn variable(input: &DeployInput) -> Block {
    let ty = match input.input.ty {
        InputType::String => traversal("string", &[]),
        InputType::List => call("list", vec![traversal("string", &[])]),
        InputType::Number => traversal("number", &[]),
    };
    let mut block = Block::builder("variable")
        .add_label(input.variable.as_str())
        .add_attribute(("description", string(input.description.clone())))
        .add_attribute(("type", ty));
    if let Some(default) = &input.default {
        block = block.add_attribute((
            "default",
            match default {
                Default::Text(text) => string(text.clone()),
                Default::List(items) => strings(items),
                Default::Number(n) => int(*n),
            },
        ));
    }
    if let (Some(pattern), Some(whole)) = (&input.pattern, &input.whole_pattern) {
        let value = traversal("var", &[input.variable.as_str()]);
        let matches = |value: Expression| call("can", vec![call("regex", vec![string(whole.clone()), value])]);
        let condition = match input.input.ty {
            InputType::List => {
                let each = Identifier::sanitized("item");
                let all = ForExpr::new(each, value, matches(traversal("item", &[])));
                call("alltrue", vec![Expression::from(all)])
            }
            _ => matches(value),
        };
        let message = match input.input.ty {
            InputType::List => format!("Each item of {} must match {pattern}.", input.input.name),
            _ => format!("{} must match {pattern}.", input.input.name),
        };
        block = block.add_block(
            Block::builder("validation")
                .add_attribute(("condition", condition))
                .add_attribute(("error_message", string(message)))
                .build(),
        );
    }
    block.build()
}
