//! Function URLs (`url = { ... }` on a function): the URL with its auth
//! type, invoke mode and CORS, and for `auth = none` the two statements of
//! the function's policy AWS requires of a public URL (`grants::url`):
//! `lambda:InvokeFunctionUrl` for `*` if `FunctionUrlAuthType` is `NONE`,
//! and `lambda:InvokeFunction` for `*` if `InvokedViaFunctionUrl`. A
//! function with an alias is served through the alias (`Qualifier`), and
//! the permissions are the alias's.

use super::facts::Unit;
use super::function::function_ref;
use super::resource::{Attr, Id, Key, Prop, Resource, Type, Value};
use super::{versions, Scope};
use crate::grants::url::{self, UrlCondition};
use crate::model::{self, Cors};

/// The URL of `function` and its permissions; nothing without `url`.
pub fn function_url(scope: &Scope, function: &model::Resource) -> Vec<Resource> {
    let Some(config) = function.function_url() else { return Vec::new() };
    let mut u = Resource::new(
        Id::new(scope.ids.get(function, "Url"), scope.label(function)),
        Type::both("AWS::Lambda::Url", "aws_lambda_function_url"),
    );
    u.owner = Some(function.id);
    u.set(Key::new("TargetFunctionArn", "function_name"), function_ref(scope, function, Attr::get("Arn", "arn")));
    // A function with an alias is served through it, as its other callers.
    if let Some(alias) = versions::alias_ref(scope, function, Attr::reference("arn")) {
        u.set(Key::new("Qualifier", "qualifier"), function.alias().unwrap_or_default());
        u.depends_on.push(alias);
    }
    u.set(Key::new("AuthType", "authorization_type"), if config.auth == "none" { "NONE" } else { "AWS_IAM" });
    let mode = if config.invoke_mode == "stream" { "RESPONSE_STREAM" } else { "BUFFERED" };
    u.set(Key::new("InvokeMode", "invoke_mode"), mode);
    if let Some(cors) = function.function.as_ref().and_then(|f| f.url_cors.as_ref()) {
        u.set(Key::block("Cors", "cors"), Value::Object(cors_props(cors)));
    }
    let mut out = vec![u];
    for (n, permission) in url::permissions(function).iter().enumerate() {
        let suffix = if n == 0 { "UrlPermission" } else { "UrlInvokePermission" };
        let label = if n == 0 { format!("{}_url", function.name) } else { format!("{}_url_invoke", function.name) };
        let mut p = Resource::new(
            Id::new(scope.ids.get(function, suffix), label),
            Type::both("AWS::Lambda::Permission", "aws_lambda_permission"),
        );
        p.owner = Some(function.id);
        p.set(Key::terraform("statement_id"), permission.sid);
        p.set(Key::new("Action", "action"), permission.action);
        versions::permission_target(scope, function, &mut p);
        // A public URL: AWS requires the policy to allow every principal.
        // The condition keeps each statement to calls through the URL.
        p.set(Key::new("Principal", "principal"), "*");
        match permission.condition {
            UrlCondition::AuthType(auth) => p.set(Key::new("FunctionUrlAuthType", "function_url_auth_type"), auth),
            UrlCondition::ViaUrl => p.set(Key::new("InvokedViaFunctionUrl", "invoked_via_function_url"), true),
        };
        out.push(p);
    }
    out
}

/// The `url` output: the address Lambda gives the URL.
pub fn address(scope: &Scope, function: &model::Resource) -> Option<Value> {
    function.function_url()?;
    let id = Id::new(scope.ids.get(function, "Url"), scope.label(function));
    let ty = Type::both("AWS::Lambda::Url", "aws_lambda_function_url");
    Some(Value::reference(super::resource::Ref { id, ty, attr: Attr::get("FunctionUrl", "function_url") }))
}

/// The URL's CORS as both targets name it: `AllowOrigins`, ... and
/// `MaxAge` in seconds; what the app leaves out is left out.
fn cors_props(cors: &Cors) -> Vec<Prop> {
    let strings = |items: &[String]| Value::List(items.iter().map(|s| Value::from(s.as_str())).collect());
    let mut props = Vec::new();
    for (key, items) in [
        (Key::new("AllowOrigins", "allow_origins"), &cors.origins),
        (Key::new("AllowMethods", "allow_methods"), &cors.methods),
        (Key::new("AllowHeaders", "allow_headers"), &cors.headers),
        (Key::new("ExposeHeaders", "expose_headers"), &cors.expose),
    ] {
        if !items.is_empty() {
            props.push(Prop { key, value: strings(items) });
        }
    }
    if let Some(credentials) = cors.credentials {
        props.push(Prop { key: Key::new("AllowCredentials", "allow_credentials"), value: credentials.into() });
    }
    if let Some(seconds) = cors.max_age {
        props.push(Prop { key: Key::new("MaxAge", "max_age"), value: Unit::Seconds.count(seconds).into() });
    }
    props
}
