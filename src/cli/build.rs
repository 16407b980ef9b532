//! `lambdaform build`: check, read the packages, emit, and replace the
//! output set as a whole (`output`). Nothing is written while any error
//! stands: a package is read only if it is a regular file inside the app
//! folder, and every package and output path is checked before the first
//! byte is written.
//!
//! CloudFormation output too large for one stack is split into nested
//! stacks (`stacks/*.json`); the split reads the stack membership of the
//! output folder it is about to overwrite and keeps it where it can.

use super::confine::{Folder, Found, Refusal};
use super::output::{Contents, OutputFolder};
use super::stacks::{self, Previous};
use super::{check_read_beside, read_app, usage_error, DiagnosticFormat};
use crate::check::Checked;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::emit::cloudformation::split::{root_stack_resources, MAX_TEMPLATE_BYTES};
use crate::emit::{self, Options, PartedFiles, SplitOptions, MAX_STACK_BUDGET};
use crate::model::Model;
use crate::source::Span;
use std::path::Path;
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

pub fn run_build(path: &Path, out: &Path, target: Target, stage: &str, today: Date) -> ExitCode {
    run_build_with(path, out, target, stage, Split::default(), today)
}

/// `build` with the nested-stack options.
pub fn run_build_with(path: &Path, out: &Path, target: Target, stage: &str, split: Split, today: Date) -> ExitCode {
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
    let inputs = match read_app(path) {
        Ok(inputs) => inputs,
        Err(message) => return usage_error(&message),
    };
    crate::timeline::mark("read");
    let threads = super::start_threads_for(&inputs);
    let app_dir =
        if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    // Terraform alone is printed straight into main.tf as it is written.
    let printed = target == Target::Terraform;
    let build = || {
        // A check without a parse cache keeps no syntax trees: emitting
        // needs the model only. The previous output is read meanwhile, on
        // the core the check leaves idle between its parallel stages, and
        // what the build reads of the model alone beside the graph.
        let aside = |model: &Model| from_model(model, stage, &app_dir, printed);
        let (checked, previous) = crate::parallel::both(
            || check_read_beside(inputs, path, DiagnosticFormat::Human, today, aside),
            || Previous::read(out),
        );
        let (checked, aside) = match checked {
            Ok(checked) => checked,
            Err(code) => return code,
        };
        let code = build_checked(&checked, aside, out, target, stage, split, previous);
        super::end_of_process(checked);
        code
    };
    if !threads {
        return crate::parallel::alone(build);
    }
    // On a thread of the pool, so that the allocator's pages the check
    // frees serve the printers after it, and each stage hands half its
    // work to the other thread without waking this one.
    crate::parallel::on_pool(build)
}

/// What a build reads of the resolved model alone, found beside the
/// graph: the physical names checked, the trigger index that printing
/// `main.tf` straight into its file starts from, and the packages.
struct FromModel {
    collisions: Vec<Diagnostic>,
    triggers: Option<crate::deploy::triggers::Index>,
    packages: Result<Packages, String>,
}

/// [`FromModel`] of `model` built for `stage`, its packages looked for in
/// `app_dir`, the trigger index made when `main.tf` is `printed` into its
/// file.
fn from_model(model: &Model, stage: &str, app_dir: &Path, printed: bool) -> FromModel {
    let ((collisions, triggers), packages) = crate::parallel::both(
        || {
            crate::parallel::both(
                || crate::deploy::check_physical_names(model, stage),
                || printed.then(|| crate::deploy::triggers::Index::new(model)),
            )
        },
        || packages(model, app_dir),
    );
    FromModel { collisions, triggers, packages }
}

/// Builds a checked app into `out`: names, code packages, outputs, files.
fn build_checked(
    checked: &Checked,
    aside: FromModel,
    out: &Path,
    target: Target,
    stage: &str,
    split: Split,
    previous: Previous,
) -> ExitCode {
    let FromModel { collisions, triggers, packages } = aside;
    if !collisions.is_empty() {
        eprint!("{}", super::render_diagnostics(checked, &collisions, super::use_color()));
        return ExitCode::from(super::EXIT_ERRORS);
    }
    let packages = match packages {
        Ok(packages) => packages,
        Err(message) => return usage_error(&message),
    };
    if !packages.diagnostics.is_empty() {
        eprint!("{}", super::render_diagnostics(checked, &packages.diagnostics, super::use_color()));
        if packages.diagnostics.iter().any(Diagnostic::is_error) {
            return ExitCode::from(super::EXIT_ERRORS);
        }
    }
    let output = match OutputFolder::lock(out).and_then(|output| output.recover().map(|()| output)) {
        Ok(output) => output,
        Err(message) => return usage_error(&message),
    };
    let options = Options { stage: stage.to_string() };
    let cloudformation = matches!(target, Target::Cloudformation | Target::All);
    let terraform = matches!(target, Target::Terraform | Target::All);
    let split = SplitOptions { force: split.force, budget: split.budget, previous: previous.now(out) };
    let (emitted, membership, spent) =
        emit::emit_parts(checked, &options, &split, cloudformation, terraform && triggers.is_none());
    super::end_of_process(spent);
    crate::timeline::mark("emitted");
    let mut too_large = oversized_templates(checked, &emitted);
    too_large.extend(crowded_root(checked, &emitted));
    if !too_large.is_empty() {
        eprint!("{}", super::render_diagnostics(checked, &too_large, super::use_color()));
        return ExitCode::from(super::EXIT_ERRORS);
    }
    let record = stacks::record(membership, &emitted);
    let mut files: Vec<(String, Contents)> =
        emitted.into_iter().map(|(name, parts)| (name, Contents::Parts(parts))).collect();
    if let Some(triggers) = &triggers {
        let print = |file: &std::fs::File| emit::terraform::write_file(checked, &options, triggers, file);
        files.push(("main.tf".to_string(), Contents::Printed(Box::new(print))));
    }
    files.extend(packages.found.into_iter().map(|(name, file)| (name, Contents::Copy(file))));
    let replaced = output.replace(files, &packages.missing, record);
    if replaced.is_ok() {
        crate::timeline::mark("written");
    }
    super::end_of_process(triggers);
    match replaced {
        Ok(replaced) => {
            // One write for the whole list: stderr is not buffered, and a
            // large app writes hundreds of files.
            let mut report = String::new();
            for file in replaced.written {
                report.push_str(&format!("wrote {}\n", file.display()));
            }
            for file in replaced.removed {
                report.push_str(&format!("removed {}\n", file.display()));
            }
            eprint!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => usage_error(&message),
    }
}

/// A template CloudFormation cannot read (over 1 MB even after splitting)
/// is an error, and nothing is written.
fn oversized_templates(checked: &Checked, files: &PartedFiles) -> Vec<Diagnostic> {
    let span = app_span(checked);
    files
        .iter()
        .map(|(name, parts)| (name, parts.iter().map(Vec::len).sum::<usize>()))
        .filter(|(name, len)| name.ends_with(".json") && *len > MAX_TEMPLATE_BYTES)
        .map(|(name, len)| {
            Diagnostic::new(
                Code::TemplateTooLarge,
                span,
                format!("{name} would be {len} bytes; CloudFormation reads at most {MAX_TEMPLATE_BYTES}"),
            )
            .label("this app")
            .help("the nested stacks read too many values from each other to pass them all through one root: split the app into apps that reference each other with `existing`, or build it for Terraform (`lambdaform explain-code LF4004`)")
        })
        .collect()
}

/// CloudFormation refuses a template of more than 500 resources. Nested
/// stacks hold at most `--stack-budget` each, but the root holds one stack
/// resource per nested stack: an app split into more than 500 stacks (a
/// small budget on a large app) is refused, and nothing is written.
fn crowded_root(checked: &Checked, files: &PartedFiles) -> Vec<Diagnostic> {
    const MAX_RESOURCES: usize = 500;
    let count = root_stack_resources(files);
    if count <= MAX_RESOURCES {
        return Vec::new();
    }
    vec![Diagnostic::new(
        Code::RootTooCrowded,
        app_span(checked),
        format!("template.json would hold {count} resources; CloudFormation takes at most {MAX_RESOURCES} in one template"),
    )
    .label("this app")
    .help("raise `--stack-budget` (up to 490) so that fewer nested stacks hold the app, or split the app into apps that reference each other with `existing`")]
}

/// Where a diagnostic about the whole app points: its `app` block, else its
/// first resource.
fn app_span(checked: &Checked) -> crate::source::Span {
    checked.model.app.span.or_else(|| checked.model.resources.first().map(|r| r.name_span)).unwrap_or_else(|| {
        crate::source::Span::new(checked.app_files.first().copied().unwrap_or(crate::source::FileId(0)), 0, 0)
    })
}

/// The functions' code packages, to be copied into the output folder at
/// their `code` path (the S3 key the template names, the `filename` the
/// Terraform configuration reads), each once however its path is spelled.
struct Packages {
    /// Each package's path in the output folder, and the file found.
    found: Vec<(String, Found)>,
    /// The paths of packages that do not exist yet.
    missing: Vec<String>,
    /// A warning for each missing one, an error for each refused.
    diagnostics: Vec<Diagnostic>,
}

/// Finds each package inside the app folder: links are followed but must
/// stay inside it, and only a regular file is taken.
fn packages(model: &Model, app_dir: &Path) -> Result<Packages, String> {
    let folder = Folder::new(app_dir).map_err(|e| format!("cannot read {}: {e}", app_dir.display()))?;
    let mut packages = Packages { found: Vec::new(), missing: Vec::new(), diagnostics: Vec::new() };
    let mut seen = std::collections::HashSet::new();
    // Functions' packages and those of the layers the app builds.
    let packaged = model.resources.iter().filter(|r| r.is_created() && matches!(r.kind.as_str(), "function" | "layer"));
    for function in packaged {
        let Some(code) = function.attrs.str("code") else { continue };
        let path = crate::deploy::names::package_key(code);
        if !seen.insert(path.clone()) {
            continue;
        }
        let span = function.attrs.span("code").unwrap_or(function.name_span);
        let about = || format!("the package `{code}` of `{}`", function.name);
        match folder.resolve(&app_dir.join(&path)) {
            Ok(file) => packages.found.push((path, file)),
            Err(Refusal::Missing) => {
                packages.diagnostics.push(
                    Diagnostic::new(Code::PackageMissing, span, format!("{} does not exist yet", about()))
                        .label("not found next to the app")
                        .help(format!(
                            "build it before deploying; the outputs expect it at `{path}` inside the output folder"
                        )),
                );
                packages.missing.push(path);
            }
            Err(refusal) => packages.diagnostics.push(refused_package(span, &about(), code, refusal)),
        }
    }
    Ok(packages)
}

fn refused_package(span: Span, about: &str, code: &str, refusal: Refusal) -> Diagnostic {
    match refusal {
        Refusal::Outside(target) => Diagnostic::new(
            Code::PackageOutside,
            span,
            format!("{about} leads outside the app folder, to `{}`", target.display()),
        )
        .label("outside the app folder")
        .help("build copies only files inside the app's folder: put the package there, or make the link point inside it"),
        Refusal::NotRegular(kind) => Diagnostic::new(Code::PackageNotAFile, span, format!("{about} is {kind}, not a file"))
            .label("not a regular file")
            .help(format!("a package is a .zip or .jar file: build one at `{code}`, relative to the app's folder")),
        other => Diagnostic::new(Code::PackageUnreadable, span, format!("{about} {other}"))
            .label("cannot be read")
            .help("give the user who runs build read access to the file and the folders on its path, and check that the symbolic links there do not form a loop"),
    }
}

fn is_stage(stage: &str) -> bool {
    (1..=16).contains(&stage.len())
        && stage.starts_with(|c: char| c.is_ascii_lowercase())
        && stage.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
