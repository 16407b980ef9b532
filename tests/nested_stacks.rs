//! Nested stacks (issue #9): a generated app too large for one
//! CloudFormation stack builds into a root `template.json` and
//! `stacks/*.json`, each within AWS's limits; every cross-stack reference is
//! wired through the root; nested stacks form no cycle; an appended or
//! inserted function moves no existing resource; output is byte-identical
//! across builds; `plan` reads a split folder as one snapshot. Ignored by
//! default: the independent validators on the root and every nested stack.

mod common;

use lambdaform::check::{check, Checked, Input};
use lambdaform::emit::cloudformation::split::previous_stacks;
use lambdaform::emit::{emit_with, Files, Options, SplitOptions};
use lambdaform::plan::{self, Target};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn checked(source: &str) -> Checked {
    let checked = check(vec![Input { name: "main.lf".into(), bytes: source.as_bytes().to_vec() }], common::today());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics.first());
    checked
}

fn options() -> Options {
    Options { stage: "dev".into() }
}

fn build(source: &str, split: &SplitOptions) -> Files {
    emit_with(&checked(source), &options(), split, true, false)
}

/// The 1,000-function app, built once for the tests that only read it.
fn thousand() -> &'static (String, Files) {
    static APP: OnceLock<(String, Files)> = OnceLock::new();
    APP.get_or_init(|| {
        let source = common::gen::app(1000);
        let files = build(&source, &SplitOptions::default());
        (source, files)
    })
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("a template is JSON")
}

/// The folder's templates by file name.
fn templates(files: &Files) -> BTreeMap<String, Value> {
    files.iter().filter(|(name, _)| name.ends_with(".json")).map(|(name, text)| (name.clone(), json(text))).collect()
}

fn object<'a>(template: &'a Value, key: &str) -> Vec<(&'a String, &'a Value)> {
    template.get(key).and_then(Value::as_object).map(|m| m.iter().collect()).unwrap_or_default()
}

/// Logical id → the nested stack it is in.
fn membership(files: &Files) -> BTreeMap<String, String> {
    let by_name: BTreeMap<&str, &str> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let root = by_name.get("template.json").expect("a root template");
    previous_stacks(root, &|url| by_name.get(url).map(|t| t.to_string()))
}

/// Every `Ref`, `Fn::GetAtt` and `Fn::Sub` variable of a value (no pseudo
/// parameters, no escaped text).
fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Value::String(id)) => {
                        out.insert(id.clone());
                    }
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        out.extend(parts.first().and_then(Value::as_str).map(String::from));
                    }
                    ("Fn::Sub", Value::String(template)) => {
                        for part in template.split("${").skip(1) {
                            let var = part.split('}').next().unwrap_or("");
                            if !var.starts_with('!') {
                                out.insert(var.split('.').next().unwrap_or("").to_string());
                            }
                        }
                    }
                    _ => references(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
    out.retain(|id| !id.starts_with("AWS::"));
}

#[test]
fn a_thousand_functions_build_into_nested_stacks_within_the_limits() {
    let (_, files) = thousand();
    let templates = templates(files);
    let root = &templates["template.json"];
    let stacks: Vec<(&String, &Value)> = object(root, "Resources");
    assert!(stacks.len() > 1, "the app is split");
    assert!(stacks.iter().all(|(_, r)| r["Type"] == "AWS::CloudFormation::Stack"));
    let mut largest = 0;
    let mut total = 0;
    for (name, text) in files {
        let template = &templates[name];
        let resources = object(template, "Resources").len();
        let parameters = object(template, "Parameters").len();
        let outputs = object(template, "Outputs").len();
        assert!(resources <= 490, "{name}: {resources} resources");
        assert!(parameters <= 190, "{name}: {parameters} parameters");
        assert!(outputs <= 190, "{name}: {outputs} outputs");
        assert!(text.len() <= 900_000, "{name}: {} bytes", text.len());
        for (id, _) in object(template, "Resources").iter().chain(&object(template, "Parameters")) {
            assert!(id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric()), "{name}: id `{id}`");
        }
        if name != "template.json" {
            largest = largest.max(resources);
            total += resources;
            assert!(resources <= 400, "{name}: {resources} resources over the default budget");
        }
    }
    let whole = json(&lambdaform::emit::cloudformation::emit(&checked(&thousand().0), &options()));
    assert_eq!(total, object(&whole, "Resources").len(), "every resource is in exactly one nested stack");
    println!(
        "1,000 functions: {} resources in {} nested stacks, the largest with {largest}; root {} bytes",
        total,
        stacks.len(),
        files[0].1.len()
    );
}

fn stack_number(name: &str) -> usize {
    name.trim_start_matches("Stack").parse().expect("stacks are named StackNN")
}

/// Checks the wiring of a split output and returns the stack dependency
/// edges (consumer, owner).
fn check_wiring(files: &Files) -> Vec<(String, String)> {
    let templates = templates(files);
    let root = &templates["template.json"];
    let stacks: BTreeMap<&String, &Value> = object(root, "Resources").into_iter().collect();
    let mut edges = Vec::new();
    for (stack, resource) in &stacks {
        assert_eq!(resource["Type"], "AWS::CloudFormation::Stack");
        let url = resource["Properties"]["TemplateURL"].as_str().expect("a TemplateURL");
        assert_eq!(url, format!("stacks/{stack}.json"), "the local path `aws cloudformation package` uploads");
        let nested = templates.get(url).unwrap_or_else(|| panic!("{url} is written"));
        let declared: BTreeSet<&String> = object(nested, "Parameters").into_iter().map(|(k, _)| k).collect();
        let passed: Vec<(&String, &Value)> = object(&resource["Properties"], "Parameters");
        assert_eq!(
            declared,
            passed.iter().map(|(k, _)| *k).collect(),
            "{stack}: the root passes exactly its parameters"
        );
        let inputs: BTreeSet<&String> = object(root, "Parameters").into_iter().map(|(k, _)| k).collect();
        for (name, value) in passed {
            if inputs.contains(name) {
                // An input of the root, passed down as it is (a list joined).
                let reference = value.pointer("/Fn::Join/1/Ref").unwrap_or(value.get("Ref").unwrap_or(&Value::Null));
                assert_eq!(reference, &Value::String(name.clone()), "{stack}.{name} passes the root's input");
                continue;
            }
            let parts = value["Fn::GetAtt"].as_array().unwrap_or_else(|| panic!("{stack}.{name}: {value}"));
            let owner = parts[0].as_str().expect("a stack id");
            let output = parts[1].as_str().and_then(|o| o.strip_prefix("Outputs.")).expect("Outputs.X");
            assert_ne!(owner, stack.as_str(), "{stack}.{name} comes from another stack");
            let owner_template = &templates[&format!("stacks/{owner}.json")];
            assert!(owner_template["Outputs"].get(output).is_some(), "{owner} has no output {output} for {stack}");
            edges.push((stack.to_string(), owner.to_string()));
        }
        for after in resource.get("DependsOn").and_then(Value::as_array).into_iter().flatten() {
            let after = after.as_str().expect("an id");
            assert!(stacks.contains_key(&after.to_string()), "{stack} waits for a stack that exists");
            edges.push((stack.to_string(), after.to_string()));
        }
        // Inside the nested template every reference resolves and every
        // parameter is used.
        let resources: BTreeSet<&String> = object(nested, "Resources").into_iter().map(|(k, _)| k).collect();
        let mut used = BTreeSet::new();
        references(&nested["Resources"], &mut used);
        references(&nested["Outputs"], &mut used);
        for id in &used {
            assert!(resources.contains(id) || declared.contains(id), "{stack}: `{id}` does not resolve");
        }
        for param in &declared {
            assert!(used.contains(*param), "{stack}: parameter {param} is not used");
        }
        for (id, r) in object(nested, "Resources") {
            for after in r.get("DependsOn").and_then(Value::as_array).into_iter().flatten() {
                assert!(
                    resources.contains(&after.as_str().unwrap_or("").to_string()),
                    "{stack}: {id} waits for another stack"
                );
            }
        }
    }
    for (name, output) in object(root, "Outputs") {
        if let Some(parts) = output["Value"]["Fn::GetAtt"].as_array() {
            let stack = parts[0].as_str().expect("a stack");
            let output_name = parts[1].as_str().and_then(|o| o.strip_prefix("Outputs.")).expect("Outputs.X");
            assert!(
                templates[&format!("stacks/{stack}.json")]["Outputs"].get(output_name).is_some(),
                "root output {name}"
            );
        }
    }
    edges
}

/// Stack edges only point backwards, so there is no cycle.
fn check_no_cycle(edges: &[(String, String)]) {
    for (consumer, owner) in edges {
        assert!(stack_number(owner) < stack_number(consumer), "{consumer} reads {owner}, a later stack");
    }
}

/// The split output read by `plan` is the whole template: same resources,
/// properties, grants and invoke permissions.
fn check_reads_as_whole(source: &str, files: &Files) {
    let whole = lambdaform::emit::cloudformation::emit(&checked(source), &options());
    let whole = plan::snapshot(Target::Cloudformation, &whole).expect("the whole template reads");
    let split = plan::snapshot_files(Target::Cloudformation, files).expect("the split output reads");
    assert_eq!(whole.resources.keys().collect::<Vec<_>>(), split.resources.keys().collect::<Vec<_>>());
    for (id, resource) in &whole.resources {
        let other = &split.resources[id];
        assert!(other.stack.is_some(), "{id} is in a nested stack");
        assert_eq!(
            (&resource.ty, &resource.properties, &resource.protection),
            (&other.ty, &other.properties, &other.protection),
            "{id}"
        );
    }
    assert_eq!(whole.functions, split.functions, "grants and permissions read the same split or not");
}

#[test]
fn every_cross_stack_reference_is_wired_and_stacks_form_no_cycle() {
    let (_, files) = thousand();
    let edges = check_wiring(files);
    assert!(!edges.is_empty(), "stacks read each other");
    check_no_cycle(&edges);
}

#[test]
fn a_split_output_reads_as_the_whole_template() {
    let (source, files) = thousand();
    check_reads_as_whole(source, files);
}

#[test]
fn output_is_deterministic() {
    let (source, files) = thousand();
    assert_eq!(&build(source, &SplitOptions::default()), files, "two builds differ");
    // Built again over its own output, it keeps every byte.
    let previous = SplitOptions { previous: membership(files), ..SplitOptions::default() };
    assert_eq!(&build(source, &previous), files, "a build over its own output differs");
}

/// The app of 300 functions and the same app with one more function.
fn three_hundred() -> String {
    common::gen::app(300)
}

const EXTRA: &str = r#"
function extra {
  runtime = "python3.13"
  handler = "app.handler"
  code    = "build/extra.zip"
  env     = { TABLE = table_3.name, QUEUE = in_10.url }
  read table_3
  send in_10
  publish topic_5
  on api_0 "GET /extra"
  on in_12
}
"#;

fn moved(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    before
        .iter()
        .filter(|(id, stack)| after.get(*id) != Some(stack))
        .map(|(id, s)| format!("{id}: {s} → {:?}", after.get(id)))
        .collect()
}

#[test]
fn an_appended_function_moves_no_existing_resource() {
    let source = three_hundred();
    let before = build(&source, &SplitOptions::default());
    let after = build(&format!("{source}{EXTRA}"), &SplitOptions::default());
    let (before, after) = (membership(&before), membership(&after));
    assert!(before.values().collect::<BTreeSet<_>>().len() > 1, "the app is split");
    assert_eq!(moved(&before, &after), Vec::<String>::new(), "an existing resource changed stack");
    assert!(after.contains_key("ExtraFunction"));
}

#[test]
fn with_the_previous_output_an_inserted_function_moves_no_existing_resource() {
    let source = three_hundred();
    let first = build(&source, &SplitOptions::default());
    // A function in the middle of the source, triggered by an existing
    // bucket (whose notification then names it).
    let at = source.find("function fn_150 {").expect("fn_150");
    let inserted = EXTRA.replace("on in_12", "on bucket_7 { prefix = \"extra/\" }");
    let edited = format!("{}{inserted}\n{}", &source[..at], &source[at..]);
    let previous = SplitOptions { previous: membership(&first), ..SplitOptions::default() };
    let second = build(&edited, &previous);
    check_no_cycle(&check_wiring(&second));
    let (before, after) = (membership(&first), membership(&second));
    assert_eq!(moved(&before, &after), Vec::<String>::new(), "an existing resource changed stack");
    assert_eq!(after["ExtraFunction"], after["Bucket7Bucket"], "the new function joins its bucket's stack");
}

#[test]
fn small_apps_stay_one_template_unless_asked() {
    for example in ["orders", "media_pipeline", "streams", "http_api"] {
        let source = example_source(example);
        let files = build(&source, &SplitOptions::default());
        assert_eq!(files.len(), 1, "{example}: one template");
        assert_eq!(files[0].1, lambdaform::emit::cloudformation::emit(&checked(&source), &options()));
    }
}

/// An app with inputs split: each nested stack declares the inputs it
/// reads, and the root declares them all and passes them down.
#[test]
fn forced_splits_pass_the_inputs_down() {
    let source = example_source("two_envs");
    for budget in [1, 3] {
        let files = build(&source, &SplitOptions { force: true, budget, ..SplitOptions::default() });
        assert!(files.len() > 2, "{budget}: split");
        let root = json(&files[0].1);
        let declared: Vec<&String> = object(&root, "Parameters").into_iter().map(|(k, _)| k).collect();
        let expected =
            ["PrivateSubnets", "LambdaSg", "PartnerQueueArn", "PartnerAccount", "ThumbnailImage", "TelemetryLayer"];
        assert_eq!(declared, expected);
        check_no_cycle(&check_wiring(&files));
        check_reads_as_whole(&source, &files);
    }
}

fn example_source(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = ["examples", "tests/apps"].iter().map(|d| root.join(d).join(name)).find(|d| d.is_dir()).expect("the app");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the example")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "lf"))
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).expect("readable")).collect::<Vec<_>>().join("\n")
}

/// `--split` with a tiny budget on the examples: every wiring the emitter
/// makes (bucket notifications, API routes, destinations, dead letters,
/// VPC functions) crosses stacks somewhere.
#[test]
fn forced_splits_of_the_examples_are_wired() {
    for example in ["orders", "media_pipeline", "streams", "http_api"] {
        let source = example_source(example);
        for budget in [1, 5, 12] {
            let files = build(&source, &SplitOptions { force: true, budget, ..SplitOptions::default() });
            assert!(files.len() > 2, "{example}/{budget}: split");
            check_no_cycle(&check_wiring(&files));
            check_reads_as_whole(&source, &files);
        }
    }
}

#[test]
fn the_generated_app_splits_under_any_budget() {
    let source = common::gen::app(100);
    for budget in [20, 60, 490] {
        let files = build(&source, &SplitOptions { force: true, budget, ..SplitOptions::default() });
        for (name, text) in &files {
            let count = object(&json(text), "Resources").len();
            assert!(name == "template.json" || count <= budget.max(12), "{name}: {count} resources over {budget}");
        }
        check_no_cycle(&check_wiring(&files));
        check_reads_as_whole(&source, &files);
    }
}

/// `lambdaform build --split` writes the root and `stacks/`, keeps its
/// layout when built again over its own folder (even without `--split`),
/// removes the nested templates it wrote and no longer writes, never a
/// file no build wrote; `plan --against` the folder reads it whole and
/// finds nothing to do.
#[test]
fn build_and_plan_work_on_a_split_folder() {
    let (app, out) = (example_dir("orders"), fresh_folder("cli-orders"));
    let run = |args: &[&str]| {
        let output = common::lambdaform().args(args).output().expect("lambdaform runs");
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let (app, out_arg) = (app.to_str().expect("UTF-8"), out.to_str().expect("UTF-8"));
    let build = ["build", app, "--out", out_arg, "--target", "cloudformation"];
    let (code, _) = run(&[&build[..], &["--split", "--stack-budget", "8"]].concat());
    assert_eq!(code, Some(0));
    let first = std::fs::read_to_string(out.join("template.json")).expect("a root");
    assert!(out.join("stacks/Stack01.json").exists() && out.join("stacks/Stack02.json").exists());
    let (code, text) = run(&["plan", app, "--against", out_arg]);
    assert_eq!(code, Some(0), "no change against its own build:\n{text}");
    std::fs::write(out.join("stacks/Stack99.json"), "{}").expect("writable");
    let (code, _) = run(&build);
    assert_eq!(code, Some(0));
    assert_eq!(std::fs::read_to_string(out.join("template.json")).expect("a root"), first, "the layout is kept");
    assert!(out.join("stacks/Stack99.json").exists(), "a file no build wrote is kept");
    assert_eq!(run(&["build", app, "--out", out_arg, "--target", "terraform"]).0, Some(0));
    assert!(!out.join("stacks/Stack01.json").exists(), "a nested template the last build wrote is removed");
    assert!(!out.join("template.json").exists() && out.join("main.tf").exists(), "one build's set");
    assert!(out.join("stacks/Stack99.json").exists(), "a file no build wrote is kept");
    let (code, _) = run(&[&build[..], &["--stack-budget", "0"]].concat());
    assert_eq!(code, Some(2), "a budget of 0 is refused");
    // Planned against the one-template build of the same app, every
    // resource changes stack: a replacement, with its hazards.
    let single = fresh_folder("cli-orders-single");
    let single_arg = single.to_str().expect("UTF-8");
    assert_eq!(run(&["build", app, "--out", single_arg, "--target", "cloudformation"]).0, Some(0));
    let (code, text) = run(&["plan", app, "--against", single_arg, "--split", "--format", "json"]);
    assert_eq!(code, Some(1), "{text}");
    let plan = &json(&text)["plan"];
    let resources = plan["resources"].as_array().expect("resources");
    assert!(!resources.is_empty());
    for change in resources {
        assert_eq!(change["change"], "replaced", "{change}");
        assert!(change["properties"].as_array().is_some_and(|p| p.iter().any(|p| p["path"] == "(nested stack)")));
    }
    assert!(plan["grants"].as_array().is_some_and(Vec::is_empty), "grants read the same split or not");
    assert!(plan["hazards"].as_array().is_some_and(|h| h.iter().any(|h| h["kind"] == "data-loss")));
}

/// A split build records the stack of each resource beside its templates,
/// with each template's stamp (`cli::stacks`), for the next build into the
/// folder: the record holds exactly what the templates hold, names every
/// template it was made from, and goes with the templates when a build no
/// longer writes them.
#[test]
fn a_split_build_records_the_membership_its_templates_hold() {
    let (app, out) = (example_dir("orders"), fresh_folder("cli-orders-record"));
    let (app, out_arg) = (app.to_str().expect("UTF-8"), out.to_str().expect("UTF-8"));
    let build = |target: &str, extra: &[&str]| {
        let args = [&["build", app, "--out", out_arg, "--target", target], extra].concat();
        common::lambdaform().args(args).output().expect("lambdaform runs").status.code()
    };
    assert_eq!(build("cloudformation", &["--split", "--stack-budget", "8"]), Some(0));
    let read = |name: &str| std::fs::read_to_string(out.join(name)).ok();
    let record = json(&read(".lambdaform-stacks.json").expect("a record"));
    let mut recorded = BTreeMap::new();
    for stack in record["stacks"].as_array().expect("stacks") {
        let name = stack[0].as_str().expect("a stack's name");
        for id in stack[1].as_array().expect("its ids") {
            recorded.insert(id.as_str().expect("an id").to_string(), name.to_string());
        }
    }
    let root = read("template.json").expect("a root");
    let held = previous_stacks(&root, &|url| read(url));
    assert!(held.len() > 8, "split into stacks of 8: {held:?}");
    assert_eq!(recorded, held);
    let mut named: Vec<&String> = record["templates"].as_object().expect("templates").keys().collect();
    named.sort();
    let mut templates = vec!["template.json".to_string()];
    let nested = std::fs::read_dir(out.join("stacks")).expect("stacks/");
    templates.extend(nested.map(|entry| format!("stacks/{}", entry.expect("an entry").file_name().to_string_lossy())));
    templates.sort();
    assert_eq!(named, templates.iter().collect::<Vec<_>>());
    // Built again, the layout is kept (which of the record and the
    // templates is read, `cli::stacks`' tests show: here they agree).
    assert_eq!(build("cloudformation", &[]), Some(0));
    assert_eq!(read("template.json").expect("a root"), root);
    // A link planted where the record goes: refused before anything is
    // written, so the root is still the same file, and not through it.
    let inode = |name: &str| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(out.join(name)).expect("there"));
    let root_file = inode("template.json");
    let outside = out.with_file_name("cli-orders-record-outside");
    std::fs::write(&outside, "mine").expect("writable");
    std::fs::remove_file(out.join(".lambdaform-stacks.json")).expect("a record");
    std::os::unix::fs::symlink(&outside, out.join(".lambdaform-stacks.json")).expect("a link");
    assert_eq!(build("cloudformation", &[]), Some(2), "refused");
    assert_eq!(std::fs::read_to_string(&outside).expect("still there"), "mine");
    assert_eq!(inode("template.json"), root_file, "nothing moved in");
    std::fs::remove_file(out.join(".lambdaform-stacks.json")).expect("the link");
    assert_eq!(build("cloudformation", &[]), Some(0));
    assert!(read(".lambdaform-stacks.json").is_some(), "recorded again");
    assert_eq!(build("terraform", &[]), Some(0));
    assert!(read(".lambdaform-stacks.json").is_none(), "the record goes with the templates");
}

/// A folder where a build was killed keeps its layout too: the next build
/// reads the stack membership once it has removed what the killed one left.
#[test]
fn a_folder_with_an_interrupted_build_keeps_its_layout() {
    let (app, out) = (example_dir("orders"), fresh_folder("cli-orders-interrupted"));
    let (app, out_arg) = (app.to_str().expect("UTF-8"), out.to_str().expect("UTF-8"));
    let build = |extra: &[&str]| {
        let args = [&["build", app, "--out", out_arg, "--target", "cloudformation"], extra].concat();
        common::lambdaform().args(args).output().expect("lambdaform runs").status.code()
    };
    assert_eq!(build(&["--split", "--stack-budget", "8"]), Some(0));
    let first = std::fs::read_to_string(out.join("template.json")).expect("a root");
    let leftover = out.join(".lambdaform-build-Xy12Zq/new");
    std::fs::create_dir_all(&leftover).expect("a killed build's staging folder");
    std::fs::write(leftover.join("template.json"), "half").expect("leftover");
    assert_eq!(build(&[]), Some(0));
    assert_eq!(std::fs::read_to_string(out.join("template.json")).expect("a root"), first, "the layout is kept");
    assert!(!out.join(".lambdaform-build-Xy12Zq").exists(), "the leftover is removed");
}

/// An example app's folder.
fn example_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// An empty output folder of this file's tests, `target/nested-stacks/NAME`.
fn fresh_folder(name: &str) -> PathBuf {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/nested-stacks").join(name);
    let _ = std::fs::remove_dir_all(&out);
    out
}

/// The value the root passes for each parameter of a nested stack, as the
/// validators model the reference it stands for (iam_check.py's placeholder
/// table: ARNs, queue URLs, names by resource type and name property).
fn placeholders(templates: &BTreeMap<String, Value>, stack: &str) -> BTreeMap<String, String> {
    let root = &templates["template.json"];
    let mut out = BTreeMap::new();
    for (param, passed) in object(&root["Resources"][stack]["Properties"], "Parameters") {
        let parts = passed["Fn::GetAtt"].as_array().expect("an output of another stack");
        let owner = &templates[&format!("stacks/{}.json", parts[0].as_str().expect("a stack"))];
        let output = parts[1].as_str().and_then(|o| o.strip_prefix("Outputs.")).expect("Outputs.X");
        let value = &owner["Outputs"][output]["Value"];
        let (id, attr) = match (value.get("Ref"), value.get("Fn::GetAtt")) {
            (Some(Value::String(id)), _) => (id.as_str(), None),
            (_, Some(Value::Array(p))) => (p[0].as_str().expect("an id"), p[1].as_str()),
            _ => panic!("{stack}.{param}: {value}"),
        };
        let resource = &owner["Resources"][id];
        out.insert(param.clone(), placeholder(id, resource, attr));
    }
    out
}

fn placeholder(id: &str, resource: &Value, attr: Option<&str>) -> String {
    let (p, r, a) = ("aws", "us-east-1", "123456789012");
    let ty = resource["Type"].as_str().unwrap_or("");
    let name_property = match ty {
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::Logs::LogGroup" => "LogGroupName",
        _ => "Name",
    };
    let n = resource["Properties"][name_property].as_str().map_or_else(|| id.to_lowercase(), String::from);
    match (ty, attr) {
        ("AWS::SQS::Queue", None) => format!("https://sqs.{r}.amazonaws.com/{a}/{n}"),
        ("AWS::SQS::Queue", Some("Arn")) => format!("arn:{p}:sqs:{r}:{a}:{n}"),
        ("AWS::SNS::Topic", None | Some("TopicArn")) => format!("arn:{p}:sns:{r}:{a}:{n}"),
        ("AWS::DynamoDB::Table", Some("Arn")) => format!("arn:{p}:dynamodb:{r}:{a}:table/{n}"),
        ("AWS::DynamoDB::Table", Some("StreamArn")) => {
            format!("arn:{p}:dynamodb:{r}:{a}:table/{n}/stream/2020-01-01T00:00:00.000")
        }
        ("AWS::Kinesis::Stream", Some("Arn")) => format!("arn:{p}:kinesis:{r}:{a}:stream/{n}"),
        ("AWS::S3::Bucket", Some("Arn")) => format!("arn:{p}:s3:::{n}"),
        ("AWS::Lambda::Function", Some("Arn")) => format!("arn:{p}:lambda:{r}:{a}:function:{n}"),
        ("AWS::Events::EventBus", Some("Arn")) => format!("arn:{p}:events:{r}:{a}:event-bus/{n}"),
        ("AWS::Events::Rule", Some("Arn")) => format!("arn:{p}:events:{r}:{a}:rule/{n}"),
        ("AWS::Logs::LogGroup", Some("Arn")) => format!("arn:{p}:logs:{r}:{a}:log-group:{n}:*"),
        ("AWS::ApiGatewayV2::Api", None) => "a1b2c3d4e5".into(),
        ("AWS::SecretsManager::Secret", None) => format!("arn:{p}:secretsmanager:{r}:{a}:secret:{n}-AbCdEf"),
        (_, None | Some("Name" | "QueueName" | "TopicName")) => n,
        (_, Some(other)) => panic!("{id}.{other} ({ty}) has no placeholder"),
    }
}

/// A nested template as deployed: each parameter replaced by its value.
fn bound(template: &Value, values: &BTreeMap<String, String>) -> Value {
    fn walk(value: &mut Value, values: &BTreeMap<String, String>) {
        match value {
            Value::Object(map) => {
                if let Some(v) = map.get("Ref").and_then(Value::as_str).and_then(|p| values.get(p)) {
                    *value = Value::String(v.clone());
                    return;
                }
                if let Some(Value::String(template)) = map.get("Fn::Sub") {
                    let mut text = template.clone();
                    for (p, v) in values {
                        text = text.replace(&format!("${{{p}}}"), v);
                    }
                    // A template left without variables is plain text.
                    *value = match text.replace("${!", "").contains("${") {
                        true => serde_json::json!({ "Fn::Sub": text }),
                        false => Value::String(text.replace("${!", "${")),
                    };
                    return;
                }
                map.values_mut().for_each(|v| walk(v, values));
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, values)),
            _ => {}
        }
    }
    let mut template = template.clone();
    if let Some(map) = template.as_object_mut() {
        map.remove("Parameters");
    }
    walk(&mut template, values);
    template
}

fn write_folder(dir: &Path, files: &[(String, String)]) {
    let _ = std::fs::remove_dir_all(dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("creatable folder");
        std::fs::write(path, text).expect("writable file");
    }
}

/// Whether a failed run failed on one known validator artifact only:
/// cfn-lint-r resolves every HTTP API's id to one placeholder
/// (`a1b2c3d4e5`), so two APIs' `$default` stages look like one stage
/// (E3019). A template that was never split fails the same way as soon as
/// it has two APIs; the generated app has ten, in one stack.
fn only_the_api_id_artifact(report: &str, logs: &Path) -> bool {
    let failing: Vec<&str> = report.lines().filter(|l| l.contains(" FAIL ") && !l.starts_with("RESULT")).collect();
    if failing.len() != 1 || !failing[0].trim_start().starts_with("cfn-lint-r") {
        return false;
    }
    let read = |name: &str| -> Vec<Value> {
        std::fs::read_to_string(logs.join(name)).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
    };
    let plain: BTreeSet<String> = read("cfn-lint.json").iter().map(|m| m["Rule"]["Id"].to_string()).collect();
    let new: Vec<Value> =
        read("cfn-lint-r.json").into_iter().filter(|m| !plain.contains(&m["Rule"]["Id"].to_string())).collect();
    !new.is_empty()
        && new.iter().all(|m| {
            m["Rule"]["Id"] == "E3019"
                && m["Message"].as_str().is_some_and(|t| t.contains("'ApiId': 'a1b2c3d4e5', 'StageName': '$default'"))
        })
}

/// The independent validators (../shared/validate) on the 1,000-function
/// app: the root folder (template.json and stacks/, so cfn-lint checks each
/// nested stack's parameters against what the root passes); each nested
/// template as written (cfn-lint, checkov); and each nested template as
/// deployed, its parameters bound to the values the root passes (every
/// tool: cfn-lint-r inlines each `Ref` and would report every parameter
/// unused, and iam and needs cannot see a value across stacks). Run with
/// `cargo test --release --test nested_stacks -- --ignored --nocapture`.
#[test]
#[ignore = "needs ../shared/validate and its tools"]
fn validators_accept_the_root_and_every_nested_stack() {
    let root_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let validate = root_dir.join("../shared/validate/validate.sh");
    assert!(validate.exists(), "no {}", validate.display());
    let (_, files) = thousand();
    let templates = templates(files);
    let out = root_dir.join("target/nested-stacks/app1000");
    let mut runs: Vec<(String, PathBuf, &str)> = Vec::new();
    write_folder(&out.join("root"), files);
    runs.push(("root".into(), out.join("root"), "cfn-lint cfn-lint-r checkov iam needs"));
    for (name, text) in files.iter().filter(|(n, _)| n.starts_with("stacks/")) {
        let stack = name.trim_start_matches("stacks/").trim_end_matches(".json");
        let written = out.join(stack);
        write_folder(&written, &[("template.json".into(), text.clone())]);
        runs.push((format!("{stack} as written"), written, "cfn-lint checkov"));
        let deployed = out.join(format!("{stack}-deployed"));
        let template = bound(&templates[name], &placeholders(&templates, stack));
        let text = serde_json::to_string_pretty(&template).expect("prints");
        write_folder(&deployed, &[("template.json".into(), text)]);
        runs.push((format!("{stack} as deployed"), deployed, "cfn-lint cfn-lint-r checkov iam needs"));
    }
    let results: Vec<(String, bool, String)> = std::thread::scope(|scope| {
        let chunks: Vec<Vec<&(String, PathBuf, &str)>> =
            (0..4).map(|i| runs.iter().skip(i).step_by(4).collect()).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let validate = &validate;
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(what, dir, tools)| {
                            let logs = dir.with_extension("logs");
                            let _ = std::fs::remove_dir_all(&logs);
                            let output = std::process::Command::new(validate)
                                .arg(dir)
                                .env("VALIDATE_LOGDIR", &logs)
                                .env("VALIDATE_ONLY", tools)
                                .env("CHECKOV_SKIP_FILE", root_dir.join(".ci/checkov-skip.txt"))
                                .env("IAM_IGNORE", "CREDENTIALS_EXPOSURE,PERMISSIONS_MANAGEMENT_ACTIONS")
                                .env("VALIDATE_JOBS", "2")
                                .output()
                                .expect("validate.sh runs");
                            let report = String::from_utf8_lossy(&output.stdout).into_owned()
                                + &String::from_utf8_lossy(&output.stderr);
                            let ok = output.status.success() || only_the_api_id_artifact(&report, &logs);
                            (what.clone(), ok, report)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a validation thread")).collect()
    });
    let mut failures = Vec::new();
    for (what, ok, report) in &results {
        println!("== {what}\n{report}");
        if !ok {
            failures.push(what.clone());
        }
    }
    assert!(failures.is_empty(), "validators failed on: {failures:?}");
}

/// Deploys a split output into moto: the nested templates uploaded to
/// moto's S3 and the root's `TemplateURL`s pointed at them (what `aws
/// cloudformation package` does), then `create_stack` of the root. moto
/// models nested stacks but not `Fn::GetAtt [Stack, "Outputs.X"]`
/// (its `Stack` has no `get_cfn_attribute`), so the script adds that one
/// method, reading the nested stack's outputs.
const MOTO_NESTED: &str = r#"
import json, os, sys
os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_DEFAULT_REGION": "us-east-1", "VALIDATE_LAMBDA_S3": "false"})
import boto3
from moto import mock_aws
from moto.cloudformation.models import Stack

def get_cfn_attribute(self, name):
    for o in (self.outputs or []) if name.startswith("Outputs.") else []:
        if o["OutputKey"] == name[len("Outputs."):]:
            return o["OutputValue"]
    raise NotImplementedError(name)
Stack.get_cfn_attribute = get_cfn_attribute

folder = sys.argv[1]
root = json.load(open(os.path.join(folder, "template.json")))
with mock_aws():
    s3, cf = boto3.client("s3"), boto3.client("cloudformation")
    s3.create_bucket(Bucket="templates")
    for r in root["Resources"].values():
        url = r["Properties"]["TemplateURL"]
        s3.put_object(Bucket="templates", Key=url, Body=open(os.path.join(folder, url)).read())
        r["Properties"]["TemplateURL"] = "https://s3.amazonaws.com/templates/" + url
    cf.create_stack(StackName="root", TemplateBody=json.dumps(root), Capabilities=["CAPABILITY_IAM"])
    stacks = cf.list_stacks()["StackSummaries"]
    bad = [s["StackName"] for s in stacks if s["StackStatus"] != "CREATE_COMPLETE"]
    resources = [r for s in stacks for r in cf.list_stack_resources(StackName=s["StackName"])["StackResourceSummaries"]]
    bad += [r["LogicalResourceId"] for r in resources if r["ResourceStatus"] != "CREATE_COMPLETE"]
    print(f"MOTO_NESTED stacks={len(stacks)} resources={len(resources)} failed={len(bad)} {bad[:5]}")
    sys.exit(1 if bad else 0)
"#;

/// moto deploys each example split into nested stacks of at most five
/// resources (the generated app has FIFO queues without names, which moto
/// rejects whether split or not). Run with `-- --ignored`.
#[test]
#[ignore = "needs the validators' Python environment (moto)"]
fn moto_deploys_the_split_examples() {
    let home = std::env::var("VALIDATE_HOME").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/lambdaform-validate")
    });
    let python = home.join("venv/bin/python");
    assert!(python.exists(), "no {}", python.display());
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/nested-stacks");
    std::fs::create_dir_all(&out).expect("creatable folder");
    let script = out.join("moto_nested.py");
    std::fs::write(&script, MOTO_NESTED).expect("writable script");
    for example in ["orders", "media_pipeline", "streams", "http_api"] {
        let files =
            build(&example_source(example), &SplitOptions { force: true, budget: 5, ..SplitOptions::default() });
        let dir = out.join(format!("moto-{example}"));
        write_folder(&dir, &files);
        let output = std::process::Command::new(&python).arg(&script).arg(&dir).output().expect("python runs");
        let report = String::from_utf8_lossy(&output.stdout);
        println!("{example}: {}", report.lines().last().unwrap_or(""));
        assert!(output.status.success(), "{example}: {report}{}", String::from_utf8_lossy(&output.stderr));
    }
}
