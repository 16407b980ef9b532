//! The shape of an Amazon States Language definition, checked where Step
//! Functions would refuse it at deployment: `StartAt` names a state; every
//! `Next`, `Default`, Choice rule's and Catch's `Next` names a state of the
//! same `States`; each state has a known `Type`; a Task has a `Resource`; a
//! Choice has `Choices`; Parallel branches and Map processors are state
//! machines themselves; every state but Choice, Succeed and Fail goes
//! `Next` or is `End`.

use super::span;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{Object, ObjectProp, Value};
use jsonc_parser::common::Ranged;

const TYPES: [&str; 8] = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

pub fn check(file: FileId, root: &Object) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    machine(file, root, span(file, root.range), &mut out);
    out
}

/// One state machine (the root, a branch, a Map's processor).
fn machine(file: FileId, object: &Object, whole: Span, out: &mut Vec<Diagnostic>) {
    let Some(states) = object.get("States") else {
        out.push(error(
            whole,
            "this state machine has no `States`",
            "add `\"States\": { ... }` with at least one state",
        ));
        return;
    };
    let Value::Object(states) = &states.value else {
        out.push(error(
            span(file, states.value.range()),
            "`States` is not an object",
            "write `\"States\": { \"Name\": { \"Type\": ... } }`",
        ));
        return;
    };
    let names: Vec<&str> = states.properties.iter().map(|p| p.name.as_str()).collect();
    match object.get("StartAt") {
        None => {
            out.push(error(whole, "this state machine has no `StartAt`", "add `\"StartAt\"` naming its first state"))
        }
        Some(start) => target(file, start, &names, "StartAt", out),
    }
    if states.properties.is_empty() {
        out.push(error(span(file, states.range), "`States` is empty", "a state machine has at least one state"));
    }
    for state in &states.properties {
        one_state(file, state, &names, out);
    }
}

fn one_state(file: FileId, state: &ObjectProp, names: &[&str], out: &mut Vec<Diagnostic>) {
    let at = span(file, state.range);
    let Value::Object(body) = &state.value else {
        out.push(error(
            at,
            format!("the state `{}` is not an object", state.name.as_str()),
            "write the state as `{ \"Type\": ..., ... }`",
        ));
        return;
    };
    let ty = match body.get("Type").map(|t| &t.value) {
        Some(Value::StringLit(ty)) if TYPES.contains(&ty.value.as_ref()) => ty.value.as_ref(),
        Some(other) => {
            out.push(error(
                span(file, other.range()),
                format!("the state `{}` has an unknown `Type`", state.name.as_str()),
                format!("`Type` is one of {}", TYPES.join(", ")),
            ));
            return;
        }
        None => {
            out.push(error(
                at,
                format!("the state `{}` has no `Type`", state.name.as_str()),
                format!("add `\"Type\"`: one of {}", TYPES.join(", ")),
            ));
            return;
        }
    };
    for key in ["Next", "Default"] {
        if let Some(next) = body.get(key) {
            target(file, next, names, key, out);
        }
    }
    for list in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = body.get(list).map(|p| &p.value) {
            for item in &items.elements {
                match item.as_object().and_then(|o| o.get("Next")) {
                    Some(next) => target(file, next, names, "Next", out),
                    None => out.push(error(
                        span(file, item.range()),
                        format!("a rule of `{list}` has no `Next`"),
                        "each rule is an object that says where to go: `{ ..., \"Next\": \"State\" }`",
                    )),
                }
            }
        }
    }
    match ty {
        "Task" if body.get("Resource").is_some_and(|r| r.value.as_string_lit().is_none()) => {
            out.push(error(
                at,
                format!("the Task `{}` has a `Resource` that is not a string", state.name.as_str()),
                "write the Resource as a string: `\"${name}\"` or `\"arn:aws:states:::…\"`",
            ));
        }
        "Task" if body.get("Resource").is_none() => {
            out.push(error(at, format!("the Task `{}` has no `Resource`", state.name.as_str()), "add `\"Resource\"`: a function (`\"${name}\"`) or an integration (`\"arn:aws:states:::dynamodb:putItem\"`)"));
        }
        "Choice" if !matches!(body.get("Choices").map(|c| &c.value), Some(Value::Array(a)) if !a.elements.is_empty()) =>
        {
            out.push(error(
                at,
                format!("the Choice `{}` has no `Choices`", state.name.as_str()),
                "add `\"Choices\": [ { ..., \"Next\": \"State\" } ]`",
            ));
        }
        "Parallel" => match body.get("Branches").map(|b| &b.value) {
            Some(Value::Array(branches)) if !branches.elements.is_empty() => {
                for branch in &branches.elements {
                    match branch {
                        Value::Object(o) => machine(file, o, span(file, o.range), out),
                        other => out.push(error(
                            span(file, other.range()),
                            "a branch is not a state machine object",
                            "write each branch as `{ \"StartAt\": ..., \"States\": { ... } }`",
                        )),
                    }
                }
            }
            _ => out.push(error(
                at,
                format!("the Parallel `{}` has no `Branches`", state.name.as_str()),
                "add `\"Branches\": [ { \"StartAt\": ..., \"States\": { ... } } ]`",
            )),
        },
        "Map" => match body.get("ItemProcessor").or_else(|| body.get("Iterator")).map(|p| &p.value) {
            Some(Value::Object(o)) => machine(file, o, span(file, o.range), out),
            _ => out.push(error(
                at,
                format!("the Map `{}` has no `ItemProcessor`", state.name.as_str()),
                "add `\"ItemProcessor\": { \"StartAt\": ..., \"States\": { ... } }`",
            )),
        },
        _ => {}
    }
    let terminal = matches!(ty, "Choice" | "Succeed" | "Fail");
    let ends = matches!(body.get("End").map(|e| &e.value), Some(Value::BooleanLit(b)) if b.value);
    if !terminal && body.get("Next").is_none() && !ends {
        out.push(error(
            at,
            format!("the state `{}` neither goes `Next` nor is `End`", state.name.as_str()),
            "add `\"Next\": \"State\"`, or `\"End\": true` if the execution stops here",
        ));
    }
}

/// A `Next`/`Default`/`StartAt` value: a string naming a state.
fn target(file: FileId, prop: &ObjectProp, names: &[&str], key: &str, out: &mut Vec<Diagnostic>) {
    let at = span(file, prop.value.range());
    match &prop.value {
        Value::StringLit(name) if names.contains(&name.value.as_ref()) => {}
        Value::StringLit(name) => {
            let close = crate::resolve::closest(&name.value, names.iter().copied());
            let help = match close {
                Some(close) => format!("did you mean `{close}`? The states here are {}", list(names)),
                None => format!("the states here are {}", list(names)),
            };
            out.push(error(at, format!("`{key}` names `{}`, which is not a state of this `States`", name.value), help));
        }
        _ => out.push(error(at, format!("`{key}` is not a string"), "name a state: `\"Next\": \"Charge\"`")),
    }
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

fn error(span: Span, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::BadDefinition, span, message).label("invalid state machine").help(help)
}
