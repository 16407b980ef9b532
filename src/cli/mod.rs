//! The command line: reads files, calls the pipeline, prints diagnostics
//! (codespan-reporting for people, JSON for tools) and picks the exit code.
//! The only module besides `lsp` that does I/O.

use crate::check::{check_beside, check_with, Checked, Input};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use confine::{Folder, Found, Refusal};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning and CI dashboards.
    Sarif,
}

/// Writes to stdout; a reader that went away (`lambdaform explain | head`)
/// ends the output quietly instead of a panic.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Exit codes: 0 clean (warnings allowed), 1 errors in the program, 2 usage or I/O.
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// A `.lf` file of an app: the path it is shown by, and the regular file
/// inside the app folder it resolves to.
pub struct LfFile {
    pub path: PathBuf,
    pub file: Found,
}

/// The file itself, or the `.lf` files of a folder, sorted. Each must be
/// a regular file inside the app folder (the folder, or the file's own
/// folder), links resolved; one that leads outside or is a named pipe or a
/// device is an error naming it. A folder's entries that are folders or
/// links leading nowhere (an editor's lock link) are not part of the app.
pub fn lf_files(path: &Path) -> Result<Vec<LfFile>, String> {
    if !path.is_dir() {
        let folder = path.parent().unwrap_or(Path::new(""));
        let folder = Folder::new(folder).map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        return match folder.resolve(path) {
            Ok(file) => Ok(vec![LfFile { path: path.to_path_buf(), file }]),
            Err(Refusal::Missing) => Err(format!("{} is not a file or folder", path.display())),
            Err(refusal) => Err(refused_lf(path, &refusal)),
        };
    }
    let folder = Folder::new(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let entries = std::fs::read_dir(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut names: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "lf")).collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        match folder.resolve(&name) {
            Ok(file) => files.push(LfFile { path: name, file }),
            Err(Refusal::Missing | Refusal::NotRegular("a folder")) => {}
            Err(refusal) => return Err(refused_lf(&name, &refusal)),
        }
    }
    Ok(files)
}

fn refused_lf(path: &Path, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Outside(target) => format!(
            "{} leads to {}, outside the app folder: lambdaform reads only files inside it; copy the file into the folder",
            path.display(),
            target.display()
        ),
        _ => format!("{} {refusal}; lambdaform reads only regular files: remove it or rename it", path.display()),
    }
}

/// Reads an app: one `.lf` file, or every `.lf` file of a folder (sorted).
pub fn read_app(path: &Path) -> Result<Vec<Input>, String> {
    let files = lf_files(path)?;
    if files.is_empty() {
        return Err(format!("{} has no .lf files", path.display()));
    }
    files.into_iter().map(|file| Ok(Input { name: file.path.display().to_string(), bytes: read_lf(&file)? })).collect()
}

/// The bytes of a `.lf` file [`lf_files`] found.
pub fn read_lf(file: &LfFile) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut opened = file.file.open().map_err(|refusal| refused_lf(&file.path, &refusal))?;
    std::io::Read::read_to_end(&mut opened, &mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", file.path.display()))?;
    Ok(bytes)
}

/// Reads the files an app names (state machine definitions) inside its
/// folder (the folder, or the file's own folder), through `confine`: only a
/// regular file inside it, read up to one byte past the largest definition
/// Step Functions takes, so a huge file costs no more than that.
pub fn app_files(path: &Path) -> impl Fn(&str) -> Result<(String, Vec<u8>), String> {
    let folder = if path.is_dir() { path.to_path_buf() } else { path.parent().unwrap_or(Path::new("")).to_path_buf() };
    move |relative: &str| {
        if !confine::is_plain_relative(relative) {
            return Err("the path must be relative to the app folder and stay inside it".into());
        }
        let shown = folder.join(relative);
        let root = Folder::new(&folder).map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        let file = match root.resolve(&shown) {
            Ok(file) => file,
            Err(Refusal::Missing) => return Err("no such file".into()),
            Err(refusal) => return Err(refused_lf(&shown, &refusal)),
        };
        let opened = file.open().map_err(|refusal| refused_lf(&shown, &refusal))?;
        let mut bytes = Vec::new();
        let limit = crate::asl::MAX_BYTES as u64 + 1;
        std::io::Read::read_to_end(&mut std::io::Read::take(opened, limit), &mut bytes)
            .map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
        Ok((shown.display().to_string(), bytes))
    }
}

/// The environment variable that pins the day, where an option cannot be
/// given (an editor starting the language server) or should not be (CI).
pub const TODAY_VARIABLE: &str = "LAMBDAFORM_TODAY";

/// The day given with `--today`, else in `LAMBDAFORM_TODAY`; `None` when
/// neither is set, for the clock to decide.
pub fn pinned_today(option: Option<&str>) -> Result<Option<Date>, String> {
    let from_env = std::env::var(TODAY_VARIABLE).ok().filter(|v| !v.is_empty());
    match (option, from_env) {
        (Some(day), _) => Date::parse(day).map(Some).map_err(|e| format!("--today: {e}")),
        (None, Some(day)) => Date::parse(&day).map(Some).map_err(|e| format!("{TODAY_VARIABLE}: {e}")),
        (None, None) => Ok(None),
    }
}

/// Today in UTC by the system clock: the one place the compiler reads it.
pub fn clock_today() -> Date {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Date::from_unix_seconds(seconds)
}

/// `lambdaform check PATH`.
pub fn run_check(path: &Path, format: DiagnosticFormat, today: Date) -> ExitCode {
    let inputs = match read_app(path) {
        Ok(inputs) => inputs,
        Err(message) => return usage_error(&message),
    };
    let threads = start_threads_for(&inputs);
    let check = || check_with(inputs, today, &app_files(path));
    let checked = if threads { check() } else { crate::parallel::alone(check) };
    report(&checked, format);
    let code = exit_for(&checked);
    end_of_process(checked);
    code
}

/// Apps with less source than this are checked and built on the caller's
/// thread alone: starting the pool's two threads costs more than they
/// would save. Built both ways (`benches/interleaved.py`, 61 runs each),
/// an app of 20 functions (11 kB) took 0.78 of the time alone, one of 50
/// (27 kB) the same, one of 100 (53 kB) 1.07 times as long.
const ALONE_BELOW: usize = 24 * 1024;

/// Whether an app is large enough for the pool's threads; if it is, they
/// are started, and the standard library is read on this thread while
/// they start.
pub fn start_threads_for(inputs: &[Input]) -> bool {
    let large = inputs.iter().map(|input| input.bytes.len()).sum::<usize>() >= ALONE_BELOW;
    if large {
        crate::parallel::start();
        crate::check::read_stdlib();
    }
    large
}

/// Hands a command's checked app (or what a build printed from) to the end
/// of the process instead of freeing it: the process exits next and the
/// system takes its memory back at once, while freeing a large app's
/// millions of small allocations one by one is about 6% of a `check` (9 M
/// of 161 M instructions at 1,000 functions). Only for commands that
/// return to `main` right after.
pub fn end_of_process<T>(leftover: T) {
    std::mem::forget(leftover);
}

pub fn exit_for(checked: &Checked) -> ExitCode {
    if checked.has_errors() {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Prints the diagnostics: rendered to stderr, or one JSON object (the
/// diagnostics, or a SARIF log) on stdout.
pub fn report(checked: &Checked, format: DiagnosticFormat) {
    let json = match format {
        DiagnosticFormat::Human => return render_human(checked, &mut std::io::stderr()),
        DiagnosticFormat::Json => diagnostics_json(checked),
        DiagnosticFormat::Sarif => sarif::sarif(checked),
    };
    out(&(serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"));
}

/// Renders with codespan-reporting, coloured when stderr is a terminal.
pub fn render_human(checked: &Checked, out: &mut dyn Write) {
    let text = render_to_string(checked, use_color());
    let _ = out.write_all(text.as_bytes());
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = checked.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if errors + warnings > 0 {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
}

/// `lambdaform explain-code LF3006`.
pub fn run_explain_code(code: &str) -> ExitCode {
    match crate::diagnostic::Code::parse(&code.to_ascii_uppercase()) {
        Some(code) => {
            out(&format!(
                "{} ({}): {}\n\n{}\n",
                code.as_str(),
                code.severity().as_str(),
                code.title(),
                code.explanation()
            ));
            ExitCode::SUCCESS
        }
        None => usage_error(&format!("`{code}` is not a Lambdaform diagnostic code (they look like LF3006)")),
    }
}

/// Colour for stdout: a terminal, and NO_COLOR unset.
pub fn use_color_stdout() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// The human rendering of every diagnostic, as the tests snapshot it.
pub fn render_to_string(checked: &Checked, color: bool) -> String {
    render_diagnostics(checked, &checked.diagnostics, color)
}

/// Renders `diagnostics`, whose spans point into `checked`'s sources.
pub fn render_diagnostics(checked: &Checked, diagnostics: &[Diagnostic], color: bool) -> String {
    let files = CodespanFiles(checked);
    let config = term::Config::default();
    let mut buffer: Vec<u8> = Vec::new();
    for diagnostic in diagnostics {
        let rendered = to_codespan(diagnostic);
        if color {
            let mut writer = term::termcolor::Ansi::new(&mut buffer);
            let _ = term::emit_to_write_style(&mut writer, &config, &files, &rendered);
        } else {
            let mut writer = term::termcolor::NoColor::new(&mut buffer);
            let _ = term::emit_to_write_style(&mut writer, &config, &files, &rendered);
        }
    }
    String::from_utf8_lossy(&buffer).into_owned()
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<u32> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    };
    let mut labels =
        vec![cs::Label::primary(d.primary.span.file.0, d.primary.span.range()).with_message(&d.primary.message)];
    labels.extend(
        d.secondary.iter().map(|l| cs::Label::secondary(l.span.file.0, l.span.range()).with_message(&l.message)),
    );
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.help.iter().map(|h| format!("help: {h}")).collect())
}

/// `{"diagnostics": [...]}` with 1-based lines and character columns.
pub fn diagnostics_json(checked: &Checked) -> serde_json::Value {
    let items: Vec<serde_json::Value> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let file = checked.sources.get(d.primary.span.file);
            let start = file.position(d.primary.span.start as usize);
            let end = file.position(d.primary.span.end as usize);
            serde_json::json!({
                "code": d.code.as_str(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "file": file.name,
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "help": d.help,
            })
        })
        .collect();
    serde_json::json!({ "diagnostics": items })
}

/// codespan's view of our sources.
struct CodespanFiles<'a>(&'a Checked);

impl<'a> Files<'a> for CodespanFiles<'a> {
    type FileId = u32;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: u32) -> Result<&'a str, FilesError> {
        Ok(&self.0.sources.get(crate::source::FileId(id)).name)
    }

    fn source(&'a self, id: u32) -> Result<&'a str, FilesError> {
        Ok(&self.0.sources.get(crate::source::FileId(id)).text)
    }

    fn line_index(&'a self, id: u32, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.sources.get(crate::source::FileId(id)).line_index(byte_index))
    }

    fn line_range(&'a self, id: u32, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.0.sources.get(crate::source::FileId(id));
        let start = file.columns_start(line_index);
        let end = file.line_start(line_index + 1).min(file.text.len());
        if start > file.text.len() {
            return Err(FilesError::LineTooLarge { given: line_index, max: file.line_index(file.text.len()) });
        }
        Ok(start..end.max(start))
    }
}

pub mod build;
pub mod confine;
pub mod explain;
pub mod fmt;
pub mod init;
pub mod output;
pub mod plan;
pub mod sarif;
pub mod shell;
pub mod stacks;
pub mod timeline;

/// Reads and checks an app, printing its diagnostics; `Err` carries the
/// exit code when the app cannot go further (I/O problem or errors).
pub fn load_checked(path: &Path, format: DiagnosticFormat, today: Date) -> Result<Checked, ExitCode> {
    let inputs = read_app(path).map_err(|message| usage_error(&message))?;
    check_read(inputs, path, format, today)
}

/// [`load_checked`] of an app already read from `path`.
pub fn check_read(inputs: Vec<Input>, path: &Path, format: DiagnosticFormat, today: Date) -> Result<Checked, ExitCode> {
    check_read_beside(inputs, path, format, today, |_| ()).map(|(checked, ())| checked)
}

/// [`check_read`], and what `beside` makes of the model while the graph
/// is built ([`check_beside`]), of an app without errors.
pub fn check_read_beside<T: Send>(
    inputs: Vec<Input>,
    path: &Path,
    format: DiagnosticFormat,
    today: Date,
    beside: impl FnOnce(&Model) -> T + Send,
) -> Result<(Checked, T), ExitCode> {
    let (checked, aside) = check_beside(inputs, today, &app_files(path), beside);
    if checked.has_errors() || format == DiagnosticFormat::Human {
        report(&checked, format);
    }
    if checked.has_errors() {
        return Err(ExitCode::from(EXIT_ERRORS));
    }
    Ok((checked, aside))
}
