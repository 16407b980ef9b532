//! The language server, tested by talking LSP to the built binary over
//! stdio (DESIGN.md): diagnostics with UTF-16 ranges, stale diagnostics
//! cleared (in other files of the app too), hover, completion, definition,
//! references, outline, formatting, and requests it cannot answer.

mod lsp_client;

use lsp_client::{uri, Client, TempDir};
use serde_json::{json, Value};

/// Two errors, each on a line where characters of several UTF-8 and UTF-16
/// widths stand before it: `é` (2 bytes, 1 unit), `日本` (3 bytes, 1 unit
/// each), `🚀` (4 bytes, 2 units).
const BROKEN: &str = r#"app shop { region = "eu-west-1" }

table orders { key = "id" }

function create_order {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/create_order.zip"
  env     = { GREETING = "héllo 日本 🚀", TABLE = ordrs.name }
  description = "café 🚀" memory = 64MB
  read orders
}
"#;

const CLEAN: &str = r#"app shop { region = "eu-west-1" }

table orders { key = "id" }

function create_order {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/create_order.zip"
  env     = { GREETING = "héllo 日本 🚀", TABLE = orders.name }
  read  orders
  write orders
}
"#;

/// The 0-based line and UTF-16 column where `needle` starts in `text`.
fn utf16_position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    (line as u64, text[line_start..at].encode_utf16().count() as u64)
}

fn position(text: &str, needle: &str) -> Value {
    let (line, character) = utf16_position(text, needle);
    json!({ "line": line, "character": character })
}

fn at(uri: &str, text: &str, needle: &str) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(text, needle) })
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

#[test]
fn diagnostics_hover_definition_and_shutdown() {
    let dir = TempDir::new("lsp-main");
    let path = dir.path().join("main.lf");
    std::fs::write(&path, BROKEN).expect("write the app");
    let uri = uri(&path);
    let mut client = Client::start();

    client.open(&uri, BROKEN);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["LF1002", "LF1006"], "{diagnostics:#?}");
    // `ordrs` after `"héllo 日本 🚀", TABLE = ` on the same line.
    let (line, character) = utf16_position(BROKEN, "ordrs.name");
    let unknown = &diagnostics[0];
    assert_eq!(unknown["range"]["start"], json!({ "line": line, "character": character }));
    assert_eq!(unknown["range"]["end"], json!({ "line": line, "character": character + 5 }));
    assert_eq!(character, 48, "the UTF-16 column differs from the byte and char columns");
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "lambdaform");
    assert!(unknown["codeDescription"]["href"].as_str().unwrap_or("").ends_with("codes.md#lf1002"));
    assert!(unknown["message"].as_str().unwrap_or("").contains("help: did you mean `orders`?"), "{unknown}");
    // `64MB` after `"café 🚀"`.
    let (line, character) = utf16_position(BROKEN, "64MB");
    let range = &diagnostics[1]["range"];
    assert_eq!(range["start"], json!({ "line": line, "character": character }));
    assert_eq!(range["end"], json!({ "line": line, "character": character + 4 }));

    client.change(&uri, 2, CLEAN);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "a clean program clears the diagnostics");

    let hover = client.request("textDocument/hover", at(&uri, CLEAN, "create_order {"));
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("dynamodb:GetItem"), "hover on a function shows its grants: {text}");
    assert!(text.contains("dynamodb:PutItem"), "{text}");
    assert!(text.contains("logs:PutLogEvents"), "{text}");

    let hover = client.request("textDocument/hover", at(&uri, CLEAN, "orders {"));
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("**table** `orders`") && text.contains("`create_order` read"), "{text}");

    let hover = client.request("textDocument/hover", at(&uri, CLEAN, "write orders"));
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.contains("dynamodb:PutItem") && !text.contains("dynamodb:GetItem"),
        "a verb shows its actions: {text}"
    );

    let definition = client.request("textDocument/definition", at(&uri, CLEAN, "orders\n  write"));
    assert_eq!(definition["uri"], uri.as_str());
    assert_eq!(definition["range"]["start"], position(CLEAN, "orders {"));

    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(CLEAN, "orders {"),
                "context": { "includeDeclaration": true } }),
    );
    assert_eq!(references.as_array().map(Vec::len), Some(4), "declaration, env, read, write: {references}");

    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let names: Vec<&str> = symbols.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["shop", "orders", "create_order"]);

    // Nothing to say: null, and the session goes on.
    let empty = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri },
                                                             "position": { "line": 1, "character": 0 } }),
    );
    assert!(empty.is_null(), "{empty}");
    let unknown = client.request_raw("textDocument/unknownThing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let hover = client.request("textDocument/hover", at(&uri, CLEAN, "create_order {"));
    assert!(!hover.is_null());

    client.shutdown();
}

#[test]
fn completion_offers_only_valid_targets() {
    let dir = TempDir::new("lsp-completion");
    let path = dir.path().join("main.lf");
    let text = r#"app shop { region = "eu-west-1" }

table orders {
  key    = "id"
  stream = new_image
}

queue  failed  {}
topic  alerts  {}
bucket archive {}
bus    events  {}
network private {
  subnets         = ["subnet-0a1b2c3d4e5f60718"]
  security_groups = ["sg-0123456789abcdef0"]
}

function consumer {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/consumer.zip"
  network = 
  on orders { batch = 10, on_failure =  }
  async {
    on_failure = 
  }
}
"#;
    std::fs::write(&path, text).expect("write the app");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    client.diagnostics(&uri);

    let labels = |client: &mut Client, needle: &str| -> Vec<String> {
        let (line, character) = utf16_position(text, needle);
        let position = json!({ "line": line, "character": character + needle.len() as u64 });
        let result =
            client.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position }));
        let mut labels: Vec<String> =
            result.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(String::from)).collect();
        labels.sort();
        labels
    };
    // A stream trigger's failure destination: queues, topics, buckets.
    assert_eq!(labels(&mut client, "on_failure = "), ["alerts", "archive", "failed"]);
    // An async failure destination may also be a bus or a function.
    assert_eq!(labels(&mut client, "  on_failure = "), ["alerts", "archive", "events", "failed"]);
    assert_eq!(labels(&mut client, "network = "), ["private"]);
    let attributes = labels(&mut client, "on orders { ");
    assert!(attributes.contains(&"bisect".to_string()) && attributes.contains(&"start".to_string()), "{attributes:?}");
    let top = labels(&mut client, "\n\nqueue");
    assert!(top.contains(&"queue".to_string()) && top.contains(&"function".to_string()), "{top:?}");
    client.shutdown();
}

#[test]
fn stale_diagnostics_are_cleared_in_other_files_of_the_app() {
    let dir = TempDir::new("lsp-folder");
    let queues = dir.path().join("queues.lf");
    let worker = dir.path().join("worker.lf");
    std::fs::write(&queues, "queue jobs {}\n").expect("write");
    let worker_text = "function worker {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"w.zip\"\n  on jobs\n}\n";
    std::fs::write(&worker, worker_text).expect("write");
    let (queues_uri, worker_uri) = (uri(&queues), uri(&worker));
    let mut client = Client::start();

    client.open(&queues_uri, "queue jbos {}\n");
    assert_eq!(codes(&client.diagnostics(&worker_uri)), ["LF1002"], "the file on disk is checked with the buffer");
    client.change(&queues_uri, 2, "queue jobs {}\n");
    assert_eq!(client.diagnostics(&worker_uri), Vec::<Value>::new(), "its stale diagnostics are cleared");

    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": queues_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, json!([]), "already formatted");
    client.change(&queues_uri, 3, "queue jobs {visibility_timeout=1m}\n");
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": queues_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"], "queue jobs { visibility_timeout = 1m }\n");
    client.change(&queues_uri, 4, "queue jobs {");
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": queues_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(edits.is_null(), "a file with syntax errors is not formatted: {edits}");
    client.shutdown();
}

#[test]
fn half_typed_documents_never_break_the_session() {
    let dir = TempDir::new("lsp-fuzz");
    let path = dir.path().join("main.lf");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, "");
    client.diagnostics(&uri);
    // Type a program one character at a time, asking everything on the way.
    let text = CLEAN;
    let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).chain([text.len()]).collect();
    for (version, cut) in cuts.into_iter().enumerate() {
        let partial = &text[..cut];
        client.change(&uri, version as i64 + 2, partial);
        client.diagnostics(&uri);
        let line = partial.matches('\n').count();
        let character = partial[partial.rfind('\n').map_or(0, |i| i + 1)..].encode_utf16().count();
        let position = json!({ "line": line, "character": character });
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
            let response = client.request_raw(method, json!({ "textDocument": { "uri": uri }, "position": position }));
            assert!(response.get("error").is_none(), "{method} at {cut}: {response}");
        }
    }
    client.shutdown();
}

/// The server judges runtimes on the day `LAMBDAFORM_TODAY` names, as an
/// editor or CI pins it, not on the clock's.
#[test]
fn the_day_comes_from_the_environment() {
    let dir = TempDir::new("lsp-today");
    let path = dir.path().join("main.lf");
    let text = "function f {\n  runtime = \"python3.9\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n}\n";
    std::fs::write(&path, text).expect("write the app");
    let uri = uri(&path);
    for (today, code) in [("2026-08-16", "LF3002"), ("2027-02-01", "LF3001")] {
        let mut client = Client::start_on(today);
        client.open(&uri, text);
        let diagnostics = client.diagnostics(&uri);
        assert!(codes(&diagnostics).contains(&code), "{today}: {diagnostics:#?}");
        client.shutdown();
    }
}
