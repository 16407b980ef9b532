//! The statements of a state machine block: `on SOURCE` triggers (schedules
//! and buses start it). Attributes are checked by the caller like any
//! block's; the definition file is read later, by `asl`.

use super::{a, Scope};
use crate::ast::{Body, Statement};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::MachineBody;

/// The kinds whose trigger may start a state machine.
const STARTERS: [&str; 2] = ["schedule", "bus"];

impl Scope<'_> {
    pub(super) fn machine_body(&mut self, body: &Body) -> MachineBody {
        let mut machine = MachineBody::default();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { .. } => {}
                Statement::Trigger { source, route, options, span } => {
                    let Some(trigger) = self.trigger(source, route.as_deref(), options.as_deref(), *span) else {
                        continue;
                    };
                    let kind = self.kind_name(trigger.source).to_string();
                    if STARTERS.contains(&kind.as_str()) {
                        machine.triggers.push(trigger);
                    } else {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::NotAMachineTrigger,
                                source.span,
                                format!("{} cannot start a state machine", a(&kind)),
                            )
                            .label(format!("`{}` is {}", source.text, a(&kind)))
                            .help("a schedule or a bus (an EventBridge rule) starts a state machine; to start it from anything else, give the work to a function that says `start` on it"),
                        );
                    }
                }
                other => self.misplaced(other, "state_machine"),
            }
        }
        machine
    }
}
