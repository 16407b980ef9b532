//! The AWS services that write into what a KMS key encrypts: SNS, S3 and
//! EventBridge delivering into a queue that subscribes to a topic, a
//! bucket or a bus (`subscribe`) and names the key in `encryption`. An
//! IAM policy cannot grant a service, so the key's own policy names each
//! (`deploy::key`); a key the app does not create cannot be given one
//! (LF3096).

use crate::model::{Model, ResourceId};
use crate::source::Span;

/// What a service needs to encrypt into a queue and read it back
/// (SQS's server-side encryption guide, "Key policy"), in the key's policy.
pub const SERVICE_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

/// A service that encrypts with the key: the principal, and the queue
/// whose subscription makes it (where `subscribe` is written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyUser<'m> {
    pub principal: &'m str,
    pub queue: ResourceId,
    pub span: Span,
}

/// The services that encrypt with `key`, in source order.
pub fn services(model: &Model, key: ResourceId) -> Vec<KeyUser<'_>> {
    model
        .resources
        .iter()
        .filter(|r| r.attrs.reference("encryption") == Some(key))
        .filter_map(|queue| {
            let source = queue.attrs.reference("subscribe")?;
            let principal = delivering_service(model, source)?;
            let span = queue.attrs.span("subscribe").unwrap_or(queue.name_span);
            Some(KeyUser { principal, queue: queue.id, span })
        })
        .collect()
}

/// The service that delivers a subscription from `source` (a topic, a bus
/// or a bucket) into a queue: the one that pushes its triggers, as its
/// kind declares it (`principal`), which the queue policy allows.
pub fn delivering_service(model: &Model, source: ResourceId) -> Option<&str> {
    model.kind_of(source).trigger.as_ref()?.principal.as_deref()
}
