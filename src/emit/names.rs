//! Logical ids and physical names, shared by both targets. Logical ids
//! derive from resource names (`create_order` → `CreateOrderFunction`);
//! physical names from app, stage and resource name, cut with a short
//! stable hash where AWS limits their length.

use crate::model::{Model, Resource};

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
