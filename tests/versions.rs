//! Issue 15's shipping mechanics, end to end on `tests/apps/versioned` and on
//! small apps: what names the alias, what an image function leaves out,
//! and when CloudFormation publishes a new version.

mod common;

use lambdaform::emit::{emit, Options};
use serde_json::Value;
use std::path::Path;

fn outputs(path: &Path) -> (Value, String) {
    let checked = common::load(path);
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let text = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone()).expect("emitted");
    (serde_json::from_str(&text("template.json")).expect("json"), text("main.tf"))
}

fn app(source: &str) -> (Value, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.lf"), source).expect("write");
    outputs(&dir.path().join("main.lf"))
}

const ALIAS_ARN: &str =
    "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:versioned-dev-quote:live";

#[test]
fn every_caller_of_an_aliased_function_names_the_alias() {
    let (template, tf) = outputs(&common::root().join("tests/apps/versioned"));
    let resources = &template["Resources"];
    let sub = |v: &Value| v["Fn::Sub"].as_str().map(str::to_string);
    assert_eq!(sub(&resources["QuoteJobsMapping"]["Properties"]["FunctionName"]).as_deref(), Some(ALIAS_ARN));
    assert_eq!(sub(&resources["QuotePublicPermission"]["Properties"]["FunctionName"]).as_deref(), Some(ALIAS_ARN));
    assert_eq!(sub(&resources["QuotePublicIntegration"]["Properties"]["IntegrationUri"]).as_deref(), Some(ALIAS_ARN));
    for id in ["QuoteJobsMapping", "QuotePublicPermission", "QuotePublicIntegration"] {
        assert_eq!(resources[id]["DependsOn"], serde_json::json!(["QuoteAlias"]), "{id} waits for the alias");
    }
    // The caller's role: the alias ARN, never `quote:*` or the bare function.
    let invoke = resources["RepriceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["Sid"] == "InvokeQuote")
        .cloned()
        .expect("InvokeQuote");
    assert_eq!(invoke["Resource"].as_array().map(Vec::len), Some(1), "one resource: {invoke}");
    assert_eq!(sub(&invoke["Resource"][0]).as_deref(), Some(ALIAS_ARN));
    assert!(!template.to_string().contains("versioned-dev-quote:*"));
    // Terraform: mapping, integration and permission through the alias.
    assert!(tf.contains("function_name    = aws_lambda_alias.quote.arn"), "{tf}");
    assert!(tf.contains("integration_uri        = aws_lambda_alias.quote.invoke_arn"));
    assert!(tf.contains("qualifier     = aws_lambda_alias.quote.name"));
    assert!(tf.contains("\"${aws_lambda_function.quote.arn}:live\""), "the caller's grant");
    assert!(tf.contains("publish          = true"));
    assert!(tf.contains("function_version = aws_lambda_function.quote.version"));
}

#[test]
fn an_image_function_has_no_runtime_handler_or_zip() {
    let (template, tf) = outputs(&common::root().join("tests/apps/versioned"));
    let render = &template["Resources"]["RenderFunction"]["Properties"];
    assert_eq!(render["PackageType"], "Image");
    assert_eq!(
        render["Code"],
        serde_json::json!({ "ImageUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/render:1.4" })
    );
    assert!(render.get("Runtime").is_none() && render.get("Handler").is_none());
    let block = tf.split("resource \"aws_lambda_function\" \"render\"").nth(1).expect("render block");
    let block = &block[..block.find("\n}\n").expect("end")];
    assert!(block.contains("package_type") && block.contains("image_uri"));
    assert!(!block.contains("runtime") && !block.contains("filename") && !block.contains("handler"));
}

const VERSIONED: &str = r#"app shop { region = "eu-west-1" }
function f {
  runtime     = "python3.12"
  handler     = "app.handler"
  code        = "build/f.zip"
  memory      = MEMORY
  alias       = "live"
  provisioned = PROVISIONED
}
"#;

fn version_id(template: &Value) -> String {
    let resources = template["Resources"].as_object().expect("resources");
    let ids: Vec<&String> = resources.keys().filter(|id| resources[*id]["Type"] == "AWS::Lambda::Version").collect();
    assert_eq!(ids.len(), 1, "one version resource");
    ids[0].clone()
}

#[test]
fn a_configuration_change_publishes_a_new_version_and_provisioning_does_not() {
    let source =
        |memory: &str, provisioned: &str| VERSIONED.replace("MEMORY", memory).replace("PROVISIONED", provisioned);
    let (first, _) = app(&source("256MB", "2"));
    let (same, _) = app(&source("256MB", "2"));
    let (bigger, _) = app(&source("512MB", "2"));
    let (more_warm, tf) = app(&source("256MB", "4"));
    assert_eq!(version_id(&first), version_id(&same), "same input, same version");
    assert_ne!(version_id(&first), version_id(&bigger), "new memory, new version");
    assert_eq!(version_id(&first), version_id(&more_warm), "provisioned concurrency is the alias's, not the version's");
    let version = &first["Resources"][version_id(&first)];
    assert_eq!(version["DeletionPolicy"], "Retain");
    assert_eq!(version["UpdateReplacePolicy"], "Retain");
    let alias = &more_warm["Resources"]["FAlias"]["Properties"];
    assert_eq!(alias["ProvisionedConcurrencyConfig"]["ProvisionedConcurrentExecutions"], 4);
    assert!(tf.contains("resource \"aws_lambda_provisioned_concurrency_config\" \"f\""));
    assert!(tf.contains("provisioned_concurrent_executions = 4"));
}

const FRONT_DOOR: &str = r#"app shop { region = "eu-west-1" }
api chat {
  type = websocket
  auth = none
}
function on_connect {
  runtime = "nodejs22.x"
  handler = "index.handler"
  code    = "build/on_connect.zip"
  alias   = "live"
  url     = { auth = none }
  on chat "$connect"
}
"#;

/// A function URL and a WebSocket route of a function with an alias serve
/// the alias: the URL's qualifier, the integration's URI and every
/// permission name it, in both targets.
#[test]
fn a_url_and_a_websocket_route_serve_the_alias() {
    let (template, tf) = app(FRONT_DOOR);
    let resources = &template["Resources"];
    let url = &resources["OnConnectUrl"];
    assert_eq!(url["Properties"]["Qualifier"], "live", "{url}");
    assert_eq!(url["DependsOn"], serde_json::json!(["OnConnectAlias"]));
    let alias = serde_json::json!({ "Ref": "OnConnectAlias" });
    for id in ["OnConnectUrlPermission", "OnConnectUrlInvokePermission", "OnConnectChatPermission"] {
        assert_eq!(resources[id]["Properties"]["FunctionName"], alias, "{id} is the alias's");
    }
    let uri = resources["OnConnectChatIntegration"]["Properties"]["IntegrationUri"]["Fn::Sub"].as_str();
    assert!(uri.is_some_and(|u| u.contains("/functions/${OnConnectAlias}/invocations")), "{uri:?}");

    // One block of main.tf, its alignment spaces collapsed.
    let block = |ty: &str, label: &str| {
        let start = tf.find(&format!("resource \"{ty}\" \"{label}\"")).unwrap_or_else(|| panic!("{ty}.{label}"));
        let rest = &tf[start..];
        rest[..rest.find("\n}\n").expect("end")].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(block("aws_lambda_function_url", "on_connect").contains("qualifier = \"live\""), "{tf}");
    for label in ["on_connect_url", "on_connect_url_invoke", "on_connect_chat_connect"] {
        assert!(
            block("aws_lambda_permission", label).contains("qualifier = aws_lambda_alias.on_connect.name"),
            "{label}"
        );
    }
    assert!(tf.contains("/functions/${aws_lambda_alias.on_connect.arn}/invocations"), "{tf}");
}

/// A state machine's Task calls an aliased function through the alias, in
/// both targets' definitions, and its role may invoke exactly that ARN; a
/// placeholder outside the call (a payload) and a function without an
/// alias stay unqualified.
#[test]
fn a_state_machine_calls_an_aliased_function_through_its_alias() {
    let (template, tf) = outputs(&common::root().join("tests/grants/aliased_tasks.lf"));
    let resources = &template["Resources"];
    let definition = resources["CheckoutStateMachine"]["Properties"]["DefinitionString"]["Fn::Sub"]
        .as_str()
        .expect("a definition with references")
        .to_string();
    let terraform =
        tf.lines().find(|l| l.trim_start().starts_with("definition")).expect("definition").trim().to_string();
    insta::assert_snapshot!("aliased_tasks_definitions", format!("{definition}\n{terraform}"));
    let arn = |name: &str| {
        format!("arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:aliased-dev-{name}")
    };
    let statements = resources["CheckoutRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .clone();
    let granted = |sid: &str| {
        let statement = statements.iter().find(|s| s["Sid"] == sid).unwrap_or_else(|| panic!("{sid}"));
        assert_eq!(statement["Action"], serde_json::json!(["lambda:InvokeFunction"]), "{sid}");
        statement["Resource"].clone()
    };
    assert_eq!(granted("TaskValidate"), serde_json::json!([{ "Fn::Sub": arn("validate:live") }]));
    assert_eq!(granted("TaskCharge"), serde_json::json!([{ "Fn::Sub": arn("charge:prod") }]));
    assert_eq!(granted("TaskNotify"), serde_json::json!([{ "Fn::Sub": arn("notify") }]));
    assert!(tf.contains(r#"\"Resource\": \"${aws_lambda_function.validate.arn}:live\""#), "{tf}");
    // A Scheduler schedule targets and is granted the alias as well.
    let (_, schedule) = resources
        .as_object()
        .expect("resources")
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::Scheduler::Schedule")
        .expect("the schedule");
    assert_eq!(schedule["Properties"]["Target"]["Arn"], serde_json::json!({ "Fn::Sub": arn("charge:prod") }));
    let invoke = &resources["NightlyRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0];
    assert_eq!(invoke["Resource"], serde_json::json!([{ "Fn::Sub": arn("charge:prod") }]));
    assert!(tf.contains(r#"arn      = "${aws_lambda_function.charge.arn}:prod""#), "{tf}");
}

/// An image given at deploy time behind an alias: the CloudFormation
/// version's description names the input's value, so that deploying
/// another image replaces the version (publishing it) and moves the alias;
/// without inputs the version has no description.
#[test]
fn an_image_input_is_part_of_the_published_version() {
    let (template, tf) = app(r#"app images { region = "eu-west-1" }
input thumbnail_image {
  type    = string
  default = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/thumbnail:dev"
}
input telemetry_layer { type = string }
input stage_label { type = string }
function thumbnail {
  image = thumbnail_image
  alias = "live"
  env   = { STAGE = stage_label }
}
function plain {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/plain.zip"
  layers  = [telemetry_layer]
  alias   = "live"
}
"#);
    let resources = template["Resources"].as_object().expect("resources");
    let version = |prefix: &str| {
        resources
            .iter()
            .find(|(id, r)| id.starts_with(prefix) && r["Type"] == "AWS::Lambda::Version")
            .map(|(_, r)| r["Properties"]["Description"].clone())
            .expect("a version")
    };
    assert_eq!(version("Thumbnail"), serde_json::json!({ "Fn::Sub": "configured by ${ThumbnailImage} ${StageLabel}" }));
    assert_eq!(version("Plain"), serde_json::json!({ "Fn::Sub": "configured by ${TelemetryLayer}" }));
    let function = &resources["ThumbnailFunction"]["Properties"];
    assert_eq!(function["PackageType"], "Image");
    assert_eq!(function["Code"], serde_json::json!({ "ImageUri": { "Ref": "ThumbnailImage" } }));
    assert_eq!(resources["PlainFunction"]["Properties"]["Layers"], serde_json::json!([{ "Ref": "TelemetryLayer" }]));
    assert!(tf.contains("image_uri     = var.thumbnail_image"), "{tf}");
    assert!(tf.contains("layers           = [var.telemetry_layer]"), "{tf}");
    let (template, _) = outputs(&common::root().join("tests/apps/versioned"));
    let versions = template["Resources"].as_object().expect("resources");
    assert!(versions
        .values()
        .filter(|r| r["Type"] == "AWS::Lambda::Version")
        .all(|r| r["Properties"]["Description"].is_null()));
}
