//! Function URLs: response streaming only where the runtime streams.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Resource;

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
