//! Physical names: the one naming policy of both targets. A name derives
//! from app, stage and resource name (`shop-dev-create_order`), cut with a
//! short stable hash where AWS limits its length; which resources are named
//! at all is [`naming`].

use crate::model::{Model, Resource};

/// The app's name: its `app` block's, or `app` when it has none.
pub fn app(model: &Model) -> &str {
    if model.app.name.is_empty() {
        "app"
    } else {
        &model.app.name
    }
}

/// `{app}-{stage}-{name}`, at most `max` characters: a longer name keeps
/// its start and ends with an 8-digit hash of the whole.
pub fn physical(model: &Model, stage: &str, name: &str, max: usize) -> String {
    let app = app(model);
    // Made by hand: it is asked for several times for each function.
    let mut whole = String::with_capacity(app.len() + stage.len() + name.len() + 2);
    for part in [app, "-", stage, "-", name] {
        whole.push_str(part);
    }
    if whole.len() <= max {
        whole
    } else {
        fit(&whole, max)
    }
}

/// The function name (≤ 64 characters, `[a-zA-Z0-9-_]`).
pub fn function_name(model: &Model, stage: &str, resource: &Resource) -> String {
    physical(model, stage, &resource.name, 64)
}

/// The name of the stream consumer a function's trigger reads through
/// (`consumer = dedicated`): `{app}-{stage}-{function}`, `-{n}` added for
/// the function's `n`th consumer of one stream, at most 128 characters
/// (Kinesis' ConsumerName, `[a-zA-Z0-9_.-]+`, which names and stages keep
/// to). A consumer's name is unique within its stream only, and app and
/// stage keep apart the stages and apps that read one existing stream.
pub fn consumer_name(model: &Model, stage: &str, function: &Resource, number: Option<usize>) -> String {
    match number {
        Some(n) => physical(model, stage, &format!("{}-{n}", function.name), 128),
        None => physical(model, stage, &function.name, 128),
    }
}

/// The physical name of a created resource of a stdlib kind, and which
/// targets set it: the one naming policy of both outputs.
///
/// - Set in both where the compiler must know the name (functions, buses,
///   buckets: see README "Names"), where AWS requires one (an api), where
///   nothing is lost by setting it (parameters, whose value is in the app),
///   and for FIFO queues and topics, whose name must end `.fifo` within
///   SQS's 80 or SNS's 256 characters: a generated one, made from stack and
///   logical id, can exceed that.
/// - Otherwise CloudFormation lets AWS generate it, so that an update that
///   replaces the resource cannot fail on "already exists", and Terraform
///   sets it: it requires names of tables and streams, and renaming the
///   queues, topics and secrets it has always named would replace them.
/// - Roles and EventBridge rules are named by neither target: a role name
///   is global to the account, so one stage deployed to two regions would
///   collide, and a rule is known by its ARN alone.
pub fn naming(model: &Model, stage: &str, resource: &Resource) -> Option<Naming> {
    let fifo = resource.attrs.bool("fifo");
    let (name, both) = match resource.kind.as_str() {
        "function" => (function_name(model, stage, resource), true),
        "bus" => (physical(model, stage, &resource.name, 256), true),
        // Set in both: a `.sync` caller's role names its executions by it.
        "state_machine" => (physical(model, stage, &resource.name, 80), true),
        "api" => (physical(model, stage, &resource.name, 128), true),
        "parameter" => (parameter_name(model, stage, resource), true),
        "queue" if fifo => (format!("{}.fifo", physical(model, stage, &resource.name, 80 - 5)), true),
        "topic" if fifo => (format!("{}.fifo", physical(model, stage, &resource.name, 256 - 5)), true),
        "queue" => (physical(model, stage, &resource.name, 80), false),
        "topic" => (physical(model, stage, &resource.name, 256), false),
        "table" => (physical(model, stage, &resource.name, 255), false),
        "stream" => (physical(model, stage, &resource.name, 128), false),
        "secret" => (physical(model, stage, &resource.name, 512), false),
        "layer" => (physical(model, stage, &resource.name, 140), true),
        _ => return None,
    };
    Some(Naming { name, cloudformation: both })
}

/// A physical name, which Terraform always sets, and whether
/// CloudFormation sets it too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Naming {
    pub name: String,
    pub cloudformation: bool,
}

/// An SSM parameter's name: `{app}-{stage}-{name}`, but SSM refuses names
/// that begin with `aws` or `ssm` in any case, so such a name is prefixed
/// with `lf-` (an app called `ssmdemo` gets `lf-ssmdemo-dev-flags`).
pub fn parameter_name(model: &Model, stage: &str, resource: &Resource) -> String {
    let name = physical(model, stage, &resource.name, 1011);
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("aws") || lower.starts_with("ssm") {
        fit(&format!("lf-{}", name), 1011)
    } else {
        name
    }
}

/// The start of a bucket name: lower case, `-` for `_`, short enough that
/// `-{account}-{region}` still fits in 63 characters.
pub fn bucket_prefix(model: &Model, stage: &str, resource: &Resource) -> String {
    physical(model, stage, &resource.name, 63 - 1 - 12 - 1 - 14).replace('_', "-").to_ascii_lowercase()
}

/// The log group of a function: `/aws/lambda/{function name}`, the group
/// Lambda writes to.
pub fn log_group_name(model: &Model, stage: &str, resource: &Resource) -> String {
    format!("/aws/lambda/{}", function_name(model, stage, resource))
}

/// The log group of an api's access logs: `/aws/apigateway/{api name}/access`.
pub fn access_log_group_name(model: &Model, stage: &str, api: &Resource) -> String {
    format!("/aws/apigateway/{}/access", physical(model, stage, &api.name, 128))
}

/// Every execution of a state machine (`…:execution:NAME:*`), what a
/// `.sync` caller follows and stops, or every Express execution
/// (`…:express:NAME:*:*`, which a caller may describe); an existing
/// machine's from its ARN.
pub fn executions_arn(model: &Model, stage: &str, machine: &Resource, express: bool) -> String {
    let (kind, rest) = if express { (":express:", ":*:*") } else { (":execution:", ":*") };
    match &machine.existing {
        Some(existing) => format!("{}{rest}", existing.arn.replacen(":stateMachine:", kind, 1)),
        None => {
            let name = physical(model, stage, &machine.name, 80);
            format!("arn:${{partition}}:states:${{region}}:${{account}}{kind}{name}{rest}")
        }
    }
}

/// Where a function's package is, relative to the output folder: the S3
/// key CloudFormation reads it from and the file Terraform hashes, and the
/// path `build` copies it to. `./build/a.zip`, `build//a.zip` and
/// `build/./a.zip` are `build/a.zip` (check refuses `..`, absolute paths
/// and backslashes).
pub fn package_key(code: &str) -> String {
    let kept = |name: &&str| !name.is_empty() && *name != ".";
    if code.split('/').all(|name| kept(&name)) {
        return code.to_string();
    }
    code.split('/').filter(kept).collect::<Vec<_>>().join("/")
}

/// The start of the name of the bucket that holds the deployment
/// packages, `{app}-{stage}-artifacts`, cut like [`bucket_prefix`] so that
/// `-{account}-{region}` still fits.
pub fn artifact_bucket_prefix(model: &Model, stage: &str) -> String {
    physical(model, stage, "artifacts", 63 - 1 - 12 - 1 - 14).replace('_', "-").to_ascii_lowercase()
}

pub(crate) fn fit(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let hash = format!("{:08x}", fnv1a(name.as_bytes()));
    let keep = max.saturating_sub(hash.len() + 1);
    let mut cut: String = name.chars().take(keep).collect();
    while cut.ends_with(['-', '_']) {
        cut.pop();
    }
    format!("{cut}-{hash}")
}

/// FNV-1a, 32 bits: a hash that never changes between builds or versions.
pub(crate) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::package_key;

    #[test]
    fn a_package_key_drops_empty_and_dot_segments() {
        assert_eq!(package_key("build/a.zip"), "build/a.zip");
        assert_eq!(package_key("./build/a.zip"), "build/a.zip");
        assert_eq!(package_key("build//a.zip"), "build/a.zip");
        assert_eq!(package_key("build/./a.zip"), "build/a.zip");
        assert_eq!(package_key("a.zip"), "a.zip");
    }
}
