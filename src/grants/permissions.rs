//! The resource-based policy of one function: a statement per push trigger
//! (principal from the source kind, `SourceArn` always, `SourceAccount`
//! where the source ARN carries no account; one for all the triggers from
//! one topic or bucket, [`permission_trigger`]), one per API authorizer it
//! serves (`auth.rs`) and one per `allow` (the same for its source).

use crate::model::{AllowPrincipal, FunctionBody, Model, ResourceId, Route, Text};
use crate::source::Span;
use crate::stdlib::TriggerMode;

#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    Service(String),
    /// An account id, or the input that gives it.
    Account(Text),
    /// An IAM role's ARN, or the input that gives it.
    Role(Text),
    /// Every principal (`*`), narrowed by `principal_org_id`.
    Any,
}

/// What may invoke the function, as the emitters render it.
#[derive(Clone, Debug, PartialEq)]
pub enum PermissionSource {
    /// An HTTP API route: `execute-api:…:${api}/*/METHOD/path`.
    Route { api: ResourceId, route: Route },
    /// A request authorizer of an API: `execute-api:…:${api}/authorizers/${id}`.
    Authorizer { api: ResourceId, authorizer: String },
    /// The rule made for trigger number `trigger` of the function (schedules, buses).
    Rule { trigger: usize },
    /// The source resource's own ARN (topics, buckets).
    Resource(ResourceId),
    /// An ARN written in an `allow`.
    Literal(String),
    /// No source: an `allow` for a whole account or service.
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Permission {
    pub sid: String,
    pub principal: Principal,
    pub source: PermissionSource,
    /// Add `SourceAccount` = the app's account (S3 ARNs carry none).
    pub source_account: bool,
    /// `PrincipalOrgID`: only principals of this AWS Organization.
    pub principal_org_id: Option<Text>,
    /// Index of the trigger behind it, if any.
    pub trigger: Option<usize>,
    pub span: Span,
}

/// The permissions of one function; `authorizers` are those its API
/// authorizers need (`auth::authorizer_permissions`).
pub fn permissions(model: &Model, body: &FunctionBody, authorizers: Vec<Permission>) -> Vec<Permission> {
    let mut out = Vec::new();
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = model.kind_of(trigger.source);
        let Some(def) = kind.trigger.as_ref().filter(|t| t.mode == TriggerMode::Push) else { continue };
        // A Scheduler schedule invokes with its own role: no permission.
        if super::is_scheduler(model.resource(trigger.source)) {
            continue;
        }
        let principal = Principal::Service(def.principal.clone().unwrap_or_default());
        let source = match (&trigger.route, kind.name.as_str()) {
            (Some(route), _) => PermissionSource::Route { api: trigger.source, route: route.clone() },
            (None, "schedule" | "bus") => PermissionSource::Rule { trigger: index },
            (None, _) => PermissionSource::Resource(trigger.source),
        };
        let source_account = kind.arn.contains(":::");
        // Two triggers from one topic or bucket (other keys, other
        // filters) are one source to the function's policy.
        if matches!(source, PermissionSource::Resource(_)) && out.iter().any(|p: &Permission| p.source == source) {
            continue;
        }
        let sid = format!("{}Invoke{}", super::role::camel(&model.resource(trigger.source).name), index + 1);
        out.push(Permission {
            sid,
            principal,
            source,
            source_account,
            principal_org_id: None,
            trigger: Some(index),
            span: trigger.span,
        });
    }
    out.extend(authorizers);
    for (index, allow) in body.allows.iter().enumerate() {
        let (principal, source) = match &allow.principal {
            AllowPrincipal::Account(id) => (Principal::Account(id.clone()), PermissionSource::None),
            AllowPrincipal::Role(arn) => (Principal::Role(arn.clone()), PermissionSource::None),
            AllowPrincipal::Organization(_) => (Principal::Any, PermissionSource::None),
            AllowPrincipal::Service { service, source } => (
                Principal::Service(service.clone()),
                source.clone().map_or(PermissionSource::None, PermissionSource::Literal),
            ),
        };
        // A bucket's ARN names no account, and another account may own a
        // bucket of that name: SourceAccount too (AWS-RULES.md §3).
        let source_account = matches!(&source, PermissionSource::Literal(arn)
            if crate::resolve::arn::split(arn).is_some_and(|parts| parts.account.is_empty()));
        out.push(Permission {
            sid: format!("Allow{}", index + 1),
            principal,
            source,
            source_account,
            principal_org_id: match &allow.principal {
                AllowPrincipal::Organization(id) => Some(id.clone()),
                _ => None,
            },
            trigger: None,
            span: allow.span,
        });
    }
    out
}

/// The trigger whose permission lets the source of trigger `index` invoke
/// the function: the first trigger from the same topic or bucket, which
/// [`permissions`] keeps for all of them.
pub fn permission_trigger(body: &FunctionBody, index: usize) -> usize {
    let source = body.triggers[index].source;
    let plain = |t: &crate::model::Trigger| t.source == source && t.route.is_none();
    body.triggers.iter().position(plain).unwrap_or(index)
}
