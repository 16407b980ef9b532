//! Plan fixtures: `tests/plan/<case>/before.lf` and `after.lf`, each built
//! to both targets, planned, and snapshotted as text, Markdown and JSON
//! (CloudFormation) and as text (Terraform). Plus `plan --base` in a real
//! git checkout.

mod common;

use lambdaform::check::{check, Input};
use lambdaform::emit::{emit, Options};
use lambdaform::plan::{self, render, HazardKind, Plan, Target};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn output(path: &Path, target: Target) -> (String, lambdaform::stdlib::Kinds) {
    let input = Input { name: "main.lf".into(), bytes: std::fs::read(path).expect("fixture") };
    let checked = check(vec![input], common::today());
    assert!(!checked.has_errors(), "{}: {:?}", path.display(), checked.diagnostics);
    let options = Options { stage: "dev".into() };
    let files = emit(&checked, &options, target == Target::Cloudformation, target == Target::Terraform);
    (files.into_iter().next().expect("one file").1, checked.model.kinds)
}

fn plan_of(case: &str, target: Target) -> Plan {
    let dir = root().join("tests/plan").join(case);
    let (before, _) = output(&dir.join("before.lf"), target);
    let (after, kinds) = output(&dir.join("after.lf"), target);
    let old = plan::snapshot(target, &before).expect("before parses");
    let new = plan::snapshot(target, &after).expect("after parses");
    plan::plan(target, &old, &new, &kinds)
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(root().join("tests/plan"))
        .expect("tests/plan")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn plan_snapshots() {
    for case in cases() {
        let plan = plan_of(&case, Target::Cloudformation);
        insta::assert_snapshot!(format!("{case}_text"), render::text(&plan, false));
        insta::assert_snapshot!(format!("{case}_markdown"), render::markdown(&plan));
        insta::assert_snapshot!(format!("{case}_json"), render::json(&plan));
        let plan = plan_of(&case, Target::Terraform);
        insta::assert_snapshot!(format!("{case}_terraform"), render::text(&plan, false));
    }
}

fn kinds(plan: &Plan) -> Vec<HazardKind> {
    plan.hazards.iter().map(|h| h.kind).collect()
}

#[test]
fn hazards_per_case() {
    for target in [Target::Cloudformation, Target::Terraform] {
        let widened = plan_of("grant_widened_by_wildcard", target);
        assert!(kinds(&widened).contains(&HazardKind::Widen), "{target:?}");
        let narrowed = plan_of("grant_narrowed", target);
        assert!(!kinds(&narrowed).contains(&HazardKind::Widen), "{target:?}: narrowing widens nothing");
        assert!(narrowed.grants.iter().all(|g| !g.widened));
        let added = plan_of("grant_added", target);
        assert!(added.grants.iter().any(|g| g.widened && g.action == "dynamodb:PutItem"), "{target:?}");
        assert!(plan_of("statements_reordered", target).is_empty(), "{target:?}: reordering is no change");
        assert!(kinds(&plan_of("table_key_changed", target)).contains(&HazardKind::DataLoss));
        assert!(kinds(&plan_of("queue_made_fifo", target)).contains(&HazardKind::DataLoss));
        assert!(kinds(&plan_of("function_renamed", target)).contains(&HazardKind::TriggersStop));
        assert!(kinds(&plan_of("bucket_removed_retained", target)).contains(&HazardKind::DataLoss));
        assert!(kinds(&plan_of("bucket_removed_not_retained", target)).contains(&HazardKind::DataLoss));
        assert!(kinds(&plan_of("allow_account_added", target)).contains(&HazardKind::PublicInvoke));
        assert!(plan_of("grant_removed", target).grants.iter().all(|g| g.change == plan::Change::Removed));
    }
}

#[test]
fn iam_wildcards_match_like_iam() {
    assert!(plan::glob("sqs:*", "sqs:SendMessage"));
    assert!(plan::glob("arn:aws:sqs:*:1:partner-*", "arn:aws:sqs:eu-west-1:1:partner-orders"));
    assert!(plan::glob("a?c", "abc"));
    assert!(!plan::glob("partner-*", "other-orders"));
    assert!(!plan::glob("a?c", "ac"));
}

/// `plan --base HEAD` in a git checkout: the sources at HEAD against the
/// working tree, exit 1 for changes and 3 when a denied hazard stands.
#[test]
fn plan_against_a_git_revision() {
    let dir = root().join("target/plan-git-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app")).expect("temp dir");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    let case = root().join("tests/plan/table_key_changed");
    std::fs::copy(case.join("before.lf"), dir.join("app/main.lf")).expect("copy");
    git(&["add", "."]);
    git(&["commit", "-qm", "before"]);
    std::fs::copy(case.join("after.lf"), dir.join("app/main.lf")).expect("copy");
    let run = |extra: &[&str]| {
        common::lambdaform()
            .args(["plan", dir.join("app").to_str().expect("utf-8 path"), "--base", "HEAD"])
            .args(extra)
            .output()
            .expect("lambdaform runs")
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[data-loss]"));
    assert_eq!(run(&["--deny", "data-loss"]).status.code(), Some(3));
    assert_eq!(run(&["--deny", "widen"]).status.code(), Some(1));
    let unchanged = std::fs::read_to_string(dir.join("app/main.lf")).expect("read");
    assert!(unchanged.contains("order_id"), "the working tree is untouched");
}
