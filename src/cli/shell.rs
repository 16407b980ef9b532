//! Documents made from the command line's own definition:
//! `lambdaform completions SHELL` (clap_complete) and `lambdaform man`
//! (clap_mangen), so they list every subcommand and option as they are.

use super::{out, usage_error};
use clap_complete::Shell;
use std::path::Path;
use std::process::ExitCode;

/// `lambdaform completions SHELL`: the completion script on stdout.
pub fn run_completions(shell: Shell, mut command: clap::Command) -> ExitCode {
    out(&completions(shell, &mut command));
    ExitCode::SUCCESS
}

/// The completion script of `command` for `shell`.
pub fn completions(shell: Shell, command: &mut clap::Command) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, command, "lambdaform", &mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}

/// `lambdaform man [--out DIR]`: the page `lambdaform(1)` on stdout, or it
/// and a page per subcommand (`lambdaform-check.1`, …) written to DIR.
pub fn run_man(command: clap::Command, dir: Option<&Path>) -> ExitCode {
    let Some(dir) = dir else {
        out(&man_page(command));
        return ExitCode::SUCCESS;
    };
    let written = std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(command, dir));
    match written {
        Ok(()) => {
            out(&format!("wrote the manual pages to {}\n", dir.display()));
            ExitCode::SUCCESS
        }
        Err(e) => usage_error(&format!("cannot write the manual pages to {}: {e}", dir.display())),
    }
}

/// The roff text of `lambdaform(1)`.
pub fn man_page(command: clap::Command) -> String {
    let mut buffer = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = clap_mangen::Man::new(command).render(&mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}
