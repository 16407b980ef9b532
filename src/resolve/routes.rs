//! Routes against their API's type, once every API is read: an HTTP API
//! takes `"METHOD /path"` and `"$default"`, a WebSocket API `$connect`,
//! `$disconnect`, `$default` and message route keys. Also the settings
//! only a WebSocket API has (`route_selection`, `manage`), and the `auth`
//! of a WebSocket route, which only `$connect` takes.
//! A route that does not fit is reported and its trigger dropped.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Resource, ResourceId, Route, Trigger};
use crate::source::Span;

const METHODS: [&str; 8] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

/// The WebSocket route keys API Gateway gives a meaning.
pub const WEBSOCKET_KEYS: [&str; 3] = ["$connect", "$disconnect", "$default"];

/// The one stage of a WebSocket API (HTTP APIs have `$default`): in its
/// endpoint (`wss://…/live`), its callback URL, the invoke permissions'
/// `SourceArn`s and the `manage` grant (stdlib/builtin.lf spells it too).
pub const WEBSOCKET_STAGE: &str = "live";

/// The stage in the `SourceArn` of a route's invoke permission: any stage
/// (`*`) for an HTTP API, as AWS advises; a WebSocket API's one stage.
pub fn permission_stage(api: &Resource) -> &'static str {
    if is_websocket(api) {
        WEBSOCKET_STAGE
    } else {
        "*"
    }
}

/// Whether the resource is an API with `type = websocket`.
pub fn is_websocket(resource: &Resource) -> bool {
    resource.kind == "api" && resource.api_type() == crate::model::api::ApiType::WebSocket
}

/// Checks every api trigger's route and the WebSocket-only settings;
/// drops the triggers whose route does not fit.
pub fn check(resources: &mut [Resource], callback_reads: &[(ResourceId, Span)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (api, span) in callback_reads {
        let api = &resources[api.0 as usize];
        if !is_websocket(api) {
            out.push(websocket_only(*span, "`callback_url` is a WebSocket API's address", &api.name));
        }
    }
    for api in resources.iter().filter(|r| r.kind == "api" && !is_websocket(r)) {
        if let Some(span) = api.attrs.span("route_selection") {
            out.push(websocket_only(span, "`route_selection` is a WebSocket API's setting", &api.name));
        }
    }
    let websocket: Vec<bool> = resources.iter().map(is_websocket).collect();
    let is_api: Vec<bool> = resources.iter().map(|r| r.kind == "api").collect();
    for function in resources.iter_mut().filter_map(|r| r.function.as_mut()) {
        function.triggers.retain(|trigger| {
            let Some(route) = &trigger.route else { return true };
            if !is_api[trigger.source.0 as usize] {
                return true;
            }
            let problems =
                if websocket[trigger.source.0 as usize] { websocket_route(trigger, route) } else { http_route(route) };
            let keep = problems.is_empty();
            out.extend(problems);
            keep
        });
        for access in &function.accesses {
            if access.verb == "manage" && is_api[access.target.0 as usize] && !websocket[access.target.0 as usize] {
                out.push(
                    Diagnostic::new(
                        Code::ManageNotWebSocket,
                        access.span,
                        "`manage` sends to a WebSocket API's connections, and this API is an HTTP API",
                    )
                    .label("not a WebSocket API")
                    .help("set `type = websocket` on the API, or remove the statement"),
                );
            }
        }
    }
    out
}

fn websocket_only(span: Span, message: &str, api: &str) -> Diagnostic {
    Diagnostic::new(Code::WebSocketOnly, span, message.to_string())
        .label("on an HTTP API")
        .help(format!("set `type = websocket` on `{api}`, or remove the setting"))
}

/// A WebSocket route: a known `$` key or a message route key, never
/// `"METHOD /path"`; `auth` on `$connect` only.
fn websocket_route(trigger: &Trigger, route: &Route) -> Vec<Diagnostic> {
    let key = route.key();
    if METHODS.contains(&route.method.as_str()) && route.path.starts_with('/') {
        return vec![Diagnostic::new(
            Code::RouteForOtherApiType,
            route.span,
            format!("`{key}` is an HTTP route, and this API is a WebSocket API"),
        )
        .label("HTTP route on a WebSocket API")
        .help("a WebSocket API routes messages by route key: `\"$connect\"`, `\"$disconnect\"`, `\"$default\"` or a key such as `\"sendMessage\"`")];
    }
    if !WEBSOCKET_KEYS.contains(&key.as_str()) && !is_message_key(&key) {
        let problem = if key.starts_with('$') {
            format!("`{key}` is not a route key API Gateway knows")
        } else {
            format!("`{key}` is not a valid route key")
        };
        return vec![Diagnostic::new(Code::BadWebSocketRoute, route.span, problem)
            .label("invalid route key")
            .help("write `\"$connect\"`, `\"$disconnect\"`, `\"$default\"`, or a key of 1 to 128 letters, digits and `_ - . :` such as `\"sendMessage\"`")];
    }
    match trigger.options.span("auth") {
        Some(span) if key != "$connect" => vec![Diagnostic::new(
            Code::RouteAuthNotConnect,
            span,
            format!("only the `$connect` route takes `auth`, not `{key}`"),
        )
        .label("authorization on a message route")
        .secondary(route.span, "this route")
        .help("a client is authorized once, when it connects: move `auth` to the `$connect` route or the API")],
        _ => Vec::new(),
    }
}

/// A message route key: what the route selection expression may yield.
fn is_message_key(key: &str) -> bool {
    (1..=128).contains(&key.len())
        && !key.starts_with('$')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
}

/// An HTTP route: `"METHOD /path"` or `"$default"`.
fn http_route(route: &Route) -> Vec<Diagnostic> {
    let key = route.key();
    let mut out = Vec::new();
    if key == "$connect" || key == "$disconnect" {
        out.push(
            Diagnostic::new(
                Code::RouteForOtherApiType,
                route.span,
                format!("`{key}` is a WebSocket route, and this API is an HTTP API"),
            )
            .label("WebSocket route on an HTTP API")
            .help("set `type = websocket` on the API, or write a route `\"METHOD /path\"`"),
        );
    } else if key != "$default" {
        // A route without a space is a method without its path.
        let (method, path) = match route.method.as_str() {
            "" => (route.path.as_str(), ""),
            method => (method, route.path.as_str()),
        };
        let path_ok = path.starts_with('/') && !path.contains(char::is_whitespace) && path.len() < 512;
        if !METHODS.contains(&method) || !path_ok {
            let problem = if !METHODS.contains(&method) {
                format!("`{method}` is not an HTTP method")
            } else {
                "the path must start with `/` and contain no spaces".into()
            };
            let d =
                Diagnostic::new(Code::BadRoute, route.span, format!("invalid route: {problem}")).label("invalid route");
            out.push(route_help(d, method, path, route.span));
        }
    }
    out
}

/// The help for an HTTP route that is not `"METHOD /path"`: a method in
/// lower case (`"post /orders"`, as SAM's `Method: post`) is offered in
/// upper case, and a path alone (`"/orders"`) is told to start with its
/// method.
fn route_help(d: Diagnostic, method: &str, path: &str, span: Span) -> Diagnostic {
    let upper = method.to_ascii_uppercase();
    if METHODS.contains(&upper.as_str()) && path.starts_with('/') && !path.contains(['"', '\\']) {
        let route = format!("\"{upper} {path}\"");
        return d.help(format!("methods are written in upper case: `{route}`")).replace_with(span, route);
    }
    if method.starts_with('/') && path.is_empty() {
        return d.help(format!(
            "a route starts with its method: `\"GET {method}\"`, or `\"ANY {method}\"` for every method"
        ));
    }
    d.help(format!("write `\"METHOD /path\"` with METHOD one of {}, or `\"$default\"`", METHODS.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::{is_message_key, WEBSOCKET_STAGE};

    /// The `manage` grant (stdlib/builtin.lf) names the stage deploy makes.
    #[test]
    fn the_manage_grant_names_the_websocket_stage() {
        let mut sources = crate::source::Sources::default();
        let (kinds, _) = crate::stdlib::load(&mut sources);
        let api = kinds.get("api").expect("the api kind");
        let connections = api.arn_form("connections").expect("the connections form");
        assert!(connections.ends_with(&format!("/{WEBSOCKET_STAGE}/POST/@connections/*")), "{connections}");
    }

    #[test]
    fn message_keys() {
        assert!(is_message_key("sendMessage"));
        assert!(is_message_key("chat.v1:send-now_2"));
        assert!(!is_message_key("$join"));
        assert!(!is_message_key("send message"));
        assert!(!is_message_key(""));
        assert!(!is_message_key(&"k".repeat(129)));
    }
}
