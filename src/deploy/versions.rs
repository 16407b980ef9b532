//! How a function ships, decided once for both targets (issue 15): its
//! package (a .zip of the app, or an ECR image), the versions it publishes
//! and the alias its callers invoke, provisioned concurrency on that
//! alias, SnapStart, and the layers the app builds.
//!
//! - **Publishing on change.** CloudFormation publishes a version when an
//!   `AWS::Lambda::Version` is created, never when the function under it
//!   changes; so the version's logical id ends with a hash of everything
//!   that configures the function ([`fingerprint`]: its attributes, mounts,
//!   and the attributes of the layers and network it names). A change
//!   makes a new id: CloudFormation creates it (publishing the new
//!   configuration), moves the alias to it, and leaves the old version in
//!   place (`DeletionPolicy`/`UpdateReplacePolicy: Retain`, as SAM's
//!   `AutoPublishAlias` does): deleting it would remove the version an
//!   in-flight rollback or a pinned caller still uses, and Terraform's
//!   `publish = true` never deletes old versions either, so both targets
//!   keep them. A package changed in place under the same `code` path is
//!   not seen by CloudFormation at all (function or version): change the
//!   path, as for a function without an alias.
//! - **Terraform** sets `publish = true` on the function and points
//!   `aws_lambda_alias` at its `version`; provisioned concurrency is an
//!   `aws_lambda_provisioned_concurrency_config` on the alias, which
//!   CloudFormation writes inside the alias.
//! - **Images.** Lambda pulls an ECR image with its own service principal
//!   when the function is created or updated, never with the execution
//!   role: the role gets nothing. The deployer needs
//!   `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` on the
//!   repository (Lambda adds them to a same-account repository's policy
//!   when the deployer may `ecr:SetRepositoryPolicy`; a repository in
//!   another account must allow `lambda.amazonaws.com` itself). The app
//!   does not create the repository, so no policy is emitted.

use super::names;
use super::resource::{object, Attr, Id, Key, Part, Ref, Resource, Type, Value};
use super::Scope;
use crate::grants::SharedName;
use crate::model::{self, InputId, Model, Val};

const ALIAS: (&str, &str) = ("AWS::Lambda::Alias", "aws_lambda_alias");

/// SnapStart's `ApplyOn`: the only value Lambda has besides `None`.
pub const SNAPSTART_APPLY_ON: &str = "PublishedVersions";

/// What a function's package is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Package<'a> {
    /// A .zip (or .jar) of the app, at this `code` path.
    Zip(&'a str),
    /// An Amazon ECR image URI (`PackageType: Image`).
    Image(&'a str),
    /// An ECR image URI given at deploy time by this input
    /// (`ImageUri: {Ref: Param}`, `image_uri = var.NAME`).
    ImageInput(InputId),
}

pub fn package(function: &model::Resource) -> Package<'_> {
    match function.attrs.value("image") {
        Some(Val::Input(id)) => Package::ImageInput(*id),
        Some(Val::Str(uri)) => Package::Image(uri),
        _ => Package::Zip(function.attrs.str("code").unwrap_or_default()),
    }
}

/// Whether the function publishes versions (Terraform's `publish`).
pub fn publishes(function: &model::Resource) -> bool {
    function.alias().is_some()
}

/// Whether the function's versions are published with SnapStart.
pub fn snapstart(function: &model::Resource) -> bool {
    function.attrs.bool("snapstart")
}

/// The CloudFormation id of the function's alias, which triggers and
/// permissions name (its `Ref` is the alias ARN).
pub fn alias_id(scope_ids: &super::ids::LogicalIds, function: &model::Resource) -> SharedName {
    scope_ids.get(function, "Alias")
}

/// The function's alias, as a reference (`Ref` is the alias ARN in
/// CloudFormation; `arn`, `name` in Terraform); `None` without an alias.
pub fn alias_ref(scope: &Scope, function: &model::Resource, attr: Attr) -> Option<Ref> {
    function.alias()?;
    Some(Ref {
        id: Id::new(alias_id(scope.ids, function), scope.label(function)),
        ty: Type::both(ALIAS.0, ALIAS.1),
        attr,
    })
}

/// What an invoke permission of `function` names, as the printers' route
/// permissions do: its alias where it has one (CloudFormation's
/// `FunctionName` the alias ARN, Terraform's `qualifier` the alias name),
/// else the function.
pub fn permission_target(scope: &Scope, function: &model::Resource, permission: &mut Resource) {
    let name = super::function::function_ref(scope, function, Attr::reference("function_name"));
    let Some(alias) = alias_ref(scope, function, Attr::reference("arn")) else {
        permission.set(Key::new("FunctionName", "function_name"), name);
        return;
    };
    permission.set(Key::cloudformation("FunctionName"), alias.clone());
    permission.set(Key::terraform("function_name"), name);
    permission.set(Key::terraform("qualifier"), Ref { attr: Attr::reference("name"), ..alias });
}

/// For a function with an alias: Terraform's reference to the alias's
/// name, and the alias as CloudFormation's referrers wait for it (they
/// write its name as text, with no `Ref` to a type moto lacks).
pub fn alias_refs(scope: &Scope, function: &model::Resource) -> Option<(Ref, Ref)> {
    let name = alias_ref(scope, function, Attr::reference("name"))?;
    let wait = Ref { ty: Type::cloudformation(ALIAS.0), ..name.clone() };
    Some((name, wait))
}

/// The version, alias and provisioned concurrency of a function with an
/// alias; nothing for one without.
pub fn for_function(scope: &Scope, function: &model::Resource) -> Vec<Resource> {
    let Some(alias_name) = function.alias() else { return Vec::new() };
    let function_ref = |attr| super::function::function_ref(scope, function, attr);
    let version_suffix = format!("Version{:08x}", fingerprint(scope.model, function));
    let version_id = scope.ids.keyed(function, "version", &version_suffix);
    let mut version =
        Resource::new(Id::new(version_id, scope.label(function)), Type::cloudformation("AWS::Lambda::Version"));
    version.owner = Some(function.id);
    version.set(Key::new("FunctionName", "function_name"), function_ref(Attr::reference("function_name")));
    version.keep = super::resource::Keep::Retain;
    if let Some(description) = deploy_time_configuration(function) {
        version.set(Key::cloudformation("Description"), description);
    }

    let mut alias = scope.resource(function, alias_id(scope.ids, function), ALIAS.0, ALIAS.1);
    alias.set(Key::new("Name", "name"), alias_name);
    alias.set(Key::new("FunctionName", "function_name"), function_ref(Attr::reference("function_name")));
    alias.set(Key::cloudformation("FunctionVersion"), version.attr(Attr::get("Version", "version")));
    alias.set(Key::terraform("function_version"), function_ref(Attr::get("Version", "version")));
    let provisioned = function.attrs.int("provisioned");
    if let Some(count) = provisioned {
        let config = object([(Key::cloudformation("ProvisionedConcurrentExecutions"), Value::Int(count))]);
        alias.set(Key::cloudformation("ProvisionedConcurrencyConfig"), config);
    }
    let mut out = vec![version, alias];
    if let Some(count) = provisioned {
        let alias = &out[1];
        let mut config = Resource::new(
            Id::new(String::new(), scope.label(function)),
            Type::terraform("aws_lambda_provisioned_concurrency_config"),
        );
        config.owner = Some(function.id);
        config.set(Key::terraform("function_name"), alias.attr(Attr::reference("function_name")));
        config.set(Key::terraform("qualifier"), alias.attr(Attr::reference("name")));
        config.set(Key::terraform("provisioned_concurrent_executions"), count);
        out.push(config);
    }
    out
}

/// The version's description in CloudFormation when the function's
/// configuration takes string or number inputs (its image, layer ARNs,
/// environment values): the inputs' values, so that deploying other
/// values replaces the version (a new `Description` replaces an
/// `AWS::Lambda::Version`), publishing the function as it now is; the
/// logical id's [`fingerprint`] cannot see a value given at deploy time.
/// Terraform's `publish = true` publishes on any change by itself.
fn deploy_time_configuration(function: &model::Resource) -> Option<Value> {
    let mut inputs = Vec::new();
    for attr in function.attrs.0.iter().filter(|a| matches!(a.name.as_str(), "image" | "layers" | "env")) {
        collect_inputs(&attr.value, &mut inputs);
    }
    if inputs.is_empty() {
        return None;
    }
    let mut parts = vec![Part::Lit("configured by".into())];
    for id in inputs {
        parts.push(Part::Lit(" ".into()));
        parts.push(Part::Input(id));
    }
    Some(Value::Text(parts))
}

fn collect_inputs(value: &Val, out: &mut Vec<InputId>) {
    match value {
        Val::Input(id) if !out.contains(id) => out.push(*id),
        Val::List(items) => items.iter().for_each(|item| collect_inputs(item, out)),
        Val::Object(entries) => entries.iter().for_each(|(_, item)| collect_inputs(item, out)),
        _ => {}
    }
}

/// A layer the app builds: `AWS::Lambda::LayerVersion` from the package
/// in the artifacts bucket, `aws_lambda_layer_version` from the file.
pub fn layer(scope: &Scope, layer: &model::Resource) -> Vec<Resource> {
    let mut r = scope.resource(layer, scope.ids.main(layer), "AWS::Lambda::LayerVersion", "aws_lambda_layer_version");
    if let Some(naming) = names::naming(scope.model, scope.stage, layer) {
        r.set(Key::new("LayerName", "layer_name"), naming.name);
    }
    if let Some(description) = layer.attrs.str("description") {
        r.set(Key::new("Description", "description"), description);
    }
    r.set(Key::flat("Content"), package_content(scope, layer.attrs.str("code").unwrap_or_default()));
    if let Some(Val::List(runtimes)) = layer.attrs.value("runtimes") {
        r.set(Key::new("CompatibleRuntimes", "compatible_runtimes"), Value::List(strings(runtimes)));
    }
    if let Some(Val::List(arch)) = layer.attrs.value("arch") {
        r.set(Key::new("CompatibleArchitectures", "compatible_architectures"), Value::List(strings(arch)));
    }
    vec![r]
}

/// The package at `code` in the app folder: CloudFormation's `S3Bucket`
/// and `S3Key` in the artifacts bucket, Terraform's `filename` and
/// `source_code_hash`, both at the package's key ([`names::package_key`]).
/// (The bucket, which only CloudFormation prints, is named only for it.)
pub(super) fn package_content(scope: &Scope, code: &str) -> Value {
    let key = names::package_key(code);
    let bucket = scope.cloudformation().then(|| {
        let prefix = names::artifact_bucket_prefix(scope.model, scope.stage) + "-";
        (
            Key::cloudformation("S3Bucket"),
            Value::Text(vec![Part::Lit(prefix), Part::Account, Part::Lit("-".into()), Part::Region]),
        )
    });
    object(bucket.into_iter().chain([
        (Key::new("S3Key", "filename"), Value::Package(key.clone())),
        (Key::terraform("source_code_hash"), Value::PackageHash(key)),
    ]))
}

fn strings(items: &[Val]) -> Vec<Value> {
    items
        .iter()
        .filter_map(|item| match item {
            Val::Str(s) | Val::Word(s) => Some(Value::from(s.clone())),
            _ => None,
        })
        .collect()
}

/// A hash of everything that configures the function's next version:
/// each attribute but the alias's own (`alias`, `provisioned`), its
/// mounts, and the attributes of the resources it names (a layer's new
/// package is a new layer version, so a new function version). Refs are
/// written by name, so reordering the source changes nothing.
pub fn fingerprint(model: &Model, function: &model::Resource) -> u32 {
    let mut text = String::new();
    for attr in function.attrs.0.iter().filter(|a| !matches!(a.name.as_str(), "alias" | "provisioned")) {
        text.push_str(&attr.name);
        text.push('=');
        write_value(model, &attr.value, true, &mut text);
        text.push(';');
    }
    for mount in function.function.iter().flat_map(|f| &f.mounts) {
        text.push_str(&format!("mount {} at {} {};", model.resource(mount.target).name, mount.path, mount.readonly));
    }
    names::fnv1a(text.as_bytes())
}

fn write_value(model: &Model, value: &Val, follow: bool, out: &mut String) {
    match value {
        Val::Ref(id) => {
            let target = model.resource(*id);
            out.push_str(&target.name);
            if follow {
                out.push('{');
                for attr in &target.attrs.0 {
                    out.push_str(&attr.name);
                    out.push('=');
                    write_value(model, &attr.value, false, out);
                    out.push(';');
                }
                out.push('}');
            }
        }
        Val::Field(id, field) => out.push_str(&format!("{}.{field}", model.resource(*id).name)),
        Val::List(items) => {
            out.push('[');
            for item in items {
                write_value(model, item, follow, out);
                out.push(',');
            }
            out.push(']');
        }
        Val::Object(entries) => {
            out.push('{');
            for (key, item) in entries {
                out.push_str(key);
                out.push('=');
                write_value(model, item, follow, out);
                out.push(',');
            }
            out.push('}');
        }
        other => out.push_str(&format!("{other:?}")),
    }
}
