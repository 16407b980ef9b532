//! The language server's session, over stdio against the binary: input
//! that is not UTF-8 or not JSON never ends it, apps are forgotten when
//! their last document closes, files changed on disk are checked again,
//! and documents change by UTF-16 ranges.

mod lsp_client;

use lsp_client::{uri, Client, TempDir};
use serde_json::{json, Value};

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

const APP: &str = "queue jobs {}\n\nfunction worker {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"w.zip\"\n  on jobs\n}\n";

/// A `didOpen` or `didChange` body whose document text holds a raw 0xFF
/// byte where `APP` has the `!` of `marker`.
fn with_bad_byte(message: Value, marker: &str) -> Vec<u8> {
    let body = serde_json::to_string(&message).expect("serialize");
    let at = body.find(marker).expect("the marker is in the body");
    let mut bytes = body.into_bytes();
    bytes[at] = 0xFF;
    bytes
}

#[test]
fn bytes_that_are_not_utf8_are_a_diagnostic_and_the_session_goes_on() {
    let dir = TempDir::new("lsp-utf8");
    let path = dir.path().join("main.lf");
    let uri = uri(&path);
    let mut client = Client::start();
    let text = APP.replace("w.zip", "w!.zip");
    let document = json!({ "uri": uri, "languageId": "lambdaform", "version": 1, "text": text });
    let open = json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": document } });
    client.send_raw(&with_bad_byte(open, "!.zip"));
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["LF0003"], "{diagnostics:#?}");
    let line = text.lines().position(|l| l.contains("w!.zip")).expect("the code line") as u64;
    let column = text.lines().nth(line as usize).and_then(|l| l.find('!')).expect("the bad byte") as u64;
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": line, "character": column }));

    // Still answering, and formatting says why it will not.
    let hover = client.request_raw(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 7 } }),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    let format = client.request_raw(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let reason = format["error"]["message"].as_str().unwrap_or_default();
    assert!(reason.contains("UTF-8"), "{format}");

    // A change whose text is not UTF-8 either, then one that is.
    let change = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": APP.replace("jobs", "jo!s") }] } });
    client.send_raw(&with_bad_byte(change, "!s"));
    assert_eq!(codes(&client.diagnostics(&uri)), ["LF0003"]);
    client.change(&uri, 3, APP);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "valid text clears it");
    client.shutdown();
}

#[test]
fn a_message_that_is_not_json_gets_an_error_response() {
    let mut client = Client::start();
    client.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": ");
    let response = client.response();
    assert_eq!(response["error"]["code"], -32700, "a parse error: {response}");
    assert!(response["id"].is_null());
    client.send_raw(b"\xff\xfe not even text");
    assert_eq!(client.response()["error"]["code"], -32700);
    client.send_raw(br#"{"jsonrpc": "2.0", "id": 10, "params": {}}"#);
    let response = client.response();
    assert_eq!((response["error"]["code"].clone(), response["id"].clone()), (json!(-32600), json!(10)));
    client.send_raw(br#"[1, 2, 3]"#);
    assert_eq!(client.response()["error"]["code"], -32600);
    let status = client.request("lambdaform/status", Value::Null);
    assert_eq!(status["documents"], 0, "still answering: {status}");
    client.shutdown();
}

#[test]
fn an_app_is_forgotten_when_its_last_document_closes() {
    let (one, two) = (TempDir::new("lsp-forget-one"), TempDir::new("lsp-forget-two"));
    let queues = one.path().join("queues.lf");
    let worker = one.path().join("worker.lf");
    let other = two.path().join("main.lf");
    std::fs::write(&queues, "queue jobs {}\n").expect("write");
    std::fs::write(&worker, APP.replace("queue jobs {}\n", "")).expect("write");
    let (queues, worker, other) = (uri(&queues), uri(&worker), uri(&other));
    let mut client = Client::start();

    client.open(&queues, "queue jbos {}\n");
    assert_eq!(codes(&client.diagnostics(&worker)), ["LF1002"], "the closed file has an error");
    client.open(&worker, &APP.replace("queue jobs {}\n", ""));
    client.diagnostics(&worker);
    client.open(&other, "bucket b {}\n");
    client.diagnostics(&other);
    let status = client.request("lambdaform/status", Value::Null);
    assert_eq!(status["documents"], 2 + 1);
    assert_eq!(status["apps"].as_array().map(Vec::len), Some(2), "{status}");

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": worker } }));
    let status = client.request("lambdaform/status", Value::Null);
    assert_eq!(status["apps"].as_array().map(Vec::len), Some(2), "one file of the folder is still open: {status}");
    client.drain();
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": queues } }));
    assert_eq!(client.diagnostics(&worker), Vec::<Value>::new(), "what the forgotten app published is cleared");
    let status = client.request("lambdaform/status", Value::Null);
    assert_eq!(status["apps"], json!([two.path().display().to_string()]), "{status}");

    // A request about a file that is not open leaves nothing behind.
    client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": queues }, "position": { "line": 0, "character": 7 } }),
    );
    assert_eq!(client.request("lambdaform/status", Value::Null)["apps"].as_array().map(Vec::len), Some(1));
    client.shutdown();
}

#[test]
fn files_changed_on_disk_are_checked_again() {
    let dir = TempDir::new("lsp-watch");
    let (worker, queues, extra) =
        (dir.path().join("worker.lf"), dir.path().join("queues.lf"), dir.path().join("extra.lf"));
    let worker_text = APP.replace("queue jobs {}\n", "");
    std::fs::write(&worker, &worker_text).expect("write");
    std::fs::write(&queues, "queue jbos {}\n").expect("write");
    let capabilities = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let mut client = Client::start_with(capabilities);
    let registration = client.server_request("client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(registered["registerOptions"]["watchers"][0]["globPattern"], "**/*.lf");
    client.respond(&registration["id"], Value::Null);

    let worker = uri(&worker);
    client.open(&worker, &worker_text);
    assert_eq!(codes(&client.diagnostics(&worker)), ["LF1002"]);
    let watched = |changes: Value| json!({ "changes": changes });

    // Another program fixes the queue's name.
    std::fs::write(&queues, "queue jobs {}\n").expect("write");
    client.notify("workspace/didChangeWatchedFiles", watched(json!([{ "uri": uri(&queues), "type": 2 }])));
    assert_eq!(client.diagnostics(&worker), Vec::<Value>::new(), "the change on disk is seen");

    // A new file with an error, then deleted.
    std::fs::write(&extra, "bucket uploads { versioning = 3 }\n").expect("write");
    let extra = uri(&extra);
    client.notify("workspace/didChangeWatchedFiles", watched(json!([{ "uri": extra, "type": 1 }])));
    assert_eq!(codes(&client.diagnostics(&extra)), ["LF1005"], "a file created on disk is checked");
    std::fs::remove_file(dir.path().join("extra.lf")).expect("remove");
    client.notify("workspace/didChangeWatchedFiles", watched(json!([{ "uri": extra, "type": 3 }])));
    assert_eq!(client.diagnostics(&extra), Vec::<Value>::new(), "a deleted file's diagnostics are cleared");

    // Folders no document is open in are not checked.
    let elsewhere = TempDir::new("lsp-watch-elsewhere");
    let stray = elsewhere.path().join("main.lf");
    std::fs::write(&stray, "queue q { retention = 1 }\n").expect("write");
    client.notify("workspace/didChangeWatchedFiles", watched(json!([{ "uri": uri(&stray), "type": 1 }])));
    assert_eq!(client.request("lambdaform/status", Value::Null)["apps"].as_array().map(Vec::len), Some(1));
    client.shutdown();
}
