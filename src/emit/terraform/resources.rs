//! The blocks of the one stdlib kind not yet described in `deploy`:
//! buckets (public access block, encryption and versioning as blocks of
//! their own), with `prevent_destroy` unless `retain = false`; and plain
//! values as expressions, which functions still print here.

use super::expr::{block, resource, string, template, Part};
use super::Ctx;
use crate::deploy::names;
use crate::model::{Resource, Val};
use crate::stdlib::KindDef;
use hcl::{Block, BlockBuilder};

/// The blocks of one resource the app creates (none for existing ones,
/// functions, networks and schedules: those are wired where they are used).
pub fn emit(ctx: &Ctx, r: &Resource) -> Vec<Block> {
    if !r.is_created() {
        return Vec::new();
    }
    let kind = ctx.model.kind_of(r.id);
    let mut main = resource(&kind.terraform, &r.name);
    if let Some(naming) = names::naming(ctx.model, ctx.stage(), r) {
        main = main.add_attribute(("name", string(naming.name)));
    }
    match kind.name.as_str() {
        "bucket" => bucket(ctx, kind, r, main),
        // The others are described in `deploy` (see `deploy::made_for`).
        _ => Vec::new(),
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
