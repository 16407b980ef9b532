//! Fuzz target: `build` in memory. Any UTF-8 text is checked as one app
//! file; when the check and the physical-name check find no problem (the
//! point at which `lambdaform build` starts emitting), both emitters run
//! and must not panic: CloudFormation and Terraform together and each
//! alone, and CloudFormation forced into nested stacks, then split again
//! with the membership read back from its own output (as `build` keeps
//! stacks of the previous output). Nothing is written to disk.
//!
//! Besides "no panic", it asserts what `build` relies on: every template
//! is JSON, and a build of both targets prints the same files as a build
//! of each alone.
//!
//! The binary is `build_emit` (cargo forbids a binary named `build`).
//! Seed it with the examples' `.lf` files (valid apps), so that mutations
//! reach the emitters; see README.md.

#![no_main]

use lambdaform::check::{check_with, no_app_folder, Input};
use lambdaform::date::Date;
use lambdaform::emit::cloudformation::split::previous_stacks;
use lambdaform::emit::{emit, emit_with, Files, Options, SplitOptions};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

/// Between the app and the file it names (see below).
const SEPARATOR: &str = "\n%%\n";

/// The stage `build` uses when none is given.
const STAGE: &str = "dev";

fuzz_target!(|bytes: &[u8]| {
    let Ok(whole) = std::str::from_utf8(bytes) else { return };
    // Text after a line `%%` is the file the app names (a state machine's
    // definition, whatever its path), so that state machines reach the
    // emitters; without one, no file can be read, as in an editor buffer.
    let (text, named) = match whole.split_once(SEPARATOR) {
        Some((text, named)) => (text, Some(named)),
        None => (whole, None),
    };
    let read_named = |path: &str| Ok((path.to_string(), named.unwrap_or_default().as_bytes().to_vec()));
    let read: lambdaform::asl::Reader = if named.is_some() { &read_named } else { &no_app_folder };
    // The day is pinned, as in the tests: a runtime's status depends on it.
    let today = Date::parse("2026-08-16").expect("a date");
    let checked = check_with(vec![Input { name: "main.lf".into(), bytes: text.as_bytes().to_vec() }], today, read);
    if checked.has_errors() {
        return;
    }
    // `build` checks the physical names before it emits, and stops at any
    // collision (src/cli/build.rs).
    if !lambdaform::deploy::collisions::check_physical_names(&checked.model, STAGE).is_empty() {
        return;
    }
    let options = Options { stage: STAGE.into() };

    // Both targets from one layer, as `build --target all` does.
    let both = emit(&checked, &options, true, true);
    assert_templates_are_json(&both);
    // Each alone (`--target cloudformation`, `--target terraform`).
    let cloudformation = emit(&checked, &options, true, false);
    let terraform = emit(&checked, &options, false, true);
    assert_templates_are_json(&cloudformation);
    let (both_tf, both_cf): (Files, Files) = both.into_iter().partition(|(name, _)| name == "main.tf");
    assert_eq!(both_cf, cloudformation, "CloudFormation output differs when built with Terraform");
    assert_eq!(both_tf, terraform, "Terraform output differs when built with CloudFormation");

    // The whole app as one template, whatever its size.
    let _ = lambdaform::emit::cloudformation::emit(&checked, &options);

    // Nested stacks, forced, at a small budget picked by the input.
    let budget = 1 + text.len() % 4;
    let split = SplitOptions { force: true, budget, previous: Default::default() };
    let files = emit_with(&checked, &options, &split, true, false);
    assert_templates_are_json(&files);
    // Split again keeping the membership of that output, as a rebuild into
    // the same folder does (`build` reads it with `previous_stacks`).
    let by_name: BTreeMap<&str, &str> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    if let Some(root) = by_name.get("template.json") {
        let previous = previous_stacks(root, &|url| by_name.get(url).map(|t| t.to_string()));
        let again = SplitOptions { force: false, budget: 1 + budget % 3, previous };
        let files = emit_with(&checked, &options, &again, true, false);
        assert_templates_are_json(&files);
    }
});

fn assert_templates_are_json(files: &Files) {
    for (name, text) in files {
        if name.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                panic!("{name} is not JSON: {e}");
            }
        }
    }
}
