//! The invoke permissions of API authorizers: API Gateway may invoke a
//! request authorizer's function for that one authorizer alone
//! (`SourceArn` = `…:execute-api:REGION:ACCOUNT:API_ID/authorizers/ID`,
//! AWS-RULES.md §3), never for any route or authorizer of the API.

use super::permissions::{Permission, PermissionSource, Principal};
use super::role::camel;
use crate::model::{Model, ResourceId};
use std::collections::HashMap;

/// The service that invokes authorizers.
const PRINCIPAL: &str = "apigateway.amazonaws.com";

/// Per function, one permission per authorizer whose function it is, in
/// the order of the APIs and their authorizers: made in one pass over the
/// app, as asking per function would read every resource once per
/// function.
pub fn authorizer_permissions(model: &Model) -> HashMap<ResourceId, Vec<Permission>> {
    let mut out: HashMap<ResourceId, Vec<Permission>> = HashMap::new();
    for api in &model.resources {
        let Some(access) = &api.api else { continue };
        for authorizer in &access.authorizers {
            let Some(function) = authorizer.function() else { continue };
            out.entry(function).or_default().push(Permission {
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
