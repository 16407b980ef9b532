//! The language server reuses the parse of each file whose text is
//! unchanged (`reparse`): what it publishes must be what a fresh check
//! gives. Against the binary over stdio: an edit of a file that another
//! file references updates the other file's diagnostics, in both
//! directions, and a file added before the others and removed again (each
//! moves every file's id) leaves each diagnostic in its own file at its own place.

mod lsp_client;

use lsp_client::{uri, Client, TempDir};
use serde_json::{json, Value};

const QUEUES: &str = "queue jobs {}\n";
const WORKER: &str =
    "function worker {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"w.zip\"\n  send jobs\n}\n";

/// Each diagnostic as `code@line:character`.
fn placed(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            format!("{}@{}:{}", d["code"].as_str().unwrap_or("?"), start["line"], start["character"])
        })
        .collect()
}

/// The diagnostics published for both files after one change.
fn both(client: &mut Client, queues: &str, worker: &str) -> (Vec<String>, Vec<String>) {
    let queues = placed(&client.diagnostics(queues));
    let worker = placed(&client.diagnostics(worker));
    (queues, worker)
}

#[test]
fn an_edit_of_a_referenced_file_updates_the_file_that_references_it() {
    let dir = TempDir::new("lsp-reuse");
    let (queues, worker) = (uri(&dir.path().join("queues.lf")), uri(&dir.path().join("worker.lf")));
    let mut client = Client::start();
    client.open(&queues, QUEUES);
    client.diagnostics(&queues);
    client.open(&worker, WORKER);
    assert_eq!(both(&mut client, &queues, &worker), (vec![], vec![]), "clean to start with");

    // The referenced file changes; the worker's text (and parse) does not.
    client.change(&queues, 2, "queue tasks {}\n");
    let (_, in_worker) = both(&mut client, &queues, &worker);
    assert_eq!(in_worker, ["LF1002@4:7"], "the unknown name where the unchanged worker names it");
    client.change(&queues, 3, "# the queue\nqueue jobs {}\n");
    assert_eq!(both(&mut client, &queues, &worker), (vec![], vec![]), "fixed again by the other file");

    // The referencing file changes; the referenced one does not.
    client.change(&worker, 2, &WORKER.replace("send jobs", "send tasks"));
    let (_, in_worker) = both(&mut client, &queues, &worker);
    assert_eq!(in_worker, ["LF1002@4:7"]);
    client.change(&queues, 4, "queue tasks {}\n");
    assert_eq!(both(&mut client, &queues, &worker), (vec![], vec![]));

    // A syntax error in the referenced file: its own diagnostic, and the
    // worker's reference to what it no longer declares is not reported
    // as unknown (the block that does not parse still declares its name).
    client.change(&queues, 5, "queue tasks {\n");
    let (in_queues, in_worker) = both(&mut client, &queues, &worker);
    assert_eq!(in_queues.len(), 1, "{in_queues:?}");
    assert_eq!(in_worker, Vec::<String>::new());
    client.change(&queues, 6, "queue tasks {}\n");
    assert_eq!(both(&mut client, &queues, &worker), (vec![], vec![]));
    client.shutdown();
}

#[test]
fn a_file_added_before_the_others_moves_no_diagnostic() {
    let dir = TempDir::new("lsp-reuse-ids");
    let (queues_path, worker_path) = (dir.path().join("queues.lf"), dir.path().join("worker.lf"));
    std::fs::write(&queues_path, QUEUES).expect("write");
    let broken = WORKER.replace("send jobs", "send jbos");
    std::fs::write(&worker_path, &broken).expect("write");
    let worker = uri(&worker_path);
    let mut client = Client::start();
    client.open(&worker, &broken);
    assert_eq!(placed(&client.diagnostics(&worker)), ["LF1002@4:7"]);

    // `aaa.lf` sorts first: every other file's id moves by one.
    let first = dir.path().join("aaa.lf");
    std::fs::write(&first, "topic alerts {\n").expect("write");
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&first), "type": 1 }] }));
    let in_first = placed(&client.diagnostics(&uri(&first)));
    assert_eq!(in_first.len(), 1, "the new file's syntax error is its own: {in_first:?}");
    assert_eq!(placed(&client.diagnostics(&worker)), ["LF1002@4:7"], "the worker's error stays in the worker");

    // Deleted again: every id moves back.
    std::fs::remove_file(&first).expect("remove");
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&first), "type": 3 }] }));
    assert_eq!(placed(&client.diagnostics(&uri(&first))), Vec::<String>::new(), "cleared with the file");
    assert_eq!(placed(&client.diagnostics(&worker)), ["LF1002@4:7"], "still the worker's own error");

    client.change(&worker, 2, WORKER);
    assert_eq!(placed(&client.diagnostics(&worker)), Vec::<String>::new());
    client.shutdown();
}
