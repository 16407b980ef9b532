//! Hazards of who may call an API (`public-invoke`): a route whose
//! authorization goes to `NONE`, loses scopes or moves to another
//! authorizer (which may admit other callers), an authorizer removed,
//! and a JWT authorizer that accepts more audiences or another issuer.
//! Read from both targets' outputs alike: CloudFormation's properties and
//! Terraform's arguments (a nested block is a list of one object).

use super::diff::{Hazard, HazardKind, Plan};
use super::snapshot::{Resource, Snapshot};
use serde_json::Value;

const ROUTES: [&str; 2] = ["AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"];
const AUTHORIZERS: [&str; 2] = ["AWS::ApiGatewayV2::Authorizer", "aws_apigatewayv2_authorizer"];

pub fn authorization_hazards(plan: &mut Plan, old: &Snapshot, new: &Snapshot) {
    for (id, before) in &old.resources {
        let after = new.resources.get(id);
        let messages = if ROUTES.contains(&before.ty.as_str()) {
            after.map(|after| route(id, before, after)).unwrap_or_default()
        } else if AUTHORIZERS.contains(&before.ty.as_str()) {
            authorizer(id, before, after)
        } else {
            Vec::new()
        };
        for message in messages {
            plan.hazards.push(Hazard { kind: HazardKind::PublicInvoke, resource: id.clone(), message });
        }
    }
}

/// The route's authorization type, `NONE` when not written.
fn authorization(route: &Resource) -> String {
    property(route, "AuthorizationType", "authorization_type").and_then(Value::as_str).unwrap_or("NONE").to_string()
}

fn route(id: &str, before: &Resource, after: &Resource) -> Vec<String> {
    let key = property(after, "RouteKey", "route_key").and_then(Value::as_str).unwrap_or(id);
    let (was, is) = (authorization(before), authorization(after));
    if was != "NONE" && is == "NONE" {
        return vec![format!("route {key} ({id}) loses its authorization ({was} → NONE): anyone may call it")];
    }
    let (from, to) =
        (property(before, "AuthorizerId", "authorizer_id"), property(after, "AuthorizerId", "authorizer_id"));
    if let (Some(from), Some(to)) = (from, to) {
        if from != to {
            return vec![format!(
                "route {key} ({id}) is guarded by another authorizer ({} → {}): whoever that one admits may call it",
                referent(from),
                referent(to)
            )];
        }
    }
    let dropped = missing(
        property(before, "AuthorizationScopes", "authorization_scopes"),
        property(after, "AuthorizationScopes", "authorization_scopes"),
    );
    if dropped.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "route {key} ({id}) no longer requires the scopes {}: tokens without them may call it",
        dropped.join(", ")
    )]
}

fn authorizer(id: &str, before: &Resource, after: Option<&Resource>) -> Vec<String> {
    let name = property(before, "Name", "name").and_then(Value::as_str).unwrap_or(id);
    let Some(after) = after else {
        return vec![format!(
            "authorizer {name} ({id}) is removed: the routes it guarded are public unless they name another"
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
    out
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
