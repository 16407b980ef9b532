//! `lambdaform fmt`: rewrites `.lf` files in the canonical layout of
//! `format`, or with `--check` lists the files that would change. A file
//! with syntax errors is reported and left alone.

use super::{lf_files, render_human, usage_error, EXIT_ERRORS};
use crate::check::{check, Input};
use crate::diagnostic::Code;
use crate::format::{format, FormatError};
use std::path::Path;
use std::process::ExitCode;

/// `lambdaform fmt [PATH] [--check]`: PATH is a `.lf` file or a folder
/// whose `.lf` files are formatted (not its subfolders). Prints each file
/// that changed (or would change); exit 1 when a file has syntax errors or,
/// with `--check`, when a file is not in canonical form; 2 on I/O errors.
pub fn run_fmt(path: &Path, check_only: bool) -> ExitCode {
    let files = match lf_files(path) {
        Ok(files) => files,
        Err(message) => return usage_error(&message),
    };
    let mut changed = 0;
    let mut refused = false;
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) => return usage_error(&format!("cannot read {}: {e}", file.display())),
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            report_errors(&file, bytes.clone());
            refused = true;
            continue;
        };
        let formatted = match format(text) {
            Ok(formatted) => formatted,
            Err(FormatError::Syntax(_)) => {
                report_errors(&file, bytes.clone());
                refused = true;
                continue;
            }
            Err(error @ FormatError::Internal(_)) => {
                eprintln!("error: {}: {error}; the file was left as it is", file.display());
                refused = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        super::out(&format!("{}\n", file.display()));
        if !check_only {
            if let Err(message) = write_atomically(&file, &formatted) {
                return usage_error(&message);
            }
        }
    }
    if check_only && changed > 0 {
        eprintln!("{changed} file(s) not in canonical form: run `lambdaform fmt`");
    }
    if refused || (check_only && changed > 0) {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Shows why a file cannot be formatted: its syntax (or encoding) errors,
/// rendered like `check` renders them.
fn report_errors(file: &Path, bytes: Vec<u8>) {
    eprintln!("error: {} has syntax errors and was not formatted", file.display());
    // Syntax errors stop the check before any rule reads the day.
    let mut checked = check(vec![Input { name: file.display().to_string(), bytes }], super::clock_today());
    checked.diagnostics.retain(|d| matches!(d.code, Code::Syntax | Code::TooDeep | Code::InvalidUtf8));
    render_human(&checked, &mut std::io::stderr());
}

/// Writes next to the file, then renames over it.
fn write_atomically(file: &Path, text: &str) -> Result<(), String> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = file.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    if let Err(e) = std::fs::write(&temporary, text) {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!("cannot write {}: {e}", temporary.display()));
    }
    std::fs::rename(&temporary, file).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {e}", file.display())
    })
}
