//! IAM size limits, checked on the inferred grants before anything is
//! written (AWS-RULES.md §2a, §1): a role's inline policies hold at most
//! 10,240 characters and a function's resource-based policy at most 20 KB.
//! Sizes are estimated with every ARN at its longest plausible length
//! (generated names of 64 characters, the longest region name), so an
//! estimate under the limit is a policy under the limit.

use super::{Arn, Grants, PermissionSource};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;

/// IAM's quota on a role's inline policies, whitespace not counted.
pub const ROLE_POLICY_LIMIT: usize = 10_240;
/// Lambda's quota on a function's resource-based policy.
pub const RESOURCE_POLICY_LIMIT: usize = 20 * 1024;

/// The length of a generated physical name, at most.
const NAME: usize = 64;
/// `arn:aws-us-gov:SERVICE:ap-southeast-2:123456789012:` and a resource type.
const ARN_PREFIX: usize = 60;

pub fn check(model: &Model, grants: &[Grants]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for function in grants {
        let resource = model.resource(function.principal);
        let role = role_policy_size(model, function);
        if role > ROLE_POLICY_LIMIT {
            out.push(
                Diagnostic::new(Code::RolePolicyTooLarge, resource.name_span, format!("`{}`'s role policy would hold about {role} characters; IAM allows {ROLE_POLICY_LIMIT}", resource.name))
                    .label("too many grants for one role")
                    .help("split the function's work over several functions, or let one function reach fewer resources: every target adds a statement"),
            );
        }
        let policy = resource_policy_size(function);
        if policy > RESOURCE_POLICY_LIMIT {
            out.push(
                Diagnostic::new(Code::ResourcePolicyTooLarge, resource.name_span, format!("`{}`'s resource-based policy would hold about {policy} bytes; Lambda allows {RESOURCE_POLICY_LIMIT}", resource.name))
                    .label("too many triggers for one function")
                    .help("give the routes or sources to several functions; each push trigger adds one invoke permission"),
            );
        }
    }
    out
}

/// The role policy's size without whitespace, ARNs at their longest.
pub fn role_policy_size(model: &Model, function: &Grants) -> usize {
    let statements: usize = function
        .statements
        .iter()
        .filter(|s| s.managed.is_none())
        .map(|s| {
            let actions: usize = s.actions.iter().map(|a| a.len() + 3).sum();
            let resources: usize = s.resources.iter().map(|r| arn_length(model, r) + 3).sum();
            let condition = s.condition.as_ref().map_or(0, |c| c.key.len() + c.operator.len() + ARN_PREFIX + NAME + 20);
            // {"Sid":"","Effect":"Allow","Action":[],"Resource":[]}
            52 + s.sid.len() + actions + resources + condition
        })
        .sum();
    // {"Version":"2012-10-17","Statement":[]}
    38 + statements + function.statements.len()
}

fn arn_length(model: &Model, arn: &Arn) -> usize {
    match arn {
        Arn::Any => 1,
        Arn::Literal(arn) => arn.len(),
        Arn::LogGroup { .. } => ARN_PREFIX + "/aws/lambda/:log-stream:*".len() + NAME,
        Arn::Executions { .. } => ARN_PREFIX + ":*:*".len() + NAME,
        // `…:stream/NAME/consumer/CONSUMER:TIMESTAMP`, a consumer name
        // of at most 128 characters and a timestamp of 10 digits.
        Arn::Consumer { .. } => ARN_PREFIX + NAME + "/consumer/:".len() + 128 + 10,
        Arn::Alias { function } => ARN_PREFIX + NAME + 1 + model.resource(*function).alias().map_or(0, str::len),
        Arn::Of { resource, form } => {
            let r = model.resource(*resource);
            let suffix = model.kind_of(*resource).arn_form(form).map_or(0, str::len);
            match &r.existing {
                // An input's ARN is known at deploy time: as long as the
                // longest ARN of a created resource.
                Some(existing) if existing.input.is_some() => ARN_PREFIX + NAME + suffix,
                Some(existing) => existing.arn.len() + suffix,
                None => ARN_PREFIX + NAME + suffix,
            }
        }
    }
}

/// The resource-based policy's size: one statement per permission.
pub fn resource_policy_size(function: &Grants) -> usize {
    let statements: usize = function
        .permissions
        .iter()
        .map(|p| {
            let source = match &p.source {
                PermissionSource::Route { route, .. } => ARN_PREFIX + 12 + route.path.len() + route.method.len(),
                // `…:API_ID/authorizers/ID`: ids of 10 characters at most.
                PermissionSource::Authorizer { .. } => ARN_PREFIX + 10 + "/authorizers/".len() + 10,
                PermissionSource::Literal(arn) => arn.len(),
                PermissionSource::None => 0,
                PermissionSource::Rule { .. } | PermissionSource::Resource(_) => ARN_PREFIX + NAME,
            };
            // Sid, Effect, Principal, Action, Resource (the function ARN), Condition.
            260 + p.sid.len() + source
        })
        .sum();
    // A public URL's statements: principal `*`, no source, one condition.
    let url: usize = function.url_permissions.iter().map(|p| 260 + p.sid.len()).sum();
    60 + statements + url
}
