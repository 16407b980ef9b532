//! The outputs both targets declare: each api's URL, each function's ARN,
//! each queue's URL, each table's and bucket's name, with one description;
//! a WebSocket API's endpoint and callback URL, a function URL's address.

use super::resource::Value;
use super::Scope;
use crate::model::{Model, Resource};
use crate::resolve::routes::is_websocket;

/// One output: the resource, the readable field it shows, the suffix of
/// its name (`OrdersTableName`, `orders_name`) and its description.
pub struct Output<'a> {
    pub resource: &'a Resource,
    pub field: &'static str,
    pub suffix: &'static str,
    pub description: String,
    /// Written in Terraform alone: a function URL's address, which
    /// CloudFormation reads only by `Fn::GetAtt` of the `AWS::Lambda::Url`,
    /// and moto (the deploy CI runs) models no such resource and fails the
    /// whole stack on any `Fn::GetAtt` of one. CloudFormation users read it
    /// with `aws lambda get-function-url-config`.
    pub terraform_only: bool,
}

/// The outputs of the created resources, in source order.
pub fn outputs(model: &Model) -> Vec<Output<'_>> {
    model
        .resources
        .iter()
        .filter(|r| r.is_created())
        .flat_map(|resource| {
            let fields: &[(&'static str, &'static str, &str)] = match resource.kind.as_str() {
                "api" if is_websocket(resource) => &[
                    ("url", "Url", "WebSocket endpoint"),
                    ("callback_url", "CallbackUrl", "callback URL (for posting to connections)"),
                ],
                "api" => &[("url", "Url", "URL")],
                "function" if resource.function_url().is_some() => &[("arn", "Arn", "ARN"), ("url", "Url", "URL")],
                "function" => &[("arn", "Arn", "ARN")],
                "queue" => &[("url", "Url", "URL")],
                "table" | "bucket" => &[("name", "Name", "name")],
                _ => &[],
            };
            fields.iter().map(move |(field, suffix, what)| {
                let description = describe(what, resource);
                let terraform_only = (resource.kind.as_str(), *field) == ("function", "url");
                Output { resource, field, suffix, description, terraform_only }
            })
        })
        .collect()
}

/// `The {what} of {kind} {name}`, built without the formatting machinery:
/// an app has an output or two per function (20,000 at 10,000 functions).
fn describe(what: &str, resource: &Resource) -> String {
    ["The ", what, " of ", &resource.kind, " ", &resource.name].concat()
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

/// The value of an output both printers print as a neutral value, where
/// it is one: a WebSocket API's addresses, a function URL's.
pub fn neutral(scope: &Scope, output: &Output) -> Option<Value> {
    match (output.resource.kind.as_str(), output.field) {
        ("api", field) => super::websocket::field(output.resource, field),
        ("function", "url") => super::function_url::address(scope, output.resource),
        _ => None,
    }
}
