//! Checked app → deployable outputs: the two printers of what `deploy`
//! decides. CloudFormation writes JSON text straight from the neutral
//! layer; Terraform writes each value straight into `terraform fmt` layout
//! (`terraform::text`), escaping as it goes; nothing is formatted from
//! string templates. A build of both targets makes the layer once and
//! prints it twice. Emitters run only on an app without errors.

pub mod cloudformation;
pub mod terraform;
pub mod words;

use crate::check::Checked;
use std::collections::BTreeMap;

/// What a build needs beyond the app.
#[derive(Clone, Debug)]
pub struct Options {
    /// The stage (`--stage`), part of every physical name.
    pub stage: String,
}

/// The resources a nested stack holds by default (`build --stack-budget`).
pub const DEFAULT_STACK_BUDGET: usize = 400;
/// The largest budget `--stack-budget` takes: AWS allows 500 resources per
/// template; the rest is margin.
pub const MAX_STACK_BUDGET: usize = 490;

/// When and how CloudFormation output becomes nested stacks
/// (`cloudformation/split`). Terraform output never changes.
#[derive(Clone, Debug)]
pub struct SplitOptions {
    /// Nested stacks even when one template would do (`build --split`).
    pub force: bool,
    /// The most resources in one nested stack (`build --stack-budget`); an
    /// app with more resources than this is split.
    pub budget: usize,
    /// The nested stack of each logical id in the previous output, kept
    /// where the limits allow; when not empty, the output stays split.
    pub previous: Stacks,
}

/// The nested stack (`Stack03`) of each CloudFormation logical id of a
/// split output; empty for one template.
pub type Stacks = BTreeMap<String, String>;

/// Each nested stack of a split output (`Stack03`) and the logical ids it
/// holds, in order; empty for one template.
pub type Membership = Vec<(String, Vec<String>)>;

impl Default for SplitOptions {
    fn default() -> SplitOptions {
        SplitOptions { force: false, budget: DEFAULT_STACK_BUDGET, previous: Stacks::new() }
    }
}

/// A target's output files: (file name, contents).
pub type Files = Vec<(String, String)>;

/// Builds the outputs of `targets` for a checked app without errors,
/// splitting CloudFormation into nested stacks only where the limits
/// require it.
pub fn emit(checked: &Checked, options: &Options, cloudformation: bool, terraform: bool) -> Files {
    emit_with(checked, options, &SplitOptions::default(), cloudformation, terraform)
}

/// [`emit`] with the nested-stack options of `build`: CloudFormation is
/// `template.json`, or a root `template.json` and `stacks/<name>.json`.
pub fn emit_with(
    checked: &Checked,
    options: &Options,
    split: &SplitOptions,
    cloudformation: bool,
    terraform: bool,
) -> Files {
    let (files, _membership, _spent) = emit_parts(checked, options, split, cloudformation, terraform);
    files
        .into_iter()
        .map(|(name, parts)| (name, String::from_utf8(parts.concat()).expect("the printers write UTF-8")))
        .collect()
}

/// A target's output files, each as parts written one after another:
/// `main.tf` is printed in parts on two threads and never joined in memory.
pub type PartedFiles = Vec<(String, Vec<Vec<u8>>)>;

/// [`emit_with`] as `build` writes it: each file in parts, the logical ids
/// of each nested stack, and what CloudFormation was printed from, if it
/// was (for the caller to free or leave).
pub fn emit_parts<'a>(
    checked: &'a Checked,
    options: &'a Options,
    split: &SplitOptions,
    cloudformation: bool,
    terraform: bool,
) -> (PartedFiles, Membership, Option<cloudformation::Spent<'a>>) {
    assert!(!checked.has_errors(), "emitters run only on apps without errors");
    if !cloudformation {
        // Terraform alone: its own two threads are this one and another.
        let main_tf = terraform.then(|| ("main.tf".to_string(), as_bytes(terraform::emit_parts(checked, options))));
        return (main_tf.into_iter().collect(), Membership::new(), None);
    }
    if !terraform {
        let (files, membership, spent) = cloudformation::emit_files(checked, options, split);
        return (files, membership, Some(spent));
    }
    // One layer for both printers. CloudFormation prints its template on
    // both threads first; Terraform prints beside its packing and wiring,
    // which would leave the second core mostly idle (docs/performance.md).
    let layer = cloudformation::Layer::new(checked, options, true);
    crate::timeline::mark("layer");
    let printed = layer.printed();
    crate::timeline::mark("resources printed");
    let ((mut files, membership, records), main_tf) = crate::parallel::both(
        || layer.files_of(printed, split),
        || terraform::emit_layer(checked, options, layer.resources(), layer.triggers()),
    );
    files.push(("main.tf".to_string(), as_bytes(main_tf)));
    (files, membership, Some(layer.spent(records)))
}

/// Texts as parts of a file: their bytes, not copied.
fn as_bytes(texts: Vec<String>) -> Vec<Vec<u8>> {
    texts.into_iter().map(String::into_bytes).collect()
}
