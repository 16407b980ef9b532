//! Event-source and destination rules: SQS visibility and batching, table
//! streams, FIFO targets (AWS-RULES.md §4, §5).

use super::{set, span_of};
use crate::diagnostic::{Code, Diagnostic, Edit};
use crate::model::{Model, Resource, Trigger, Val};
use crate::source::Span;
use crate::stdlib::defaults;

pub fn queue_triggers(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    let Some(timeout) = defaults::TIMEOUT.int(function) else { return };
    for trigger in &body.triggers {
        let queue = model.resource(trigger.source);
        if queue.kind != "queue" {
            continue;
        }
        let Some(visibility) = defaults::VISIBILITY_TIMEOUT.int(queue) else { continue };
        if visibility < timeout {
            let recommended = format!("{}s", 6 * timeout + trigger.options.int("window").unwrap_or(0));
            let d = Diagnostic::new(
                Code::VisibilityTimeout,
                trigger.span,
                format!(
                    "`{}` hides a message for {visibility}s, less than `{}`'s timeout of {timeout}s",
                    queue.name, function.name
                ),
            )
            .label("the mapping would be refused")
            .secondary(span_of(queue, "visibility_timeout"), "visibility timeout set here")
            .help(format!(
                "set `visibility_timeout` on `{}` to at least {}s (AWS recommends 6 × the timeout)",
                queue.name, timeout
            ));
            out.push(set(d, queue, "visibility_timeout", &recommended));
        }
        batching(queue, trigger, out);
    }
}

/// A queue mapping's batch: at most 10 from a FIFO queue, which takes no
/// window, and a window for more than 10 from a standard one (LF3007).
fn batching(queue: &Resource, trigger: &Trigger, out: &mut Vec<Diagnostic>) {
    let batch = trigger.options.int("batch").unwrap_or(10);
    let window = trigger.options.int("window").unwrap_or(0);
    let batch_span = trigger.options.span("batch").unwrap_or(trigger.span);
    if queue.attrs.bool("fifo") && window > 0 {
        let window_span = trigger.options.span("window").unwrap_or(trigger.span);
        out.push(
            Diagnostic::new(Code::BatchWindow, window_span, "a FIFO queue takes no batching window")
                .label("window on a FIFO queue")
                .secondary(queue.name_span, format!("`{}` is a FIFO queue", queue.name))
                .help(
                    "remove `window`: Lambda reads a FIFO queue's messages in order as they arrive, 10 at most a batch",
                ),
        );
    }
    if queue.attrs.bool("fifo") && batch > 10 {
        out.push(
            Diagnostic::new(Code::BatchWindow, batch_span, "a FIFO queue delivers batches of at most 10")
                .label("batch too large")
                .help("set `batch` to 10 or less")
                .fix("Set `batch = 10`", Edit::Replace { span: batch_span, text: "10".into() }),
        );
    } else if batch > 10 && window < 1 {
        let mut d =
            Diagnostic::new(Code::BatchWindow, batch_span, format!("a queue batch of {batch} needs a batching window"))
                .label("batch above 10")
                .help("add `window = 1s` or more, or lower `batch` to 10");
        if trigger.options.span("batch").is_some() {
            // The window joins the options right after the batch.
            let with_window = format!("{batch}, window = 1s");
            d = d
                .fix("Add `window = 1s`", Edit::Replace { span: batch_span, text: with_window })
                .fix("Set `batch = 10`", Edit::Replace { span: batch_span, text: "10".into() });
        }
        out.push(d);
    }
}

pub fn table_triggers(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for trigger in &body.triggers {
        let table = model.resource(trigger.source);
        if let (true, Some(existing)) = (table.kind == "table", &table.existing) {
            if existing.stream_arn.is_none() {
                let label = "triggered by a stream whose ARN is not given";
                out.push(crate::resolve::existing::stream_not_given(&table.name, existing, trigger.span, label));
            }
            continue;
        }
        if table.kind == "table" && table.is_created() && table.attrs.value("stream").is_none() {
            let d = Diagnostic::new(
                Code::TableWithoutStream,
                trigger.span,
                format!("`{}` has no stream to trigger a function", table.name),
            )
            .label("no stream")
            .secondary(table.name_span, "table declared here")
            .help(format!(
                "add `stream = new_and_old_images` (or keys_only, new_image, old_image) to `{}`",
                table.name
            ));
            out.push(set(d, table, "stream", "new_and_old_images"));
        }
    }
}

/// A stream trigger that sends failing records on (`on_failure`) or splits
/// its batches (`bisect`) but bounds neither retries nor age: Lambda
/// retries a failing batch until its records expire, the shard held back
/// meanwhile (AWS-RULES.md §5: both default to -1, unlimited).
pub fn unbounded_retries(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for trigger in &body.triggers {
        let source = model.resource(trigger.source);
        let options = &trigger.options;
        let handles_failures = ["on_failure", "bisect"].into_iter().find(|o| match options.value(o) {
            Some(Val::Bool(on)) => *on,
            value => value.is_some(),
        });
        let Some(option) = handles_failures else { continue };
        if !matches!(source.kind.as_str(), "table" | "stream") || options.value("retries").is_some() {
            continue;
        }
        if options.value("max_age").is_some() {
            continue;
        }
        let span = options.span(option).unwrap_or(trigger.span);
        let mut d = Diagnostic::new(
            Code::UnboundedStreamRetries,
            span,
            format!("a failing batch from `{}` is retried until its records expire", source.name),
        )
        .label(format!("`{option}` waits for unlimited retries"))
        .help("bound the retries, for example `retries = 3`, or the age, `max_age = 1h`");
        // The option's value as written, the bound after it.
        let written = match options.value(option) {
            Some(Val::Ref(target)) => Some(model.resource(*target).name.as_str()),
            Some(Val::Bool(true)) => Some("true"),
            _ => None,
        };
        if let (Some(written), Some(span)) = (written, options.span(option)) {
            d = d.fix("Add `retries = 3`", Edit::Replace { span, text: format!("{written}, retries = 3") });
        }
        out.push(d);
    }
}

/// FIFO queues and topics are never destinations or dead-letter targets (AWS-RULES.md §4).
pub fn fifo_targets(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    let mut targets: Vec<(Span, crate::model::ResourceId)> = Vec::new();
    if let Some(id) = function.attrs.reference("dead_letter") {
        targets.push((span_of(function, "dead_letter"), id));
    }
    if let Some(config) = &body.async_config {
        for name in ["on_success", "on_failure"] {
            if let Some(id) = config.attrs.reference(name) {
                targets.push((config.attrs.span(name).unwrap_or(config.span), id));
            }
        }
    }
    for trigger in &body.triggers {
        if let Some(id) = trigger.options.reference("on_failure") {
            targets.push((trigger.options.span("on_failure").unwrap_or(trigger.span), id));
        }
    }
    for (span, id) in targets {
        let target = model.resource(id);
        if target.attrs.bool("fifo") {
            out.push(
                Diagnostic::new(
                    Code::FifoTarget,
                    span,
                    format!("`{}` is a FIFO {}, which Lambda cannot deliver to", target.name, target.kind),
                )
                .label("FIFO target")
                .secondary(span_of(target, "fifo"), "made FIFO here")
                .help(format!("use a standard {} for failed events", target.kind)),
            );
        }
    }
}

/// AWS recommends a visibility timeout of 6 × the function timeout plus the
/// batching window, so retries do not see messages still being processed.
pub fn visibility_recommendation(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    let Some(timeout) = defaults::TIMEOUT.int(function) else { return };
    for trigger in &body.triggers {
        let queue = model.resource(trigger.source);
        if queue.kind != "queue" || !queue.is_created() {
            continue;
        }
        let Some(visibility) = defaults::VISIBILITY_TIMEOUT.int(queue) else { continue };
        let wanted = 6 * timeout + trigger.options.int("window").unwrap_or(0);
        if visibility >= timeout && visibility < wanted {
            let d = Diagnostic::new(
                Code::VisibilityBelowRecommended,
                trigger.span,
                format!(
                    "`{}` hides a message for {visibility}s; AWS recommends {wanted}s for this consumer",
                    queue.name
                ),
            )
            .label("retries may overlap")
            .secondary(span_of(queue, "visibility_timeout"), "visibility timeout set here")
            .help(format!(
                "set `visibility_timeout = {wanted}s` on `{}` (6 × the function timeout plus the window)",
                queue.name
            ));
            out.push(set(d, queue, "visibility_timeout", &format!("{wanted}s")));
        }
    }
}

/// A queue's dead letter queue has its FIFO-ness (AWS-RULES.md §5).
pub fn redrive(model: &Model, queue: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(target) = queue.attrs.reference("dead_letter") else { return };
    let target = model.resource(target);
    if queue.attrs.bool("fifo") != target.attrs.bool("fifo") {
        let (a, b) = if queue.attrs.bool("fifo") { ("FIFO", "standard") } else { ("standard", "FIFO") };
        out.push(
            Diagnostic::new(
                Code::RedriveMismatch,
                span_of(queue, "dead_letter"),
                format!("the {a} queue `{}` cannot redrive into the {b} queue `{}`", queue.name, target.name),
            )
            .label("FIFO-ness differs")
            .secondary(target.name_span, format!("`{}` declared here", target.name))
            .help("a dead letter queue has the same type as its source: make both FIFO or both standard"),
        );
    }
}

/// The settings of a queue's subscription, by the kind of its source:
/// a topic's, a bus's, a bucket's (a bucket trigger's options).
const SUBSCRIPTION_SETTINGS: [(&str, &[&str]); 3] = [
    ("topic", &["raw_delivery", "filter", "filter_scope"]),
    ("bus", &["pattern"]),
    ("bucket", &["events", "prefix", "suffix"]),
];

/// The settings of a queue's subscription belong to its source: a topic's
/// (`raw_delivery`, `filter`, `filter_scope`), a bus's (`pattern`) or a
/// bucket's (`events`, `prefix`, `suffix`); a bus and a bucket send to
/// standard queues only here (LF3093).
pub fn subscription_settings(model: &Model, queue: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(source) = queue.attrs.reference("subscribe") else { return };
    let source = model.resource(source);
    for (kind, settings) in SUBSCRIPTION_SETTINGS.iter().filter(|(kind, _)| *kind != source.kind) {
        for setting in settings.iter() {
            let Some(span) = queue.attrs.span(setting) else { continue };
            out.push(
                Diagnostic::new(
                    Code::SubscriptionSettingForOtherSource,
                    span,
                    format!(
                        "`{setting}` is a {kind}'s setting, but `{}` subscribes to the {} `{}`",
                        queue.name, source.kind, source.name
                    ),
                )
                .label(format!("not for {}", crate::resolve::a(&source.kind)))
                .secondary(
                    span_of(queue, "subscribe"),
                    format!("`{}` is {}", source.name, crate::resolve::a(&source.kind)),
                )
                .help(chosen_with(&source.kind, setting)),
            );
        }
    }
    if queue.attrs.bool("fifo") {
        subscription_to_fifo(source, queue, out);
    }
}

/// How a source's deliveries are chosen, and what to do with `setting`.
fn chosen_with(kind: &str, setting: &str) -> String {
    match kind {
        "bus" => "a bus's events are chosen with `pattern = { ... }`; remove this setting".into(),
        "bucket" => format!(
            "a bucket's notifications are chosen with `events`, `prefix` and `suffix`, as a bucket trigger's; remove `{setting}`"
        ),
        _ => format!("a topic's messages are chosen with `filter = {{ ... }}`; remove `{setting}`"),
    }
}

/// A bus or a bucket subscribed to by a FIFO queue: neither can deliver
/// to it here (a topic's case is LF3047).
fn subscription_to_fifo(source: &Resource, queue: &Resource, out: &mut Vec<Diagnostic>) {
    let why = match source.kind.as_str() {
        "bus" => "EventBridge sends to a FIFO queue only with a message group id, which Lambdaform does not write",
        "bucket" => "S3 event notifications do not support FIFO queues as destinations",
        _ => return,
    };
    out.push(
        Diagnostic::new(
            Code::SubscriptionSettingForOtherSource,
            span_of(queue, "subscribe"),
            format!("the {} `{}` cannot deliver to the FIFO queue `{}`", source.kind, source.name, queue.name),
        )
        .label(format!("a FIFO queue subscribed to {}", crate::resolve::a(&source.kind)))
        .secondary(span_of(queue, "fifo"), "FIFO here")
        .help(format!("{why}: make the queue standard")),
    );
}

/// SNS delivers a standard topic's messages to standard queues only; a FIFO
/// topic delivers to both (AWS-RULES.md §5).
pub fn subscription_fifo(model: &Model, queue: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(topic) = queue.attrs.reference("subscribe") else { return };
    let topic = model.resource(topic);
    if topic.kind != "topic" {
        return;
    }
    let Some(standard) = standard_topic(model, topic) else { return };
    if !queue.attrs.bool("fifo") {
        return;
    }
    let mut d = Diagnostic::new(
        Code::SubscriptionFifoMismatch,
        span_of(queue, "subscribe"),
        format!("the standard topic `{}` cannot deliver to the FIFO queue `{}`", topic.name, queue.name),
    )
    .label("a FIFO queue subscribed to a standard topic")
    .secondary(topic.name_span, format!("`{}` declared here", topic.name));
    if let Some(default) = standard {
        d = d.secondary(default, "a deployment that gives no ARN gets this standard topic");
    }
    out.push(d.help("SNS delivers to a FIFO queue from a FIFO topic only: make the topic FIFO, or the queue standard"));
}

/// `Some` when the topic is standard, with the input default that makes it
/// so; `None` when it is FIFO or may be. A topic given by an input is
/// judged by the input's default (what a deployment that gives none gets);
/// without one, only the deployment knows, and the rule says nothing.
fn standard_topic(model: &Model, topic: &Resource) -> Option<Option<Span>> {
    let Some(existing) = &topic.existing else { return (!topic.attrs.bool("fifo")).then_some(None) };
    let Some(input) = existing.input else { return (!existing.arn.ends_with(".fifo")).then_some(None) };
    let input = model.input(input);
    match input.default_text() {
        Some((arn, at)) => (!arn.ends_with(".fifo")).then_some(Some(at)),
        None => None,
    }
}

/// Two pollers of one queue split its messages between them.
pub fn shared_consumers(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut first: std::collections::HashMap<crate::model::ResourceId, (Span, &str)> = Default::default();
    for (function, body) in model.functions() {
        for trigger in &body.triggers {
            if model.resource(trigger.source).kind != "queue" {
                continue;
            }
            match first.get(&trigger.source) {
                Some((span, other)) => out.push(
                    Diagnostic::new(
                        Code::SharedQueue,
                        trigger.span,
                        format!(
                            "`{}` and `{other}` both consume `{}`",
                            function.name,
                            model.resource(trigger.source).name
                        ),
                    )
                    .label("second consumer")
                    .secondary(*span, "first consumer")
                    .help("each message goes to one of them only; use a topic to fan out to both"),
                ),
                None => {
                    first.insert(trigger.source, (trigger.span, &function.name));
                }
            }
        }
    }
}

/// Kinesis registers at most this many consumers per data stream (the
/// default quota of enhanced fan-out).
const CONSUMERS_PER_STREAM: usize = 20;

/// A stream with more dedicated consumers (`consumer = dedicated`) than
/// Kinesis registers: each trigger beyond the 20th.
pub fn stream_consumers(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut counts: std::collections::HashMap<crate::model::ResourceId, usize> = Default::default();
    for (function, body) in model.functions() {
        for trigger in body.triggers.iter().filter(|t| t.dedicated()) {
            let count = counts.entry(trigger.source).or_default();
            *count += 1;
            if *count <= CONSUMERS_PER_STREAM {
                continue;
            }
            let stream = model.resource(trigger.source);
            out.push(
                Diagnostic::new(
                    Code::TooManyStreamConsumers,
                    trigger.span,
                    format!(
                        "`{}` would be dedicated consumer number {count} of `{}`, and Kinesis registers at most {CONSUMERS_PER_STREAM} per stream",
                        function.name, stream.name
                    ),
                )
                .label(format!("consumer {count} of at most {CONSUMERS_PER_STREAM}"))
                .secondary(stream.name_span, "the stream")
                .help("remove `consumer = dedicated` from this trigger (it then shares the shards' read throughput), or request a higher quota of consumers per stream from AWS"),
            );
        }
    }
}

/// `async` and `dead_letter` only matter when something invokes the
/// function asynchronously: S3, SNS, EventBridge, another function, a
/// destination, or an `allow`.
pub fn async_unused(model: &Model, function: &Resource, called: &[bool], out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    let pushed = body
        .triggers
        .iter()
        .any(|t| matches!(model.resource(t.source).kind.as_str(), "bucket" | "topic" | "bus" | "schedule"));
    if pushed || called[function.id.0 as usize] || !body.allows.is_empty() {
        return;
    }
    let settings = body.async_config.as_ref().map(|c| c.span).into_iter().chain(function.attrs.span("dead_letter"));
    for span in settings {
        out.push(
            Diagnostic::new(Code::AsyncUnused, span, format!("nothing invokes `{}` asynchronously", function.name))
                .label("never used")
                .help("async settings and dead letters apply to S3, SNS, EventBridge and other asynchronous callers; queue, stream and API triggers use their own failure handling"),
        );
    }
}

/// By resource id: whether some function calls it (a verb on a function is
/// `invoke`) or names it as an async destination. Computed once for all
/// functions rather than by scanning every function for each one.
pub fn called(model: &Model) -> Vec<bool> {
    let mut called = vec![false; model.resources.len()];
    for (_, body) in model.functions() {
        let destinations = body
            .async_config
            .iter()
            .flat_map(|c| ["on_success", "on_failure"].into_iter().filter_map(|n| c.attrs.reference(n)));
        for id in body.accesses.iter().map(|a| a.target).chain(destinations) {
            called[id.0 as usize] = true;
        }
    }
    called
}

/// A function as its own destination invokes itself again on every result.
pub fn self_destination(function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(config) = function.function.as_ref().and_then(|b| b.async_config.as_ref()) else { return };
    for name in ["on_success", "on_failure"] {
        if config.attrs.reference(name) == Some(function.id) {
            out.push(
                Diagnostic::new(
                    Code::SelfDestination,
                    config.attrs.span(name).unwrap_or(config.span),
                    format!("`{}` sends its own results back to itself", function.name),
                )
                .label("destination is the function itself")
                .help("this loops until the event's max_age runs out; send results to a queue or another function"),
            );
        }
    }
}
