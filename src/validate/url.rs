//! Function URLs: response streaming only where the runtime streams; no
//! URL or WebSocket route on a function with an alias (not wired yet).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Resource};
use crate::resolve::routes::is_websocket;

/// Lambda streams responses from Node.js managed runtimes and from the
/// OS-only runtimes (a custom runtime or web adapter writes the stream);
/// the other managed runtimes cannot
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html).
pub fn streams(runtime: &str) -> bool {
    runtime.starts_with("nodejs") || runtime.starts_with("provided")
}

/// `invoke_mode = stream` on a runtime that cannot stream. A function
/// with layers may run the Lambda Web Adapter, which streams on any
/// runtime: it is left alone.
pub fn stream_runtime(function: &Resource, out: &mut Vec<Diagnostic>) {
    let (Some(url), Some(runtime)) = (function.function_url(), function.attrs.str("runtime")) else { return };
    if url.invoke_mode != "stream" || streams(runtime) || function.attrs.value("layers").is_some() {
        return;
    }
    let mut d = Diagnostic::new(
        Code::StreamRuntime,
        url.span,
        format!("`{runtime}` cannot stream responses, and this URL's `invoke_mode` is `stream`"),
    )
    .label("response streaming on a runtime that cannot stream")
    .help("use `invoke_mode = buffered`, a Node.js runtime (`nodejs22.x`), an OS-only one (`provided.al2023`), or the Lambda Web Adapter as a layer");
    if let Some(span) = function.attrs.span("runtime") {
        d = d.secondary(span, "the runtime");
    }
    out.push(d);
}

/// LF3061: a URL or a WebSocket route on a function with an `alias`,
/// which deploy::function_url and deploy::websocket do not target yet.
pub fn front_door_alias(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(alias) = function.attrs.span("alias") else { return };
    let routes = function.function.iter().flat_map(|f| &f.triggers).filter_map(|t| {
        t.route.as_ref().filter(|_| is_websocket(model.resource(t.source))).map(|r| (r.span, "a WebSocket route"))
    });
    let url = function.function_url().map(|u| (u.span, "a function URL"));
    for (span, what) in url.into_iter().chain(routes) {
        out.push(
            Diagnostic::new(Code::FrontDoorAlias, span, format!("{what} cannot serve a function with an alias yet"))
                .label("would invoke the function, not its alias")
                .secondary(alias, "the alias")
                .help("remove the alias, or serve this from a function without one"),
        );
    }
}
