//! A function's own resources, decided once for both targets: its log
//! group, its execution role with the inferred grants, the function, and
//! its asynchronous invocation config.
//!
//! - **Log group** `/aws/lambda/{function name}`, declared so that its
//!   retention is the app's and the role may write to it alone. It goes
//!   with the stack (`Delete`): a retained group would make the next stack
//!   of the same name fail on "already exists".
//! - **Role**, unnamed in both targets: an IAM role name is global to the
//!   account, and one app and stage may be deployed in several regions.
//!   Its grants are one inline policy (`least-privilege`), but for those
//!   that are exactly an AWS managed policy (a VPC function's network
//!   interfaces), which is attached. CloudFormation writes the policy and
//!   the attachments inside the role, Terraform as resources of their own.
//! - **Function.** Its code is the `code` package, under the same path, in
//!   the app's artifact bucket: CloudFormation reads a package only from
//!   S3, so the deployer uploads the packages before it deploys; Terraform
//!   reads the file beside `main.tf`. It waits for its log group and, in
//!   Terraform, its permissions (Lambda checks the network-interface ones
//!   when it is created).

use super::facts::{logging, retention_days};
use super::names;
use super::policy;
use super::resource::{object, Attr, Id, Keep, Key, Ref, Resource, Type, Value};
use super::stores::neutral_value;
use super::versions::{self, Package};
use super::Scope;
use crate::grants::{Grants, Statement};
use crate::model::{self, FunctionBody, Val};
use crate::stdlib::defaults;

pub const FUNCTION: (&str, &str) = ("AWS::Lambda::Function", "aws_lambda_function");
const LOG_GROUP: (&str, &str) = ("AWS::Logs::LogGroup", "aws_cloudwatch_log_group");
const ROLE: (&str, &str) = ("AWS::IAM::Role", "aws_iam_role");

/// A reference to the function's `attr`.
pub fn function_ref(scope: &Scope, function: &model::Resource, attr: Attr) -> Ref {
    Ref { id: Id::new(scope.ids.main(function), scope.label(function)), ty: Type::both(FUNCTION.0, FUNCTION.1), attr }
}

/// The log group, role (with its Terraform policy and attachments), the
/// function, its invocation config and its poll triggers' event source
/// mappings, in output order.
pub fn own(scope: &Scope, function: &model::Resource, grants: &Grants) -> Vec<Resource> {
    let Some(body) = &function.function else { return Vec::new() };
    let mut made = vec![log_group(scope, function)];
    role(scope, function, grants, &mut made);
    let mut main = lambda(scope, function, body);
    main.depends_on.push(made[0].reference(Attr::reference("arn")));
    // Terraform's role policy and attachments: the function waits for
    // its permissions.
    main.depends_on.extend(made[2..].iter().map(|r| r.reference(Attr::reference("id"))));
    made.push(main);
    made.extend(invoke_config(scope, function, body));
    made.extend(super::triggers::mappings(scope, function, body));
    made
}

fn log_group(scope: &Scope, function: &model::Resource) -> Resource {
    let mut group = scope.resource(function, scope.ids.get(function, "LogGroup"), LOG_GROUP.0, LOG_GROUP.1);
    group.keep = Keep::Delete;
    group.set(Key::new("LogGroupName", "name"), names::log_group_name(scope.model, scope.stage, function));
    if let Some(seconds) = defaults::LOG_RETENTION.int(function) {
        group.set(Key::new("RetentionInDays", "retention_in_days"), retention_days(seconds));
    }
    group.tagged()
}

/// The role, then Terraform's inline policy and one attachment per
/// managed policy, after those in `made`.
fn role(scope: &Scope, function: &model::Resource, grants: &Grants, made: &mut Vec<Resource>) {
    let mut role = scope.resource(function, scope.ids.get(function, "Role"), ROLE.0, ROLE.1);
    role.metadata = policy::sources(scope, &grants.statements);
    role.set(Key::json("AssumeRolePolicyDocument", "assume_role_policy"), policy::lambda_trust());
    let (managed, inline): (Vec<&Statement>, Vec<&Statement>) =
        grants.statements.iter().partition(|s| s.managed.is_some());
    let mut paths: Vec<&str> = Vec::new();
    for path in managed.iter().filter_map(|s| s.managed.as_deref()) {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    if !paths.is_empty() {
        let arns = paths.iter().map(|path| policy::managed_arn(path)).collect();
        role.set(Key::cloudformation("ManagedPolicyArns"), Value::List(arns));
    }
    let document = Value::Shared(std::sync::Arc::new(policy::document(scope, inline)));
    let name = "least-privilege";
    role.set(
        Key::cloudformation("Policies"),
        Value::List(vec![object([
            (Key::cloudformation("PolicyName"), name.into()),
            (Key::cloudformation("PolicyDocument"), document.clone()),
        ])]),
    );
    if let Some(boundary) = &scope.model.app.permissions_boundary {
        role.set(Key::new("PermissionsBoundary", "permissions_boundary"), boundary.as_str());
    }
    let role = role.tagged();
    let mut policy = terraform_only(function, function.name.clone(), "aws_iam_role_policy");
    policy.set(Key::terraform("name"), name);
    policy.set(Key::terraform("role"), role.attr(Attr::reference("id")));
    policy.set(Key::terraform("policy").in_form(super::resource::Form::Json), document);
    let role_name = role.attr(Attr::reference("name"));
    made.reserve(paths.len() + 4);
    made.extend([role, policy]);
    for (index, path) in paths.into_iter().enumerate() {
        let label = if index == 0 { function.name.clone() } else { format!("{}_{}", function.name, index + 1) };
        let mut attachment = terraform_only(function, label, "aws_iam_role_policy_attachment");
        attachment.set(Key::terraform("role"), role_name.clone());
        attachment.set(Key::terraform("policy_arn"), policy::managed_arn(path));
        made.push(attachment);
    }
}

fn terraform_only(function: &model::Resource, label: String, ty: &'static str) -> Resource {
    let mut r = Resource::new(Id::new("", label), Type::terraform(ty));
    r.owner = Some(function.id);
    r
}

/// The function itself.
fn lambda(scope: &Scope, function: &model::Resource, body: &FunctionBody) -> Resource {
    let attrs = &function.attrs;
    let mut r = scope.resource(function, scope.ids.main(function), FUNCTION.0, FUNCTION.1);
    // Room for the properties most functions set, grown once rather than
    // doubled three times.
    r.props.reserve(16);
    r.set(Key::new("FunctionName", "function_name"), names::function_name(scope.model, scope.stage, function));
    let role = Ref {
        id: Id::new(scope.ids.get(function, "Role"), scope.label(function)),
        ty: Type::both(ROLE.0, ROLE.1),
        attr: Attr::get("Arn", "arn"),
    };
    r.set(Key::new("Role", "role"), role);
    if let Some(description) = attrs.str("description") {
        r.set(Key::new("Description", "description"), description);
    }
    package(scope, function, &mut r);
    if versions::publishes(function) {
        r.set(Key::terraform("publish"), true);
    }
    if let Some(memory) = defaults::MEMORY.int(function) {
        r.set(Key::new("MemorySize", "memory_size"), memory);
    }
    if let Some(timeout) = defaults::TIMEOUT.int(function) {
        r.set(Key::new("Timeout", "timeout"), timeout);
    }
    if let Some(arch) = defaults::ARCH.text(function) {
        r.set(Key::new("Architectures", "architectures"), Value::List(vec![arch.into()]));
    }
    if let Some(concurrency) = attrs.int("concurrency") {
        r.set(Key::new("ReservedConcurrentExecutions", "reserved_concurrent_executions"), concurrency);
    }
    if let Some(layers @ Val::List(_)) = attrs.value("layers") {
        r.set(Key::new("Layers", "layers"), neutral_value(layers));
    }
    if let Some(Val::Object(entries)) = attrs.value("env") {
        if !entries.is_empty() {
            let variables = entries.iter().map(|(k, v)| (k.clone().into(), environment_value(v))).collect();
            r.set(
                Key::block("Environment", "environment"),
                object([(Key::new("Variables", "variables"), Value::Map(variables))]),
            );
        }
    }
    if let Some(key) = attrs.reference("encryption") {
        r.set(Key::new("KmsKeyArn", "kms_key_arn"), Value::Arn(key));
    }
    if let Some(network) = attrs.reference("network") {
        r.set(Key::block("VpcConfig", "vpc_config"), vpc_config(&scope.model.resource(network).attrs));
    }
    if let Some(target) = attrs.reference("dead_letter") {
        r.set(
            Key::block("DeadLetterConfig", "dead_letter_config"),
            object([(Key::new("TargetArn", "target_arn"), Value::ArnAfter(target))]),
        );
    }
    if versions::snapstart(function) {
        let apply_on = object([(Key::new("ApplyOn", "apply_on"), versions::SNAPSTART_APPLY_ON.into())]);
        r.set(Key::block("SnapStart", "snap_start"), apply_on);
    }
    if let Some(size) = attrs.int("storage").filter(|_| !defaults::STORAGE.is_default(scope.model, function)) {
        r.set(Key::block("EphemeralStorage", "ephemeral_storage"), object([(Key::new("Size", "size"), size.into())]));
    }
    if !body.mounts.is_empty() {
        let mounts = body.mounts.iter().map(|m| {
            object([
                (Key::new("Arn", "arn"), Value::Arn(m.target)),
                (Key::new("LocalMountPath", "local_mount_path"), m.path.as_str().into()),
            ])
        });
        r.set(Key::block("FileSystemConfigs", "file_system_config"), Value::List(mounts.collect()));
    }
    if attrs.bool("tracing") {
        r.set(Key::block("TracingConfig", "tracing_config"), object([(Key::new("Mode", "mode"), "Active".into())]));
    }
    if let Some(logging) = logging(attrs) {
        let mut config = vec![(Key::new("LogFormat", "log_format"), logging.format.into())];
        if let Some(level) = logging.application_level {
            config.push((Key::new("ApplicationLogLevel", "application_log_level"), level.into()));
        }
        if let Some(level) = logging.system_level {
            config.push((Key::new("SystemLogLevel", "system_log_level"), level.into()));
        }
        r.set(Key::block("LoggingConfig", "logging_config"), object(config));
    }
    r.tagged()
}

/// The package: a .zip in the artifacts bucket (Terraform: the file), or
/// an ECR image.
fn package(scope: &Scope, function: &model::Resource, r: &mut Resource) {
    match versions::package(function) {
        Package::Image(uri) => {
            r.set(Key::new("PackageType", "package_type"), "Image");
            r.set(Key::flat("Code"), object([(Key::new("ImageUri", "image_uri"), uri.into())]));
        }
        Package::ImageInput(input) => {
            r.set(Key::new("PackageType", "package_type"), "Image");
            r.set(Key::flat("Code"), object([(Key::new("ImageUri", "image_uri"), Value::Input(input))]));
        }
        Package::Zip(code) => {
            for (attribute, key) in
                [("runtime", Key::new("Runtime", "runtime")), ("handler", Key::new("Handler", "handler"))]
            {
                if let Some(value) = function.attrs.str(attribute) {
                    r.set(key, value);
                }
            }
            r.set(Key::flat("Code"), versions::package_content(scope, code));
        }
    }
}

/// The subnets and security groups of the function's network.
fn vpc_config(network: &model::Attrs) -> Value {
    let ids = |name: &str| match network.value(name) {
        Some(value @ (Val::List(_) | Val::Input(_))) => neutral_value(value),
        _ => Value::List(Vec::new()),
    };
    let mut config = vec![
        (Key::new("SubnetIds", "subnet_ids"), ids("subnets")),
        (Key::new("SecurityGroupIds", "security_group_ids"), ids("security_groups")),
    ];
    if network.bool("ipv6") {
        config.push((Key::new("Ipv6AllowedForDualStack", "ipv6_allowed_for_dual_stack"), true.into()));
    }
    object(config)
}

/// An environment variable: a string, or a field of a resource. A list or
/// object is passed as its JSON text.
fn environment_value(value: &Val) -> Value {
    match value {
        Val::Field(id, field) => Value::Field(*id, field.clone()),
        Val::Str(s) | Val::Word(s) => Value::from(s.clone()),
        Val::Int(n) | Val::Duration(n) | Val::Size(n) => Value::from(n.to_string()),
        Val::Bool(b) => Value::from(b.to_string()),
        Val::Ref(id) => Value::Arn(*id),
        Val::Input(id) => Value::Input(*id),
        Val::List(_) | Val::Object(_) => Value::from(json_text(value).to_string()),
    }
}

fn json_text(value: &Val) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Val::Str(s) | Val::Word(s) => Json::String(s.clone()),
        Val::Int(n) | Val::Duration(n) | Val::Size(n) => Json::from(*n),
        Val::Bool(b) => Json::Bool(*b),
        Val::List(items) => Json::Array(items.iter().map(json_text).collect()),
        Val::Object(entries) => Json::Object(entries.iter().map(|(k, v)| (k.clone(), json_text(v))).collect()),
        Val::Ref(_) | Val::Field(..) | Val::Input(_) => Json::Null,
    }
}

/// Retries, event age and destinations of asynchronous invocations, on
/// the alias where the function has one (`$LATEST` otherwise).
fn invoke_config(scope: &Scope, function: &model::Resource, body: &FunctionBody) -> Option<Resource> {
    let config = body.async_config.as_ref()?;
    let attrs = &config.attrs;
    let mut r = scope.resource(
        function,
        scope.ids.get(function, "InvokeConfig"),
        "AWS::Lambda::EventInvokeConfig",
        "aws_lambda_function_event_invoke_config",
    );
    r.set(Key::new("FunctionName", "function_name"), function_ref(scope, function, Attr::reference("function_name")));
    match versions::alias_refs(scope, function) {
        Some((name, wait)) => {
            r.depends_on.push(wait);
            r.set(Key::cloudformation("Qualifier"), function.alias().unwrap_or_default());
            r.set(Key::terraform("qualifier"), name);
        }
        None => {
            r.set(Key::cloudformation("Qualifier"), "$LATEST");
        }
    }
    if let Some(retries) = attrs.int("retries") {
        r.set(Key::new("MaximumRetryAttempts", "maximum_retry_attempts"), retries);
    }
    if let Some(age) = attrs.int("max_age") {
        r.set(Key::new("MaximumEventAgeInSeconds", "maximum_event_age_in_seconds"), age);
    }
    let destinations: Vec<_> = [("on_success", "OnSuccess"), ("on_failure", "OnFailure")]
        .into_iter()
        .filter_map(|(attr, cloudformation)| {
            let target = attrs.reference(attr)?;
            let destination = object([(Key::new("Destination", "destination"), Value::ArnAfter(target))]);
            Some((Key::block(cloudformation, attr), destination))
        })
        .collect();
    // An empty destination_config makes a perpetual diff in Terraform.
    if !destinations.is_empty() {
        r.set(Key::block("DestinationConfig", "destination_config"), object(destinations));
    }
    Some(r)
}
