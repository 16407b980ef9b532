//! Plan fixtures: `tests/plan/<case>/before.lf` and `after.lf`, each built
//! to both targets, or `before/` and `after/` holding the outputs themselves
//! (`template.json`, `main.tf`: what the language now refuses, as an earlier
//! build wrote it); planned, and snapshotted as text, Markdown and JSON
//! (CloudFormation) and as text (Terraform). Plus `plan --base` in a real
//! git checkout, and `plan --against` on hostile folders.

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

/// The output of one side of a case: built from `SIDE.lf`, or read from
/// `SIDE/template.json` or `SIDE/main.tf` with the stdlib's kinds.
fn side(dir: &Path, side: &str, target: Target) -> (String, lambdaform::stdlib::Kinds) {
    let source = dir.join(format!("{side}.lf"));
    if source.exists() {
        return output(&source, target);
    }
    let file = match target {
        Target::Cloudformation => "template.json",
        Target::Terraform => "main.tf",
    };
    let text = std::fs::read_to_string(dir.join(side).join(file)).expect("fixture output");
    (text, lambdaform::stdlib::load(&mut lambdaform::source::Sources::default()).0)
}

fn plan_of(case: &str, target: Target) -> Plan {
    let dir = root().join("tests/plan").join(case);
    let (before, _) = side(&dir, "before", target);
    let (after, kinds) = side(&dir, "after", target);
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
        // A key deleted takes with it the means to read what it encrypted;
        // a queue encrypted with a new key widens its users' grants to it.
        assert!(kinds(&plan_of("key_removed", target)).contains(&HazardKind::DataLoss), "{target:?}");
        let encrypted = plan_of("queue_encrypted_with_key", target);
        let kms: Vec<&str> = encrypted.grants.iter().filter(|g| g.widened).map(|g| g.action.as_str()).collect();
        assert_eq!(kms, ["kms:Decrypt", "kms:GenerateDataKey", "kms:Decrypt"], "{target:?}");
        // A lifecycle that keeps less deletes what is older, in both
        // targets (Terraform's configuration is a resource of its own).
        let expiry = kinds(&plan_of("bucket_expiry_shortened", target));
        assert_eq!(expiry.iter().filter(|k| **k == HazardKind::DataLoss).count(), 2, "{target:?}");
        // Variables encrypted with a key: the function's role is widened to
        // decrypt them, and the function is updated in place.
        let variables = plan_of("function_variables_encrypted", target);
        let widened: Vec<(&str, &str)> =
            variables.grants.iter().filter(|g| g.widened).map(|g| (g.function.as_str(), g.action.as_str())).collect();
        assert_eq!(widened, [("shop-dev-checkout", "kms:Decrypt")], "{target:?}");
        let function = variables.resources.iter().find(|r| r.ty.ends_with("Function") || r.ty.ends_with("function"));
        assert_eq!(function.map(|r| r.change), Some(plan::Change::Changed), "{target:?}");
        // DynamoDB creates one index per UpdateTable: CloudFormation's update
        // of two fails, Terraform's provider makes one call per index.
        let indexes = kinds(&plan_of("table_indexes_added", target)).contains(&HazardKind::IndexesAtOnce);
        assert_eq!(indexes, target == Target::Cloudformation, "{target:?}");
        assert!(plan_of("grant_removed", target).grants.iter().all(|g| g.change == plan::Change::Removed));
        let inputs: Vec<(plan::Change, String)> =
            plan_of("inputs_changed", target).inputs.iter().map(|i| (i.change, i.name.clone())).collect();
        assert_eq!(inputs.len(), 3, "{target:?}: {inputs:?}");
    }
}

/// `consumer = dedicated` on a stream trigger replaces its mapping (its
/// event source becomes the new consumer's ARN), adds the consumer, and
/// grants the consumer actions on that consumer's reference alone.
#[test]
fn a_dedicated_consumer_replaces_the_mapping() {
    for target in [Target::Cloudformation, Target::Terraform] {
        let plan = plan_of("stream_consumer_dedicated", target);
        let change = |ty: &str| plan.resources.iter().find(|r| r.ty == ty).map(|r| r.change);
        let (mapping, consumer) = match target {
            Target::Cloudformation => ("AWS::Lambda::EventSourceMapping", "AWS::Kinesis::StreamConsumer"),
            Target::Terraform => ("aws_lambda_event_source_mapping", "aws_kinesis_stream_consumer"),
        };
        assert_eq!(change(mapping), Some(plan::Change::Replaced), "{target:?}: {:?}", plan.resources);
        assert_eq!(change(consumer), Some(plan::Change::Added), "{target:?}");
        let mut added: Vec<&str> = plan.grants.iter().map(|g| g.action.as_str()).collect();
        added.sort();
        assert_eq!(added, ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"], "{target:?}");
        assert!(plan.grants.iter().all(|g| g.change == plan::Change::Added && g.resource.contains("onsumer")));
    }
}

/// Weakening who may call an API is `public-invoke`, which `--deny widen`
/// refuses: an authorizer removed, a route's authorization gone or its
/// scopes dropped, a JWT audience widened, a route moved to another
/// authorizer (issue 14).
#[test]
fn weakened_authorization_is_public_invoke() {
    for target in [Target::Cloudformation, Target::Terraform] {
        let public = |case: &str, needle: &str| {
            let plan = plan_of(case, target);
            let found = plan.hazards.iter().any(|h| h.kind == HazardKind::PublicInvoke && h.message.contains(needle));
            assert!(found, "{target:?} {case}: no public-invoke hazard with {needle:?} in {:?}", plan.hazards);
        };
        public("authorizer_removed", "authorizer gate");
        public("authorizer_removed", "route POST /admin");
        public("route_made_public", "CUSTOM → NONE");
        public("route_made_public", "orders/read");
        public("audience_widened", "partner");
        public("authorizer_switched", "route POST /admin");
        let switched = plan_of("authorizer_switched", target);
        assert_eq!(switched.hazards.len(), 1, "{target:?}: {:?}", switched.hazards);
        let widened = plan_of("audience_widened", target);
        assert_eq!(widened.hazards.len(), 1, "{target:?}: {:?}", widened.hazards);
    }
}

/// The same hazards hold for a REST API's methods (`AuthorizationType`,
/// `AuthorizerId`, `AuthorizationScopes`, `ApiKeyRequired`) and for a
/// WebSocket API's `$connect` route, matched by route key (or method and
/// path) so that one moved to another function is still compared.
#[test]
fn weakened_rest_and_websocket_authorization_is_public_invoke() {
    for target in [Target::Cloudformation, Target::Terraform] {
        let public = |case: &str, needles: &[&str], count: usize| {
            let plan = plan_of(case, target);
            for needle in needles {
                let found =
                    plan.hazards.iter().any(|h| h.kind == HazardKind::PublicInvoke && h.message.contains(needle));
                assert!(found, "{target:?} {case}: no public-invoke hazard with {needle:?} in {:?}", plan.hazards);
            }
            let public = plan.hazards.iter().filter(|h| h.kind == HazardKind::PublicInvoke).count();
            assert_eq!(public, count, "{target:?} {case}: {:?}", plan.hazards);
        };
        public("rest_authorizer_removed", &["authorizer partners", "method POST /orders", "CUSTOM → NONE"], 2);
        public("rest_authorizer_switched", &["method POST /orders", "another authorizer"], 1);
        public("rest_api_key_dropped", &["method GET /orders/{id}/items", "no longer requires an API key"], 1);
        public("rest_method_made_public", &["method GET /orders", "orders/read", "CUSTOM → NONE"], 2);
        public("websocket_connect_moved", &["route $connect", "AWS_IAM → NONE"], 1);
        public("websocket_connect_removed", &["route $connect", "anyone may connect"], 1);
    }
}

/// What `--deny widen,data-loss` must catch (issue 16), on both targets.
#[test]
fn the_gate_catches_every_widening_and_every_loss_of_protection() {
    for target in [Target::Cloudformation, Target::Terraform] {
        let dropped = plan_of("table_retain_dropped", target);
        assert!(!dropped.is_empty(), "{target:?}: dropping retain is a change");
        assert!(kinds(&dropped).contains(&HazardKind::DataLoss), "{target:?}: {:?}", dropped.hazards);
        let admin = plan_of("function_added_admin_kind", target);
        let widen = |plan: &Plan, needle: &str| {
            plan.hazards.iter().any(|h| h.kind == HazardKind::Widen && h.message.contains(needle))
        };
        assert!(widen(&admin, "* on *"), "{target:?}: {:?}", admin.hazards);
        assert!(widen(&admin, "iam:PassRole"), "{target:?}: {:?}", admin.hazards);
        let every = plan_of("grant_on_every_resource", target);
        for needle in ["arn:aws:s3:::*/*", "arn:aws:sqs:eu-west-1:123456789012:*", "parameter/*"] {
            assert!(widen(&every, needle), "{target:?} {needle}: {:?}", every.hazards);
        }
        let invoke = plan_of("invoke_without_source", target);
        assert!(widen(&invoke, "shop-dev-worker may now be invoked by s3.amazonaws.com"), "{target:?}");
        assert!(widen(&invoke, "shop-dev-fresh"), "{target:?}: {:?}", invoke.hazards);
        let messages: String = invoke.hazards.iter().map(|h| h.message.clone()).collect();
        assert!(messages.contains("*.amazonaws.com") && messages.contains("arn:aws:sns:eu-west-1:123456789012:*"));
        let first = plan_of("invoke_first_with_source", target);
        assert!(kinds(&first).contains(&HazardKind::Widen), "{target:?}: a first permission widens");
        let boundary = plan_of("boundary_removed", target);
        assert!(widen(&boundary, "app-boundary"), "{target:?}: {:?}", boundary.hazards);
        let scoped = plan_of("function_added_scoped", target);
        assert!(scoped.hazards.is_empty(), "{target:?}: {:?}", scoped.hazards);
        assert!(scoped.grants.iter().all(|g| !g.widened), "{target:?}: a new function's own grants widen nothing");
    }
}

/// Every grant the stdlib writes on `*` is one plan knows AWS grants on
/// `*` alone, so a new function that uses it widens nothing.
#[test]
fn the_stdlib_grants_on_star_only_what_plan_accepts_there() {
    let (kinds, _) = lambdaform::stdlib::load(&mut lambdaform::source::Sources::default());
    for kind in kinds.all() {
        let verbs = kind.verbs.iter().flat_map(|v| &v.grants);
        let trigger = kind.trigger.iter().flat_map(|t| &t.grants);
        let destination = kind.destination.iter().flat_map(|d| &d.grants);
        for grant in verbs.chain(trigger).chain(destination).filter(|g| g.resources.iter().any(|r| r == "any")) {
            for action in &grant.actions {
                assert!(plan::star_only(action), "{}: {action} on *", kind.name);
            }
        }
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

/// The glob agrees with the textbook dynamic program on every pattern over
/// `a b * ?` and text over `a b` up to five characters.
#[test]
fn glob_agrees_with_the_dynamic_program() {
    fn reference(p: &[char], t: &[char]) -> bool {
        let mut row = vec![false; t.len() + 1];
        row[0] = true;
        for c in p {
            let mut next = vec![false; t.len() + 1];
            next[0] = *c == '*' && row[0];
            for j in 1..=t.len() {
                next[j] = match c {
                    '*' => row[j] || next[j - 1],
                    '?' => row[j - 1],
                    c => row[j - 1] && t[j - 1] == *c,
                };
            }
            row = next;
        }
        row[t.len()]
    }
    fn words(alphabet: &[char], max: usize) -> Vec<Vec<char>> {
        let mut out = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|w: &Vec<char>| alphabet.iter().map(move |c| [w.clone(), vec![*c]].concat()))
                .collect();
            out.extend(last.clone());
        }
        out
    }
    for p in words(&['a', 'b', '*', '?'], 5) {
        for t in words(&['a', 'b'], 5) {
            let (ps, ts): (String, String) = (p.iter().collect(), t.iter().collect());
            assert_eq!(plan::glob(&ps, &ts), reference(&p, &t), "{ps} on {ts}");
        }
    }
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

/// A scratch folder under `target/`, empty.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/plan-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn git_in(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn lambdaform(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lambdaform")).args(args).output().expect("lambdaform runs")
}

fn text(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const TABLE_APP: &str = "app shop { region = \"eu-west-1\" }\n\ntable orders { key = \"id\" }\n";
const FUNCTION_APP: &str =
    "function worker {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/worker.zip\"\n}\n";

/// `--base` reads a `.lf` file whose name git would quote (`café.lf`), in an
/// app folder that is the repository's root: deleting the table declared
/// there is a data loss, not "No changes".
#[test]
fn plan_base_reads_every_file_at_the_repository_root() {
    let dir = scratch("base-root");
    git_in(&dir, &["init", "-q"]);
    std::fs::write(dir.join("café.lf"), TABLE_APP).expect("write");
    std::fs::write(dir.join("main.lf"), FUNCTION_APP).expect("write");
    git_in(&dir, &["add", "."]);
    git_in(&dir, &["commit", "-qm", "before"]);
    std::fs::write(dir.join("café.lf"), "app shop { region = \"eu-west-1\" }\n").expect("write");
    let out = lambdaform(&["plan", text(&dir), "--base", "HEAD", "--deny", "data-loss"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("OrdersTable (AWS::DynamoDB::Table) leaves the app"), "{stdout}");
}

/// A revision that begins with `-` is refused before git sees it: it is
/// never read as an option (`git show --output=FILE` would write FILE).
#[test]
fn plan_base_never_hands_a_revision_to_git_as_an_option() {
    let dir = scratch("base-dash");
    git_in(&dir, &["init", "-q"]);
    std::fs::create_dir_all(dir.join("app")).expect("mkdir");
    std::fs::write(dir.join("app/main.lf"), format!("{TABLE_APP}\n{FUNCTION_APP}")).expect("write");
    git_in(&dir, &["add", "."]);
    git_in(&dir, &["commit", "-qm", "before"]);
    let written = dir.join("written");
    std::fs::create_dir_all(dir.join("written:app")).expect("mkdir");
    let base = format!("--output={}", text(&written));
    for path in [dir.join("app"), dir.join("app/main.lf")] {
        let out = lambdaform(&["plan", text(&path), &format!("--base={base}")]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("begins with '-'"), "{stderr}");
        assert!(!dir.join("written:app/main.lf").exists(), "git wrote a file it was told to by --base");
    }
    let out = lambdaform(&["plan", text(&dir.join("app")), "--base", "no-such-branch"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no-such-branch is not a commit"), "{stderr}");
}

/// A `.lf` that is a symlink in the commit is refused, not followed.
#[test]
fn plan_base_reads_only_regular_files() {
    let dir = scratch("base-symlink");
    git_in(&dir, &["init", "-q"]);
    std::fs::write(dir.join("main.lf"), format!("{TABLE_APP}\n{FUNCTION_APP}")).expect("write");
    std::os::unix::fs::symlink("/etc/hostname", dir.join("host.lf")).expect("symlink");
    git_in(&dir, &["add", "."]);
    git_in(&dir, &["commit", "-qm", "before"]);
    std::fs::remove_file(dir.join("host.lf")).expect("rm");
    let out = lambdaform(&["plan", text(&dir), "--base", "HEAD"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("HEAD:host.lf is not a regular file at HEAD"), "{stderr}");
}

/// Builds `tests/plan/<case>/before.lf` into a fresh folder for `--against`.
fn built(case: &str, name: &str) -> PathBuf {
    let dir = scratch(name);
    let source = root().join("tests/plan").join(case).join("before.lf");
    let out = lambdaform(&["build", text(&source), "--out", text(&dir.join("out"))]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// `--against` with `retain = false` on a table: exit 3 under
/// `--deny data-loss`, where it was "No changes." and exit 0.
#[test]
fn plan_against_denies_dropping_retain() {
    let dir = built("table_retain_dropped", "against-retain");
    let after = root().join("tests/plan/table_retain_dropped/after.lf");
    let out = lambdaform(&["plan", text(&after), "--against", text(&dir.join("out")), "--deny", "data-loss"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("DeletionPolicy"), "{stdout}");
}

/// Protection compared by what it keeps: `Retain` > `Snapshot` > `Delete`
/// (or absent); only a step down is a data-loss hazard, on any resource.
#[test]
fn protection_toward_deletion_is_data_loss() {
    let template = |deletion: Option<&str>, replace: Option<&str>| {
        let mut queue = serde_json::json!({ "Type": "AWS::SQS::Queue" });
        if let Some(policy) = deletion {
            queue["DeletionPolicy"] = policy.into();
        }
        if let Some(policy) = replace {
            queue["UpdateReplacePolicy"] = policy.into();
        }
        let text = serde_json::json!({ "Resources": { "Jobs": queue } }).to_string();
        plan::snapshot(Target::Cloudformation, &text).expect("reads")
    };
    let hazards = |old, new| {
        let plan = plan::plan(Target::Cloudformation, &old, &new, &lambdaform::stdlib::Kinds::default());
        assert!(!plan.is_empty(), "a protection that changes is a change");
        plan.hazards.iter().filter(|h| h.kind == HazardKind::DataLoss).count()
    };
    let retain = || template(Some("Retain"), Some("Retain"));
    assert_eq!(hazards(retain(), template(None, None)), 2);
    assert_eq!(hazards(retain(), template(Some("Snapshot"), Some("Retain"))), 1);
    assert_eq!(hazards(template(Some("Snapshot"), None), template(Some("Delete"), None)), 1);
    assert_eq!(hazards(template(None, None), retain()), 0);
    assert_eq!(hazards(template(Some("Snapshot"), None), template(Some("RetainExceptOnCreate"), None)), 0);
}

/// A `template.json`, nested template or `main.tf` that is a symlink out of
/// the compared folder is refused, and `--diff` never prints what it names.
#[test]
fn plan_against_refuses_symlinks_out_of_the_folder() {
    let dir = scratch("against-symlink");
    let (json, hcl) = (dir.join("secret.json"), dir.join("secret.tf"));
    std::fs::write(&json, "{\"Resources\": {}, \"Secret\": \"the secret line\"}\n").expect("write");
    std::fs::write(&hcl, "secret = \"the secret line\"\n").expect("write");
    let before = root().join("tests/plan/table_key_changed/before.lf");
    let after = root().join("tests/plan/table_key_changed/after.lf");
    let out_dir = dir.join("out");
    let link = |target: &Path, name: &str| {
        let _ = std::fs::remove_file(out_dir.join(name));
        std::os::unix::fs::symlink(target, out_dir.join(name)).expect("symlink");
    };
    for (name, split) in [("template.json", false), ("main.tf", false), ("stacks/Stack01.json", true)] {
        let _ = std::fs::remove_dir_all(&out_dir);
        let mut build = vec!["build", text(&before), "--out", text(&out_dir)];
        if split {
            build.push("--split");
        }
        assert!(lambdaform(&build).status.success());
        if name == "main.tf" {
            std::fs::remove_file(out_dir.join("template.json")).expect("rm");
            link(&hcl, name);
        } else {
            link(&json, name);
        }
        let out = lambdaform(&["plan", text(&after), "--against", text(&out_dir), "--diff"]);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(2), "{name}: {stdout}{stderr}");
        assert!(stderr.contains(&format!("{name} is a symbolic link out of")), "{name}: {stderr}");
        assert!(!stdout.contains("secret line") && !stderr.contains("secret line"), "{name}: {stdout}");
    }
}

/// Runs `plan --against` on a hostile folder with 2 GB of address space and
/// 60 s at most: it must end, without a crash, however the folder nests.
/// Its exit status, and what it said on stderr (kept in a file, so that a
/// long output never fills a pipe nobody reads).
fn plan_bounded(app: &Path, against: &Path, extra: &[&str]) -> (std::process::ExitStatus, String) {
    let log = against.with_extension("stderr");
    let mut child = std::process::Command::new("sh")
        .args(["-c", "ulimit -v 2000000 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_lambdaform"))
        .args(["plan", text(app), "--against", text(against)])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("lambdaform runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("plan --against {} ran for over 60 s", against.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    (status, std::fs::read_to_string(&log).expect("log"))
}

/// The 900-byte folders of issue 16: nested stacks that pass each other
/// their outputs in a cycle, and `Fn::Sub` nested in its own variables,
/// each doubling what the last one expands to; and `--diff` against a
/// template of 200,000 lines unlike the new one. Plan ends quickly with an
/// answer or an error, never a crash, gigabytes of memory or hours.
#[test]
fn plan_against_hostile_folders_is_bounded() {
    use serde_json::json;
    let app = root().join("tests/plan/table_key_changed/after.lf");
    let dir = scratch("against-hostile");
    let cycle = dir.join("cycle");
    std::fs::create_dir_all(cycle.join("stacks")).expect("mkdir");
    let names = ["P1", "P2", "P3", "P4"];
    let sub: String = names.iter().map(|p| format!("${{{p}}}")).collect();
    let stack = |other: &str| {
        let passed: serde_json::Map<_, _> =
            names.iter().map(|p| (p.to_string(), json!({ "Fn::GetAtt": [other, format!("Outputs.{p}")] }))).collect();
        passed
    };
    let root_template = json!({ "Resources": {
        "A": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "stacks/A.json", "Parameters": stack("B") } },
        "B": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "stacks/B.json", "Parameters": stack("A") } },
    } });
    let nested = |id: &str| {
        let outputs: serde_json::Map<_, _> =
            names.iter().map(|p| (p.to_string(), json!({ "Value": { "Fn::Sub": sub } }))).collect();
        json!({
            "Parameters": names.iter().map(|p| (p.to_string(), json!({ "Type": "String" }))).collect::<serde_json::Map<_, _>>(),
            "Resources": { id: { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::Sub": sub } } } },
            "Outputs": outputs,
        })
    };
    std::fs::write(cycle.join("template.json"), root_template.to_string()).expect("write");
    std::fs::write(cycle.join("stacks/A.json"), nested("Qa").to_string()).expect("write");
    std::fs::write(cycle.join("stacks/B.json"), nested("Qb").to_string()).expect("write");
    let doubling = dir.join("doubling");
    std::fs::create_dir_all(&doubling).expect("mkdir");
    let mut value = json!("x");
    for _ in 0..40 {
        value = json!({ "Fn::Sub": ["${a}${a}${a}${a}", { "a": value }] });
    }
    let template =
        json!({ "Resources": { "F": { "Type": "AWS::Lambda::Function", "Properties": { "FunctionName": value } } } });
    std::fs::write(doubling.join("template.json"), template.to_string()).expect("write");
    let lines = dir.join("lines");
    std::fs::create_dir_all(&lines).expect("mkdir");
    let items: Vec<String> = (0..200_000).map(|i| format!("\"line {i}\"")).collect();
    std::fs::write(lines.join("template.json"), format!("{{\"Resources\": {{}}, \"X\": [\n{}\n]}}", items.join(",\n")))
        .expect("write");
    for (folder, extra) in [(cycle, &[][..]), (doubling, &[]), (lines, &["--diff"])] {
        let (status, stderr) = plan_bounded(&app, &folder, extra);
        assert!(matches!(status.code(), Some(1..=2)), "{}: {status:?} {stderr}", folder.display());
    }
}
