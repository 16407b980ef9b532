//! Custom domains of APIs, `domain = { name, certificate, base_path }`: for
//! an HTTP API an `AWS::ApiGatewayV2::DomainName` (regional) and an API
//! mapping of its `$default` stage; for a REST API an
//! `AWS::ApiGateway::DomainName` (regional, or edge-optimized with the
//! certificate CloudFront reads) and a base path mapping of its stage.
//! TLS 1.2 at least. The DNS record is the user's: [`dns_target`] is the
//! name it points at, which `outputs` shows.

use super::resource::{object, Attr, Id, Key, Ref, Resource, Type, Value};
use super::Scope;
use crate::model::api::{ApiType, Domain, Endpoint};
use crate::model::{self};

const HTTP_DOMAIN: (&str, &str) = ("AWS::ApiGatewayV2::DomainName", "aws_apigatewayv2_domain_name");
const HTTP_MAPPING: (&str, &str) = ("AWS::ApiGatewayV2::ApiMapping", "aws_apigatewayv2_api_mapping");
const REST_DOMAIN: (&str, &str) = ("AWS::ApiGateway::DomainName", "aws_api_gateway_domain_name");
const REST_MAPPING: (&str, &str) = ("AWS::ApiGateway::BasePathMapping", "aws_api_gateway_base_path_mapping");
const SECURITY_POLICY: &str = "TLS_1_2";

/// The domain of an api, if it has one, and its mapping.
pub fn domain(scope: &Scope, api: &model::Resource, main: &Resource, stage: &Resource) -> Vec<Resource> {
    let Some(domain) = api.api_setup.as_ref().and_then(|b| b.domain.as_ref()) else { return Vec::new() };
    match api.api_type() {
        ApiType::Http | ApiType::WebSocket => http(scope, api, domain, main, stage),
        ApiType::Rest => rest(scope, api, domain, main, stage),
    }
}

fn http(scope: &Scope, api: &model::Resource, domain: &Domain, main: &Resource, stage: &Resource) -> Vec<Resource> {
    let mut name = scope.resource(api, scope.ids.get(api, "Domain"), HTTP_DOMAIN.0, HTTP_DOMAIN.1);
    name.set(Key::new("DomainName", "domain_name"), domain.name.clone());
    let configuration = object([
        (Key::new("CertificateArn", "certificate_arn"), Value::Arn(domain.certificate)),
        (Key::new("EndpointType", "endpoint_type"), "REGIONAL".into()),
        (Key::new("SecurityPolicy", "security_policy"), SECURITY_POLICY.into()),
    ]);
    name.set(Key::block("DomainNameConfigurations", "domain_name_configuration"), Value::List(vec![configuration]));
    let mut mapping = scope.resource(api, scope.ids.get(api, "ApiMapping"), HTTP_MAPPING.0, HTTP_MAPPING.1);
    mapping.set(Key::new("ApiId", "api_id"), main.attr(Attr::reference("id")));
    mapping.set(Key::new("DomainName", "domain_name"), name.attr(Attr::reference("id")));
    // The `$default` stage by name, after it exists: what `Ref` returns for
    // a stage is not documented as its name.
    mapping.set(Key::new("Stage", "stage"), "$default");
    mapping.depends_on.push(stage.reference(Attr::reference("id")));
    if let Some(path) = &domain.base_path {
        mapping.set(Key::new("ApiMappingKey", "api_mapping_key"), path.clone());
    }
    vec![name.tagged(), mapping]
}

fn rest(scope: &Scope, api: &model::Resource, domain: &Domain, main: &Resource, stage: &Resource) -> Vec<Resource> {
    let endpoint = api.endpoint();
    let mut name = scope.resource(api, scope.ids.get(api, "Domain"), REST_DOMAIN.0, REST_DOMAIN.1);
    name.set(Key::new("DomainName", "domain_name"), domain.name.clone());
    let types = Value::List(vec![endpoint.aws_name().into()]);
    name.set(
        Key::block("EndpointConfiguration", "endpoint_configuration"),
        object([(Key::new("Types", "types"), types)]),
    );
    let certificate = match endpoint {
        Endpoint::Edge => Key::new("CertificateArn", "certificate_arn"),
        Endpoint::Regional => Key::new("RegionalCertificateArn", "regional_certificate_arn"),
    };
    name.set(certificate, Value::Arn(domain.certificate));
    name.set(Key::new("SecurityPolicy", "security_policy"), SECURITY_POLICY);
    let mut mapping = scope.resource(api, scope.ids.get(api, "BasePathMapping"), REST_MAPPING.0, REST_MAPPING.1);
    mapping.set(Key::new("DomainName", "domain_name"), name.attr(Attr::reference("domain_name")));
    mapping.set(Key::new("RestApiId", "api_id"), main.attr(Attr::reference("id")));
    mapping.set(Key::new("Stage", "stage_name"), stage.attr(Attr::reference("stage_name")));
    if let Some(path) = &domain.base_path {
        mapping.set(Key::new("BasePath", "base_path"), path.clone());
    }
    vec![name.tagged(), mapping]
}

/// The host name the user's DNS record for the domain points at (a CNAME,
/// or an alias record): API Gateway's regional domain name, or the
/// CloudFront distribution's for an edge-optimized domain.
pub fn dns_target(scope: &Scope, api: &model::Resource) -> Option<Value> {
    api.api_setup.as_ref()?.domain.as_ref()?;
    let id = Id::new(scope.ids.get(api, "Domain"), scope.label(api));
    let (ty, attr) = match (api.api_type(), api.endpoint()) {
        (ApiType::Http | ApiType::WebSocket, _) => {
            (HTTP_DOMAIN, Attr::get("RegionalDomainName", "domain_name_configuration[0].target_domain_name"))
        }
        (ApiType::Rest, Endpoint::Regional) => (REST_DOMAIN, Attr::get("RegionalDomainName", "regional_domain_name")),
        (ApiType::Rest, Endpoint::Edge) => (REST_DOMAIN, Attr::get("DistributionDomainName", "cloudfront_domain_name")),
    };
    Some(Value::reference(Ref { id, ty: Type::both(ty.0, ty.1), attr }))
}
