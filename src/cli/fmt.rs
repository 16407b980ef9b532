//! `lambdaform fmt`: rewrites `.lf` files in the canonical layout of
//! `format`, or with `--check` lists the files that would change. A file
//! with syntax errors is reported and left alone. A `.lf` link to a file
//! inside the folder is formatted through: the file it leads to is
//! rewritten and the link stays; one leading outside is refused, as every
//! command refuses it. A rewritten file keeps its mode and its line
//! endings (CRLF stays CRLF).

use super::{lf_files, read_lf, render_human, usage_error, EXIT_ERRORS};
use crate::check::{check, Input};
use crate::diagnostic::Code;
use crate::format::{format_keeping_line_endings, FormatError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `lambdaform fmt [PATH...] [--check]`: each PATH is a `.lf` file or a
/// folder whose `.lf` files are formatted (not its subfolders); none means
/// the current folder. Prints each file that changed (or would change);
/// exit 1 when a file has syntax errors or, with `--check`, when a file is
/// not in canonical form; 2 on I/O errors.
pub fn run_fmt(paths: &[PathBuf], check_only: bool) -> ExitCode {
    let current = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &current[..] } else { paths };
    let mut files = Vec::new();
    for path in paths {
        match lf_files(path) {
            Ok(found) => files.extend(found),
            Err(message) => return usage_error(&message),
        }
    }
    let mut changed = 0;
    let mut refused = false;
    for lf in &files {
        let (file, real) = (lf.path.as_path(), lf.file.real.as_path());
        let bytes = match read_lf(lf) {
            Ok(bytes) => bytes,
            Err(message) => return usage_error(&message),
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            report_errors(file, bytes.clone());
            refused = true;
            continue;
        };
        let formatted = match format_keeping_line_endings(text) {
            Ok(formatted) => formatted,
            Err(FormatError::Syntax(_)) => {
                report_errors(file, bytes.clone());
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
            if let Err(message) = write_atomically(real, &formatted) {
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

/// Writes a new file with an unpredictable name beside `file` (created
/// exclusively, so nothing planted there is followed), gives it `file`'s
/// mode, then renames it over `file`.
fn write_atomically(file: &Path, text: &str) -> Result<(), String> {
    let folder = file.parent().unwrap_or(Path::new("."));
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", file.display());
    let permissions = std::fs::metadata(file).map_err(failed)?.permissions();
    let mut temporary = tempfile::Builder::new().prefix(".lambdaform-fmt-").tempfile_in(folder).map_err(failed)?;
    temporary.write_all(text.as_bytes()).map_err(failed)?;
    temporary.as_file().set_permissions(permissions).map_err(failed)?;
    temporary.persist(file).map_err(|e| failed(e.error))?;
    Ok(())
}
