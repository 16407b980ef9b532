//! REST APIs (API Gateway v1), `api NAME { type = rest }`: the API with its
//! endpoint type, a resource per path segment, a method per route with its
//! Lambda proxy integration (`AWS_PROXY`, POST to the function's
//! invocation URI), a deployment that is replaced whenever the routes
//! change, the stage named after the app's stage with X-Ray tracing and
//! access logs, and the API keys and usage plans; CORS is
//! [`super::rest_cors`]'s. Permissions are the
//! function's (`grants`), named by [`permission_stage`].
//!
//! A deployment is a snapshot of the API: CloudFormation and Terraform
//! create one only when the resource itself is new. So the deployment's
//! logical id ends with a hash of the routes, and Terraform's `triggers`
//! hold the same hash with `create_before_destroy` (the stage moves to the
//! new deployment before the old one goes).

use super::api::{access_log_settings_for, access_logs};
use super::facts::{execute_api_arn, lambda_invocation_uri};
use super::function::function_ref;
use super::names::{self, fnv1a};
use super::resource::{object, Attr, Id, Key, Part, Ref, Resource, Type, Value};
use super::Scope;
use crate::model::{self, Authorizer, AuthorizerType, Route, RouteAuth, Trigger};
use crate::stdlib::defaults;
use std::collections::HashSet;

const REST_API: (&str, &str) = ("AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api");
const PATH: (&str, &str) = ("AWS::ApiGateway::Resource", "aws_api_gateway_resource");
const METHOD: (&str, &str) = ("AWS::ApiGateway::Method", "aws_api_gateway_method");
const INTEGRATION: &str = "aws_api_gateway_integration";
const DEPLOYMENT: (&str, &str) = ("AWS::ApiGateway::Deployment", "aws_api_gateway_deployment");
const STAGE: (&str, &str) = ("AWS::ApiGateway::Stage", "aws_api_gateway_stage");
const KEY: (&str, &str) = ("AWS::ApiGateway::ApiKey", "aws_api_gateway_api_key");
const PLAN: (&str, &str) = ("AWS::ApiGateway::UsagePlan", "aws_api_gateway_usage_plan");
const PLAN_KEY: (&str, &str) = ("AWS::ApiGateway::UsagePlanKey", "aws_api_gateway_usage_plan_key");
const AUTHORIZER: (&str, &str) = ("AWS::ApiGateway::Authorizer", "aws_api_gateway_authorizer");
const PERMISSION: (&str, &str) = ("AWS::Lambda::Permission", "aws_lambda_permission");

/// The types of a REST API's main resource, for the printers' references
/// to it (`aws_api_gateway_rest_api.legacy.execution_arn`).
pub fn main_type(api: &model::Resource) -> Option<(&'static str, &'static str)> {
    api.is_rest_api().then_some(REST_API)
}

/// The stage part of the `SourceArn` of a route's invoke permission: the
/// REST API's one stage, `*` for an HTTP API (whose `$default` stage
/// AWS names in the ARN as `*`... or any stage it may get).
pub fn permission_stage<'a>(model: &model::Model, stage: &'a str, api: model::ResourceId) -> &'a str {
    if model.resource(api).is_rest_api() {
        stage
    } else {
        "*"
    }
}

/// The URL a REST API's stage answers at, from the API's id alone (a
/// function may read `api.url` in its environment while the API's methods
/// refer to the function).
pub fn url(scope: &Scope, api: &model::Resource) -> Value {
    let id = reference(scope, api, REST_API, Attr::reference("id"));
    Value::Text(vec![
        Part::Lit("https://".into()),
        Part::reference(id),
        Part::Lit(".execute-api.".into()),
        Part::Region,
        Part::Lit(".".into()),
        Part::UrlSuffix,
        Part::Lit(format!("/{}", scope.stage)),
    ])
}

/// A reference to the REST API or one of the resources made for it.
fn reference(scope: &Scope, api: &model::Resource, ty: (&'static str, &'static str), attr: Attr) -> Ref {
    let id = Id::new(scope.ids.main(api), scope.label(api));
    Ref { id, ty: Type::both(ty.0, ty.1), attr }
}

/// Every resource of `api NAME { type = rest }`, in output order.
pub fn rest_api(scope: &Scope, api: &model::Resource) -> Vec<Resource> {
    let mut main = scope.resource(api, scope.ids.main(api), REST_API.0, REST_API.1);
    if let Some(naming) = names::naming(scope.model, scope.stage, api) {
        main.set(Key::new("Name", "name"), naming.name);
    }
    let types = Value::List(vec![api.endpoint().aws_name().into()]);
    main.set(
        Key::block("EndpointConfiguration", "endpoint_configuration"),
        object([(Key::new("Types", "types"), types)]),
    );
    let routes = routes(scope, api);
    let mut out = vec![main.clone().tagged()];
    let authorizers = authorizers(scope, api, &main);
    for (_, authorizer, permission) in &authorizers {
        out.push(authorizer.clone());
        out.extend(permission.clone());
    }
    let mut labels = Labels::default();
    let mut paths: Vec<(String, Resource)> = Vec::new();
    for (_, _, route) in &routes {
        for prefix in prefixes(&route.path) {
            if paths.iter().any(|(p, _)| *p == prefix) {
                continue;
            }
            let parent = parent_of(&prefix).and_then(|p| paths.iter().find(|(q, _)| *q == p)).map(|(_, r)| r);
            let resource = path_resource(scope, api, &main, parent, &prefix, &mut labels);
            paths.push((prefix, resource));
        }
    }
    out.extend(paths.iter().map(|(_, r)| r.clone()));
    let mut waits = Vec::new();
    for (function, trigger, route) in &routes {
        let parent = paths.iter().find(|(p, _)| *p == route.path.trim_end_matches('/')).map(|(_, r)| r);
        let (mut method, integration) = method(scope, api, &main, parent, function, trigger, route, &mut labels);
        authorize(scope, trigger, &authorizers, &mut method);
        waits.push(method.reference(Attr::reference("id")));
        waits.push(integration.reference(Attr::reference("id")));
        out.push(method);
        out.push(integration);
    }
    if let Some(cors) = super::rest_cors::cors(api) {
        let paths_routed: Vec<&Route> = routes.iter().map(|(_, _, route)| *route).collect();
        for (path, methods) in super::rest_cors::paths(&paths_routed) {
            let parent = paths.iter().find(|(p, _)| *p == path).map(|(_, r)| r);
            let made = super::rest_cors::preflight(scope, api, &main, parent, &path, &methods, cors, &mut labels);
            waits.extend(made.iter().map(|r| r.reference(Attr::reference("id"))));
            out.extend(made);
        }
        let responses = super::rest_cors::gateway_responses(scope, api, &main, cors);
        waits.extend(responses.iter().map(|r| r.reference(Attr::reference("id"))));
        out.extend(responses);
    }
    let deployment = deployment(scope, api, &main, &routes, waits);
    let logs = access_logs(scope, api);
    let stage = stage(scope, api, &main, &deployment, &logs);
    out.extend([deployment, logs.tagged(), stage.clone().tagged()]);
    out.extend(usage_plans(scope, api, &main, &stage));
    out.extend(super::domain::domain(scope, api, &main, &stage));
    out
}

/// The functions' routes on this api, in source order.
fn routes<'m>(scope: &Scope<'m>, api: &model::Resource) -> Vec<(&'m model::Resource, &'m Trigger, &'m Route)> {
    scope
        .model
        .functions()
        .flat_map(|(function, body)| body.triggers.iter().map(move |t| (function, t)))
        .filter(|(_, t)| t.source == api.id)
        .filter_map(|(function, t)| Some((function, t, t.route.as_ref()?)))
        .collect()
}

/// `/orders/{id}/items` → `/orders`, `/orders/{id}`, `/orders/{id}/items`.
fn prefixes(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut prefix = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        prefix = format!("{prefix}/{segment}");
        out.push(prefix.clone());
    }
    out
}

fn parent_of(prefix: &str) -> Option<String> {
    let cut = prefix.rfind('/')?;
    (cut > 0).then(|| prefix[..cut].to_string())
}

/// The id of a resource (`Ref`), or the API's root resource's.
pub(super) fn resource_id(main: &Resource, parent: Option<&Resource>) -> Value {
    match parent {
        Some(resource) => resource.attr(Attr::reference("id")),
        None => main.attr(Attr::get("RootResourceId", "root_resource_id")),
    }
}

/// Terraform labels unique per type: a path spelt alike twice (`/a-b`,
/// `/a_b`) gets a number.
#[derive(Default)]
pub(super) struct Labels(HashSet<(&'static str, String)>);

impl Labels {
    pub(super) fn unique(&mut self, ty: &'static str, wanted: String) -> String {
        let mut label = wanted.clone();
        let mut n = 2;
        while !self.0.insert((ty, label.clone())) {
            label = format!("{wanted}_{n}");
            n += 1;
        }
        label
    }
}

/// `/orders/{id}` → (`OrdersById`, `orders_by_id`); the root → `Root`.
pub(super) fn path_words(path: &str) -> (String, String) {
    let words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(var) => match var.strip_suffix('+') {
                Some(greedy) => format!("by_{greedy}_greedy"),
                None => format!("by_{var}"),
            },
            None => segment.to_string(),
        })
        .map(|w| w.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect())
        .collect();
    if words.is_empty() {
        return ("Root".into(), "root".into());
    }
    let snake = words.join("_");
    (super::ids::camel(&snake), snake)
}

fn path_resource(
    scope: &Scope,
    api: &model::Resource,
    main: &Resource,
    parent: Option<&Resource>,
    path: &str,
    labels: &mut Labels,
) -> Resource {
    let (camel, snake) = path_words(path);
    let id = scope.ids.keyed(api, &format!("resource {path}"), &format!("{camel}Resource"));
    let label = labels.unique(PATH.1, format!("{}_{snake}", api.name));
    let mut resource = Resource::new(Id::new(id, label), Type::both(PATH.0, PATH.1));
    resource.owner = Some(api.id);
    resource.set(Key::new("RestApiId", "rest_api_id"), main.attr(Attr::reference("id")));
    resource.set(Key::new("ParentId", "parent_id"), resource_id(main, parent));
    resource.set(Key::new("PathPart", "path_part"), path.rsplit('/').next().unwrap_or_default());
    resource
}

/// The method of one route and its Lambda proxy integration: one
/// CloudFormation `Method` with its `Integration` inside, a method and an
/// integration block in Terraform.
#[allow(clippy::too_many_arguments)]
fn method(
    scope: &Scope,
    api: &model::Resource,
    main: &Resource,
    parent: Option<&Resource>,
    function: &model::Resource,
    trigger: &Trigger,
    route: &Route,
    labels: &mut Labels,
) -> (Resource, Resource) {
    let (camel, snake) = path_words(&route.path);
    let verb = route.method.to_ascii_lowercase();
    let id =
        scope.ids.keyed(api, &format!("method {}", route.key()), &format!("{}{camel}Method", super::ids::camel(&verb)));
    let label = labels.unique(METHOD.1, format!("{}_{verb}_{snake}", api.name));
    let uri = invocation_uri(function);
    let rest_api_id = main.attr(Attr::reference("id"));
    let mut method = Resource::new(Id::new(id, label.clone()), Type::both(METHOD.0, METHOD.1));
    method.owner = Some(api.id);
    method.set(Key::new("RestApiId", "rest_api_id"), rest_api_id.clone());
    method.set(Key::new("ResourceId", "resource_id"), resource_id(main, parent));
    method.set(Key::new("HttpMethod", "http_method"), route.method.clone());
    if trigger.options.bool("api_key") {
        method.set(Key::new("ApiKeyRequired", "api_key_required"), true);
    }
    // The URI names the function by its known ARN: the method waits for it.
    method.depends_on.push(function_ref(scope, function, Attr::reference("arn")));
    let proxy = || {
        vec![
            (Key::new("Type", "type"), Value::from("AWS_PROXY")),
            (Key::new("IntegrationHttpMethod", "integration_http_method"), "POST".into()),
            (Key::new("Uri", "uri"), uri.clone()),
        ]
    };
    let inline = proxy().into_iter().map(|(key, value)| super::resource::Prop { key, value }).collect();
    method.set(Key::cloudformation("Integration"), Value::Object(inline));
    let ty = Type::terraform(INTEGRATION);
    let mut integration = Resource::new(Id::new(String::new(), label), ty);
    integration.owner = Some(api.id);
    integration.set(Key::terraform("rest_api_id"), rest_api_id);
    integration.set(Key::terraform("resource_id"), resource_id(main, parent));
    integration.set(Key::terraform("http_method"), method.attr(Attr::reference("http_method")));
    for (key, value) in proxy() {
        integration.set(key, value);
    }
    (method, integration)
}

/// The REST API's authorizers (by name), each with the permission that
/// lets API Gateway invoke its function, for this authorizer alone.
type Authorizers = Vec<(String, Resource, Option<Resource>)>;

fn authorizers(scope: &Scope, api: &model::Resource, main: &Resource) -> Authorizers {
    let Some(access) = scope.model.api_access(api.id) else { return Vec::new() };
    access.authorizers.iter().map(|a| authorizer(scope, api, main, a)).collect()
}

fn authorizer(
    scope: &Scope,
    api: &model::Resource,
    main: &Resource,
    a: &Authorizer,
) -> (String, Resource, Option<Resource>) {
    let camel = super::ids::camel(&a.name);
    let id = scope.ids.keyed(api, &format!("authorizer {}", a.name), &format!("{camel}Authorizer"));
    let label = format!("{}_{}", api.name, a.name);
    let mut authorizer = Resource::new(Id::new(id, label.clone()), Type::both(AUTHORIZER.0, AUTHORIZER.1));
    authorizer.owner = Some(api.id);
    authorizer.set(Key::new("RestApiId", "rest_api_id"), main.attr(Attr::reference("id")));
    authorizer.set(Key::new("Name", "name"), a.name.clone());
    let ty = match a.ty {
        AuthorizerType::Cognito => "COGNITO_USER_POOLS",
        AuthorizerType::Token => "TOKEN",
        _ => "REQUEST",
    };
    authorizer.set(Key::new("Type", "type"), ty);
    if a.ty == AuthorizerType::Cognito {
        let pools = a.user_pools().into_iter().map(Value::Arn).collect();
        authorizer.set(Key::new("ProviderARNs", "provider_arns"), Value::List(pools));
    }
    let identity = match a.ty {
        AuthorizerType::Token => {
            defaults::TOKEN_HEADER.text_in(&a.attrs).map(|header| format!("method.request.header.{header}"))
        }
        AuthorizerType::Cognito => Some("method.request.header.Authorization".to_string()),
        _ => {
            let sources: Vec<String> = a.identity().iter().map(|s| rest_identity_source(s)).collect();
            (!sources.is_empty()).then(|| sources.join(","))
        }
    };
    if let Some(identity) = identity {
        authorizer.set(Key::new("IdentitySource", "identity_source"), identity);
    }
    let function = a.function().filter(|_| a.calls_function());
    let Some(function) = function.map(|f| scope.model.resource(f)) else { return (a.name.clone(), authorizer, None) };
    authorizer.set(Key::new("AuthorizerUri", "authorizer_uri"), invocation_uri(function));
    authorizer.set(Key::new("AuthorizerResultTtlInSeconds", "authorizer_result_ttl_in_seconds"), a.cache());
    let id =
        scope.ids.keyed(api, &format!("authorizer permission {}", a.name), &format!("{camel}AuthorizerPermission"));
    let mut permission = Resource::new(Id::new(id, label), Type::both(PERMISSION.0, PERMISSION.1));
    permission.owner = Some(api.id);
    permission.metadata = super::policy::permission_sources(scope, a.name_span);
    permission.set(Key::new("Action", "action"), "lambda:InvokeFunction");
    permission.set(Key::new("FunctionName", "function_name"), Value::Field(function.id, "name".into()));
    permission.set(Key::new("Principal", "principal"), "apigateway.amazonaws.com");
    let source = execute_api_arn(
        Part::reference(main.reference(Attr::reference("id"))),
        [Part::Lit("/authorizers/".into()), Part::reference(authorizer.reference(Attr::reference("id")))],
    );
    permission.set(Key::new("SourceArn", "source_arn"), source);
    // The function is named by its known name: the permission waits for it.
    permission.depends_on.push(function_ref(scope, function, Attr::reference("arn")));
    (a.name.clone(), authorizer, Some(permission))
}

/// An HTTP API's identity source as a REST API writes it:
/// `$request.header.X` → `method.request.header.X`, `$context.X` → `context.X`.
fn rest_identity_source(source: &str) -> String {
    match source.strip_prefix("$request.") {
        Some(rest) => format!("method.request.{rest}"),
        None => source.trim_start_matches('$').to_string(),
    }
}

/// `arn:…:apigateway:REGION:lambda:path/2015-03-31/functions/FN/invocations`.
fn invocation_uri(function: &model::Resource) -> Value {
    lambda_invocation_uri(Part::Field(function.id, "arn".into()))
}

/// How the method of a route is authorized: its `auth`, or its API's.
fn authorize(scope: &Scope, trigger: &Trigger, authorizers: &Authorizers, method: &mut Resource) {
    let key = Key::new("AuthorizationType", "authorization");
    let chosen = match scope.model.route_auth(trigger) {
        RouteAuth::Iam => {
            method.set(key, "AWS_IAM");
            return;
        }
        RouteAuth::Authorizer(a) => authorizers.iter().find(|(name, ..)| *name == a.name).map(|(_, r, _)| (a, r)),
        RouteAuth::Unsaid | RouteAuth::None | RouteAuth::Unknown => None,
    };
    let Some((a, authorizer)) = chosen else {
        method.set(key, "NONE");
        return;
    };
    let cognito = a.ty == AuthorizerType::Cognito;
    method.set(key, if cognito { "COGNITO_USER_POOLS" } else { "CUSTOM" });
    method.set(Key::new("AuthorizerId", "authorizer_id"), authorizer.attr(Attr::reference("id")));
    let scopes = match trigger.options.value("scopes") {
        Some(model::Val::List(items)) => items.clone(),
        _ => Vec::new(),
    };
    if cognito && !scopes.is_empty() {
        let scopes =
            scopes.iter().filter_map(|s| if let model::Val::Str(s) = s { Some(Value::from(s.as_str())) } else { None });
        method.set(Key::new("AuthorizationScopes", "authorization_scopes"), Value::List(scopes.collect()));
    }
}

/// A hash of everything a deployment snapshots: each route's method,
/// path, API key requirement, authorization and function, in a fixed order.
fn routes_hash(model: &model::Model, routes: &[(&model::Resource, &Trigger, &Route)]) -> String {
    let mut lines: Vec<String> = routes
        .iter()
        .map(|(function, trigger, route)| {
            let auth = model.route_auth_choice(trigger).map(|c| format!("{:?}", c.auth)).unwrap_or_default();
            let scopes = trigger.options.value("scopes").map(|s| s.describe()).unwrap_or_default();
            let key = trigger.options.bool("api_key");
            format!("{} {} {key} {} {auth} {scopes}", route.method, route.path, function.name)
        })
        .collect();
    // An authorizer's settings reach the stage only with a deployment too.
    let access = routes.first().and_then(|(_, trigger, _)| model.api_access(trigger.source));
    // So do the preflight methods and gateway responses `cors` makes.
    if let Some(cors) = access.and_then(|access| access.cors.as_ref()) {
        lines.push(super::rest_cors::hash_line(cors));
    }
    for a in access.iter().flat_map(|access| &access.authorizers) {
        let settings: Vec<String> = a.attrs.0.iter().map(|x| format!("{}={}", x.name, x.value.describe())).collect();
        lines.push(format!("authorizer {} {}", a.name, settings.join(" ")));
    }
    lines.sort();
    format!("{:08x}", fnv1a(lines.join("\n").as_bytes()))
}

fn deployment(
    scope: &Scope,
    api: &model::Resource,
    main: &Resource,
    routes: &[(&model::Resource, &Trigger, &Route)],
    waits: Vec<Ref>,
) -> Resource {
    let hash = routes_hash(scope.model, routes);
    let id = scope.ids.keyed(api, "deployment", &format!("Deployment{hash}"));
    let mut deployment = Resource::new(Id::new(id, scope.label(api)), Type::both(DEPLOYMENT.0, DEPLOYMENT.1));
    deployment.owner = Some(api.id);
    deployment.set(Key::new("RestApiId", "rest_api_id"), main.attr(Attr::reference("id")));
    deployment.set(Key::new("Description", "description"), format!("routes {hash}"));
    deployment.set(Key::terraform("triggers"), Value::Map(vec![("redeployment".into(), hash.into())]));
    deployment.depends_on = waits;
    deployment.create_before_destroy = true;
    deployment
}

fn stage(scope: &Scope, api: &model::Resource, main: &Resource, deployment: &Resource, logs: &Resource) -> Resource {
    let mut stage = scope.resource(api, scope.ids.get(api, "Stage"), STAGE.0, STAGE.1);
    stage.set(Key::new("RestApiId", "rest_api_id"), main.attr(Attr::reference("id")));
    stage.set(Key::new("DeploymentId", "deployment_id"), deployment.attr(Attr::reference("id")));
    stage.set(Key::new("StageName", "stage_name"), scope.stage);
    if api.attrs.bool("tracing") {
        stage.set(Key::new("TracingEnabled", "xray_tracing_enabled"), true);
    }
    let fields = super::facts::rest_access_log_fields();
    stage.set(Key::block("AccessLogSetting", "access_log_settings"), access_log_settings_for(logs, fields));
    stage
}

/// Each usage plan of the api on its stage, each of its keys, and the
/// keys' membership.
fn usage_plans(scope: &Scope, api: &model::Resource, main: &Resource, stage: &Resource) -> Vec<Resource> {
    let mut out = Vec::new();
    for plan in api.api_setup.iter().flat_map(|b| &b.usage_plans) {
        let plan_stem = super::ids::camel(&plan.name);
        let id = scope.ids.keyed(api, &format!("usage plan {}", plan.name), &format!("{plan_stem}UsagePlan"));
        let mut usage = Resource::new(Id::new(id, format!("{}_{}", api.name, plan.name)), Type::both(PLAN.0, PLAN.1));
        usage.owner = Some(api.id);
        let name = names::physical(scope.model, scope.stage, &format!("{}-{}", api.name, plan.name), 255);
        usage.set(Key::new("UsagePlanName", "name"), name);
        let api_stage = object([
            (Key::new("ApiId", "api_id"), main.attr(Attr::reference("id"))),
            (Key::new("Stage", "stage"), stage.attr(Attr::reference("stage_name"))),
        ]);
        usage.set(Key::block("ApiStages", "api_stages"), Value::List(vec![api_stage]));
        let mut throttle = Vec::new();
        if let Some(burst) = plan.attrs.int("burst") {
            throttle.push((Key::new("BurstLimit", "burst_limit"), Value::Int(burst)));
        }
        if let Some(rate) = plan.attrs.int("rate") {
            throttle.push((Key::new("RateLimit", "rate_limit"), Value::Int(rate)));
        }
        if !throttle.is_empty() {
            let props = throttle.into_iter().map(|(key, value)| super::resource::Prop { key, value }).collect();
            usage.set(Key::block("Throttle", "throttle_settings"), Value::Object(props));
        }
        if let (Some(quota), Some(period)) = (plan.attrs.int("quota"), defaults::QUOTA_PERIOD.text_in(&plan.attrs)) {
            let period = period.to_ascii_uppercase();
            let quota = object([
                (Key::new("Limit", "limit"), Value::Int(quota)),
                (Key::new("Period", "period"), period.into()),
            ]);
            usage.set(Key::block("Quota", "quota_settings"), quota);
        }
        let usage = usage.tagged();
        let mut members = Vec::new();
        for (key, _) in &plan.keys {
            let key_stem = super::ids::camel(&label_word(key));
            let id = scope.ids.keyed(api, &format!("api key {key}"), &format!("{key_stem}ApiKey"));
            let mut api_key =
                Resource::new(Id::new(id, format!("{}_{}", api.name, label_word(key))), Type::both(KEY.0, KEY.1));
            api_key.owner = Some(api.id);
            api_key.set(
                Key::new("Name", "name"),
                names::physical(scope.model, scope.stage, &format!("{}-{key}", api.name), 1024),
            );
            api_key.set(Key::new("Enabled", "enabled"), true);
            let id = scope.ids.keyed(
                api,
                &format!("plan key {} {key}", plan.name),
                &format!("{plan_stem}{key_stem}UsagePlanKey"),
            );
            let label = format!("{}_{}_{}", api.name, plan.name, label_word(key));
            let mut member = Resource::new(Id::new(id, label), Type::both(PLAN_KEY.0, PLAN_KEY.1));
            member.owner = Some(api.id);
            member.set(Key::new("KeyId", "key_id"), api_key.attr(Attr::reference("id")));
            member.set(Key::new("KeyType", "key_type"), "API_KEY");
            member.set(Key::new("UsagePlanId", "usage_plan_id"), usage.attr(Attr::reference("id")));
            out.push(api_key.tagged());
            members.push(member);
        }
        out.push(usage);
        out.extend(members);
    }
    out
}

/// A key's name as a word of an id or label: `-` and `.` become `_`.
fn label_word(key: &str) -> String {
    key.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::{parent_of, path_words, prefixes};

    #[test]
    fn paths_become_resources() {
        assert_eq!(prefixes("/orders/{id}/items"), ["/orders", "/orders/{id}", "/orders/{id}/items"]);
        assert!(prefixes("/").is_empty());
        assert_eq!(parent_of("/orders/{id}").as_deref(), Some("/orders"));
        assert_eq!(parent_of("/orders"), None);
        assert_eq!(path_words("/orders/{id}"), ("OrdersById".into(), "orders_by_id".into()));
        assert_eq!(path_words("/{proxy+}"), ("ByProxyGreedy".into(), "by_proxy_greedy".into()));
        assert_eq!(path_words("/"), ("Root".into(), "root".into()));
    }
}
