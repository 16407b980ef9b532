//! `plan`'s widening gate sees the roles of state machines and schedules:
//! a definition that starts calling something new widens the state
//! machine's role, read back from either output.

mod common;

use std::path::Path;

/// The order workflow example copied to a scratch folder and built there.
fn built(scratch: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let app = scratch.join("app");
    let out = scratch.join("out");
    let example = common::root().join("examples/order_workflow");
    for relative in ["main.lf", "flows/order.asl.json", "build/orders.zip"] {
        let to = app.join(relative);
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("mkdir");
        std::fs::copy(example.join(relative), &to).expect("copy");
    }
    let status = common::lambdaform().arg("build").arg(&app).arg("--out").arg(&out).output().expect("build");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    (app, out)
}

fn plan(app: &Path, out: &Path) -> (Option<i32>, String) {
    let output =
        common::lambdaform().args(["plan", "--deny", "widen", "--against"]).arg(out).arg(app).output().expect("plan");
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_new_task_widens_the_state_machines_role() {
    for keep in ["template.json", "main.tf"] {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let (app, out) = built(scratch.path());
        for other in ["template.json", "main.tf"].iter().filter(|f| **f != keep) {
            std::fs::remove_file(out.join(other)).expect("remove the other target");
        }
        assert_eq!(plan(&app, &out).0, Some(0), "{keep}: no change yet");
        let definition = app.join("flows/order.asl.json");
        let text = std::fs::read_to_string(&definition).expect("read");
        std::fs::write(&definition, text.replace("dynamodb:putItem", "dynamodb:deleteItem")).expect("write");
        let (code, text) = plan(&app, &out);
        assert_eq!(code, Some(3), "{keep}: a widened grant is denied\n{text}");
        assert!(
            text.contains("[widen] order_workflow-dev-order_flow may now do what it could not: dynamodb:DeleteItem"),
            "{keep}:\n{text}"
        );
    }
}
