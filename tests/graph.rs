//! `lambdaform graph`: routes and names reach the dot and Mermaid output
//! only inside well-formed quoted strings, whatever characters they hold.

mod common;

use lambdaform::check::{check, Checked, Input};
use lambdaform::graph::render::{dot, mermaid};

/// Routes ending in a backslash, holding quotes, `#`, `|` and `<>`;
/// and a resource named `end`, a Mermaid keyword.
const APP: &str = r#"app odd { region = "eu-west-1" }

api public {}
queue end {}

function f {
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/f.zip"
  on public "GET /x\\"
  on public "GET /a\"b"
  on public "POST /c#d|e"
  on public "PUT /<b>"
  send end
}
"#;

fn checked() -> Checked {
    let checked = check(vec![Input { name: "odd.lf".into(), bytes: APP.as_bytes().to_vec() }], common::today());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    checked
}

/// The quoted strings of a dot file, read as Graphviz's lexer reads them
/// (`\"` and `\\` are pairs); `Err` when a line ends inside one.
fn dot_strings(text: &str) -> Result<Vec<String>, String> {
    let mut strings = Vec::new();
    for line in text.lines() {
        let mut chars = line.chars();
        let mut current: Option<String> = None;
        while let Some(c) = chars.next() {
            match (&mut current, c) {
                (None, '"') => current = Some(String::new()),
                (None, _) => {}
                (Some(s), '\\') => {
                    let next = chars.next().ok_or_else(|| format!("a line ends in an escape: {line}"))?;
                    s.push(c);
                    s.push(next);
                }
                (Some(_), '"') => strings.extend(current.take()),
                (Some(s), c) => s.push(c),
            }
        }
        if current.is_some() {
            return Err(format!("a line ends inside a string: {line}"));
        }
    }
    Ok(strings)
}

#[test]
fn dot_labels_are_escaped() {
    let checked = checked();
    let graph = &checked.graph;
    let text = dot(&checked.model, graph);
    let strings = dot_strings(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    for label in [r#"on GET /x\\"#, r#"on GET /a\"b"#, "on POST /c#d|e", "on PUT /<b>"] {
        assert!(strings.iter().any(|s| s == label), "{label} in\n{text}");
    }
    // Graphviz itself, where it is installed (Debian's `graphviz`).
    if let Ok(mut child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write to dot");
        let output = child.wait_with_output().expect("dot runs");
        assert!(output.status.success(), "dot refuses:\n{}\n{text}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn mermaid_labels_are_escaped() {
    let checked = checked();
    let graph = &checked.graph;
    let text = mermaid(&checked.model, graph);
    for line in text.lines().skip(1) {
        assert_eq!(line.matches('"').count() % 2, 0, "balanced quotes: {line}");
        let inside: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        assert!(inside.iter().all(|s| !s.contains(['|', '<', '>', '\n'])), "no raw markup in labels: {line}");
    }
    assert!(text.contains(r#"-->|"on GET /a#quot;b"|"#), "{text}");
    assert!(text.contains(r#"-->|"on POST /c#35;d#124;e"|"#), "{text}");
    assert!(text.contains(r#"-->|"on GET /x\"|"#), "{text}");
    assert!(text.contains(r#"-->|"on PUT /#lt;b#gt;"|"#), "{text}");
    assert!(text.contains("r_end[/\"queue end\"/]") && !text.contains("\n  end"), "{text}");
}

/// A WebSocket API and a function's URL are said on their nodes: what the
/// name alone does not tell (who can reach the app from outside).
#[test]
fn websocket_apis_and_function_urls_are_labelled() {
    let app = r#"api chat { type = websocket }

function on_connect {
  runtime = "nodejs22.x"
  handler = "index.handler"
  code    = "build/on_connect.zip"
  url     = { auth = none, invoke_mode = stream }
  on chat "$connect" { auth = none }
}
"#;
    let checked = check(vec![Input { name: "chat.lf".into(), bytes: app.as_bytes().to_vec() }], common::today());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let text = mermaid(&checked.model, &checked.graph);
    assert!(text.contains(r#"r_chat["api chat (websocket)"]"#), "{text}");
    assert!(text.contains(r#"r_on_connect(["function on_connect (url: none, stream)"])"#), "{text}");
    assert!(text.contains(r#"r_chat -->|"on $connect"| r_on_connect"#), "{text}");
    let text = dot(&checked.model, &checked.graph);
    assert!(text.contains(r#""on_connect" [shape=box, label="on_connect\n(url: none, stream)"];"#), "{text}");
}
