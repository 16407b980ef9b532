//! Rules on the app's inputs: one nothing uses is still asked for at every
//! deployment.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;

/// LF3070: an input declared and never used.
pub fn unused(model: &Model, out: &mut Vec<Diagnostic>) {
    for input in model.inputs.iter().filter(|input| input.uses.is_empty()) {
        out.push(
            Diagnostic::new(Code::UnusedInput, input.name_span, format!("the input `{}` is never used", input.name))
                .label("unused input")
                .help(format!(
                    "use it where a value is given at deploy time (`subnets = {0}`, `existing queue q = {0}`), or remove it: \
                     every deployment would still be asked for it",
                    input.name
                )),
        );
    }
}
