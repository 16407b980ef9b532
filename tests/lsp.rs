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
    assert!(text.contains("`dynamodb:PutItem` (put via write)"), "hover says which verb brought an action: {text}");
    assert!(text.contains("`dynamodb:GetItem` (get via read)"), "{text}");
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
  log_format = 
  on orders { batch = 10, on_failure =  }
  async {
    on_failure = 
  }
}

queue feed {
  subscribe = 
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
    assert_eq!(labels(&mut client, "on_failure = "), ["alerts", "archive", "failed", "feed"]);
    // An async failure destination may also be a bus or a function (the
    // one being typed is declared, though its block does not parse yet).
    assert_eq!(labels(&mut client, "  on_failure = "), ["alerts", "archive", "consumer", "events", "failed", "feed"]);
    assert_eq!(labels(&mut client, "network = "), ["private"]);
    let attributes = labels(&mut client, "on orders { ");
    assert!(attributes.contains(&"bisect".to_string()) && attributes.contains(&"start".to_string()), "{attributes:?}");
    assert!(attributes.contains(&"filters".to_string()), "{attributes:?}");
    // Logging and fan-out come from the stdlib's data: the enumeration,
    // and the topics, buses and buckets a queue may subscribe to.
    assert_eq!(labels(&mut client, "log_format = "), ["json", "text"]);
    assert_eq!(labels(&mut client, "subscribe = "), ["alerts", "archive", "events"]);
    let top = labels(&mut client, "\n\nqueue");
    assert!(top.contains(&"queue".to_string()) && top.contains(&"function".to_string()), "{top:?}");
    client.shutdown();
}

/// A queue subscribed to a bucket: its settings are a bucket trigger's,
/// offered among the queue's attributes and documented on hover; the app
/// checks clean.
#[test]
fn a_queue_subscribed_to_a_bucket_offers_and_explains_its_settings() {
    let dir = TempDir::new("lsp-bucket-subscription");
    let path = dir.path().join("main.lf");
    let app = "app shop { region = \"eu-west-1\" }\n\
        bucket uploads {}\n\
        queue resizing {\n  subscribe = uploads\n  prefix    = \"images/\"\n  events    = [\"s3:ObjectCreated:*\"]\n}\n\
        function resize {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/r.zip\"\n  on resizing\n}\n";
    std::fs::write(&path, app).expect("write the app");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, app);
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new(), "the app checks clean");
    let prefix = hover_text(&mut client, &uri, app, "prefix ");
    assert!(prefix.contains("with `subscribe` to a bucket: only keys that start with this"), "{prefix}");
    let events = hover_text(&mut client, &uri, app, "events ");
    assert!(events.contains("the S3 event types") && events.contains("s3:ObjectCreated:*"), "{events}");
    let typing = format!("{app}queue more {{\n  subscribe = uploads\n  ");
    client.change(&uri, 2, &typing);
    let attributes = completion_labels(&mut client, &uri, &typing);
    for setting in ["events", "prefix", "suffix"] {
        assert!(attributes.contains(&setting.to_string()), "{setting} in {attributes:?}");
    }
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
    let refused = client.request_raw(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": queues_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let reason = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(
        reason.contains("syntax error") && reason.contains("line 1"),
        "a file with syntax errors is not formatted, and says why: {refused}"
    );
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

fn hover_text(client: &mut Client, uri: &str, text: &str, needle: &str) -> String {
    let hover = client.request("textDocument/hover", at(uri, text, needle));
    hover["contents"]["value"].as_str().unwrap_or_default().to_string()
}

/// Typing in the open document `uri`: each call replaces its text with
/// `typed` (the next version) and asks for completion at the end.
fn typing(uri: &str) -> impl FnMut(&mut Client, String) -> Vec<String> + '_ {
    let mut version = 1;
    move |client, typed| {
        version += 1;
        client.change(uri, version, &typed);
        completion_labels(client, uri, &typed)
    }
}

fn completion_labels(client: &mut Client, uri: &str, text: &str) -> Vec<String> {
    let line = text.matches('\n').count();
    let character = text[text.rfind('\n').map_or(0, |i| i + 1)..].encode_utf16().count();
    let position = json!({ "line": line, "character": character });
    let result =
        client.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position }));
    let mut labels: Vec<String> =
        result.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(String::from)).collect();
    labels.sort();
    labels
}

/// After `name.`, an existing resource offers the fields its ARN holds:
/// a table given by its own ARN has no `stream_arn` (LF3036), one given by
/// its stream's ARN has, and one given by an input offers its ARN alone.
#[test]
fn completion_offers_the_fields_an_existing_resource_holds() {
    let dir = TempDir::new("lsp-existing-fields");
    let path = dir.path().join("main.lf");
    let app = "app shop { region = \"eu-west-1\" }\n\
        input ledger_arn {\n  type = string\n  pattern = \"arn:aws:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]+\"\n}\n\
        table created { key = \"id\" }\n\
        existing table orders = \"arn:aws:dynamodb:eu-west-1:123456789012:table/orders\"\n\
        existing table events = \"arn:aws:dynamodb:eu-west-1:123456789012:table/events/stream/2024-05-01\"\n\
        existing table ledger = ledger_arn\n\
        function f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code = \"build/f.zip\"\n\
        read orders\n  read events\n  read ledger\n  read created\n}\n";
    std::fs::write(&path, app).expect("write the app");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, app);
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new(), "the app checks clean");
    let mut version = 1;
    let mut complete = |client: &mut Client, name: &str| {
        version += 1;
        let text = format!("{app}parameter p {{ value = {name}.");
        client.change(&uri, version, &text);
        completion_labels(client, &uri, &text)
    };
    assert_eq!(complete(&mut client, "created"), ["arn", "name", "stream_arn"]);
    assert_eq!(complete(&mut client, "orders"), ["arn", "name"]);
    assert_eq!(complete(&mut client, "events"), ["arn", "name", "stream_arn"]);
    assert_eq!(complete(&mut client, "ledger"), ["arn"]);
}

#[test]
fn hover_and_completion_stay_useful_mid_edit() {
    let dir = TempDir::new("lsp-partial");
    let (main, other) = (dir.path().join("main.lf"), dir.path().join("other.lf"));
    let clean = format!("{CLEAN}\nqueue jobs {{}}\n");
    std::fs::write(&main, &clean).expect("write");
    std::fs::write(&other, "function broken {\n  runtime = 42\n}\n").expect("write");
    let (main, other) = (uri(&main), uri(&other));
    let mut client = Client::start();
    client.open(&main, &clean);
    assert_eq!(codes(&client.diagnostics(&other)), ["LF1007", "LF1007", "LF1005"], "errors in the other file");

    let text = hover_text(&mut client, &main, &clean, "create_order {");
    assert!(
        text.contains("dynamodb:GetItem") && text.contains("logs:PutLogEvents"),
        "grants despite errors elsewhere: {text}"
    );
    assert!(!text.contains("May be incomplete"), "{text}");

    // An unrelated item with an error in the same file.
    let edited = clean.replace("queue jobs {}", "queue jobs { visibility_timeout = 5 }");
    client.drain();
    client.change(&main, 2, &edited);
    assert_eq!(codes(&client.diagnostics(&main)), ["LF1005"]);
    let text = hover_text(&mut client, &main, &edited, "create_order {");
    assert!(text.contains("dynamodb:PutItem") && !text.contains("May be incomplete"), "{text}");

    // An error in the function itself: the grants say they may lack some.
    let edited = clean.replace("  write orders\n", "  write orders\n  send jbos\n");
    client.change(&main, 3, &edited);
    let text = hover_text(&mut client, &main, &edited, "create_order {");
    assert!(text.contains("dynamodb:PutItem"), "{text}");
    assert!(text.contains("May be incomplete: `create_order` has 1 error(s), the first on line 12"), "{text}");

    // A line of the function half typed: the block is read without it.
    let edited = clean.replace("  write orders\n", "  write orders\n  sen\n");
    client.change(&main, 4, &edited);
    let text = hover_text(&mut client, &main, &edited, "create_order {");
    assert!(text.contains("dynamodb:PutItem") && text.contains("logs:PutLogEvents"), "{text}");
    assert!(text.contains("May be incomplete: `create_order` has 1 error(s), the first on line 12"), "{text}");

    // A target declared by an item that does not parse yet (its header
    // line is not whole).
    let sends_later = clean.replace("  write orders\n", "  write orders\n  send later\n");
    let edited = format!("{sends_later}\nqueue later {{ retention =\n}}\n");
    client.change(&main, 5, &edited);
    let text = hover_text(&mut client, &main, &edited, "create_order {");
    assert!(text.contains("May be incomplete: `later` is declared by an item that does not parse yet"), "{text}");

    // A broken line inside the target's block: the block is read without
    // it, so the target is declared and the grant is whole.
    let edited = format!("{sends_later}\nqueue later {{\n  retention =\n}}\n");
    client.drain();
    client.change(&main, 6, &edited);
    assert_eq!(codes(&client.diagnostics(&main)), ["LF0001"]);
    let text = hover_text(&mut client, &main, &edited, "create_order {");
    assert!(text.contains("sqs:SendMessage") && !text.contains("May be incomplete"), "{text}");

    // Completion offers the function being typed and one whose block has a syntax error.
    client.change(&main, 7, &clean);
    let typing = "function half {\n  runtime = = \n}\n\nfunction typing {\n  runtime = \"python3.12\"\n  invoke ";
    client.open(&other, typing);
    client.diagnostics(&other);
    assert_eq!(completion_labels(&mut client, &other, typing), ["create_order", "half", "typing"]);
    let typing = typing.replace("invoke ", "send ");
    client.change(&other, 2, &typing);
    assert_eq!(completion_labels(&mut client, &other, &typing), ["jobs"]);
    client.shutdown();
}

fn format_request(client: &mut Client, uri: &str) -> Value {
    client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    )
}

#[test]
fn formatting_is_minimal_keeps_crlf_and_reads_indented_items() {
    let dir = TempDir::new("lsp-format");
    let uri = uri(&dir.path().join("main.lf"));
    let mut client = Client::start();
    let formatted = CLEAN.replace('\n', "\r\n");
    client.open(&uri, &formatted);
    client.diagnostics(&uri);
    assert_eq!(format_request(&mut client, &uri), json!([]), "a formatted CRLF file needs no edit");

    let one_line_off = formatted.replace("read  orders", "read orders");
    client.change(&uri, 2, &one_line_off);
    let edits = format_request(&mut client, &uri);
    let line = CLEAN.lines().position(|l| l.contains("read  orders")).expect("the line") as u64;
    assert_eq!(
        edits,
        json!([{ "range": { "start": { "line": line, "character": 0 }, "end": { "line": line + 1, "character": 0 } },
                 "newText": "  read  orders\r\n" }]),
        "only the line that changes, in CRLF"
    );

    let indented = "  queue jobs {}\n\n  function f {\n    runtime = \"python3.12\"\n    handler = \"app.handler\"\n    code    = \"f.zip\"\n    send jobs\n  }\n";
    client.drain();
    client.change(&uri, 3, indented);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "indented items are items");
    let edits = format_request(&mut client, &uri);
    assert_eq!(edits.as_array().map(Vec::len), Some(2), "{edits}");
    assert_eq!(edits[0]["newText"], "queue jobs {}\n");
    client.shutdown();
}

/// The UTF-16 range of `needle` in `text`.
fn range_of(text: &str, needle: &str) -> Value {
    let (line, character) = utf16_position(text, needle);
    let width = needle.encode_utf16().count() as u64;
    assert!(!needle.contains('\n'));
    json!({ "start": { "line": line, "character": character }, "end": { "line": line, "character": character + width } })
}

#[test]
fn incremental_changes_in_utf16_ranges() {
    let dir = TempDir::new("lsp-incremental");
    let uri = uri(&dir.path().join("main.lf"));
    let mut client = Client::start();
    assert_eq!(client.capabilities["textDocumentSync"]["change"], 2, "incremental");
    client.open(&uri, BROKEN);
    assert_eq!(codes(&client.diagnostics(&uri)), ["LF1002", "LF1006"]);
    // Two edits in one notification, each after characters of every
    // UTF-16 width on its line; the second range is in the text the first left.
    let after_first = BROKEN.replacen("ordrs", "orders", 1);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [
            { "range": range_of(BROKEN, "ordrs"), "text": "orders" },
            { "range": range_of(&after_first, "64MB"), "text": "128MB" },
        ] }),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new(), "both fixed where they stood");
    let fixed = after_first.replacen("64MB", "128MB", 1);
    let hover = client.request("textDocument/hover", at(&uri, &fixed, "orders.name"));
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("**table** `orders`"), "{hover}");
    // A change across lines: join `read orders` onto the line before.
    let (line, character) = utf16_position(&fixed, "\n  read orders");
    let range =
        json!({ "start": { "line": line, "character": character }, "end": { "line": line + 1, "character": 2 } });
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "range": range, "text": " " }] }),
    );
    client.diagnostics(&uri);
    let joined = fixed.replacen("\n  read orders", " read orders", 1);
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let statements: Vec<&str> =
        symbols[2]["children"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(statements, ["runtime", "handler", "code", "env", "description", "memory", "read orders"], "{joined}");
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
        let mut client = Client::start_on(today, json!({}));
        client.open(&uri, text);
        let diagnostics = client.diagnostics(&uri);
        assert!(codes(&diagnostics).contains(&code), "{today}: {diagnostics:#?}");
        client.shutdown();
    }
}

/// An API's authorizers (issue 14): their attributes hover and complete
/// inside `authorizer NAME { ... }`, `function =` offers functions, and a
/// route's `auth =` offers the API's authorizers beside `none` and `iam`.
#[test]
fn authorizer_blocks_hover_and_complete() {
    let dir = TempDir::new("lsp-authorizers");
    let path = dir.path().join("main.lf");
    let text = "app shop { region = \"eu-west-1\" }\n\napi shop {\n  auth = gate\n\n  authorizer gate {\n    type     = request\n    function = authorize\n    identity = [\"$request.header.Authorization\"]\n    cache    = 5m\n  }\n}\n\nfunction authorize {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n}\n\nfunction orders {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  on shop \"GET /orders\"\n}\n";
    std::fs::write(&path, text).expect("write");
    let main = uri(&path);
    let mut client = Client::start();
    client.open(&main, text);
    assert!(codes(&client.diagnostics(&main)).is_empty(), "the app is clean");
    let hover = hover_text(&mut client, &main, text, "cache    =");
    assert!(hover.contains("api authorizer setting") && hover.contains("0s = no caching"), "{hover}");

    let other = uri(&dir.path().join("other.lf"));
    let typing = "api more {\n  authorizer jwt_one {\n    function = ";
    client.open(&other, typing);
    assert_eq!(completion_labels(&mut client, &other, typing), ["authorize", "orders"]);
    let typing = "api more {\n  authorizer jwt_one {\n    ";
    client.change(&other, 2, typing);
    let labels = completion_labels(&mut client, &other, typing);
    for attribute in ["audience", "cache", "function", "identity", "issuer", "type"] {
        assert!(labels.iter().any(|l| l == attribute), "{attribute} in {labels:?}");
    }
    let typing = "function more {\n  on shop \"GET /x\" { auth = ";
    client.change(&other, 3, typing);
    assert_eq!(completion_labels(&mut client, &other, typing), ["gate", "iam", "none"]);
}

/// REST APIs: the api's attributes and its `usage_plan` block are offered,
/// the plan's attributes inside it, the route option `api_key`, and hover
/// explains the plan's attributes and the certificate kind.
#[test]
fn rest_api_completion_and_hover() {
    let dir = TempDir::new("lsp-rest");
    let path = dir.path().join("main.lf");
    let text = "app shop { region = \"eu-west-1\" }\n\nexisting certificate cert = \"arn:aws:acm:us-east-1:123456789012:certificate/0f7c1d2e-3a4b-5c6d-7e8f-90a1b2c3d4e5\"\n\napi legacy {\n  auth     = none\n  type     = rest\n  endpoint = edge\n  domain   = { name = \"api.shop.example.com\", certificate = cert }\n\n  usage_plan partners {\n    keys  = [\"acme\"]\n    quota = 100\n  }\n}\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  on legacy \"GET /orders\" { api_key = true }\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let quota = hover_text(&mut client, &uri, text, "quota = 100");
    assert!(quota.contains("api usage_plan setting") && quota.contains("requests per period"), "{quota}");
    let endpoint = hover_text(&mut client, &uri, text, "endpoint = edge");
    assert!(endpoint.contains("edge-optimized"), "{endpoint}");

    let mut complete = typing(&uri);
    let labels = complete(&mut client, format!("{text}\napi other {{\n  "));
    for expected in ["domain", "endpoint", "tracing", "type", "usage_plan"] {
        assert!(labels.contains(&expected.to_string()), "{expected} in {labels:?}");
    }
    let in_plan = format!("{text}\napi other {{\n  usage_plan gold {{\n    ");
    assert_eq!(complete(&mut client, in_plan), ["burst", "keys", "period", "quota", "rate"]);
    let period = format!("{text}\napi other {{\n  usage_plan gold {{\n    period = ");
    assert_eq!(complete(&mut client, period), ["day", "month", "week"]);
    let option = format!("{text}\nfunction g {{\n  on legacy \"GET /x\" {{ ");
    assert_eq!(complete(&mut client, option), ["api_key", "auth", "scopes"]);
}

/// A function URL's object completes its keys and their words; `manage`
/// hovers with the one action it grants, on one API's connections.
#[test]
fn function_url_and_manage_in_the_editor() {
    let dir = TempDir::new("lsp-front-door");
    let path = dir.path().join("main.lf");
    let text = r#"app chat { region = "eu-west-1" }

api chat {
  type = websocket
}

function send {
  runtime = "nodejs22.x"
  handler = "index.handler"
  code    = "build/send.zip"
  manage chat
  on chat "sendMessage"
  url = { auth = iam, invoke_mode = stream }
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
    assert_eq!(labels(&mut client, "url = { "), ["auth", "cors", "invoke_mode"]);
    assert_eq!(labels(&mut client, "invoke_mode = "), ["buffered", "stream"]);
    let hover = hover_text(&mut client, &uri, text, "manage");
    assert!(hover.contains("execute-api:ManageConnections"), "{hover}");
    let hover = hover_text(&mut client, &uri, text, "send {");
    assert!(hover.contains("/live/POST/@connections/*"), "{hover}");
}

const INPUTS: &str = r#"app envs { region = "eu-west-1" }

input private_subnets {
  type    = list
  pattern = "subnet-[0-9a-f]{8,17}"
  default = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  doc     = "the VPC's private subnets"
}
input partner_account { type = string }
input render_image { type = string }

network private {
  subnets         = private_subnets
  security_groups = ["sg-0123456789abcdef0"]
}

function f {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  network = private
  allow invoke from account partner_account
}

function render {
  image = render_image
}
"#;

#[test]
fn inputs_are_hovered_and_offered_where_they_stand() {
    let dir = TempDir::new("lsp-inputs");
    let main = dir.path().join("main.lf");
    std::fs::write(&main, INPUTS).expect("write");
    let main = uri(&main);
    let mut client = Client::start();
    client.open(&main, INPUTS);
    assert_eq!(codes(&client.diagnostics(&main)), Vec::<&str>::new());

    let text = hover_text(&mut client, &main, INPUTS, "private_subnets\n  security");
    assert!(text.contains("**input** `private_subnets` (list)"), "{text}");
    assert!(text.contains("the VPC's private subnets"), "{text}");
    assert!(
        text.contains(
            "CloudFormation parameter `PrivateSubnets` (`CommaDelimitedList`), Terraform `var.private_subnets`"
        ),
        "{text}"
    );
    let text = hover_text(&mut client, &main, INPUTS, "partner_account\n}");
    assert!(text.contains("**input** `partner_account` (string)"), "{text}");
    // An image input without a pattern of its own: the form the compiler checks.
    let text = hover_text(&mut client, &main, INPUTS, "render_image\n}");
    assert!(text.contains(r"pattern: `[0-9]{12}\.dkr\.ecr\.eu-west-1\.amazonaws\.com"), "{text}");

    // Where an input may stand, those of the right type; in an input block, its attributes.
    let typing = "network other {\n  subnets = ";
    let other = uri(&dir.path().join("other.lf"));
    client.open(&other, typing);
    client.diagnostics(&other);
    assert_eq!(completion_labels(&mut client, &other, typing), ["private_subnets"]);
    let typing = "function g {\n  allow invoke from account ";
    client.change(&other, 2, typing);
    assert_eq!(completion_labels(&mut client, &other, typing), ["partner_account", "render_image"]);
    let typing = "function h {\n  image = ";
    client.change(&other, 3, typing);
    assert_eq!(completion_labels(&mut client, &other, typing), ["partner_account", "render_image"]);
    let typing = "input region_name {\n  type = ";
    client.change(&other, 4, typing);
    assert_eq!(completion_labels(&mut client, &other, typing), ["list", "number", "string"]);
    client.shutdown();
}

/// A table's `index` block: offered in the table, its attributes inside
/// it, and hover explains them; `get` and `query` are offered as verbs on
/// a table.
#[test]
fn table_index_completion_and_hover() {
    let dir = TempDir::new("lsp-table-index");
    let path = dir.path().join("main.lf");
    let text = "app shop { region = \"eu-west-1\" }\n\ntable items {\n  key = \"id\"\n  ttl = \"expires_at\"\n\n  index by_category {\n    key  = \"category\"\n    sort = \"created_at\"\n  }\n}\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  query items\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let sort = hover_text(&mut client, &uri, text, "sort = \"created_at\"");
    assert!(sort.contains("table index setting") && sort.contains("the index's sort key"), "{sort}");
    let ttl = hover_text(&mut client, &uri, text, "ttl = ");
    assert!(ttl.contains("expiry"), "{ttl}");

    let mut complete = typing(&uri);
    let labels = complete(&mut client, format!("{text}\ntable other {{\n  "));
    for expected in ["index", "key", "sort", "stream", "ttl"] {
        assert!(labels.contains(&expected.to_string()), "{expected} in {labels:?}");
    }
    let in_index = format!("{text}\ntable other {{\n  index by_day {{\n    ");
    assert_eq!(complete(&mut client, in_index), ["key", "key_type", "sort", "sort_type"]);
    let verbs = complete(&mut client, format!("{text}\nfunction g {{\n  "));
    for expected in ["get", "query", "read"] {
        assert!(verbs.contains(&expected.to_string()), "{expected} in {verbs:?}");
    }
}

/// A stream trigger offers `tumbling_window` beside its other options (a
/// queue trigger does not), and hover says what the window does.
#[test]
fn tumbling_window_completion_and_hover() {
    let dir = TempDir::new("lsp-tumbling-window");
    let path = dir.path().join("main.lf");
    let text = "app tallies { region = \"eu-west-1\" }\n\nstream clicks {}\nqueue jobs {}\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  on clicks { tumbling_window = 5m }\n  on jobs\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let hover = hover_text(&mut client, &uri, text, "tumbling_window");
    assert!(hover.contains("TumblingWindowInSeconds") && hover.contains("`state`"), "{hover}");

    let mut complete = typing(&uri);
    let on_stream = complete(&mut client, format!("{text}\nfunction g {{\n  on clicks {{ "));
    assert!(on_stream.contains(&"tumbling_window".to_string()), "{on_stream:?}");
    let on_queue = complete(&mut client, format!("{text}\nfunction g {{\n  on jobs {{ "));
    assert!(
        on_queue.contains(&"batch".to_string()) && !on_queue.contains(&"tumbling_window".to_string()),
        "{on_queue:?}"
    );
}

/// A stream trigger offers `consumer` (a table trigger does not) and its
/// two values; hover says what `dedicated` registers, and the function's
/// hover lists the grants on its consumer.
#[test]
fn stream_consumer_completion_and_hover() {
    let dir = TempDir::new("lsp-stream-consumer");
    let path = dir.path().join("main.lf");
    let text = "app tallies { region = \"eu-west-1\" }\n\nstream clicks {}\ntable orders {\n  key    = \"id\"\n  stream = new_image\n}\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  on clicks { consumer = dedicated }\n  on orders\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let hover = hover_text(&mut client, &uri, text, "consumer =");
    assert!(hover.contains("enhanced fan-out") && hover.contains("`dedicated`"), "{hover}");
    let function = hover_text(&mut client, &uri, text, "f {");
    assert!(function.contains("kinesis:SubscribeToShard") && function.contains("clicks.consumer(f)"), "{function}");

    let mut complete = typing(&uri);
    let on_stream = complete(&mut client, format!("{text}\nfunction g {{\n  on clicks {{ "));
    assert!(on_stream.contains(&"consumer".to_string()), "{on_stream:?}");
    let values = complete(&mut client, format!("{text}\nfunction g {{\n  on clicks {{ consumer = "));
    assert_eq!(values, ["dedicated", "shared"]);
    let on_table = complete(&mut client, format!("{text}\nfunction g {{\n  on orders {{ "));
    assert!(on_table.contains(&"batch".to_string()) && !on_table.contains(&"consumer".to_string()), "{on_table:?}");
}

/// `respond` is offered among a function's verbs with the state machines
/// it may name, and hover says what it grants and why on `*`.
#[test]
fn respond_completion_and_hover() {
    let dir = TempDir::new("lsp-respond");
    std::fs::create_dir_all(dir.path().join("flows")).expect("flows");
    let flow = r#"{ "StartAt": "Ship", "States": { "Ship": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": { "QueueUrl": "${shipments.url}", "MessageBody": { "token.$": "$$.Task.Token" } }, "End": true } } }"#;
    std::fs::write(dir.path().join("flows/ship.asl.json"), flow).expect("write the definition");
    let path = dir.path().join("main.lf");
    let text = "app shipping { region = \"eu-west-1\" }\n\nqueue shipments {}\n\nstate_machine shipping { definition = \"flows/ship.asl.json\" }\n\nfunction ship {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  on shipments\n  respond shipping\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let hover = hover_text(&mut client, &uri, text, "respond shipping");
    assert!(hover.contains("states:SendTaskSuccess") && hover.contains("only on *"), "{hover}");

    let mut complete = typing(&uri);
    let verbs = complete(&mut client, format!("{text}\nfunction g {{\n  "));
    assert!(verbs.contains(&"respond".to_string()), "{verbs:?}");
    let targets = complete(&mut client, format!("{text}\nfunction g {{\n  respond "));
    assert_eq!(targets, ["shipping"]);
}

/// A WebSocket API's authorizer block completes its attributes, `auth` on
/// the API offers it, and hover on `identity` shows the WebSocket form.
#[test]
fn websocket_authorizer_in_the_editor() {
    let dir = TempDir::new("lsp-websocket-authorizer");
    let path = dir.path().join("main.lf");
    let text = "app chat { region = \"eu-west-1\" }\n\napi chat {\n  type = websocket\n  auth = members\n\n  authorizer members {\n    type     = request\n    function = authorize\n    identity = [\"route.request.querystring.token\"]\n  }\n}\n\nfunction authorize {\n  runtime = \"nodejs22.x\"\n  handler = \"index.authorize\"\n  code    = \"build/a.zip\"\n}\n\nfunction on_connect {\n  runtime = \"nodejs22.x\"\n  handler = \"index.connect\"\n  code    = \"build/c.zip\"\n  on chat \"$connect\"\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let identity = hover_text(&mut client, &uri, text, "identity =");
    assert!(identity.contains("route.request.querystring.token"), "{identity}");

    let mut complete = typing(&uri);
    let in_block = format!("{text}\napi other {{\n  type = websocket\n  authorizer gate {{\n    ");
    let labels = complete(&mut client, in_block);
    for expected in ["function", "identity", "type"] {
        assert!(labels.contains(&expected.to_string()), "{expected} in {labels:?}");
    }
    let on_connect = format!("{text}\nfunction g {{\n  on chat \"$connect\" {{ auth = ");
    let labels = complete(&mut client, on_connect);
    assert!(labels.contains(&"members".to_string()) && labels.contains(&"iam".to_string()), "{labels:?}");
}

/// `encryption` is offered among a queue's attributes with the keys it may
/// name (not the queues), hover on the verb of an encrypted queue lists the
/// key's grant on the key's ARN, and one of an unencrypted queue does not.
#[test]
fn encryption_completion_and_hover() {
    let dir = TempDir::new("lsp-encryption");
    let path = dir.path().join("main.lf");
    let text = "app vault { region = \"eu-west-1\" }\n\nkey vault_key {}\n\nqueue jobs { encryption = vault_key }\nqueue plain {}\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  send jobs\n  send plain\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let attribute = hover_text(&mut client, &uri, text, "encryption");
    assert!(attribute.contains("KmsMasterKeyId") && attribute.contains("kms:GenerateDataKey"), "{attribute}");
    let encrypted = hover_text(&mut client, &uri, text, "send jobs");
    assert!(encrypted.contains("`kms:Decrypt`, `kms:GenerateDataKey` on `vault_key.arn`"), "{encrypted}");
    let plain = hover_text(&mut client, &uri, text, "send plain");
    assert!(plain.contains("sqs:SendMessage") && !plain.contains("kms:"), "{plain}");

    let mut complete = typing(&uri);
    let attributes = complete(&mut client, format!("{text}\nqueue more {{\n  "));
    assert!(attributes.contains(&"encryption".to_string()), "{attributes:?}");
    let keys = complete(&mut client, format!("{text}\nqueue more {{\n  encryption = "));
    assert_eq!(keys, ["vault_key"]);
}

/// A function's `encryption`: its hover says what the key encrypts and
/// the grant it brings, completion offers it and the app's keys, and
/// hovering the function shows the role's `kms:Decrypt` on the key. An
/// existing function's body takes nothing: its key is its own role's.
#[test]
fn a_functions_key_is_offered_and_explained() {
    let dir = TempDir::new("lsp-function-key");
    let path = dir.path().join("main.lf");
    let text = "app vault { region = \"eu-west-1\" }\n\nkey vault_key {}\n\nfunction configured {\n  runtime    = \"python3.12\"\n  handler    = \"app.handler\"\n  code       = \"build/f.zip\"\n  env        = { MODE = \"live\" }\n  encryption = vault_key\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());

    let attribute = hover_text(&mut client, &uri, text, "encryption");
    assert!(attribute.contains("KmsKeyArn") && attribute.contains("kms:Decrypt"), "{attribute}");
    let function = hover_text(&mut client, &uri, text, "configured");
    assert!(function.contains("kms:Decrypt") && function.contains("vault_key.arn"), "{function}");

    let mut complete = typing(&uri);
    let attributes = complete(&mut client, format!("{text}\nfunction more {{\n  "));
    assert!(attributes.contains(&"encryption".to_string()), "{attributes:?}");
    let keys = complete(&mut client, format!("{text}\nfunction more {{\n  encryption = "));
    assert_eq!(keys, ["vault_key"]);
    let existing =
        format!("{text}\nexisting function other = \"arn:aws:lambda:eu-west-1:210987654321:function:other\" {{\n  ");
    assert_eq!(complete(&mut client, existing), Vec::<String>::new());
}

/// In an existing resource's body, the only attribute offered is the one
/// that says how it is read (`encryption`), with the keys it may name.
#[test]
fn an_existing_resource_offers_its_key_alone() {
    let dir = TempDir::new("lsp-existing-key");
    let path = dir.path().join("main.lf");
    let text = "app shop { region = \"eu-west-1\" }\n\nexisting key partner_key = \"arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\nexisting queue inbox = \"arn:aws:sqs:eu-west-1:210987654321:inbox\" { encryption = partner_key }\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n  send inbox\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert!(codes(&client.diagnostics(&uri)).is_empty());
    let send = hover_text(&mut client, &uri, text, "send inbox");
    assert!(send.contains("kms:GenerateDataKey") && send.contains("key/1234abcd"), "{send}");

    let mut complete = typing(&uri);
    let typed = format!("{text}\nexisting queue other = \"arn:aws:sqs:eu-west-1:210987654321:other\" {{\n  ");
    assert_eq!(complete(&mut client, typed.clone()), ["encryption"]);
    assert_eq!(complete(&mut client, format!("{typed}encryption = ")), ["partner_key"]);
    // A SecureString parameter says its key the same way.
    let parameter = format!("{text}\nexisting parameter token = \"/ops/token\" {{\n  ");
    assert_eq!(complete(&mut client, parameter), ["encryption"]);
}

/// A `defaults function { ... }` block: hovering its word says which
/// functions take each attribute, a function's hover marks what it took,
/// an attribute's hover is the kind's with how many take it, the inlay
/// hint after a function's name shows the sizes and durations it took;
/// completion offers `defaults`, the kinds after it, and in its body the
/// attributes a default may give (no verb, no trigger, no `url`) with
/// their values.
#[test]
fn defaults_are_hovered_and_offered() {
    let dir = TempDir::new("lsp-defaults");
    let path = dir.path().join("main.lf");
    let text = "app shop { region = \"eu-west-1\" }\n\nnetwork private {\n  subnets         = [\"subnet-0a1b2c3d4e5f60718\", \"subnet-0f1e2d3c4b5a69788\"]\n  security_groups = [\"sg-0123456789abcdef0\"]\n}\n\ndefaults function {\n  runtime = \"python3.13\"\n  handler = \"app.handler\"\n  memory  = 512MB\n  network = private\n}\n\nfunction small {\n  code = \"build/small.zip\"\n}\n\nfunction large {\n  code   = \"build/large.zip\"\n  memory = 2GB\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<&str>::new());

    let block = hover_text(&mut client, &uri, text, "defaults function");
    assert!(block.contains("- `memory`: taken by 1 of 2 functions"), "{block}");
    assert!(block.contains("- `runtime`: taken by 2 of 2 functions"), "{block}");
    let small = hover_text(&mut client, &uri, text, "small");
    let line = |hover: &str, end: &str| hover.lines().any(|l| l.starts_with("memory ") && l.ends_with(end));
    assert!(line(&small, "= 512MB  # from defaults"), "{small}");
    assert!(small.contains("ec2:CreateNetworkInterface"), "the network's grants: {small}");
    let large = hover_text(&mut client, &uri, text, "large");
    assert!(line(&large, "= 2GB"), "its own value: {large}");
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 30, "character": 0 } });
    let hints = client.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": whole }));
    let labels: Vec<&str> = hints.as_array().into_iter().flatten().filter_map(|h| h["label"].as_str()).collect();
    assert!(labels.contains(&"memory 512MB, timeout 3s, storage 512MB, log_retention 30d"), "{labels:?}");
    assert!(labels.contains(&"timeout 3s, storage 512MB, log_retention 30d"), "{labels:?}");
    let attribute = hover_text(&mut client, &uri, text, "memory  = 512MB");
    assert!(attribute.contains("(function attribute)") && attribute.contains("128MB..10240MB"), "{attribute}");
    assert!(attribute.contains("Taken by 1 of the 2 functions the app creates"), "{attribute}");

    let mut complete = typing(&uri);
    let top = complete(&mut client, format!("{text}\n"));
    assert!(top.contains(&"defaults".to_string()), "{top:?}");
    let kinds = complete(&mut client, format!("{text}\ndefaults "));
    assert!(kinds.contains(&"queue".to_string()) && kinds.contains(&"function".to_string()), "{kinds:?}");
    let inside = complete(&mut client, format!("{text}\ndefaults queue {{\n  "));
    assert!(inside.contains(&"visibility_timeout".to_string()), "{inside:?}");
    let inside = complete(&mut client, format!("{text}\ndefaults api {{\n  "));
    assert!(inside.contains(&"auth".to_string()) && !inside.contains(&"cors".to_string()), "{inside:?}");
    let in_block = &text[..text.find("  network = private").expect("the network line")];
    let function = complete(&mut client, format!("{in_block}  "));
    assert!(function.contains(&"timeout".to_string()), "{function:?}");
    assert!(!function.iter().any(|l| ["url", "read", "on", "write"].contains(&l.as_str())), "{function:?}");
    let networks = complete(&mut client, format!("{in_block}  network = "));
    assert_eq!(networks, ["private"]);
}

/// SES identities and configuration sets, kinds of the stdlib: offered
/// after `existing` and after `send`, and a `send` hovered with the grant
/// on that identity alone.
#[test]
fn email_senders_are_hovered_and_offered() {
    let dir = TempDir::new("lsp-email");
    let path = dir.path().join("main.lf");
    let text = "app mailer { region = \"eu-west-1\" }\n\nexisting email_identity site = \"mail.example.com\"\nexisting configuration_set tracking = \"contact-form\"\nqueue outbox {}\n\nfunction deliver {\n  runtime = \"python3.13\"\n  handler = \"deliver.handler\"\n  code    = \"build/deliver.zip\"\n  send site\n  send tracking\n  send outbox\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<&str>::new());

    let send = hover_text(&mut client, &uri, text, "send site");
    assert!(send.contains("ses:SendEmail") && send.contains("identity/mail.example.com"), "{send}");
    assert!(!send.contains("configuration-set"), "only the identity it names: {send}");
    let identity = hover_text(&mut client, &uri, text, "email_identity site");
    assert!(identity.contains("email_identity"), "{identity}");

    let mut complete = typing(&uri);
    let kinds = complete(&mut client, format!("{text}\nexisting "));
    assert!(
        kinds.contains(&"email_identity".to_string()) && kinds.contains(&"configuration_set".to_string()),
        "{kinds:?}"
    );
    let body = &text[..text.find("  send site").expect("the send line")];
    let targets = complete(&mut client, format!("{body}  send "));
    for name in ["site", "tracking", "outbox"] {
        assert!(targets.contains(&name.to_string()), "{name} in {targets:?}");
    }
}

/// Bedrock models and inference profiles: offered after `existing` and
/// `invoke`, and an `invoke` of a profile hovered with both its grants,
/// the routed model's condition and why its Region is `*`.
#[test]
fn bedrock_models_are_hovered_and_offered() {
    let dir = TempDir::new("lsp-bedrock");
    let path = dir.path().join("main.lf");
    let text = "app assistant { region = \"eu-west-1\" }\n\nexisting model titan = \"amazon.titan-embed-text-v2:0\"\nexisting inference_profile claude = \"eu.anthropic.claude-sonnet-4-5-20250929-v1:0\"\n\nfunction ask {\n  runtime = \"python3.13\"\n  handler = \"ask.handler\"\n  code    = \"build/ask.zip\"\n  invoke titan\n  invoke claude\n}\n";
    std::fs::write(&path, text).expect("write");
    let uri = uri(&path);
    let mut client = Client::start();
    client.open(&uri, text);
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<&str>::new());

    let profile = hover_text(&mut client, &uri, text, "invoke claude");
    assert!(profile.contains("inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0"), "{profile}");
    assert!(profile.contains("foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"), "{profile}");
    assert!(profile.contains("bedrock:InferenceProfileArn"), "the condition: {profile}");
    let model = hover_text(&mut client, &uri, text, "invoke titan");
    assert!(
        model.contains("foundation-model/amazon.titan-embed-text-v2:0") && !model.contains("InferenceProfileArn"),
        "{model}"
    );

    let mut complete = typing(&uri);
    let kinds = complete(&mut client, format!("{text}\nexisting "));
    for kind in ["model", "inference_profile", "knowledge_base", "guardrail"] {
        assert!(kinds.contains(&kind.to_string()), "{kind} in {kinds:?}");
    }
    let body = &text[..text.find("  invoke titan").expect("the invoke line")];
    let targets = complete(&mut client, format!("{body}  invoke "));
    assert!(targets.contains(&"titan".to_string()) && targets.contains(&"claude".to_string()), "{targets:?}");
}
