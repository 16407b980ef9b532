//! The language server on an app with a state machine: the definition
//! file's diagnostics are published to that file, hover on the state
//! machine shows its role with the definition's lines, and completion
//! offers what may start it and what `start` may name.

mod lsp_client;

use lsp_client::{uri, Client, TempDir};
use serde_json::json;

const APP: &str = r#"app shop { region = "eu-west-1" }

table orders { key = "id" }
bus   events {}
queue jobs   {}

schedule nightly {
  at       = "cron(0 3 * * ? *)"
  timezone = "Europe/Paris"
}

function charge {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/charge.zip"
}

state_machine flow {
  definition = "flows/flow.asl.json"
  on nightly
}
"#;

const FLOW: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": { "Type": "Task", "Resource": "${charge}", "Next": "Save" },
    "Save": {
      "Type": "Task",
      "Resource": "arn:aws:states:::dynamodb:putItem",
      "Parameters": { "TableName": "${ordres}", "Item": {} },
      "End": true
    }
  }
}
"#;

fn labels(client: &mut Client, uri: &str, text: &str) -> Vec<String> {
    let line = text.matches('\n').count();
    let character = text[text.rfind('\n').map_or(0, |i| i + 1)..].encode_utf16().count();
    let params = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let result = client.request("textDocument/completion", params);
    let mut labels: Vec<String> =
        result.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(String::from)).collect();
    labels.sort();
    labels
}

#[test]
fn state_machines_in_the_editor() {
    let dir = TempDir::new("lsp-states");
    std::fs::create_dir_all(dir.path().join("flows")).expect("mkdir");
    let flow = dir.path().join("flows/flow.asl.json");
    std::fs::write(&flow, FLOW).expect("write");
    let main = dir.path().join("main.lf");
    std::fs::write(&main, APP).expect("write");
    let (main, flow) = (uri(&main), uri(&flow));
    let mut client = Client::start();
    client.open(&main, APP);
    let diagnostics = client.diagnostics(&flow);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "LF1056");
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": 7, "character": 36 }));

    // Fixed on disk: the role covers both Tasks, each with its line.
    std::fs::write(dir.path().join("flows/flow.asl.json"), FLOW.replace("ordres", "orders")).expect("write");
    client.change(&main, 2, APP);
    assert!(client.diagnostics(&flow).is_empty());
    let line = APP.lines().position(|l| l.starts_with("state_machine flow")).expect("the block");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": main }, "position": { "line": line, "character": 15 } }),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("`lambda:InvokeFunction` (task lambda) on `charge.arn` — flow.asl.json:4"), "{text}");
    assert!(text.contains("`dynamodb:PutItem` (task dynamodb:putItem) on `orders.arn` — flow.asl.json:8"), "{text}");

    let typing = format!("{APP}\nstate_machine other {{\n  definition = \"flows/flow.asl.json\"\n  on ");
    client.change(&main, 3, &typing);
    assert_eq!(labels(&mut client, &main, &typing), ["events", "nightly"]);
    let typing = format!("{APP}\nfunction go {{\n  runtime = \"python3.12\"\n  start ");
    client.change(&main, 4, &typing);
    assert_eq!(labels(&mut client, &main, &typing), ["flow"]);
    client.shutdown();
}
