//! The `lambdaform` binary: argument parsing only; the work is in `cli`.

use clap::{Parser, Subcommand};
use lambdaform::cli::build::{run_build, Target};
use lambdaform::cli::explain::{run_explain, run_graph, ExplainFormat, GraphFormat};
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
    /// Write template.json (CloudFormation) and main.tf (Terraform).
    Build {
        path: PathBuf,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "all")]
        target: Target,
        /// Part of every physical name, so stages never collide in one account.
        #[arg(long, default_value = "dev")]
        stage: String,
    },
    /// Show every grant of each function and the line that causes it.
    Explain {
        path: PathBuf,
        function: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
    },
    /// Print the app's graph as Graphviz dot or Mermaid.
    Graph {
        path: PathBuf,
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphFormat,
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
        Command::Build { path, out, target, stage } => run_build(&path, &out, target, &stage),
        Command::Explain { path, function, format } => run_explain(&path, function.as_deref(), format),
        Command::Graph { path, format } => run_graph(&path, format),
    }
}
