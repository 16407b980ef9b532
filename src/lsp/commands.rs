//! Commands (`workspace/executeCommand`), each with one argument, an
//! object naming the app by a document's `uri`:
//! - `lambdaform.explain` `{ uri, function?, show? }`: the grants of the app
//!   as the editor has it (open buffers included), as `explain` prints them
//!   (`text`) and as data (`functions`); with `show` (as code lens sends
//!   it), the text is also shown to the user (`window/showMessage`);
//! - `lambdaform.build` `{ uri, out?, target? }` and `lambdaform.plan`
//!   `{ uri, against? | base? }`: the CLI run on the saved folder (`out` and
//!   `against` default to the folder's `out/`), answered with its exit code
//!   and output, and a line on how it went is shown. It runs as a child
//!   process of this binary, so its output never mixes with the protocol
//!   on stdout, and is stopped after `TIMEOUT`.

use super::workspace::{AppKey, Workspace};
use crate::cli::explain::text;
use crate::explain::explain;
use lsp_types::Uri;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const EXPLAIN: &str = "lambdaform.explain";
pub const BUILD: &str = "lambdaform.build";
pub const PLAN: &str = "lambdaform.plan";
pub const ALL: [&str; 3] = [EXPLAIN, BUILD, PLAN];

/// How long a build or plan may run.
const TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Deserialize)]
struct Arguments {
    uri: Uri,
    function: Option<String>,
    out: Option<PathBuf>,
    target: Option<String>,
    against: Option<PathBuf>,
    base: Option<String>,
}

/// Runs `command`; the result, or why it could not run.
pub fn execute(workspace: &mut Workspace, command: &str, arguments: Vec<Value>) -> Result<Value, String> {
    let argument = arguments.into_iter().next().ok_or(format!("{command} takes one argument, {{ \"uri\": ... }}"))?;
    let arguments: Arguments = serde_json::from_value(argument)
        .map_err(|e| format!("{command}: the argument is not {{ \"uri\": ... }}: {e}"))?;
    if command == EXPLAIN {
        let analysis = workspace.analysis(&arguments.uri);
        let functions = explain(&analysis.checked, arguments.function.as_deref());
        return Ok(json!({ "text": text(&functions), "functions": functions }));
    }
    let AppKey::Folder(folder) = Workspace::key(&arguments.uri) else {
        return Err(format!("{command} runs on a saved `.lf` file's folder; save the document first"));
    };
    let out = |given: Option<PathBuf>| folder.join(given.unwrap_or_else(|| "out".into()));
    let mut args: Vec<String> = Vec::new();
    match command {
        BUILD => {
            args.extend(["build".into(), path(&folder), "--out".into(), path(&out(arguments.out))]);
            args.extend(arguments.target.map(|t| format!("--target={t}")));
        }
        PLAN => {
            args.extend(["plan".into(), path(&folder)]);
            match arguments.base {
                Some(base) => args.push(format!("--base={base}")),
                None => args.extend(["--against".into(), path(&out(arguments.against))]),
            }
        }
        other => return Err(format!("lambdaform lsp has no command {other}")),
    }
    // The child judges runtimes on the server's day.
    args.extend(workspace.today.map(|day| format!("--today={day}")));
    let (code, output) = run(&args)?;
    Ok(json!({ "exitCode": code, "output": output }))
}

/// Whether running `command` with `arguments` shows the user a message:
/// a build or plan always does, explain when asked to `show`.
pub fn shows(command: &str, arguments: &[Value]) -> bool {
    command != EXPLAIN || arguments.first().and_then(|a| a.get("show")).and_then(Value::as_bool).unwrap_or(false)
}

/// The message for `window/showMessage`: explain's text, or one line on
/// how a build or plan went.
pub fn summary(command: &str, result: &Value) -> String {
    if command == EXPLAIN {
        return result["text"].as_str().unwrap_or_default().to_string();
    }
    let code = result["exitCode"].as_i64().unwrap_or(0);
    let last = result["output"].as_str().unwrap_or("").lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    format!("{command} (exit {code}): {last}")
}

fn path(path: &Path) -> String {
    path.display().to_string()
}

/// Runs this binary with `args`: its exit code and its output (stderr
/// then stdout).
fn run(args: &[String]) -> Result<(i32, String), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the lambdaform binary: {e}"))?;
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run lambdaform {}: {e}", args[0]))?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = pipe.read_to_end(&mut out);
            String::from_utf8_lossy(&out).into_owned()
        })
    };
    let stdout = child.stdout.take().map(|p| drain(Box::new(p)));
    let stderr = child.stderr.take().map(|p| drain(Box::new(p)));
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "lambdaform {} did not finish in {} s and was stopped",
                    args[0],
                    TIMEOUT.as_secs()
                ));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let text = |handle: Option<std::thread::JoinHandle<String>>| handle.and_then(|h| h.join().ok()).unwrap_or_default();
    let output = format!("{}{}", text(stderr), text(stdout));
    Ok((status.code().unwrap_or(-1), output))
}
