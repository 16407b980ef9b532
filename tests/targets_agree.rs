//! Both targets deploy the same thing. Every example and fixture app (the
//! diagnostics fixtures that build with warnings too) is compiled
//! in-process to `template.json` and `main.tf`; both are read into
//! resources (`read.rs`: references as markers, Terraform's sub-resources
//! folded into the resource they belong to, CloudFormation's function
//! versions into their function as Terraform's `publish`), paired without
//! looking at how ids and labels are spelt (`pair.rs`), made canonical
//! (`canon.rs`: an alias by its ARN or by its function and name,
//! references, literal ARNs and names of paired resources, existing
//! resources, numbers and booleans, JSON documents, policy statements), and
//! compared property by property through the table of what both can say
//! (`table.rs`). Every disagreement is reported, with the app, the two
//! resources and both values; the test fails with the whole list.
//!
//! Read only by one target, and so never compared: CloudFormation's
//! `DependsOn`, `Metadata` (the source lines behind a resource) and
//! `UpdateReplacePolicy` (it follows `DeletionPolicy`); Terraform's
//! `depends_on`, `terraform` block and data sources (they are read as what
//! they look up); output names (each target's naming convention).
//!
//! The whole report, even when the test passes:
//! `cargo test --test targets_agree -- --nocapture`; one app only:
//! `AGREE_APP=orders cargo test --test targets_agree -- --nocapture`.

#[path = "targets_agree/canon.rs"]
mod canon;
mod common;
#[path = "targets_agree/compare.rs"]
mod compare;
#[path = "targets_agree/pair.rs"]
mod pair;
#[path = "targets_agree/read.rs"]
mod read;
#[path = "targets_agree/table.rs"]
mod table;

use compare::{Allowed, Finding};
use lambdaform::emit::{emit, Options};
use read::Target::Terraform;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Properties only one target says, legitimately: (target, CloudFormation
/// or Terraform type or `*`, top-level property, why).
const ONE_SIDED: &[(read::Target, &str, &str, &str)] = &[
    (
        Terraform,
        "aws_lambda_function",
        "source_code_hash",
        "Terraform uploads the package itself and must know when it changed; CloudFormation reads it from S3",
    ),
    (Terraform, "aws_lambda_permission", "statement_id", "CloudFormation chooses a permission's statement id itself"),
    (
        Terraform,
        "aws_lambda_layer_version",
        "source_code_hash",
        "Terraform uploads the layer's package itself and must know when it changed; CloudFormation reads it from S3",
    ),
    (
        Terraform,
        "aws_api_gateway_deployment",
        "triggers",
        "Terraform's way to replace a REST API's deployment when its routes change; CloudFormation's is the logical id, which carries the same hash (deploy::rest)",
    ),
    (
        Terraform,
        "aws_dynamodb_table",
        "stream_enabled",
        "Terraform's switch for what CloudFormation says by having a StreamSpecification (compared as stream_enabled)",
    ),
];

/// Types whose physical name CloudFormation generates where Terraform must
/// set one (its provider requires `name`): the name is compared only when
/// CloudFormation sets one too. Edit with the naming policy.
const GENERATED_NAMES: &[(&str, &str)] = &[
    (
        "AWS::DynamoDB::Table",
        "aws_dynamodb_table requires a name; CloudFormation generates one so that a replacing change works",
    ),
    (
        "AWS::Kinesis::Stream",
        "aws_kinesis_stream requires a name; CloudFormation generates one so that a replacing change works",
    ),
    (
        "AWS::SQS::Queue",
        "a standard queue: CloudFormation generates its name; Terraform keeps the name it always set, since renaming would replace the queue and lose its messages (deploy::names::naming)",
    ),
    (
        "AWS::SNS::Topic",
        "a standard topic: CloudFormation generates its name; Terraform keeps the name it always set, since renaming would replace the topic and its subscriptions (deploy::names::naming)",
    ),
    (
        "AWS::SecretsManager::Secret",
        "CloudFormation generates its name; Terraform keeps the name it always set, since renaming would replace the secret and its value (deploy::names::naming)",
    ),
];

// Also compared as one though written differently (see `canon.rs`): a
// function as `FunctionName` by name or ARN; an integration's function by
// ARN or invoke ARN (HTTP APIs take either); an event bus by name or ARN;
// the package as `Code.S3Key` and the `filename` under `path.module` (the
// artifacts bucket is CloudFormation's only); tags as CloudFormation's per
// resource and Terraform's provider `default_tags` with the resource's own.

/// One app to compile: its name in the report and its `.lf` file or folder.
fn apps() -> Vec<(String, PathBuf)> {
    let root = common::root();
    let files = |folder: &str, prefix: &str| -> Vec<(String, PathBuf)> {
        let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root.join(folder))
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "lf"))
            .map(|p| (format!("{prefix}{}", p.file_stem().expect("a name").to_string_lossy()), p))
            .collect();
        out.sort();
        out
    };
    let mut apps = common::examples();
    apps.extend(common::grants_fixtures());
    // A plan case is sources (`before.lf`, `after.lf`) or outputs kept as
    // written (`before/`, `after/`), which there are no sources to compile.
    let mut plans: Vec<PathBuf> = std::fs::read_dir(root.join("tests/plan"))
        .expect("tests/plan")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("before.lf").is_file())
        .collect();
    plans.sort();
    for plan in plans {
        let name = plan.file_name().expect("a name").to_string_lossy().into_owned();
        for side in ["before", "after"] {
            apps.push((format!("plan_{name}_{side}"), plan.join(format!("{side}.lf"))));
        }
    }
    apps.extend(files("tests/ui/clean", "clean_"));
    apps.extend(files("tests/agree", "agree_"));
    apps.push(("grants_shapes".into(), root.join("tests/grants/shapes")));
    // The diagnostics fixtures that build: warned of, not refused.
    apps.extend(files("tests/ui", "ui_").into_iter().filter(|(_, path)| common::builds(path)));
    apps
}

/// The findings of one app.
fn agreement(name: &str, path: &Path) -> (Vec<Finding>, Vec<String>) {
    let checked = common::load(path);
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let text = |file: &str| files.iter().find(|(n, _)| n == file).map(|(_, t)| t.as_str()).expect("emitted");
    assert_eq!(files.len(), 2, "{name}: one template and one main.tf (a split app is not compared)");
    let cloudformation = read::cloudformation(text("template.json"));
    let terraform = read::terraform(text("main.tf"));
    let pairs = pair::pair(&cloudformation, &terraform);
    assert!(
        pairs.list.iter().any(|(a, _)| cloudformation.get(a).is_some_and(|r| r.ty == "AWS::Lambda::Function")),
        "{name}: the functions pair up"
    );
    let allowed = Allowed { one_sided: ONE_SIDED, generated_names: GENERATED_NAMES };
    (compare::compare(name, &cloudformation, &terraform, &pairs, &allowed), pairs.by_order)
}

/// Every finding, by app, then how often each (type, property) disagrees.
fn report(findings: &[Finding], by_order: &BTreeMap<String, Vec<String>>) -> String {
    let mut out = String::new();
    let mut app = "";
    for f in findings {
        if f.app != app {
            app = &f.app;
            let _ = writeln!(out, "\n== {app}");
            if let Some(ids) = by_order.get(app).filter(|ids| !ids.is_empty()) {
                let _ = writeln!(out, "   (paired by document order: {})", ids.join(", "));
            }
        }
        let _ = writeln!(out, "  {} [{}] {}", f.resource, f.ty, f.property);
        let _ = writeln!(out, "      CloudFormation: {}", f.cloudformation);
        let _ = writeln!(out, "      Terraform:      {}", f.terraform);
    }
    let mut summary: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for f in findings {
        let apps = summary.entry((f.ty.clone(), f.property.clone())).or_default();
        if !apps.contains(&f.app) {
            apps.push(f.app.clone());
        }
    }
    let _ = writeln!(out, "\n== summary: {} disagreements; (type, property): apps", findings.len());
    for ((ty, property), apps) in summary {
        let shown: Vec<&str> = apps.iter().take(6).map(String::as_str).collect();
        let more = if apps.len() > 6 { format!(" and {} more", apps.len() - 6) } else { String::new() };
        let _ = writeln!(out, "  {ty} {property}: {} app(s): {}{more}", apps.len(), shown.join(", "));
    }
    out
}

#[test]
fn both_targets_say_the_same_thing() {
    let only = std::env::var("AGREE_APP").ok();
    let apps: Vec<(String, PathBuf)> =
        apps().into_iter().filter(|(name, _)| only.as_ref().is_none_or(|o| name.contains(o.as_str()))).collect();
    assert!(!apps.is_empty(), "no app matches AGREE_APP");
    // Apps are independent: compared on every core, reported in order.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut results: Vec<(usize, Vec<Finding>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((name, path)) = apps.get(index) else { return done };
                        let (found, ordered) = agreement(name, path);
                        done.push((index, found, ordered));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    results.sort_by_key(|r| r.0);
    let mut findings = Vec::new();
    let mut by_order = BTreeMap::new();
    for (index, found, ordered) in results {
        findings.extend(found);
        by_order.insert(apps[index].0.clone(), ordered);
    }
    let text = format!("{} apps compared{}", apps.len(), report(&findings, &by_order));
    assert!(findings.is_empty(), "CloudFormation and Terraform disagree: {text}");
    println!("{text}");
}

/// The comparison sees a difference planted in one output.
#[test]
fn a_planted_difference_is_reported() {
    let checked = common::load(&common::root().join("examples/orders"));
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let text = |file: &str| files.iter().find(|(n, _)| n == file).map(|(_, t)| t.clone()).expect("emitted");
    let planted = text("main.tf").replacen("\"sqs:SendMessage\"", "\"sqs:*\"", 1);
    let planted = replace_attribute(&planted, "memory_size", "512", "256");
    let planted =
        replace_attribute(&planted, "visibility_timeout_seconds", "240", "240\n  receive_wait_time_seconds = 20");
    let planted = replace_attribute(&planted, "name", "\"orders-dev-failed_jobs\"", "\"orders-dev-jobs\"");
    assert_ne!(planted, text("main.tf"), "the plant took");
    let cloudformation = read::cloudformation(&text("template.json"));
    let terraform = read::terraform(&planted);
    let pairs = pair::pair(&cloudformation, &terraform);
    let allowed = Allowed { one_sided: ONE_SIDED, generated_names: GENERATED_NAMES };
    let findings = compare::compare("orders", &cloudformation, &terraform, &pairs, &allowed);
    let memory = findings.iter().find(|f| f.property == "memory").expect("memory reported");
    assert_eq!((memory.cloudformation.as_str(), memory.terraform.as_str()), ("512", "256"));
    let policy = findings.iter().find(|f| f.property == "inline_policies").expect("policy reported");
    assert!(policy.terraform.contains("Allow sqs:* on ${JobsQueue.arn}"), "{}", policy.terraform);
    assert!(policy.cloudformation.contains("Allow sqs:SendMessage on ${JobsQueue.arn}"), "{}", policy.cloudformation);
    let unread =
        findings.iter().find(|f| f.property.starts_with("receive_wait_time_seconds")).expect("unread reported");
    assert_eq!(unread.resource, "JobsQueue ↔ aws_sqs_queue.jobs");
    let twin = findings.iter().find(|f| f.property == "(refused by AWS)").expect("shared name reported");
    assert!(twin.terraform.contains("is also aws_sqs_queue.jobs's"), "{}", twin.terraform);
}

/// The findings of an app whose `main.tf` had each `(key, from, to)`
/// attribute planted.
fn planted(app: &str, plants: &[(&str, &str, &str)]) -> Vec<Finding> {
    let checked = common::load(&common::root().join(app));
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let text = |file: &str| files.iter().find(|(n, _)| n == file).map(|(_, t)| t.clone()).expect("emitted");
    let terraform = plants.iter().fold(text("main.tf"), |tf, (key, from, to)| replace_attribute(&tf, key, from, to));
    let cloudformation = read::cloudformation(&text("template.json"));
    let terraform = read::terraform(&terraform);
    let pairs = pair::pair(&cloudformation, &terraform);
    let allowed = Allowed { one_sided: ONE_SIDED, generated_names: GENERATED_NAMES };
    compare::compare(app, &cloudformation, &terraform, &pairs, &allowed)
}

/// The one finding of `property` on the pair `resource`: (CloudFormation,
/// Terraform).
fn said(findings: &[Finding], resource: &str, property: &str) -> (String, String) {
    let found: Vec<&Finding> = findings.iter().filter(|f| f.resource == resource && f.property == property).collect();
    let [finding] = found.as_slice() else { panic!("no one finding of {property} on {resource}: {findings:#?}") };
    (finding.cloudformation.clone(), finding.terraform.clone())
}

/// Versions, aliases, SnapStart and layers are compared: a difference
/// planted in Terraform's versions of them is reported, and nothing else.
#[test]
fn a_planted_difference_in_shipping_mechanics_is_reported() {
    let findings = planted(
        "tests/apps/versioned",
        &[
            ("publish", "true", "false"),
            ("apply_on", "\"PublishedVersions\"", "\"None\""),
            ("qualifier", "aws_lambda_alias.quote.name", "\"1\""),
            ("compatible_runtimes", "[\"python3.12\", \"python3.13\"]", "[\"python3.12\"]"),
            ("function_version", "aws_lambda_function.quote.version", "\"1\""),
        ],
    );
    let quote = "QuoteFunction ↔ aws_lambda_function.quote";
    assert_eq!(said(&findings, quote, "publish"), ("true".into(), "false".into()));
    assert_eq!(said(&findings, quote, "snap_start"), ("\"PublishedVersions\"".into(), "\"None\"".into()));
    let permission = "QuotePublicPermission ↔ aws_lambda_permission.quote_public_get";
    assert_eq!(
        said(&findings, permission, "function"),
        ("\"${QuoteAlias}\"".into(), "\"${QuoteFunction.name}:1\"".into())
    );
    let layer = "SharedLayer ↔ aws_lambda_layer_version.shared";
    assert_eq!(said(&findings, layer, "runtimes"), ("only here: [\"python3.13\"]".into(), "only here: []".into()));
    let alias = "QuoteAlias ↔ aws_lambda_alias.quote";
    assert_eq!(said(&findings, alias, "version"), ("\"${QuoteFunction.version}\"".into(), "1".into()));
    assert_eq!(findings.len(), 5, "{findings:#?}");

    let findings = planted(
        "tests/ui/clean/LF3076_provisioned_without_snapstart.lf",
        &[("provisioned_concurrent_executions", "5", "6")],
    );
    assert_eq!(said(&findings, "WarmAlias ↔ aws_lambda_alias.warm", "provisioned"), ("5".into(), "6".into()));
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

/// Dedicated stream consumers are compared: a consumer name and a
/// mapping's event source planted in Terraform are reported.
#[test]
fn a_planted_difference_in_stream_consumers_is_reported() {
    let findings = planted(
        "tests/apps/stream_consumers",
        &[
            ("name", "\"fanout-dev-audit\"", "\"fanout-dev-auditor\""),
            ("event_source_arn", "aws_kinesis_stream_consumer.tally_clicks_2.arn", "aws_kinesis_stream.clicks.arn"),
        ],
    );
    let audit = "AuditPartnerClicksConsumer ↔ aws_kinesis_stream_consumer.audit_partner_clicks";
    assert_eq!(said(&findings, audit, "name"), ("\"fanout-dev-audit\"".into(), "\"fanout-dev-auditor\"".into()));
    // A mapping that reads the stream, not its consumer, is another mapping.
    let one_sided = |resource: &str| {
        let (cloudformation, terraform) = said(&findings, resource, "(resource in one target only)");
        if cloudformation == "(none)" {
            terraform
        } else {
            cloudformation
        }
    };
    assert!(one_sided("TallyClicks2Mapping").contains("⟦TallyClicks2Consumer|ConsumerARN⟧"));
    assert!(one_sided("aws_lambda_event_source_mapping.tally_clicks_2").contains("⟦aws_kinesis_stream.clicks|arn⟧"));
    assert_eq!(findings.len(), 3, "{findings:#?}");
}

/// `text` with its first attribute `key = from` (however its `=` is aligned)
/// set to `to`.
fn replace_attribute(text: &str, key: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let value = line.trim_start().strip_prefix(key).and_then(|rest| rest.trim_start().strip_prefix('='));
        match value {
            Some(value) if !done && value.trim() == from => {
                out.push_str(&line[..line.len() - value.len()]);
                out.push(' ');
                out.push_str(to);
                out.push('\n');
                done = true;
            }
            _ => out.push_str(line),
        }
    }
    assert!(done, "no `{key} = {from}` to plant in");
    out
}
