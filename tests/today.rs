//! The day is an input: every command that checks an app takes it from
//! `--today`, else from `LAMBDAFORM_TODAY`, else from the clock; a runtime's
//! status follows the day given, never the machine's clock.

mod common;

use std::path::PathBuf;
use std::process::Output;

/// An app whose one runtime is deprecated on 2026-08-16 and refused for
/// new functions from 2027-02-01.
fn app(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/today-test").join(test);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let file = dir.join("main.lf");
    let text = "app dated { region = \"eu-west-1\" }\n\nfunction f {\n  runtime = \"python3.9\"\n  handler = \"app.handler\"\n  code    = \"build/f.zip\"\n}\n";
    std::fs::write(&file, text).expect("write the app");
    file
}

fn run(args: &[&str], environment: Option<&str>) -> Output {
    let mut command = common::lambdaform();
    if let Some(day) = environment {
        command.env("LAMBDAFORM_TODAY", day);
    }
    command.args(args).output().expect("lambdaform runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_follows_the_day_given() {
    let app = app("check");
    let app = app.to_str().expect("utf-8");
    let before = run(&["check", app], None);
    assert_eq!(before.status.code(), Some(0), "{}", stderr(&before));
    assert!(stderr(&before).contains("warning[LF3002]"), "{}", stderr(&before));

    let option = run(&["check", app, "--today", "2027-02-01"], None);
    assert_eq!(option.status.code(), Some(1), "the option wins over the environment: {}", stderr(&option));
    assert!(stderr(&option).contains("error[LF3001]"), "{}", stderr(&option));

    let environment = run(&["check", app], Some("2027-02-01"));
    assert_eq!(environment.status.code(), Some(1), "{}", stderr(&environment));

    let option_first = run(&["--today", "2026-08-16", "check", app], Some("2027-02-01"));
    assert_eq!(option_first.status.code(), Some(0), "{}", stderr(&option_first));
}

#[test]
fn every_checking_command_takes_the_day() {
    let app = app("commands");
    let app = app.to_str().expect("utf-8");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/today-test/commands/out");
    let _ = std::fs::remove_dir_all(&out);
    let out = out.to_str().expect("utf-8");
    let refused = [
        vec!["build", app, "--out", out],
        vec!["explain", app],
        vec!["graph", app],
        vec!["plan", app, "--against", out],
    ];
    for args in refused {
        let mut args = args.clone();
        args.extend(["--today", "2027-02-01"]);
        let output = run(&args, None);
        assert_ne!(output.status.code(), Some(0), "{args:?}");
        assert!(stderr(&output).contains("LF3001"), "{args:?}: {}", stderr(&output));
    }
    assert!(!PathBuf::from(out).exists(), "the refused build wrote nothing");
    let built = run(&["build", app, "--out", out, "--today", "2026-08-16"], None);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
}

#[test]
fn a_day_that_is_not_a_date_is_a_usage_error() {
    let app = app("usage");
    let app = app.to_str().expect("utf-8");
    let option = run(&["check", app, "--today", "2027-02-30"], None);
    assert_eq!(option.status.code(), Some(2));
    assert!(stderr(&option).contains("--today: `2027-02-30` is not a day of the calendar"), "{}", stderr(&option));
    let environment = run(&["check", app], Some("tomorrow"));
    assert_eq!(environment.status.code(), Some(2));
    assert!(stderr(&environment).contains("LAMBDAFORM_TODAY: `tomorrow` is not a date"), "{}", stderr(&environment));
}
