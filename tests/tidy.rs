//! Architecture invariants, checked by reading `src/**/*.rs` (DESIGN.md):
//! every file says what it owns in a `//!` line; only `main.rs`, `cli` and
//! `lsp` do I/O, the clock and the environment included; codespan's
//! terminal rendering lives in `cli`; `lsp_types` in `lsp`; no file grows
//! past the size where it should be split; the printers in `src/emit/`
//! make no AWS decision that `src/deploy/` owns.

use std::path::{Path, PathBuf};

/// No source file is longer than this (DESIGN.md: split near 600 lines).
const MAX_LINES: usize = 800;

/// Where the process meets the world: files, the terminal, the exit code.
const IO: &[&str] = &[
    "std::fs",
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "dbg!(",
    "std::process::exit",
    "std::io::stdin",
    "std::io::stdout",
    "std::io::stderr",
    // The clock and the environment: the day and settings are inputs,
    // given to the pipeline by its callers.
    "SystemTime::now",
    "env::var",
];

/// The modules that may do I/O.
const IO_ALLOWED: &[&str] = &["src/main.rs", "src/cli.rs", "src/cli/", "src/lsp.rs", "src/lsp/"];

/// What `src/deploy/` alone decides, as it would show in a printer's code
/// (ARCHITECTURE.md, "printers make no AWS decision"): each pattern with
/// where the answer lives.
const DEPLOY_DECISIONS: &[(&str, &str)] = &[
    ("names::physical(", "a physical name: deploy::names::naming"),
    ("names::fit(", "a name cut to a length: deploy::names"),
    ("\"/aws/", "a log group's name: deploy::names"),
    ("86_400", "a duration's unit: deploy::facts::Unit"),
    ("3_600", "a duration's unit: deploy::facts::Unit"),
    ("\"$context.", "the access-log format: deploy::facts::ACCESS_LOG_FIELDS"),
    ("\"Days\"", "a duration's unit: deploy::facts::Unit"),
    ("\"Hours\"", "a duration's unit: deploy::facts::Unit"),
    ("camel(", "a logical id: deploy::ids::LogicalIds"),
    ("PasswordLength\", 3", "a secret's generated value: deploy::facts::SECRET_LENGTH"),
    ("unwrap_or(128)", "a default: the stdlib's, through stdlib::defaults"),
    ("unwrap_or(3)", "a default: the stdlib's, through stdlib::defaults"),
    ("unwrap_or(10)", "a default: the stdlib's, through stdlib::defaults"),
    ("unwrap_or(\"x86", "a default: the stdlib's, through stdlib::defaults"),
    ("app.name", "the app's name, `app` when it has no `app` block: deploy::names::app"),
    ("\"lambdaform:stage\"", "the tags every resource carries: deploy::tags"),
];

struct SourceFile {
    /// `src/cli.rs`, with forward slashes.
    path: String,
    text: String,
}

impl SourceFile {
    fn is_under(&self, prefixes: &[&str]) -> bool {
        prefixes.iter().any(|p| if p.ends_with('/') { self.path.starts_with(p) } else { self.path == *p })
    }

    /// Lines that are code, not comments, with their 1-based numbers.
    fn code_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim_start().starts_with("//"))
    }
}

fn sources() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    collect(&root.join("src"), &mut paths);
    paths.sort();
    assert!(paths.iter().any(|p| p.ends_with("src/lib.rs")), "src/lib.rs not found among {paths:?}");
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(root).expect("under the crate root");
            let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
            SourceFile { path: name, text }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn assert_none(problems: Vec<String>, rule: &str) {
    assert!(problems.is_empty(), "{rule}:\n{}", problems.join("\n"));
}

#[test]
fn every_file_starts_with_a_module_doc() {
    let problems = sources()
        .into_iter()
        .filter(|f| !f.text.starts_with("//!"))
        .map(|f| format!("{}: first line is not a `//!` doc line saying what the file owns", f.path))
        .collect();
    assert_none(problems, "every file under src/ starts with `//!`");
}

#[test]
fn only_main_cli_and_lsp_do_io() {
    let mut problems = Vec::new();
    for file in sources().iter().filter(|f| !f.is_under(IO_ALLOWED)) {
        for (number, line) in file.code_lines() {
            for needle in IO.iter().filter(|n| line.contains(*n)) {
                problems.push(format!("{}:{number}: `{needle}` in `{}`", file.path, line.trim()));
            }
        }
    }
    assert_none(problems, "only src/main.rs, cli and lsp read files, print or exit");
}

#[test]
fn terminal_rendering_only_in_cli_and_lsp_types_only_in_lsp() {
    let mut problems = Vec::new();
    for file in sources() {
        for (number, line) in file.code_lines() {
            let term = line.contains("codespan_reporting::term") || line.contains("term::termcolor");
            if term && !file.is_under(&["src/cli.rs", "src/cli/"]) {
                problems.push(format!("{}:{number}: codespan's terminal rendering outside cli", file.path));
            }
            if line.contains("lsp_types") && !file.is_under(&["src/lsp.rs", "src/lsp/"]) {
                problems.push(format!("{}:{number}: `lsp_types` outside lsp", file.path));
            }
        }
    }
    assert_none(problems, "codespan_reporting::term lives in cli, lsp_types in lsp");
}

#[test]
fn printers_make_no_aws_decision() {
    let mut problems = Vec::new();
    for file in sources().iter().filter(|f| f.is_under(&["src/emit/"])) {
        for (number, line) in file.code_lines() {
            for (pattern, owner) in DEPLOY_DECISIONS {
                if line.contains(pattern) {
                    problems.push(format!("{}:{number}: `{pattern}` decides {owner}", file.path));
                }
            }
        }
    }
    assert!(problems.is_empty(), "printers ask deploy:\n{}", problems.join("\n"));
}

/// The Terraform data sources a printer writes pseudo parameters with
/// (partition, region, account): how Terraform spells them, not a
/// resource of the app.
const PSEUDO_SOURCES: &[&str] = &["\"aws_partition\"", "\"aws_region\"", "\"aws_caller_identity\""];

/// Every AWS resource of the output is a neutral resource of `deploy`:
/// no printer names a resource type, but the nested stacks that the
/// CloudFormation printer cuts a large template into (`split/`).
#[test]
fn printers_build_no_resource_of_their_own() {
    let mut problems = Vec::new();
    let printers = sources()
        .into_iter()
        .filter(|f| f.is_under(&["src/emit/"]) && !f.is_under(&["src/emit/cloudformation/split/"]));
    for file in printers {
        // Unit tests may build any resource they need.
        for (number, line) in file.code_lines().take_while(|(_, l)| !l.contains("#[cfg(test)]")) {
            let mut rest = line.to_string();
            for pseudo in PSEUDO_SOURCES {
                rest = rest.replace(pseudo, "");
            }
            if rest.contains("\"AWS::") || rest.contains("\"aws_") {
                problems.push(format!("{}:{number}: {}", file.path, line.trim()));
            }
        }
    }
    assert!(problems.is_empty(), "a resource type in a printer (describe it in deploy):\n{}", problems.join("\n"));
}

/// Attributes whose default the rules or the layer hold themselves, each
/// with why the stdlib cannot: (file, attribute, reason).
const DEFAULTS_OUTSIDE_THE_STDLIB: &[(&str, &str, &str)] = &[
    (
        "src/deploy/websocket.rs",
        "route_selection",
        "a WebSocket API's only: a stdlib default would give every HTTP API one",
    ),
    (
        "src/validate/function.rs",
        "log_format",
        "Lambda's own when the property is left out, which the outputs leave out rather than write",
    ),
];

/// The rules and the layer read a default through `stdlib::defaults`,
/// which a unit test holds to the stdlib, never by falling back to a value
/// of their own: a renamed stdlib attribute must fail a test, not be
/// judged or printed with the fallback.
#[test]
fn the_rules_and_the_layer_take_defaults_from_the_stdlib() {
    let mut problems = Vec::new();
    for file in sources().iter().filter(|f| f.is_under(&["src/deploy/", "src/validate/"])) {
        for (number, line) in file.code_lines().take_while(|(_, l)| !l.contains("#[cfg(test)]")) {
            let read = ["attrs.int(", "attrs.str(", "attrs.value("].iter().any(|r| line.contains(r));
            let fallback = read && line.contains(".unwrap_or(");
            let allowed = DEFAULTS_OUTSIDE_THE_STDLIB
                .iter()
                .any(|(path, attribute, _)| file.path == *path && line.contains(&format!("(\"{attribute}\")")));
            if fallback && !allowed {
                problems.push(format!("{}:{number}: {}", file.path, line.trim()));
            }
        }
    }
    assert_none(problems, "a default the stdlib should hold, read through stdlib::defaults");
}

#[test]
fn no_file_is_too_long() {
    let problems = sources()
        .into_iter()
        .filter(|f| f.text.lines().count() > MAX_LINES)
        .map(|f| format!("{}: {} lines (at most {MAX_LINES}): split it", f.path, f.text.lines().count()))
        .collect();
    assert_none(problems, "no file in src/ is over the line limit");
}
