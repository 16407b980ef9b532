//! `lambdaform build`: check, emit, and write the outputs atomically. Nothing
//! is written while any error stands, and each file goes to a temporary
//! file in the output folder first, then is renamed over the old one.

use super::{load_checked, usage_error, DiagnosticFormat};
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::emit::{self, Options};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    Cloudformation,
    Terraform,
    All,
}

pub fn run_build(path: &Path, out: &Path, target: Target, stage: &str) -> ExitCode {
    if !is_stage(stage) {
        return usage_error(&format!(
            "`{stage}` is not a valid stage: use 1 to 16 lower case letters, digits and `-`, starting with a letter"
        ));
    }
    let checked = match load_checked(path, DiagnosticFormat::Human) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let app_dir =
        if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    let options = Options { stage: stage.to_string() };
    let cloudformation = matches!(target, Target::Cloudformation | Target::All);
    let terraform = matches!(target, Target::Terraform | Target::All);
    let mut files: Vec<(String, Vec<u8>)> = emit::emit(&checked, &options, cloudformation, terraform)
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
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
            ExitCode::SUCCESS
        }
        Err(message) => usage_error(&message),
    }
}

/// The functions' code packages, to be copied into the output folder at
/// their `code` path (the S3 key the template names, the `filename` the
/// Terraform configuration reads), and a warning for each one missing.
fn packages(checked: &Checked, app_dir: &Path) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (function, _) in checked.model.functions() {
        let Some(code) = function.attrs.str("code") else { continue };
        if found.iter().any(|(name, _)| name == code) {
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
