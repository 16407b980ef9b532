//! The commands that fit Lambdaform into other tools: `init` (a new app
//! that checks, formats and builds clean, and never overwrites one),
//! `completions` and `man` (every subcommand in each), `fmt` with several
//! paths, the pre-commit hooks that run them, and README listing them all.

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use yaml_rust2::YamlLoader;

fn lambdaform(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lambdaform")).args(args).current_dir(dir).output().expect("lambdaform runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/tools-test").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The subcommands, as `lambdaform --help` lists them.
fn subcommands() -> Vec<String> {
    let help = stdout(&lambdaform(&["--help"], root()));
    let listed = help.split("Commands:").nth(1).expect("a Commands section");
    let names: Vec<String> = listed
        .lines()
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .filter(|name| name != "help")
        .collect();
    for expected in ["check", "build", "fmt", "init", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{expected} in {names:?}");
    }
    names
}

#[test]
fn init_writes_an_app_that_checks_formats_and_builds_clean() {
    let dir = scratch("init");
    let output = lambdaform(&["init", "shop", "--name", "shop"], &dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let app = dir.join("shop");
    for file in ["main.lf", "src/app.py", "build/hello.zip", ".gitignore"] {
        assert!(app.join(file).is_file(), "init wrote {file}");
    }
    let main = std::fs::read_to_string(app.join("main.lf")).expect("main.lf");
    assert!(main.contains("app shop {") && main.lines().filter(|l| l.starts_with('#')).count() > 5, "{main}");

    let check = lambdaform(&["check", "shop"], &dir);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(!stderr(&check).contains("warning") && !stderr(&check).contains("error"), "{}", stderr(&check));
    let fmt = lambdaform(&["fmt", "--check", "shop"], &dir);
    assert_eq!(fmt.status.code(), Some(0), "main.lf is in canonical form: {}", stdout(&fmt));
    let build = lambdaform(&["build", "shop", "--out", "out"], &dir);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(!stderr(&build).contains("LF4003"), "the package exists: {}", stderr(&build));
    assert!(dir.join("out/template.json").is_file() && dir.join("out/main.tf").is_file());
    assert!(dir.join("out/build/hello.zip").is_file(), "the package is copied beside the outputs");
}

#[test]
fn init_names_the_app_after_its_folder() {
    let dir = scratch("init-name");
    let output = lambdaform(&["init", "Order Desk-2"], &dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let main = std::fs::read_to_string(dir.join("Order Desk-2/main.lf")).expect("main.lf");
    assert!(main.contains("app order_desk_2 {"), "{main}");
    let refused = lambdaform(&["init", "x", "--name", "Shop"], &dir);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("`Shop` is not an app name"), "{}", stderr(&refused));
    assert!(!dir.join("x").exists(), "nothing is written for a bad name");
}

#[test]
fn init_refuses_to_overwrite_an_app() {
    let dir = scratch("init-refuse");
    std::fs::write(dir.join("orders.lf"), "queue jobs {}\n").expect("write");
    let output = lambdaform(&["init"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already holds an app"), "{}", stderr(&output));
    assert!(!dir.join("main.lf").exists() && !dir.join("build").exists(), "nothing was written");
    assert_eq!(std::fs::read_to_string(dir.join("orders.lf")).expect("read"), "queue jobs {}\n");

    let other = scratch("init-refuse-file");
    std::fs::create_dir_all(other.join("src")).expect("src");
    std::fs::write(other.join("src/app.py"), "mine\n").expect("write");
    let output = lambdaform(&["init", "."], &other);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert_eq!(std::fs::read_to_string(other.join("src/app.py")).expect("read"), "mine\n");
    assert!(!other.join("main.lf").exists());
}

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    let subcommands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = lambdaform(&["completions", shell], root());
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for name in &subcommands {
            assert!(script.contains(name.as_str()), "the {shell} completions lack `{name}`");
        }
        assert!(script.contains("format"), "{shell} completes options");
        // clap_complete's PowerShell script completes option names only.
        assert!(shell == "powershell" || script.contains("sarif"), "{shell} completes option values");
    }
    let unknown = lambdaform(&["completions", "tcsh"], root());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_man_page_covers_every_subcommand() {
    let page = stdout(&lambdaform(&["man"], root()));
    assert!(page.starts_with(".ie \\n(.g") || page.contains(".TH lambdaform 1"), "{}", &page[..page.len().min(200)]);
    for name in subcommands() {
        let reference = format!("lambdaform-{name}(1)").replace('-', "\\-");
        assert!(page.contains(&reference), "the man page lacks `{name}`");
    }
    let dir = scratch("man");
    let output = lambdaform(&["man", "--out", "pages"], &dir);
    assert!(output.status.success(), "{}", stderr(&output));
    for name in subcommands() {
        assert!(dir.join(format!("pages/lambdaform-{name}.1")).is_file(), "a page for `{name}`");
    }
    assert!(dir.join("pages/lambdaform.1").is_file());
}

#[test]
fn fmt_takes_several_files_as_pre_commit_passes_them() {
    let dir = scratch("fmt-many");
    std::fs::write(dir.join("a.lf"), "queue   a {}\n").expect("write");
    std::fs::write(dir.join("b.lf"), "queue b {}\n").expect("write");
    std::fs::write(dir.join("c.lf"), "topic    c {}\n").expect("write");
    let check = lambdaform(&["fmt", "--check", "a.lf", "b.lf", "c.lf"], &dir);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check), "a.lf\nc.lf\n");
    let write = lambdaform(&["fmt", "a.lf", "c.lf"], &dir);
    assert!(write.status.success(), "{}", stderr(&write));
    assert_eq!(std::fs::read_to_string(dir.join("c.lf")).expect("read"), "topic c {}\n");
}

#[test]
fn pre_commit_hooks_run_fmt_and_check() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect(".pre-commit-hooks.yaml");
    let docs = YamlLoader::load_from_str(&text).expect("YAML");
    let hooks = docs[0].as_vec().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().filter_map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["lambdaform-fmt", "lambdaform-check"]);
    for hook in hooks {
        for key in ["id", "name", "entry", "language", "description", "files"] {
            assert!(hook[key].as_str().is_some_and(|v| !v.is_empty()), "hook {:?} lacks `{key}`", hook["id"]);
        }
        assert_eq!(hook["language"].as_str(), Some("rust"), "pre-commit builds the hook with cargo");
        assert_eq!(hook["files"].as_str(), Some("\\.lf$"));
        let entry: Vec<&str> = hook["entry"].as_str().unwrap_or("").split_whitespace().collect();
        assert_eq!(entry[0], "lambdaform");
        // The entry, with what pre-commit adds: the files, or the hook's args.
        let dir = scratch(hook["id"].as_str().unwrap_or("hook"));
        std::fs::write(dir.join("main.lf"), "queue jobs {}\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"f.zip\"\n  send jobs\n}\n").expect("write");
        let mut args: Vec<&str> = entry[1..].to_vec();
        args.push(if hook["pass_filenames"].as_bool() == Some(false) { "." } else { "main.lf" });
        let output = lambdaform(&args, &dir);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}{}", stdout(&output), stderr(&output));
    }
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(readme.contains("id: lambdaform-fmt") && readme.contains("id: lambdaform-check"), "README shows the hooks");
}

#[test]
fn readme_lists_every_subcommand_and_the_reference() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    for name in subcommands() {
        assert!(readme.contains(&format!("| `lambdaform {name}")), "README's command table lacks `{name}`");
    }
    for link in ["docs/language.md", "CONTRIBUTING.md", "docs/codes.md", "--format human\\|json\\|sarif"] {
        assert!(readme.contains(link), "README mentions {link}");
    }
}
