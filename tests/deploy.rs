//! One description of what gets deployed: each fact that the two outputs
//! once decided apart (issue 13) is decided once in `deploy`, and both
//! outputs print the same answer. Every test here builds a small app for
//! both targets and reads the fact from each.

mod common;

use lambdaform::check::{check, Checked, Input};
use lambdaform::emit::{emit, Options};
use serde_json::Value;

/// The app `text` (one file, `main.lf`), which must have no errors.
fn app(text: &str) -> Checked {
    let checked = check(vec![Input { name: "main.lf".into(), bytes: text.as_bytes().to_vec() }], common::today());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    checked
}

/// `template.json` as JSON and `main.tf` as text, for the `dev` stage.
fn outputs(text: &str) -> (Value, String) {
    let checked = app(text);
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let template = files.iter().find(|(n, _)| n == "template.json").expect("template.json");
    let main_tf = files.iter().find(|(n, _)| n == "main.tf").expect("main.tf");
    (serde_json::from_str(&template.1).expect("JSON"), squash(&main_tf.1))
}

/// `main.tf` with each run of spaces as one, so that the tests do not
/// depend on how `=` is aligned.
fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// The resources of a template whose type is `ty`.
fn of_type<'a>(template: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    let resources = template["Resources"].as_object().expect("Resources");
    resources.iter().filter(|(_, r)| r["Type"] == ty).collect()
}

/// The body of `resource "TYPE" "LABEL" { ... }` in `main.tf`.
fn block<'a>(main_tf: &'a str, ty: &str, label: &str) -> &'a str {
    let head = format!("resource \"{ty}\" \"{label}\" {{");
    let start = main_tf.find(&head).unwrap_or_else(|| panic!("no {ty}.{label} in\n{main_tf}"));
    let end = main_tf[start..].find("\n}\n").map_or(main_tf.len(), |e| start + e);
    &main_tf[start..end]
}

const FUNCTION: &str = r#"
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip""#;

fn function(name: &str, body: &str) -> String {
    format!("function {name} {{{FUNCTION}\n{body}\n}}\n")
}

#[test]
fn the_root_route_is_invoked_as_method_slash_in_both_targets() {
    let text = format!(
        "app shop {{ region = \"eu-west-1\" }}\napi public {{}}\n{}{}",
        function("home", "  on public \"GET /\""),
        function("fallback", "  on public \"ANY /\"")
    );
    let (template, main_tf) = outputs(&text);
    let arns: Vec<String> = of_type(&template, "AWS::Lambda::Permission")
        .iter()
        .map(|(_, p)| p["Properties"]["SourceArn"]["Fn::Sub"].as_str().expect("a Fn::Sub").to_string())
        .collect();
    assert!(arns.iter().any(|a| a.ends_with("/*/GET/")), "{arns:?}");
    assert!(arns.iter().any(|a| a.ends_with("/*/*/")), "ANY / is the root only: {arns:?}");
    assert!(main_tf.contains("execution_arn}/*/GET/\""), "{main_tf}");
    assert!(main_tf.contains("execution_arn}/*/*/\""), "{main_tf}");
}

#[test]
fn a_created_secret_gets_a_generated_value_in_both_targets() {
    let text = format!("app shop {{}}\nsecret token {{}}\n{}", function("f", "  read token"));
    let (template, main_tf) = outputs(&text);
    let secret = of_type(&template, "AWS::SecretsManager::Secret");
    assert_eq!(secret[0].1["Properties"]["GenerateSecretString"]["PasswordLength"], 32);
    assert!(block(&main_tf, "aws_secretsmanager_secret_version", "token").contains("random_password"), "{main_tf}");
    assert!(main_tf.contains("data \"aws_secretsmanager_random_password\" \"token\""), "{main_tf}");
    assert!(main_tf.contains("password_length = 32"), "{main_tf}");
}

#[test]
fn parameter_names_never_begin_with_aws_or_ssm() {
    let text = format!("app ssmdemo {{}}\nparameter flags {{ value = \"on\" }}\n{}", function("f", "  read flags"));
    let (template, main_tf) = outputs(&text);
    let parameter = of_type(&template, "AWS::SSM::Parameter");
    assert_eq!(parameter[0].1["Properties"]["Name"], "lf-ssmdemo-dev-flags");
    assert!(block(&main_tf, "aws_ssm_parameter", "flags").contains("name = \"lf-ssmdemo-dev-flags\""), "{main_tf}");
}

/// An app without an `app` block is named `app` in both targets: in its
/// physical names, its template's description and its `lambdaform:app`
/// tag (CloudFormation tagged it with an empty value).
#[test]
fn an_app_without_an_app_block_is_named_app_in_both_targets() {
    let (template, main_tf) = outputs(&function("f", ""));
    let function = &of_type(&template, "AWS::Lambda::Function")[0].1["Properties"];
    assert_eq!(function["FunctionName"], "app-dev-f");
    let tag = function["Tags"].as_array().expect("tags").iter().find(|t| t["Key"] == "lambdaform:app");
    assert_eq!(tag.expect("the app's tag")["Value"], "app");
    assert_eq!(template["Description"], "Lambdaform app app, stage dev");
    assert!(block(&main_tf, "aws_lambda_function", "f").contains("function_name = \"app-dev-f\""), "{main_tf}");
    assert!(main_tf.contains("\"lambdaform:app\" = \"app\""), "{main_tf}");
}

/// An existing resource's fields are written from the ARN the app gave, in
/// both targets: Terraform looked up what CloudFormation could not (a
/// table's stream), and a queue's URL carries the partition's DNS suffix.
#[test]
fn existing_fields_come_from_the_arn_in_both_targets() {
    let text = format!(
        "app shop {{}}\n\
         existing table ledger = \"arn:aws:dynamodb:eu-west-1:123456789012:table/ledger/stream/2024-05-01\"\n\
         existing queue inbox = \"arn:aws:sqs:eu-west-1:123456789012:inbox\"\n{}",
        function("f", "  env = { STREAM = ledger.stream_arn, INBOX = inbox.url, TABLE = ledger.name }")
    );
    let (template, main_tf) = outputs(&text);
    let variables = &of_type(&template, "AWS::Lambda::Function")[0].1["Properties"]["Environment"]["Variables"];
    assert_eq!(variables["STREAM"], "arn:aws:dynamodb:eu-west-1:123456789012:table/ledger/stream/2024-05-01");
    assert_eq!(variables["INBOX"]["Fn::Sub"], "https://sqs.eu-west-1.${AWS::URLSuffix}/123456789012/inbox");
    assert_eq!(variables["TABLE"], "ledger");
    let function = block(&main_tf, "aws_lambda_function", "f");
    assert!(function.contains("STREAM = \"arn:aws:dynamodb:eu-west-1:123456789012:table/ledger/stream/2024-05-01\""));
    let url = "INBOX = \"https://sqs.eu-west-1.${data.aws_partition.current.dns_suffix}/123456789012/inbox\"";
    assert!(function.contains(url), "{function}");
    assert!(function.contains("TABLE = \"ledger\""), "{function}");
    assert!(!main_tf.contains("data \"aws_dynamodb_table\""), "{main_tf}");
}

/// The name of an existing resource given by ARN is what AWS calls it: an
/// SSM parameter path keeps its leading `/` (the ARN drops it), and a
/// function's name leaves out the alias its ARN is qualified with. Both
/// were the ARN's last part (`deep`, `live`).
#[test]
fn existing_names_are_the_names_aws_knows() {
    let text = format!(
        "app shop {{}}\n\
         existing parameter deep = \"arn:aws:ssm:eu-west-1:123456789012:parameter/shop/deep\"\n\
         existing parameter flat = \"arn:aws:ssm:eu-west-1:123456789012:parameter/flat\"\n\
         existing function other = \"arn:aws:lambda:eu-west-1:123456789012:function:other:live\"\n{}",
        function("f", "  env = { DEEP = deep.name, FLAT = flat.name, OTHER = other.name }\n  read deep\n  read flat\n  invoke other")
    );
    let (template, main_tf) = outputs(&text);
    let variables = &of_type(&template, "AWS::Lambda::Function")[0].1["Properties"]["Environment"]["Variables"];
    assert_eq!(variables["DEEP"], "/shop/deep");
    assert_eq!(variables["FLAT"], "flat");
    assert_eq!(variables["OTHER"], "other");
    let function = block(&main_tf, "aws_lambda_function", "f");
    for line in ["DEEP = \"/shop/deep\"", "FLAT = \"flat\"", "OTHER = \"other\""] {
        assert!(function.contains(line), "{line} in {function}");
    }
}

#[test]
fn roles_are_unnamed_in_both_targets() {
    let (template, main_tf) = outputs(&format!("app shop {{}}\n{}", function("f", "")));
    let role = of_type(&template, "AWS::IAM::Role");
    assert!(role[0].1["Properties"].get("RoleName").is_none());
    assert!(!block(&main_tf, "aws_iam_role", "f").contains("\n name "), "{main_tf}");
}

#[test]
fn a_stream_retention_is_rounded_up_to_whole_hours_in_both_targets() {
    let text = format!(
        "app shop {{}}\nstream clicks {{ retention = 1530m }}\n{}",
        function("f", "  on clicks { start = latest }")
    );
    let (template, main_tf) = outputs(&text);
    let stream = of_type(&template, "AWS::Kinesis::Stream");
    assert_eq!(stream[0].1["Properties"]["RetentionPeriodHours"], 26);
    assert!(block(&main_tf, "aws_kinesis_stream", "clicks").contains("retention_period = 26"), "{main_tf}");
}

#[test]
fn an_api_logs_to_one_group_with_one_format_in_both_targets() {
    let text = format!("app shop {{}}\napi public {{}}\n{}", function("f", "  on public \"GET /x\""));
    let (template, main_tf) = outputs(&text);
    let groups: Vec<&Value> =
        of_type(&template, "AWS::Logs::LogGroup").iter().map(|(_, g)| &g["Properties"]["LogGroupName"]).collect();
    assert!(groups.contains(&&Value::from("/aws/apigateway/shop-dev-public/access")), "{groups:?}");
    assert!(main_tf.contains("name = \"/aws/apigateway/shop-dev-public/access\""), "{main_tf}");
    let stage = of_type(&template, "AWS::ApiGatewayV2::Stage");
    let format = stage[0].1["Properties"]["AccessLogSettings"]["Format"].as_str().expect("format");
    for field in ["requestId", "userAgent", "httpMethod", "protocol", "integrationError"] {
        assert!(format.contains(field), "{format}");
        assert!(block(&main_tf, "aws_apigatewayv2_stage", "public").contains(field), "{main_tf}");
    }
}

#[test]
fn an_existing_tables_stream_is_the_mapping_source_in_both_targets() {
    let stream = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-05-01T10:00:00.000";
    let text = format!(
        "app shop {{}}\nexisting table orders = \"{stream}\"\n{}",
        function("f", "  on orders { start = latest }")
    );
    let (template, main_tf) = outputs(&text);
    let mapping = of_type(&template, "AWS::Lambda::EventSourceMapping");
    assert_eq!(mapping[0].1["Properties"]["EventSourceArn"], stream);
    assert!(main_tf.contains(&format!("event_source_arn = \"{stream}\"")), "{main_tf}");
}

#[test]
fn logical_ids_of_names_that_camel_alike_do_not_depend_on_order() {
    let ids = |first: &str, second: &str| {
        let text = format!("app shop {{}}\n{first}\n{second}\n{}", function("f", "  read x_1\n  read x1"));
        let (template, _) = outputs(&text);
        let mut ids: Vec<(String, String)> = of_type(&template, "AWS::DynamoDB::Table")
            .iter()
            .map(|(id, t)| (id.to_string(), t["Properties"]["AttributeDefinitions"][0]["AttributeName"].to_string()))
            .collect();
        ids.sort();
        ids
    };
    let one = ids("table x_1 { key = \"a\" }", "table x1 { key = \"b\" }");
    let other = ids("table x1 { key = \"b\" }", "table x_1 { key = \"a\" }");
    assert_eq!(one, other, "swapping two declarations keeps each name's id");
    assert!(one.iter().all(|(id, _)| id != "X1Table"), "neither takes the plain id: {one:?}");
}

#[test]
fn provenance_does_not_move_with_unrelated_lines() {
    let text = format!("app shop {{}}\ntable orders {{ key = \"id\" }}\n{}", function("f", "  read orders"));
    let (before, _) = outputs(&text);
    let (after, _) = outputs(&format!("# a comment added at the top\n\n{text}"));
    assert_eq!(before, after);
    let sources = &of_type(&before, "AWS::IAM::Role")[0].1["Metadata"]["Lambdaform"]["Grants"]["ReadOrders"];
    assert_eq!(sources["Sources"][0], "main.lf: read orders");
}

#[test]
fn fifo_queues_are_named_within_80_characters_in_both_targets() {
    let name = "a_queue_with_a_rather_long_name_that_goes_on_and_on_for_a_while";
    let text = format!(
        "app a_long_application_name {{}}\nqueue {name} {{ fifo = true }}\n{}",
        function("f", &format!("  send {name}"))
    );
    let (template, main_tf) = outputs(&text);
    let queue = of_type(&template, "AWS::SQS::Queue");
    let cloudformation = queue[0].1["Properties"]["QueueName"].as_str().expect("a FIFO queue is named");
    assert!(cloudformation.ends_with(".fifo") && cloudformation.len() <= 80, "{cloudformation}");
    assert!(block(&main_tf, "aws_sqs_queue", name).contains(&format!("\"{cloudformation}\"")), "{main_tf}");
}

#[test]
fn a_package_is_found_under_one_key_however_its_path_is_spelled() {
    let text = "app shop {}\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"./build/./f.zip\"\n}\n";
    let (template, main_tf) = outputs(text);
    let function = &of_type(&template, "AWS::Lambda::Function")[0].1["Properties"];
    assert_eq!(function["Code"]["S3Key"], "build/f.zip");
    assert!(main_tf.contains("\"${path.module}/build/f.zip\""), "{main_tf}");
}

/// A state machine's logs carry execution data only when it says so, in
/// both targets: `log_execution_data = true` with its `logging` level.
#[test]
fn execution_data_is_logged_only_when_asked_in_both_targets() {
    let checked = common::load(&common::root().join("tests/ui/clean/LF3091_execution_data_with_logging.lf"));
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let template: Value =
        serde_json::from_str(&files.iter().find(|(n, _)| n == "template.json").expect("cf").1).expect("JSON");
    let main_tf = squash(&files.iter().find(|(n, _)| n == "main.tf").expect("tf").1);
    let logging = |id: &str| {
        let config = &template["Resources"][id]["Properties"]["LoggingConfiguration"];
        (config["Level"].clone(), config["IncludeExecutionData"].clone())
    };
    assert_eq!(logging("AuditedStateMachine"), ("ALL".into(), true.into()));
    assert_eq!(logging("PlainStateMachine"), ("ERROR".into(), false.into()));
    let audited = block(&main_tf, "aws_sfn_state_machine", "audited");
    assert!(audited.contains("level = \"ALL\"") && audited.contains("include_execution_data = true"), "{audited}");
    let plain = block(&main_tf, "aws_sfn_state_machine", "plain");
    assert!(plain.contains("include_execution_data = false"), "{plain}");
}

/// A bucket's notifications are decided once (`deploy::triggers`), though
/// the targets write them in different places: CloudFormation inside the
/// bucket (a property only it has), Terraform as a resource only it has.
/// Both wait for exactly the permissions the layer makes for the bucket's
/// triggers, by the ids those permissions are printed under.
#[test]
fn bucket_notifications_wait_for_the_permissions_the_layer_makes() {
    use lambdaform::deploy::{self, ids::LogicalIds, triggers, Scope};
    let text = format!(
        "app shop {{}}\nbucket uploads {{}}\n{}{}",
        function("a", "  alias = \"live\"\n  on uploads { suffix = \".png\" }"),
        function("b", "  on uploads { events = [\"s3:ObjectRemoved:*\"] }")
    );
    let checked = app(&text);
    let model = &checked.model;
    let (ids, index) = (LogicalIds::new(model), triggers::Index::new(model));
    let scope = Scope { model, sources: &checked.sources, stage: "dev", ids: &ids, triggers: &index };
    let permissions: Vec<_> = checked
        .grants
        .iter()
        .flat_map(|grants| deploy::made_for_function(&scope, model.resource(grants.principal), grants))
        .filter(|made| made.ty.cloudformation.as_deref() == Some("AWS::Lambda::Permission"))
        .map(|made| made.id)
        .collect();
    assert_eq!(permissions.len(), 2, "{permissions:?}");

    let bucket = model.resources.iter().find(|r| r.name == "uploads").expect("the bucket");
    let inside = triggers::in_bucket(&scope, bucket).expect("CloudFormation's notifications");
    assert!(inside.configuration.key.cloudformation.is_some() && inside.configuration.key.terraform.is_none());
    let waited: Vec<_> = inside.waits_for.into_iter().map(|r| r.id).collect();
    assert_eq!(waited, permissions);

    let made = deploy::made_for_app(&scope);
    assert_eq!(made.len(), 1, "one notification per bucket: {made:?}");
    assert_eq!(made[0].ty.cloudformation, None);
    assert_eq!(made[0].ty.terraform.as_deref(), Some("aws_s3_bucket_notification"));
    let waited: Vec<_> = made[0].depends_on.iter().map(|r| r.id.clone()).collect();
    assert_eq!(waited, permissions);
}

/// An authorizer function's invoke permission says which source line made
/// it, as every other permission does (`plan` and readers of the template
/// see why API Gateway may call the function), for HTTP and REST APIs.
#[test]
fn an_authorizer_permission_records_its_source_line() {
    for ty in ["http", "rest"] {
        let text = format!(
            "app shop {{ region = \"eu-west-1\" }}\n\
             api shop {{\n  type = {ty}\n  auth = partners\n  authorizer partners {{\n    type     = request\n    \
             function = authorize\n    identity = [\"$request.header.Authorization\"]\n  }}\n}}\n{}{}",
            function("authorize", ""),
            function("list", "  on shop \"GET /orders\"\n"),
        );
        let (template, _) = outputs(&text);
        let permission = &template["Resources"]["ShopPartnersAuthorizerPermission"];
        assert_eq!(
            permission["Metadata"]["Lambdaform"]["Sources"],
            serde_json::json!(["main.lf: authorizer partners {"]),
            "{ty}: {permission}"
        );
    }
}
