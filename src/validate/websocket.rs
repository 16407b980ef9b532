//! WebSocket APIs: who may connect. A client is authorized once, on the
//! `$connect` route, by IAM or a `request` authorizer; `auth = none` says
//! that anyone may, on purpose.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Resource, Trigger};
use crate::resolve::routes::is_websocket;

/// The `$connect` trigger of a WebSocket API, if a function has one.
pub fn connect_route(model: &Model, api: &Resource) -> Option<Trigger> {
    model
        .functions()
        .flat_map(|(_, body)| &body.triggers)
        .find(|t| t.source == api.id && t.route.as_ref().is_some_and(|r| r.key() == "$connect"))
        .cloned()
}

/// The authorization of a WebSocket API's connections: the `$connect`
/// route's `auth`, else the API's; `None` when neither says.
pub fn connect_auth<'a>(api: &'a Resource, connect: Option<&'a Trigger>) -> Option<&'a str> {
    connect.and_then(|t| t.options.str("auth")).or_else(|| api.attrs.str("auth"))
}

/// LF3057: connections nobody authorizes, unless `auth = none` says so;
/// LF3059: `auth = iam` with no `$connect` route to check it on.
pub fn connections(model: &Model, api: &Resource, out: &mut Vec<Diagnostic>) {
    if !is_websocket(api) {
        return;
    }
    unsupported(model, api, out);
    let connect = connect_route(model, api);
    match (connect_auth(api, connect.as_ref()), &connect) {
        (None, Some(trigger)) => {
            let span = trigger.route.as_ref().map_or(trigger.span, |r| r.span);
            out.push(
                Diagnostic::new(Code::WebSocketOpen, span, "anyone may connect: this `$connect` route checks nothing")
                    .label("no authorization")
                    .secondary(api.name_span, "this WebSocket API")
                    .help("add `{ auth = iam }` to the route to require SigV4-signed connections, or `{ auth = none }` to say it is public"),
            );
        }
        (None, None) => out.push(
            Diagnostic::new(
                Code::WebSocketOpen,
                api.name_span,
                "anyone may connect: this WebSocket API has no `$connect` route to authorize clients",
            )
            .label("no authorization")
            .help("add a function `on API \"$connect\" { auth = iam }`, or set `auth = none` on the API to say it is public"),
        ),
        (Some(auth), None) if auth != "none" => {
            let span = api.attrs.span("auth").unwrap_or(api.name_span);
            let message = format!("`auth = {auth}` has no `$connect` route to check it on");
            out.push(
                Diagnostic::new(Code::AuthWithoutConnect, span, message)
                    .label("nothing checks this")
                    .secondary(api.name_span, "this WebSocket API")
                    .help(format!("add a function `on {} \"$connect\"`", api.name)),
            );
        }
        _ => {}
    }
}

/// LF3060: CORS or route scopes on a WebSocket API (an authorizer's own
/// settings are read in `resolve::auth`).
fn unsupported(model: &Model, api: &Resource, out: &mut Vec<Diagnostic>) {
    let mut report = |span, what: &str| {
        out.push(
            Diagnostic::new(Code::WebSocketUnsupported, span, format!("a WebSocket API takes no {what}"))
                .label("not for a WebSocket API")
                .secondary(api.name_span, "this WebSocket API")
                .help("authorize connections on `$connect`: `auth = iam`, a `request` authorizer, or `auth = none`"),
        )
    };
    if let Some(span) = api.attrs.span("cors") {
        report(span, "CORS");
    }
    let triggers = model.functions().flat_map(|(_, body)| &body.triggers).filter(|t| t.source == api.id);
    for span in triggers.filter_map(|trigger| trigger.options.span("scopes")) {
        report(span, "route scopes");
    }
}
