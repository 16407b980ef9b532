//! `lambdaform build` end to end: outputs and packages written, the same
//! bytes twice and on one thread or two, nothing written while an error
//! stands, a missing package reported as LF4003 without stopping the
//! build, an app whose root template would be over 1 MB refused as LF4004,
//! two resources that would share a physical name refused as LF4010, and
//! the stages of a build written to stderr when `LAMBDAFORM_TIMELINE` asks.

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
    common::lambdaform()
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
    let result = common::lambdaform()
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

/// A split app whose root would hold more than 500 stack resources (one
/// per nested stack; here 600 functions, a nested stack each at budget 1)
/// is refused as LF4011, and the previous output stays.
#[test]
fn a_root_of_more_than_500_stacks_is_refused() {
    let dir = scratch("crowded_root");
    let app = dir.join("main.lf");
    std::fs::write(&app, common::gen::app(600)).expect("write app");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out folder");
    std::fs::write(out.join("template.json"), "previous").expect("previous output");
    let (app, out_arg) = (app.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let args = ["build", app, "--out", out_arg, "--target", "cloudformation", "--stack-budget", "1"];
    let result = common::lambdaform().args(args).output().expect("lambdaform runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[LF4011]: template.json would hold"), "{stderr}");
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

// Trust boundaries (issue 16): build reads only regular files inside the
// app folder, checks everything before writing, replaces the output set
// as a whole, removes only what it recorded as its own, locks the output
// folder, and cleans up after a killed build.

/// An app of one function per `(name, code)`, in `dir/app/main.lf`; each
/// function's `code` line is line 6 + 6 × its index.
fn app_of(dir: &Path, functions: &[(&str, &str)]) -> PathBuf {
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("build")).expect("app folder");
    let mut text = String::from("app lone { region = \"eu-west-1\" }\n");
    for (name, code) in functions {
        text.push_str(&format!(
            "\nfunction {name} {{\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  code    = \"{code}\"\n}}\n"
        ));
    }
    std::fs::write(app.join("main.lf"), text).expect("write app");
    app
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The names of the entries of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_package_that_links_outside_the_app_is_refused() {
    let dir = scratch("package_outside");
    std::fs::write(dir.join("secret"), "root:hash-of-the-password").expect("secret");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    std::os::unix::fs::symlink(dir.join("secret"), app.join("build/f.zip")).expect("symlink");
    let out = dir.join("out");
    let result = build(&app, &out);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[LF4005]"), "{stderr}");
    assert!(stderr.contains("main.lf:6:13"), "points at the code path: {stderr}");
    assert!(!out.join("build/f.zip").exists(), "the secret is not copied");
    assert!(!out.exists(), "nothing is written");
    let real = std::fs::canonicalize(&dir).expect("scratch folder");
    let shown =
        stderr.replace(&real.display().to_string(), "[scratch]").replace(&dir.display().to_string(), "[scratch]");
    insta::assert_snapshot!("package_outside_the_app", shown);
}

/// The folders on the way to packages are resolved once for all the
/// packages in them: a folder that links outside the app refuses every
/// package in it, and one that links to a folder inside reads them there.
#[cfg(unix)]
#[test]
fn a_package_folder_that_links_outside_the_app_is_refused() {
    let dir = scratch("package_folder_outside");
    std::fs::create_dir_all(dir.join("elsewhere")).expect("outside folder");
    std::fs::write(dir.join("elsewhere/f.zip"), "zip").expect("outside package");
    let app = app_of(&dir, &[("f", "linked/f.zip"), ("g", "linked/f.zip"), ("h", "inner/h.zip")]);
    std::os::unix::fs::symlink(dir.join("elsewhere"), app.join("linked")).expect("symlink");
    std::fs::write(app.join("build/h.zip"), "zip").expect("package");
    std::os::unix::fs::symlink("build", app.join("inner")).expect("symlink inside");
    let out = dir.join("out");
    let result = build(&app, &out);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("error[LF4005]").count(), 1, "one package, refused once: {stderr}");
    assert!(stderr.contains("the package `linked/f.zip` of `f` leads outside the app folder"), "{stderr}");
    assert!(stderr.contains("main.lf:6:13"), "points at f's code path: {stderr}");
    assert!(!stderr.contains("inner/h.zip"), "a link inside the app is followed: {stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[cfg(unix)]
#[test]
fn an_lf_file_that_links_outside_the_app_is_not_read() {
    let dir = scratch("lf_outside");
    std::fs::write(dir.join("outside.lf"), "SECRET_TOKEN=hunter2\n").expect("outside");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    std::os::unix::fs::symlink(dir.join("outside.lf"), app.join("env.lf")).expect("symlink");
    std::os::unix::fs::symlink("/proc/self/environ", app.join("proc.lf")).expect("symlink");
    let result = build(&app, &dir.join("out"));
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("env.lf"), "names the file: {stderr}");
    assert!(stderr.contains("outside the app folder"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "the file is not read: {stderr}");
    for (command, extra) in [("check", None), ("fmt", Some("--check"))] {
        let mut args = vec![command, app.to_str().expect("utf-8")];
        args.extend(extra);
        let output = common::lambdaform().args(&args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert!(!stderr_of(&output).contains("hunter2"), "{command} does not read it");
    }
}

/// Runs `build` and kills it if it has not finished in 60 seconds.
fn build_or_kill(app: &Path, out: &Path) -> Output {
    let mut child = common::lambdaform()
        .args(["build", app.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("lambdaform runs");
    let start = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("build hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[cfg(unix)]
#[test]
fn a_package_that_is_not_a_readable_file_is_an_error() {
    let dir = scratch("package_fifo");
    let app = app_of(&dir, &[("f", "build/f.zip"), ("g", "build/g.zip"), ("h", "build/h.zip")]);
    let made = Command::new("mkfifo").arg(app.join("build/f.zip")).status().expect("mkfifo");
    assert!(made.success());
    std::fs::create_dir_all(app.join("build/g.zip")).expect("folder");
    std::os::unix::fs::symlink("i.zip", app.join("build/h.zip")).expect("symlink");
    std::os::unix::fs::symlink("h.zip", app.join("build/i.zip")).expect("a loop of links");
    let out = dir.join("out");
    let result = build_or_kill(&app, &out);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[LF4006]: the package `build/f.zip` of `f` is a named pipe"), "{stderr}");
    assert!(stderr.contains("error[LF4006]: the package `build/g.zip` of `g` is a folder"), "{stderr}");
    assert!(stderr.contains("error[LF4007]: the package `build/h.zip` of `h` cannot be read"), "{stderr}");
    for line in ["main.lf:6:13", "main.lf:12:13", "main.lf:18:13"] {
        assert!(stderr.contains(line), "points at each code path: {stderr}");
    }
    assert!(!out.join("template.json").exists(), "nothing is written");
}

#[test]
fn two_spellings_of_one_package_are_one_package() {
    let dir = scratch("two_spellings");
    let app = app_of(&dir, &[("f", "build/a.zip"), ("g", "./build/a.zip"), ("h", "build/./a.zip")]);
    std::fs::write(app.join("build/a.zip"), "zip").expect("package");
    let out = dir.join("out");
    let result = build(&app, &out);
    assert!(result.status.success(), "{}", stderr_of(&result));
    assert_eq!(std::fs::read(out.join("build/a.zip")).expect("copied"), b"zip");
    assert_eq!(entries(&out.join("build")), ["a.zip"]);
}

#[test]
fn an_output_path_that_cannot_be_written_is_refused_before_anything_is_written() {
    let dir = scratch("refused_output");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    let out = dir.join("out");
    assert!(build(&app, &out).status.success());
    let before = std::fs::read(out.join("template.json")).expect("first build");
    std::fs::write(app.join("queue.lf"), "queue jobs {}\n").expect("a change");
    std::fs::remove_file(out.join("main.tf")).expect("remove");
    std::fs::create_dir_all(out.join("main.tf")).expect("a folder in its place");
    let result = build(&app, &out);
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("main.tf") && stderr.contains("is a folder"), "{stderr}");
    assert_eq!(std::fs::read(out.join("template.json")).expect("kept"), before, "the old template stays");
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_folder_is_never_followed() {
    let dir = scratch("symlinked_stacks");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("elsewhere");
    std::fs::write(elsewhere.join("Stack01.json"), "theirs").expect("their file");
    std::fs::write(elsewhere.join("Other.json"), "theirs").expect("their file");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out");
    std::os::unix::fs::symlink(&elsewhere, out.join("stacks")).expect("symlink");
    let result = common::lambdaform()
        .args(["build", app.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8"), "--split"])
        .output()
        .expect("runs");
    let stderr = stderr_of(&result);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stacks") && stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(entries(&elsewhere), ["Other.json", "Stack01.json"]);
    assert_eq!(std::fs::read_to_string(elsewhere.join("Stack01.json")).expect("kept"), "theirs");
    assert!(!out.join("template.json").exists(), "nothing is written");
}

/// The builds of the old design wrote `.NAME.tmp-PID` beside each output
/// through any symlink found there; the next few process ids all get one.
#[cfg(target_os = "linux")]
#[test]
fn temporary_files_never_follow_a_planted_symlink() {
    let dir = scratch("planted");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    std::fs::write(app.join("build/f.zip"), "zip").expect("package");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("build")).expect("out");
    let victim = dir.join("victim");
    std::fs::write(&victim, "precious").expect("victim");
    let last: u32 =
        std::fs::read_to_string("/proc/sys/kernel/ns_last_pid").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
    for pid in last + 1..last + 400 {
        for name in [".template.json", ".main.tf", "build/.f.zip"] {
            let _ = std::os::unix::fs::symlink(&victim, out.join(format!("{name}.tmp-{pid}")));
        }
    }
    let result = build(&app, &out);
    assert!(result.status.success(), "{}", stderr_of(&result));
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "precious");
}

#[test]
fn only_files_the_previous_build_wrote_are_removed() {
    let dir = scratch("owned");
    let app = app_of(&dir, &[("f", "build/f.zip"), ("g", "build/g.zip")]);
    std::fs::write(app.join("build/f.zip"), "f").expect("package");
    std::fs::write(app.join("build/g.zip"), "g").expect("package");
    let out = dir.join("out");
    assert!(build(&app, &out).status.success());
    assert!(out.join("build/g.zip").is_file());
    std::fs::create_dir_all(out.join("stacks")).expect("stacks");
    std::fs::write(out.join("stacks/Mine.json"), "{}").expect("a file of the user's");
    std::fs::write(out.join("build/notes.zip"), "mine").expect("a file of the user's");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    let result = build(&app, &out);
    assert!(result.status.success(), "{}", stderr_of(&result));
    assert!(stderr_of(&result).contains("removed"), "{}", stderr_of(&result));
    assert!(!out.join("build/g.zip").exists(), "the package this build no longer has is removed");
    assert_eq!(std::fs::read_to_string(out.join("stacks/Mine.json")).expect("kept"), "{}");
    assert_eq!(std::fs::read_to_string(out.join("build/notes.zip")).expect("kept"), "mine");
}

#[cfg(unix)]
#[test]
fn a_second_build_into_one_folder_waits_for_the_first() {
    use std::io::BufRead;
    let dir = scratch("locked");
    let app = app_of(&dir, &[("f", "build/f.zip")]);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out");
    let lock = std::fs::File::create(out.join(".lambdaform.lock")).expect("lock file");
    lock.lock().expect("the first build's lock");
    let mut child = common::lambdaform()
        .args(["build", app.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("lambdaform runs");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while !line.contains("waiting") {
        line.clear();
        if stderr.read_line(&mut line).expect("read") == 0 {
            let _ = child.wait();
            panic!("the second build did not wait");
        }
    }
    assert!(line.contains("another build"), "{line}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().expect("wait").is_none(), "it waits");
    assert!(!out.join("template.json").exists(), "and writes nothing meanwhile");
    lock.unlock().expect("unlock");
    assert!(child.wait().expect("finishes").success());
    assert!(out.join("template.json").is_file());
}

/// Two apps built into one folder at once, again and again: the folder
/// always ends up holding one of them whole.
#[test]
fn concurrent_builds_leave_one_whole_set() {
    let dir = scratch("concurrent");
    let small = app_of(&dir.join("small"), &[("f", "build/f.zip")]);
    let large = app_of(&dir.join("large"), &[("g", "build/g.zip"), ("h", "build/h.zip")]);
    let reference = |app: &Path, name: &str| {
        let out = dir.join(name);
        assert!(build(app, &out).status.success());
        (std::fs::read(out.join("template.json")).expect("t"), std::fs::read(out.join("main.tf")).expect("m"))
    };
    let sets = [reference(&small, "small-out"), reference(&large, "large-out")];
    let out = dir.join("out");
    for _ in 0..6 {
        let spawn = |app: &Path| {
            common::lambdaform()
                .args(["build", app.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")])
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("lambdaform runs")
        };
        let (mut a, mut b) = (spawn(&small), spawn(&large));
        assert!(a.wait().expect("a").success() && b.wait().expect("b").success());
        let found =
            (std::fs::read(out.join("template.json")).expect("t"), std::fs::read(out.join("main.tf")).expect("m"));
        assert!(sets.contains(&found), "template.json and main.tf come from one build");
    }
}

/// Builds killed at every moment of their run, then one that finishes:
/// it leaves no staging folder or temporary file, and the set is whole.
#[cfg(unix)]
#[test]
fn the_next_build_cleans_up_after_a_killed_one() {
    let dir = scratch("killed");
    let app = app_of(&dir, &[("f", "build/f.zip"), ("g", "build/g.zip")]);
    std::fs::write(app.join("build/f.zip"), vec![7u8; 4 << 20]).expect("package");
    std::fs::write(app.join("build/g.zip"), vec![8u8; 4 << 20]).expect("package");
    let reference = dir.join("reference");
    let started = std::time::Instant::now();
    assert!(build(&app, &reference).status.success());
    let duration = started.elapsed();
    let out = dir.join("out");
    std::fs::create_dir_all(out.join(".lambdaform-build-Xy12Zq/new/build")).expect("a leftover staging folder");
    std::fs::write(out.join(".lambdaform-build-Xy12Zq/new/template.json"), "half").expect("leftover");
    std::fs::write(out.join(".main.tf.tmp-4242"), "half").expect("an older build's leftover");
    for round in 0..24u32 {
        let mut child = common::lambdaform()
            .args(["build", app.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("lambdaform runs");
        std::thread::sleep(duration * round / 16);
        let _ = child.kill();
        let _ = child.wait();
    }
    let result = build(&app, &out);
    assert!(result.status.success(), "{}", stderr_of(&result));
    let leftovers: Vec<String> = entries(&out)
        .into_iter()
        .chain(entries(&out.join("build")))
        .filter(|name| name.starts_with(".lambdaform-build-") || name.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    for file in ["template.json", "main.tf", "build/f.zip", "build/g.zip"] {
        assert_eq!(std::fs::read(out.join(file)).expect("out"), std::fs::read(reference.join(file)).expect("ref"));
    }
}

/// Small apps are built on one thread (`parallel::alone`), large ones on
/// the pool's two: the outputs must not tell which. Checked and emitted
/// both ways, an app large enough for every stage to split its work gives
/// the same bytes.
#[test]
fn one_thread_and_two_build_the_same_bytes() {
    use lambdaform::check::{check_with, Input};
    use lambdaform::emit::{emit_with, Options, SplitOptions};
    let make = || {
        let input = Input { name: "main.lf".to_string(), bytes: common::gen::app(200).into_bytes() };
        let checked = check_with(vec![input], common::today(), &|_: &str| Err("no files".to_string()));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let split = SplitOptions { force: true, ..SplitOptions::default() };
        let files = emit_with(&checked, &Options { stage: "dev".to_string() }, &split, true, true);
        (checked.diagnostics.len(), files)
    };
    let two = make();
    let one = lambdaform::parallel::alone(make);
    assert!(two.1.len() > 3, "nested stacks, a root and main.tf: {:?}", two.1.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert_eq!(one, two);
}

/// With `LAMBDAFORM_TIMELINE` set, each stage of a build writes one line
/// as it ends, in pipeline order, at times that never go back; without
/// it, none, and the output is the same.
#[test]
fn the_timeline_lists_each_stage_of_a_build_once_in_order() {
    let dir = scratch("timeline");
    let timed_build = |out: &Path| {
        common::lambdaform()
            .args(["build", example("orders").to_str().expect("utf-8"), "--out"])
            .arg(out)
            .env(lambdaform::cli::timeline::VARIABLE, "1")
            .output()
            .expect("lambdaform runs")
    };
    let timeline = |stderr: &str| -> Vec<Vec<String>> {
        let lines = stderr.lines().filter(|line| line.starts_with("timeline "));
        lines.map(|line| line.split_whitespace().map(str::to_string).collect()).collect()
    };
    let timed = timed_build(&dir.join("timed"));
    assert!(timed.status.success(), "{}", stderr_of(&timed));
    let lines = timeline(&stderr_of(&timed));
    let stages: Vec<String> = lines.iter().map(|fields| fields[9..].join(" ")).collect();
    let expected = [
        "read",
        "parsed",
        "resolved",
        "graph",
        "checked",
        "layer",
        "resources printed",
        "emitted",
        "staged",
        "written",
    ];
    assert_eq!(stages, expected);
    let units = |fields: &Vec<String>| {
        fields[2..4] == ["ms", "wall"] && fields[5..7] == ["ms", "processor"] && fields[8] == "MB"
    };
    assert!(lines.iter().all(units), "{lines:?}");
    // Neither clock goes back from one stage to the next (the processor's
    // is read on Unix; elsewhere the column says `-`).
    let clocks: &[usize] = if cfg!(unix) { &[1, 4] } else { &[1] };
    for &column in clocks {
        let times: Vec<f64> = lines.iter().map(|fields| fields[column].parse().expect("milliseconds")).collect();
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{times:?}");
    }

    // A build whose files cannot be moved in writes nothing: its timeline
    // ends where it stopped, never at `written`.
    let refused = dir.join("refused");
    std::fs::create_dir_all(&refused).expect("output folder");
    std::os::unix::fs::symlink(&dir, refused.join("build")).expect("a link where the packages go");
    let failed = timed_build(&refused);
    assert!(!failed.status.success(), "{}", stderr_of(&failed));
    let ended: Vec<String> = timeline(&stderr_of(&failed)).iter().map(|fields| fields[9..].join(" ")).collect();
    assert_eq!(ended, expected[..expected.len() - 2], "{}", stderr_of(&failed));

    let plain = build(&example("orders"), &dir.join("plain"));
    assert!(plain.status.success(), "{}", stderr_of(&plain));
    assert!(!stderr_of(&plain).contains("timeline "), "{}", stderr_of(&plain));
    for file in ["template.json", "main.tf"] {
        let read = |folder: &str| std::fs::read(dir.join(folder).join(file)).expect("written");
        assert_eq!(read("timed"), read("plain"), "{file}");
    }
}
