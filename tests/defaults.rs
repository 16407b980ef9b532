//! `defaults KIND { ... }` (docs/language.md): what a resource takes from
//! the block, read off the model, both outputs and `explain`. The
//! diagnostics are fixtures in `tests/ui/` (LF1069 to LF1071, LF1021,
//! LF1003, LF0001).

mod common;

use lambdaform::check::{check, Checked, Input};
use lambdaform::emit::{emit, Options};
use lambdaform::explain::explain;
use lambdaform::model::{Resource, Val};

fn checked(source: &str) -> Checked {
    let input = Input { name: "main.lf".into(), bytes: source.as_bytes().to_vec() };
    let checked = check(vec![input], common::today());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    checked
}

fn resource<'c>(checked: &'c Checked, name: &str) -> &'c Resource {
    checked.model.resources.iter().find(|r| r.name == name).expect("the resource")
}

const HEAD: &str = r#"app shop { region = "eu-west-1" }

network private {
  subnets         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_groups = ["sg-0123456789abcdef0"]
}

table orders { key = "id" }
queue failed {}
"#;

/// Every attribute the block gives, each line as a function would write it.
const DEFAULTS: &str = r#"
defaults function {
  runtime = "python3.13"
  handler = "app.handler"
  memory = 512MB
  network = private
  dead_letter = failed
  env = { TABLE = orders.name }
}

function create_order {
  code = "build/create_order.zip"
  write orders
}

function report {
  code = "build/report.zip"
  memory = 1GB
  env = { MODE = "daily" }
  read orders
}
"#;

/// The same app with each default written in each function.
const WRITTEN: &str = r#"
function create_order {
  runtime = "python3.13"
  handler = "app.handler"
  memory = 512MB
  network = private
  dead_letter = failed
  env = { TABLE = orders.name }
  code = "build/create_order.zip"
  write orders
}

function report {
  runtime = "python3.13"
  handler = "app.handler"
  network = private
  dead_letter = failed
  env = { TABLE = orders.name, MODE = "daily" }
  code = "build/report.zip"
  memory = 1GB
  read orders
}
"#;

#[test]
fn defaults_build_what_writing_them_out_builds() {
    let options = Options { stage: "dev".into() };
    let with_defaults = emit(&checked(&format!("{HEAD}{DEFAULTS}")), &options, true, true);
    let written = emit(&checked(&format!("{HEAD}{WRITTEN}")), &options, true, true);
    assert_eq!(with_defaults.len(), 2, "template.json and main.tf");
    for ((name, with_defaults), (_, written)) in with_defaults.iter().zip(&written) {
        assert_eq!(with_defaults, written, "{name}");
    }
    let template = &with_defaults[0].1;
    assert!(template.contains("\"MemorySize\": 1024") && template.contains("\"MemorySize\": 512"), "{template}");
}

#[test]
fn an_object_merges_key_by_key_and_a_resources_own_value_wins() {
    let checked = checked(&format!(
        "{HEAD}
defaults function {{
  runtime = \"python3.13\"
  handler = \"app.handler\"
  timeout = 30s
  env     = {{ TABLE = orders.name, LOG_LEVEL = \"info\" }}
}}

function worker {{
  code    = \"build/worker.zip\"
  timeout = 2m
  env     = {{ LOG_LEVEL = \"debug\", EXTRA = \"yes\" }}
  read orders
}}
"
    ));
    let worker = resource(&checked, "worker");
    let orders = checked.model.find("orders").expect("the table");
    let env = worker.attrs.value("env").expect("an environment");
    let expected = Val::Object(vec![
        ("TABLE".into(), Val::Field(orders, "name".into())),
        ("LOG_LEVEL".into(), Val::Str("debug".into())),
        ("EXTRA".into(), Val::Str("yes".into())),
    ]);
    assert_eq!(env, &expected);
    assert_eq!(worker.attrs.value("timeout"), Some(&Val::Duration(120)));
    assert_eq!(worker.attrs.value("runtime"), Some(&Val::Str("python3.13".into())));
}

#[test]
fn an_image_function_takes_no_zip_attribute() {
    let checked = checked(
        r#"app shop { region = "eu-west-1" }

defaults function {
  runtime = "python3.13"
  handler = "app.handler"
  memory  = 1GB
}

function zipped {
  code = "build/zipped.zip"
}

function packaged {
  image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/packaged:1.4.2"
}
"#,
    );
    let packaged = resource(&checked, "packaged");
    assert_eq!(packaged.attrs.value("runtime"), None);
    assert_eq!(packaged.attrs.value("handler"), None);
    assert_eq!(packaged.attrs.value("memory"), Some(&Val::Size(1024)));
    assert_eq!(resource(&checked, "zipped").attrs.value("runtime"), Some(&Val::Str("python3.13".into())));
}

#[test]
fn a_grant_a_default_brings_names_the_defaults_line() {
    let source = format!("{HEAD}{DEFAULTS}");
    let checked = checked(&source);
    let network_line = source.lines().position(|l| l == "  network = private").expect("the line") + 1;
    let dead_letter_line = source.lines().position(|l| l == "  dead_letter = failed").expect("the line") + 1;
    for name in ["create_order", "report"] {
        let explained = explain(&checked, Some(name)).into_iter().next().expect("the resource");
        let sources_of = |action: &str| {
            let statement = explained.statements.iter().find(|s| s.actions.iter().any(|a| a == action));
            statement.map(|s| s.sources.clone()).unwrap_or_default()
        };
        assert_eq!(sources_of("ec2:CreateNetworkInterface"), [format!("main.lf:{network_line}")], "{name}");
        assert_eq!(sources_of("sqs:SendMessage"), [format!("main.lf:{dead_letter_line}")], "{name}");
    }
}

#[test]
fn any_kind_the_app_creates_takes_defaults_and_an_existing_resource_none() {
    let checked = checked(
        r#"app shop { region = "eu-west-1" }

defaults queue { visibility_timeout = 2m }

queue jobs {}
queue slow { visibility_timeout = 15m }
existing queue partner = "arn:aws:sqs:eu-west-1:210987654321:partner"

function worker {
  runtime = "python3.13"
  handler = "app.handler"
  code    = "build/worker.zip"
  send partner
  on jobs
  on slow
}
"#,
    );
    let visibility = |name: &str| resource(&checked, name).attrs.value("visibility_timeout").cloned();
    assert_eq!(visibility("jobs"), Some(Val::Duration(120)));
    assert_eq!(visibility("slow"), Some(Val::Duration(900)));
    assert_eq!(visibility("partner"), None, "an existing queue is set where it was made");
    let options = Options { stage: "dev".into() };
    let template = &emit(&checked, &options, true, false)[0].1;
    assert!(template.contains("\"VisibilityTimeout\": 120") && template.contains("\"VisibilityTimeout\": 900"));
}
