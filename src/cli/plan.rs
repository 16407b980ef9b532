//! `lambdaform plan`: a fresh build of PATH against the previous output in
//! a folder (`--against`) or against the app as it was at a git revision
//! (`--base`, read with `git show`, the working tree untouched).
//!
//! A CloudFormation output split into nested stacks is read whole (the root
//! and every `stacks/*.json`), and the new build keeps the previous
//! output's stack membership, as `build` into that folder would.

use super::build::{nested_template, Split};
use super::{read_app, usage_error, DiagnosticFormat};
use crate::check::{check, Checked, Input};
use crate::date::Date;
use crate::emit::cloudformation::split::previous_stacks;
use crate::emit::{self, Files, Options, SplitOptions};
use crate::plan::{self, render, HazardKind, Target};
use std::collections::BTreeMap;
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
    /// Grants or invoke permissions widened, public or cross-account invokes.
    Widen,
    /// Stateful resources deleted or replaced.
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
    let new = build(read_app(&args.path).map_err(|m| usage_error(&m))?, "this build", args.today)?;
    let (target, old_files) = match (&args.against, &args.base) {
        (Some(dir), None) => previous_output(dir)?,
        (None, Some(base)) => {
            let old = build(sources_at(&args.path, base)?, base, args.today)?;
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

fn build(inputs: Vec<Input>, what: &str, today: Date) -> Result<Checked, ExitCode> {
    let checked = check(inputs, today);
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
    if let Ok(root) = std::fs::read_to_string(dir.join("template.json")) {
        let mut files = vec![("template.json".to_string(), root.clone())];
        for url in previous_stacks_urls(&root) {
            let text = nested_template(dir, &url)
                .ok_or_else(|| usage_error(&format!("{}: the nested template {url} is missing", dir.display())))?;
            files.push((url, text));
        }
        return Ok((Target::Cloudformation, files));
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("main.tf")) {
        return Ok((Target::Terraform, vec![("main.tf".to_string(), text)]));
    }
    Err(usage_error(&format!("{} holds neither template.json nor main.tf", dir.display())))
}

/// The `TemplateURL`s of a root's nested stacks that are local paths.
fn previous_stacks_urls(root: &str) -> Vec<String> {
    let Ok(root) = serde_json::from_str::<serde_json::Value>(root) else { return Vec::new() };
    let Some(resources) = root.get("Resources").and_then(|r| r.as_object()) else { return Vec::new() };
    resources
        .values()
        .filter(|r| r.get("Type").and_then(|t| t.as_str()) == Some("AWS::CloudFormation::Stack"))
        .filter_map(|r| r.pointer("/Properties/TemplateURL").and_then(|u| u.as_str()))
        .filter(|url| !url.contains("://"))
        .map(String::from)
        .collect()
}

/// The files as one text for `--diff`: a lone file as it is, several each
/// under a `// name` line.
fn joined(files: &Files) -> String {
    match files.as_slice() {
        [(_, text)] => text.clone(),
        _ => files.iter().map(|(name, text)| format!("// {name}\n{text}")).collect(),
    }
}

/// The app's `.lf` files as they were at `base`.
fn sources_at(path: &Path, base: &str) -> Result<Vec<Input>, ExitCode> {
    let absolute = std::fs::canonicalize(path).map_err(|e| usage_error(&format!("{}: {e}", path.display())))?;
    let folder =
        if absolute.is_dir() { absolute.clone() } else { absolute.parent().map(Path::to_path_buf).unwrap_or_default() };
    let top = git(&folder, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let relative = absolute.strip_prefix(&top).map_err(|_| usage_error("the app is not inside the git checkout"))?;
    let relative = relative.to_string_lossy().replace('\\', "/");
    let files: Vec<String> = if absolute.is_dir() {
        let listing = git(&top, &["ls-tree", "--name-only", base, &format!("{relative}/")])?;
        listing.lines().filter(|l| l.ends_with(".lf")).map(String::from).collect()
    } else {
        vec![relative]
    };
    if files.is_empty() {
        return Err(usage_error(&format!("{} has no .lf files at {base}", path.display())));
    }
    files
        .into_iter()
        .map(|file| {
            let text = git(&top, &["show", &format!("{base}:{file}")])?;
            Ok(Input { name: format!("{base}:{file}"), bytes: text.into_bytes() })
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> Result<String, ExitCode> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| usage_error(&format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(usage_error(&format!("git {}: {}", args.join(" "), message.trim())));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn unified_diff(old: &str, new: &str, format: PlanFormat) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
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
