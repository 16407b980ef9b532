//! `lambdaform plan`: a fresh build of PATH against the previous output in
//! a folder (`--against`) or against the app as it was at a git revision
//! (`--base`, read from git's objects, the working tree untouched).
//!
//! A CloudFormation output split into nested stacks is read whole (the root
//! and every `stacks/*.json`), and the new build keeps the previous
//! output's stack membership, as `build` into that folder would.

use super::build::Split;
use super::confine::{is_plain_relative, Folder, Refusal};
use super::{read_app, usage_error, DiagnosticFormat};
use crate::check::{check_with, Checked, Input};
use crate::date::Date;
use crate::emit::cloudformation::split::{nested_templates, previous_stacks};
use crate::emit::{self, Files, Options, SplitOptions};
use crate::plan::{self, render, HazardKind, Target};
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Text,
    Markdown,
    Json,
}

/// Hazards `--deny` can turn into exit code 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Grants or invoke permissions widened (for a new function: reaching
    /// beyond the app), public or cross-account invokes, a boundary lost.
    Widen,
    /// Stateful resources deleted or replaced, protections that keep less.
    DataLoss,
}

pub struct PlanArgs {
    pub path: PathBuf,
    pub against: Option<PathBuf>,
    pub base: Option<String>,
    pub format: PlanFormat,
    pub diff: bool,
    pub deny: Vec<Deny>,
    pub stage: String,
    /// `--split` and `--stack-budget`, as `build` takes them.
    pub split: Split,
    /// The day both sides are checked on.
    pub today: Date,
}

/// Exit code when a denied hazard stands.
const EXIT_DENIED: u8 = 3;

pub fn run_plan(args: &PlanArgs) -> ExitCode {
    match plan_text(args) {
        Ok((text, code)) => {
            super::out(&text);
            code
        }
        Err(code) => code,
    }
}

fn plan_text(args: &PlanArgs) -> Result<(String, ExitCode), ExitCode> {
    let new = build(
        read_app(&args.path).map_err(|m| usage_error(&m))?,
        "this build",
        args.today,
        &super::app_files(&args.path),
    )?;
    let (target, old_files) = match (&args.against, &args.base) {
        (Some(dir), None) => previous_output(dir)?,
        (None, Some(base)) => {
            let (inputs, files_at) = sources_at(&args.path, base).map_err(|m| usage_error(&m))?;
            let old = build(inputs, base, args.today, &files_at)?;
            let files = output_of(&old, args, Target::Cloudformation, &Files::new());
            (Target::Cloudformation, files)
        }
        _ => return Err(usage_error("give one of --against DIR or --base GITREF")),
    };
    let new_files = output_of(&new, args, target, &old_files);
    let old_snapshot = plan::snapshot_files(target, &old_files).map_err(|m| usage_error(&m))?;
    let new_snapshot = plan::snapshot_files(target, &new_files).map_err(|m| usage_error(&m))?;
    let (old_text, new_text) = (joined(&old_files), joined(&new_files));
    let plan = plan::plan(target, &old_snapshot, &new_snapshot, &new.model.kinds);
    let mut text = match args.format {
        PlanFormat::Text => render::text(&plan, super::use_color_stdout()),
        PlanFormat::Markdown => render::markdown(&plan),
        PlanFormat::Json => render::json(&plan),
    };
    if args.diff {
        text.push_str(&unified_diff(&old_text, &new_text, args.format));
    }
    let denied = plan.hazards.iter().any(|h| {
        args.deny.iter().any(|d| match d {
            Deny::Widen => matches!(h.kind, HazardKind::Widen | HazardKind::PublicInvoke),
            Deny::DataLoss => h.kind == HazardKind::DataLoss,
        })
    });
    let code = match (denied, plan.is_empty()) {
        (true, _) => ExitCode::from(EXIT_DENIED),
        (false, true) => ExitCode::SUCCESS,
        (false, false) => ExitCode::from(1),
    };
    Ok((text, code))
}

fn build(inputs: Vec<Input>, what: &str, today: Date, files: crate::asl::Reader) -> Result<Checked, ExitCode> {
    let checked = check_with(inputs, today, files);
    if checked.has_errors() {
        eprintln!("error: the app at {what} does not compile:");
        super::report(&checked, DiagnosticFormat::Human);
        return Err(ExitCode::from(2));
    }
    Ok(checked)
}

/// The output of `target`, split as `build` would split it into a folder
/// that holds `previous`.
fn output_of(checked: &Checked, args: &PlanArgs, target: Target, previous: &Files) -> Files {
    let options = Options { stage: args.stage.clone() };
    let previous = match previous.iter().find(|(name, _)| name == "template.json") {
        Some((_, root)) => {
            let nested = |url: &str| previous.iter().find(|(name, _)| name == url).map(|(_, text)| text.clone());
            previous_stacks(root, &nested)
        }
        None => BTreeMap::new(),
    };
    let split = SplitOptions { force: args.split.force, budget: args.split.budget, previous };
    emit::emit_with(checked, &options, &split, target == Target::Cloudformation, target == Target::Terraform)
}

/// The CloudFormation output of a build folder (`template.json` and the
/// nested templates it names), or its Terraform.
fn previous_output(dir: &Path) -> Result<(Target, Files), ExitCode> {
    let folder = Compared::open(dir).map_err(|m| usage_error(&m))?;
    let read = |name: &str| folder.read(name).map_err(|m| usage_error(&m));
    if let Some(root) = read("template.json")? {
        let mut files = vec![("template.json".to_string(), root.clone())];
        for url in previous_stacks_urls(&root) {
            let text = read(&url)?
                .ok_or_else(|| usage_error(&format!("{}: the nested template {url} is missing", dir.display())))?;
            files.push((url, text));
        }
        return Ok((Target::Cloudformation, files));
    }
    if let Some(text) = read("main.tf")? {
        return Ok((Target::Terraform, vec![("main.tf".to_string(), text)]));
    }
    Err(usage_error(&format!("{} holds neither template.json nor main.tf", dir.display())))
}

/// The folder `--against` compares. It reads only regular files inside
/// it (`confine.rs`): a symbolic link is followed only while it stays
/// inside, and a FIFO, device or folder is refused before it is opened.
struct Compared<'a> {
    shown: &'a Path,
    folder: Folder,
}

impl<'a> Compared<'a> {
    fn open(dir: &'a Path) -> Result<Self, String> {
        let folder = Folder::new(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Compared { shown: dir, folder })
    }

    /// The text of the file at `relative` (plain names joined by `/`);
    /// `None` when nothing is there.
    fn read(&self, relative: &str) -> Result<Option<String>, String> {
        let dir = self.shown.display();
        if !is_plain_relative(relative) {
            return Err(format!("{relative} is not a path inside {dir}"));
        }
        let path = self.shown.join(relative);
        let found = match self.folder.resolve(&path) {
            Ok(found) => found,
            Err(Refusal::Missing) => return Ok(None),
            Err(Refusal::Outside(real)) => {
                let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                let how = if link { "is a symbolic link" } else { "is reached through a symbolic link" };
                return Err(format!(
                    "{relative} {how} out of {dir} (to {}); plan reads only that folder",
                    real.display()
                ));
            }
            Err(refusal) => return Err(format!("{relative} in {dir} {refusal}")),
        };
        let mut bytes = Vec::new();
        let mut file = found.open().map_err(|refusal| format!("{relative} in {dir} {refusal}"))?;
        std::io::Read::read_to_end(&mut file, &mut bytes).map_err(|e| format!("{relative} in {dir}: {e}"))?;
        String::from_utf8(bytes).map(Some).map_err(|_| format!("{relative} in {dir} is not UTF-8"))
    }
}

/// The `TemplateURL`s of a root's nested stacks that are local paths.
fn previous_stacks_urls(root: &str) -> Vec<String> {
    nested_templates(root).into_iter().map(|(_, url)| url).filter(|url| !url.contains("://")).collect()
}

/// The files as one text for `--diff`: a lone file as it is, several each
/// under a `// name` line.
fn joined(files: &Files) -> String {
    match files.as_slice() {
        [(_, text)] => text.clone(),
        _ => files.iter().map(|(name, text)| format!("// {name}\n{text}")).collect(),
    }
}

/// The app's `.lf` files as they were at `base`. `base` is resolved to a
/// commit first (one that begins with `-` is refused, so git never reads
/// it as an option); the folder's tree at that commit is listed with
/// NUL-separated, unquoted names, and each file read by its blob id.
/// Also a reader of the other files the app names (state machine
/// definitions) as they were at that commit.
fn sources_at(path: &Path, base: &str) -> Result<(Vec<Input>, GitFiles), String> {
    if base.starts_with('-') {
        return Err(format!("--base {base}: a revision that begins with '-' is refused"));
    }
    let absolute = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (folder, only) = match absolute.is_dir() {
        true => (absolute.as_path(), None),
        false => (absolute.parent().unwrap_or(Path::new("/")), absolute.file_name()),
    };
    let top = git(folder, &["rev-parse", "--show-toplevel"])?;
    let top = String::from_utf8_lossy(top.strip_suffix(b"\n").unwrap_or(&top)).into_owned();
    let top = std::fs::canonicalize(&top).map_err(|e| format!("{top}: {e}"))?;
    let relative = folder.strip_prefix(&top).map_err(|_| "the app is not inside the git checkout".to_string())?;
    let commit = format!("{base}^{{commit}}");
    let commit = git(&top, &["rev-parse", "--verify", "--quiet", "--end-of-options", &commit])
        .map_err(|_| format!("--base {base}: {base} is not a commit of {}", top.display()))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let mut tree = OsString::from(format!("{commit}:"));
    for (i, part) in relative.components().enumerate() {
        tree.push(if i == 0 { "" } else { "/" });
        tree.push(part.as_os_str());
    }
    let listing = git(&top, &["ls-tree".as_ref(), "-z".as_ref(), tree.as_os_str()])
        .map_err(|_| format!("{} is not in {base}", path.display()))?;
    let mut inputs = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let (mode, object, name) = tree_entry(entry).ok_or("git ls-tree printed an entry plan cannot read")?;
        let wanted = match only {
            Some(file) => name == file.as_encoded_bytes(),
            None => name.len() > ".lf".len() && name.ends_with(b".lf"),
        };
        if !wanted {
            continue;
        }
        let shown = format!("{base}:{}", relative.join(String::from_utf8_lossy(name).as_ref()).display());
        if mode != "100644" && mode != "100755" {
            return Err(format!("{shown} is not a regular file at {base} (mode {mode}); plan reads only those"));
        }
        inputs.push(Input { name: shown, bytes: git(&top, &["cat-file", "blob", object])? });
    }
    if inputs.is_empty() {
        return Err(format!("{} has no .lf files at {base}", path.display()));
    }
    let (base, relative) = (base.to_string(), relative.to_path_buf());
    let files: GitFiles = Box::new(move |file: &str| {
        if !is_plain_relative(file) {
            return Err("the path must be relative to the app folder and stay inside it".into());
        }
        let path = relative.join(file);
        let object = format!("{commit}:{}", path.display());
        let bytes = git(&top, &["cat-file", "blob", &object]).map_err(|_| format!("not in {base}"))?;
        Ok((format!("{base}:{}", path.display()), bytes))
    });
    Ok((inputs, files))
}

/// Reads a file of the app at a git revision.
type GitFiles = Box<dyn Fn(&str) -> Result<(String, Vec<u8>), String>>;

/// One entry of `git ls-tree -z`: `<mode> SP <type> SP <object> TAB <name>`.
fn tree_entry(entry: &[u8]) -> Option<(&str, &str, &[u8])> {
    let tab = entry.iter().position(|b| *b == b'\t')?;
    let head = std::str::from_utf8(&entry[..tab]).ok()?;
    let mut fields = head.split(' ');
    let (mode, _kind, object) = (fields.next()?, fields.next()?, fields.next()?);
    Some((mode, object, &entry[tab + 1..]))
}

/// Runs git in `dir`: its standard output, or what it said on failure.
fn git<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>, String> {
    let output =
        Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
        return Err(format!("git {}: {}", shown.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(output.stdout)
}

/// How long `--diff` looks for the smallest diff. Two outputs of one app
/// take milliseconds; a hostile folder (thousands of lines unlike the new
/// output) would take time quadratic in its lines, so past this the diff
/// is coarser but still correct.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

fn unified_diff(old: &str, new: &str, format: PlanFormat) -> String {
    let diff = similar::TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(old, new);
    let body = diff.unified_diff().context_radius(3).header("before", "after").to_string();
    if body.is_empty() {
        return String::new();
    }
    match format {
        PlanFormat::Markdown => {
            format!("\n<details><summary>Template diff</summary>\n\n```diff\n{body}```\n\n</details>\n")
        }
        _ => format!("\n{body}"),
    }
}
