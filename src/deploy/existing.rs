//! The fields of an existing resource, read from the ARN (or name) the app
//! gave: the same value in both targets, never looked up at deploy time
//! (CloudFormation has nothing to look one up with).

use super::policy::pseudo;
use super::resource::Part;
use crate::model::{Existing, ExistingField};

/// A field of an existing `kind` resource as text parts. A field the ARN
/// does not hold is refused by the checker (LF3036, LF1066) and never asked
/// for; were it asked, the ARN would stand for it in both targets alike.
pub fn field(existing: &Existing, kind: &str, field: &str) -> Vec<Part> {
    match existing.field(kind, field) {
        Some(ExistingField::Name) => vec![Part::Lit(existing.name.clone())],
        Some(ExistingField::Id) => vec![Part::Lit(existing.id.clone())],
        Some(ExistingField::StreamArn) => pseudo(existing.stream_arn.as_deref().unwrap_or(&existing.arn)),
        Some(ExistingField::QueueUrl) => queue_url(existing),
        Some(ExistingField::Arn) | None => pseudo(&existing.arn),
    }
}

/// `https://sqs.{region}.{partition's DNS suffix}/{account}/{name}`: what
/// SQS's `QueueUrl` is, in the partition the app is deployed to.
fn queue_url(existing: &Existing) -> Vec<Part> {
    let mut parts = vec![Part::Lit("https://sqs.".into())];
    parts.extend(pseudo(&existing.region));
    parts.push(Part::Lit(".".into()));
    parts.push(Part::UrlSuffix);
    parts.push(Part::Lit("/".into()));
    parts.extend(pseudo(&existing.account));
    parts.push(Part::Lit(format!("/{}", existing.id)));
    parts
}
