//! The access part of an API block: `authorizer NAME { ... }` blocks (their
//! attributes checked against the `api` kind's `authorizer` block, `issuer`
//! read here since it is a user pool or a URL), the API's `auth` and its
//! `cors` object; then, once every resource is read, each route's `auth`
//! checked against the authorizers of its API.

use super::{closest, Scope, Wanted};
use crate::ast::{Body, Entry, Ident, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::api::ApiType;
use crate::model::{
    route_choice, ApiAccess, Attrs, Auth, AuthChoice, Authorizer, AuthorizerType, Cors, Issuer, Resource, Val,
};
use crate::source::Span;
use crate::stdlib::quoted;

/// The words `auth` takes besides an authorizer's name.
const AUTH_WORDS: [&str; 2] = ["none", "iam"];

/// The CORS fields, as the HTTP API's CorsConfiguration has them.
const CORS_FIELDS: [&str; 6] = ["origins", "methods", "headers", "expose", "credentials", "max_age"];

const CORS_METHODS: [&str; 8] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"];

/// API Gateway caches a preflight answer for at most a day.
const CORS_MAX_AGE: i64 = 86_400;

/// Where an HTTP API reads a request authorizer's identity.
const IDENTITY_PREFIXES: [&str; 4] = ["$request.header.", "$request.querystring.", "$context.", "$stageVariables."];

/// Where a WebSocket API reads it, on `$connect` (API Gateway's WebSocket
/// identity sources, without the HTTP API's `$`).
const WEBSOCKET_IDENTITY_PREFIXES: [&str; 4] =
    ["route.request.header.", "route.request.querystring.", "context.", "stageVariables."];

/// An identity source written as the other API type writes it, as this one
/// does: `$request.header.X` in a WebSocket API is `route.request.header.X`,
/// and the other way round.
fn other_api_types_source(source: &str, api_type: ApiType) -> Option<String> {
    match api_type {
        ApiType::WebSocket => source.strip_prefix('$').map(|rest| rest.replacen("request.", "route.request.", 1)),
        ApiType::Http | ApiType::Rest => source.strip_prefix("route.").map(|rest| format!("${rest}")),
    }
    .filter(|meant| is_identity_source(meant, api_type))
}

/// Whether `source` is a prefix of `api_type`'s identity sources and a name.
fn is_identity_source(source: &str, api_type: ApiType) -> bool {
    identity_prefixes(api_type).iter().any(|p| source.len() > p.len() && source.starts_with(p))
}

/// Where an API of `api_type` reads a request authorizer's identity.
fn identity_prefixes(api_type: ApiType) -> [&'static str; 4] {
    match api_type {
        ApiType::WebSocket => WEBSOCKET_IDENTITY_PREFIXES,
        ApiType::Http | ApiType::Rest => IDENTITY_PREFIXES,
    }
}

impl Scope<'_> {
    /// The authorizers, `auth` and `cors` of an API block whose plain
    /// attributes are `attrs`.
    pub(super) fn api_access(&mut self, attrs: &Attrs, body: &Body) -> ApiAccess {
        let mut access = ApiAccess::default();
        let api_type = ApiType::of(attrs);
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } if name.text == "cors" => {
                    if let ValueKind::Object(entries) = &value.kind {
                        let cors = self.cors(entries, value.span);
                        if api_type == ApiType::Rest {
                            self.rest_cors_origin(&cors, entries);
                        }
                        access.cors = Some(cors);
                    }
                }
                Statement::Assignment { .. } => {}
                Statement::Nested { kind, name, body } if kind.text == "authorizer" => {
                    self.authorizer(&mut access, kind, name.as_ref(), body, api_type);
                }
                // Usage plans are `resolve::api`'s.
                Statement::Nested { kind, .. } if kind.text == "usage_plan" => {}
                other => self.misplaced(other, "api"),
            }
        }
        if let Some(attr) = attrs.get("auth") {
            if let (Val::Word(word), Some(span)) = (&attr.value, attr.span) {
                let choice = AuthChoice { auth: Auth::from_word(word), span };
                if let Some(d) = unknown_authorizer(&access, &choice, word) {
                    self.diagnostics.push(d);
                } else {
                    access.auth = Some(choice);
                }
            }
        }
        access
    }

    fn authorizer(
        &mut self,
        access: &mut ApiAccess,
        keyword: &Ident,
        name: Option<&Ident>,
        body: &Body,
        api_type: ApiType,
    ) {
        let Some(name) = name else {
            self.diagnostics.push(
                Diagnostic::new(Code::UnnamedAuthorizer, keyword.span, "this authorizer has no name")
                    .label("name missing")
                    .help("write `authorizer NAME { type = jwt ... }`: routes refer to it by its name"),
            );
            return;
        };
        self.check_name(name);
        if let Some(first) = access.authorizer(&name.text).map(|a| a.name_span).or_else(|| access.broken_span(name)) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    name.span,
                    format!("the API has two authorizers named `{}`", name.text),
                )
                .label("declared again here")
                .secondary(first, "first declared here")
                .help("rename one of them"),
            );
            return;
        }
        let span = keyword.span.to(body.span);
        let kinds = self.kinds;
        let Some(def) = kinds.get("api").and_then(|k| k.block("authorizer")) else { return };
        let mut issuer = None;
        let mut pools = None;
        let mut written = Vec::new();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } if name.text == "issuer" => issuer = self.issuer(value),
                Statement::Assignment { name, value } if name.text == "user_pools" => {
                    pools = self.user_pools(name, value);
                }
                Statement::Assignment { name, value } => {
                    if name.text == "identity" {
                        self.identity_sources(value, api_type);
                    }
                    written.push((name, value))
                }
                other => self.diagnostics.push(
                    Diagnostic::new(
                        Code::MisplacedStatement,
                        other.span(),
                        "an `authorizer` block holds attributes only",
                    )
                    .label("not allowed here")
                    .help("write `type`, `issuer`, `audience`, `function`, `identity` or `cache`"),
                ),
            }
        }
        let defs: Vec<_> =
            def.attributes.iter().filter(|d| d.name != "issuer" && d.name != "user_pools").cloned().collect();
        let mut attrs = self.attrs(&defs, written.into_iter(), "authorizer", span);
        attrs.0.extend(pools);
        let ty = attrs.str("type").and_then(AuthorizerType::from_word);
        let Some(ty) = ty else {
            access.broken.push((name.text.clone(), name.span));
            return;
        };
        if matches!(ty, AuthorizerType::Request | AuthorizerType::Token) && attrs.get("function").is_none() {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MissingAttribute,
                    span,
                    format!("this {} authorizer needs `function`", ty.word()),
                )
                .label("`function` is missing")
                .help("add `function = NAME`: the function of the app that authorizes each request"),
            );
        }
        if ty == AuthorizerType::Cognito && attrs.get("user_pools").is_none() {
            self.diagnostics.push(
                Diagnostic::new(Code::MissingAttribute, span, "this cognito authorizer needs `user_pools`")
                    .label("`user_pools` is missing")
                    .help("add `user_pools = [POOL]`, each POOL an `existing user_pool`"),
            );
        }
        self.authorizer_on_api_type(ty, attrs.span("type").unwrap_or(span), api_type);
        if api_type == ApiType::WebSocket {
            self.websocket_cache(&attrs);
        }
        access.authorizers.push(Authorizer { name: name.text.clone(), name_span: name.span, span, ty, attrs, issuer });
    }

    /// `user_pools = [users, partners]`: existing user pools, by name.
    fn user_pools(&mut self, name: &Ident, value: &Value) -> Option<crate::model::Attr> {
        let ValueKind::List(items) = &value.kind else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::WrongType,
                    value.span,
                    format!("`user_pools` expects a list of user pools, found {}", value.kind.describe()),
                )
                .label("expected a list")
                .help("write `user_pools = [POOL]`, each POOL an `existing user_pool`"),
            );
            return None;
        };
        let mut pools = Vec::new();
        for item in items {
            match &item.kind {
                ValueKind::Reference(pool, None) => {
                    let Some(id) = self.lookup_as(pool, Wanted::Kind("user_pool")) else { continue };
                    let kind = self.kind_name(id).to_string();
                    if kind == "user_pool" {
                        pools.push(Val::Ref(id));
                    } else {
                        self.wrong_kind(pool, &kind, &["user_pool".to_string()], "user_pools");
                    }
                }
                other => self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        item.span,
                        format!("`user_pools` lists user pools by name, found {}", other.describe()),
                    )
                    .label("not a user pool's name")
                    .help("name an `existing user_pool` without quotes"),
                ),
            }
        }
        (!pools.is_empty()).then(|| crate::model::Attr {
            name: name.text.as_str().into(),
            value: Val::List(pools),
            span: Some(value.span),
        })
    }

    fn issuer(&mut self, value: &Value) -> Option<(Issuer, Span)> {
        match &value.kind {
            ValueKind::String(url) if url.starts_with("https://") && url.len() > "https://".len() => {
                Some((Issuer::Url(url.clone()), value.span))
            }
            ValueKind::Reference(name, None) => {
                let id = self.lookup_as(name, Wanted::Kind("user_pool"))?;
                let kind = self.kind_name(id).to_string();
                if kind != "user_pool" {
                    self.wrong_kind(name, &kind, &["user_pool".to_string()], "issuer");
                    return None;
                }
                Some((Issuer::Pool(id), value.span))
            }
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadIssuer,
                        value.span,
                        format!("`issuer` expects a user pool or an https URL, found {}", value.kind.describe()),
                    )
                    .label("not an issuer")
                    .help("name an `existing user_pool`, or write the issuer's URL: \"https://...\""),
                );
                None
            }
        }
    }

    /// API Gateway calls a WebSocket API's authorizer once per connection
    /// and keeps no result: `cache` is an HTTP or REST API's (LF3060).
    fn websocket_cache(&mut self, attrs: &Attrs) {
        let Some(span) = attrs.span("cache") else { return };
        self.diagnostics.push(
            Diagnostic::new(Code::WebSocketUnsupported, span, "a WebSocket API's authorizer keeps no results")
                .label("not for a WebSocket API")
                .help("remove `cache`: API Gateway calls the authorizer once per connection, on `$connect`"),
        );
    }

    /// The identity sources as written, each checked where it stands.
    fn identity_sources(&mut self, value: &Value, api_type: ApiType) {
        let ValueKind::List(items) = &value.kind else { return };
        let prefixes = identity_prefixes(api_type);
        for item in items {
            let ValueKind::String(source) = &item.kind else { continue };
            if is_identity_source(source, api_type) {
                continue;
            }
            let mut d =
                Diagnostic::new(Code::BadIdentitySource, item.span, format!("`{source}` is not an identity source"))
                    .label("not an identity source")
                    .help(format!(
                        "write one of {} followed by a name, such as \"{}Authorization\"",
                        quoted(&prefixes.map(String::from)),
                        prefixes[0]
                    ));
            if let Some(meant) = other_api_types_source(source, api_type) {
                d = d.replace_with(item.span, format!("\"{meant}\""));
            }
            self.diagnostics.push(d);
        }
    }

    pub(super) fn cors(&mut self, entries: &[Entry], span: Span) -> Cors {
        self.duplicate_keys(entries);
        let mut cors = Cors {
            origins: Vec::new(),
            methods: Vec::new(),
            headers: Vec::new(),
            expose: Vec::new(),
            credentials: None,
            max_age: None,
            span,
        };
        for entry in entries {
            let key = entry.key.text.as_str();
            let value = &entry.value;
            match (key, &value.kind) {
                ("origins" | "methods" | "headers" | "expose", ValueKind::List(items)) => {
                    let strings = self.cors_strings(key, items);
                    match key {
                        "origins" => cors.origins = strings,
                        "methods" => cors.methods = strings,
                        "headers" => cors.headers = strings,
                        _ => cors.expose = strings,
                    }
                }
                ("credentials", ValueKind::Bool(b)) => cors.credentials = Some(*b),
                ("max_age", ValueKind::Duration(n, _)) if *n <= CORS_MAX_AGE => cors.max_age = Some(*n),
                _ if CORS_FIELDS.contains(&key) => {
                    let expected = match key {
                        "credentials" => "`true` or `false`",
                        "max_age" => "a duration up to 86400s (one day)",
                        _ => "a list of strings",
                    };
                    self.bad_cors(value.span, format!("`{key}` expects {expected}"), "invalid value");
                }
                _ => {
                    let d = Diagnostic::new(Code::BadCors, entry.key.span, format!("`cors` has no field `{key}`"))
                        .label("unknown field");
                    let help = format!("`cors` takes {}", quoted(&CORS_FIELDS));
                    self.diagnostics.push(super::suggested(d, key, entry.key.span, &CORS_FIELDS, help));
                }
            }
        }
        cors
    }

    fn cors_strings(&mut self, key: &str, items: &[Value]) -> Vec<String> {
        let mut out = Vec::new();
        for item in items {
            let ValueKind::String(text) = &item.kind else {
                self.bad_cors(item.span, format!("`{key}` lists strings"), "not a string");
                continue;
            };
            if key == "methods" && !CORS_METHODS.contains(&text.as_str()) {
                let methods = CORS_METHODS.map(String::from);
                self.bad_cors(item.span, format!("`{text}` is not an HTTP method"), "unknown method");
                if let Some(d) = self.diagnostics.last_mut() {
                    d.help = Some(format!("methods are {}", quoted(&methods)));
                }
                continue;
            }
            if key == "origins" && !is_origin(text) {
                self.bad_cors(item.span, format!("`{text}` is not an origin"), "not an origin");
                continue;
            }
            out.push(text.clone());
        }
        out
    }

    /// A REST API answers with one `Access-Control-Allow-Origin`, fixed
    /// when it is built (LF1044).
    fn rest_cors_origin(&mut self, cors: &Cors, entries: &[Entry]) {
        let written = entries.iter().find(|e| e.key.text == "origins");
        // Items LF1032 refused still count: one mistake, one diagnostic.
        let count = match written.map(|e| &e.value.kind) {
            Some(ValueKind::List(items)) => items.len(),
            Some(_) => return,
            None => cors.origins.len(),
        };
        if count == 1 {
            return;
        }
        let span = written.map_or(cors.span, |e| e.value.span);
        let problem = if count == 0 { "names no origin" } else { "names several origins" };
        self.diagnostics.push(
            Diagnostic::new(Code::RestCorsOrigin, span, format!("a REST API's `cors` {problem}"))
                .label("a REST API answers with one fixed origin")
                .help("name exactly one origin, such as `origins = [\"https://shop.example.com\"]`; to serve several, use an HTTP API (no `type = rest`)"),
        );
    }

    fn bad_cors(&mut self, span: Span, message: String, label: &str) {
        self.diagnostics.push(
            Diagnostic::new(Code::BadCors, span, message)
                .label(label)
                .help("see `lambdaform explain-code LF1032` for the fields of `cors`"),
        );
    }
}

impl ApiAccess {
    fn broken_span(&self, name: &Ident) -> Option<Span> {
        self.broken.iter().find(|(n, _)| *n == name.text).map(|(_, span)| *span)
    }

    fn knows(&self, name: &str) -> bool {
        self.authorizer(name).is_some() || self.broken.iter().any(|(n, _)| n == name)
    }
}

/// `*`, or `scheme://host[:port]` with no path.
fn is_origin(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    let Some((scheme, rest)) = text.split_once("://") else { return false };
    !scheme.is_empty() && !rest.is_empty() && !rest.contains(['/', ' '])
}

/// An `auth` that names no authorizer of `access` (nor `none`, `iam`).
fn unknown_authorizer(access: &ApiAccess, choice: &AuthChoice, word: &str) -> Option<Diagnostic> {
    if !matches!(choice.auth, Auth::Authorizer(_)) || access.knows(word) {
        return None;
    }
    let mut names: Vec<String> = access.authorizers.iter().map(|a| a.name.clone()).collect();
    names.extend(AUTH_WORDS.map(String::from));
    let mut d = Diagnostic::new(Code::UnknownAuthorizer, choice.span, format!("the API has no authorizer `{word}`"))
        .label("unknown authorizer");
    d = match closest(word, names.iter().map(String::as_str)) {
        Some(close) => d
            .help(format!("did you mean `{close}`? `auth` is one of {}", quoted(&names)))
            .replace_with(choice.span, close),
        None => d.help(format!(
            "`auth` is one of {}; declare authorizers in the API: `authorizer {word} {{ type = jwt ... }}`",
            quoted(&names)
        )),
    };
    Some(d)
}

/// Each route's `auth` that names no authorizer of its API.
pub(super) fn unknown_route_authorizers(resources: &[Resource]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let triggers = resources.iter().filter_map(|r| r.function.as_ref()).flat_map(|f| &f.triggers);
    for trigger in triggers.filter(|t| t.route.is_some()) {
        let (Some(choice), Some(api)) = (route_choice(&trigger.options), resources.get(trigger.source.0 as usize))
        else {
            continue;
        };
        let Some(access) = &api.api else { continue };
        let Some(Val::Word(word)) = trigger.options.value("auth") else { continue };
        out.extend(unknown_authorizer(access, &choice, word).map(|d| {
            d.secondary(api.name_span, format!("the authorizers of `{}` are declared in its block", api.name))
        }));
    }
    out
}
