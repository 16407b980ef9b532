//! The `required_providers` constraint of `main.tf`: the oldest release of
//! the AWS provider (`hashicorp/aws`) that accepts everything the file
//! holds, so `terraform init` never settles on a release that `terraform
//! validate` then rejects, and no one is asked to upgrade for nothing.
//!
//! What moves the floor: each function's runtime (the table beside the
//! runtime rules, `validate::runtimes::TERRAFORM_AWS_PROVIDER`) and the
//! arguments below. Every other argument the emitter writes is older than
//! [`BASELINE`]; by the provider's `CHANGELOG.md` the newest of them is
//! `aws_lambda_event_source_mapping.scaling_config`, added in 4.51.0.

use crate::model::Model;
use crate::validate::runtimes::TERRAFORM_AWS_PROVIDER;

/// The oldest release the output targets.
const BASELINE: &str = "5.0";

/// `vpc_config.ipv6_allowed_for_dual_stack` of `aws_lambda_function`,
/// written for a function on an `ipv6` network: added in 5.23.0
/// (CHANGELOG, #34045).
const DUAL_STACK: &str = "5.23.0";

/// `invoked_via_function_url` of `aws_lambda_permission`, written for a
/// public function URL (`auth = none`): added in 6.29.0.
const URL_INVOKE: &str = "6.29.0";

/// `>= X`, X the newest release some part of the app needs.
pub fn constraint(model: &Model) -> String {
    let mut floor = BASELINE;
    // An app has few runtimes and many functions: each runtime is looked
    // up once.
    let mut runtimes: Vec<&str> = Vec::new();
    for (function, _) in model.functions() {
        if let Some(runtime) = function.attrs.str("runtime").filter(|r| !runtimes.contains(r)) {
            runtimes.push(runtime);
            floor = newer(floor, runtime_floor(runtime));
        }
        let network = function.attrs.reference("network").map(|id| &model.resource(id).attrs);
        if network.is_some_and(|n| n.bool("ipv6")) {
            floor = newer(floor, DUAL_STACK);
        }
        if function.function_url().is_some_and(|url| url.auth == "none") {
            floor = newer(floor, URL_INVOKE);
        }
    }
    format!(">= {floor}")
}

/// The release that first accepts `runtime`. For a runtime that no known
/// release accepts yet, the newest release the table names: too old for
/// it, but the best floor that can be stated (and `terraform init` without
/// a lock file takes the newest release anyway).
fn runtime_floor(runtime: &str) -> &'static str {
    match TERRAFORM_AWS_PROVIDER.iter().find(|(id, _)| *id == runtime) {
        Some((_, Some(version))) => version,
        _ => TERRAFORM_AWS_PROVIDER.iter().filter_map(|(_, v)| *v).fold(BASELINE, newer),
    }
}

/// The newer of two release numbers (`5.0`, `5.27.0`).
fn newer<'a>(a: &'a str, b: &'a str) -> &'a str {
    if release(b) > release(a) {
        b
    } else {
        a
    }
}

/// `5.27.0` as `[5, 27, 0]`; a missing part is 0.
fn release(version: &str) -> [u32; 3] {
    let mut parts = version.split('.').map(|p| p.parse().unwrap_or(0));
    [parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_compare_by_number() {
        assert_eq!(newer("5.0", "5.27.0"), "5.27.0");
        assert_eq!(newer("5.100.0", "5.27.0"), "5.100.0");
        assert_eq!(newer("6.19.0", "5.100.0"), "6.19.0");
        assert_eq!(newer("5.0", "5.0.0"), "5.0");
    }

    #[test]
    fn a_runtime_no_release_takes_gets_the_newest_named() {
        assert_eq!(runtime_floor("ruby4.0"), "6.27.0");
        assert_eq!(runtime_floor("python3.14"), "6.20.0");
        assert_eq!(runtime_floor("nodejs18.x"), "5.0");
    }
}
