//! One function's own resources: its log group, its execution role with
//! the inferred grants, the function, its asynchronous invocation config
//! and an event source mapping per poll trigger.

use super::{arns, object, policy, reference, resources, Ctx, Out, Res};
use crate::deploy::defaults;
use crate::deploy::facts::retention_days;
use crate::deploy::names;
use crate::deploy::versions;
use crate::grants::Grants;
use crate::model::{FunctionBody, Resource, Trigger, Val};
use crate::stdlib::TriggerMode;
use serde_json::{json, Map, Value};

pub fn emit(ctx: &Ctx, function: &Resource, grants: &Grants, out: &mut Out) {
    let Some(body) = &function.function else { return };
    let log_group = ctx.id_with(function, "LogGroup");
    out.push(log_group.clone(), log_group_resource(ctx, function));
    out.push(ctx.id_with(function, "Role"), role(ctx, grants));
    out.push(ctx.id(function), lambda(ctx, function, log_group));
    if let Some(config) = invoke_config(ctx, function, body) {
        out.push(ctx.id_with(function, "InvokeConfig"), config);
    }
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = ctx.model.kind_of(trigger.source);
        if kind.trigger.as_ref().is_some_and(|t| t.mode == TriggerMode::Poll) {
            out.push(ctx.trigger_id(function, body, index, "Mapping"), mapping(ctx, function, trigger));
        }
    }
}

/// `/aws/lambda/{function name}`, declared so that its retention is the
/// app's and the role may write to it alone. It goes with the stack: a
/// retained group would make the next stack of the same name fail on
/// "already exists".
fn log_group_resource(ctx: &Ctx, function: &Resource) -> Res {
    let mut r = Res::new("AWS::Logs::LogGroup");
    r.deletion = Some("Delete");
    r.set("LogGroupName", names::log_group_name(ctx.model, ctx.stage, function));
    if let Some(seconds) = defaults::LOG_RETENTION.int(function) {
        r.set("RetentionInDays", retention_days(seconds));
    }
    r.tag(ctx);
    r
}

/// The execution role: Lambda may assume it; its one inline policy holds
/// the grants, but for those that are exactly an AWS managed policy, which
/// is attached. Unnamed: an IAM role name is global to the account, and
/// the same app and stage may be deployed in several regions.
fn role(ctx: &Ctx, grants: &Grants) -> Res {
    let mut r = Res::new("AWS::IAM::Role");
    r.metadata = Some(policy::sources(ctx, &grants.statements));
    r.set("AssumeRolePolicyDocument", policy::trust());
    let (managed, inline): (Vec<_>, Vec<_>) = grants.statements.iter().cloned().partition(|s| s.managed.is_some());
    let mut arns: Vec<Value> = Vec::new();
    for name in managed.iter().filter_map(|s| s.managed.as_deref()) {
        let arn = super::sub(format!("arn:{}:iam::aws:policy/{}", super::PARTITION, super::literal(name)));
        if !arns.contains(&arn) {
            arns.push(arn);
        }
    }
    if !arns.is_empty() {
        r.set("ManagedPolicyArns", arns);
    }
    let document = policy::document(ctx, &inline);
    r.set("Policies", vec![object([("PolicyName", "least-privilege".into()), ("PolicyDocument", document)])]);
    if let Some(boundary) = &ctx.model.app.permissions_boundary {
        r.set("PermissionsBoundary", boundary.clone());
    }
    r.tag(ctx);
    r
}

/// The function. Its code is the `code` package, under the same path, in
/// the app's artifact bucket ([`Ctx::artifact_bucket`]): CloudFormation
/// reads a package only from S3 (`ZipFile` holds one source file of a
/// Node.js or Python function, not a package), so the deployer uploads the
/// packages before it deploys. The bucket is named, not a parameter: the
/// validators resolve every `Ref` to a placeholder and then count a
/// parameter as unused. moto, which deploys the template in the
/// validators, looks the bucket up as S3 would; it exists in a real
/// deployment only, so moto runs with `VALIDATE_LAMBDA_S3=false` (its
/// switch for exactly this) rather than this template faking its code.
fn lambda(ctx: &Ctx, function: &Resource, log_group: String) -> Res {
    let kind = ctx.model.kind_of(function.id);
    let attrs = &function.attrs;
    let mut r = Res::new(kind.cloudformation.clone());
    r.depends_on.push(log_group);
    r.set("FunctionName", names::function_name(ctx.model, ctx.stage, function));
    resources::mapped_attributes(ctx, &kind.attributes, attrs, &mut r.props);
    match versions::package(function) {
        versions::Package::Image(uri) => {
            r.set("PackageType", "Image");
            r.set("Code", object([("ImageUri", uri.into())]));
        }
        versions::Package::ImageInput(input) => {
            r.set("PackageType", "Image");
            r.set("Code", object([("ImageUri", ctx.input(input))]));
        }
        versions::Package::Zip(code) => {
            let key = crate::deploy::names::package_key(code);
            r.set("Code", object([("S3Bucket", ctx.artifact_bucket()), ("S3Key", key.into())]));
        }
    }
    r.set("Role", super::get_att(&ctx.id_with(function, "Role"), "Arn"));
    if let Some(arch) = defaults::ARCH.text(function) {
        r.set("Architectures", json!([arch]));
    }
    if versions::snapstart(function) {
        r.set("SnapStart", object([("ApplyOn", versions::SNAPSTART_APPLY_ON.into())]));
    }
    if let Some(storage) = attrs.int("storage") {
        r.set("EphemeralStorage", json!({ "Size": storage }));
    }
    if let Some(concurrency) = attrs.int("concurrency") {
        r.set("ReservedConcurrentExecutions", concurrency);
    }
    if attrs.bool("tracing") {
        r.set("TracingConfig", json!({ "Mode": "Active" }));
    }
    if let Some(logging) = crate::deploy::facts::logging(attrs) {
        let mut config = Map::new();
        config.insert("LogFormat".into(), logging.format.into());
        if let Some(level) = logging.application_level {
            config.insert("ApplicationLogLevel".into(), level.into());
        }
        if let Some(level) = logging.system_level {
            config.insert("SystemLogLevel".into(), level.into());
        }
        r.set("LoggingConfig", Value::Object(config));
    }
    if let Some(Val::List(layers)) = attrs.value("layers") {
        r.set("Layers", layers.iter().map(|l| resources::value(ctx, l, "")).collect::<Vec<_>>());
    }
    if let Some(Val::Object(entries)) = attrs.value("env") {
        if !entries.is_empty() {
            let variables: Map<String, Value> =
                entries.iter().map(|(k, v)| (k.clone(), environment_value(ctx, v))).collect();
            r.set("Environment", object([("Variables", Value::Object(variables))]));
        }
    }
    if let Some(network) = attrs.reference("network") {
        let network = &ctx.model.resource(network).attrs;
        let ids = |name: &str| match network.value(name) {
            Some(Val::List(items)) => items.iter().map(|i| resources::value(ctx, i, "")).collect(),
            Some(Val::Input(input)) => ctx.input(*input),
            _ => Value::Array(Vec::new()),
        };
        r.set(
            "VpcConfig",
            object([
                ("SubnetIds", ids("subnets")),
                ("SecurityGroupIds", ids("security_groups")),
                ("Ipv6AllowedForDualStack", network.bool("ipv6").into()),
            ]),
        );
    }
    let mounts = function.function.as_ref().map(|b| b.mounts.as_slice()).unwrap_or_default();
    if !mounts.is_empty() {
        let configs: Vec<Value> = mounts
            .iter()
            .map(|m| object([("Arn", arns::arn(ctx, m.target)), ("LocalMountPath", m.path.as_str().into())]))
            .collect();
        r.set("FileSystemConfigs", configs);
    }
    if let Some(target) = attrs.reference("dead_letter") {
        let target = arns::arn_after(ctx, target, &mut r);
        r.set("DeadLetterConfig", object([("TargetArn", target)]));
    }
    r.tag(ctx);
    r
}

/// An environment variable: a string, or a field of a resource.
fn environment_value(ctx: &Ctx, value: &Val) -> Value {
    match value {
        Val::Field(id, field) => arns::field(ctx, *id, field),
        Val::Str(s) | Val::Word(s) => Value::String(s.clone()),
        Val::Int(n) | Val::Duration(n) | Val::Size(n) => Value::String(n.to_string()),
        Val::Bool(b) => Value::String(b.to_string()),
        Val::Ref(id) => arns::arn(ctx, *id),
        Val::Input(id) => ctx.input(*id),
        Val::List(_) | Val::Object(_) => Value::String(resources::value(ctx, value, "").to_string()),
    }
}

/// Retries, event age and destinations of asynchronous invocations.
fn invoke_config(ctx: &Ctx, function: &Resource, body: &FunctionBody) -> Option<Res> {
    let config = body.async_config.as_ref()?;
    let attrs = &config.attrs;
    let mut r = Res::new("AWS::Lambda::EventInvokeConfig");
    r.set("FunctionName", reference(&ctx.id(function)));
    let qualifier = ctx.qualifier(function, &mut r);
    r.set("Qualifier", qualifier);
    if let Some(retries) = attrs.int("retries") {
        r.set("MaximumRetryAttempts", retries);
    }
    if let Some(age) = attrs.int("max_age") {
        r.set("MaximumEventAgeInSeconds", age);
    }
    let mut destinations = Map::new();
    for (attr, key) in [("on_success", "OnSuccess"), ("on_failure", "OnFailure")] {
        if let Some(target) = attrs.reference(attr) {
            destinations.insert(key.into(), object([("Destination", arns::arn_after(ctx, target, &mut r))]));
        }
    }
    if !destinations.is_empty() {
        r.set("DestinationConfig", Value::Object(destinations));
    }
    Some(r)
}

/// The event source mapping of a poll trigger: the stdlib options with a
/// `cloudformation` name map directly; the rest are shaped here.
fn mapping(ctx: &Ctx, function: &Resource, trigger: &Trigger) -> Res {
    let kind = ctx.model.kind_of(trigger.source);
    let mut r = Res::new("AWS::Lambda::EventSourceMapping");
    let source_field = kind.trigger.as_ref().map_or("arn", |t| t.source_field.as_str());
    r.set("EventSourceArn", arns::field(ctx, trigger.source, source_field));
    let function_name = ctx.invoke_name(function, &mut r);
    r.set("FunctionName", function_name);
    let options = kind.trigger.as_ref().map(|t| t.options.as_slice()).unwrap_or_default();
    resources::mapped_attributes(ctx, options, &trigger.options, &mut r.props);
    let o = &trigger.options;
    if let Some(age) = o.int("max_age") {
        r.set("MaximumRecordAgeInSeconds", age);
    }
    if o.bool("report_failures") {
        r.set("FunctionResponseTypes", json!(["ReportBatchItemFailures"]));
    }
    if let Some(concurrency) = o.int("concurrency") {
        r.set("ScalingConfig", json!({ "MaximumConcurrency": concurrency }));
    }
    if let Some(target) = o.reference("on_failure") {
        let target = arns::arn_after(ctx, target, &mut r);
        r.set("DestinationConfig", object([("OnFailure", object([("Destination", target)]))]));
    }
    if let Some(Val::List(filters)) = o.value("filters") {
        let filters: Vec<Value> = filters
            .iter()
            .map(|pattern| object([("Pattern", resources::value(ctx, pattern, "").to_string().into())]))
            .collect();
        r.set("FilterCriteria", object([("Filters", filters.into())]));
    }
    r.tag(ctx);
    r
}
