//! The CloudFormation emitter: a `template.json` snapshot per example (also
//! written to `target/emit-cloudformation/<example>/` for the validators),
//! byte-identical output across runs, the shape every template must have
//! (valid JSON, alphanumeric unique ids, references that resolve, a role
//! and a log group per function), and (ignored by default, it needs
//! ../shared/validate) the independent validators on every example.

mod common;

use common::{examples, grants_fixtures, load, root};
use lambdaform::check::{check, Input};
use lambdaform::emit::{emit, Options};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn out_dir(name: &str) -> PathBuf {
    root().join("target/emit-cloudformation").join(name)
}

/// `template.json` of the app at `path`, built for the `dev` stage.
fn template(path: &Path) -> String {
    let checked = load(path);
    let options = Options { stage: "dev".into() };
    let files = emit(&checked, &options, true, false);
    assert_eq!(files.len(), 1, "one file for cloudformation");
    assert_eq!(files[0].0, "template.json");
    files[0].1.clone()
}

/// Writes `template.json` whole (tests run in parallel and may write the
/// same app): a temporary file renamed into place.
fn write(name: &str, text: &str) -> PathBuf {
    let dir = out_dir(name);
    std::fs::create_dir_all(&dir).expect("creatable output folder");
    let thread = format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let temporary = dir.join(format!("template.json.{thread}"));
    std::fs::write(&temporary, text).expect("writable template.json");
    std::fs::rename(&temporary, dir.join("template.json")).expect("renamable template.json");
    dir
}

#[test]
fn examples_snapshot() {
    for (name, path) in examples() {
        let text = template(&path);
        write(&name, &text);
        insta::assert_snapshot!(format!("cloudformation_{name}"), text);
    }
}

#[test]
fn output_is_deterministic() {
    for (name, path) in examples().into_iter().chain(grants_fixtures()) {
        let first = template(&path);
        let second = template(&path);
        assert_eq!(first, second, "{name}: two builds differ");
    }
}

#[test]
fn every_template_is_well_formed() {
    for (name, path) in examples().into_iter().chain(grants_fixtures()) {
        let text = template(&path);
        write(&name, &text);
        assert!(text.ends_with("}\n"), "{name}: ends with a newline");
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        let resources = json["Resources"].as_object().unwrap_or_else(|| panic!("{name}: no Resources"));
        let mut known: BTreeSet<&str> = resources.keys().map(String::as_str).collect();
        if let Some(parameters) = json["Parameters"].as_object() {
            known.extend(parameters.keys().map(String::as_str));
        }
        for id in &known {
            assert!(!id.is_empty() && id.len() <= 255, "{name}: id length of {id}");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{name}: `{id}` is not alphanumeric");
        }
        let mut referenced = Vec::new();
        references(&json["Resources"], &mut referenced);
        references(&json["Outputs"], &mut referenced);
        for id in referenced {
            assert!(
                known.contains(id.as_str()) || id.starts_with("AWS::"),
                "{name}: `{id}` is referenced but not declared"
            );
        }
        let count = |ty: &str| resources.values().filter(|r| r["Type"] == ty).count();
        let functions = count("AWS::Lambda::Function");
        // Other principals (state machines, schedules) have roles of their own.
        let lambda_roles = resources
            .values()
            .filter(|r| r["Type"] == "AWS::IAM::Role")
            .filter(|r| r["Properties"]["AssumeRolePolicyDocument"].to_string().contains("lambda.amazonaws.com"))
            .count();
        assert_eq!(functions, lambda_roles, "{name}: a role per function");
        let function_logs = resources
            .values()
            .filter(|r| r["Properties"]["LogGroupName"].as_str().is_some_and(|n| n.starts_with("/aws/lambda/")))
            .count();
        assert_eq!(functions, function_logs, "{name}: a log group per function");
        assert!(!text.contains("${partition}") && !text.contains("${account}"), "{name}: an unresolved placeholder");
    }
}

/// Every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable and `DependsOn` target.
fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Value::String(id)) => out.push(id.clone()),
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        out.extend(parts.first().and_then(Value::as_str).map(String::from))
                    }
                    ("Fn::Sub", Value::String(template)) => {
                        for part in template.split("${").skip(1) {
                            let var = part.split('}').next().unwrap_or("");
                            if !var.starts_with('!') {
                                out.push(var.split('.').next().unwrap_or("").to_string());
                            }
                        }
                    }
                    ("DependsOn", Value::Array(ids)) => {
                        out.extend(ids.iter().filter_map(Value::as_str).map(String::from))
                    }
                    _ => references(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

/// The independent validators (../shared/validate) on every example; run
/// with `cargo test --test emit_cloudformation -- --ignored`. Two knobs:
/// moto runs with `VALIDATE_LAMBDA_S3=false`, as the code packages live in
/// the app's artifact bucket, which exists only in a real deployment (see
/// `src/emit/cloudformation/function.rs`); and parliament's community
/// auditors CREDENTIALS_EXPOSURE and PERMISSIONS_MANAGEMENT_ACTIONS are not
/// counted: they flag `rds-db:connect` by name, whatever its resource, and
/// `connect` on a proxy is that action on the proxy's own `dbuser` ARN.
#[test]
#[ignore = "needs ../shared/validate and its tools"]
fn validators_accept_every_example() {
    let validate = root().join("../shared/validate/validate.sh");
    assert!(validate.exists(), "no {}", validate.display());
    let mut failures = Vec::new();
    for (name, path) in examples() {
        let dir = write(&name, &template(&path));
        let output = std::process::Command::new(&validate)
            .arg(&dir)
            .env("VALIDATE_LAMBDA_S3", "false")
            .env("IAM_IGNORE", "CREDENTIALS_EXPOSURE,PERMISSIONS_MANAGEMENT_ACTIONS")
            .env("VALIDATE_SKIP", "terraform")
            .env("CHECKOV_SKIP_FILE", root().join(".ci/checkov-skip.txt"))
            .output()
            .expect("validate.sh runs");
        let report = String::from_utf8_lossy(&output.stdout).into_owned();
        println!("{report}");
        if !output.status.success() {
            failures.push(format!("{name}:\n{report}{}", String::from_utf8_lossy(&output.stderr)));
        }
    }
    assert!(failures.is_empty(), "validators failed:\n{}", failures.join("\n"));
}

/// `camel` is not one-to-one: `x_1` and `x1`, `f` and `f_` share a
/// camel-case form, and an `allow` may read like a trigger's source.
/// Every logical id still names one resource, and every reference resolves.
#[test]
fn logical_ids_stay_unique_when_names_collide() {
    let source = r#"
app clash { region = "eu-west-1" }
queue x_1 {}
queue x1 {}
topic allow1 {}
function f {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  on x_1
  on x1
  on allow1
  allow invoke from account "123456789012"
}
function f_ {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  send x_1, x1
}
"#;
    let checked = check(vec![Input { name: "clash.lf".into(), bytes: source.as_bytes().to_vec() }], common::today());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let options = Options { stage: "dev".into() };
    let text = emit(&checked, &options, true, false).remove(0).1;
    write("clash", &text);
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let resources = json["Resources"].as_object().expect("Resources");
    // serde_json keeps the last of two equal keys: count what was pushed.
    assert_eq!(resources.values().filter(|r| r["Type"] == "AWS::SQS::Queue").count(), 2);
    assert_eq!(resources.values().filter(|r| r["Type"] == "AWS::Lambda::Function").count(), 2);
    assert_eq!(resources.values().filter(|r| r["Type"] == "AWS::Lambda::EventSourceMapping").count(), 2);
    assert_eq!(resources.values().filter(|r| r["Type"] == "AWS::Lambda::Permission").count(), 2);
    let mut referenced = Vec::new();
    references(&json["Resources"], &mut referenced);
    for id in referenced {
        assert!(resources.contains_key(&id) || id.starts_with("AWS::"), "`{id}` is not declared");
    }
}

/// Two ids spelled alike by different stems and suffixes (`X` + `RoleA`
/// and `XRole` + `A` path resources): the resource declared later gets
/// the number, whichever is declared first, though resources are built on
/// two threads (here the two APIs fall in different halves).
#[test]
fn the_later_of_two_ids_spelled_alike_gets_the_number() {
    let queues: String = (0..12).map(|i| format!("queue q{i} {{}}\n")).collect();
    let app = |first: &str, second: &str| {
        format!(
            r#"
app clash {{ region = "eu-west-1" }}
api {first} {{ type = rest auth = none }}
{queues}api {second} {{ type = rest auth = none }}
function f {{
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  on x "GET /role/a"
  on x_role "GET /a"
}}
"#
        )
    };
    for (first, second) in [("x", "x_role"), ("x_role", "x")] {
        let source = app(first, second);
        let checked = check(vec![Input { name: "clash.lf".into(), bytes: source.into_bytes() }], common::today());
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let text = emit(&checked, &Options { stage: "dev".into() }, true, false).remove(0).1;
        let json: Value = serde_json::from_str(&text).expect("JSON");
        let rest_api = |id: &str| json["Resources"][id]["Properties"]["RestApiId"]["Ref"].clone();
        let api_id = |name: &str| if name == "x" { "XApi" } else { "XRoleApi" };
        assert_eq!(rest_api("XRoleAResource"), api_id(first), "{first} is declared first");
        assert_eq!(rest_api("XRoleAResource2"), api_id(second), "{second} is declared later");
    }
}

/// An input whose parameter id a resource's logical id already is (the
/// input `orders_table` beside the table `orders`, both `OrdersTable`)
/// gets `Input` after it, so that adding an input never changes which
/// deployed resource an id means; an app without that clash keeps the
/// parameter as the input's name in camel case.
#[test]
fn an_input_spelled_like_a_resource_id_is_suffixed() {
    let app = |table: &str| {
        format!(
            r#"
app shop {{ region = "eu-west-1" }}
input orders_table {{
  type    = string
  default = "orders"
}}
table {table} {{ key = "id" }}
function f {{
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  env     = {{ TABLE = orders_table }}
  read {table}
}}
"#
        )
    };
    for (table, parameter) in [("orders", "OrdersTableInput"), ("carts", "OrdersTable")] {
        let source = app(table);
        let checked = check(vec![Input { name: "shop.lf".into(), bytes: source.into_bytes() }], common::today());
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let text = emit(&checked, &Options { stage: "dev".into() }, true, false).remove(0).1;
        let json: Value = serde_json::from_str(&text).expect("JSON");
        let parameters: Vec<&String> = json["Parameters"].as_object().expect("Parameters").keys().collect();
        assert_eq!(parameters, [parameter], "beside the table {table}");
        let env = &json["Resources"]["FFunction"]["Properties"]["Environment"]["Variables"]["TABLE"];
        assert_eq!(env["Ref"], parameter, "beside the table {table}");
    }
}
