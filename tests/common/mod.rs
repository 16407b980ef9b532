//! Helpers shared by integration tests: `mod common;` in a test file.
#![allow(dead_code)] // each test binary uses its own share of these

pub mod gen;
pub mod rng;

use lambdaform::check::{check, Checked, Input};
use lambdaform::date::Date;
use std::path::{Path, PathBuf};

/// The day every test checks on (the runtime table's snapshot), so that no
/// test depends on the clock: a runtime's status changes with the date.
pub const TODAY: &str = "2026-08-16";

pub fn today() -> Date {
    Date::parse(TODAY).expect("TODAY is a date")
}

/// The compiler binary, with the day pinned.
pub fn lambdaform() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_lambdaform"));
    command.env("LAMBDAFORM_TODAY", TODAY);
    command
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `.lf` files of an app: the file itself, or a folder's, sorted.
fn sources(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "lf"))
        .collect();
    files.sort();
    files
}

/// Checks the app at `path` (file names relative to the crate) and asserts
/// it has no errors.
pub fn load(path: &Path) -> Checked {
    let inputs = sources(path)
        .iter()
        .map(|f| Input {
            name: f.strip_prefix(root()).unwrap_or(f).display().to_string(),
            bytes: std::fs::read(f).expect("readable file"),
        })
        .collect();
    let checked = check(inputs, today());
    assert!(!checked.has_errors(), "{} has errors: {:?}", path.display(), checked.diagnostics);
    checked
}

/// The example apps by name (`examples/ci` holds a workflow, not an app).
pub fn examples() -> Vec<(String, PathBuf)> {
    let mut apps: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && !sources(p).is_empty())
        .map(|p| (p.file_name().expect("a name").to_string_lossy().into_owned(), p))
        .collect();
    apps.sort();
    apps
}

/// The grants fixtures by name, `grants_<stem>`.
pub fn grants_fixtures() -> Vec<(String, PathBuf)> {
    let mut apps: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("tests/grants"))
        .expect("tests/grants")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "lf"))
        .map(|p| (format!("grants_{}", p.file_stem().expect("a name").to_string_lossy()), p))
        .collect();
    apps.sort();
    apps
}

/// The text of LANGUAGE.md, or `None` (with a note) where `shared/` is absent.
pub fn language_md() -> Option<String> {
    let path = root().join("..").join("shared").join("LANGUAGE.md");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) => {
            println!("note: skipped, {} is not readable: {error}", path.display());
            None
        }
    }
}

/// The contents of every fenced code block, in order.
pub fn code_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(lines) => blocks.push(lines.iter().map(|l| format!("{l}\n")).collect()),
                None => current = Some(Vec::new()),
            }
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    blocks
}
