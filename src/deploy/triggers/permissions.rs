//! A function's resource-based invoke permissions (`grants.permissions`):
//! one per push trigger and per `allow`, each naming its source
//! (`SourceArn`: a route's `execute-api` ARN down to the stage and route,
//! a rule's or a resource's ARN, or the ARN the app wrote), and its
//! account where the ARN has none (S3). A function with an alias is
//! invoked through it: CloudFormation names the alias ARN, Terraform the
//! function and the alias as `qualifier`. Each permission records the
//! source line behind it (CloudFormation's `Metadata`).

use super::super::facts::execute_api_arn;
use super::super::resource::{Attr, Id, Key, Part, Ref, Resource, Type, Value};
use super::super::{auth, rest, Scope};
use super::{alias, cloudformation_id, trigger_id, PERMISSION};
use crate::grants::{Grants, Permission, PermissionSource, Principal};
use crate::model::{self, FunctionBody, ResourceId, Route, Text};
use crate::resolve::routes::is_websocket;

/// The permissions printed with the function: not an authorizer's
/// (`auth`) nor a WebSocket route's (`websocket`).
pub fn permissions(scope: &Scope, function: &model::Resource, body: &FunctionBody, grants: &Grants) -> Vec<Resource> {
    let mut allows = 0;
    let mut out = Vec::new();
    for permission in grants.permissions.iter().filter(|p| !auth::printed_here(&p.source)) {
        if matches!(&permission.source, PermissionSource::Route { api, .. } if is_websocket(scope.model.resource(*api)))
        {
            continue;
        }
        let id = match permission.trigger {
            Some(index) => trigger_id(scope, function, body, index, "Permission"),
            None => {
                allows += 1;
                let key = format!("allow {}", permission.sid);
                let cloudformation = scope.ids.keyed(function, &key, &format!("{}Permission", permission.sid));
                Id::new(cloudformation, scope.triggers.allow(function, allows - 1))
            }
        };
        out.push(lambda_permission(scope, function, body, permission, id));
    }
    out
}

fn lambda_permission(
    scope: &Scope,
    function: &model::Resource,
    body: &FunctionBody,
    permission: &Permission,
    id: Id,
) -> Resource {
    let mut p = Resource::new(id, Type::both(PERMISSION.0, PERMISSION.1));
    p.owner = Some(function.id);
    p.metadata = super::super::policy::permission_sources(scope, permission.span);
    p.set(Key::terraform("statement_id"), permission.sid.as_str());
    p.set(Key::new("Action", "action"), "lambda:InvokeFunction");
    let name = super::super::function::function_ref(scope, function, Attr::reference("function_name"));
    match function.alias() {
        Some(_) => {
            p.set(Key::cloudformation("FunctionName"), Value::ArnAfter(function.id));
            p.set(Key::terraform("function_name"), name);
        }
        None => {
            p.set(Key::new("FunctionName", "function_name"), name);
        }
    }
    let principal = match &permission.principal {
        Principal::Service(service) => Value::from(service.as_str()),
        Principal::Account(account) | Principal::Role(account) => text(account),
        Principal::Any => "*".into(),
    };
    p.set(Key::new("Principal", "principal"), principal);
    if let Some(org) = &permission.principal_org_id {
        p.set(Key::cloudformation("PrincipalOrgID"), text(org));
    }
    if function.alias().is_some() {
        p.set(Key::terraform("qualifier"), alias(scope, function, Attr::reference("name")));
    }
    match &permission.source {
        PermissionSource::Route { api, route } => {
            p.set(Key::cloudformation("SourceArn"), route_arn(scope, *api, route));
            p.set(Key::terraform("source_arn"), execution_arn(scope, *api, route));
        }
        PermissionSource::Rule { trigger } => {
            let id = Id::new(
                cloudformation_id(scope, function, body, *trigger, "Rule"),
                scope.triggers.trigger(function, *trigger),
            );
            let rule = Ref {
                id,
                ty: Type::both("AWS::Events::Rule", "aws_cloudwatch_event_rule"),
                attr: Attr::get("Arn", "arn"),
            };
            p.set(Key::new("SourceArn", "source_arn"), rule);
        }
        PermissionSource::Resource(id) => {
            p.set(Key::new("SourceArn", "source_arn"), Value::Arn(*id));
        }
        PermissionSource::Literal(arn) => {
            p.set(Key::new("SourceArn", "source_arn"), arn.as_str());
        }
        // Printed with the authorizer (`auth`), never here.
        PermissionSource::None | PermissionSource::Authorizer { .. } => {}
    }
    if permission.source_account {
        p.set(Key::new("SourceAccount", "source_account"), Ref::account());
    }
    if let Some(org) = &permission.principal_org_id {
        p.set(Key::terraform("principal_org_id"), text(org));
    }
    p
}

/// A string written in the source, or the input that gives it.
fn text(text: &Text) -> Value {
    match text {
        Text::Literal(s) => Value::from(s.as_str()),
        Text::Input(id) => Value::Input(*id),
    }
}

/// The stage (`*` for an HTTP API) and the route's
/// [`Route::source_arn_path`]: `/STAGE/PATH`.
fn stage_and_path(scope: &Scope, api: ResourceId, route: &Route) -> String {
    let stage = rest::permission_stage(scope.model, scope.stage, api);
    let path = route.source_arn_path();
    let mut out = String::with_capacity(stage.len() + path.len() + 2);
    for part in ["/", stage, "/", &path] {
        out.push_str(part);
    }
    out
}

/// `arn:…:execute-api:REGION:ACCOUNT:API_ID/STAGE/PATH`, CloudFormation's.
fn route_arn(scope: &Scope, api: ResourceId, route: &Route) -> Value {
    execute_api_arn(Part::Field(api, "id".into()), [Part::Lit(stage_and_path(scope, api, route))])
}

/// The API's `execution_arn` and `/STAGE/PATH`, Terraform's.
fn execution_arn(scope: &Scope, api: ResourceId, route: &Route) -> Value {
    Value::Text(vec![Part::Field(api, "execution_arn".into()), Part::Lit(stage_and_path(scope, api, route))])
}
