//! Rules on how a function ships (issue 15): SnapStart where Lambda offers
//! it and with what it excludes, the settings of published versions that
//! need an alias, provisioned within reserved concurrency, layers the app
//! builds against the functions that use them, and layers and images of
//! the app's own region.

use super::{runtimes, span_of};
use crate::diagnostic::{Code, Diagnostic, Edit};
use crate::model::{Model, Resource, Val};
use crate::source::Span;
use crate::stdlib::defaults;

/// SnapStart: on the runtimes of `runtimes::SNAPSTART` only (never an
/// image), not with provisioned concurrency, EFS or more than 512 MB of
/// ephemeral storage (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html).
pub fn snapstart(function: &Resource, out: &mut Vec<Diagnostic>) {
    let attrs = &function.attrs;
    if !attrs.bool("snapstart") {
        return;
    }
    let span = span_of(function, "snapstart");
    let offered: Vec<String> = runtimes::SNAPSTART.iter().map(|id| format!("`{id}`")).collect();
    let image = attrs.value("image").is_some();
    let unsupported = match (image, attrs.str("runtime")) {
        (true, _) => Some("a container image".to_string()),
        (false, Some(runtime)) if !runtimes::snapstart(runtime) => Some(format!("`{runtime}`")),
        _ => None,
    };
    if let Some(what) = unsupported {
        out.push(
            Diagnostic::new(Code::SnapStartRuntime, span, format!("Lambda offers no SnapStart on {what}"))
                .label("SnapStart not offered here")
                .secondary(span_of(function, if image { "image" } else { "runtime" }), "this package")
                .help(format!("SnapStart runs on {}; remove `snapstart` or use one of them", offered.join(", "))),
        );
    }
    if let Some(provisioned) = attrs.span("provisioned") {
        out.push(
            Diagnostic::new(Code::SnapStartProvisioned, span, "SnapStart and provisioned concurrency on one version")
                .label("SnapStart")
                .secondary(provisioned, "provisioned concurrency")
                .help("Lambda refuses provisioned concurrency on a SnapStart version: keep one of the two"),
        );
    }
    if let Some(mount) = function.function.as_ref().and_then(|f| f.mounts.first()) {
        out.push(
            Diagnostic::new(Code::SnapStartEfs, span, "SnapStart does not support EFS mounts")
                .label("SnapStart")
                .secondary(mount.span, "an EFS mount")
                .help("remove the mount or `snapstart`"),
        );
    }
    if let Some(storage) = attrs.int("storage").filter(|mb| *mb > 512) {
        out.push(
            Diagnostic::new(
                Code::SnapStartStorage,
                span,
                format!("SnapStart does not support {storage}MB of ephemeral storage"),
            )
            .label("SnapStart")
            .secondary(span_of(function, "storage"), "above 512MB")
            .help("SnapStart takes at most 512MB of `storage`: lower it, or remove `snapstart`"),
        );
    }
}

/// Provisioned concurrency and SnapStart live on published versions,
/// which an alias makes callers use.
pub fn needs_alias(function: &Resource, out: &mut Vec<Diagnostic>) {
    let attrs = &function.attrs;
    if attrs.str("alias").is_some() {
        return;
    }
    let settings = [
        ("provisioned", attrs.span("provisioned")),
        ("snapstart", attrs.span("snapstart").filter(|_| attrs.bool("snapstart"))),
    ];
    for (name, span) in settings {
        let Some(span) = span else { continue };
        let d = Diagnostic::new(
            Code::VersionSettingWithoutAlias,
            span,
            format!("`{name}` applies to published versions, and `{}` has no alias", function.name),
        )
        .label("without an alias")
        .help("add `alias = \"live\"`: Lambdaform then publishes a version on each change and points triggers and callers at the alias")
        .fix(
            format!("Add `alias = \"live\"` to `{}`", function.name),
            Edit::AddStatement { block: function.span, statement: "alias = \"live\"".into() },
        );
        out.push(d);
    }
}

/// Provisioned concurrency comes out of reserved concurrency.
pub fn provisioned_within_reserved(function: &Resource, out: &mut Vec<Diagnostic>) {
    let attrs = &function.attrs;
    let (Some(provisioned), Some(reserved)) = (attrs.int("provisioned"), attrs.int("concurrency")) else { return };
    if provisioned > reserved {
        out.push(
            Diagnostic::new(
                Code::ProvisionedAboveReserved,
                span_of(function, "provisioned"),
                format!("{provisioned} provisioned executions, but `{}` reserves {reserved}", function.name),
            )
            .label("above reserved concurrency")
            .secondary(span_of(function, "concurrency"), "reserved concurrency")
            .help(format!("provision at most {reserved}, or reserve at least {provisioned}")),
        );
    }
}

/// Each layer the app builds that a function uses lists the function's
/// runtime and architecture, when it lists runtimes or architectures.
pub fn layer_compatibility(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(Val::List(layers)) = function.attrs.value("layers") else { return };
    let runtime = function.attrs.str("runtime");
    let Some(arch) = defaults::ARCH.text(function) else { return };
    for layer in layers.iter().filter_map(|l| if let Val::Ref(id) = l { Some(model.resource(*id)) } else { None }) {
        let listed = |attr: &str| match layer.attrs.value(attr) {
            Some(Val::List(items)) => Some(items.iter().filter_map(word).collect::<Vec<&str>>()),
            _ => None,
        };
        let mismatches = [
            ("runtime", "runtimes", runtime, listed("runtimes")),
            ("architecture", "arch", Some(arch), listed("arch")),
        ];
        for (what, attr, value, list) in mismatches {
            let (Some(value), Some(list)) = (value, list) else { continue };
            if list.contains(&value) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::LayerIncompatible,
                    span_of(function, "layers"),
                    format!("the layer `{}` is not built for the {what} `{value}` of `{}`", layer.name, function.name),
                )
                .label(format!("incompatible {what}"))
                .secondary(span_of(layer, attr), format!("`{}` lists {}", layer.name, list.join(", ")))
                .help(format!(
                    "add `{value}` to the layer's `{attr}`, or give `{}` one of {}",
                    function.name,
                    list.join(", ")
                )),
            );
        }
    }
}

fn word(value: &Val) -> Option<&str> {
    match value {
        Val::Str(s) | Val::Word(s) => Some(s),
        _ => None,
    }
}

/// Layer ARNs and images of another region than the app's; an input's
/// default is judged in its place (where the input stands is then a
/// secondary label).
pub fn same_region(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(region) = model.app.region.as_deref() else { return };
    let mut elsewhere: Vec<(String, &'static str, Option<Span>)> = Vec::new();
    let literal = |value: &Val| -> Option<(String, Option<Span>)> {
        match value {
            Val::Input(id) => model.input(*id).default_text().map(|(text, at)| (text.to_string(), Some(at))),
            other => word(other).map(|text| (text.to_string(), None)),
        }
    };
    if let Some(Val::List(layers)) = function.attrs.value("layers") {
        for (layer, at) in layers.iter().filter_map(literal) {
            if let Some(other) = layer.split(':').nth(3).filter(|r| !r.is_empty() && *r != region) {
                elsewhere.push((format!("the layer `{layer}` is in {other}"), "layers", at));
            }
        }
    }
    if let Some((image, at)) = function.attrs.value("image").and_then(literal) {
        if let Some(other) = crate::resolve::image_region(&image).filter(|r| *r != region) {
            elsewhere.push((format!("the image is in {other}"), "image", at));
        }
    }
    for (problem, attr, default) in elsewhere {
        let mut d = Diagnostic::new(
            Code::OtherRegion,
            default.unwrap_or_else(|| span_of(function, attr)),
            format!("{problem}, but the app deploys to {region}"),
        )
        .label("another region")
        .help(format!("Lambda reads layers and images in the function's region: publish or replicate it to {region}"));
        if default.is_some() {
            d = d.secondary(span_of(function, attr), "the input's default stands here");
        }
        out.push(d);
    }
}

/// A layer's `runtimes`: 1 to 15 runtime identifiers, each once.
pub fn layer_runtimes(layer: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(Val::List(items)) = layer.attrs.value("runtimes") else { return };
    let mut problems = Vec::new();
    if items.is_empty() || items.len() > 15 {
        problems.push(format!("{} runtimes; a layer lists 1 to 15", items.len()));
    }
    for (index, item) in items.iter().enumerate() {
        match item {
            Val::Str(id) if !runtimes::is_known(id) => problems.push(format!("`{id}` is not a Lambda runtime")),
            Val::Str(id) if items[..index].contains(item) => problems.push(format!("`{id}` is listed twice")),
            Val::Str(_) => {}
            other => problems.push(format!("{} is not a runtime identifier", other.describe())),
        }
    }
    for problem in problems {
        out.push(
            Diagnostic::new(Code::BadLayerRuntimes, span_of(layer, "runtimes"), problem)
                .label("invalid compatible runtimes")
                .help("list 1 to 15 runtime identifiers, each once: `runtimes = [\"python3.12\", \"python3.13\"]`"),
        );
    }
}
