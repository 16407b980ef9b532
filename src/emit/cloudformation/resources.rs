//! The resources of the stdlib kinds (and of the app's own kinds). The
//! kind's `cloudformation` type and its attributes' `cloudformation`
//! property names do most of the work; what a kind needs beyond them (key
//! schemas, encryption, public access blocks, redrive policies, the HTTP
//! API's stage) is written here per kind. Stateful kinds keep their data:
//! `DeletionPolicy` and `UpdateReplacePolicy` `Retain` unless `retain = false`
//! (then `Delete`, written out).

use super::{arns, get_att, object, reference, triggers, Ctx, Out, Res};
use crate::deploy::defaults;
use crate::deploy::facts::{access_log_format, retention_days, Unit, DEFAULT_LOG_RETENTION, SECRET_LENGTH};
use crate::deploy::names;
use crate::model::{Attrs, Resource, Val};
use crate::stdlib::AttrDef;
use serde_json::{json, Map, Value};

pub fn emit(ctx: &Ctx, resource: &Resource, out: &mut Out) {
    if resource.existing.is_some() {
        return;
    }
    let kind = ctx.model.kind_of(resource.id);
    match resource.kind.as_str() {
        // A network is part of each function that uses it; a schedule is
        // a rule per function it triggers (see `triggers`).
        "network" | "schedule" => {}
        "api" => api(ctx, resource, out),
        _ if kind.cloudformation.is_empty() => {}
        _ => {
            let mut r = Res::new(kind.cloudformation.clone());
            before(ctx, resource, &mut r);
            mapped_attributes(ctx, &kind.attributes, &resource.attrs, &mut r.props);
            after(ctx, resource, &mut r);
            r.tag(ctx);
            if kind.stateful {
                let keep = !matches!(resource.attrs.value("retain"), Some(Val::Bool(false)));
                r.deletion = Some(if keep { "Retain" } else { "Delete" });
            }
            out.push(ctx.id(resource), r);
            triggers::queue_subscription(ctx, resource, out);
        }
    }
}

/// Properties that come before the mapped attributes: names, key schemas.
fn before(ctx: &Ctx, resource: &Resource, r: &mut Res) {
    let attrs = &resource.attrs;
    match resource.kind.as_str() {
        "table" => {
            r.set("BillingMode", "PAY_PER_REQUEST");
            let keys: Vec<(&str, &str)> = [(attrs.str("key"), "HASH"), (attrs.str("sort"), "RANGE")]
                .into_iter()
                .filter_map(|(name, ty)| name.map(|n| (n, ty)))
                .collect();
            let definitions: Vec<Value> =
                keys.iter().map(|(name, _)| json!({ "AttributeName": name, "AttributeType": "S" })).collect();
            let schema: Vec<Value> =
                keys.iter().map(|(name, ty)| json!({ "AttributeName": name, "KeyType": ty })).collect();
            r.set("AttributeDefinitions", definitions);
            r.set("KeySchema", schema);
            if let Some(view) = attrs.str("stream") {
                r.set("StreamSpecification", json!({ "StreamViewType": view.to_ascii_uppercase() }));
            }
        }
        "bucket" => {
            r.set("BucketName", arns::field(ctx, resource.id, "name"));
        }
        "parameter" => {
            r.set("Type", "String");
        }
        _ => {}
    }
    let naming = names::naming(ctx.model, ctx.stage, resource).filter(|n| n.cloudformation);
    if let (Some(naming), Some(property)) = (naming, name_property(&resource.kind)) {
        r.set(property, naming.name);
    }
}

/// The property that names a resource of `kind`, for the kinds whose
/// names [`names::naming`] sets (buckets are named in [`before`]).
fn name_property(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "bus" | "parameter" => "Name",
        "queue" => "QueueName",
        "topic" => "TopicName",
        _ => return None,
    })
}

/// Hardening and wiring that come after the mapped attributes.
fn after(ctx: &Ctx, resource: &Resource, r: &mut Res) {
    let attrs = &resource.attrs;
    match resource.kind.as_str() {
        "table" => {
            r.set("PointInTimeRecoverySpecification", json!({ "PointInTimeRecoveryEnabled": true }));
            r.set("SSESpecification", json!({ "SSEEnabled": true }));
        }
        "queue" => {
            r.set("SqsManagedSseEnabled", true);
            if let Some(target) = attrs.reference("dead_letter") {
                let target = arns::arn_after(ctx, target, r);
                let mut redrive = Map::new();
                redrive.insert("deadLetterTargetArn".into(), target);
                if let Some(receives) = defaults::MAX_RECEIVES.int(resource) {
                    redrive.insert("maxReceiveCount".into(), receives.into());
                }
                r.set("RedrivePolicy", Value::Object(redrive));
            }
        }
        "topic" => {
            r.set("KmsMasterKeyId", "alias/aws/sns");
        }
        "stream" => {
            r.set("StreamEncryption", json!({ "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis" }));
        }
        "secret" => {
            r.set("GenerateSecretString", json!({ "PasswordLength": SECRET_LENGTH }));
        }
        "bucket" => {
            r.set(
                "BucketEncryption",
                json!({ "ServerSideEncryptionConfiguration": [
                    { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }
                ] }),
            );
            r.set(
                "PublicAccessBlockConfiguration",
                json!({
                    "BlockPublicAcls": true,
                    "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true,
                    "RestrictPublicBuckets": true,
                }),
            );
            if attrs.bool("versioning") {
                r.set("VersioningConfiguration", json!({ "Status": "Enabled" }));
            }
            let (configurations, permissions) = triggers::bucket_notifications(ctx, resource);
            if !configurations.is_empty() {
                r.set("NotificationConfiguration", object([("LambdaConfigurations", Value::Array(configurations))]));
                // S3 checks that it may invoke each function when the
                // configuration is put (AWS-RULES.md §8).
                r.depends_on.extend(permissions);
            }
        }
        _ => {}
    }
}

/// An HTTP API and its `$default` stage, deployed on every change, with
/// access logs in a log group of their own.
fn api(ctx: &Ctx, resource: &Resource, out: &mut Out) {
    let id = ctx.id(resource);
    let mut api = Res::new("AWS::ApiGatewayV2::Api");
    if let Some(naming) = names::naming(ctx.model, ctx.stage, resource) {
        api.set("Name", naming.name);
    }
    api.set("ProtocolType", "HTTP");
    api.tag(ctx);
    out.push(id.clone(), api);
    let logs = ctx.id_with(resource, "AccessLogs");
    let mut group = Res::new("AWS::Logs::LogGroup");
    group.set("LogGroupName", names::access_log_group_name(ctx.model, ctx.stage, resource));
    group.set("RetentionInDays", retention_days(DEFAULT_LOG_RETENTION));
    group.deletion = Some("Delete");
    group.tag(ctx);
    out.push(logs.clone(), group);
    let mut stage = Res::new("AWS::ApiGatewayV2::Stage");
    stage.set("ApiId", reference(&id));
    stage.set("StageName", "$default");
    stage.set("AutoDeploy", true);
    let settings = object([("DestinationArn", get_att(&logs, "Arn")), ("Format", access_log_format().into())]);
    stage.set("AccessLogSettings", settings);
    stage.tag(ctx);
    out.push(ctx.id_with(resource, "Stage"), stage);
}

/// Every attribute whose definition names a CloudFormation property, in
/// the definitions' order. `false` is left out: it is AWS's default for
/// each such switch, and SQS rejects `FifoQueue: false` on some paths.
pub fn mapped_attributes(ctx: &Ctx, defs: &[AttrDef], attrs: &Attrs, props: &mut Map<String, Value>) {
    for def in defs {
        let (Some(property), Some(value)) = (&def.cloudformation, attrs.value(&def.name)) else { continue };
        if *value == Val::Bool(false) {
            continue;
        }
        props.insert(property.clone(), self::value(ctx, value, property));
    }
}

/// A typed value as the property named `property` takes it: durations in
/// the unit the property's name ends with (`RetentionPeriodHours`), else
/// seconds; enumerated words in upper case (`LATEST`); references as ARNs.
pub fn value(ctx: &Ctx, value: &Val, property: &str) -> Value {
    match value {
        Val::Str(s) => Value::String(s.clone()),
        Val::Int(n) | Val::Size(n) => json!(n),
        Val::Bool(b) => Value::Bool(*b),
        Val::Duration(seconds) => json!(Unit::of_property(property).count(*seconds)),
        Val::Word(w) => Value::String(w.to_ascii_uppercase()),
        Val::Ref(id) => arns::arn(ctx, *id),
        Val::Field(id, field) => arns::field(ctx, *id, field),
        Val::Input(id) => ctx.input(*id),
        Val::List(items) => Value::Array(items.iter().map(|i| self::value(ctx, i, property)).collect()),
        Val::Object(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), self::value(ctx, v, property))).collect())
        }
    }
}
