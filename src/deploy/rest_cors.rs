//! CORS on a REST API (`cors = { ... }` in `api NAME { type = rest }`).
//! A REST API has no CORS configuration of its own, as an HTTP API has:
//! the compiler builds it. Each path that has routes gets an `OPTIONS`
//! method with a mock integration that answers the browser's preflight
//! with the configured `Access-Control-*` headers (`Allow-Origin`,
//! `Allow-Methods`: `methods` or else the path's own, `Allow-Headers`,
//! `Allow-Credentials`, `Max-Age`), and the API's `DEFAULT_4XX` and
//! `DEFAULT_5XX` gateway responses carry `Allow-Origin` (with
//! `Allow-Credentials` and `Expose-Headers`), so that a browser can read
//! the API's own refusals (401 from an authorizer, 403, 429).
//!
//! A Lambda proxy integration passes the function's response through as
//! it is: the function returns `Access-Control-Allow-Origin` itself on its
//! answers (docs/language.md says so).
//!
//! CloudFormation writes the method's integration and responses inside
//! the `AWS::ApiGateway::Method`; Terraform has a method, an integration,
//! a method response and an integration response.

use super::resource::{Attr, Id, Key, Prop, Resource, Type, Value};
use super::rest::{path_words, resource_id, Labels};
use super::Scope;
use crate::model::{self, Cors, Route};

const METHOD: (&str, &str) = ("AWS::ApiGateway::Method", "aws_api_gateway_method");
const INTEGRATION: &str = "aws_api_gateway_integration";
const METHOD_RESPONSE: &str = "aws_api_gateway_method_response";
const INTEGRATION_RESPONSE: &str = "aws_api_gateway_integration_response";
const GATEWAY_RESPONSE: (&str, &str) = ("AWS::ApiGateway::GatewayResponse", "aws_api_gateway_gateway_response");

/// The gateway responses that carry the CORS headers: every 4xx and 5xx
/// API Gateway answers itself, unless a more specific one is set.
const GATEWAY_RESPONSES: [&str; 2] = ["DEFAULT_4XX", "DEFAULT_5XX"];

/// What `ANY` stands for in `Access-Control-Allow-Methods`.
const ANY: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// The API's `cors`, when it is a REST API that has one.
pub fn cors(api: &model::Resource) -> Option<&Cors> {
    api.is_rest_api().then(|| api.api.as_ref()?.cors.as_ref()).flatten()
}

/// Each path that has routes, with its routes' methods, in route order
/// (`/` is the root resource).
pub fn paths(routes: &[&Route]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for route in routes {
        let path = route.path.trim_end_matches('/').to_string();
        let at = match out.iter().position(|(p, _)| *p == path) {
            Some(at) => at,
            None => {
                out.push((path, Vec::new()));
                out.len() - 1
            }
        };
        out[at].1.push(route.method.clone());
    }
    out
}

/// The preflight headers' values for a path whose routes have `methods`,
/// keyed by header name (quoted, as API Gateway's static values are).
fn preflight_headers(cors: &Cors, methods: &[String]) -> Vec<(&'static str, String)> {
    let mut out = vec![("Access-Control-Allow-Origin", quoted(&origin(cors)))];
    out.push(("Access-Control-Allow-Methods", quoted(&allowed_methods(cors, methods))));
    if !cors.headers.is_empty() {
        out.push(("Access-Control-Allow-Headers", quoted(&cors.headers.join(","))));
    }
    if cors.credentials == Some(true) {
        out.push(("Access-Control-Allow-Credentials", quoted("true")));
    }
    if let Some(max_age) = cors.max_age {
        out.push(("Access-Control-Max-Age", quoted(&max_age.to_string())));
    }
    out
}

/// The headers of the API's own error responses.
fn response_headers(cors: &Cors) -> Vec<(&'static str, String)> {
    let mut out = vec![("Access-Control-Allow-Origin", quoted(&origin(cors)))];
    if cors.credentials == Some(true) {
        out.push(("Access-Control-Allow-Credentials", quoted("true")));
    }
    if !cors.expose.is_empty() {
        out.push(("Access-Control-Expose-Headers", quoted(&cors.expose.join(","))));
    }
    out
}

/// The one origin (LF1044 refuses any other count).
fn origin(cors: &Cors) -> String {
    cors.origins.first().cloned().unwrap_or_else(|| "*".into())
}

/// `methods` as written, or the path's own methods and `OPTIONS`.
fn allowed_methods(cors: &Cors, methods: &[String]) -> String {
    if !cors.methods.is_empty() {
        return cors.methods.join(",");
    }
    let mut out: Vec<&str> = Vec::new();
    for method in methods.iter().map(String::as_str).chain(["OPTIONS"]) {
        let expanded: &[&str] = if method == "ANY" { &ANY } else { std::slice::from_ref(&method) };
        out.extend(expanded.iter().copied().filter(|m| !out.contains(m)).collect::<Vec<_>>());
    }
    out.sort_unstable();
    out.join(",")
}

/// A static header value as API Gateway writes one: `'value'`.
fn quoted(value: &str) -> String {
    format!("'{value}'")
}

/// A map from each header's response parameter (`PREFIX.Access-Control-…`)
/// to `value(header value)`.
fn parameters(prefix: &str, headers: &[(&str, String)], value: impl Fn(&str) -> Value) -> Value {
    Value::Map(headers.iter().map(|(name, v)| (format!("{prefix}.{name}").into(), value(v))).collect())
}

/// The `OPTIONS` method of one path (`parent` is its resource, `None` for
/// the root) and, in Terraform, its integration and responses.
#[allow(clippy::too_many_arguments)]
pub(super) fn preflight(
    scope: &Scope,
    api: &model::Resource,
    main: &Resource,
    parent: Option<&Resource>,
    path: &str,
    methods: &[String],
    cors: &Cors,
    labels: &mut Labels,
) -> Vec<Resource> {
    let (camel, snake) = path_words(path);
    let path = if path.is_empty() { "/" } else { path };
    let id = scope.ids.keyed(api, &format!("preflight {path}"), &format!("Options{camel}Method"));
    let label = labels.unique(METHOD.1, format!("{}_options_{snake}", api.name));
    let headers = preflight_headers(cors, methods);
    let answer = parameters("method.response.header", &headers, |v| Value::from(v.to_string()));
    let declared = parameters("method.response.header", &headers, |_| Value::Bool(true));
    let request = Value::Map(vec![("application/json".into(), r#"{"statusCode": 200}"#.into())]);
    let body = || Value::Map(vec![("application/json".into(), "".into())]);
    let rest_api_id = main.attr(Attr::reference("id"));

    let mut method = Resource::new(Id::new(id, label.clone()), Type::both(METHOD.0, METHOD.1));
    method.owner = Some(api.id);
    method.set(Key::new("RestApiId", "rest_api_id"), rest_api_id.clone());
    method.set(Key::new("ResourceId", "resource_id"), resource_id(main, parent));
    method.set(Key::new("HttpMethod", "http_method"), "OPTIONS");
    // A browser's preflight carries no credentials: it is answered to all.
    method.set(Key::new("AuthorizationType", "authorization"), "NONE");
    let integration_response = cloudformation_object([
        ("StatusCode", "200".into()),
        ("ResponseParameters", answer.clone()),
        ("ResponseTemplates", body()),
    ]);
    method.set(
        Key::cloudformation("Integration"),
        cloudformation_object([
            ("Type", "MOCK".into()),
            ("RequestTemplates", request.clone()),
            ("IntegrationResponses", Value::List(vec![integration_response])),
        ]),
    );
    let method_response =
        cloudformation_object([("StatusCode", "200".into()), ("ResponseParameters", declared.clone())]);
    method.set(Key::cloudformation("MethodResponses"), Value::List(vec![method_response]));

    // Terraform's three more blocks, each on this method.
    let on_method = |ty: &'static str| {
        let mut r = Resource::new(Id::new(String::new(), label.clone()), Type::terraform(ty));
        r.owner = Some(api.id);
        r.set(Key::terraform("rest_api_id"), rest_api_id.clone());
        r.set(Key::terraform("resource_id"), resource_id(main, parent));
        r.set(Key::terraform("http_method"), method.attr(Attr::reference("http_method")));
        r
    };
    let mut integration = on_method(INTEGRATION);
    integration.set(Key::terraform("type"), "MOCK");
    integration.set(Key::terraform("request_templates"), request);
    let mut response = on_method(METHOD_RESPONSE);
    response.set(Key::terraform("status_code"), "200");
    response.set(Key::terraform("response_parameters"), declared);
    let mut answered = on_method(INTEGRATION_RESPONSE);
    answered.set(Key::terraform("status_code"), response.attr(Attr::reference("status_code")));
    answered.set(Key::terraform("response_parameters"), answer);
    answered.set(Key::terraform("response_templates"), body());
    // The integration response answers what the mock integration returns.
    answered.depends_on.push(integration.reference(Attr::reference("id")));
    vec![method, integration, response, answered]
}

/// The API's `DEFAULT_4XX` and `DEFAULT_5XX` responses with the CORS
/// headers.
pub fn gateway_responses(scope: &Scope, api: &model::Resource, main: &Resource, cors: &Cors) -> Vec<Resource> {
    let headers = response_headers(cors);
    GATEWAY_RESPONSES
        .iter()
        .map(|ty| {
            let word = ty.to_ascii_lowercase();
            let stem = super::ids::camel(&word);
            let id = scope.ids.keyed(api, &format!("gateway response {ty}"), &format!("{stem}GatewayResponse"));
            let ids = Id::new(id, format!("{}_{word}", api.name));
            let mut response = Resource::new(ids, Type::both(GATEWAY_RESPONSE.0, GATEWAY_RESPONSE.1));
            response.owner = Some(api.id);
            response.set(Key::new("RestApiId", "rest_api_id"), main.attr(Attr::reference("id")));
            response.set(Key::new("ResponseType", "response_type"), *ty);
            let values = parameters("gatewayresponse.header", &headers, |v| Value::from(v.to_string()));
            response.set(Key::new("ResponseParameters", "response_parameters"), values);
            response
        })
        .collect()
}

/// What a deployment snapshots of `cors`, for its hash.
pub fn hash_line(cors: &Cors) -> String {
    format!(
        "cors {:?} {:?} {:?} {:?} {:?} {:?}",
        cors.origins, cors.methods, cors.headers, cors.expose, cors.credentials, cors.max_age
    )
}

/// An object only CloudFormation reads (inside a CloudFormation-only key).
fn cloudformation_object<const N: usize>(props: [(&'static str, Value); N]) -> Value {
    Value::Object(props.into_iter().map(|(name, value)| Prop { key: Key::cloudformation(name), value }).collect())
}

#[cfg(test)]
mod tests {
    use super::allowed_methods;
    use crate::model::Cors;
    use crate::source::{FileId, Span};

    fn cors(methods: &[&str]) -> Cors {
        Cors {
            origins: vec!["https://shop.example.com".into()],
            methods: methods.iter().map(|m| m.to_string()).collect(),
            headers: Vec::new(),
            expose: Vec::new(),
            credentials: None,
            max_age: None,
            span: Span::new(FileId(0), 0, 0),
        }
    }

    #[test]
    fn a_path_allows_its_own_methods_unless_told() {
        let own = ["POST".to_string(), "GET".to_string()];
        assert_eq!(allowed_methods(&cors(&[]), &own), "GET,OPTIONS,POST");
        assert_eq!(allowed_methods(&cors(&[]), &["ANY".to_string()]), "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
        assert_eq!(allowed_methods(&cors(&["GET", "PUT"]), &own), "GET,PUT");
    }
}
