//! `lambdaform build` end to end: outputs and packages written, the same
//! bytes twice, nothing written while an error stands, and a missing
//! package reported as LF4003 without stopping the build, and an app whose
//! root template would be over 1 MB refused as LF4004, and two resources
//! that would share a physical name refused as LF4010.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/build-test").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn build(app: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lambdaform"))
        .args(["build", app.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")])
        .output()
        .expect("lambdaform runs")
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

#[test]
fn writes_templates_and_packages() {
    let out = scratch("orders").join("out");
    let result = build(&example("orders"), &out);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    for file in ["template.json", "main.tf", "build/create_order.zip", "build/report.zip"] {
        assert!(out.join(file).is_file(), "{file} written");
    }
    let package = std::fs::read(out.join("build/worker.zip")).expect("package");
    assert_eq!(package, std::fs::read(example("orders").join("build/worker.zip")).expect("source package"));
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files stay behind");
}

#[test]
fn building_twice_gives_identical_bytes() {
    let dir = scratch("twice");
    let (a, b) = (dir.join("a"), dir.join("b"));
    assert!(build(&example("streams"), &a).status.success());
    assert!(build(&example("streams"), &b).status.success());
    for file in ["template.json", "main.tf"] {
        assert_eq!(std::fs::read(a.join(file)).expect("a"), std::fs::read(b.join(file)).expect("b"), "{file}");
    }
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let dir = scratch("failing");
    let app = dir.join("app");
    std::fs::create_dir_all(&app).expect("app folder");
    std::fs::copy(example("orders").join("main.lf"), app.join("main.lf")).expect("copy");
    let out = dir.join("out");
    assert!(build(&app, &out).status.success());
    let before = std::fs::read(out.join("template.json")).expect("first build");
    let broken =
        std::fs::read_to_string(app.join("main.lf")).expect("read").replace("memory  = 512MB", "memory  = 512");
    std::fs::write(app.join("main.lf"), broken).expect("write");
    let result = build(&app, &out);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("error[LF1005]"));
    assert_eq!(std::fs::read(out.join("template.json")).expect("still there"), before, "the old template stays");
}

#[test]
fn a_missing_package_is_a_warning() {
    let dir = scratch("missing");
    let app = dir.join("main.lf");
    std::fs::write(
        &app,
        "app lone { region = \"eu-west-1\" }\n\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n}\n",
    )
    .expect("write app");
    let result = build(&app, &dir.join("out"));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("warning[LF4003]"), "{stderr}");
    assert!(stderr.contains("main.lf:6:13"), "points at the code path: {stderr}");
    assert!(dir.join("out/template.json").is_file());
}

/// 4,500 generated functions read tables spread over the whole app, so
/// the root template passes more values between the nested stacks than
/// 1 MB holds (docs/codes.md#lf4004); 4,000 still fit.
#[test]
fn a_root_template_over_one_megabyte_is_refused_and_nothing_is_written() {
    let dir = scratch("too_large");
    let app = dir.join("main.lf");
    std::fs::write(&app, common::gen::app(4_500)).expect("write app");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out folder");
    std::fs::write(out.join("template.json"), "previous").expect("previous output");
    let result = Command::new(env!("CARGO_BIN_EXE_lambdaform"))
        .args([
            "build",
            app.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--target",
            "cloudformation",
        ])
        .output()
        .expect("lambdaform runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[LF4004]: template.json would be"), "{stderr}");
    assert!(stderr.contains("main.lf:2:5"), "points at the app: {stderr}");
    assert_eq!(std::fs::read_to_string(out.join("template.json")).expect("kept"), "previous");
    assert!(!out.join("stacks").exists(), "no nested stack is written");
}

/// Two function names longer than a function name may be, whose cut names
/// end in the same 32-bit hash (found by a birthday search): both would be
/// `shop-dev-process_incoming_customer_orders_from_the_part-03ed9189`.
#[test]
fn two_resources_with_one_physical_name_are_refused() {
    let dir = scratch("physical_name_collision");
    let function = |name: &str| {
        format!(
            "function {name} {{\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"a.zip\"\n}}\n"
        )
    };
    let text = format!(
        "app shop {{ region = \"eu-west-1\" }}\n\n{}\n{}",
        function("process_incoming_customer_orders_from_the_partner_portal_1kifa"),
        function("process_incoming_customer_orders_from_the_partner_portal_yyaha"),
    );
    std::fs::write(dir.join("main.lf"), text).expect("write app");
    let out = dir.join("out");
    let result = build(&dir.join("main.lf"), &out);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[LF4010]"), "{stderr}");
    assert!(
        stderr.contains("would both be named `shop-dev-process_incoming_customer_orders_from_the_part-03ed9189`"),
        "{stderr}"
    );
    assert!(stderr.contains("main.lf:9:10"), "points at the second name: {stderr}");
    assert!(stderr.contains("first named here"), "and at the first: {stderr}");
    assert!(!out.exists(), "nothing is written");
}
