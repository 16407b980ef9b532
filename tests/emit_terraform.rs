//! The Terraform emitter: a `main.tf` snapshot per example (also written to
//! `target/emit-terraform/<example>/` for the validators), byte-identical
//! output across runs, every grants fixture emitted, `terraform fmt`
//! layout, the `required_providers` release each app needs, and (ignored
//! by default, it needs ../shared/validate) the independent validators on
//! every example.

mod common;
#[path = "emit_terraform/layout.rs"]
mod layout;

use common::{examples, grants_fixtures, load, root};
use lambdaform::check::{check, Checked, Input};
use lambdaform::emit::{emit, Options};
use lambdaform::validate::runtimes::TERRAFORM_AWS_PROVIDER;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn out_dir(name: &str) -> PathBuf {
    root().join("target/emit-terraform").join(name)
}

/// `main.tf` of the app at `path`, built for the `dev` stage into `target/emit-terraform/<name>`.
fn main_tf(path: &Path) -> String {
    build(&load(path))
}

fn build(checked: &Checked) -> String {
    let options = Options { stage: "dev".into() };
    let files = emit(checked, &options, false, true);
    assert_eq!(files.len(), 1, "one file for terraform");
    assert_eq!(files[0].0, "main.tf");
    files[0].1.clone()
}

fn write(name: &str, text: &str) -> PathBuf {
    let dir = out_dir(name);
    std::fs::create_dir_all(&dir).expect("creatable output folder");
    std::fs::write(dir.join("main.tf"), text).expect("writable main.tf");
    dir
}

#[test]
fn examples_snapshot() {
    for (name, path) in examples() {
        let text = main_tf(&path);
        write(&name, &text);
        insta::assert_snapshot!(format!("terraform_{name}"), text);
    }
}

/// `build --target terraform` prints main.tf straight into its file, in
/// pieces on two threads: the file holds the text `emit` prints, for every
/// example and fixture and for a large app that reads existing resources'
/// fields.
#[test]
fn printed_into_its_file_main_tf_is_the_emitted_text() {
    let dir = std::env::temp_dir().join(format!("lambdaform-printed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let large = dir.join("main.lf");
    let existing =
        "existing table ledger = \"arn:aws:dynamodb:eu-west-1:210987654321:table/ledger/stream/2024-05-01\"\n\
        existing queue inbox = \"arn:aws:sqs:eu-west-1:210987654321:inbox\"\n\
        function reader {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code = \"build/reader.zip\"\n\
        env = { STREAM = ledger.stream_arn, INBOX = inbox.url }\n  read ledger\n}\n";
    std::fs::write(&large, common::gen::app(300) + existing).expect("app written");
    let apps = examples().into_iter().chain(grants_fixtures()).map(|(_, path)| path).chain([large]);
    let options = Options { stage: "dev".into() };
    for path in apps {
        let checked = load(&path);
        let file = tempfile::tempfile().expect("a temporary file");
        let triggers = lambdaform::deploy::triggers::Index::new(&checked.model);
        lambdaform::emit::terraform::write_file(&checked, &options, &triggers, &file).expect("printed");
        let printed = std::io::read_to_string(&file).expect("readable");
        assert!(printed == build(&checked), "{}: the printed file differs from the emitted text", path.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_is_deterministic() {
    for (name, path) in examples().into_iter().chain(grants_fixtures()) {
        let first = main_tf(&path);
        let second = main_tf(&path);
        assert_eq!(first, second, "{name}: two builds differ");
    }
}

#[test]
fn every_fixture_emits_the_basics() {
    for (name, path) in examples().into_iter().chain(grants_fixtures()) {
        let text = main_tf(&path);
        write(&name, &text);
        for needle in [
            "source  = \"hashicorp/aws\"",
            "data \"aws_caller_identity\" \"current\" {}",
            "data \"aws_partition\" \"current\" {}",
            "data \"aws_region\" \"current\" {}",
        ] {
            let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let needle: String = needle.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(squeezed.contains(&needle), "{name}: no `{needle}` in\n{text}");
        }
        assert!(!text.contains("\"${partition}"), "{name}: an unresolved placeholder");
        let functions = text.matches("resource \"aws_lambda_function\"").count();
        // Other principals (state machines, schedules) have roles of their own.
        let roles = text.split("resource \"aws_iam_role\"").skip(1);
        let lambda_roles =
            roles.filter(|block| block.split("\n}").next().is_some_and(|b| b.contains("lambda.amazonaws.com"))).count();
        assert_eq!(functions, lambda_roles, "{name}: a role per function");
        assert!(text.matches("resource \"aws_cloudwatch_log_group\"").count() >= functions, "{name}: a log group each");
    }
}

/// Every app the layout is checked on: the examples, the grants and clean
/// UI fixtures, a generated app of 100 functions and one with non-ASCII
/// tag keys (their `=` align by grapheme clusters).
fn fixture_apps() -> Vec<(String, Checked)> {
    let mut apps: Vec<(String, Checked)> =
        examples().into_iter().chain(grants_fixtures()).map(|(name, path)| (name, load(&path))).collect();
    let mut clean: Vec<PathBuf> = std::fs::read_dir(root().join("tests/ui/clean"))
        .expect("tests/ui/clean")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "lf"))
        .collect();
    clean.sort();
    for path in clean {
        let checked = load(&path);
        if checked.model.functions().next().is_some() {
            apps.push((format!("ui_{}", path.file_stem().expect("a name").to_string_lossy()), checked));
        }
    }
    apps.push(("generated_100".into(), source_app("generated.lf", &common::gen::app(100))));
    apps.push(("unicode_tags".into(), source_app("unicode.lf", UNICODE_APP)));
    apps
}

const UNICODE_APP: &str = r#"app unicode {
  region = "eu-west-1"
  tags   = { "équipe" = "plateforme", "部署" = "云", "Ωmega" = "z", long_ascii_key = "v" }
}

network dual {
  subnets         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_groups = ["sg-0123456789abcdef0"]
  ipv6            = true
}

function f {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  network = dual
}
"#;

/// An app of one source text, checked without errors.
fn source_app(name: &str, source: &str) -> Checked {
    let checked = check(vec![Input { name: name.into(), bytes: source.as_bytes().to_vec() }], common::today());
    assert!(!checked.has_errors(), "{name} has errors: {:?}", checked.diagnostics);
    checked
}

/// What `terraform fmt` makes of `text`, or `None` where no `terraform`
/// binary is installed.
fn terraform_fmt(text: &str) -> Option<String> {
    let mut child = Command::new("terraform")
        .args(["fmt", "-no-color", "-"])
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take().expect("a piped stdin");
    let input = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("terraform fmt runs");
    writer.join().expect("the writer thread").expect("terraform fmt reads its input");
    assert!(output.status.success(), "terraform fmt failed: {}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).expect("terraform prints UTF-8"))
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let (mut left, mut right) = (a.lines(), b.lines());
    for number in 1.. {
        match (left.next(), right.next()) {
            (None, None) => return "no difference".into(),
            (l, r) if l != r => return format!("line {number}:\n  ours:      {l:?}\n  terraform: {r:?}"),
            _ => {}
        }
    }
    unreachable!()
}

#[test]
fn output_is_in_terraform_fmt_layout() {
    let mut without_terraform = false;
    for (name, checked) in fixture_apps() {
        let text = build(&checked);
        let again = layout::format(&text);
        assert!(again == text, "{name}: laying out main.tf again changes it, {}", first_difference(&text, &again));
        match terraform_fmt(&text) {
            Some(formatted) => assert!(
                formatted == text,
                "{name}: `terraform fmt` changes main.tf, {}",
                first_difference(&text, &formatted)
            ),
            None => without_terraform = true,
        }
    }
    if without_terraform {
        println!("note: no `terraform` binary on PATH, so main.tf was not compared with `terraform fmt`");
    }
}

/// The release `required_providers` asks for: `X` of `version = ">= X"`.
fn provider_floor(text: &str) -> String {
    let line = text.lines().find(|l| l.trim_start().starts_with("version ")).expect("a version line");
    let quoted = line.split('"').nth(1).expect("a quoted constraint");
    quoted.strip_prefix(">= ").expect("a `>=` constraint").to_string()
}

/// `5.27.0` as `[5, 27, 0]`.
fn release(version: &str) -> [u32; 3] {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().expect("a release number"));
    [parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0)]
}

/// An app of one function on `runtime`, on an IPv6 network when `ipv6`.
fn one_function(runtime: &str, ipv6: bool) -> Checked {
    let network = if ipv6 {
        "network dual {\n  subnets = [\"subnet-0a1b2c3d4e5f60718\"]\n  security_groups = [\"sg-0123456789abcdef0\"]\n  ipv6 = true\n}\n"
    } else {
        ""
    };
    let handler = if runtime.starts_with("java") { "example.Handler::handle" } else { "app.handler" };
    let on_network = if ipv6 { "  network = dual\n" } else { "" };
    let source = format!(
        "app floor {{ region = \"eu-west-1\" }}\n{network}\nfunction f {{\n  runtime = \"{runtime}\"\n  handler = \"{handler}\"\n  code = \"build/f.zip\"\n{on_network}}}\n"
    );
    check(vec![Input { name: "floor.lf".into(), bytes: source.into_bytes() }], common::today())
}

/// A runtime newer than the provider release `main.tf` asks for would pass
/// `terraform init` and fail `terraform validate`: each runtime gets at
/// least the release the table names for it, and IPv6 networks 5.23.0.
#[test]
fn required_providers_asks_for_the_release_each_runtime_needs() {
    let newest_named = TERRAFORM_AWS_PROVIDER.iter().filter_map(|(_, v)| *v).max_by_key(|v| release(v)).expect("some");
    for (runtime, since) in TERRAFORM_AWS_PROVIDER {
        let checked = one_function(runtime, false);
        if checked.has_errors() {
            continue; // a runtime Lambda blocks today is refused before any output
        }
        let asked = provider_floor(&build(&checked));
        assert_eq!(asked, since.unwrap_or(newest_named), "{runtime}: required_providers asks for >= {asked}");
    }
    assert_eq!(provider_floor(&build(&one_function("python3.10", true))), "5.23.0", "dual stack needs 5.23.0");
    assert_eq!(provider_floor(&build(&one_function("python3.14", true))), "6.20.0", "the newer need wins");
    for (name, path) in examples() {
        let text = main_tf(&path);
        assert!(release(&provider_floor(&text)) >= release("5.0"), "{name}: below the oldest release targeted");
    }
}

/// The installed AWS provider in the mirror `terraform validate` uses
/// (`TF_PLUGIN_DIR`, by default `/opt/tf-plugins`): its folder and release.
fn local_provider() -> Option<(PathBuf, String)> {
    let mirror = PathBuf::from(std::env::var("TF_PLUGIN_DIR").unwrap_or_else(|_| "/opt/tf-plugins".into()));
    let releases = std::fs::read_dir(mirror.join("registry.terraform.io/hashicorp/aws")).ok()?;
    let newest = releases.filter_map(|e| e.ok()?.file_name().into_string().ok()).max_by_key(|v| release(v))?;
    Some((mirror, newest))
}

/// The table's releases against a real provider: the local one rejects a
/// runtime exactly when the table names a newer release for it (or none).
#[test]
fn the_local_provider_rejects_exactly_the_runtimes_named_after_it() {
    let Some((mirror, local)) = local_provider() else {
        println!(
            "note: no AWS provider mirror (TF_PLUGIN_DIR, /opt/tf-plugins), so the table was not checked against one"
        );
        return;
    };
    let dir = root().join("target/terraform-runtimes");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creatable folder");
    let mut config = String::from(
        "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}\n\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
    );
    for (index, (runtime, _)) in TERRAFORM_AWS_PROVIDER.iter().enumerate() {
        config.push_str(&format!(
            "\nresource \"aws_lambda_function\" \"f{index}\" {{\n  function_name = \"f{index}\"\n  role = \"arn:aws:iam::123456789012:role/r\"\n  runtime = \"{runtime}\"\n  handler = \"app.handler\"\n  filename = \"f.zip\"\n}}\n"
        ));
    }
    std::fs::write(dir.join("main.tf"), config).expect("writable main.tf");
    let terraform = |args: &[&str]| {
        Command::new("terraform")
            .args(args)
            .current_dir(&dir)
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .output()
    };
    let plugin_dir = format!("-plugin-dir={}", mirror.display());
    let Ok(init) = terraform(&["init", "-backend=false", "-input=false", "-no-color", &plugin_dir]) else {
        println!("note: no `terraform` binary on PATH, so the table was not checked against provider {local}");
        return;
    };
    assert!(init.status.success(), "terraform init: {}", String::from_utf8_lossy(&init.stdout));
    let validate = terraform(&["validate", "-json", "-no-color"]).expect("terraform validate runs");
    let report: serde_json::Value = serde_json::from_slice(&validate.stdout).expect("validate -json prints JSON");
    let rejected: Vec<String> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["summary"].as_str()?.split(", got ").nth(1).map(str::to_string))
        .collect();
    for (runtime, since) in TERRAFORM_AWS_PROVIDER {
        let expected = since.is_none_or(|v| release(v) > release(&local));
        assert_eq!(
            rejected.iter().any(|r| r == runtime),
            expected,
            "{runtime}: the table names {since:?}, provider {local} {} it",
            if expected { "accepts" } else { "rejects" }
        );
    }
}

/// Findings of the `iam` line that are not errors in the output, each with
/// its reason; every other finding of every line fails the test.
///
/// - policy_sentry 0.15 splits a resource on `/` and `:` and compares by
///   position, so it never sees `log-group:/aws/lambda/NAME:log-stream:*`
///   as a log-stream ARN: every Lambda log group has `/` in its name. The
///   grant is exactly the function's own streams.
/// - parliament's community auditors list `rds-db:connect` as credentials
///   exposure and permissions management: the `connect` verb exists to
///   grant it (IAM database authentication through an RDS Proxy), scoped to
///   the proxy's `dbuser:prx-…/*`.
fn known_false_positive(policy: &serde_json::Value, finding: &serde_json::Value) -> bool {
    let text = |key: &str| finding.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    let actions: Vec<String> = policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| match &s["Action"] {
            serde_json::Value::Array(items) => items.iter().filter_map(|a| a.as_str().map(String::from)).collect(),
            serde_json::Value::String(a) => vec![a.clone()],
            _ => Vec::new(),
        })
        .collect();
    match (text("tool"), text("issue")) {
        ("policy_sentry", "PS_RESOURCE_MISMATCH") => {
            let detail = text("detail");
            (detail.starts_with("logs:CreateLogStream ") || detail.starts_with("logs:PutLogEvents "))
                && detail.contains(":log-group:/aws/lambda/")
                && detail.contains(":log-stream:*']")
        }
        ("parliament", "CREDENTIALS_EXPOSURE" | "PERMISSIONS_MANAGEMENT_ACTIONS") => {
            actions.iter().any(|a| a == "rds-db:connect")
                && !actions.iter().any(|a| a.starts_with("iam:") || a.starts_with("sts:"))
        }
        _ => false,
    }
}

/// Runs validate.sh on a staged output folder; returns its report and
/// what fails: a tool line that is not OK or SKIP, except an `iam` line
/// whose findings are all [`known_false_positive`]s.
fn validate(dir: &Path) -> (String, Vec<String>) {
    let validate = root().join("../shared/validate/validate.sh");
    assert!(validate.exists(), "no {}", validate.display());
    let logs = dir.join("validate-logs");
    let _ = std::fs::remove_dir_all(&logs);
    let output = std::process::Command::new(&validate)
        .arg(dir)
        .env("VALIDATE_SKIP", "moto")
        .env("CHECKOV_SKIP_FILE", root().join(".ci/checkov-skip.txt"))
        .env("VALIDATE_LOGDIR", &logs)
        .output()
        .expect("validate.sh runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut problems = Vec::new();
    for line in report.lines().filter(|l| l.starts_with("  ")) {
        let mut words = line.split_whitespace();
        let (Some(tool), Some(status)) = (words.next(), words.next()) else { continue };
        if status == "OK" || status == "SKIP" {
            continue;
        }
        if tool != "iam" {
            problems.push(line.trim().to_string());
            continue;
        }
        let json = std::fs::read_to_string(logs.join("iam.json")).expect("iam.json");
        let json: serde_json::Value = serde_json::from_str(&json).expect("iam.json is JSON");
        for entry in json["report"].as_array().into_iter().flatten() {
            for finding in entry["findings"].as_array().into_iter().flatten() {
                if !known_false_positive(&entry["policy"], finding) {
                    problems.push(format!("iam {}: {finding}", entry["where"]));
                }
            }
        }
        for unresolved in json["unresolved"].as_array().into_iter().flatten() {
            problems.push(format!("iam unresolved: {unresolved}"));
        }
    }
    if output.status.code() == Some(2) {
        problems.push(format!("validate.sh could not run: {}", String::from_utf8_lossy(&output.stderr)));
    }
    (report, problems)
}

/// Stages the app at `path` as its own output folder in
/// `target/emit-terraform-validate/<name>`, with an empty placeholder zip
/// for each function's package (`terraform validate` hashes the packages,
/// and validate.sh copies only that folder), and validates it.
fn stage_and_validate(name: &str, path: &Path) -> Vec<String> {
    let checked = load(path);
    let dir = root().join("target/emit-terraform-validate").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (function, _) in checked.model.functions() {
        let code = dir.join(function.attrs.str("code").expect("every function has code"));
        std::fs::create_dir_all(code.parent().expect("a folder")).expect("creatable folder");
        // The end-of-central-directory record of a zip with no entries.
        let mut empty_zip = b"PK\x05\x06".to_vec();
        empty_zip.resize(22, 0);
        std::fs::write(&code, empty_zip).expect("writable placeholder");
    }
    std::fs::write(dir.join("main.tf"), build(&checked)).expect("writable main.tf");
    let (report, problems) = validate(&dir);
    println!("{report}");
    problems.into_iter().map(|p| format!("{name}: {p}")).collect()
}

/// The independent validators (../shared/validate) on every example; run
/// with `cargo test --test emit_terraform -- --ignored --nocapture`.
#[test]
#[ignore = "needs ../shared/validate and its tools"]
fn validators_accept_every_example() {
    let problems: Vec<String> = examples().iter().flat_map(|(name, path)| stage_and_validate(name, path)).collect();
    assert!(problems.is_empty(), "validators failed:\n{}", problems.join("\n"));
}

/// The same for the grants fixtures, which use every kind and trigger.
#[test]
#[ignore = "needs ../shared/validate and its tools"]
fn validators_accept_every_grants_fixture() {
    let problems: Vec<String> =
        grants_fixtures().iter().flat_map(|(name, path)| stage_and_validate(name, path)).collect();
    assert!(problems.is_empty(), "validators failed:\n{}", problems.join("\n"));
}
