//! A small LSP client for the tests and the benchmark: starts
//! `lambdaform lsp`, speaks JSON-RPC with Content-Length framing over its
//! stdio, and never waits without a timeout.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// The day the server judges runtimes on (tests/common's `TODAY`): no
/// test depends on the clock.
pub const TODAY: &str = "2026-08-16";

/// How long any answer may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications that arrived while waiting for something else.
    queued: VecDeque<Value>,
    next_id: i64,
    /// The server's capabilities, as `initialize` answered.
    pub capabilities: Value,
}

impl Client {
    /// Starts the server and initializes it, for a client that declares no capabilities.
    pub fn start() -> Client {
        Client::start_with(json!({}))
    }

    /// Starts the server and initializes it with the client's `capabilities`.
    pub fn start_with(capabilities: Value) -> Client {
        Client::start_on(TODAY, capabilities)
    }

    /// Starts the server with `LAMBDAFORM_TODAY` set to `today`.
    pub fn start_on(today: &str, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lambdaform"))
            .arg("lsp")
            .env("LAMBDAFORM_TODAY", today)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start lambdaform lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client =
            Client { child, stdin, incoming, queued: VecDeque::new(), next_id: 1, capabilities: Value::Null };
        let params = json!({ "processId": null, "rootUri": null, "capabilities": capabilities });
        let result = client.request("initialize", params);
        assert!(result["capabilities"]["hoverProvider"].as_bool().unwrap_or(false), "capabilities: {result}");
        client.capabilities = result["capabilities"].clone();
        client.notify("initialized", json!({}));
        client
    }

    /// The server's CPU time so far (user and system), where the system
    /// tells it (`/proc` on Linux; clock ticks taken as 1/100 s).
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_millis(ticks * 10))
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).expect("serialize");
        self.send_raw(body.as_bytes());
    }

    /// Sends `body` as one framed message, whatever bytes it holds.
    pub fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write to the server");
        self.stdin.write_all(body).expect("write to the server");
        self.stdin.flush().expect("flush");
    }

    /// The next message that is not a notification or a request from
    /// the server: a response, to a request or to a malformed message.
    pub fn response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline).unwrap_or_else(|| panic!("no response in {TIMEOUT:?}"));
            if message.get("method").is_none() {
                return message;
            }
            self.queued.push_back(message);
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline).unwrap_or_else(|| panic!("no answer to {method} in {TIMEOUT:?}"));
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.queued.push_back(message);
        }
    }

    /// Sends a request and returns its `result`, failing on an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.incoming.recv_timeout(left).ok()
    }

    /// The next `publishDiagnostics` for `uri`, queued or still to come.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for =
            |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"].as_str() == Some(uri);
        if let Some(i) = self.queued.iter().position(is_for) {
            let message = self.queued.remove(i).expect("queued");
            return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline).unwrap_or_else(|| panic!("no diagnostics for {uri} in {TIMEOUT:?}"));
            if is_for(&message) {
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            self.queued.push_back(message);
        }
    }

    /// The next request the server sends with `method` (queued or still to come).
    pub fn server_request(&mut self, method: &str) -> Value {
        self.next_from_server(method, true)
    }

    /// The next notification the server sends with `method` (queued or still to come).
    pub fn notification(&mut self, method: &str) -> Value {
        self.next_from_server(method, false)
    }

    fn next_from_server(&mut self, method: &str, request: bool) -> Value {
        let is_it = |m: &Value| m["method"] == method && m.get("id").is_some() == request;
        if let Some(i) = self.queued.iter().position(is_it) {
            return self.queued.remove(i).expect("queued");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message =
                self.receive(deadline).unwrap_or_else(|| panic!("no {method} from the server in {TIMEOUT:?}"));
            if is_it(&message) {
                return message;
            }
            self.queued.push_back(message);
        }
    }

    /// Answers a request of the server's.
    pub fn respond(&mut self, id: &Value, result: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
    }

    /// Forgets every message received so far.
    pub fn drain(&mut self) {
        self.queued.clear();
        while self.incoming.recv_timeout(Duration::from_millis(50)).is_ok() {}
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "lambdaform", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    pub fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// `shutdown`, `exit`, and the server must end by itself.
    pub fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null);
        assert!(result.is_null(), "shutdown answered {result}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait().expect("wait for the server") {
                Some(status) => {
                    assert!(status.success(), "the server exited with {status}");
                    return;
                }
                None if Instant::now() > deadline => panic!("the server did not exit after `exit`"),
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    let message: Value = serde_json::from_slice(&body).ok()?;
    // JSON-RPC 2.0 requires the member of every message; strict clients
    // drop a message without it.
    assert_eq!(message["jsonrpc"], "2.0", "a message without \"jsonrpc\": \"2.0\": {message}");
    Some(message)
}

/// A fresh folder under the system's temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("lambdaform-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temporary folder");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `file://` URI of an absolute path made of plain characters.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The byte offset of an LSP position (0-based line, UTF-16 character).
pub fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap_or(0) as usize;
    let character = position["character"].as_u64().unwrap_or(0) as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with LSP `TextEdit`s applied (they do not overlap).
pub fn apply_edits(text: &str, edits: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let new_text = e["newText"].as_str().unwrap_or_default().to_string();
            (offset(text, &e["range"]["start"]), offset(text, &e["range"]["end"]), new_text)
        })
        .collect();
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}
