//! The resources of the stdlib kinds (tables, queues, topics, buckets,
//! buses, streams, secrets, parameters) and of HTTP APIs: each kind's block
//! with its attributes under their `terraform` names, the hardening every
//! one gets (encryption, public access blocks, point-in-time recovery) and
//! `prevent_destroy` on stateful kinds unless `retain = false`.

use super::expr::{
    attr_ref, block, data, data_ref, int, jsonencode, object, resource, string, template, traversal, Part,
};
use super::Ctx;
use crate::deploy::defaults;
use crate::deploy::facts::{retention_days, Unit, ACCESS_LOG_FIELDS, DEFAULT_LOG_RETENTION, SECRET_LENGTH};
use crate::deploy::names;
use crate::model::{Resource, Val};
use crate::stdlib::KindDef;
use hcl::expr::Expression;
use hcl::{Block, BlockBuilder};

/// The blocks of one resource the app creates (none for existing ones,
/// functions, networks and schedules: those are wired where they are used).
pub fn emit(ctx: &Ctx, r: &Resource) -> Vec<Block> {
    let kind = ctx.model.kind_of(r.id);
    if !r.is_created() || kind.terraform.is_empty() || matches!(kind.name.as_str(), "schedule" | "network") {
        return Vec::new();
    }
    let ty = kind.terraform.as_str();
    let mut main = resource(ty, &r.name);
    if let Some(naming) = names::naming(ctx.model, ctx.stage(), r) {
        main = main.add_attribute(("name", string(naming.name)));
    }
    match kind.name.as_str() {
        "table" => vec![protect(kind, r, table(r, main))],
        "queue" => {
            let mut blocks = vec![protect(kind, r, queue(ctx, r, main))];
            blocks.extend(super::triggers::queue_subscription(ctx, r));
            blocks
        }
        "topic" => vec![protect(
            kind,
            r,
            attributes(kind, r, main).add_attribute(("kms_master_key_id", string("alias/aws/sns"))),
        )],
        "bucket" => bucket(ctx, kind, r, main),
        "stream" => {
            let main = attributes(kind, r, main)
                .add_attribute(("encryption_type", string("KMS")))
                .add_attribute(("kms_key_id", string("alias/aws/kinesis")));
            vec![protect(kind, r, main)]
        }
        "secret" => secret(r, protect(kind, r, attributes(kind, r, main))),
        "parameter" => vec![protect(kind, r, attributes(kind, r, main.add_attribute(("type", string("String")))))],
        "api" => api(ctx, r, main),
        _ => vec![protect(kind, r, attributes(kind, r, main))],
    }
}

/// A created secret gets a generated value, as CloudFormation's
/// `GenerateSecretString` gives it: a version whose string comes from
/// Secrets Manager's own generator. The generator answers anew on each
/// plan, so the version ignores later answers: the value is made once.
fn secret(r: &Resource, main: Block) -> Vec<Block> {
    const PASSWORD: &str = "aws_secretsmanager_random_password";
    let password = data(PASSWORD, &r.name).add_attribute(("password_length", int(SECRET_LENGTH))).build();
    let version = resource("aws_secretsmanager_secret_version", &r.name)
        .add_attribute(("secret_id", attr_ref("aws_secretsmanager_secret", &r.name, "id")))
        .add_attribute(("secret_string", data_ref(PASSWORD, &r.name, "random_password")))
        .add_block(
            block("lifecycle")
                .add_attribute(("ignore_changes", super::expr::list([traversal("secret_string", &[])])))
                .build(),
        )
        .build();
    vec![main, password, version]
}

/// `lifecycle { prevent_destroy = true }` on stateful kinds, unless the
/// app sets `retain = false`; then the block is built.
fn protect(kind: &KindDef, r: &Resource, main: BlockBuilder) -> Block {
    let retain = !matches!(r.attrs.value("retain"), Some(Val::Bool(false)));
    if kind.stateful && retain {
        main.add_block(block("lifecycle").add_attribute(("prevent_destroy", true)).build()).build()
    } else {
        main.build()
    }
}

/// Every attribute the kind maps to a Terraform argument, in declaration order.
fn attributes(kind: &KindDef, r: &Resource, mut main: BlockBuilder) -> BlockBuilder {
    for def in &kind.attributes {
        let (Some(name), Some(value)) = (def.terraform.as_deref(), r.attrs.value(&def.name)) else { continue };
        let value = match value {
            // In the unit AWS counts it in (`RetentionPeriodHours`).
            Val::Duration(seconds) => {
                int(Unit::of_property(def.cloudformation.as_deref().unwrap_or("")).count(*seconds))
            }
            _ => match scalar(value) {
                Some(value) => value,
                None => continue,
            },
        };
        main = main.add_attribute((name, value));
    }
    main
}

/// A plain value as an expression: durations in seconds, sizes in MB,
/// enumerated words upper case (`LATEST`), lists and objects as written.
pub fn scalar(value: &Val) -> Option<Expression> {
    Some(match value {
        Val::Str(s) => string(s.clone()),
        Val::Int(n) | Val::Duration(n) | Val::Size(n) => int(*n),
        Val::Bool(b) => Expression::Bool(*b),
        Val::Word(w) => string(w.to_ascii_uppercase()),
        Val::List(items) => Expression::Array(items.iter().filter_map(scalar).collect()),
        Val::Object(entries) => object(entries.iter().filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))),
        Val::Ref(_) | Val::Field(..) | Val::Input(_) => return None,
    })
}

fn table(r: &Resource, main: BlockBuilder) -> BlockBuilder {
    let key = r.attrs.str("key").unwrap_or_default().to_string();
    let sort = r.attrs.str("sort").map(str::to_string);
    let mut main = main
        .add_attribute(("billing_mode", string("PAY_PER_REQUEST")))
        .add_attribute(("hash_key", string(key.clone())));
    if let Some(sort) = &sort {
        main = main.add_attribute(("range_key", string(sort.clone())));
    }
    if let Some(view) = r.attrs.str("stream") {
        main = main
            .add_attribute(("stream_enabled", true))
            .add_attribute(("stream_view_type", string(view.to_ascii_uppercase())));
    }
    for name in std::iter::once(key).chain(sort) {
        main = main
            .add_block(block("attribute").add_attribute(("name", string(name))).add_attribute(("type", "S")).build());
    }
    main.add_block(block("point_in_time_recovery").add_attribute(("enabled", true)).build())
        .add_block(block("server_side_encryption").add_attribute(("enabled", true)).build())
}

fn queue(ctx: &Ctx, r: &Resource, main: BlockBuilder) -> BlockBuilder {
    let kind = ctx.model.kind_of(r.id);
    let mut main = attributes(kind, r, main).add_attribute(("sqs_managed_sse_enabled", true));
    if let Some(target) = r.attrs.reference("dead_letter") {
        let mut policy = vec![("deadLetterTargetArn", ctx.arn(target))];
        if let Some(receives) = defaults::MAX_RECEIVES.int(r) {
            policy.push(("maxReceiveCount", int(receives)));
        }
        let policy = object(policy);
        main = main.add_attribute(("redrive_policy", jsonencode(policy)));
    }
    main
}

/// The bucket (named `{prefix}-{account}-{region}`: S3 names are global),
/// its public access block, default encryption and versioning.
fn bucket(ctx: &Ctx, kind: &KindDef, r: &Resource, main: BlockBuilder) -> Vec<Block> {
    let name = template(vec![
        Part::Lit(format!("{}-", names::bucket_prefix(ctx.model, ctx.stage(), r))),
        Part::Expr(super::expr::account()),
        Part::Lit("-".into()),
        Part::Expr(super::expr::region()),
    ]);
    let main = protect(kind, r, main.add_attribute(("bucket", name)));
    let id = ctx.attr(r.id, "id");
    let mut out = vec![main];
    let mut access = resource("aws_s3_bucket_public_access_block", &r.name).add_attribute(("bucket", id.clone()));
    for setting in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] {
        access = access.add_attribute((setting, true));
    }
    out.push(access.build());
    let default = block("apply_server_side_encryption_by_default").add_attribute(("sse_algorithm", "AES256")).build();
    out.push(
        resource("aws_s3_bucket_server_side_encryption_configuration", &r.name)
            .add_attribute(("bucket", id.clone()))
            .add_block(block("rule").add_block(default).build())
            .build(),
    );
    if r.attrs.bool("versioning") {
        out.push(
            resource("aws_s3_bucket_versioning", &r.name)
                .add_attribute(("bucket", id))
                .add_block(block("versioning_configuration").add_attribute(("status", "Enabled")).build())
                .build(),
        );
    }
    out
}

/// An HTTP API, its `$default` stage (deployed on every change) and the
/// log group of its access logs. Routes and integrations come with the
/// functions they call.
fn api(ctx: &Ctx, r: &Resource, main: BlockBuilder) -> Vec<Block> {
    let logs = resource("aws_cloudwatch_log_group", &r.name)
        .add_attribute(("name", string(names::access_log_group_name(ctx.model, ctx.stage(), r))))
        .add_attribute(("retention_in_days", int(retention_days(DEFAULT_LOG_RETENTION))))
        .build();
    let main = main.add_attribute(("protocol_type", string("HTTP"))).build();
    let access = block("access_log_settings")
        .add_attribute(("destination_arn", ctx.attr_of("aws_cloudwatch_log_group", r.id, "arn")))
        .add_attribute(("format", jsonencode(object(ACCESS_LOG_FIELDS.iter().map(|(k, v)| (*k, string(*v)))))))
        .build();
    let stage = resource("aws_apigatewayv2_stage", &r.name)
        .add_attribute(("api_id", ctx.attr(r.id, "id")))
        .add_attribute(("name", string("$default")))
        .add_attribute(("auto_deploy", true))
        .add_block(access)
        .build();
    vec![main, logs, stage]
}
