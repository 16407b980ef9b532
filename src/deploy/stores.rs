//! The resources of the stdlib kinds that hold data or carry messages —
//! tables, queues, topics, streams, secrets, parameters, buses, file
//! systems, proxies — and of the app's own kinds: each kind's declared attributes
//! under both targets' names, the physical name of [`names::naming`], and
//! the hardening every one gets (encryption at rest, point-in-time
//! recovery). Stateful kinds keep their data when removed or replaced
//! (`Retain`, `prevent_destroy`) unless the app says `retain = false`.

use super::facts::{Unit, SECRET_LENGTH};
use super::resource::{object, Attr, Id, Keep, Key, Resource, Type, Value};
use super::Scope;
use super::{names, table};
use crate::model::{self, Val};
use crate::stdlib::defaults;
use crate::stdlib::{AttrDef, KindDef};

/// The kinds described here; buckets, functions, layers, networks,
/// schedules and APIs are built elsewhere.
pub fn describes(kind: &str) -> bool {
    !matches!(kind, "bucket" | "function" | "network" | "schedule" | "api" | "layer" | "state_machine")
}

/// The main resource of a created store, when a target has a type for it.
pub fn store(scope: &Scope, store: &model::Resource) -> Vec<Resource> {
    let kind = scope.model.kind_of(store.id);
    let declared = |ty: &str| (!ty.is_empty()).then(|| ty.to_string().into());
    let ty =
        Type { cloudformation: declared(&kind.cloudformation), terraform: declared(&kind.terraform), lookup: false };
    if ty.cloudformation.is_none() && ty.terraform.is_none() {
        return Vec::new();
    }
    let mut main = Resource::new(Id::new(scope.ids.main(store), scope.label(store)), ty);
    main.owner = Some(store.id);
    if let Some(naming) = names::naming(scope.model, scope.stage, store) {
        let cloudformation = name_property(&store.kind).filter(|_| naming.cloudformation);
        let key = Key { cloudformation: cloudformation.map(Into::into), ..Key::terraform("name") };
        main.set(key, naming.name);
    }
    before(store, &mut main);
    declared_attributes(kind, &store.attrs, &mut main);
    after(store, &mut main);
    if store.kind == "key" {
        super::key::harden(scope.model, store.id, &mut main);
    }
    if kind.stateful {
        let retain = !matches!(store.attrs.value("retain"), Some(Val::Bool(false)));
        main.keep = if retain { Keep::Retain } else { Keep::Delete };
    }
    let mut made = vec![main.tagged()];
    if store.kind == "secret" {
        made.extend(generated_value(&made[0]));
    }
    made
}

/// A created secret gets a generated value of [`SECRET_LENGTH`]
/// characters (Secrets Manager's default set): CloudFormation's
/// `GenerateSecretString` on the secret; in Terraform a version whose
/// string comes from Secrets Manager's own generator, which answers anew
/// on each plan, so the version ignores later answers: the value is made
/// once.
fn generated_value(secret: &Resource) -> Vec<Resource> {
    let label = &secret.id.terraform;
    let mut password =
        Resource::new(Id::new("", label.clone()), Type::terraform_lookup("aws_secretsmanager_random_password"));
    password.set(Key::terraform("password_length"), SECRET_LENGTH);
    let mut version = Resource::new(Id::new("", label.clone()), Type::terraform("aws_secretsmanager_secret_version"));
    version.set(Key::terraform("secret_id"), secret.attr(Attr::reference("id")));
    version.set(Key::terraform("secret_string"), password.attr(Attr::reference("random_password")));
    version.made_once.push("secret_string");
    password.owner = secret.owner;
    version.owner = secret.owner;
    vec![password, version]
}

/// CloudFormation's property for the name of a `kind` whose name both
/// targets set (Terraform's is `name` for each).
fn name_property(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "bus" | "parameter" => "Name",
        "queue" => "QueueName",
        "topic" => "TopicName",
        _ => return None,
    })
}

/// What comes before the declared attributes: billing, keys, streams.
fn before(store: &model::Resource, main: &mut Resource) {
    let attrs = &store.attrs;
    match store.kind.as_str() {
        "table" => {
            main.set(Key::new("BillingMode", "billing_mode"), "PAY_PER_REQUEST");
            table::keys(store, main);
            if let Some(view) = attrs.str("stream") {
                let stream = object([
                    (Key::terraform("stream_enabled"), true.into()),
                    (Key::new("StreamViewType", "stream_view_type"), view.to_ascii_uppercase().into()),
                ]);
                main.set(Key::flat("StreamSpecification"), stream);
            }
            table::definitions_and_indexes(store, main);
        }
        "parameter" => {
            main.set(Key::new("Type", "type"), "String");
        }
        _ => {}
    }
}

/// Hardening and wiring after the declared attributes.
fn after(store: &model::Resource, main: &mut Resource) {
    match store.kind.as_str() {
        "table" => {
            let enabled = |cloudformation| object([(Key::new(cloudformation, "enabled"), true.into())]);
            main.set(
                Key::block("PointInTimeRecoverySpecification", "point_in_time_recovery"),
                enabled("PointInTimeRecoveryEnabled"),
            );
            main.set(Key::block("SSESpecification", "server_side_encryption"), enabled("SSEEnabled"));
            if let Some(attribute) = store.attrs.str("ttl") {
                let ttl = object([
                    (Key::new("AttributeName", "attribute_name"), attribute.into()),
                    (Key::new("Enabled", "enabled"), true.into()),
                ]);
                main.set(Key::block("TimeToLiveSpecification", "ttl"), ttl);
            }
        }
        "queue" => {
            match store.attrs.reference("encryption") {
                Some(key) => main.set(Key::new("KmsMasterKeyId", "kms_master_key_id"), Value::Arn(key)),
                None => main.set(Key::new("SqsManagedSseEnabled", "sqs_managed_sse_enabled"), true),
            };
            if let Some(target) = store.attrs.reference("dead_letter") {
                let mut redrive = vec![("deadLetterTargetArn".into(), Value::ArnAfter(target))];
                if let Some(receives) = defaults::MAX_RECEIVES.int(store) {
                    redrive.push(("maxReceiveCount".into(), receives.into()));
                }
                main.set(Key::json("RedrivePolicy", "redrive_policy"), Value::Map(redrive));
            }
        }
        "topic" => {
            main.set(Key::new("KmsMasterKeyId", "kms_master_key_id"), key_or(store, "alias/aws/sns"));
        }
        "secret" => {
            if let Some(key) = store.attrs.reference("encryption") {
                main.set(Key::new("KmsKeyId", "kms_key_id"), Value::Arn(key));
            }
            let length = object([(Key::cloudformation("PasswordLength"), SECRET_LENGTH.into())]);
            main.set(Key::cloudformation("GenerateSecretString"), length);
        }
        "stream" => {
            let encryption = object([
                (Key::new("EncryptionType", "encryption_type"), "KMS".into()),
                (Key::new("KeyId", "kms_key_id"), key_or(store, "alias/aws/kinesis")),
            ]);
            main.set(Key::flat("StreamEncryption"), encryption);
        }
        _ => {}
    }
}

/// The ARN of the key the store names in `encryption`, or the AWS
/// managed key's alias it is encrypted with otherwise.
fn key_or(store: &model::Resource, aws_managed: &'static str) -> Value {
    store.attrs.reference("encryption").map_or(Value::lit(aws_managed), Value::Arn)
}

/// Every attribute the kind names a property for, in declaration order.
/// CloudFormation leaves out `false`, AWS's default for each such switch
/// (SQS rejects `FifoQueue: false` on some paths); Terraform writes it.
/// A reference is written as an ARN in CloudFormation and not at all in
/// Terraform, whose provider takes no ARN for any declared attribute.
pub fn declared_attributes(kind: &KindDef, attrs: &model::Attrs, main: &mut Resource) {
    for def in &kind.attributes {
        let Some(value) = attrs.value(&def.name) else { continue };
        if let Some((key, value)) = declared(def, value) {
            main.set(key, value);
        }
    }
}

/// An attribute or trigger option under the names its definition gives
/// (see [`declared_attributes`]); `None` when neither target writes it.
pub(super) fn declared(def: &AttrDef, value: &Val) -> Option<(Key, Value)> {
    let cloudformation = def.cloudformation.as_deref().filter(|_| *value != Val::Bool(false));
    let terraform = def.terraform.as_deref().filter(|_| !matches!(value, Val::Ref(_) | Val::Field(..)));
    if cloudformation.is_none() && terraform.is_none() {
        return None;
    }
    let unit = Unit::of_property(def.cloudformation.as_deref().unwrap_or(""));
    Some((Key::declared(cloudformation, terraform), neutral(value, unit)))
}

/// A typed value with durations in seconds (lists of ids, layers).
pub(super) fn neutral_value(value: &Val) -> Value {
    neutral(value, Unit::Seconds)
}

/// A typed value: durations counted in `unit`, sizes in MB, enumerated
/// words upper case (`LATEST`), references as ARNs.
pub(super) fn neutral(value: &Val, unit: Unit) -> Value {
    match value {
        Val::Str(s) => Value::from(s.clone()),
        Val::Int(n) | Val::Size(n) => Value::Int(*n),
        Val::Bool(b) => Value::Bool(*b),
        Val::Duration(seconds) => Value::Int(unit.count(*seconds)),
        Val::Word(w) => Value::from(w.to_ascii_uppercase()),
        Val::Ref(id) => Value::Arn(*id),
        Val::Field(id, field) => Value::Field(*id, field.clone()),
        Val::Input(id) => Value::Input(*id),
        Val::List(items) => Value::List(items.iter().map(|item| neutral(item, unit)).collect()),
        Val::Object(entries) => Value::Map(entries.iter().map(|(k, v)| (k.clone().into(), neutral(v, unit))).collect()),
    }
}
