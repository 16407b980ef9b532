//! WebSocket APIs (`api NAME { type = websocket }`): the API with its route
//! selection expression, its one stage (`live`, deployed on every change,
//! access logs in a log group of their own), and per function route an
//! integration (one per function and API), the route (on `$connect`,
//! AWS_IAM or the API's `request` authorizer) and the invoke permission whose
//! `SourceArn` names the API, the stage and the route key
//! (`…:API_ID/live/$connect`). Also the addresses a WebSocket API is read
//! by: its endpoint (`wss://…/live`) and the callback URL its functions
//! post to (`https://…/live`).

use super::facts::{execute_api_arn, lambda_invocation_uri};
use super::function::function_ref;
use super::names;
use super::resource::{object, Attr, Id, Key, Part, Prop, Ref, Resource, Type, Value};
use super::triggers::cloudformation_id;
use super::Scope;
use crate::model::{self, FunctionBody, ResourceId, Trigger};
use crate::resolve::routes::{is_websocket, WEBSOCKET_STAGE};

/// The access log line of a WebSocket stage: the context variables API
/// Gateway fills for WebSocket APIs (it refuses HTTP-only ones such as
/// `$context.status` on a WebSocket stage).
const ACCESS_LOG_FIELDS: [(&str, &str); 6] = [
    ("requestId", "$context.requestId"),
    ("requestTime", "$context.requestTime"),
    ("eventType", "$context.eventType"),
    ("routeKey", "$context.routeKey"),
    ("connectionId", "$context.connectionId"),
    ("ip", "$context.identity.sourceIp"),
];

/// The route selection expression when the API sets none.
pub const DEFAULT_ROUTE_SELECTION: &str = "$request.body.action";

/// The resources of `api NAME { type = websocket }`.
pub fn websocket_api(scope: &Scope, api: &model::Resource) -> Vec<Resource> {
    let mut main = scope.resource(api, scope.ids.main(api), "AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api");
    if let Some(naming) = names::naming(scope.model, scope.stage, api) {
        main.set(Key::new("Name", "name"), naming.name);
    }
    main.set(Key::new("ProtocolType", "protocol_type"), "WEBSOCKET");
    let selection = api.attrs.str("route_selection").unwrap_or(DEFAULT_ROUTE_SELECTION);
    main.set(Key::new("RouteSelectionExpression", "route_selection_expression"), selection);
    let logs = super::api::access_logs(scope, api);
    let mut stage =
        scope.resource(api, scope.ids.get(api, "Stage"), "AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage");
    stage.set(Key::new("ApiId", "api_id"), main.attr(Attr::reference("id")));
    stage.set(Key::new("StageName", "name"), WEBSOCKET_STAGE);
    stage.set(Key::new("AutoDeploy", "auto_deploy"), true);
    let fields = ACCESS_LOG_FIELDS.iter().map(|(k, v)| ((*k).into(), Value::lit(v))).collect();
    let settings = object([
        (Key::new("DestinationArn", "destination_arn"), logs.attr(Attr::get("Arn", "arn"))),
        (Key::json_text("Format", "format"), Value::Map(fields)),
    ]);
    stage.set(Key::block("AccessLogSettings", "access_log_settings"), settings);
    vec![main.tagged(), logs.tagged(), stage.tagged()]
}

/// The integrations, routes and permissions of a function's WebSocket
/// routes, in the order of its triggers.
pub fn routes(scope: &Scope, function: &model::Resource) -> Vec<Resource> {
    let Some(body) = &function.function else { return Vec::new() };
    let mut out = Vec::new();
    for (index, trigger) in body.triggers.iter().enumerate() {
        let api = scope.model.resource(trigger.source);
        let Some(route) = trigger.route.as_ref().filter(|_| is_websocket(api)) else { continue };
        let integration = integration(scope, function, api);
        if !body.triggers[..index].iter().any(|earlier| earlier.source == trigger.source) {
            out.push(integration.clone());
        }
        let key = route.key();
        let label = format!("{}_{}_{}", function.name, api.name, label_word(&key));
        let mut r = Resource::new(
            Id::new(cloudformation_id(scope, function, body, index, "Route"), label.clone()),
            Type::both("AWS::ApiGatewayV2::Route", "aws_apigatewayv2_route"),
        );
        r.owner = Some(function.id);
        r.set(Key::new("ApiId", "api_id"), Value::Field(api.id, "id".into()));
        r.set(Key::new("RouteKey", "route_key"), key.as_str());
        for prop in authorization(scope, trigger, &key) {
            r.set(prop.key, prop.value);
        }
        let target = Value::Text(vec![
            Part::Lit("integrations/".into()),
            Part::reference(integration.reference(Attr::reference("id"))),
        ]);
        r.set(Key::new("Target", "target"), target);
        out.push(r);
        out.push(permission(scope, function, body, index, api, &key, &label));
    }
    out
}

/// On `$connect`, the connections' authorization (`AWS_IAM`, or `CUSTOM`
/// with the authorizer's id), as the route or the API says; `NONE` on
/// every other route, and where nothing is said.
fn authorization(scope: &Scope, trigger: &Trigger, key: &str) -> Vec<Prop> {
    let said = if key == "$connect" { super::auth::route_authorization(scope, trigger) } else { Vec::new() };
    if said.is_empty() {
        return vec![Prop { key: Key::new("AuthorizationType", "authorization_type"), value: "NONE".into() }];
    }
    said
}

/// The Lambda proxy integration of `function` on `api`: API Gateway calls
/// the function's invocation URI (WebSocket APIs take no payload version).
fn integration(scope: &Scope, function: &model::Resource, api: &model::Resource) -> Resource {
    let id =
        scope.ids.keyed(function, &format!("integration {}", api.name), &format!("{}Integration", scope.ids.stem(api)));
    let mut i = Resource::new(
        Id::new(id, format!("{}_{}", function.name, api.name)),
        Type::both("AWS::ApiGatewayV2::Integration", "aws_apigatewayv2_integration"),
    );
    i.owner = Some(function.id);
    i.set(Key::new("ApiId", "api_id"), Value::Field(api.id, "id".into()));
    i.set(Key::new("IntegrationType", "integration_type"), "AWS_PROXY");
    i.set(Key::new("IntegrationMethod", "integration_method"), "POST");
    i.set(
        Key::new("IntegrationUri", "integration_uri"),
        lambda_invocation_uri(Part::reference(invoked(scope, function))),
    );
    i
}

/// The permission for API Gateway to invoke `function` on this route of
/// this API's one stage: `arn:…:execute-api:REGION:ACCOUNT:API_ID/live/KEY`.
fn permission(
    scope: &Scope,
    function: &model::Resource,
    body: &FunctionBody,
    index: usize,
    api: &model::Resource,
    key: &str,
    label: &str,
) -> Resource {
    let mut p = Resource::new(
        Id::new(cloudformation_id(scope, function, body, index, "Permission"), label),
        Type::both("AWS::Lambda::Permission", "aws_lambda_permission"),
    );
    p.owner = Some(function.id);
    let sid = format!("{}Invoke{}", super::ids::camel(&api.name), index + 1);
    p.set(Key::terraform("statement_id"), sid);
    p.set(Key::new("Action", "action"), "lambda:InvokeFunction");
    super::versions::permission_target(scope, function, &mut p);
    p.set(Key::new("Principal", "principal"), "apigateway.amazonaws.com");
    p.set(Key::new("SourceArn", "source_arn"), source_arn(api.id, key));
    p
}

/// `arn:…:execute-api:REGION:ACCOUNT:API_ID/live/KEY`.
fn source_arn(api: ResourceId, key: &str) -> Value {
    execute_api_arn(Part::Field(api, "id".into()), [Part::Lit(format!("/{WEBSOCKET_STAGE}/{key}"))])
}

/// An attribute of a created function (its name, its ARN), with the
/// dependency that creates the function first.
/// The ARN a route invokes: the function's alias where it has one.
fn invoked(scope: &Scope, function: &model::Resource) -> Ref {
    super::versions::alias_ref(scope, function, Attr::reference("arn"))
        .unwrap_or_else(|| function_ref(scope, function, Attr::get("Arn", "arn")))
}

/// A route key as a word of a Terraform label: `$connect` → `connect`,
/// `sendMessage` → `sendmessage`.
fn label_word(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The addresses of a WebSocket API: `url`, its endpoint with the stage
/// (`wss://ID.execute-api.REGION.amazonaws.com/live`), and
/// `callback_url`, where its functions post to connections
/// (`https://…/live`). Built from the API's id: moto models no
/// API Gateway v2 attribute to read them from.
pub fn field(api: &model::Resource, name: &str) -> Option<Value> {
    let scheme = match name {
        "url" if is_websocket(api) => "wss",
        "callback_url" if is_websocket(api) => "https",
        _ => return None,
    };
    Some(Value::Text(vec![
        Part::Lit(format!("{scheme}://")),
        Part::Field(api.id, "id".into()),
        Part::Lit(".execute-api.".into()),
        Part::Region,
        Part::Lit(".".into()),
        Part::UrlSuffix,
        Part::Lit(format!("/{WEBSOCKET_STAGE}")),
    ]))
}
