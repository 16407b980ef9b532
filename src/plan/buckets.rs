//! What a bucket's lifecycle change does to the data it holds: a rule
//! that expires objects, or versions, sooner than before (or for the first
//! time) deletes everything older at S3's next pass, though the change
//! reads as one number in `LifecycleConfiguration` (CloudFormation) or an
//! `aws_s3_bucket_lifecycle_configuration` (Terraform).

use super::snapshot::Resource;
use serde_json::Value;

/// How long a bucket keeps objects and noncurrent versions, in days; `None`
/// for ever.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Expiry {
    objects: Option<i64>,
    versions: Option<i64>,
}

/// The lifecycle of a CloudFormation bucket or a Terraform lifecycle
/// configuration; `None` for any other resource.
pub fn expiry(resource: &Resource) -> Option<Expiry> {
    let p = &resource.properties;
    let (rules, objects, versions): (Vec<&Value>, &[&str], &[&str]) = match resource.ty.as_str() {
        "AWS::S3::Bucket" => (
            p.pointer("/LifecycleConfiguration/Rules").and_then(Value::as_array).into_iter().flatten().collect(),
            &["ExpirationInDays"],
            &["NoncurrentVersionExpiration", "NoncurrentDays"],
        ),
        "aws_s3_bucket_lifecycle_configuration" => (
            p.get("rule").and_then(Value::as_array).into_iter().flatten().collect(),
            &["expiration", "days"],
            &["noncurrent_version_expiration", "noncurrent_days"],
        ),
        _ => return None,
    };
    let shortest = |path: &[&str]| rules.iter().filter_map(|rule| days(rule, path)).min();
    Some(Expiry { objects: shortest(objects), versions: shortest(versions) })
}

/// A number of days at `path`, stepping into Terraform's one-block lists.
fn days(rule: &Value, path: &[&str]) -> Option<i64> {
    let mut at = rule;
    for key in path {
        at = at.get(key)?;
        if let Some([only]) = at.as_array().map(Vec::as_slice) {
            at = only;
        }
    }
    at.as_i64()
}

/// The bucket a Terraform lifecycle configuration belongs to
/// (`aws_s3_bucket.NAME`), from its `bucket` argument.
pub fn bucket_of(configuration: &Resource) -> Option<String> {
    let reference = configuration.properties.get("bucket")?.as_str()?;
    let label = reference.split("aws_s3_bucket.").nth(1)?.split(['.', '}']).next()?;
    Some(format!("aws_s3_bucket.{label}"))
}

/// What a lifecycle that keeps less than `before` deletes, each in words.
pub fn shortened(id: &str, before: Expiry, after: Expiry) -> Vec<String> {
    let kept = |days: Option<i64>| match days {
        None => "for ever".to_string(),
        Some(1) => "1 day".to_string(),
        Some(d) => format!("{d} days"),
    };
    let mut out = Vec::new();
    let sooner = |old: Option<i64>, new: Option<i64>| match (old, new) {
        (None, Some(_)) => true,
        (Some(old), Some(new)) => new < old,
        (_, None) => false,
    };
    if sooner(before.objects, after.objects) {
        out.push(format!(
            "{id}: objects older than {} are deleted (they were kept {})",
            kept(after.objects),
            kept(before.objects)
        ));
    }
    if sooner(before.versions, after.versions) {
        out.push(format!(
            "{id}: versions replaced more than {} ago are deleted (they were kept {})",
            kept(after.versions),
            kept(before.versions)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(objects: Option<i64>, versions: Option<i64>) -> Expiry {
        Expiry { objects, versions }
    }

    #[test]
    fn only_keeping_less_deletes() {
        assert_eq!(shortened("b", kept(Some(7), None), kept(Some(30), None)), Vec::<String>::new(), "kept longer");
        assert_eq!(shortened("b", kept(Some(7), Some(3)), kept(None, None)), Vec::<String>::new(), "rule removed");
        assert_eq!(shortened("b", kept(Some(7), None), kept(Some(7), None)), Vec::<String>::new(), "unchanged");
        assert_eq!(
            shortened("b", kept(None, Some(30)), kept(Some(1), Some(7))),
            [
                "b: objects older than 1 day are deleted (they were kept for ever)",
                "b: versions replaced more than 7 days ago are deleted (they were kept 30 days)"
            ]
        );
    }
}
