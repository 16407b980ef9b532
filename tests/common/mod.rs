//! Helpers shared by integration tests: `mod common;` in a test file.
#![allow(dead_code)] // each test binary uses its own share of these

pub mod gen;
pub mod rng;

use lambdaform::check::{check_with, Checked, Input};
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
    // What a test reads on stderr is the command's own, whatever the shell sets.
    command.env_remove(lambdaform::cli::timeline::VARIABLE);
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
    let checked = check_at(path);
    assert!(!checked.has_errors(), "{} has errors: {:?}", path.display(), checked.diagnostics);
    checked
}

/// Whether the app at `path` checks without errors (warnings allowed).
pub fn builds(path: &Path) -> bool {
    !check_at(path).has_errors()
}

fn check_at(path: &Path) -> Checked {
    let inputs = sources(path)
        .iter()
        .map(|f| Input {
            name: f.strip_prefix(root()).unwrap_or(f).display().to_string(),
            bytes: std::fs::read(f).expect("readable file"),
        })
        .collect();
    check_with(inputs, today(), &files(path))
}

/// Reads the files an app at `path` names (state machine definitions),
/// relative to its folder, shown by their path relative to the crate.
pub fn files(path: &Path) -> impl Fn(&str) -> Result<(String, Vec<u8>), String> {
    let folder = if path.is_dir() { path.to_path_buf() } else { path.parent().unwrap_or(Path::new("")).to_path_buf() };
    move |relative: &str| {
        let file = folder.join(relative);
        let bytes = std::fs::read(&file).map_err(|_| "no such file".to_string())?;
        Ok((file.strip_prefix(root()).unwrap_or(&file).display().to_string(), bytes))
    }
}

/// The example apps by name: `examples/` (`examples/ci` holds a workflow,
/// not an app) and `tests/apps/`, whole apps whose output the shared
/// validators cannot judge yet (README, "Layout"); the tests hold both
/// alike.
pub fn examples() -> Vec<(String, PathBuf)> {
    let mut apps: Vec<(String, PathBuf)> = ["examples", "tests/apps"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root().join(dir)).expect("an apps folder"))
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

/// The language reference, `docs/language.md`: part of the repository, so
/// a missing file is a failure, never a skip.
pub fn language_md() -> String {
    let path = root().join("docs").join("language.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A fenced code block: its info string (`lf expect=LF1009`), its text and
/// the 1-based line of its opening fence.
#[derive(Debug, PartialEq)]
pub struct Fenced {
    pub info: String,
    pub text: String,
    pub line: usize,
}

/// Every fenced code block, in order.
pub fn fenced_blocks(markdown: &str) -> Vec<Fenced> {
    let mut blocks = Vec::new();
    let mut current: Option<Fenced> = None;
    for (index, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (fence, current.as_mut()) {
            (Some(_), Some(_)) => blocks.extend(current.take()),
            (Some(info), None) => {
                current = Some(Fenced { info: info.trim().to_string(), text: String::new(), line: index + 1 })
            }
            (None, Some(block)) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// The contents of every fenced code block, in order.
pub fn code_blocks(markdown: &str) -> Vec<String> {
    fenced_blocks(markdown).into_iter().map(|b| b.text).collect()
}
