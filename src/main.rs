//! The `lambdaform` binary: argument parsing only; the work is in `cli`.

use clap::{Parser, Subcommand};
use lambdaform::cli::{self, DiagnosticFormat};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lambdaform",
    version,
    about = "Compile Lambdaform apps to CloudFormation and Terraform with least-privilege IAM"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and check an app (a .lf file or a folder of them).
    Check {
        path: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: DiagnosticFormat,
    },
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { cli::EXIT_USAGE } else { 0 });
        }
    };
    match args.command {
        Command::Check { path, format } => cli::run_check(&path, format),
    }
}
