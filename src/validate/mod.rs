//! The AWS rules a deployment would otherwise discover twenty minutes in
//! (AWS-RULES.md): one function per rule, each with its own code. [H] facts
//! are errors, [R] recommendations warnings.

mod runtimes;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Resource, Val};
use crate::source::Span;

/// Environment variable names Lambda reserves (AWS-RULES.md §1).
const RESERVED_ENV: [&str; 19] = [
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "_AWS_XRAY_DAEMON_ADDRESS",
];

/// Runs every rule on a model without resolution errors.
pub fn validate(model: &Model) -> Vec<Diagnostic> {
    let today = runtimes::today();
    let mut out = Vec::new();
    for resource in &model.resources {
        if resource.function.is_some() {
            runtime(resource, &today, &mut out);
            handler(resource, &mut out);
            environment(resource, &mut out);
            needs_network(model, resource, &mut out);
            queue_triggers(model, resource, &mut out);
            table_triggers(model, resource, &mut out);
            fifo_targets(model, resource, &mut out);
        }
        if resource.kind == "network" {
            network_ids(resource, &mut out);
        }
    }
    out
}

fn span_of(resource: &Resource, attr: &str) -> Span {
    resource.attrs.span(attr).unwrap_or(resource.name_span)
}

fn runtime(function: &Resource, today: &str, out: &mut Vec<Diagnostic>) {
    let Some(runtime) = function.attrs.str("runtime") else { return };
    let span = span_of(function, "runtime");
    match runtimes::status(runtime, today) {
        runtimes::Status::Supported => {}
        runtimes::Status::Deprecated { since, blocked } => {
            let until =
                if blocked.is_empty() { String::new() } else { format!("; updates are blocked from {blocked}") };
            out.push(
                Diagnostic::new(
                    Code::RuntimeDeprecated,
                    span,
                    format!("`{runtime}` is deprecated since {since}{until}"),
                )
                .label("deprecated runtime")
                .help(format!("move to a supported runtime of the family, such as {}", newest_of_family(runtime))),
            );
        }
        runtimes::Status::Blocked => out.push(
            Diagnostic::new(Code::RuntimeUnknown, span, format!("Lambda no longer accepts `{runtime}`"))
                .label("blocked runtime")
                .help(format!("use a supported runtime, such as {}", newest_of_family(runtime))),
        ),
        runtimes::Status::Unknown => out.push(
            Diagnostic::new(Code::RuntimeUnknown, span, format!("`{runtime}` is not a Lambda runtime"))
                .label("unknown runtime")
                .help("use one of python3.13, python3.12, nodejs22.x, java21, dotnet8, ruby3.4, provided.al2023"),
        ),
    }
}

fn newest_of_family(runtime: &str) -> &'static str {
    let family = runtime.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == 'x');
    runtimes::RUNTIMES
        .iter()
        .find(|(id, _, blocked)| id.starts_with(family) && blocked.is_empty())
        .map_or("python3.13", |(id, _, _)| id)
}

/// Handlers per runtime family (AWS-RULES.md §1a).
fn handler(function: &Resource, out: &mut Vec<Diagnostic>) {
    let (Some(runtime), Some(handler)) = (function.attrs.str("runtime"), function.attrs.str("handler")) else { return };
    let (ok, form) = if runtime.starts_with("python") || runtime.starts_with("nodejs") || runtime.starts_with("ruby") {
        (is_file_dot_function(handler), "`file.function`, such as `app.handler`")
    } else if runtime.starts_with("java") {
        (
            !handler.is_empty() && !handler.contains(char::is_whitespace) && handler.contains('.'),
            "`package.Class::method`",
        )
    } else if runtime.starts_with("dotnet") {
        (handler.split("::").count() == 3, "`Assembly::Namespace.Class::Method`")
    } else {
        (!handler.is_empty() && !handler.contains(char::is_whitespace), "a name without spaces")
    };
    if !ok || handler.len() > 128 {
        out.push(
            Diagnostic::new(
                Code::BadHandler,
                span_of(function, "handler"),
                format!("`{handler}` is not a {runtime} handler"),
            )
            .label("invalid handler")
            .help(format!("a {runtime} handler is written {form}")),
        );
    }
}

fn is_file_dot_function(handler: &str) -> bool {
    let Some((file, function)) = handler.rsplit_once('.') else { return false };
    !file.is_empty() && !function.is_empty() && !handler.contains(char::is_whitespace)
}

fn environment(function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(Val::Object(entries)) = function.attrs.value("env") else { return };
    let span = span_of(function, "env");
    let mut size = 0;
    for (key, value) in entries {
        let valid = key.len() >= 2
            && key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid || RESERVED_ENV.contains(&key.as_str()) {
            let why = if valid { "is reserved by Lambda" } else { "is not a valid variable name" };
            out.push(
                Diagnostic::new(Code::BadEnvironment, span, format!("the environment variable `{key}` {why}"))
                    .label("invalid environment")
                    .help("names start with a letter, have at least two characters of letters, digits and `_`, and are not one Lambda sets itself"),
            );
        }
        size += key.len() + if let Val::Str(s) = value { s.len() } else { 64 };
    }
    if size > 4096 {
        out.push(
            Diagnostic::new(
                Code::BadEnvironment,
                span,
                format!("the environment holds about {size} bytes; Lambda allows 4 KB"),
            )
            .label("too large")
            .help("move large values to a parameter or secret and read them at start-up"),
        );
    }
}

/// `mount` and `connect` to a proxy reach into a VPC (AWS-RULES.md §6).
fn needs_network(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    if function.attrs.reference("network").is_some() {
        return;
    }
    let Some(body) = &function.function else { return };
    let mounts = body.mounts.iter().map(|m| (m.span, "mounts a file system"));
    let proxies = body
        .accesses
        .iter()
        .filter(|a| model.resource(a.target).kind == "proxy")
        .map(|a| (a.span, "connects to a database proxy"));
    for (span, what) in mounts.chain(proxies) {
        out.push(
            Diagnostic::new(Code::NeedsNetwork, span, format!("`{}` {what} but has no `network`", function.name))
                .label("needs a VPC")
                .help("attach the function to the VPC: add `network = NAME` with a `network` block"),
        );
    }
}

fn queue_triggers(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    let timeout = function.attrs.int("timeout").unwrap_or(3);
    for trigger in &body.triggers {
        let queue = model.resource(trigger.source);
        if queue.kind != "queue" {
            continue;
        }
        let visibility = queue.attrs.int("visibility_timeout").unwrap_or(30);
        if visibility < timeout {
            out.push(
                Diagnostic::new(
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
                )),
            );
        }
        let batch = trigger.options.int("batch").unwrap_or(10);
        let window = trigger.options.int("window").unwrap_or(0);
        if queue.attrs.bool("fifo") && batch > 10 {
            out.push(
                Diagnostic::new(
                    Code::BatchWindow,
                    trigger.options.span("batch").unwrap_or(trigger.span),
                    "a FIFO queue delivers batches of at most 10",
                )
                .label("batch too large")
                .help("set `batch` to 10 or less"),
            );
        } else if batch > 10 && window < 1 {
            out.push(
                Diagnostic::new(
                    Code::BatchWindow,
                    trigger.options.span("batch").unwrap_or(trigger.span),
                    format!("a queue batch of {batch} needs a batching window"),
                )
                .label("batch above 10")
                .help("add `window = 1s` or more, or lower `batch` to 10"),
            );
        }
    }
}

fn table_triggers(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for trigger in &body.triggers {
        let table = model.resource(trigger.source);
        if table.kind == "table" && table.is_created() && table.attrs.value("stream").is_none() {
            out.push(
                Diagnostic::new(
                    Code::TableWithoutStream,
                    trigger.span,
                    format!("`{}` has no stream to trigger a function", table.name),
                )
                .label("no stream")
                .secondary(table.name_span, "table declared here")
                .help(format!(
                    "add `stream = new_and_old_images` (or keys_only, new_image, old_image) to `{}`",
                    table.name
                )),
            );
        }
    }
}

/// FIFO queues and topics are never destinations or dead-letter targets (AWS-RULES.md §4).
fn fifo_targets(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
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

/// Subnet and security group ids, and their counts (AWS-RULES.md §6).
fn network_ids(network: &Resource, out: &mut Vec<Diagnostic>) {
    for (attr, prefix, max) in [("subnets", "subnet-", 16), ("security_groups", "sg-", 5)] {
        let Some(Val::List(items)) = network.attrs.value(attr) else { continue };
        let span = span_of(network, attr);
        if items.is_empty() || items.len() > max {
            out.push(
                Diagnostic::new(
                    Code::BadNetwork,
                    span,
                    format!("`{attr}` needs 1 to {max} ids, found {}", items.len()),
                )
                .label("wrong count")
                .help(format!("list between 1 and {max} ids")),
            );
        }
        for item in items {
            let ok = matches!(item, Val::Str(s) if is_aws_id(s, prefix));
            if !ok {
                out.push(
                    Diagnostic::new(
                        Code::BadNetwork,
                        span,
                        format!("`{attr}` holds {}, which is not a `{prefix}…` id", item.describe()),
                    )
                    .label("invalid id")
                    .help(format!("write ids such as \"{prefix}0123456789abcdef0\"")),
                );
            }
        }
    }
}

fn is_aws_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|hex| matches!(hex.len(), 8 | 17) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}
