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
}

impl Client {
    /// Starts the server and initializes it.
    pub fn start() -> Client {
        Client::start_on(TODAY)
    }

    /// Starts the server with `LAMBDAFORM_TODAY` set to `today`.
    pub fn start_on(today: &str) -> Client {
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
        let mut client = Client { child, stdin, incoming, queued: VecDeque::new(), next_id: 1 };
        let result = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        assert!(result["capabilities"]["hoverProvider"].as_bool().unwrap_or(false), "capabilities: {result}");
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
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to the server");
        self.stdin.flush().expect("flush");
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
    serde_json::from_slice(&body).ok()
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
