//! Logical ids and physical names, shared by both targets. Logical ids
//! derive from resource names (`create_order` → `CreateOrderFunction`);
//! physical names from app, stage and resource name, cut with a short
//! stable hash where AWS limits their length.

use crate::model::{Model, Resource, ResourceId};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// `create_order` → `CreateOrder`.
pub fn camel(name: &str) -> String {
    crate::grants::camel(name)
}

/// The CloudFormation logical id of a resource's main AWS resource:
/// `CreateOrderFunction`, `OrdersTable`, `JobsQueue`.
pub fn logical_id(resource: &Resource) -> String {
    format!("{}{}", camel(&resource.name), camel(&resource.kind))
}

/// A logical id for a resource the compiler adds beside another one:
/// `suffixed(r, "Role")` → `CreateOrderRole`.
pub fn suffixed(resource: &Resource, suffix: &str) -> String {
    format!("{}{suffix}", camel(&resource.name))
}

/// `{app}-{stage}-{name}`, at most `max` characters: a longer name keeps
/// its start and ends with an 8-digit hash of the whole.
pub fn physical(model: &Model, stage: &str, name: &str, max: usize) -> String {
    let app = if model.app.name.is_empty() { "app" } else { &model.app.name };
    fit(&format!("{app}-{stage}-{name}"), max)
}

/// The function name (≤ 64 characters, `[a-zA-Z0-9-_]`).
pub fn function_name(model: &Model, stage: &str, resource: &Resource) -> String {
    physical(model, stage, &resource.name, 64)
}

/// The role name (≤ 64 characters).
pub fn role_name(model: &Model, stage: &str, resource: &Resource) -> String {
    physical(model, stage, &format!("{}-role", resource.name), 64)
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

/// The resource of a function's log grants, with `${partition}`,
/// `${region}` and `${account}` left for the target: the streams of its log
/// group (the resource type AWS documents for `logs:CreateLogStream` and
/// `logs:PutLogEvents`), with a `*` for each `/` of `/aws/lambda/{name}`.
/// The validators' policy_sentry reads a `/` as a separator of the ARN's
/// resource type and rejects the exact ARN, and moto's evaluator has no
/// `?`; the pattern still ends with the whole function name, which carries
/// app and stage.
pub fn log_streams_arn(model: &Model, stage: &str, function: &Resource) -> String {
    let group = log_group_name(model, stage, function).replace('/', "*");
    format!("arn:${{partition}}:logs:${{region}}:${{account}}:log-group:{group}:log-stream:*")
}

/// The start of the name of the bucket that holds the deployment
/// packages, `{app}-{stage}-artifacts`, cut like [`bucket_prefix`] so that
/// `-{account}-{region}` still fits.
pub fn artifact_bucket_prefix(model: &Model, stage: &str) -> String {
    physical(model, stage, "artifacts", 63 - 1 - 12 - 1 - 14).replace('_', "-").to_ascii_lowercase()
}

/// CloudFormation logical ids made unique. `camel` is not one-to-one
/// (`x_1` and `x1` are both `X1`), so each (resource, suffix) pair gets the
/// id [`suffixed`] gives it unless another pair took it first; then a
/// number follows. The same pair always gets the same id, and an emitter
/// that asks in a fixed order gets the same ids on every build. Ids are
/// alphanumeric and at most 255 characters, as CloudFormation requires.
#[derive(Debug, Default)]
pub struct LogicalIds {
    given: RefCell<BTreeMap<(ResourceId, String), String>>,
    used: RefCell<BTreeSet<String>>,
}

impl LogicalIds {
    /// The resource's main id: [`logical_id`], made unique.
    pub fn main(&self, resource: &Resource) -> String {
        self.get(resource, &camel(&resource.kind))
    }

    /// The id of something made for `resource`: [`suffixed`], made unique.
    pub fn get(&self, resource: &Resource, suffix: &str) -> String {
        self.keyed(resource, suffix, suffix)
    }

    /// Like [`LogicalIds::get`], for things that `key` tells apart when
    /// their suffixes may coincide (two triggers from `x_1` and `x1`).
    pub fn keyed(&self, resource: &Resource, key: &str, suffix: &str) -> String {
        let key = (resource.id, key.to_string());
        if let Some(id) = self.given.borrow().get(&key) {
            return id.clone();
        }
        let wanted: String = suffixed(resource, suffix).chars().filter(char::is_ascii_alphanumeric).collect();
        let base = fit_id(&wanted, 250);
        let mut used = self.used.borrow_mut();
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        used.insert(id.clone());
        self.given.borrow_mut().insert(key, id.clone());
        id
    }
}

/// An alphanumeric id of at most `max` characters: a longer one keeps its
/// start and ends with a hash of the whole.
fn fit_id(id: &str, max: usize) -> String {
    if id.len() <= max {
        return id.to_string();
    }
    let hash = format!("{:08x}", fnv1a(id.as_bytes()));
    let cut: String = id.chars().take(max - hash.len()).collect();
    format!("{cut}{hash}")
}

fn fit(name: &str, max: usize) -> String {
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
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}
