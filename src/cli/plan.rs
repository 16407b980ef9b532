//! `lambdaform plan`: a fresh build of PATH against the previous output in
//! a folder (`--against`) or against the app as it was at a git revision
//! (`--base`, read with `git show`, the working tree untouched).

use super::{read_app, usage_error, DiagnosticFormat};
use crate::check::{check, Checked, Input};
use crate::emit::{self, Options};
use crate::plan::{self, render, HazardKind, Target};
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
}

/// Exit code when a denied hazard stands.
const EXIT_DENIED: u8 = 3;

pub fn run_plan(args: &PlanArgs) -> ExitCode {
    match plan_text(args) {
        Ok((text, code)) => {
            print!("{text}");
            code
        }
        Err(code) => code,
    }
}

fn plan_text(args: &PlanArgs) -> Result<(String, ExitCode), ExitCode> {
    let new = build(read_app(&args.path).map_err(|m| usage_error(&m))?, "this build")?;
    let (target, old_text) = match (&args.against, &args.base) {
        (Some(dir), None) => previous_output(dir)?,
        (None, Some(base)) => {
            let old = build(sources_at(&args.path, base)?, base)?;
            let text = output_of(&old, args, Target::Cloudformation);
            (Target::Cloudformation, text)
        }
        _ => return Err(usage_error("give one of --against DIR or --base GITREF")),
    };
    let new_text = output_of(&new, args, target);
    let old_snapshot = plan::snapshot(target, &old_text).map_err(|m| usage_error(&m))?;
    let new_snapshot = plan::snapshot(target, &new_text).map_err(|m| usage_error(&m))?;
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

fn build(inputs: Vec<Input>, what: &str) -> Result<Checked, ExitCode> {
    let checked = check(inputs);
    if checked.has_errors() {
        eprintln!("error: the app at {what} does not compile:");
        super::report(&checked, DiagnosticFormat::Human);
        return Err(ExitCode::from(2));
    }
    Ok(checked)
}

fn output_of(checked: &Checked, args: &PlanArgs, target: Target) -> String {
    let options = Options { stage: args.stage.clone() };
    let files = emit::emit(checked, &options, target == Target::Cloudformation, target == Target::Terraform);
    files.into_iter().next().map(|(_, text)| text).unwrap_or_default()
}

/// The CloudFormation template of a build folder, or its Terraform.
fn previous_output(dir: &Path) -> Result<(Target, String), ExitCode> {
    for (name, target) in [("template.json", Target::Cloudformation), ("main.tf", Target::Terraform)] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            return Ok((target, text));
        }
    }
    Err(usage_error(&format!("{} holds neither template.json nor main.tf", dir.display())))
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
