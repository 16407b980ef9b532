//! The metadata that traces an invoke permission back to the source line
//! behind it; role policies and their metadata are described in
//! `deploy::policy`.

use super::Ctx;
use crate::deploy::facts::provenance;
use crate::source::Span;
use serde_json::{json, Value};

/// `Metadata` of an invoke permission: the `file:line` behind it.
pub fn permission_sources(ctx: &Ctx, span: Span) -> Value {
    json!({ "Lambdaform": { "Sources": [provenance(&ctx.checked.sources, span)] } })
}
