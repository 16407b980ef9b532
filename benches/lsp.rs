//! How long the language server takes from `didChange` to the
//! `publishDiagnostics` it answers with, on a generated app of 1,000
//! functions, whole-document and incremental (target: median under 15 ms),
//! and on each example; and how long semantic tokens take for the
//! 1,000-function app, whole and by delta after an edit (target: under
//! 20 ms). Run with `cargo bench --bench lsp`; it prints the figures and
//! fails nothing.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use lsp_client::{uri, Client, TempDir};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const ROUNDS: usize = 30;
/// didChange → publishDiagnostics at 1,000 functions (issue 19).
const CHANGE_TARGET: Duration = Duration::from_millis(15);
/// Semantic tokens for the 1,000-function app (issue 19).
const TOKENS_TARGET: Duration = Duration::from_millis(20);

/// An app of `functions` functions, each with its settings, four verbs and
/// an environment that reads two resources, over a table, a queue and a topic.
/// Every function has the same shape (what it touches), so their grants
/// are merged once: [`varied_app`] is the app where none is alike.
fn generated_app(functions: usize) -> String {
    let mut out = String::from(
        "app big { region = \"eu-west-1\" }\n\ntable orders {\n  key    = \"id\"\n  stream = new_image\n}\n\n\
         queue jobs    {}\ntopic alerts  {}\n",
    );
    for i in 0..functions {
        out.push_str(&format!(
            "\nfunction f{i} {{\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f{i}.zip\"\n  \
             memory  = 512MB\n  timeout = 10s\n  env     = {{ TABLE = orders.name, QUEUE = jobs.url }}\n\n  \
             read    orders\n  write   orders\n  send    jobs\n  publish alerts\n}}\n"
        ));
    }
    out
}

/// [`generated_app`] where each function writes a table of its own
/// (declared after it): no two functions have the same grants.
fn varied_app(functions: usize) -> String {
    let mut out = String::new();
    for (i, function) in generated_app(functions).split("\nfunction ").enumerate() {
        match i {
            0 => out.push_str(function),
            i => {
                let own = format!("write   t{}\n", i - 1);
                out.push_str("\nfunction ");
                out.push_str(&function.replacen("write   orders\n", &own, 1));
                out.push_str(&format!("\ntable t{} {{\n  key = \"id\"\n}}\n", i - 1));
            }
        }
    }
    out
}

/// Opens `path` with `text`, then times `ROUNDS` full-document changes
/// that alternate between two versions of it; also the server's CPU time
/// per change, which the load of other processes does not inflate.
fn measure(client: &mut Client, path: &Path, text: &str, edited: &str) -> (Vec<Duration>, Option<Duration>) {
    let uri = uri(path);
    client.open(&uri, text);
    client.diagnostics(&uri);
    let changes = |round: usize| json!([{ "text": if round.is_multiple_of(2) { edited } else { text } }]);
    rounds(client, &uri, changes)
}

/// Times `ROUNDS` changes of the open document `uri`, the `round`th made
/// of `changes(round)`.
fn rounds(client: &mut Client, uri: &str, changes: impl Fn(usize) -> Value) -> (Vec<Duration>, Option<Duration>) {
    let mut times = Vec::with_capacity(ROUNDS);
    let cpu_before = client.cpu_time();
    for round in 0..ROUNDS {
        let version = round as i64 + 100;
        let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes(round) });
        client.drain();
        let start = Instant::now();
        client.notify("textDocument/didChange", params);
        client.diagnostics(uri);
        times.push(start.elapsed());
    }
    let cpu = client.cpu_time().zip(cpu_before).map(|(after, before)| (after - before) / ROUNDS as u32);
    times.sort();
    (times, cpu)
}

/// The open document `uri` (holding `text`) changed `ROUNDS` times by a
/// range edit: `512MB` on its first `memory` line becomes `1024MB` and back.
fn measure_incremental(client: &mut Client, uri: &str, text: &str) -> (Vec<Duration>, Option<Duration>) {
    let at = text.find("512MB").expect("a memory line");
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    let range = |width: usize| {
        json!({ "start": { "line": line, "character": character },
                "end": { "line": line, "character": character + width } })
    };
    rounds(client, uri, |round| {
        if round.is_multiple_of(2) {
            json!([{ "range": range(5), "text": "1024MB" }])
        } else {
            json!([{ "range": range(6), "text": "512MB" }])
        }
    })
}

/// Times `ROUNDS` semantic-token requests for the open document `uri`.
fn measure_tokens(client: &mut Client, uri: &str) -> (Vec<Duration>, Option<Duration>) {
    let mut times = Vec::with_capacity(ROUNDS);
    let mut cpu_total = Duration::ZERO;
    for _ in 0..ROUNDS {
        let cpu_before = client.cpu_time();
        let start = Instant::now();
        client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }));
        times.push(start.elapsed());
        cpu_total += client.cpu_time().zip(cpu_before).map_or(Duration::ZERO, |(after, before)| after - before);
    }
    times.sort();
    (times, client.cpu_time().map(|_| cpu_total / ROUNDS as u32))
}

/// Times `ROUNDS` semantic-token delta requests for the open document
/// `uri` (holding `text`), each after a range edit of its first `memory`
/// line (`512MB` to `1024MB` and back) and the diagnostics it brings; the
/// edit itself is not timed. Prints the size of the last delta against the
/// whole tokens.
fn measure_token_deltas(client: &mut Client, uri: &str, text: &str) -> (Vec<Duration>, Option<Duration>) {
    let document = json!({ "uri": uri });
    let full = client.request("textDocument/semanticTokens/full", json!({ "textDocument": document }));
    let mut previous = full["resultId"].as_str().unwrap_or_default().to_string();
    let at = text.find("512MB").expect("a memory line");
    let line = text[..at].matches('\n').count();
    let character = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut times = Vec::with_capacity(ROUNDS);
    let mut cpu_total = Duration::ZERO;
    let mut sent = 0;
    for round in 0..ROUNDS {
        let (width, new_text) = if round.is_multiple_of(2) { (5, "1024MB") } else { (6, "512MB") };
        let range = json!({ "start": { "line": line, "character": character },
                            "end": { "line": line, "character": character + width } });
        let version = 1000 + round as i64;
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "range": range, "text": new_text }] }),
        );
        client.diagnostics(uri);
        let cpu_before = client.cpu_time();
        let start = Instant::now();
        let delta = client.request(
            "textDocument/semanticTokens/full/delta",
            json!({ "textDocument": document, "previousResultId": previous }),
        );
        times.push(start.elapsed());
        cpu_total += client.cpu_time().zip(cpu_before).map_or(Duration::ZERO, |(after, before)| after - before);
        previous = delta["resultId"].as_str().unwrap_or_default().to_string();
        sent = delta["edits"].as_array().into_iter().flatten().map(|e| e["data"].as_array().map_or(0, Vec::len)).sum();
    }
    let whole = full["data"].as_array().map_or(0, Vec::len);
    println!("  (each delta sends {sent} integers in place of the whole tokens' {whole})");
    times.sort();
    (times, client.cpu_time().map(|_| cpu_total / ROUNDS as u32))
}

fn report(name: &str, lines: usize, target: Duration, (times, cpu): (Vec<Duration>, Option<Duration>)) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    let verdict = if median <= target { "ok" } else { "OVER TARGET" };
    let cpu = cpu.map_or("?".to_string(), |cpu| format!("{:.0} ms", ms(cpu)));
    println!(
        "{name:<28} {lines:>6} lines   median {:>7.2} ms   min {:>7.2} ms   p90 {:>7.2} ms   max {:>7.2} ms   \
         server CPU {cpu:>6} a round   {verdict}",
        ms(median),
        ms(times[0]),
        ms(p90),
        ms(times[times.len() - 1])
    );
}

fn main() {
    println!(
        "didChange → publishDiagnostics and semantic tokens, {ROUNDS} rounds each (targets, median: {} ms and {} ms)",
        CHANGE_TARGET.as_millis(),
        TOKENS_TARGET.as_millis()
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!("machine: {cores} core(s), load average {}", load.split_whitespace().next().unwrap_or("?"));
    }
    let mut client = Client::start();

    let dir = TempDir::new("bench");
    let path = dir.path().join("main.lf");
    let text = generated_app(1000);
    let edited = text.replacen("memory  = 512MB", "memory  = 1024MB", 1);
    let figures = measure(&mut client, &path, &text, &edited);
    let lines = text.lines().count();
    report("generated: 1,000 functions", lines, CHANGE_TARGET, figures);
    let figures = measure_incremental(&mut client, &uri(&path), &text);
    report("  the same, incremental", lines, CHANGE_TARGET, figures);
    let figures = measure_tokens(&mut client, &uri(&path));
    report("  semantic tokens, whole", lines, TOKENS_TARGET, figures);
    let figures = measure_token_deltas(&mut client, &uri(&path), &text);
    report("  semantic tokens, delta", lines, TOKENS_TARGET, figures);

    let varied_dir = TempDir::new("bench-varied");
    let varied = varied_dir.path().join("main.lf");
    let text = varied_app(1000);
    let edited = text.replacen("memory  = 512MB", "memory  = 1024MB", 1);
    measure(&mut client, &varied, &text, &edited);
    let figures = measure_incremental(&mut client, &uri(&varied), &text);
    report("no two functions alike, incr.", text.lines().count(), CHANGE_TARGET, figures);

    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut folders: Vec<_> = std::fs::read_dir(&examples)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    folders.sort();
    for folder in folders {
        let path = folder.join("main.lf");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let edited = format!("{text}\n# edited\n");
        let figures = measure(&mut client, &path, &text, &edited);
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        report(&format!("examples/{name}"), text.lines().count(), CHANGE_TARGET, figures);
    }
    client.shutdown();
}
