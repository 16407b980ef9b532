//! Who may call an HTTP or WebSocket API, as deployed: each authorizer
//! (`AWS::ApiGatewayV2::Authorizer` / `aws_apigatewayv2_authorizer`) and,
//! for a request authorizer, the permission that lets API Gateway invoke
//! its function for that authorizer alone; the API's CORS configuration;
//! and the authorization properties of each route.
//!
//! Ids: an authorizer is `{Api}{Name}Authorizer` in CloudFormation and
//! `{api}-{name}` in Terraform (names never hold `-`, so no two pairs of
//! API and authorizer share a label, and no label made from one name
//! alone is taken); its permission is `{Api}{Name}AuthorizerPermission`
//! and `{api}-{name}`.

use super::facts::{execute_api_arn, lambda_invocation_uri};
use super::function::function_ref;
use super::ids::camel;
use super::resource::{object, Attr, Id, Key, Part, Prop, Ref, Resource, Type, Value};
use super::Scope;
use crate::grants::PermissionSource;
use crate::model::{self, Authorizer, AuthorizerType, Cors, Issuer, Model, RouteAuth, Trigger};
use crate::resolve::routes::is_websocket;

const AUTHORIZER: (&str, &str) = ("AWS::ApiGatewayV2::Authorizer", "aws_apigatewayv2_authorizer");
const PERMISSION: (&str, &str) = ("AWS::Lambda::Permission", "aws_lambda_permission");

/// Where API Gateway reads a JWT: the bearer token of `Authorization`.
const JWT_IDENTITY: &str = "$request.header.Authorization";

/// The event format a request authorizer's function receives (the HTTP
/// API's own, which CloudFormation requires to be given).
const PAYLOAD_FORMAT: &str = "2.0";

/// The authorizers of an API and their functions' permissions, in the
/// order they are declared.
pub fn authorizers(scope: &Scope, api: &model::Resource) -> Vec<Resource> {
    let Some(access) = &api.api else { return Vec::new() };
    let mut out = Vec::new();
    for authorizer in &access.authorizers {
        let made = authorizer_resource(scope, api, authorizer);
        let permission = authorizer.function().map(|f| permission(scope, api, authorizer, &made, f));
        out.push(made);
        out.extend(permission);
    }
    out
}

/// Whether `build`'s printers leave a permission to this module.
pub fn printed_here(source: &PermissionSource) -> bool {
    matches!(source, PermissionSource::Authorizer { .. })
}

fn authorizer_id(scope: &Scope, api: &model::Resource, name: &str) -> Id {
    let cloudformation = scope.ids.keyed(api, &format!("authorizer {name}"), &format!("{}Authorizer", camel(name)));
    Id::new(cloudformation, format!("{}-{name}", api.name))
}

fn authorizer_resource(scope: &Scope, api: &model::Resource, authorizer: &Authorizer) -> Resource {
    let mut r = Resource::new(authorizer_id(scope, api, &authorizer.name), Type::both(AUTHORIZER.0, AUTHORIZER.1));
    r.owner = Some(api.id);
    r.set(Key::new("ApiId", "api_id"), Value::Field(api.id, "id".into()));
    r.set(Key::new("Name", "name"), authorizer.name.as_str());
    match authorizer.ty {
        AuthorizerType::Jwt => {
            r.set(Key::new("AuthorizerType", "authorizer_type"), "JWT");
            r.set(Key::new("IdentitySource", "identity_sources"), strings(&[JWT_IDENTITY.to_string()]));
            let issuer = authorizer.issuer.as_ref().map(|(issuer, _)| issuer_url(scope.model, issuer));
            r.set(
                Key::block("JwtConfiguration", "jwt_configuration"),
                object([
                    (Key::new("Audience", "audience"), strings(&authorizer.audience())),
                    (Key::new("Issuer", "issuer"), Value::from(issuer.unwrap_or_default())),
                ]),
            );
        }
        AuthorizerType::Request => {
            r.set(Key::new("AuthorizerType", "authorizer_type"), "REQUEST");
            let identity = authorizer.identity();
            if !identity.is_empty() {
                r.set(Key::new("IdentitySource", "identity_sources"), strings(&identity));
            }
            if let Some(function) = authorizer.function() {
                r.set(Key::new("AuthorizerUri", "authorizer_uri"), invoke_uri(scope, function));
            }
            // A WebSocket API's authorizer takes neither: its event is the
            // `$connect` request's, and nothing is cached.
            if !is_websocket(api) {
                r.set(Key::new("AuthorizerPayloadFormatVersion", "authorizer_payload_format_version"), PAYLOAD_FORMAT);
                // Terraform caches for 300s unless told: always written.
                r.set(Key::new("AuthorizerResultTtlInSeconds", "authorizer_result_ttl_in_seconds"), authorizer.cache());
            }
        }
        // REST APIs' own types, described in `deploy::rest`; an HTTP API
        // refuses them (LF1043).
        AuthorizerType::Cognito | AuthorizerType::Token => {}
    }
    r
}

/// API Gateway may invoke `function` for this authorizer alone.
fn permission(
    scope: &Scope,
    api: &model::Resource,
    authorizer: &Authorizer,
    made: &Resource,
    function: model::ResourceId,
) -> Resource {
    let id = Id::new(
        scope.ids.keyed(
            api,
            &format!("authorizer {} permission", authorizer.name),
            &format!("{}AuthorizerPermission", camel(&authorizer.name)),
        ),
        format!("{}-{}", api.name, authorizer.name),
    );
    let mut p = Resource::new(id, Type::both(PERMISSION.0, PERMISSION.1));
    p.owner = Some(function);
    p.metadata = super::policy::permission_sources(scope, authorizer.name_span);
    let sid = format!("{}Authorizer{}", camel(&api.name), camel(&authorizer.name));
    p.set(Key::terraform("statement_id"), sid);
    p.set(Key::new("Action", "action"), "lambda:InvokeFunction");
    p.set(
        Key::new("FunctionName", "function_name"),
        Value::reference(function_ref(scope, scope.model.resource(function), Attr::reference("function_name"))),
    );
    p.set(Key::new("Principal", "principal"), "apigateway.amazonaws.com");
    p.set(Key::new("SourceArn", "source_arn"), authorizer_arn(api, made));
    p
}

/// `arn:…:execute-api:REGION:ACCOUNT:API_ID/authorizers/AUTHORIZER_ID`.
fn authorizer_arn(api: &model::Resource, made: &Resource) -> Value {
    let authorizer = [Part::Lit("/authorizers/".into()), Part::reference(made.reference(Attr::reference("id")))];
    execute_api_arn(Part::Field(api.id, "id".into()), authorizer)
}

/// `arn:…:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`.
fn invoke_uri(scope: &Scope, function: model::ResourceId) -> Value {
    let arn = function_ref(scope, scope.model.resource(function), Attr::get("Arn", "arn"));
    lambda_invocation_uri(Part::reference(arn))
}

/// A user pool's issuer: `https://cognito-idp.REGION.amazonaws.com/POOL_ID`.
pub fn issuer_url(model: &Model, issuer: &Issuer) -> String {
    match issuer {
        Issuer::Url(url) => url.clone(),
        Issuer::Pool(pool) => match &model.resource(*pool).existing {
            Some(existing) => format!("https://cognito-idp.{}.amazonaws.com/{}", existing.region, existing.id),
            None => String::new(),
        },
    }
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::from(s.clone())).collect())
}

/// The API's `CorsConfiguration`, when it has `cors`.
pub fn cors(api: &model::Resource) -> Option<(Key, Value)> {
    let cors: &Cors = api.api.as_ref()?.cors.as_ref()?;
    let mut props = Vec::new();
    let mut list = |cloudformation: &'static str, terraform: &'static str, items: &[String]| {
        if !items.is_empty() {
            props.push(Prop { key: Key::new(cloudformation, terraform), value: strings(items) });
        }
    };
    list("AllowOrigins", "allow_origins", &cors.origins);
    list("AllowMethods", "allow_methods", &cors.methods);
    list("AllowHeaders", "allow_headers", &cors.headers);
    list("ExposeHeaders", "expose_headers", &cors.expose);
    if let Some(credentials) = cors.credentials {
        props.push(Prop { key: Key::new("AllowCredentials", "allow_credentials"), value: credentials.into() });
    }
    if let Some(max_age) = cors.max_age {
        props.push(Prop { key: Key::new("MaxAge", "max_age"), value: max_age.into() });
    }
    Some((Key::block("CorsConfiguration", "cors_configuration"), Value::Object(props)))
}

/// A route's authorization properties beyond the default (`NONE`, which
/// CloudFormation's route writes and Terraform leaves out): the type,
/// the authorizer, and a JWT route's scopes.
pub fn route_authorization(scope: &Scope, trigger: &Trigger) -> Vec<Prop> {
    let api = scope.model.resource(trigger.source);
    let (ty, authorizer) = match scope.model.route_auth(trigger) {
        RouteAuth::Unsaid | RouteAuth::None | RouteAuth::Unknown => return Vec::new(),
        RouteAuth::Iam => ("AWS_IAM", None),
        RouteAuth::Authorizer(a) if a.ty == AuthorizerType::Jwt => ("JWT", Some(a)),
        RouteAuth::Authorizer(a) => ("CUSTOM", Some(a)),
    };
    let mut props = vec![Prop { key: Key::new("AuthorizationType", "authorization_type"), value: ty.into() }];
    if let Some(authorizer) = authorizer {
        let id = authorizer_id(scope, api, &authorizer.name);
        let reference = Ref { id, ty: Type::both(AUTHORIZER.0, AUTHORIZER.1), attr: Attr::reference("id") };
        props.push(Prop { key: Key::new("AuthorizerId", "authorizer_id"), value: Value::reference(reference) });
        let scopes = model::route_scopes(&trigger.options);
        if authorizer.ty == AuthorizerType::Jwt && !scopes.is_empty() {
            props.push(Prop { key: Key::new("AuthorizationScopes", "authorization_scopes"), value: strings(&scopes) });
        }
    }
    props
}
