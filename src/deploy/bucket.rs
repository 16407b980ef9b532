//! A created bucket, described once for both targets: named
//! `{prefix}-{account}-{region}` (S3 names are global), encrypted at rest,
//! closed to public access, versioned if asked, with the notifications its
//! triggers make (`triggers::in_bucket`). CloudFormation writes the
//! hardening inside the bucket; Terraform's provider has a resource of its
//! own for each. A bucket keeps its data when removed or replaced unless
//! the app says `retain = false`.

use super::names;
use super::resource::{object, Attr, Form, Id, Keep, Key, Part, Ref, Resource, Type, Value};
use super::stores::declared_attributes;
use super::{facts, triggers, Scope};
use crate::model::{self, Val};

/// The bucket and, in Terraform, its public access block, encryption and
/// versioning.
pub fn bucket(scope: &Scope, bucket: &model::Resource) -> Vec<Resource> {
    let kind = scope.model.kind_of(bucket.id);
    let versioned = bucket.attrs.bool("versioning");
    let mut main = scope.resource(bucket, scope.ids.main(bucket), kind.cloudformation.clone(), kind.terraform.clone());
    main.set(Key::new("BucketName", "bucket"), name(scope, bucket));
    declared_attributes(kind, &bucket.attrs, &mut main);
    let key = bucket.attrs.reference("encryption");
    let encryption = object([(Key::cloudformation("ServerSideEncryptionConfiguration"), Value::List(vec![rule(key)]))]);
    main.set(Key::cloudformation("BucketEncryption"), encryption);
    main.set(Key::cloudformation("PublicAccessBlockConfiguration"), object(public_access_block()));
    if versioned {
        main.set(Key::cloudformation("VersioningConfiguration"), object([versioning()]));
    }
    let lifecycle = lifecycle_rule(bucket);
    if let Some(rule) = &lifecycle {
        let rules = object([(Key::cloudformation("Rules"), Value::List(vec![rule.clone()]))]);
        main.set(Key::cloudformation("LifecycleConfiguration"), rules);
    }
    if let Some(notifications) = triggers::in_bucket(scope, bucket) {
        main.props.push(notifications.configuration);
        // S3 checks that it may invoke each function when the
        // configuration is put (AWS-RULES.md §8). In Terraform the
        // notification is a resource of its own, which waits for them.
        let cloudformation_only = |r: Ref| Ref { ty: Type { terraform: None, ..r.ty }, ..r };
        main.depends_on.extend(notifications.waits_for.into_iter().map(cloudformation_only));
    }
    let retain = !matches!(bucket.attrs.value("retain"), Some(Val::Bool(false)));
    main.keep = if retain { Keep::Retain } else { Keep::Delete };
    let main = main.tagged();
    let settings = |ty: &'static str, props: Vec<(Key, Value)>| {
        let mut r = Resource::new(Id::new("", scope.label(bucket)), Type::terraform(ty));
        r.owner = Some(bucket.id);
        r.set(Key::terraform("bucket"), main.attr(Attr::reference("id")));
        for (key, value) in props {
            r.set(key, value);
        }
        r
    };
    let mut made = vec![
        settings("aws_s3_bucket_public_access_block", public_access_block().to_vec()),
        settings("aws_s3_bucket_server_side_encryption_configuration", vec![(block("rule"), rule(key))]),
    ];
    let mut versioning_on = None;
    if versioned {
        let on =
            settings("aws_s3_bucket_versioning", vec![(block("versioning_configuration"), object([versioning()]))]);
        versioning_on = Some(on.reference(Attr::reference("id")));
        made.push(on);
    }
    if let Some(rule) = lifecycle {
        let mut expiry = settings("aws_s3_bucket_lifecycle_configuration", vec![(block("rule"), rule)]);
        // Versions expire once versioning is on.
        expiry.depends_on.extend(versioning_on);
        made.push(expiry);
    }
    made.insert(0, main);
    made
}

/// Days an incomplete multipart upload is kept in a bucket with a
/// lifecycle rule.
const ABORT_UPLOADS_AFTER_DAYS: i64 = 7;

/// The bucket's one lifecycle rule, over every object, if it expires
/// objects or versions: days rounded up (`facts::Unit::Days`).
fn lifecycle_rule(bucket: &model::Resource) -> Option<Value> {
    let days = |attribute| bucket.attrs.int(attribute).map(|seconds| facts::Unit::Days.count(seconds));
    let (current, versions) = (days("expire"), days("expire_versions"));
    if current.is_none() && versions.is_none() {
        return None;
    }
    let mut rule = vec![
        (Key::new("Id", "id"), "expire".into()),
        (Key::new("Status", "status"), "Enabled".into()),
        (block("filter"), object([])),
    ];
    if let Some(days) = current {
        rule.push((Key::cloudformation("ExpirationInDays"), days.into()));
        rule.push((block("expiration"), object([(Key::terraform("days"), days.into())])));
    }
    if let Some(days) = versions {
        let noncurrent = object([(Key::new("NoncurrentDays", "noncurrent_days"), days.into())]);
        rule.push((Key::block("NoncurrentVersionExpiration", "noncurrent_version_expiration"), noncurrent));
    }
    let abort = object([(Key::new("DaysAfterInitiation", "days_after_initiation"), ABORT_UPLOADS_AFTER_DAYS.into())]);
    rule.push((Key::block("AbortIncompleteMultipartUpload", "abort_incomplete_multipart_upload"), abort));
    Some(object(rule))
}

/// `{prefix}-{account}-{region}`.
fn name(scope: &Scope, bucket: &model::Resource) -> Value {
    Value::Text(vec![
        Part::Lit(format!("{}-", names::bucket_prefix(scope.model, scope.stage, bucket))),
        Part::Account,
        Part::Lit("-".into()),
        Part::Region,
    ])
}

/// A nested block only Terraform has.
fn block(name: &'static str) -> Key {
    Key::terraform(name).in_form(Form::Block)
}

/// The default encryption rule: SSE-S3, or SSE-KMS with the bucket's
/// `encryption` key and an S3 Bucket Key (one data key per bucket for a
/// time rather than a KMS call per object).
fn rule(key: Option<model::ResourceId>) -> Value {
    let algorithm = Key::new("SSEAlgorithm", "sse_algorithm");
    let Some(key) = key else {
        let default = object([(algorithm, "AES256".into())]);
        return object([(
            Key::block("ServerSideEncryptionByDefault", "apply_server_side_encryption_by_default"),
            default,
        )]);
    };
    let default =
        object([(algorithm, "aws:kms".into()), (Key::new("KMSMasterKeyID", "kms_master_key_id"), Value::Arn(key))]);
    object([
        (Key::block("ServerSideEncryptionByDefault", "apply_server_side_encryption_by_default"), default),
        (Key::new("BucketKeyEnabled", "bucket_key_enabled"), true.into()),
    ])
}

/// Every public access blocked.
fn public_access_block() -> [(Key, Value); 4] {
    [
        (Key::new("BlockPublicAcls", "block_public_acls"), true.into()),
        (Key::new("BlockPublicPolicy", "block_public_policy"), true.into()),
        (Key::new("IgnorePublicAcls", "ignore_public_acls"), true.into()),
        (Key::new("RestrictPublicBuckets", "restrict_public_buckets"), true.into()),
    ]
}

fn versioning() -> (Key, Value) {
    (Key::new("Status", "status"), "Enabled".into())
}
