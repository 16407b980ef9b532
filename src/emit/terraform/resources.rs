//! The resources of the stdlib kinds (tables, queues, topics, buckets,
//! buses, streams, secrets, parameters) and of HTTP APIs: each kind's block
//! with its attributes under their `terraform` names, the hardening every
//! one gets (encryption, public access blocks, point-in-time recovery) and
//! `prevent_destroy` on stateful kinds unless `retain = false`.

use super::expr::{block, int, jsonencode, object, resource, string, template, Part};
use super::{physical, Ctx};
use crate::emit::names;
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
    let main = resource(ty, &r.name);
    match kind.name.as_str() {
        "table" => vec![protect(kind, r, table(ctx, r, main))],
        "queue" => vec![protect(kind, r, queue(ctx, r, main))],
        "topic" => {
            let name = fifo_name(ctx, r, 256, "fifo");
            let main = main.add_attribute(("name", string(name)));
            vec![protect(
                kind,
                r,
                attributes(kind, r, main).add_attribute(("kms_master_key_id", string("alias/aws/sns"))),
            )]
        }
        "bucket" => bucket(ctx, kind, r, main),
        "stream" => {
            let main = main.add_attribute(("name", string(physical(ctx, &r.name, 128))));
            let main = attributes(kind, r, main)
                .add_attribute(("encryption_type", string("KMS")))
                .add_attribute(("kms_key_id", string("alias/aws/kinesis")));
            vec![protect(kind, r, main)]
        }
        "bus" => vec![protect(
            kind,
            r,
            attributes(kind, r, main.add_attribute(("name", string(physical(ctx, &r.name, 256))))),
        )],
        "secret" => {
            let main = main.add_attribute(("name", string(physical(ctx, &r.name, 512))));
            vec![protect(kind, r, attributes(kind, r, main))]
        }
        "parameter" => {
            let main = main
                .add_attribute(("name", string(physical(ctx, &r.name, 1011))))
                .add_attribute(("type", string("String")));
            vec![protect(kind, r, attributes(kind, r, main))]
        }
        "api" => api(ctx, r, main),
        _ => vec![protect(kind, r, attributes(kind, r, main))],
    }
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
        let value = match (kind.name.as_str(), def.name.as_str(), value) {
            // Kinesis counts retention in hours.
            ("stream", "retention", Val::Duration(seconds)) => int(((*seconds).max(0) + 3599) / 3600),
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
        Val::Ref(_) | Val::Field(..) => return None,
    })
}

/// `{app}-{stage}-{name}`, with `.fifo` when the `fifo` attribute is set.
fn fifo_name(ctx: &Ctx, r: &Resource, max: usize, attr: &str) -> String {
    if r.attrs.bool(attr) {
        format!("{}.fifo", physical(ctx, &r.name, max - 5))
    } else {
        physical(ctx, &r.name, max)
    }
}

fn table(ctx: &Ctx, r: &Resource, main: BlockBuilder) -> BlockBuilder {
    let key = r.attrs.str("key").unwrap_or("id").to_string();
    let sort = r.attrs.str("sort").map(str::to_string);
    let mut main = main
        .add_attribute(("name", string(physical(ctx, &r.name, 255))))
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
    let main = main.add_attribute(("name", string(fifo_name(ctx, r, 80, "fifo"))));
    let mut main = attributes(kind, r, main).add_attribute(("sqs_managed_sse_enabled", true));
    if let Some(target) = r.attrs.reference("dead_letter") {
        let receives = r.attrs.int("max_receives").unwrap_or(10);
        let policy = object([("deadLetterTargetArn", ctx.arn(target)), ("maxReceiveCount", int(receives))]);
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

/// What each API request logs: who called what, and how it went.
const ACCESS_LOG: [(&str, &str); 10] = [
    ("requestId", "$context.requestId"),
    ("requestTime", "$context.requestTime"),
    ("ip", "$context.identity.sourceIp"),
    ("userAgent", "$context.identity.userAgent"),
    ("httpMethod", "$context.httpMethod"),
    ("routeKey", "$context.routeKey"),
    ("status", "$context.status"),
    ("protocol", "$context.protocol"),
    ("responseLength", "$context.responseLength"),
    ("integrationError", "$context.integrationErrorMessage"),
];

/// An HTTP API, its `$default` stage (deployed on every change) and the
/// log group of its access logs. Routes and integrations come with the
/// functions they call.
fn api(ctx: &Ctx, r: &Resource, main: BlockBuilder) -> Vec<Block> {
    let name = physical(ctx, &r.name, 128);
    let logs = resource("aws_cloudwatch_log_group", &r.name)
        .add_attribute(("name", string(format!("/aws/apigateway/{name}"))))
        .add_attribute(("retention_in_days", int(crate::emit::retention_days(30 * 86_400))))
        .build();
    let main = main.add_attribute(("name", string(name))).add_attribute(("protocol_type", string("HTTP"))).build();
    let format = jsonencode(object(ACCESS_LOG.iter().map(|(k, v)| (*k, string(*v)))));
    let access = block("access_log_settings")
        .add_attribute(("destination_arn", ctx.attr_of("aws_cloudwatch_log_group", r.id, "arn")))
        .add_attribute(("format", format))
        .build();
    let stage = resource("aws_apigatewayv2_stage", &r.name)
        .add_attribute(("api_id", ctx.attr(r.id, "id")))
        .add_attribute(("name", string("$default")))
        .add_attribute(("auto_deploy", true))
        .add_block(access)
        .build();
    vec![main, logs, stage]
}
