//! HTTP APIs: the API, its `$default` stage, deployed on every change, and
//! the log group its access logs go to (the fields of
//! [`facts::ACCESS_LOG_FIELDS`]).

use super::facts::{self, retention_days, DEFAULT_LOG_RETENTION};
use super::names;
use super::resource::{Attr, Keep, Key, Resource, Value};
use super::Scope;
use crate::model;

/// The resources of `api NAME { ... }`.
pub fn http_api(scope: &Scope, api: &model::Resource) -> Vec<Resource> {
    let mut main = scope.resource(api, scope.ids.main(api), "AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api");
    if let Some(naming) = names::naming(scope.model, scope.stage, api) {
        main.set(Key::new("Name", "name"), naming.name);
    }
    main.set(Key::new("ProtocolType", "protocol_type"), "HTTP");
    if let Some((key, cors)) = super::auth::cors(api) {
        main.set(key, cors);
    }
    let logs = access_logs(scope, api);
    let mut stage =
        scope.resource(api, scope.ids.get(api, "Stage"), "AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage");
    stage.set(Key::new("ApiId", "api_id"), main.attr(Attr::reference("id")));
    stage.set(Key::new("StageName", "name"), "$default");
    stage.set(Key::new("AutoDeploy", "auto_deploy"), true);
    stage.set(Key::block("AccessLogSettings", "access_log_settings"), access_log_settings(&logs));
    let domain = super::domain::domain(scope, api, &main, &stage);
    let mut out = vec![main.tagged(), logs.tagged(), stage.tagged()];
    out.extend(domain);
    out
}

/// `/aws/apigateway/<api>/access`, kept as long as a function's logs by
/// default and deleted with the API.
pub(super) fn access_logs(scope: &Scope, api: &model::Resource) -> Resource {
    let id = scope.ids.get(api, "AccessLogs");
    let mut group = scope.resource(api, id, "AWS::Logs::LogGroup", "aws_cloudwatch_log_group");
    group.set(Key::new("LogGroupName", "name"), names::access_log_group_name(scope.model, scope.stage, api));
    group.set(Key::new("RetentionInDays", "retention_in_days"), retention_days(DEFAULT_LOG_RETENTION));
    group.keep = Keep::Delete;
    group
}

fn access_log_settings(logs: &Resource) -> Value {
    access_log_settings_for(logs, facts::ACCESS_LOG_FIELDS.to_vec())
}

/// The destination and the JSON line of `fields` (name, `$context` variable).
pub(super) fn access_log_settings_for(logs: &Resource, fields: Vec<(&'static str, &'static str)>) -> Value {
    let fields = fields.iter().map(|(k, v)| ((*k).into(), Value::lit(v))).collect();
    super::resource::object([
        (Key::new("DestinationArn", "destination_arn"), logs.attr(Attr::get("Arn", "arn"))),
        (Key::json_text("Format", "format"), Value::Map(fields)),
    ])
}
