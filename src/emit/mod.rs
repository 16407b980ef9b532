//! Checked app → deployable outputs. Each target builds a typed tree
//! (serde_json values for CloudFormation, hcl-rs structures for Terraform)
//! and prints it; nothing is formatted from string templates. Emitters run
//! only on an app without errors.

pub mod cloudformation;
pub mod names;
pub mod terraform;

use crate::check::Checked;

/// What a build needs beyond the app.
#[derive(Clone, Debug)]
pub struct Options {
    /// The stage (`--stage`), part of every physical name.
    pub stage: String,
}

/// A target's output files: (file name, contents).
pub type Files = Vec<(String, String)>;

/// Builds the outputs of `targets` for a checked app without errors.
pub fn emit(checked: &Checked, options: &Options, cloudformation: bool, terraform: bool) -> Files {
    assert!(!checked.has_errors(), "emitters run only on apps without errors");
    let mut files = Vec::new();
    if cloudformation {
        files.push(("template.json".to_string(), cloudformation::emit(checked, options)));
    }
    if terraform {
        files.push(("main.tf".to_string(), terraform::emit(checked, options)));
    }
    files
}
