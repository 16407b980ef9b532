//! A bucket's lifecycle rule: versions expire only where versioning keeps
//! them (LF3100), and a versioned bucket whose objects expire says how
//! long their versions are kept (LF3101).

use super::{set, span_of};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Resource;

/// LF3100 and LF3101.
pub fn lifecycle(bucket: &Resource, out: &mut Vec<Diagnostic>) {
    let versioned = bucket.attrs.bool("versioning");
    let versions = bucket.attrs.span("expire_versions");
    match (versioned, versions, bucket.attrs.span("expire")) {
        (false, Some(span), _) => {
            let diagnostic = Diagnostic::new(
                Code::VersionsWithoutVersioning,
                span,
                format!("`{}` keeps no versions for `expire_versions` to delete", bucket.name),
            )
            .label("no version is ever kept")
            .help("turn versioning on (`versioning = true`), or use `expire`, which deletes the objects themselves");
            out.push(set(diagnostic, bucket, "versioning", "true"));
        }
        (true, None, Some(span)) => out.push(
            Diagnostic::new(
                Code::VersionsKeptForever,
                span,
                format!("`{}` is versioned: expired objects' versions are kept for ever", bucket.name),
            )
            .label("adds a delete marker; every version stays")
            .secondary(span_of(bucket, "versioning"), "versioning keeps each version")
            .help("say how long the versions are kept, such as `expire_versions = 30d`"),
        ),
        _ => {}
    }
}
