//! The GitHub action (`action.yml`) and its scripts, tested offline:
//!
//! - the YAML is a composite action whose inputs are each documented (in the
//!   file and in README) and used, whose steps use no undeclared input, run
//!   every shell step with an explicit shell, pin every action they use, and
//!   call scripts that exist;
//! - the example workflow (`examples/ci/lambdaform.yml`) uses it with inputs
//!   it declares, the permissions it needs and a full checkout;
//! - `action/pr-comment.sh` finds its ONE comment by the hidden marker on any
//!   page and updates it, or creates it, against a stand-in `gh` (it needs
//!   bash and jq, as GitHub's runners have);
//! - `action/verdict.sh` fails on errors and denied hazards only.

mod common;

use common::root;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use yaml_rust2::{Yaml, YamlLoader};

fn load(path: &str) -> (Yaml, String) {
    let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"));
    assert_eq!(docs.len(), 1, "{path} is one document");
    (docs.remove(0), text)
}

fn str_of<'a>(yaml: &'a Yaml, key: &str) -> Option<&'a str> {
    yaml[key].as_str()
}

fn keys(yaml: &Yaml) -> Vec<String> {
    yaml.as_hash().map(|h| h.keys().filter_map(|k| k.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The names `inputs.NAME` refers to in `text`.
fn referenced_inputs(text: &str) -> BTreeSet<String> {
    text.split("inputs.")
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
        .collect()
}

#[test]
fn action_yml_is_a_composite_action_with_documented_used_inputs() {
    let (action, text) = load("action.yml");
    assert!(str_of(&action, "name").is_some_and(|n| !n.is_empty()));
    assert!(str_of(&action, "description").is_some_and(|d| !d.is_empty()));
    assert_eq!(str_of(&action["runs"], "using"), Some("composite"));

    let declared: BTreeSet<String> = keys(&action["inputs"]).into_iter().collect();
    for input in &declared {
        let description = str_of(&action["inputs"][input.as_str()], "description");
        assert!(description.is_some_and(|d| d.len() > 10), "input `{input}` has no description");
    }
    for required in ["path", "deny", "stage"] {
        assert!(declared.contains(required), "the action takes `{required}`");
    }
    let runs = &text[text.find("\nruns:").expect("a runs section")..];
    let used = referenced_inputs(runs);
    assert_eq!(used, declared, "every input is used by a step, and every input a step uses is declared");

    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let ids: BTreeSet<&str> = steps.iter().filter_map(|s| str_of(s, "id")).collect();
    for step in steps {
        let name = str_of(step, "name").unwrap_or("a step");
        if let Some(run) = str_of(step, "run") {
            assert_eq!(str_of(step, "shell"), Some("bash"), "`{name}` names its shell, as composite steps must");
            for script in run.split("$GITHUB_ACTION_PATH/").skip(1) {
                let script: String = script.chars().take_while(|c| !matches!(c, '"' | ' ' | '\n')).collect();
                assert_executable(&root().join(&script));
            }
        }
        if let Some(uses) = str_of(step, "uses") {
            let version = uses.rsplit_once('@').map(|(_, v)| v).unwrap_or("");
            assert!(version.starts_with('v') || version.len() == 40, "`{uses}` is pinned to a release");
        }
    }
    for output in keys(&action["outputs"]) {
        let value = str_of(&action["outputs"][output.as_str()], "value").unwrap_or("");
        let step = value.split("steps.").nth(1).and_then(|s| s.split('.').next()).unwrap_or("");
        assert!(ids.contains(step), "output `{output}` reads step `{step}`, which does not exist");
    }
    let uses: Vec<&str> = steps.iter().filter_map(|s| str_of(s, "uses")).collect();
    assert!(uses.iter().any(|u| u.starts_with("github/codeql-action/upload-sarif@")), "SARIF goes to code scanning");
    assert!(runs.contains("check \"$LF_APP\" --format sarif"), "the check writes SARIF");
    assert!(runs.contains("--base \"$LF_BASE\"") && runs.contains("--deny \"$LF_DENY\""), "the plan gates the change");
}

fn assert_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode();
    assert!(mode & 0o111 != 0, "{} is not executable", path.display());
}

#[test]
fn readme_documents_every_input() {
    let (action, _) = load("action.yml");
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    for input in keys(&action["inputs"]) {
        assert!(readme.contains(&format!("| `{input}` |")), "README's table of the action's inputs lacks `{input}`");
    }
}

#[test]
fn the_example_workflow_uses_the_action() {
    let (action, _) = load("action.yml");
    let declared = keys(&action["inputs"]);
    let (workflow, _) = load("examples/ci/lambdaform.yml");
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    let steps: Vec<&Yaml> = jobs.values().flat_map(|job| job["steps"].as_vec().into_iter().flatten()).collect();
    let step = steps
        .iter()
        .find(|s| str_of(s, "uses").is_some_and(|u| u.starts_with("lambdaform/lambdaform@")))
        .expect("a step uses the Lambdaform action");
    for input in keys(&step["with"]) {
        assert!(declared.contains(&input), "the example passes `{input}`, which the action does not take");
    }
    let path = str_of(&step["with"], "path").expect("the example names its app");
    assert!(root().join(path).is_dir(), "the example's app {path} exists");
    let checkout = steps.iter().find(|s| str_of(s, "uses").is_some_and(|u| u.starts_with("actions/checkout@")));
    assert_eq!(checkout.expect("a checkout")["with"]["fetch-depth"].as_i64(), Some(0), "plan --base needs history");
    for (permission, level) in [("pull-requests", "write"), ("security-events", "write")] {
        assert_eq!(str_of(&workflow["permissions"], permission), Some(level), "the workflow grants {permission}");
    }
}

// ---------------------------------------------------------------- scripts

/// A folder with a stand-in `gh` that logs its calls, answers `--paginate`
/// with the pages in `pages`, and keeps what a PATCH or POST sends.
struct FakeGh {
    dir: PathBuf,
}

impl FakeGh {
    fn new(name: &str, pages: &str) -> FakeGh {
        let dir = root().join("target/action-test").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let gh = "#!/usr/bin/env bash\n\
                  printf '%s\\n' \"$*\" >> \"$FAKE_DIR/calls\"\n\
                  if [[ \" $* \" == *\" --paginate \"* ]]; then cat \"$FAKE_DIR/pages\"; else cat > \"$FAKE_DIR/sent\"; fi\n";
        std::fs::write(dir.join("gh"), gh).expect("write gh");
        Command::new("chmod").arg("+x").arg(dir.join("gh")).status().expect("chmod");
        std::fs::write(dir.join("pages"), pages).expect("write pages");
        std::fs::write(dir.join("plan.md"), "## Plan\n\nNo change.\n").expect("write plan");
        FakeGh { dir }
    }

    fn run(&self, limit: Option<&str>) -> Output {
        let path = format!("{}:{}", self.dir.display(), std::env::var("PATH").unwrap_or_default());
        let mut command = Command::new("bash");
        command
            .arg(root().join("action/pr-comment.sh"))
            .arg(self.dir.join("plan.md"))
            .env("PATH", path)
            .env("FAKE_DIR", &self.dir)
            .env("REPO", "acme/shop")
            .env("PR", "42");
        if let Some(limit) = limit {
            command.env("LIMIT", limit);
        }
        let output = command.output().expect("bash runs");
        assert!(output.status.success(), "pr-comment.sh failed: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("calls")).unwrap_or_default().lines().map(str::to_string).collect()
    }

    fn sent_body(&self) -> String {
        let sent = std::fs::read_to_string(self.dir.join("sent")).expect("a body was sent");
        let json: serde_json::Value = serde_json::from_str(&sent).expect("the body is JSON");
        json["body"].as_str().expect("a body").to_string()
    }
}

const MARKER: &str = "<!-- lambdaform-plan -->";

#[test]
fn the_comment_with_the_marker_is_updated_even_on_a_later_page() {
    let pages = format!(
        "[{{\"id\": 1, \"body\": \"looks good\"}}, {{\"id\": 2, \"body\": null}}]\n\
         [{{\"id\": 3, \"body\": \"> {MARKER} quoted\"}}, {{\"id\": 4, \"body\": \"{MARKER}\\nold plan\"}}, \
         {{\"id\": 5, \"body\": \"{MARKER}\\nolder plan\"}}]\n"
    );
    let gh = FakeGh::new("update", &pages);
    let output = gh.run(None);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "updated comment 4");
    assert_eq!(
        gh.calls(),
        [
            "api --paginate repos/acme/shop/issues/42/comments",
            "api --method PATCH repos/acme/shop/issues/comments/4 --input -"
        ]
    );
    assert_eq!(gh.sent_body(), format!("{MARKER}\n## Plan\n\nNo change.\n"));
}

#[test]
fn a_comment_is_created_when_none_starts_with_the_marker() {
    let pages = format!("[{{\"id\": 1, \"body\": \"see {MARKER}\"}}]\n[]\n");
    let gh = FakeGh::new("create", &pages);
    let output = gh.run(None);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "created a comment");
    assert_eq!(gh.calls()[1], "api --method POST repos/acme/shop/issues/42/comments --input -");
    assert!(gh.sent_body().starts_with(MARKER));
}

#[test]
fn a_plan_over_the_limit_is_cut_with_a_note() {
    let gh = FakeGh::new("cut", "[]\n");
    gh.run(Some("35"));
    let body = gh.sent_body();
    assert!(body.starts_with(&format!("{MARKER}\n## Plan")), "{body}");
    assert!(body.contains("cut at 35 characters"), "{body}");
    assert!(!body.contains("No change."), "{body}");
}

fn verdict(check: &str, plan: Option<&str>) -> bool {
    let mut command = Command::new("bash");
    command.arg(root().join("action/verdict.sh")).env("CHECK", check).env_remove("PLAN");
    if let Some(plan) = plan {
        command.env("PLAN", plan);
    }
    command.output().expect("bash runs").status.success()
}

#[test]
fn the_verdict_fails_on_errors_and_denied_hazards_only() {
    let cases = [
        ("0", None, true),
        ("0", Some("0"), true),
        ("0", Some("1"), true),
        ("0", Some("2"), false),
        ("0", Some("3"), false),
        ("1", None, false),
        ("2", None, false),
        ("", None, false),
    ];
    for (check, plan, passes) in cases {
        assert_eq!(verdict(check, plan), passes, "check exit {check:?}, plan exit {plan:?}");
    }
}

#[test]
fn input_references_are_read_from_expressions() {
    let text = "if: inputs.upload-sarif == 'true'\nx: ${{ inputs.base || inputs.github-token }}";
    assert_eq!(referenced_inputs(text), ["base", "github-token", "upload-sarif"].map(String::from).into());
}
