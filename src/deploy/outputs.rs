//! The outputs both targets declare: each api's URL, each function's ARN,
//! each queue's URL, each table's and bucket's name, with one description.

use super::resource::Value;
use super::Scope;
use crate::model::{Model, Resource};

/// One output: the resource, the readable field it shows, the suffix of
/// its name (`OrdersTableName`, `orders_name`) and its description.
pub struct Output<'a> {
    pub resource: &'a Resource,
    pub field: &'static str,
    pub suffix: &'static str,
    pub description: String,
}

/// The outputs of the created resources, in source order.
pub fn outputs(model: &Model) -> Vec<Output<'_>> {
    model
        .resources
        .iter()
        .filter(|r| r.is_created())
        .filter_map(|resource| {
            let (field, suffix, what) = match resource.kind.as_str() {
                "api" => ("url", "Url", "URL"),
                "function" => ("arn", "Arn", "ARN"),
                "queue" => ("url", "Url", "URL"),
                "table" | "bucket" => ("name", "Name", "name"),
                _ => return None,
            };
            let description = format!("The {what} of {} {}", resource.kind, resource.name);
            Some(Output { resource, field, suffix, description })
        })
        .collect()
}

/// An output whose value `deploy` builds: each custom domain's DNS target,
/// the name the user's DNS record for the domain points at.
pub struct Made {
    pub cloudformation: String,
    pub terraform: String,
    pub description: String,
    pub value: Value,
    /// Written in Terraform alone: CloudFormation reads a domain's DNS
    /// target only by `Fn::GetAtt` of the `AWS::ApiGateway::DomainName` or
    /// `AWS::ApiGatewayV2::DomainName`, and moto (the deploy CI runs)
    /// models neither and fails the whole stack on any `Fn::GetAtt` of one.
    /// CloudFormation users read it with `aws apigateway get-domain-name`
    /// (or `aws apigatewayv2 get-domain-name`).
    pub terraform_only: bool,
}

/// The outputs made of neutral values, after [`outputs`], in source order.
pub fn made(scope: &Scope) -> Vec<Made> {
    let apis = scope.model.resources.iter().filter(|r| r.kind == "api" && r.is_created());
    apis.filter_map(|api| {
        let value = super::domain::dns_target(scope, api)?;
        let domain = api.api_setup.as_ref()?.domain.as_ref()?;
        Some(Made {
            cloudformation: format!("{}DomainTarget", scope.ids.main(api)),
            terraform: format!("{}_domain_target", api.name),
            description: format!("The DNS target of {}: point its CNAME or alias record here", domain.name),
            value,
            terraform_only: true,
        })
    })
    .collect()
}
