//! REST API and custom domain rules (AWS-RULES.md §7): API keys and usage
//! plans belong to REST APIs (LF3063) and need a plan (LF3066) with each
//! key once (LF3065); edge endpoints and stage tracing too (LF3067); a
//! domain's certificate lives where its endpoint reads it (LF3064); a REST
//! API has no `$default` route (LF3068) and one variable per resource
//! (LF3069); with `cors`, `OPTIONS` belongs to the preflight (LF3087).

use super::span_of;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::api::{ApiType, Endpoint};
use crate::model::{Model, Resource, Trigger};
use std::collections::HashMap;

/// Every rule on one api and the routes that lead to it.
pub fn api(model: &Model, api: &Resource, out: &mut Vec<Diagnostic>) {
    let routes: Vec<&Trigger> =
        model.functions().flat_map(|(_, body)| &body.triggers).filter(|t| t.source == api.id).collect();
    match api.api_type() {
        ApiType::Http | ApiType::WebSocket => {
            keys_on_http(api, &routes, out);
            rest_only_settings(api, out);
        }
        ApiType::Rest => {
            key_without_plan(api, &routes, out);
            default_route(&routes, out);
            path_variables(&routes, out);
            options_with_cors(api, &routes, out);
        }
    }
    duplicate_keys(api, out);
    certificate_region(model, api, out);
}

/// `api_key = true` on a route: where it was written.
fn requires_key(trigger: &Trigger) -> Option<crate::source::Span> {
    trigger.options.bool("api_key").then(|| trigger.options.span("api_key")).flatten()
}

fn keys_on_http(api: &Resource, routes: &[&Trigger], out: &mut Vec<Diagnostic>) {
    let plans = api.api_setup.iter().flat_map(|b| &b.usage_plans).map(|p| (p.name_span, "a usage plan"));
    let keys = routes.iter().filter_map(|t| requires_key(t)).map(|span| (span, "an API key"));
    for (span, what) in plans.chain(keys) {
        out.push(
            Diagnostic::new(
                Code::ApiKeysOnHttpApi,
                span,
                format!("`{}` is an HTTP API, which has no API keys", api.name),
            )
            .label(format!("{what} on an HTTP API"))
            .secondary(api.name_span, "an HTTP API (the default type)")
            .help(format!(
                "make `{}` a REST API with `type = rest`, or remove the usage plans and `api_key = true`",
                api.name
            )),
        );
    }
}

fn rest_only_settings(api: &Resource, out: &mut Vec<Diagnostic>) {
    let edge = (api.endpoint() == Endpoint::Edge).then_some(("endpoint", "edge-optimized endpoints"));
    let tracing = api.attrs.bool("tracing").then_some(("tracing", "X-Ray tracing on its stage"));
    for (attr, what) in edge.into_iter().chain(tracing) {
        out.push(
            Diagnostic::new(Code::RestOnlySetting, span_of(api, attr), format!("an HTTP API has no {what}"))
                .label("a REST API setting")
                .secondary(api.name_span, "an HTTP API (the default type)")
                .help(format!("make `{}` a REST API with `type = rest`, or remove `{attr}`", api.name)),
        );
    }
}

fn key_without_plan(api: &Resource, routes: &[&Trigger], out: &mut Vec<Diagnostic>) {
    if api.api_setup.as_ref().is_some_and(|b| !b.usage_plans.is_empty()) {
        return;
    }
    for span in routes.iter().filter_map(|t| requires_key(t)) {
        out.push(
            Diagnostic::new(
                Code::ApiKeyWithoutPlan,
                span,
                format!("`{}` has no usage plan, so no API key exists", api.name),
            )
            .label("every request would be refused")
            .secondary(api.name_span, "no `usage_plan` in this api")
            .help(format!(
                "declare `usage_plan NAME {{ keys = [\"client\"] }}` in `{}`, or remove `api_key = true`",
                api.name
            )),
        );
    }
}

fn duplicate_keys(api: &Resource, out: &mut Vec<Diagnostic>) {
    let mut seen = HashMap::new();
    for plan in api.api_setup.iter().flat_map(|b| &b.usage_plans) {
        for (key, span) in &plan.keys {
            match seen.get(key) {
                Some(first) => out.push(
                    Diagnostic::new(
                        Code::DuplicateApiKey,
                        *span,
                        format!("the API key `{key}` is named twice in `{}`", api.name),
                    )
                    .label("named again here")
                    .secondary(*first, "first named here")
                    .help("a key belongs to one usage plan of an API: name it once"),
                ),
                None => {
                    seen.insert(key.clone(), *span);
                }
            }
        }
    }
}

fn certificate_region(model: &Model, api: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(domain) = api.api_setup.as_ref().and_then(|b| b.domain.as_ref()) else { return };
    let Some(existing) = &model.resource(domain.certificate).existing else { return };
    let edge = api.is_rest_api() && api.endpoint() == Endpoint::Edge;
    let (needed, why) = match (edge, model.app.region.as_deref()) {
        (true, _) => {
            ("us-east-1", "an edge-optimized domain is served by CloudFront, which reads certificates in us-east-1")
        }
        (false, Some(region)) => (region, "a regional domain reads its certificate in the app's region"),
        // The region is chosen at deployment: nothing to compare with.
        (false, None) => return,
    };
    let Some(region) = existing.known_region().filter(|region| *region != needed) else { return };
    out.push(
        Diagnostic::new(
            Code::CertificateRegion,
            domain.certificate_span,
            format!("the certificate is in {region}, but `{}`'s domain needs one in {needed}", api.name),
        )
        .label(format!("a certificate in {region}"))
        .secondary(existing.span, "declared here")
        .help(format!("{why}: request or import the certificate in {needed} and give that ARN")),
    );
}

fn default_route(routes: &[&Trigger], out: &mut Vec<Diagnostic>) {
    for route in routes.iter().filter_map(|t| t.route.as_ref()).filter(|r| r.method.is_empty()) {
        out.push(
            Diagnostic::new(Code::RestDefaultRoute, route.span, "a REST API has no `$default` route")
                .label("an HTTP API route")
                .help("catch every path with `\"ANY /{proxy+}\"`")
                .replace_with(route.span, "\"ANY /{proxy+}\""),
        );
    }
}

/// One variable child per resource: the first name written at each place wins.
fn path_variables(routes: &[&Trigger], out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, (String, crate::source::Span)> = HashMap::new();
    for route in routes.iter().filter_map(|t| t.route.as_ref()) {
        let mut parent = String::new();
        for segment in route.path.split('/').filter(|s| !s.is_empty()) {
            if segment.starts_with('{') {
                match seen.get(&parent) {
                    Some((first, span)) if first != segment => {
                        out.push(
                            Diagnostic::new(
                                Code::RestPathVariables,
                                route.span,
                                format!("`{parent}/` has the variable `{first}` already, not `{segment}`"),
                            )
                            .label(format!("`{segment}` beside `{first}`"))
                            .secondary(*span, format!("`{first}` here"))
                            .help(format!("name the variable `{first}` in this route too")),
                        );
                        break;
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(parent.clone(), (segment.to_string(), route.span));
                    }
                }
            }
            parent = format!("{parent}/{segment}");
        }
    }
}

/// `cors` gives each path of a REST API its `OPTIONS` method: a route may
/// not claim it too.
fn options_with_cors(api: &Resource, routes: &[&Trigger], out: &mut Vec<Diagnostic>) {
    let Some(cors) = api.api.as_ref().and_then(|access| access.cors.as_ref()) else { return };
    for route in routes.iter().filter_map(|t| t.route.as_ref()).filter(|r| r.method == "OPTIONS") {
        out.push(
            Diagnostic::new(
                Code::RestCorsOptionsRoute,
                route.span,
                format!("`{}` answers `OPTIONS {}`, which `cors` answers already", api.name, route.path),
            )
            .label("a second OPTIONS method on this path")
            .secondary(cors.span, "this `cors` answers every path's preflight")
            .help("remove the route, or remove `cors` and answer the preflight in the function"),
        );
    }
}
