//! What an `api` block says beyond its attributes: its type (HTTP or REST),
//! its endpoint, its usage plans and API keys, and its custom domain. Read
//! by the rules, the grants and `deploy::rest`/`deploy::domain` alike.

use super::{Attrs, Resource, ResourceId};
use crate::source::Span;

/// The `usage_plan` blocks and the `domain` of an api (its authorizers
/// and CORS are [`super::ApiAccess`]).
#[derive(Clone, Debug, Default)]
pub struct ApiSetup {
    pub usage_plans: Vec<UsagePlan>,
    pub domain: Option<Domain>,
}

/// `usage_plan NAME { keys = [...], rate, burst, quota, period }`.
#[derive(Clone, Debug)]
pub struct UsagePlan {
    pub name: String,
    pub name_span: Span,
    /// `rate`, `burst`, `quota` and `period`, checked like any attributes.
    pub attrs: Attrs,
    /// Each API key's name as written, with its span.
    pub keys: Vec<(String, Span)>,
    /// The whole block.
    pub span: Span,
}

/// `domain = { name = "api.example.com", certificate = CERT, base_path = "v1" }`.
#[derive(Clone, Debug)]
pub struct Domain {
    pub name: String,
    pub certificate: ResourceId,
    /// The path under the domain the API answers at; `None` for the root.
    pub base_path: Option<String>,
    /// The whole object, its `name` value and its `certificate` value.
    pub span: Span,
    pub name_span: Span,
    pub certificate_span: Span,
}

/// The protocols of API Gateway an `api` may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiType {
    /// API Gateway v2 (`AWS::ApiGatewayV2::Api`, protocol HTTP), the default.
    Http,
    /// API Gateway v1 (`AWS::ApiGateway::RestApi`).
    Rest,
    /// API Gateway v2, protocol WEBSOCKET.
    WebSocket,
}

impl ApiType {
    /// The protocol an api's attributes say (`type`), HTTP unless said.
    pub fn of(attrs: &super::Attrs) -> ApiType {
        match attrs.str("type") {
            Some("rest") => ApiType::Rest,
            Some("websocket") => ApiType::WebSocket,
            _ => ApiType::Http,
        }
    }
}

/// Where a REST API's endpoint is served from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Regional,
    /// Behind CloudFront: its custom domains need a certificate in us-east-1.
    Edge,
}

impl Endpoint {
    /// `REGIONAL` or `EDGE`, as both targets write the endpoint type.
    pub fn aws_name(self) -> &'static str {
        match self {
            Endpoint::Regional => "REGIONAL",
            Endpoint::Edge => "EDGE",
        }
    }
}

impl Resource {
    /// The protocol of an `api` (HTTP unless its `type` says otherwise).
    pub fn api_type(&self) -> ApiType {
        ApiType::of(&self.attrs)
    }

    pub fn is_rest_api(&self) -> bool {
        self.kind == "api" && self.api_type() == ApiType::Rest
    }

    pub fn endpoint(&self) -> Endpoint {
        match self.attrs.str("endpoint") {
            Some("edge") => Endpoint::Edge,
            _ => Endpoint::Regional,
        }
    }
}
