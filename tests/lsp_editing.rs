//! The language server's editing features, over stdio against the binary:
//! quick fixes, rename, semantic tokens, inlay hints, document highlights,
//! workspace symbols, folding ranges, code lens and commands.

mod lsp_client;

use lsp_client::{apply_edits, uri, Client, TempDir};
use serde_json::{json, Value};

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

const WORKER: &str = r#"app shop { region = "eu-west-1" }

table orders { key = "id" }

function worker {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/worker.zip"
  timeout = 60s
  env     = { TABLE = ordrs.name }
  read orders
  on jobs
}
"#;

/// The quick fixes the server offers for `diagnostic` in `uri`.
fn quick_fixes(client: &mut Client, uri: &str, diagnostic: &Value) -> Value {
    client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"],
                "context": { "diagnostics": [diagnostic], "only": ["quickfix"] } }),
    )
}

#[test]
fn quick_fixes_apply_and_check_clean() {
    let dir = TempDir::new("lsp-fixes");
    let (main, queues) = (dir.path().join("main.lf"), dir.path().join("queues.lf"));
    std::fs::write(&main, WORKER).expect("write");
    std::fs::write(&queues, "queue jobs {}\n").expect("write");
    let (main, queues) = (uri(&main), uri(&queues));
    let mut client = Client::start();
    client.open(&main, WORKER);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(codes(&diagnostics), ["LF1002"]);

    // "did you mean `orders`?"
    let actions = quick_fixes(&mut client, &main, &diagnostics[0]);
    assert_eq!(actions[0]["title"], "Replace with `orders`", "{actions}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], true);
    let fixed = apply_edits(WORKER, &actions[0]["edit"]["changes"][main.as_str()]);
    assert!(fixed.contains("TABLE = orders.name"), "{fixed}");
    client.change(&main, 2, &fixed);

    // Now the app resolves, and the rules speak: the queue hides messages
    // for less than the function runs. Its fix edits the other file.
    let diagnostics = client.diagnostics(&main);
    assert_eq!(codes(&diagnostics), ["LF3006"], "{diagnostics:#?}");
    let actions = quick_fixes(&mut client, &main, &diagnostics[0]);
    assert_eq!(actions[0]["title"], "Set `visibility_timeout = 360s` on `jobs`", "{actions}");
    let edits = &actions[0]["edit"]["changes"][queues.as_str()];
    let queue = apply_edits("queue jobs {}\n", edits);
    assert_eq!(queue, "queue jobs { visibility_timeout = 360s }\n");
    client.open(&queues, &queue);
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new(), "clean after both fixes");

    // Only quick fixes are offered, and only when asked for.
    let refactors = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": main }, "range": diagnostics[0]["range"],
                "context": { "diagnostics": [diagnostics[0]], "only": ["refactor"] } }),
    );
    assert_eq!(refactors, json!([]));
    client.shutdown();
}

/// A name nothing declares is declared by a quick fix, above the function
/// that sends to it and the comment that belongs to the function, and the
/// app then checks clean.
#[test]
fn an_undeclared_name_is_declared_by_a_quick_fix() {
    let dir = TempDir::new("lsp-declare");
    let main = dir.path().join("main.lf");
    let text = "app shop { region = \"eu-west-1\" }\n\n# Sends the day's orders.\nfunction worker {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/worker.zip\"\n  send outbox\n}\n";
    std::fs::write(&main, text).expect("write");
    let main = uri(&main);
    let mut client = Client::start();
    client.open(&main, text);
    let diagnostics = client.diagnostics(&main);
    assert_eq!(codes(&diagnostics), ["LF1002"]);
    let actions = quick_fixes(&mut client, &main, &diagnostics[0]);
    assert_eq!(actions[0]["title"], "Declare `outbox`: `queue outbox {}`", "{actions}");
    let fixed = apply_edits(text, &actions[0]["edit"]["changes"][main.as_str()]);
    assert!(fixed.contains("}\n\nqueue outbox {}\n\n# Sends the day's orders.\nfunction worker {"), "{fixed}");
    client.change(&main, 2, &fixed);
    let left = client.diagnostics(&main);
    assert!(!codes(&left).contains(&"LF1002"), "{left:#?}");
    client.shutdown();
}

/// A function written with SAM's keys and values is made clean by the
/// quick fixes alone: each key, value and colon is offered in the
/// language's spelling.
#[test]
fn keys_written_as_sam_writes_them_are_fixed_by_quick_fixes() {
    let dir = TempDir::new("lsp-sam");
    let main = dir.path().join("main.lf");
    let sam = "app shop { region = \"eu-west-1\" }\n\nqueue jobs {}\n\nfunction worker {\n  Runtime = \"python3.13\"\n  Handler = \"app.handler\"\n  CodeUri = \"build/worker.zip\"\n  MemorySize = \"512 MB\"\n  Tracing = Active\n  on jobs { BatchSize = 10 }\n}\n";
    std::fs::write(&main, sam).expect("write");
    let main = uri(&main);
    let mut client = Client::start();
    client.open(&main, sam);
    let mut text = sam.to_string();
    let mut version = 1;
    // Each round applies the first fix offered; a fix may uncover the
    // next (a key fixed, its value is checked). A missing `runtime` has
    // no fix of its own: fixing `Runtime` removes it.
    let mut diagnostics = client.diagnostics(&main);
    for _ in 0..12 {
        let fixes = diagnostics.iter().map(|d| quick_fixes(&mut client, &main, d));
        let Some(actions) = fixes.into_iter().find(|a| a[0]["title"].is_string()) else { break };
        text = apply_edits(&text, &actions[0]["edit"]["changes"][main.as_str()]);
        version += 1;
        client.change(&main, version, &text);
        diagnostics = client.diagnostics(&main);
    }
    assert_eq!(diagnostics, Vec::<Value>::new(), "clean after the fixes:\n{text}");
    assert!(
        text.contains("  runtime = \"python3.13\"\n  handler = \"app.handler\"\n  code = \"build/worker.zip\""),
        "{text}"
    );
    assert!(text.contains("  memory = 512MB\n  tracing = true\n  on jobs { batch = 10 }"), "{text}");
    client.shutdown();
}

/// The 0-based line and UTF-16 column where `needle` starts in `text`.
fn position(text: &str, needle: &str) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": text[..at].matches('\n').count(), "character": text[line_start..at].encode_utf16().count() })
}

fn at(uri: &str, text: &str, needle: &str) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(text, needle) })
}

#[test]
fn rename_across_files_and_refusals() {
    let dir = TempDir::new("lsp-rename");
    let (main, queues) = (dir.path().join("main.lf"), dir.path().join("queues.lf"));
    let worker = WORKER.replace("ordrs.name", "orders.name, QUEUE = jobs.url");
    let queue = "queue jobs { visibility_timeout = 6m }\n";
    std::fs::write(&main, &worker).expect("write");
    std::fs::write(&queues, queue).expect("write");
    let (main, queues) = (uri(&main), uri(&queues));
    let mut client = Client::start();
    client.open(&main, &worker);
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());

    let range = client.request("textDocument/prepareRename", at(&main, &worker, "jobs\n"));
    assert_eq!(range["start"], position(&worker, "jobs\n"));
    let verb = client.request("textDocument/prepareRename", at(&main, &worker, "read orders"));
    assert!(verb.is_null(), "a verb is not renamed: {verb}");

    let mut rename = at(&main, &worker, "jobs\n");
    rename["newName"] = json!("tasks");
    let edit = client.request("textDocument/rename", rename.clone());
    let renamed_main = apply_edits(&worker, &edit["changes"][main.as_str()]);
    let renamed_queue = apply_edits(queue, &edit["changes"][queues.as_str()]);
    assert!(renamed_main.contains("QUEUE = tasks.url") && renamed_main.contains("on tasks\n"), "{renamed_main}");
    assert_eq!(renamed_queue, "queue tasks { visibility_timeout = 6m }\n");
    client.change(&main, 2, &renamed_main);
    client.diagnostics(&main); // the queue is still `jobs` on disk
    client.open(&queues, &renamed_queue);
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new(), "the renamed app checks clean");

    let refused = |client: &mut Client, new_name: &str| {
        let mut params = at(&main, &renamed_main, "tasks\n");
        params["newName"] = json!(new_name);
        let response = client.request_raw("textDocument/rename", params);
        response["error"]["message"].as_str().unwrap_or_default().to_string()
    };
    assert!(refused(&mut client, "Tasks").contains("not a valid name"));
    assert!(refused(&mut client, "orders").contains("already names"));
    assert!(refused(&mut client, "existing").contains("keyword"));
    client.change(&queues, 2, "queue tasks {\n");
    assert!(refused(&mut client, "work").contains("does not parse"), "refused while a file does not parse");
    client.shutdown();
}

const GUARDED: &str = r#"app shop { region = "eu-west-1" }

api shop {
  auth = members

  authorizer members {
    type     = request
    function = gate
  }
  authorizer staff {
    type     = request
    function = gate
  }
}

function gate {
  runtime = "python3.12"
  handler = "auth.handler"
  code    = "build/auth.zip"
}

function orders {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/orders.zip"
  on shop "GET /orders"
  on shop "POST /orders" { auth = members }
  on shop "GET /admin" { auth = staff }
}
"#;

/// An authorizer's name is a target like a resource's: `auth = NAME` (on
/// the api or a route) goes to its block, finds its mentions, renames them.
#[test]
fn authorizer_names_navigate_and_rename() {
    let dir = TempDir::new("lsp-authorizers");
    let main = dir.path().join("main.lf");
    std::fs::write(&main, GUARDED).expect("write");
    let main = uri(&main);
    let mut client = Client::start();
    client.open(&main, GUARDED);
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());

    let declared = position(GUARDED, "members {");
    for from in ["members\n\n", "members }"] {
        let definition = client.request("textDocument/definition", at(&main, GUARDED, from));
        assert_eq!(definition["range"]["start"], declared, "from `{from}`: {definition}");
    }
    let staff = client.request("textDocument/definition", at(&main, GUARDED, "staff }"));
    assert_eq!(staff["range"]["start"], position(GUARDED, "staff {"));

    let mut params = at(&main, GUARDED, "members {");
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", params);
    let lines: Vec<u64> =
        references.as_array().expect("a list").iter().filter_map(|r| r["range"]["start"]["line"].as_u64()).collect();
    assert_eq!(lines, [3, 5, 26], "the api's auth, the block, the route: {references}");

    let range = client.request("textDocument/prepareRename", at(&main, GUARDED, "members }"));
    assert_eq!(range["start"], position(GUARDED, "members }"));
    let mut rename = at(&main, GUARDED, "members }");
    rename["newName"] = json!("customers");
    let edit = client.request("textDocument/rename", rename);
    let renamed = apply_edits(GUARDED, &edit["changes"][main.as_str()]);
    assert_eq!(renamed.matches("customers").count(), 3, "{renamed}");
    assert!(!renamed.contains("members") && renamed.contains("auth = staff"), "{renamed}");
    client.change(&main, 2, &renamed);
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new(), "the renamed app checks clean");

    let refused = |client: &mut Client, new_name: &str| {
        let mut params = at(&main, &renamed, "customers }");
        params["newName"] = json!(new_name);
        let response = client.request_raw("textDocument/rename", params);
        response["error"]["message"].as_str().unwrap_or_default().to_string()
    };
    assert!(refused(&mut client, "staff").contains("already has an authorizer"));
    assert!(refused(&mut client, "none").contains("means no authorizer"));
    client.shutdown();
}

/// Decodes semantic tokens into (text, type, modifiers) with the legend.
fn decode_tokens(client: &Client, text: &str, data: &Value) -> Vec<(String, String, u64)> {
    let legend = &client.capabilities["semanticTokensProvider"]["legend"]["tokenTypes"];
    let numbers: Vec<u64> = data.as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    let lines: Vec<&str> = text.split('\n').collect();
    let (mut line, mut column) = (0, 0);
    numbers
        .chunks(5)
        .map(|t| {
            if t[0] > 0 {
                column = 0;
            }
            line += t[0] as usize;
            column += t[1] as usize;
            let units: Vec<u16> = lines[line].encode_utf16().collect();
            let word = String::from_utf16_lossy(&units[column..column + t[2] as usize]);
            (word, legend[t[3] as usize].as_str().unwrap_or("?").to_string(), t[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_classify_every_word() {
    let dir = TempDir::new("lsp-tokens");
    let uri = uri(&dir.path().join("main.lf"));
    let text = "# the app 🚀\ntable orders {\n  key    = \"id\"\n  stream = new_image\n}\nqueue jobs {}\n\
                existing secret db = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf\"\n\
                function f {\n  runtime = \"python3.12\" # 🚀 ok\n  handler = \"app.handler\"\n  code = \"f.zip\"\n  \
                memory = 512MB\n  read orders, db\n  on jobs { batch = 5 }\n  env = { T = orders.name }\n}\n";
    let mut client = Client::start();
    client.open(&uri, text);
    client.diagnostics(&uri);
    let result = client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }));
    let tokens = decode_tokens(&client, text, &result["data"]);
    let find = |word: &str, nth: usize| {
        tokens
            .iter()
            .filter(|(w, _, _)| w == word)
            .nth(nth)
            .cloned()
            .unwrap_or_else(|| panic!("`{word}` #{nth}: {tokens:?}"))
    };
    assert_eq!(find("# the app 🚀", 0).1, "comment");
    assert_eq!(find("table", 0).1, "type");
    assert_eq!((find("orders", 0).1, find("orders", 0).2), ("event".into(), 1), "a declaration of what can trigger");
    assert_eq!(find("key", 0).1, "property");
    assert_eq!(find("\"id\"", 0).1, "string");
    assert_eq!(find("new_image", 0).1, "enumMember");
    assert_eq!((find("jobs", 0).1, find("jobs", 1).1), ("event".into(), "event".into()), "a trigger source");
    assert_eq!(find("existing", 0).1, "keyword");
    assert_eq!(find("db", 0), ("db".into(), "variable".into(), 1 | 2), "declared, and read-only");
    assert_eq!(find("f", 0).1, "function");
    assert_eq!(find("# 🚀 ok", 0).1, "comment", "after a string with no surrogate pair, and one inside");
    assert_eq!(find("512MB", 0).1, "number");
    assert_eq!(find("read", 0).1, "method");
    assert_eq!(find("on", 0).1, "keyword");
    assert_eq!(find("batch", 0).1, "property");
    assert_eq!(find("name", 0).1, "property");
    client.shutdown();
}

/// The integers of semantic tokens `data` with the delta `edits` applied
/// (each edit's `start` and `deleteCount` count integers of the original).
fn apply_token_edits(data: &Value, edits: &Value) -> Vec<u64> {
    let mut out: Vec<u64> = data.as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    let mut edits: Vec<&Value> = edits.as_array().into_iter().flatten().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64()));
    for edit in edits {
        let start = edit["start"].as_u64().unwrap_or(0) as usize;
        let end = start + edit["deleteCount"].as_u64().unwrap_or(0) as usize;
        let inserted = edit["data"].as_array().into_iter().flatten().filter_map(Value::as_u64);
        out.splice(start..end, inserted);
    }
    out
}

#[test]
fn semantic_tokens_delta_after_an_edit() {
    let dir = TempDir::new("lsp-tokens-delta");
    let uri = uri(&dir.path().join("main.lf"));
    let mut client = Client::start();
    assert_eq!(client.capabilities["semanticTokensProvider"]["full"], json!({ "delta": true }));
    client.open(&uri, APP);
    client.diagnostics(&uri);
    let document = json!({ "uri": uri });
    let first = client.request("textDocument/semanticTokens/full", json!({ "textDocument": document }));
    let first_id = first["resultId"].as_str().expect("a full result has an id").to_string();

    // One range edit: a topic after the queue, and `1024MB` for `256MB`.
    let edited = APP.replace("queue jobs   {}\n", "queue jobs   {}\ntopic alerts {}\n").replace("256MB", "1024MB");
    let changes = json!([
        { "range": { "start": { "line": 6, "character": 0 }, "end": { "line": 6, "character": 0 } },
          "text": "topic alerts {}\n" },
        { "range": { "start": { "line": 12, "character": 12 }, "end": { "line": 12, "character": 17 } },
          "text": "1024MB" },
    ]);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": changes }),
    );
    client.diagnostics(&uri);
    let delta = client.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": document, "previousResultId": first_id }),
    );
    assert!(delta.get("data").is_none(), "a delta, not the whole tokens: {delta}");
    let delta_id = delta["resultId"].as_str().expect("a delta has an id").to_string();
    assert_ne!(delta_id, first_id);
    let sent: usize =
        delta["edits"].as_array().into_iter().flatten().map(|e| e["data"].as_array().map_or(0, Vec::len)).sum();
    let full = client.request("textDocument/semanticTokens/full", json!({ "textDocument": document }));
    let whole = full["data"].as_array().expect("data");
    assert!(sent < whole.len() / 2, "the edit holds only what changed: {delta}");
    assert_eq!(
        apply_token_edits(&first["data"], &delta["edits"]),
        serde_json::from_value::<Vec<u64>>(full["data"].clone()).unwrap_or_default()
    );
    let words: Vec<(String, String)> =
        decode_tokens(&client, &edited, &full["data"]).into_iter().map(|(w, t, _)| (w, t)).collect();
    assert!(words.contains(&("alerts".into(), "event".into())) && words.contains(&("1024MB".into(), "number".into())));

    // Nothing changed since the last result: no edit.
    let full_id = full["resultId"].as_str().unwrap_or_default();
    let same = client.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": document, "previousResultId": full_id }),
    );
    assert_eq!(same["edits"], json!([]), "{same}");
    // A result the server no longer holds: the whole tokens again.
    let again = client.request(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": document, "previousResultId": first_id }),
    );
    assert_eq!(again["data"], full["data"], "{again}");
    assert!(again["resultId"].is_string());
    client.shutdown();
}

const APP: &str = r#"app shop { region = "eu-west-1" }

# Orders, kept a year.
# Keyed by id.
table orders { key = "id" }
queue jobs   {}

function create_order {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/create_order.zip"
  memory  = 256MB
  env     = {
    TABLE = orders.name
  }
  read  orders
  write orders
  send  jobs
}
"#;

#[test]
fn highlights_symbols_folding_and_hints() {
    let dir = TempDir::new("lsp-outline");
    let path = dir.path().join("main.lf");
    std::fs::write(&path, APP).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, APP);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    let highlights = client.request("textDocument/documentHighlight", at(&uri, APP, "orders {"));
    let kinds: Vec<u64> = highlights.as_array().into_iter().flatten().filter_map(|h| h["kind"].as_u64()).collect();
    assert_eq!(kinds, [3, 2, 2, 2], "the declaration written, three reads: {highlights}");

    let symbols = client.request("workspace/symbol", json!({ "query": "ORD" }));
    let names: Vec<(&str, &str)> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| Some((s["name"].as_str()?, s["containerName"].as_str()?)))
        .collect();
    assert_eq!(names, [("create_order", "function"), ("orders", "table")]);
    assert_eq!(symbols[1]["location"]["range"]["start"], position(APP, "orders {"));

    let folds = client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } }));
    let folds: Vec<(u64, u64, Option<&str>)> = folds
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (f["startLine"].as_u64().unwrap_or(0), f["endLine"].as_u64().unwrap_or(0), f["kind"].as_str()))
        .collect();
    assert_eq!(folds, [(7, 17, None), (12, 13, None), (2, 3, Some("comment"))], "the function, the env, the comments");

    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 19, "character": 0 } });
    let hints = client.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": whole }));
    let labels: Vec<(u64, &str)> = hints
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h["position"]["line"].as_u64()?, h["label"].as_str()?)))
        .collect();
    assert_eq!(
        labels,
        [
            (5, "visibility_timeout 30s, retention 4d"),
            (7, "timeout 3s, storage 512MB, log_retention 30d"),
            (15, "6 IAM actions"),
            (16, "4 IAM actions"),
            (17, "1 IAM action"),
        ],
        "{hints}"
    );
    client.shutdown();
}

#[test]
fn commands_explain_build_and_plan() {
    let dir = TempDir::new("lsp-commands");
    let path = dir.path().join("main.lf");
    std::fs::write(&path, APP).expect("write");
    std::fs::create_dir_all(dir.path().join("build")).expect("mkdir");
    std::fs::write(dir.path().join("build/create_order.zip"), b"zip").expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    let commands = &client.capabilities["executeCommandProvider"]["commands"];
    assert_eq!(commands, &json!(["lambdaform.explain", "lambdaform.build", "lambdaform.plan"]));
    // Explain reads the buffer, unsaved change included.
    client.open(&uri, &APP.replace("  send  jobs\n", ""));
    client.diagnostics(&uri);
    let explained = client
        .request("workspace/executeCommand", json!({ "command": "lambdaform.explain", "arguments": [{ "uri": uri }] }));
    let text = explained["text"].as_str().unwrap_or_default();
    assert!(text.contains("function create_order") && text.contains("dynamodb:PutItem"), "{text}");
    assert!(!text.contains("sqs:SendMessage"), "the buffer, not the disk: {text}");
    assert_eq!(explained["functions"][0]["function"], "create_order");

    let built = client
        .request("workspace/executeCommand", json!({ "command": "lambdaform.build", "arguments": [{ "uri": uri }] }));
    assert_eq!(built["exitCode"], 0, "{built}");
    assert!(dir.path().join("out/template.json").is_file() && dir.path().join("out/main.tf").is_file());
    let planned = client
        .request("workspace/executeCommand", json!({ "command": "lambdaform.plan", "arguments": [{ "uri": uri }] }));
    assert_eq!(planned["exitCode"], 0, "{planned}");
    assert!(planned["output"].as_str().unwrap_or_default().contains("No changes."), "{planned}");

    let refused = client.request_raw(
        "workspace/executeCommand",
        json!({ "command": "lambdaform.build", "arguments": [{ "uri": "untitled:Untitled-1" }] }),
    );
    assert!(refused["error"]["message"].as_str().unwrap_or_default().contains("save"), "{refused}");
    client.shutdown();
}

#[test]
fn code_lens_counts_grants_and_runs_explain() {
    let dir = TempDir::new("lsp-lens");
    let path = dir.path().join("main.lf");
    std::fs::write(dir.path().join("other.lf"), OTHER).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    assert_eq!(client.capabilities["codeLensProvider"], json!({ "resolveProvider": false }));
    client.open(&uri, APP);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let lenses = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": uri } }));
    let lenses = lenses.as_array().expect("lenses");
    assert_eq!(lenses.len(), 1, "create_order only, not other.lf's function: {lenses:?}");
    let lens = &lenses[0];
    assert_eq!(lens["range"]["start"], position(APP, "create_order {"));

    // N is the IAM actions of the role's statements, as explain lists them
    // and hover counts them.
    let explained = client.request(
        "workspace/executeCommand",
        json!({ "command": "lambdaform.explain", "arguments": [{ "uri": uri, "function": "create_order" }] }),
    );
    let actions: usize = explained["functions"][0]["statements"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["actions"].as_array().map_or(0, Vec::len))
        .sum();
    // The verbs' inlay hints (6 + 4 + 1) and the two log actions.
    assert_eq!(actions, 13, "{explained}");
    assert_eq!(lens["command"]["title"], "13 grants · explain");
    let hover = client.request("textDocument/hover", at(&uri, APP, "create_order {"));
    let hover = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(hover.contains("**Execution role** — 13 grants"), "{hover}");

    // The lens's command explains that function and shows the text.
    let command = &lens["command"];
    assert_eq!(command["command"], "lambdaform.explain");
    let result = client.request(
        "workspace/executeCommand",
        json!({ "command": command["command"], "arguments": command["arguments"] }),
    );
    let functions: Vec<&str> =
        result["functions"].as_array().into_iter().flatten().filter_map(|f| f["function"].as_str()).collect();
    assert_eq!(functions, ["create_order"]);
    let shown = client.notification("window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap_or_default();
    assert_eq!(message, result["text"].as_str().unwrap_or("no text"));
    assert!(message.contains("function create_order") && message.contains("sqs:SendMessage"), "{message}");
    client.shutdown();
}

const OTHER: &str = r#"function other {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/other.zip"
  send jobs
}
"#;
