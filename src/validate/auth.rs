//! Who may call an API (AWS-RULES.md §3 and §7): routes that say nothing
//! of it, JWT authorizers that check too little, request authorizers that
//! authorize their own routes or cache without a key, scopes where no JWT
//! carries them, attributes of another authorizer type, and CORS that
//! browsers refuse.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ApiAccess, Authorizer, AuthorizerType, Model, Resource, Route, RouteAuth};

/// The attributes each authorizer type reads (`type` aside).
fn reads(ty: AuthorizerType) -> &'static [&'static str] {
    match ty {
        AuthorizerType::Jwt => &["issuer", "audience"],
        AuthorizerType::Request => &["function", "identity", "cache"],
        AuthorizerType::Cognito => &["user_pools"],
        AuthorizerType::Token => &["function", "header", "cache"],
    }
}

pub fn api_access(model: &Model, out: &mut Vec<Diagnostic>) {
    for resource in &model.resources {
        if let Some(access) = &resource.api {
            for authorizer in &access.authorizers {
                authorizer_rules(authorizer, out);
            }
            cors(access, out);
        }
        if resource.function.is_some() {
            routes(model, resource, out);
        }
    }
}

fn authorizer_rules(authorizer: &Authorizer, out: &mut Vec<Diagnostic>) {
    let ty = authorizer.ty;
    let written = authorizer.attrs.0.iter().filter_map(|a| Some((a.name.as_str(), a.span?)));
    let issuer = authorizer.issuer.as_ref().map(|(_, span)| ("issuer", *span));
    for (name, span) in written.chain(issuer).filter(|(name, _)| *name != "type" && !reads(ty).contains(name)) {
        out.push(
            Diagnostic::new(
                Code::AuthorizerAttributeMismatch,
                span,
                format!("a {} authorizer has no `{name}`", ty.word()),
            )
            .label(format!("not read by a {} authorizer", ty.word()))
            .help(format!(
                "a {} authorizer reads `{}`: remove `{name}`, or change `type`",
                ty.word(),
                reads(ty).join("`, `")
            )),
        );
    }
    match ty {
        AuthorizerType::Jwt => jwt_complete(authorizer, out),
        AuthorizerType::Request => cache_needs_identity(authorizer, out),
        // A token authorizer's identity is its `header`; a Cognito
        // authorizer's pools are required where they are read.
        AuthorizerType::Cognito | AuthorizerType::Token => {}
    }
}

fn jwt_complete(authorizer: &Authorizer, out: &mut Vec<Diagnostic>) {
    let mut missing = Vec::new();
    if authorizer.issuer.is_none() {
        missing.push("`issuer` (an existing user_pool, or \"https://...\")");
    }
    if authorizer.audience().is_empty() {
        missing.push("`audience` (a non-empty list: the app client ids)");
    }
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::JwtIncomplete,
            authorizer.name_span,
            format!("the JWT authorizer `{}` needs {}", authorizer.name, missing.join(" and ")),
        )
        .label("incomplete JWT authorizer")
        .help(format!("add {}", missing.join(" and "))),
    );
}

fn cache_needs_identity(authorizer: &Authorizer, out: &mut Vec<Diagnostic>) {
    if authorizer.cache() == 0 || !authorizer.identity().is_empty() {
        return;
    }
    let span = authorizer.attrs.span("cache").unwrap_or(authorizer.name_span);
    out.push(
        Diagnostic::new(
            Code::CacheWithoutIdentity,
            span,
            format!("the authorizer `{}` caches results but names no identity source", authorizer.name),
        )
        .label("caching needs identity sources")
        .secondary(authorizer.name_span, "this request authorizer")
        .help("add `identity = [\"$request.header.Authorization\"]` (the sources that key the cache), or `cache = 0s`"),
    );
}

fn cors(access: &ApiAccess, out: &mut Vec<Diagnostic>) {
    let Some(cors) = &access.cors else { return };
    if cors.credentials == Some(true) && cors.origins.iter().any(|o| o == "*") {
        out.push(
            Diagnostic::new(Code::CorsCredentialsWithAnyOrigin, cors.span, "CORS allows credentials from any origin")
                .label("`origins = [\"*\"]` with `credentials = true`")
                .help("list the origins that may send credentials, such as `origins = [\"https://shop.example.com\"]`, or remove `credentials`"),
        );
    }
}

/// The rules on each route of a function: said authorization, scopes only
/// with JWT, and no authorizer guarding a route to its own function.
fn routes(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for trigger in body.triggers.iter().filter(|t| t.route.is_some()) {
        let Some(route) = &trigger.route else { continue };
        let api = model.resource(trigger.source);
        let auth = model.route_auth(trigger);
        // A WebSocket API is authorized on `$connect` alone (LF3057), where
        // its authorizer may not be the route's own function either.
        if crate::resolve::routes::is_websocket(api) {
            if route.key() == "$connect" {
                authorizes_itself(function, route, &auth, out);
            }
            continue;
        }
        if matches!(auth, RouteAuth::Unsaid) {
            out.push(
                Diagnostic::new(
                    Code::OpenRoute,
                    route.span,
                    format!("anyone may call `{}`: nothing says who may", route.key()),
                )
                .label("public by omission")
                .secondary(api.name_span, format!("`{}` has no `auth`", api.name))
                .help(format!(
                    "name an authorizer (`{{ auth = NAME }}` on the route, or `auth = NAME` in `{}`), or `iam`; if the route is meant to be public, say `{{ auth = none }}`",
                    api.name
                )),
            );
        }
        // A REST API's Cognito authorizer reads a token's scopes too.
        let reads_scopes =
            matches!(auth, RouteAuth::Authorizer(a) if matches!(a.ty, AuthorizerType::Jwt | AuthorizerType::Cognito));
        if let Some(span) =
            trigger.options.span("scopes").filter(|_| !reads_scopes && !matches!(auth, RouteAuth::Unknown))
        {
            out.push(
                Diagnostic::new(
                    Code::ScopesWithoutJwt,
                    span,
                    format!("`{}` is not guarded by a JWT authorizer", route.key()),
                )
                .label("scopes need a JWT authorizer")
                .help("remove `scopes`, or guard the route with a `type = jwt` authorizer (`type = cognito` on a REST API)"),
            );
        }
        authorizes_itself(function, route, &auth, out);
    }
}

/// A route guarded by an authorizer whose function is the route's own.
fn authorizes_itself(function: &Resource, route: &Route, auth: &RouteAuth, out: &mut Vec<Diagnostic>) {
    let RouteAuth::Authorizer(authorizer) = auth else { return };
    if authorizer.function() != Some(function.id) {
        return;
    }
    let at = authorizer.attrs.span("function").unwrap_or(authorizer.name_span);
    out.push(
        Diagnostic::new(
            Code::AuthorizerAuthorizesItself,
            route.span,
            format!("`{}` authorizes its own route `{}`", function.name, route.key()),
        )
        .label(format!("guarded by `{}`", authorizer.name))
        .secondary(at, format!("`{}` is the function of `{}`", function.name, authorizer.name))
        .help("give the authorizer its own function, or guard this route with another authorizer (`{ auth = ... }`)"),
    );
}
