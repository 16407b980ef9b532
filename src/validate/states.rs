//! The rules of state machines and EventBridge Scheduler schedules: a time
//! zone is an IANA name, a one-time `at(...)` is a real time not already
//! past on the day checked, `start_sync` needs an Express state machine,
//! `respond` a state machine with a Task that waits for a token, and a
//! state machine's execution data is logged only with `logging`.
//! Facts: the Scheduler API reference (CreateSchedule:
//! ScheduleExpression, ScheduleExpressionTimezone, FlexibleTimeWindow) and
//! the Step Functions API reference (StartSyncExecution).

use super::span_of;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Edit};
use crate::model::{Model, Resource};

/// `timezone` names a zone of the tz database.
pub fn timezone(schedule: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(zone) = schedule.attrs.str("timezone") else { return };
    if zone.parse::<chrono_tz::Tz>().is_ok() {
        return;
    }
    let close = crate::resolve::closest(zone, chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()));
    let help = match close {
        Some(close) => {
            format!("did you mean `{close}`? A time zone is an IANA name such as \"Europe/Paris\" or \"UTC\"")
        }
        None => "write an IANA time zone name such as \"Europe/Paris\", \"America/New_York\" or \"UTC\"".into(),
    };
    out.push(
        Diagnostic::new(Code::BadTimezone, span_of(schedule, "timezone"), format!("`{zone}` is not an IANA time zone"))
            .label("unknown time zone")
            .help(help),
    );
}

/// `at(yyyy-mm-ddThh:mm:ss)`: well formed, and not on a day already past.
pub fn one_time(schedule: &Resource, today: Date, out: &mut Vec<Diagnostic>) {
    let Some(at) = schedule.attrs.str("at") else { return };
    let Some(inner) = at.trim().strip_prefix("at(") else { return };
    let span = span_of(schedule, "at");
    let parsed = inner.strip_suffix(')').and_then(|time| {
        let (day, clock) = time.split_once('T')?;
        let day = Date::parse(day).ok()?;
        let parts: Vec<u8> =
            clock.split(':').map(|p| if p.len() == 2 { p.parse().ok() } else { None }).collect::<Option<_>>()?;
        matches!(parts[..], [h, m, s] if h < 24 && m < 60 && s < 60).then_some(day)
    });
    match parsed {
        None => out.push(
            Diagnostic::new(Code::BadAt, span, format!("`{at}` is not a one-time schedule"))
                .label("invalid at(...)")
                .help("write `at(2027-01-31T09:30:00)`: a date and a time of day, read in `timezone` (UTC by default)"),
        ),
        Some(day) if day < today => out.push(
            Diagnostic::new(Code::AtInPast, span, format!("`{at}` is before today ({today})"))
                .label("already past")
                .help(
                "a one-time schedule runs once, at a time still to come: write a later date, or remove the schedule",
            ),
        ),
        Some(_) => {}
    }
}

/// `start_sync` runs Express state machines only.
pub fn start_sync(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for access in body.accesses.iter().filter(|a| a.verb == "start_sync") {
        let machine = model.resource(access.target);
        if machine.is_created() && machine.attrs.str("type") != Some("express") {
            out.push(
                Diagnostic::new(
                    Code::StartSyncOnStandard,
                    access.span,
                    format!("`{}` is a Standard state machine: only Express ones run synchronously", machine.name),
                )
                .label("StartSyncExecution on a Standard state machine")
                .secondary(machine.name_span, "Standard (the default)")
                .help(format!("set `type = express` on `{}`, or write `start {}`", machine.name, machine.name)),
            );
        }
    }
}

/// `respond` to a state machine none of whose Tasks waits for a token: the
/// grant (on `*`, as AWS gives it) would serve nothing. An existing state
/// machine's definition is not known, so it is not judged.
pub fn respond_without_callback(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for access in body.accesses.iter().filter(|a| a.verb == "respond") {
        let machine = model.resource(access.target);
        let Some(definition) = machine.machine.as_ref().and_then(|m| m.definition.as_ref()) else { continue };
        if definition.tasks.iter().any(|task| task.callback) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::RespondWithoutCallback,
                access.span,
                format!("no Task of `{}` waits for a token, so there is nothing to respond to", machine.name),
            )
            .label("SendTaskSuccess and SendTaskFailure, granted on *")
            .secondary(machine.name_span, "none of its Tasks waits for a token")
            .help(format!(
                "end a Task's `Resource` in `.waitForTaskToken` (`arn:aws:states:::sqs:sendMessage.waitForTaskToken`) and pass it `$$.Task.Token`, or remove `respond {}`",
                machine.name
            )),
        );
    }
}

/// `log_execution_data = true` with `logging = off`: nothing is logged, so
/// the setting would be ignored.
pub fn execution_data(machine: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(span) = machine.attrs.span("log_execution_data") else { return };
    if !machine.attrs.bool("log_execution_data") || machine.attrs.str("logging").is_some_and(|l| l != "off") {
        return;
    }
    let mut d = Diagnostic::new(
        Code::ExecutionDataWithoutLogging,
        span,
        "execution data is logged only when the state machine logs: `logging` is off",
    )
    .label("nothing is logged")
    .help("set `logging = all` (or `error`, `fatal`), or remove `log_execution_data`");
    d = match machine.attrs.span("logging") {
        Some(logging) => d.secondary(logging, "logging is off here").replace_with(logging, "all"),
        None => d
            .secondary(machine.name_span, "this state machine logs nothing")
            .fix("Add `logging = all`", Edit::AddStatement { block: machine.span, statement: "logging = all".into() }),
    };
    out.push(d);
}
