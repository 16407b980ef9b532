//! Hazards of who may call an API (`public-invoke`): a route (HTTP or
//! WebSocket API) or a method (REST API) whose authorization goes to
//! `NONE`, loses scopes or an API key it required, or moves to another
//! authorizer or kind of check (`AWS_IAM` to an authorizer: either may
//! admit other callers); a WebSocket API's guarded
//! `$connect` route removed (clients then connect unchecked); an
//! authorizer removed; a JWT authorizer that accepts more audiences or
//! another issuer, a Cognito one more user pools. Routes and methods are
//! matched by API and route key (or method and path), not by id, so one
//! that moves to another function is still compared. Read from both
//! targets' outputs alike: CloudFormation's properties and Terraform's
//! arguments (a nested block is a list of one object).

use super::diff::{Hazard, HazardKind, Plan};
use super::snapshot::{Resource, Snapshot};
use serde_json::Value;
use std::collections::BTreeMap;

const ROUTES: [&str; 2] = ["AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"];
const METHODS: [&str; 2] = ["AWS::ApiGateway::Method", "aws_api_gateway_method"];
const PATHS: [&str; 2] = ["AWS::ApiGateway::Resource", "aws_api_gateway_resource"];
const AUTHORIZERS: [&str; 4] = [
    "AWS::ApiGatewayV2::Authorizer",
    "aws_apigatewayv2_authorizer",
    "AWS::ApiGateway::Authorizer",
    "aws_api_gateway_authorizer",
];

pub fn authorization_hazards(plan: &mut Plan, old: &Snapshot, new: &Snapshot) {
    let mut hazards = Vec::new();
    let after = gates(new);
    for (key, before) in gates(old) {
        match after.get(&key) {
            Some(gate) => hazards.extend(gate_weakened(&before, gate)),
            None => hazards.extend(connect_removed(&before, new)),
        }
    }
    for (id, before) in old.resources.iter().filter(|(_, r)| AUTHORIZERS.contains(&r.ty.as_str())) {
        hazards.extend(authorizer(id, before, new.resources.get(id)));
    }
    for (resource, message) in hazards {
        plan.hazards.push(Hazard { kind: HazardKind::PublicInvoke, resource, message });
    }
}

/// A route or method: what callers reach through an API.
struct Gate<'a> {
    id: &'a str,
    /// `route POST /admin`, `route $connect`, `method GET /orders`.
    what: String,
    /// The API it belongs to, by id.
    api: String,
    resource: &'a Resource,
}

/// The routes and methods of a snapshot, by API and route key (or method
/// and path).
fn gates(snapshot: &Snapshot) -> BTreeMap<String, Gate<'_>> {
    let mut out = BTreeMap::new();
    for (id, resource) in &snapshot.resources {
        let ty = resource.ty.as_str();
        let (api, what) = if ROUTES.contains(&ty) {
            let key = property(resource, "RouteKey", "route_key").and_then(Value::as_str).unwrap_or(id);
            (property(resource, "ApiId", "api_id"), format!("route {key}"))
        } else if METHODS.contains(&ty) {
            let verb = property(resource, "HttpMethod", "http_method").and_then(Value::as_str).unwrap_or("?");
            let path = path(snapshot, property(resource, "ResourceId", "resource_id"));
            (property(resource, "RestApiId", "rest_api_id"), format!("method {verb} {path}"))
        } else {
            continue;
        };
        let api = api.and_then(target).unwrap_or_default();
        out.insert(format!("{api} {what}"), Gate { id, what, api, resource });
    }
    out
}

/// A REST API resource's path, from its `PathPart`s up to the root (`/`
/// for the root itself); the resource's id where a part cannot be read.
fn path<'a>(snapshot: &'a Snapshot, mut resource: Option<&'a Value>) -> String {
    let mut parts = Vec::new();
    // A well-formed API is at most a few dozen segments deep; the bound
    // keeps a hand-written cycle of parents from looping.
    for _ in 0..128 {
        let Some(id) = resource.and_then(target) else { break };
        let Some(found) = snapshot.resources.get(&id).filter(|r| PATHS.contains(&r.ty.as_str())) else { break };
        let part = property(found, "PathPart", "path_part").and_then(Value::as_str);
        parts.push(part.map_or(id.clone(), String::from));
        resource = property(found, "ParentId", "parent_id");
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

/// The id of the resource a reference names: CloudFormation's `Ref` or
/// `Fn::GetAtt` target, Terraform's `type.label` of `${type.label.attr}`.
fn target(value: &Value) -> Option<String> {
    if let Some(target) = value.get("Ref").or_else(|| value.get("Fn::GetAtt").and_then(|v| v.get(0))) {
        return target.as_str().map(String::from);
    }
    let text = value.as_str()?.strip_prefix("${")?.strip_suffix('}')?;
    let mut parts = text.splitn(3, '.');
    Some(format!("{}.{}", parts.next()?, parts.next()?))
}

/// The gate's authorization type, `NONE` when not written.
fn authorization(gate: &Resource) -> String {
    property(gate, "AuthorizationType", "authorization_type")
        .or_else(|| gate.properties.get("authorization"))
        .and_then(Value::as_str)
        .unwrap_or("NONE")
        .to_string()
}

fn gate_weakened(before: &Gate, after: &Gate) -> Vec<(String, String)> {
    let (id, what) = (after.id, &after.what);
    let hazard = |message: String| vec![(id.to_string(), message)];
    let (was, is) = (authorization(before.resource), authorization(after.resource));
    let mut out = Vec::new();
    if was != "NONE" && is == "NONE" {
        out.extend(hazard(format!("{what} ({id}) loses its authorization ({was} → NONE): anyone may call it")));
    } else if let Some(message) = switched(before.resource, after.resource) {
        out.extend(hazard(format!("{what} ({id}) {message}")));
    } else {
        let dropped = missing(
            property(before.resource, "AuthorizationScopes", "authorization_scopes"),
            property(after.resource, "AuthorizationScopes", "authorization_scopes"),
        );
        if !dropped.is_empty() {
            out.extend(hazard(format!(
                "{what} ({id}) no longer requires the scopes {}: tokens without them may call it",
                dropped.join(", ")
            )));
        }
    }
    if api_key(before.resource) && !api_key(after.resource) {
        out.extend(hazard(format!(
            "{what} ({id}) no longer requires an API key: callers without one of the usage plans' keys may call it"
        )));
    }
    out
}

/// Whether a method requires an API key (`ApiKeyRequired`).
fn api_key(gate: &Resource) -> bool {
    property(gate, "ApiKeyRequired", "api_key_required").is_some_and(|v| v == &Value::Bool(true) || v == "true")
}

/// A gate that moved to another authorizer, said as the rest of a message.
fn switched(before: &Resource, after: &Resource) -> Option<String> {
    let (from, to) = (guard(before)?, guard(after)?);
    if from == to {
        return None;
    }
    let by = if property(before, "AuthorizerId", "authorizer_id").is_some()
        && property(after, "AuthorizerId", "authorizer_id").is_some()
    {
        "another authorizer"
    } else {
        "something else"
    };
    Some(format!("is guarded by {by} ({from} → {to}): whoever that one admits may call it"))
}

/// What checks a gate's callers: its authorizer, else its authorization
/// type (`AWS_IAM`); `None` for a gate that checks nothing.
fn guard(gate: &Resource) -> Option<String> {
    match property(gate, "AuthorizerId", "authorizer_id") {
        Some(id) => Some(referent(id)),
        None => Some(authorization(gate)).filter(|ty| ty != "NONE"),
    }
}

/// A WebSocket API's `$connect` route that checked who connects, gone
/// while its API stays: clients then connect without any check.
fn connect_removed(before: &Gate, new: &Snapshot) -> Vec<(String, String)> {
    let connect = before.what == "route $connect";
    let was = authorization(before.resource);
    if !connect || was == "NONE" || !new.resources.contains_key(&before.api) {
        return Vec::new();
    }
    vec![(
        before.id.to_string(),
        format!("route $connect ({}) is removed ({was} before): anyone may connect to the API", before.id),
    )]
}

fn authorizer(id: &str, before: &Resource, after: Option<&Resource>) -> Vec<(String, String)> {
    let name = property(before, "Name", "name").and_then(Value::as_str).unwrap_or(id);
    let Some(after) = after else {
        return vec![(
            id.to_string(),
            format!("authorizer {name} ({id}) is removed: the routes it guarded are public unless they name another"),
        )];
    };
    let mut out = Vec::new();
    let (was, is) = (jwt(before, "Audience", "audience"), jwt(after, "Audience", "audience"));
    let added = missing(is, was);
    if !added.is_empty() {
        out.push(format!("authorizer {name} ({id}) accepts tokens for more audiences: {}", added.join(", ")));
    }
    let (was, is) = (jwt(before, "Issuer", "issuer"), jwt(after, "Issuer", "issuer"));
    if was.is_some() && was != is {
        out.push(format!("authorizer {name} ({id}) trusts another issuer: {}", shown(is)));
    }
    let pools = |r| property(r, "ProviderARNs", "provider_arns");
    let added = missing(pools(after), pools(before));
    if !added.is_empty() {
        out.push(format!("authorizer {name} ({id}) accepts tokens of more user pools: {}", added.join(", ")));
    }
    out.into_iter().map(|message| (id.to_string(), message)).collect()
}

/// A property by its CloudFormation or Terraform name.
fn property<'a>(resource: &'a Resource, cloudformation: &str, terraform: &str) -> Option<&'a Value> {
    resource.properties.get(cloudformation).or_else(|| resource.properties.get(terraform))
}

/// A field of a JWT authorizer's configuration, in either target.
fn jwt<'a>(resource: &'a Resource, cloudformation: &str, terraform: &str) -> Option<&'a Value> {
    match property(resource, "JwtConfiguration", "jwt_configuration")? {
        Value::Array(blocks) => blocks.first()?.get(terraform),
        object => object.get(cloudformation),
    }
}

/// The items of list `a` that list `b` lacks, as text.
fn missing(a: Option<&Value>, b: Option<&Value>) -> Vec<String> {
    let items = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
    let kept = items(b);
    items(a).iter().filter(|item| !kept.contains(item)).map(|item| shown(Some(item))).collect()
}

/// What a reference names: CloudFormation's `Ref` target, or Terraform's
/// expression as written.
fn referent(value: &Value) -> String {
    match value.get("Ref").or_else(|| value.get("Fn::GetAtt").and_then(|v| v.get(0))) {
        Some(target) => shown(Some(target)),
        None => shown(Some(value)),
    }
}

fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "(none)".into(),
    }
}
