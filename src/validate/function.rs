//! Rules on one function's configuration: runtime, handler, environment,
//! memory, layers and reserved concurrency (AWS-RULES.md §1).

use super::runtimes;
use super::span_of;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Resource, Val};
use crate::source::Span;
use crate::stdlib::defaults;

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

pub fn runtime(function: &Resource, today: Date, out: &mut Vec<Diagnostic>) {
    let Some(runtime) = function.attrs.str("runtime") else { return };
    let span = span_of(function, "runtime");
    let before = out.len();
    runtime_status(runtime, span, today, out);
    // The quick fix: the runtime the help names, where it names one.
    // (Searched only when there is a diagnostic: most runtimes are fine.)
    if let Some(d) = out.get_mut(before) {
        if let Some(id) = runtimes::suggestion(runtime, today) {
            *d = d.clone().replace_with(span, format!("\"{id}\""));
        }
    }
}

fn runtime_status(runtime: &str, span: Span, today: Date, out: &mut Vec<Diagnostic>) {
    let instead = || match runtimes::suggestion(runtime, today) {
        Some(id) => format!("`{id}`"),
        None => runtimes::one_per_family(today).iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", "),
    };
    match runtimes::status(runtime, today) {
        runtimes::Status::Supported => {}
        runtimes::Status::Deprecated { since, create_blocked, update_blocked } => {
            let until = match (create_blocked, update_blocked) {
                ("", "") => String::new(),
                ("", update) => format!("; Lambda refuses new functions on it from {update} at the latest"),
                (create, _) => format!("; Lambda refuses new functions on it from {create}"),
            };
            out.push(
                Diagnostic::new(
                    Code::RuntimeDeprecated,
                    span,
                    format!("`{runtime}` is deprecated since {since}{until}"),
                )
                .label("deprecated runtime")
                .help(format!("move to a supported runtime of the family, such as {}", instead())),
            );
        }
        runtimes::Status::Blocked { since } => {
            let since = since.map(|day| format!(" since {day}")).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Code::RuntimeUnknown,
                    span,
                    format!("Lambda refuses new functions on `{runtime}`{since}"),
                )
                .label("blocked runtime")
                .help(format!("use a supported runtime of the family, such as {}", instead())),
            )
        }
        runtimes::Status::Unknown => out.push(
            Diagnostic::new(Code::RuntimeUnknown, span, format!("`{runtime}` is not a Lambda runtime"))
                .label("unknown runtime")
                .help(match runtimes::suggestion(runtime, today) {
                    Some(id) => format!("use a runtime Lambda has, such as `{id}`"),
                    None => format!("use one of {}", instead()),
                }),
        ),
    }
}

/// Handlers per runtime family (AWS-RULES.md §1a).
pub fn handler(function: &Resource, out: &mut Vec<Diagnostic>) {
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

pub fn environment(function: &Resource, out: &mut Vec<Diagnostic>) {
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

/// New accounts may not run functions above 3008 MB until their quota is raised.
pub fn memory_quota(function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(memory) = defaults::MEMORY.int(function) else { return };
    if memory > 3008 {
        out.push(
            Diagnostic::new(Code::MemoryQuota, span_of(function, "memory"), format!("{memory}MB is above the 3008MB new accounts may use"))
                .label("may exceed the account's quota")
                .help("new accounts run functions up to 3008MB until AWS Support raises the quota; check yours before deploying"),
        );
    }
}

/// At most 5 layers (the app's own and ARNs), each ARN a layer version
/// ARN (AWS-RULES.md §1).
pub fn layers(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(Val::List(layers)) = function.attrs.value("layers") else { return };
    let span = span_of(function, "layers");
    if layers.len() > 5 {
        out.push(
            Diagnostic::new(Code::BadLayers, span, format!("{} layers; a function takes at most 5", layers.len()))
                .label("too many layers")
                .help("merge layers, or move dependencies into the deployment package"),
        );
    }
    for layer in layers {
        // An input is checked through its default, where it has one.
        let (text, at) = match layer {
            Val::Ref(_) => continue,
            Val::Input(id) => match model.input(*id).default_text() {
                Some((arn, at)) => (Val::Str(arn.to_string()), at),
                None => continue,
            },
            other => (other.clone(), span),
        };
        if !matches!(&text, Val::Str(arn) if is_layer_version_arn(arn)) {
            let mut d = Diagnostic::new(Code::BadLayers, at, format!("{} is not a layer version ARN", text.describe()))
                .label("invalid layer")
                .help("write `\"arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION\"`");
            if at != span {
                d = d.secondary(span, "the input's default is one of these layers");
            }
            out.push(d);
        }
    }
}

fn is_layer_version_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.split(':').collect();
    parts.len() == 8
        && parts[0] == "arn"
        && parts[2] == "lambda"
        && parts[5] == "layer"
        && !parts[6].is_empty()
        && !parts[7].is_empty()
        && parts[7].bytes().all(|b| b.is_ascii_digit())
}

/// Reserved concurrency 0 throttles every invocation.
pub fn concurrency_zero(function: &Resource, out: &mut Vec<Diagnostic>) {
    if function.attrs.int("concurrency") == Some(0) {
        out.push(
            Diagnostic::new(
                Code::ConcurrencyZero,
                span_of(function, "concurrency"),
                "reserved concurrency 0 means the function never runs",
            )
            .label("every invocation is throttled")
            .help("remove `concurrency` to use the account's pool, or reserve at least 1"),
        );
    }
}

/// The package path stays inside the app folder: `build` copies it into the
/// output folder at the same path.
pub fn code_path(function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(code) = function.attrs.str("code") else { return };
    let inside =
        !code.starts_with('/') && !code.contains('\\') && !code.split('/').any(|part| part == ".." || part.is_empty());
    let package = code.ends_with(".zip") || code.ends_with(".jar");
    if !inside || !package {
        let problem = if inside { "is not a .zip or .jar package" } else { "leaves the app's folder" };
        out.push(
            Diagnostic::new(Code::BadCodePath, span_of(function, "code"), format!("the code path `{code}` {problem}"))
                .label("invalid code path")
                .help("write a path relative to the app's folder, such as \"build/worker.zip\""),
        );
    }
}

/// Lambda filters logs by level only in the JSON format: a level with the
/// text format (the default) is refused (AWS-RULES.md §1, LoggingConfig).
pub fn log_levels(function: &Resource, out: &mut Vec<Diagnostic>) {
    if function.attrs.str("log_format") == Some("json") {
        return;
    }
    for level in ["log_level", "system_log_level"] {
        let Some(span) = function.attrs.span(level) else { continue };
        let format = function.attrs.str("log_format").unwrap_or("text");
        let d = Diagnostic::new(
            Code::LogLevelWithoutJson,
            span,
            format!("`{level}` of `{}` needs JSON logs, but its log format is {format}", function.name),
        )
        .label("a level with text logs")
        .help("Lambda filters logs by level only in the JSON format: set `log_format = json`, or remove the level");
        out.push(super::set(d, function, "log_format", "json"));
    }
}
