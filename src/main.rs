//! The `lambdaform` binary: argument parsing only; the work is in `cli`.

use clap::{CommandFactory, Parser, Subcommand};
use lambdaform::cli::build::{run_build_with, Split, Target};
use lambdaform::cli::explain::{run_explain, run_graph, ExplainFormat, GraphFormat};
use lambdaform::cli::plan::{run_plan, Deny, PlanArgs, PlanFormat};
use lambdaform::cli::{self, DiagnosticFormat};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, called as the system allocator is (`allocator`).
#[global_allocator]
static ALLOCATOR: lambdaform::allocator::Mimalloc = lambdaform::allocator::Mimalloc;

#[derive(Parser)]
#[command(
    name = "lambdaform",
    version,
    about = "Compile Lambdaform apps to CloudFormation and Terraform with least-privilege IAM"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// The day to judge runtimes on (YYYY-MM-DD); default LAMBDAFORM_TODAY,
    /// else the system clock.
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    today: Option<String>,
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
        #[command(flatten)]
        output: OutputArgs,
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
    /// Rewrite .lf files in the canonical layout (2-space indent, aligned `=`).
    Fmt {
        /// .lf files, or folders whose .lf files are formatted (default: the current folder).
        paths: Vec<PathBuf>,
        /// Write nothing: list the files that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Run the language server over stdin and stdout (for editors).
    Lsp,
    /// What a change would do in AWS: resources, grants widened, data at risk.
    Plan {
        path: PathBuf,
        /// A folder written by an earlier `build`.
        #[arg(long, conflicts_with = "base")]
        against: Option<PathBuf>,
        /// A git revision to read the app's sources from (the working tree is untouched).
        #[arg(long)]
        base: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: PlanFormat,
        /// Add the unified diff of the templates.
        #[arg(long)]
        diff: bool,
        /// Exit 3 when a hazard of these kinds stands (comma-separated).
        #[arg(long, value_enum, value_delimiter = ',')]
        deny: Vec<Deny>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Explain a diagnostic code: what it checks, why, and how to fix it.
    ExplainCode { code: String },
    /// Start a new app: a commented main.lf, a handler and its package, that check and build clean.
    Init {
        /// The app's folder, made if missing (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The app's name (default: from the folder's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Print the shell completion script (e.g. `lambdaform completions bash > ~/.local/share/bash-completion/completions/lambdaform`).
    Completions { shell: clap_complete::Shell },
    /// Print the manual page lambdaform(1), or write it and one page per subcommand to a folder.
    Man {
        /// Write lambdaform.1 and lambdaform-SUBCOMMAND.1 here instead of printing.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// How the outputs are made, for `build` and for the new side of `plan`.
#[derive(clap::Args)]
struct OutputArgs {
    /// Part of every physical name, so stages never collide in one account.
    #[arg(long, default_value = "dev")]
    stage: String,
    /// Split CloudFormation into nested stacks even when one template would do.
    #[arg(long)]
    split: bool,
    /// The most resources per nested stack; a larger app is split.
    #[arg(long, default_value_t = lambdaform::emit::DEFAULT_STACK_BUDGET, value_name = "N")]
    stack_budget: usize,
}

impl OutputArgs {
    fn split(&self) -> Split {
        Split { force: self.split, budget: self.stack_budget }
    }
}

fn main() -> ExitCode {
    lambdaform::cli::timeline::start();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { cli::EXIT_USAGE } else { 0 });
        }
    };
    let pinned = match cli::pinned_today(args.today.as_deref()) {
        Ok(pinned) => pinned,
        Err(message) => return cli::usage_error(&message),
    };
    let today = || pinned.unwrap_or_else(cli::clock_today);
    match args.command {
        Command::Check { path, format } => cli::run_check(&path, format, today()),
        Command::Build { path, out, target, output } => {
            run_build_with(&path, &out, target, &output.stage, output.split(), today())
        }
        Command::Explain { path, function, format } => run_explain(&path, function.as_deref(), format, today()),
        Command::Graph { path, format } => run_graph(&path, format, today()),
        Command::Fmt { paths, check } => lambdaform::cli::fmt::run_fmt(&paths, check),
        Command::Lsp => lambdaform::lsp::run(pinned),
        Command::Plan { path, against, base, format, diff, deny, output } => {
            let split = output.split();
            run_plan(&PlanArgs { path, against, base, format, diff, deny, stage: output.stage, split, today: today() })
        }
        Command::ExplainCode { code } => cli::run_explain_code(&code),
        Command::Init { dir, name } => cli::init::run_init(&dir, name.as_deref()),
        Command::Completions { shell } => cli::shell::run_completions(shell, Args::command()),
        Command::Man { out } => cli::shell::run_man(Args::command(), out.as_deref()),
    }
}
