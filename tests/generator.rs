//! The synthetic apps of `tests/common/gen.rs`, which the benchmarks
//! (`benches/pipeline.rs`) compile at 10 to 10,000 functions, check with no
//! error and no warning: a benchmark of an app full of diagnostics would
//! measure the wrong thing. Only `info` diagnostics (VPC functions calling AWS
//! services) are allowed.

mod common;

use lambdaform::check::{check, Checked, Input};
use lambdaform::cli::render_to_string;
use lambdaform::diagnostic::Severity;

fn checked(n: usize) -> Checked {
    check(vec![Input { name: format!("bench_{n}.lf"), bytes: common::gen::app(n).into_bytes() }])
}

fn assert_clean(n: usize) {
    let checked = checked(n);
    let noisy: Vec<_> = checked.diagnostics.iter().filter(|d| d.severity != Severity::Info).collect();
    assert!(
        noisy.is_empty(),
        "the generated app of {n} functions has {} diagnostics besides info:\n{}",
        noisy.len(),
        render_to_string(&checked, false)
    );
    assert_eq!(checked.graph.graph.node_count(), checked.model.resources.len(), "a node per resource");
    assert_eq!(checked.grants.len(), n, "one set of grants per function");
}

#[test]
fn hundred_functions_check_clean() {
    assert_clean(100);
}

#[test]
fn thousand_functions_check_clean() {
    assert_clean(1000);
}

#[test]
fn partial_groups_check_clean() {
    for n in [10, 11, 17, 23, 109] {
        assert_clean(n);
    }
}

#[test]
fn the_app_has_the_promised_shape() {
    let checked = checked(100);
    let model = &checked.model;
    let count = |kind: &str| model.resources.iter().filter(|r| r.kind == kind).count();
    assert_eq!(count("function"), 100);
    for kind in ["table", "stream", "topic", "bucket", "bus", "schedule", "secret", "parameter"] {
        assert_eq!(count(kind), 10, "{kind}");
    }
    // 50 trigger queues, and a failure, dead-letter and FIFO queue per group.
    assert_eq!(count("queue"), 80);
    assert!(count("network") >= 1 && count("api") >= 1);
    let verbs: std::collections::BTreeSet<&str> =
        model.functions().flat_map(|(_, f)| &f.accesses).map(|a| a.verb.as_str()).collect();
    let expected = ["connect", "consume", "invoke", "publish", "put", "read", "send", "write"];
    assert_eq!(verbs.into_iter().collect::<Vec<_>>(), expected);
    let sources: std::collections::BTreeSet<&str> =
        model.functions().flat_map(|(_, f)| &f.triggers).map(|t| model.resource(t.source).kind.as_str()).collect();
    let expected = ["api", "bucket", "bus", "queue", "schedule", "stream", "table", "topic"];
    assert_eq!(sources.into_iter().collect::<Vec<_>>(), expected);
    let packages = common::gen::packages(100);
    let code: std::collections::BTreeSet<&str> = model.functions().filter_map(|(f, _)| f.attrs.str("code")).collect();
    assert_eq!(code.into_iter().collect::<Vec<_>>(), packages, "the packages are the functions' code");
}
