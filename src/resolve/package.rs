//! What a function ships and how it is published: a .zip package (`code`,
//! `handler`, `runtime`) or a container image (`image`), never both; the
//! alias name; the image URI's form (of an input's default, when the
//! image is an input).
//! Rules that compare a function with others (layers, regions, SnapStart)
//! are in `validate/versions.rs`.

use super::Scope;
use crate::ast::{Body, Statement};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Attrs, Resource, Val};
use crate::source::Span;

/// Attributes of a .zip package, refused on an image function.
pub(super) const ZIP_ONLY: [&str; 4] = ["runtime", "handler", "code", "layers"];

/// What a zip function needs.
const ZIP_NEEDS: [&str; 3] = ["runtime", "handler", "code"];

impl Scope<'_> {
    /// The package of a function block: zip or image, its alias name.
    /// `body` tells what was written, valid or not: an attribute written
    /// with an error was reported and is not missing.
    pub(super) fn function_package(&mut self, function: &Resource, body: &Body) {
        let attrs = &function.attrs;
        let defaults = std::sync::Arc::clone(&self.defaults);
        let elsewhere = self.elsewhere(defaults.of("function"), "function", function.span);
        let defs = self.kinds.get("function").map_or(&[][..], |k| &k.attributes[..]);
        let written = |name: &str| {
            body.statements.iter().any(|s| matches!(s, Statement::Assignment { name: n, .. } if n.text == name))
                || elsewhere.writes(defs, name)
        };
        match (attrs.value("image"), attrs.span("image")) {
            (Some(Val::Str(uri)), Some(span)) => {
                self.zip_attributes_on_image(attrs);
                self.image_uri(uri, span, None);
            }
            // An input: its default is checked as the URI would be; a
            // value given at deploy time meets the input's pattern.
            (Some(Val::Input(id)), Some(span)) => {
                self.zip_attributes_on_image(attrs);
                let default = self.declared[id.0 as usize].input.default_text();
                if let Some((uri, at)) = default.map(|(uri, at)| (uri.to_string(), at)) {
                    self.image_uri(&uri, at, Some(span));
                }
            }
            (Some(_), _) => self.zip_attributes_on_image(attrs),
            (None, _) if written("image") => {}
            (None, _) => self.zip_needs(attrs, function.span, &written),
        }
        if let (Some(alias), Some(span)) = (attrs.str("alias"), attrs.span("alias")) {
            if !is_alias_name(alias) {
                self.diagnostics.push(
                    Diagnostic::new(Code::BadAlias, span, format!("`{alias}` is not an alias name"))
                        .label("invalid alias")
                        .help("an alias is 1 to 128 letters, digits, `-` and `_`, not only digits: `alias = \"live\"`"),
                );
            }
        }
    }

    fn zip_attributes_on_image(&mut self, attrs: &Attrs) {
        let image = attrs.span("image");
        for name in ZIP_ONLY {
            let Some(span) = attrs.span(name) else { continue };
            let mut d = Diagnostic::new(
                Code::ZipAttributeOnImage,
                span,
                format!("an image function takes no `{name}`: the image holds it"),
            )
            .label(format!("`{name}` with `image`"))
            .help(format!("remove `{name}`, or remove `image` to ship a .zip package"));
            if let Some(image) = image {
                d = d.secondary(image, "the function's package is this image");
            }
            self.diagnostics.push(d);
        }
    }

    /// `runtime`, `handler` and `code`, as `required` would say it.
    fn zip_needs(&mut self, attrs: &Attrs, span: Span, written: &dyn Fn(&str) -> bool) {
        for name in ZIP_NEEDS {
            if attrs.get(name).is_none() && !written(name) {
                self.diagnostics.push(
                    Diagnostic::new(Code::MissingAttribute, span, format!("this function needs `{name}`"))
                        .label(format!("`{name}` is missing"))
                        .help(format!("add `{name} = ...` (a string), or give the function an `image`")),
                );
            }
        }
    }

    /// LF1053 unless `uri` is an ECR image URI; `used` is where an input
    /// whose default it is stands.
    fn image_uri(&mut self, uri: &str, span: Span, used: Option<Span>) {
        if image_region(uri).is_none() {
            let mut d = Diagnostic::new(Code::BadImageUri, span, format!("`{uri}` is not an Amazon ECR image URI"))
                .label("not an ECR image")
                .help("write `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG` (or `@sha256:DIGEST`): Lambda runs images from Amazon ECR only");
            if let Some(used) = used {
                d = d.secondary(used, "the input's default is this function's image");
            }
            self.diagnostics.push(d);
        }
    }
}

/// Lambda's alias pattern: `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`, 1 to 128.
fn is_alias_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !name.bytes().all(|b| b.is_ascii_digit())
}

/// The region of an ECR image URI
/// (`ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/REPO(:TAG|@sha256:DIGEST)`),
/// or `None` when it is not one.
pub fn image_region(uri: &str) -> Option<&str> {
    let (host, path) = uri.split_once('/')?;
    let mut parts = host.splitn(5, '.');
    let (account, dkr, ecr, region, domain) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let host_ok = super::is_account(account)
        && dkr == "dkr"
        && ecr == "ecr"
        && super::is_region(region)
        && matches!(domain, "amazonaws.com" | "amazonaws.com.cn");
    let (repository, reference) = match path.split_once('@') {
        Some((repository, digest)) => (
            repository,
            digest.strip_prefix("sha256:").is_some_and(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())),
        ),
        None => match path.rsplit_once(':') {
            Some((repository, tag)) => (repository, is_tag(tag)),
            None => (path, false),
        },
    };
    let repository_ok = !repository.is_empty()
        && repository.split('/').all(|part| {
            !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        });
    (host_ok && repository_ok && reference).then_some(region)
}

/// An image tag: 1 to 128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`.
fn is_tag(tag: &str) -> bool {
    (1..=128).contains(&tag.len())
        && !tag.starts_with(['.', '-'])
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::{image_region, is_alias_name};

    #[test]
    fn image_uris_name_their_region() {
        assert_eq!(image_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4"), Some("eu-west-1"));
        assert_eq!(image_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:latest"), Some("eu-west-1"));
        let digest = format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:{}", "a".repeat(64));
        assert_eq!(image_region(&digest), Some("us-east-1"));
        assert_eq!(image_region("docker.io/library/python:3.12"), None);
        assert_eq!(image_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app"), None, "a tag or digest is needed");
        assert_eq!(
            image_region("123456789012.dkr.ecr.eu-west-1.amazonaws.com/App:1"),
            None,
            "repositories are lower case"
        );
    }

    #[test]
    fn aliases_are_words_not_numbers() {
        assert!(is_alias_name("live"));
        assert!(is_alias_name("blue-2"));
        assert!(!is_alias_name("42"));
        assert!(!is_alias_name(""));
        assert!(!is_alias_name("a:b"));
    }
}
