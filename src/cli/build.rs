//! `lambdaform build`: check, emit, and write the outputs atomically. Nothing
//! is written while any error stands, and each file goes to a temporary
//! file in the output folder first, then is renamed over the old one.
//!
//! CloudFormation output too large for one stack is split into nested
//! stacks (`stacks/*.json`); the split reads the stack membership of the
//! output folder it is about to overwrite and keeps it where it can, and
//! removes nested templates the new output no longer has.

use super::{load_checked, usage_error, DiagnosticFormat};
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::emit::cloudformation::split::{previous_stacks, MAX_TEMPLATE_BYTES};
use crate::emit::{self, Options, SplitOptions, MAX_STACK_BUDGET};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    Cloudformation,
    Terraform,
    All,
}

/// How `build` splits CloudFormation output (`--split`, `--stack-budget`).
#[derive(Clone, Copy, Debug)]
pub struct Split {
    pub force: bool,
    pub budget: usize,
}

impl Default for Split {
    fn default() -> Split {
        Split { force: false, budget: emit::DEFAULT_STACK_BUDGET }
    }
}

pub fn run_build(path: &Path, out: &Path, target: Target, stage: &str) -> ExitCode {
    run_build_with(path, out, target, stage, Split::default())
}

/// `build` with the nested-stack options.
pub fn run_build_with(path: &Path, out: &Path, target: Target, stage: &str, split: Split) -> ExitCode {
    if !(1..=MAX_STACK_BUDGET).contains(&split.budget) {
        return usage_error(&format!(
            "--stack-budget {} is out of range: a nested stack holds 1 to {MAX_STACK_BUDGET} resources (AWS allows 500)",
            split.budget
        ));
    }
    if !is_stage(stage) {
        return usage_error(&format!(
            "`{stage}` is not a valid stage: use 1 to 16 lower case letters, digits and `-`, starting with a letter"
        ));
    }
    let mut checked = match load_checked(path, DiagnosticFormat::Human) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    // The syntax trees serve the language server only; emitting needs the
    // model, and a large app's trees would stay alive through it.
    checked.asts = Vec::new();
    let collisions = crate::deploy::check_physical_names(&checked, stage);
    if !collisions.is_empty() {
        eprint!("{}", super::render_diagnostics(&checked, &collisions, super::use_color()));
        return ExitCode::from(super::EXIT_ERRORS);
    }
    let app_dir =
        if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    let options = Options { stage: stage.to_string() };
    let cloudformation = matches!(target, Target::Cloudformation | Target::All);
    let terraform = matches!(target, Target::Terraform | Target::All);
    let split = SplitOptions { force: split.force, budget: split.budget, previous: previous_membership(out) };
    let mut files: Vec<(String, Vec<u8>)> = emit::emit_with(&checked, &options, &split, cloudformation, terraform)
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    let too_large = oversized_templates(&checked, &files);
    if !too_large.is_empty() {
        eprint!("{}", super::render_diagnostics(&checked, &too_large, super::use_color()));
        return ExitCode::from(super::EXIT_ERRORS);
    }
    let (packages, missing) = packages(&checked, &app_dir);
    files.extend(packages);
    if !missing.is_empty() {
        eprint!("{}", super::render_diagnostics(&checked, &missing, super::use_color()));
    }
    match write_all(out, &files) {
        Ok(written) => {
            for file in written {
                eprintln!("wrote {}", file.display());
            }
            if cloudformation {
                for file in stale_stacks(out, &files) {
                    eprintln!("removed {}", file.display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(message) => usage_error(&message),
    }
}

/// The nested stack of each logical id in the CloudFormation output
/// already in `out`; empty when there is none or it is one template.
pub fn previous_membership(out: &Path) -> BTreeMap<String, String> {
    let Ok(root) = std::fs::read_to_string(out.join("template.json")) else { return BTreeMap::new() };
    previous_stacks(&root, &|url| nested_template(out, url))
}

/// A nested template of a build folder by its `TemplateURL`: only a
/// relative path inside the folder (`stacks/Stack01.json`).
pub fn nested_template(out: &Path, url: &str) -> Option<String> {
    let relative = Path::new(url);
    let inside = relative.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside || url.contains("://") {
        return None;
    }
    std::fs::read_to_string(out.join(relative)).ok()
}

/// Removes the nested templates (`stacks/*.json`) of an earlier build that
/// this one did not write, so that the folder holds one consistent output.
fn stale_stacks(out: &Path, files: &[(String, Vec<u8>)]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out.join("stacks")) else { return Vec::new() };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let written = files.iter().any(|(file, _)| *file == format!("stacks/{name}"));
        if name.ends_with(".json") && !written && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// A template CloudFormation cannot read (over 1 MB even after splitting)
/// is an error, and nothing is written.
fn oversized_templates(checked: &Checked, files: &[(String, Vec<u8>)]) -> Vec<Diagnostic> {
    let span =
        checked.model.app.span.or_else(|| checked.model.resources.first().map(|r| r.name_span)).unwrap_or_else(|| {
            crate::source::Span::new(checked.app_files.first().copied().unwrap_or(crate::source::FileId(0)), 0, 0)
        });
    files
        .iter()
        .filter(|(name, text)| name.ends_with(".json") && text.len() > MAX_TEMPLATE_BYTES)
        .map(|(name, text)| {
            Diagnostic::new(
                Code::TemplateTooLarge,
                span,
                format!("{name} would be {} bytes; CloudFormation reads at most {MAX_TEMPLATE_BYTES}", text.len()),
            )
            .label("this app")
            .help("the nested stacks read too many values from each other to pass them all through one root: split the app into apps that reference each other with `existing`, or build it for Terraform (`lambdaform explain-code LF4004`)")
        })
        .collect()
}

/// The functions' code packages, to be copied into the output folder at
/// their `code` path (the S3 key the template names, the `filename` the
/// Terraform configuration reads), and a warning for each one missing.
fn packages(checked: &Checked, app_dir: &Path) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (function, _) in checked.model.functions() {
        let Some(code) = function.attrs.str("code") else { continue };
        if !seen.insert(code) {
            continue;
        }
        match std::fs::read(app_dir.join(code)) {
            Ok(bytes) => found.push((code.to_string(), bytes)),
            Err(_) => missing.push(
                Diagnostic::new(
                    Code::PackageMissing,
                    function.attrs.span("code").unwrap_or(function.name_span),
                    format!("the package `{code}` of `{}` does not exist yet", function.name),
                )
                .label("not found next to the app")
                .help(format!("build it before deploying; the outputs expect it at `{code}` inside the output folder")),
            ),
        }
    }
    (found, missing)
}

/// Writes every file to `.name.tmp-PID` beside its target, then renames
/// them all, so an interrupted build never leaves a half-written file.
fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut staged = Vec::new();
    for (name, contents) in files {
        let target = dir.join(name);
        let parent = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        let file_name = target.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = parent.join(format!(".{file_name}.tmp-{}", std::process::id()));
        if let Err(e) = std::fs::write(&temporary, contents) {
            let _ = std::fs::remove_file(&temporary);
            for (tmp, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(format!("cannot write {}: {e}", temporary.display()));
        }
        staged.push((temporary, target));
    }
    let mut written = Vec::new();
    for (temporary, target) in staged {
        std::fs::rename(&temporary, &target).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

fn is_stage(stage: &str) -> bool {
    (1..=16).contains(&stage.len())
        && stage.starts_with(|c: char| c.is_ascii_lowercase())
        && stage.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
