//! The resources of the one stdlib kind not yet described in `deploy`:
//! buckets (encryption, public access block, versioning, and the
//! notifications their triggers make, which `deploy::triggers` decides). The kind's `cloudformation` type
//! and its attributes' `cloudformation` property names do most of the
//! work. A bucket is stateful and keeps its data: `DeletionPolicy` and `UpdateReplacePolicy` `Retain` unless
//! `retain = false` (then `Delete`, written out). Also the values of
//! declared attributes and trigger options, which functions still print
//! here.

use super::{arns, Ctx, Out, Res};
use crate::deploy::facts::Unit;
use crate::model::{Attrs, Resource, Val};
use crate::stdlib::AttrDef;
use serde_json::{json, Map, Value};

/// The bucket of a created `bucket`; the other kinds are described in
/// `deploy` (see `deploy::made_for`).
pub fn emit(ctx: &Ctx, resource: &Resource, out: &mut Out) {
    if resource.existing.is_some() || resource.kind != "bucket" {
        return;
    }
    let kind = ctx.model.kind_of(resource.id);
    let mut r = Res::new(kind.cloudformation.clone());
    // S3 names are global (see `arns`).
    r.set("BucketName", arns::field(ctx, resource.id, "name"));
    mapped_attributes(ctx, &kind.attributes, &resource.attrs, &mut r.props);
    hardening(resource, &mut r);
    // Its notifications, decided in `deploy::triggers`.
    if let Some(notifications) = crate::deploy::triggers::in_bucket(&ctx.scope(), resource) {
        super::neutral::set(ctx, std::slice::from_ref(&notifications.configuration), &mut r);
        r.depends_on.extend(notifications.waits_for.into_iter().map(|permission| permission.id.cloudformation));
    }
    r.tag(ctx);
    let keep = !matches!(resource.attrs.value("retain"), Some(Val::Bool(false)));
    r.deletion = Some(if keep { "Retain" } else { "Delete" });
    out.push(ctx.id(resource), r);
}

/// Encryption at rest, no public access, versioning if asked.
fn hardening(resource: &Resource, r: &mut Res) {
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
    if resource.attrs.bool("versioning") {
        r.set("VersioningConfiguration", json!({ "Status": "Enabled" }));
    }
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
