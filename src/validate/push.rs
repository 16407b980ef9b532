//! Push-source rules: HTTP API timeouts, overlapping S3 notifications,
//! schedule expressions (AWS-RULES.md §3, §7).

use super::span_of;
use crate::diagnostic::{Code, Diagnostic, Edit};
use crate::model::{Attrs, Model, Resource, ResourceId, Trigger, Val};
use crate::source::Span;
use crate::stdlib::defaults;
use std::collections::HashMap;

/// An HTTP API integration times out after 30 s, a REST API's after 29 s,
/// whatever the function's timeout.
pub fn api_timeout(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    let Some(timeout) = defaults::TIMEOUT.int(function) else { return };
    let apis = body.triggers.iter().filter(|t| model.resource(t.source).kind == "api");
    let waits =
        |t: &&Trigger| if model.resource(t.source).is_rest_api() { (29, "a REST API") } else { (30, "an HTTP API") };
    if let Some((trigger, (limit, api))) =
        apis.map(|t| (t, waits(&t))).filter(|(_, (limit, _))| timeout > *limit).min_by_key(|(_, (limit, _))| *limit)
    {
        out.push(
            Diagnostic::new(
                Code::ApiTimeout,
                span_of(function, "timeout"),
                format!("{api} waits at most {limit}s, but `{}` may run {timeout}s", function.name),
            )
            .label("longer than the API waits")
            .secondary(trigger.span, format!("behind {api} here"))
            .help(format!("lower the timeout to {limit}s, or hand long work to a queue and answer at once"))
            .replace_with(span_of(function, "timeout"), format!("{limit}s")),
        );
    }
}

/// A bucket keeps one notification configuration, whole: CloudFormation
/// can set it only on a bucket it creates, and Terraform's would replace
/// every notification an existing bucket has, set by whoever owns it.
pub fn existing_bucket_trigger(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for trigger in &body.triggers {
        let bucket = model.resource(trigger.source);
        let Some(existing) = bucket.existing.as_ref().filter(|_| bucket.kind == "bucket") else { continue };
        out.push(
            Diagnostic::new(
                Code::ExistingBucketTrigger,
                trigger.span,
                format!("the existing bucket `{}` cannot be made to notify `{}`", bucket.name, function.name),
            )
            .label("a notification on a bucket this app does not own")
            .secondary(existing.span, "declared existing here")
            .help(format!(
                "add the notification where `{}` is managed, and let S3 call the function here: \
                 `allow invoke from service \"s3.amazonaws.com\" source \"{}\"`",
                bucket.name, existing.arn
            )),
        );
    }
}

/// The same for a queue subscribed to an existing bucket (`subscribe`):
/// the notification would have to be put on a bucket this app does not own.
pub fn existing_bucket_subscription(model: &Model, queue: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(bucket) = queue.attrs.reference("subscribe").map(|id| model.resource(id)) else { return };
    let Some(existing) = bucket.existing.as_ref().filter(|_| bucket.kind == "bucket") else { return };
    out.push(
        Diagnostic::new(
            Code::ExistingBucketTrigger,
            span_of(queue, "subscribe"),
            format!("the existing bucket `{}` cannot be made to notify `{}`", bucket.name, queue.name),
        )
        .label("a notification on a bucket this app does not own")
        .secondary(existing.span, "declared existing here")
        .help(format!(
            "add the notification where `{}` is managed, with a policy on `{}` that lets `s3.amazonaws.com` \
             send from `{}` alone; remove `subscribe` here",
            bucket.name, queue.name, existing.arn
        )),
    );
}

/// One notification a bucket is asked to send: a function's trigger or a
/// queue's subscription, with its event types and key filter (`events`,
/// `prefix`, `suffix`) and where the app says so.
struct Notification<'m> {
    bucket: ResourceId,
    options: &'m Attrs,
    span: Span,
}

/// Every notification of a bucket the app asks for, in source order.
fn notifications(model: &Model) -> Vec<Notification<'_>> {
    let mut out = Vec::new();
    for resource in &model.resources {
        let is_bucket = |id: ResourceId| model.resource(id).kind == "bucket";
        if let Some(body) = &resource.function {
            let triggers = body.triggers.iter().filter(|t| is_bucket(t.source));
            out.extend(triggers.map(|t| Notification { bucket: t.source, options: &t.options, span: t.span }));
        } else if let Some(bucket) = resource.attrs.reference("subscribe").filter(|id| is_bucket(*id)) {
            let span = span_of(resource, "subscribe");
            out.push(Notification { bucket, options: &resource.attrs, span });
        }
    }
    out
}

/// S3 rejects two notifications of one event type whose prefixes and
/// suffixes overlap, whatever receives them: functions and queues alike.
pub fn s3_overlap(model: &Model, out: &mut Vec<Diagnostic>) {
    let notifications = notifications(model);
    // Only notifications of one bucket can overlap: pair each with the later
    // ones of its bucket, in the order of the all-pairs walk.
    let mut by_bucket: HashMap<ResourceId, Vec<usize>> = HashMap::new();
    for (i, n) in notifications.iter().enumerate() {
        by_bucket.entry(n.bucket).or_default().push(i);
    }
    for (i, a) in notifications.iter().enumerate() {
        let same = &by_bucket[&a.bucket];
        for b in same[same.partition_point(|&j| j <= i)..].iter().map(|&j| &notifications[j]) {
            if events_overlap(a.options, b.options) && filters_overlap(a.options, b.options) {
                out.push(
                    Diagnostic::new(Code::S3Overlap, b.span, format!("two notifications of `{}` overlap", model.resource(a.bucket).name))
                        .label("overlaps the other notification")
                        .secondary(a.span, "the other notification")
                        .help("S3 rejects overlapping configurations: give them prefixes or suffixes that cannot both match, or different event types"),
                );
            }
        }
    }
}

fn strings(options: &Attrs, option: &str) -> Vec<String> {
    match options.value(option) {
        Some(Val::List(items)) => {
            items.iter().filter_map(|v| if let Val::Str(s) = v { Some(s.clone()) } else { None }).collect()
        }
        _ => Vec::new(),
    }
}

fn events_overlap(a: &Attrs, b: &Attrs) -> bool {
    let (a, b) = (strings(a, "events"), strings(b, "events"));
    let matches = |x: &str, y: &str| {
        x == y
            || x.strip_suffix('*').is_some_and(|p| y.starts_with(p))
            || y.strip_suffix('*').is_some_and(|p| x.starts_with(p))
    };
    a.iter().any(|x| b.iter().any(|y| matches(x, y)))
}

fn filters_overlap(a: &Attrs, b: &Attrs) -> bool {
    let (pa, pb) = (a.str("prefix").unwrap_or(""), b.str("prefix").unwrap_or(""));
    let (sa, sb) = (a.str("suffix").unwrap_or(""), b.str("suffix").unwrap_or(""));
    (pa.starts_with(pb) || pb.starts_with(pa)) && (sa.ends_with(sb) || sb.ends_with(sa))
}

/// `rate(N unit)` or a 6-field `cron(...)`.
pub fn schedule_expression(schedule: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(at) = schedule.attrs.str("at") else { return };
    // `at(...)`, one time, is the Scheduler's: `states::one_time` judges it.
    if is_rate(at) || is_cron(at) || at.trim_start().starts_with("at(") {
        return;
    }
    let span = span_of(schedule, "at");
    let d = Diagnostic::new(Code::BadSchedule, span, format!("`{at}` is not a schedule expression"))
        .label("invalid schedule");
    out.push(match mended(at) {
        Some((why, mended)) => d
            .help(format!("{why}: `{mended}`"))
            .fix(format!("Write `{mended}`"), Edit::Replace { span, text: format!("\"{mended}\"") }),
        None => d.help("write `rate(5 minutes)` (1 minute, N minutes, hours or days) or a 6-field `cron(0 3 * * ? *)`"),
    });
}

/// What is wrong with a near miss of a schedule expression, and the
/// expression it likely meant: a rate's unit in the wrong number
/// (`rate(1 minutes)`), a 5-field Unix cron, or a cron without the `?`
/// that one of its two day fields needs.
fn mended(at: &str) -> Option<(&'static str, String)> {
    if let Some(inner) = at.strip_prefix("rate(").and_then(|s| s.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else { return None };
        let n = n.parse::<u32>().ok().filter(|n| *n > 0)?;
        let singular = ["minute", "hour", "day"].into_iter().find(|s| unit.trim_end_matches('s') == *s)?;
        return Some(if n == 1 {
            ("a rate of 1 takes the singular", format!("rate(1 {singular})"))
        } else {
            ("a rate above 1 takes the plural", format!("rate({n} {singular}s)"))
        });
    }
    let inner = at.strip_prefix("cron(").and_then(|s| s.strip_suffix(')'))?;
    let mut fields: Vec<&str> = inner.split_whitespace().collect();
    let why = match fields.len() {
        // Unix cron: minute hour day-of-month month day-of-week. Its days
        // of the week count from 0 = Sunday, EventBridge's from 1 = Sunday:
        // a numbered one is not carried over.
        5 if fields[4].bytes().any(|b| b.is_ascii_digit()) => return None,
        5 => {
            fields.push("*");
            "EventBridge's cron has 6 fields, the year last, and `?` in one of its day fields"
        }
        6 => "one of the day-of-month and day-of-week fields must be `?`",
        _ => return None,
    };
    if fields[2] != "?" && fields[4] != "?" {
        let day = if fields[4] == "*" {
            4
        } else if fields[2] == "*" {
            2
        } else {
            return None;
        };
        fields[day] = "?";
    }
    let mended = format!("cron({})", fields.join(" "));
    is_cron(&mended).then_some((why, mended))
}

fn is_rate(at: &str) -> bool {
    let Some(inner) = at.strip_prefix("rate(").and_then(|s| s.strip_suffix(')')) else { return false };
    let mut parts = inner.split_whitespace();
    let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else { return false };
    let Ok(n) = n.parse::<u32>() else { return false };
    let singular = ["minute", "hour", "day"].contains(&unit);
    let plural = ["minutes", "hours", "days"].contains(&unit);
    n > 0 && ((n == 1 && singular) || (n > 1 && plural))
}

fn is_cron(at: &str) -> bool {
    let Some(inner) = at.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')) else { return false };
    let fields: Vec<&str> = inner.split_whitespace().collect();
    fields.len() == 6
        && fields.iter().all(|f| f.bytes().all(|b| b.is_ascii_alphanumeric() || b",-*/?LW#".contains(&b)))
        && (fields[2] == "?" || fields[4] == "?")
}
