//! The invoke permissions of API authorizers: API Gateway may invoke a
//! request authorizer's function for that one authorizer alone
//! (`SourceArn` = `…:execute-api:REGION:ACCOUNT:API_ID/authorizers/ID`,
//! AWS-RULES.md §3), never for any route or authorizer of the API.

use super::permissions::{Permission, PermissionSource, Principal};
use super::role::camel;
use crate::model::{Model, ResourceId};

/// The service that invokes authorizers.
const PRINCIPAL: &str = "apigateway.amazonaws.com";

/// One permission per authorizer whose function is `function`, in the
/// order of the APIs and their authorizers.
pub fn authorizer_permissions(model: &Model, function: ResourceId) -> Vec<Permission> {
    let mut out = Vec::new();
    for api in &model.resources {
        let Some(access) = &api.api else { continue };
        for authorizer in access.authorizers.iter().filter(|a| a.function() == Some(function)) {
            out.push(Permission {
                sid: format!("{}Authorizer{}", camel(&api.name), camel(&authorizer.name)),
                principal: Principal::Service(PRINCIPAL.into()),
                source: PermissionSource::Authorizer { api: api.id, authorizer: authorizer.name.clone() },
                source_account: false,
                principal_org_id: None,
                trigger: None,
                span: authorizer.attrs.span("function").unwrap_or(authorizer.span),
            });
        }
    }
    out
}
