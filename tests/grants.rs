//! The inferred grants: snapshots of `explain` for each grants fixture and
//! each example, the wildcard allow-list, and every stdlib action checked
//! against AWS's action list.

mod common;

use common::{examples, grants_fixtures, load};
use lambdaform::check::check;
use lambdaform::cli::explain::text;
use lambdaform::explain::explain;
use lambdaform::grants::Arn;
use std::path::{Path, PathBuf};

/// Actions AWS grants only on `*`: nothing narrower exists for them.
const STAR_ONLY: [&str; 8] = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:UnassignPrivateIpAddresses",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
    "dynamodb:ListStreams",
];
/// `bedrock:RetrieveAndGenerate` has no resource type (a knowledge base's
/// `retrieve_and_generate`).
const STAR_ONLY_MORE: [&str; 3] = ["kinesis:ListStreams", "ec2:DescribeSubnets", "bedrock:RetrieveAndGenerate"];
/// A state machine's log delivery and tracing (Step Functions guide,
/// cw-logs and xray-iam): none has a resource type.
const STAR_ONLY_MACHINES: [&str; 10] = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
];
/// A worker's answer to a Task that waits for its token (`respond`): the
/// token names the Task, and the actions have no resource type.
const STAR_ONLY_CALLBACKS: [&str; 3] = ["states:SendTaskFailure", "states:SendTaskHeartbeat", "states:SendTaskSuccess"];

/// The grants fixtures and the example apps.
fn apps() -> Vec<PathBuf> {
    grants_fixtures().into_iter().chain(examples()).map(|(_, path)| path).collect()
}

#[test]
fn explain_snapshots() {
    for app in apps() {
        let checked = load(&app);
        let name = app.file_stem().and_then(|s| s.to_str()).unwrap_or("app").to_string();
        insta::assert_snapshot!(format!("explain_{name}"), text(&explain(&checked, None)));
    }
}

/// Functions of one shape share their merged statements (`grants::role`),
/// yet each names its own log group and lists its own lines in source
/// order, wherever its poll trigger stands among its verbs: `first`'s
/// `tracing` line (14) comes before its trigger (16), though the template
/// numbers the trigger's slot first.
#[test]
fn functions_of_one_shape_keep_their_own_lines() {
    let checked = load(&common::root().join("tests/grants/shapes/main.lf"));
    insta::assert_snapshot!(text(&explain(&checked, None)));
}

#[test]
fn no_wildcards_outside_the_allow_list() {
    for app in apps() {
        let checked = load(&app);
        for grants in &checked.grants {
            for statement in &grants.statements {
                for action in statement.actions.iter() {
                    assert!(!action.contains('*'), "{}: wildcard action {action}", app.display());
                }
                if statement.resources.contains(&Arn::Any) {
                    for action in statement.actions.iter() {
                        assert!(
                            STAR_ONLY.contains(&action.as_str())
                                || STAR_ONLY_MORE.contains(&action.as_str())
                                || STAR_ONLY_MACHINES.contains(&action.as_str())
                                || STAR_ONLY_CALLBACKS.contains(&action.as_str()),
                            "{}: {action} granted on * in {}",
                            app.display(),
                            statement.sid
                        );
                    }
                    assert!(statement.why.is_some(), "{}: {} is on * without a reason", app.display(), statement.sid);
                }
            }
        }
    }
}

#[test]
fn every_stdlib_action_exists_in_aws() {
    let known = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/iam_actions.txt"))
        .expect("tests/data/iam_actions.txt");
    let known: std::collections::HashSet<String> =
        known.lines().filter(|l| !l.starts_with('#')).map(|l| l.trim().to_ascii_lowercase()).collect();
    let checked = check(Vec::new(), common::today());
    let mut actions: Vec<&lambdaform::grants::SharedName> = Vec::new();
    for kind in checked.model.kinds.all() {
        for verb in &kind.verbs {
            actions.extend(verb.grants.iter().flat_map(|g| &g.actions));
        }
        actions.extend(kind.trigger.iter().flat_map(|t| &t.grants).flat_map(|g| &g.actions));
        actions.extend(kind.destination.iter().flat_map(|d| &d.grants).flat_map(|g| &g.actions));
    }
    assert!(actions.len() > 30, "the stdlib names its actions");
    for action in actions {
        assert!(known.contains(&action.to_ascii_lowercase()), "{action} is not an IAM action");
    }
    for action in STAR_ONLY.iter().chain(STAR_ONLY_MORE.iter()) {
        assert!(known.contains(&action.to_ascii_lowercase()), "{action} is not an IAM action");
    }
}

/// The done-when of the grants issue, asserted on the whole app of docs/language.md.
#[test]
fn create_order_gets_exactly_what_it_uses() {
    let checked = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/orders"));
    let explained = explain(&checked, Some("create_order"));
    let f = &explained[0];
    let on = |resource: &str| -> Vec<String> {
        f.statements
            .iter()
            .filter(|s| s.resources.iter().any(|r| r == resource))
            .flat_map(|s| s.actions.clone())
            .collect()
    };
    let table = on("orders.arn");
    for action in ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"] {
        assert!(table.contains(&action.to_string()), "{action} on the table");
    }
    for action in ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"] {
        assert!(!table.contains(&action.to_string()), "`put orders` does not grant {action}");
    }
    assert_eq!(on("orders.arn/index/*"), vec!["dynamodb:Query", "dynamodb:Scan"], "only Query and Scan read an index");
    assert_eq!(on("jobs.arn"), vec!["sqs:SendMessage"]);
    assert_eq!(on("arn:aws:sqs:eu-west-1:210987654321:partner-inbox"), vec!["sqs:SendMessage"]);
    assert_eq!(
        on("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
        vec!["secretsmanager:GetSecretValue"]
    );
    assert_eq!(on("create_order.log_group"), vec!["logs:CreateLogStream", "logs:PutLogEvents"]);
    assert!(on("*").contains(&"ec2:CreateNetworkInterface".to_string()));
    assert!(on("*").contains(&"ec2:DescribeSubnets".to_string()), "AWS's VPC execution policy has it");
    assert_eq!(f.statements.len(), 8, "logs, network (managed, subnets), table, its indexes, two queues, secret");
    assert_eq!(f.permissions.len(), 1);
    assert_eq!(f.permissions[0].principal, "apigateway.amazonaws.com");
    assert_eq!(f.permissions[0].source_arn.as_deref(), Some("public.execution_arn/*/POST/orders"));
    for statement in &f.statements {
        assert!(statement.sources.iter().all(|s| s.starts_with("examples/orders/main.lf:")), "each grant has its line");
    }
}

/// A wide grant of an app-declared kind carries its `why`, and `explain`
/// prints it on the statement's row.
#[test]
fn a_reason_stands_beside_its_wide_grant() {
    let checked = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/clean/LF1027_grant_with_reason.lf"));
    let explained = text(&explain(&checked, Some("release")));
    let row = explained.lines().find(|l| l.contains("iam:PassRole")).expect("a row for iam:PassRole");
    assert!(row.contains("(the function starts builds that run as this role)"), "{explained}");
    let release = &checked.grants[0];
    let pass = release.statements.iter().find(|s| s.actions.iter().any(|a| a == "iam:PassRole")).expect("granted");
    assert_eq!(pass.why.as_deref(), Some("the function starts builds that run as this role"));
}

/// A queue subscribed to a topic lets SNS send to it for that topic alone,
/// and `explain` says so: the queue policies of the fan-out example.
#[test]
fn subscriptions_explain_their_queue_policies() {
    let checked = load(&common::root().join("examples").join("fanout"));
    let lines: Vec<String> = lambdaform::explain::subscriptions(&checked)
        .iter()
        .map(|s| {
            format!(
                "{} <- {}: {} from {} if aws:SourceArn = {}; raw {}, filtered {}; {}",
                s.queue, s.from, s.action, s.principal, s.source_arn, s.raw_delivery, s.filtered, s.source
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "billing <- orders: sqs:SendMessage from sns.amazonaws.com if aws:SourceArn = orders.arn; raw true, filtered true; examples/fanout/main.lf:13",
            "audit <- orders: sqs:SendMessage from sns.amazonaws.com if aws:SourceArn = orders.arn; raw false, filtered false; examples/fanout/main.lf:20",
            "refunds <- orders: sqs:SendMessage from sns.amazonaws.com if aws:SourceArn = orders.arn; raw false, filtered true; examples/fanout/main.lf:27",
        ]
    );
}

/// A queue subscribed to a bucket lets S3 send to it from that bucket of
/// this account alone, and `explain` says so with the events and keys of
/// the bucket's notification.
#[test]
fn bucket_subscriptions_explain_their_queue_policies_and_notifications() {
    let checked = load(&common::root().join("tests/apps/upload_queue"));
    let lines: Vec<String> = lambdaform::explain::subscriptions(&checked)
        .iter()
        .map(|s| {
            let n = s.notification.as_ref().expect("a bucket's notification");
            format!(
                "{} <- {}: {} from {} if aws:SourceArn = {}, account {}; {:?} {:?} {:?}, filtered {}; {}",
                s.queue,
                s.from,
                s.action,
                s.principal,
                s.source_arn,
                s.source_account,
                n.events,
                n.prefix,
                n.suffix,
                s.filtered,
                s.source
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "images <- inbox: sqs:SendMessage from s3.amazonaws.com if aws:SourceArn = inbox.arn, account true; [\"s3:ObjectCreated:*\"] Some(\"images/\") Some(\".png\"), filtered true; tests/apps/upload_queue/main.lf:12",
            "removals <- inbox: sqs:SendMessage from s3.amazonaws.com if aws:SourceArn = inbox.arn, account true; [\"s3:ObjectRemoved:*\"] None None, filtered false; tests/apps/upload_queue/main.lf:18",
        ]
    );
}

/// A created key's policy names each service that delivers into a queue
/// it encrypts, and `explain` says which subscription needs it; each
/// function's role gets the key for what it does with the messages alone,
/// in one statement on the key's ARN.
#[test]
fn keys_explain_the_services_their_policies_allow_and_roles_get_the_key() {
    let checked = load(&common::root().join("tests/apps/encrypted_relay"));
    let lines: Vec<String> = lambdaform::explain::key_policies(&checked)
        .iter()
        .map(|k| format!("{}: {} {} for {}; {}", k.key, k.principal, k.actions.join(","), k.queue, k.source))
        .collect();
    let at = |line: u32| format!("tests/apps/encrypted_relay/main.lf:{line}");
    assert_eq!(
        lines,
        [
            format!("relay_key: sns.amazonaws.com kms:Decrypt,kms:GenerateDataKey for from_orders; {}", at(18)),
            format!("relay_key: s3.amazonaws.com kms:Decrypt,kms:GenerateDataKey for from_uploads; {}", at(23)),
            format!("relay_key: events.amazonaws.com kms:Decrypt,kms:GenerateDataKey for from_events; {}", at(28)),
        ]
    );
    let key_statements: Vec<(String, Vec<String>, Vec<String>)> = key_statements(&checked)
        .into_iter()
        .map(|(function, s)| (format!("{function} {}", s.sid), s.actions, s.resources))
        .collect();
    assert_eq!(
        key_statements,
        [("handle UseRelayKey".to_string(), vec!["kms:Decrypt".to_string()], vec!["relay_key.arn".to_string()])],
        "receiving decrypts; publishing to an unencrypted topic, bucket and bus needs no key"
    );
}

/// Each function's statements that grant a KMS action, with the function's
/// name: what a key's users hold.
fn key_statements(checked: &lambdaform::check::Checked) -> Vec<(String, lambdaform::explain::StatementExplanation)> {
    explain(checked, None)
        .into_iter()
        .flat_map(|f| f.statements.into_iter().map(move |s| (f.function.clone(), s)))
        .filter(|(_, s)| s.actions.iter().any(|a| a.starts_with("kms:")))
        .collect()
}

/// `fn:*` (every version and alias) only where qualifiers exist; the language
/// publishes none, so `invoke` and destinations name the unqualified ARN.
#[test]
fn invoke_and_destinations_grant_the_unqualified_function() {
    for fixture in ["every_verb.lf", "destinations.lf"] {
        let checked = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grants").join(fixture));
        let invokes: Vec<_> = explain(&checked, None)
            .into_iter()
            .flat_map(|f| f.statements)
            .filter(|s| s.actions.contains(&"lambda:InvokeFunction".to_string()))
            .collect();
        assert!(!invokes.is_empty(), "{fixture} invokes a function");
        for s in invokes {
            assert!(s.resources.iter().all(|r| !r.ends_with(":*")), "{fixture}: {} grants {:?}", s.sid, s.resources);
        }
    }
}

/// A state machine's role names exactly what its Task states call: each
/// integration's action on its own target, nothing on a resource the
/// definition does not name, and every action one AWS knows.
#[test]
fn state_machine_roles_are_exact() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/clean/LF1059_every_integration_inferred.lf");
    let checked = load(&app);
    let model = &checked.model;
    let parent = model.find("parent").expect("parent");
    let grants = checked.grants.iter().find(|g| g.principal == parent).expect("the state machine has a role");
    let mut pairs: Vec<(String, String)> = Vec::new();
    for statement in &grants.statements {
        for action in statement.actions.iter() {
            for arn in &statement.resources {
                pairs.push((action.to_string(), lambdaform::grants::describe_arn(model, arn)));
            }
        }
    }
    let on = |action: &str, arn: &str| pairs.iter().any(|(a, r)| a == action && r == arn);
    assert!(on("lambda:InvokeFunction", "step.arn"));
    for action in ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] {
        assert!(on(action, "orders.arn"), "{action}");
    }
    assert!(
        on("sqs:SendMessage", "jobs.arn") && on("sns:Publish", "alerts.arn") && on("events:PutEvents", "events.arn")
    );
    assert!(on("states:StartExecution", "child.arn") && on("states:StopExecution", "child.executions"));
    assert!(
        on("states:DescribeExecution", "child.executions")
            && on("states:DescribeExecution", "child.express_executions")
    );
    // Nothing else: no function, table or action the definition does not call.
    let named = [
        "step.arn",
        "orders.arn",
        "jobs.arn",
        "alerts.arn",
        "events.arn",
        "child.arn",
        "child.executions",
        "child.express_executions",
        "*",
    ];
    for (action, arn) in &pairs {
        assert!(
            named.contains(&arn.as_str()) || arn.ends_with(":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"),
            "{action} on {arn}"
        );
        assert!(!action.contains('*'), "{action}");
    }
    assert!(!pairs.iter().any(|(a, _)| a == "dynamodb:Scan" || a == "dynamodb:BatchWriteItem"));
    let known = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/iam_actions.txt"))
        .expect("tests/data/iam_actions.txt")
        .to_ascii_lowercase();
    for (action, _) in &pairs {
        assert!(known.lines().any(|l| l.trim() == action.to_ascii_lowercase()), "{action} is not an AWS action");
    }
}

/// Two triggers of one function from one bucket (other keys, other event
/// types) are one source to the function's policy: one invoke permission,
/// which the bucket's notification waits for in both targets.
#[test]
fn triggers_from_one_bucket_share_one_permission() {
    let app = common::root().join("tests/apps/aliased_triggers");
    let checked = load(&app);
    let resize = explain(&checked, Some("resize")).into_iter().next().expect("resize is explained");
    let from_s3: Vec<_> = resize.permissions.iter().filter(|p| p.principal == "s3.amazonaws.com").collect();
    assert_eq!(from_s3.len(), 1, "{:?}", resize.permissions);
    assert_eq!(from_s3[0].sid, "UploadsInvoke1");
}

/// A trigger with `consumer = dedicated` may subscribe to shards through
/// its own consumer and no other: `kinesis:SubscribeToShard` and
/// `kinesis:DescribeStreamConsumer` on that consumer alone (a function's
/// two consumers of one stream each a statement of its own), beside the
/// stream's read actions; a trigger that shares the shards gets neither.
#[test]
fn dedicated_consumers_are_granted_their_own_consumer_only() {
    let checked = load(&common::root().join("tests/apps/stream_consumers"));
    let explained = explain(&checked, None);
    let on_consumers = |function: &str| -> Vec<(Vec<String>, Vec<String>)> {
        let f = explained.iter().find(|f| f.function == function).expect("explained");
        let on = f.statements.iter().filter(|s| s.actions.iter().any(|a| a.contains("SubscribeToShard")));
        on.map(|s| (s.actions.clone(), s.resources.clone())).collect()
    };
    let actions = vec!["kinesis:DescribeStreamConsumer".to_string(), "kinesis:SubscribeToShard".to_string()];
    assert_eq!(
        on_consumers("tally"),
        [
            (actions.clone(), vec!["clicks.consumer(tally-1)".to_string()]),
            (actions.clone(), vec!["clicks.consumer(tally-2)".to_string()]),
        ]
    );
    assert_eq!(on_consumers("audit"), [(actions, vec!["partner_clicks.consumer(audit)".to_string()])]);
    assert!(on_consumers("archive").is_empty());
    let archive = explained.iter().find(|f| f.function == "archive").expect("explained");
    assert!(archive.statements.iter().any(|s| s.actions.iter().any(|a| a == "kinesis:GetRecords")));
}

/// A function's `encryption` key: Lambda decrypts the environment
/// variables as the execution role, so a function with variables gets
/// `kms:Decrypt` on the key from its `encryption` line, in the statement
/// of its other uses of that key; one without variables gets nothing.
#[test]
fn a_function_with_variables_decrypts_them_with_its_key() {
    let checked = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grants/environment_key.lf"));
    let key_statements: Vec<String> = key_statements(&checked)
        .into_iter()
        .map(|(function, s)| {
            let lines: Vec<&str> = s.sources.iter().filter_map(|source| source.rsplit(':').next()).collect();
            format!(
                "{function} {}: {} on {} from {}",
                s.sid,
                s.actions.join(","),
                s.resources.join(","),
                lines.join(",")
            )
        })
        .collect();
    assert_eq!(
        key_statements,
        [
            "configured UseSettingsKey: kms:Decrypt on settings_key.arn from 20",
            "worker UseSettingsKey: kms:Decrypt on settings_key.arn from 28,29",
        ],
        "the poll trigger's kms:Decrypt and the variables' share one statement; `bare` has none"
    );
}

/// An existing SecureString parameter's key: `get` and `read` decrypt
/// with it, `write` encrypts; a parameter without a key adds nothing.
#[test]
fn secure_parameters_grant_their_key_for_what_is_done_with_them() {
    let checked = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grants/secure_parameters.lf"));
    let key_statements: Vec<String> = key_statements(&checked)
        .into_iter()
        .map(|(function, s)| format!("{function} {}: {}", s.sid, s.actions.join(",")))
        .collect();
    assert_eq!(key_statements, ["reader UseOpsKey: kms:Decrypt", "rotator UseOpsKey: kms:Decrypt,kms:Encrypt"]);
}

/// A cross-Region inference profile is granted twice: on the profile, and
/// on the model it routes to in any Region only through that profile; a
/// model is granted on its own ARN in the app's Region, with no condition.
#[test]
fn an_inference_profile_reaches_its_model_only_through_itself() {
    let checked = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/assistant"));
    let ask = explain(&checked, Some("ask")).remove(0);
    let invoke: Vec<_> =
        ask.statements.iter().filter(|s| s.actions.contains(&"bedrock:InvokeModel".to_string())).collect();
    assert_eq!(invoke.len(), 2, "{invoke:?}");
    let profile =
        "arn:${partition}:bedrock:${region}:${account}:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
    assert_eq!(invoke[0].resources, [profile]);
    assert_eq!(
        invoke[1].resources,
        ["arn:${partition}:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"]
    );
    let condition = invoke[1].condition.as_deref().unwrap_or_default();
    assert!(condition.contains("bedrock:InferenceProfileArn") && condition.ends_with(profile), "{condition}");
    assert!(invoke[1].why.is_some(), "the `*` Region is explained");
    assert!(invoke[0].condition.is_none());
    let embed = explain(&checked, Some("embed")).remove(0);
    let titan: Vec<_> = embed.statements.iter().filter(|s| s.sid.starts_with("InvokeTitan")).collect();
    assert_eq!(titan.len(), 1);
    assert_eq!(
        titan[0].resources,
        ["arn:${partition}:bedrock:${region}::foundation-model/amazon.titan-embed-text-v2:0"]
    );
    assert!(titan[0].condition.is_none());
}
