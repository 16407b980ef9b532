//! Who may call an API: its authorizers (`authorizer NAME { type = ... }`),
//! the default authorization of its routes (`auth = NAME | iam | none`),
//! each route's own (`on api "GET /x" { auth = ..., scopes = [...] }`) and
//! its CORS configuration. Shared by every kind of API: HTTP APIs read it
//! here, and other API types add their authorizer types to
//! [`AuthorizerType`].

use super::{Attrs, Model, ResourceId, Trigger, Val};
use crate::source::Span;

/// What an API block says beyond its plain attributes.
#[derive(Clone, Debug, Default)]
pub struct ApiAccess {
    /// `auth = ...` on the API: the default of every route.
    pub auth: Option<AuthChoice>,
    pub cors: Option<Cors>,
    pub authorizers: Vec<Authorizer>,
    /// Authorizers whose block has errors (reported), by name: a route
    /// naming one is not reported again.
    pub broken: Vec<(String, Span)>,
}

impl ApiAccess {
    pub fn authorizer(&self, name: &str) -> Option<&Authorizer> {
        self.authorizers.iter().find(|a| a.name == name)
    }
}

/// An `auth = ...` as written: `none`, `iam` or an authorizer's name.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthChoice {
    pub auth: Auth,
    /// The value as written.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Public, said so.
    None,
    /// SigV4-signed requests, checked against the caller's IAM policy.
    Iam,
    /// An authorizer of the route's API, by name.
    Authorizer(String),
}

/// `authorizer NAME { type = ... }` in an API block.
#[derive(Clone, Debug)]
pub struct Authorizer {
    pub name: String,
    pub name_span: Span,
    /// The whole block.
    pub span: Span,
    pub ty: AuthorizerType,
    /// The block's attributes, checked against the kind's `authorizer`
    /// block, `issuer` excepted (see [`Authorizer::issuer`]).
    pub attrs: Attrs,
    /// `issuer = ...`, with where it is written.
    pub issuer: Option<(Issuer, Span)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorizerType {
    /// A JSON Web Token from an OpenID issuer, checked by API Gateway.
    Jwt,
    /// A Lambda function of the app decides from the request.
    Request,
    /// REST APIs: API Gateway checks a Cognito user pool's tokens.
    Cognito,
    /// REST APIs: a Lambda function of the app decides from one header.
    Token,
}

impl AuthorizerType {
    pub fn word(self) -> &'static str {
        match self {
            AuthorizerType::Jwt => "jwt",
            AuthorizerType::Request => "request",
            AuthorizerType::Cognito => "cognito",
            AuthorizerType::Token => "token",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "jwt" => Some(AuthorizerType::Jwt),
            "request" => Some(AuthorizerType::Request),
            "cognito" => Some(AuthorizerType::Cognito),
            "token" => Some(AuthorizerType::Token),
            _ => None,
        }
    }
}

/// The issuer of a JWT authorizer.
#[derive(Clone, Debug, PartialEq)]
pub enum Issuer {
    /// An existing Cognito user pool: the URL is derived from its ARN.
    Pool(ResourceId),
    /// `"https://..."`.
    Url(String),
}

impl Authorizer {
    /// `function = NAME` of a request authorizer.
    pub fn function(&self) -> Option<ResourceId> {
        self.attrs.reference("function")
    }

    pub fn audience(&self) -> Vec<String> {
        strings(self.attrs.value("audience"))
    }

    pub fn identity(&self) -> Vec<String> {
        strings(self.attrs.value("identity"))
    }

    /// `user_pools = [...]` of a cognito authorizer (REST APIs).
    pub fn user_pools(&self) -> Vec<ResourceId> {
        match self.attrs.value("user_pools") {
            Some(Val::List(items)) => {
                items.iter().filter_map(|v| if let Val::Ref(id) = v { Some(*id) } else { None }).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether API Gateway invokes a function of the app to decide.
    pub fn calls_function(&self) -> bool {
        matches!(self.ty, AuthorizerType::Request | AuthorizerType::Token)
    }

    /// Seconds API Gateway keeps a result; 0 for no caching.
    pub fn cache(&self) -> i64 {
        self.attrs.int("cache").unwrap_or(0)
    }
}

fn strings(value: Option<&Val>) -> Vec<String> {
    match value {
        Some(Val::List(items)) => {
            items.iter().filter_map(|v| if let Val::Str(s) = v { Some(s.clone()) } else { None }).collect()
        }
        _ => Vec::new(),
    }
}

/// `cors = { ... }` on an API.
#[derive(Clone, Debug, PartialEq)]
pub struct Cors {
    pub origins: Vec<String>,
    pub methods: Vec<String>,
    pub headers: Vec<String>,
    pub expose: Vec<String>,
    pub credentials: Option<bool>,
    /// Seconds.
    pub max_age: Option<i64>,
    pub span: Span,
}

/// How one route is authorized, all things considered.
#[derive(Clone, Copy, Debug)]
pub enum RouteAuth<'m> {
    /// Nothing says: public by omission.
    Unsaid,
    /// `auth = none`, on the route or the API.
    None,
    Iam,
    Authorizer(&'m Authorizer),
    /// A name that is no authorizer of the API (reported by resolve).
    Unknown,
}

impl Model {
    /// The API block's access settings, for an API resource.
    pub fn api_access(&self, api: ResourceId) -> Option<&ApiAccess> {
        self.resource(api).api.as_deref()
    }

    /// The `auth` a route says, or its API's, with where it is written.
    pub fn route_auth_choice(&self, trigger: &Trigger) -> Option<AuthChoice> {
        trigger.route.as_ref()?;
        route_choice(&trigger.options).or_else(|| self.api_access(trigger.source)?.auth.clone())
    }

    /// How a route of an API is authorized.
    pub fn route_auth(&self, trigger: &Trigger) -> RouteAuth<'_> {
        let Some(choice) = self.route_auth_choice(trigger) else { return RouteAuth::Unsaid };
        match choice.auth {
            Auth::None => RouteAuth::None,
            Auth::Iam => RouteAuth::Iam,
            Auth::Authorizer(name) => self
                .api_access(trigger.source)
                .and_then(|access| access.authorizer(&name))
                .map_or(RouteAuth::Unknown, RouteAuth::Authorizer),
        }
    }
}

/// The `scopes` option of a route: what its JWT must hold.
pub fn route_scopes(options: &Attrs) -> Vec<String> {
    strings(options.value("scopes"))
}

/// The `auth` option of a route, if written.
pub fn route_choice(options: &Attrs) -> Option<AuthChoice> {
    let attr = options.get("auth")?;
    let Val::Word(word) = &attr.value else { return None };
    Some(AuthChoice { auth: Auth::from_word(word), span: attr.span? })
}

impl Auth {
    pub fn from_word(word: &str) -> Auth {
        match word {
            "none" => Auth::None,
            "iam" => Auth::Iam,
            name => Auth::Authorizer(name.to_string()),
        }
    }
}
