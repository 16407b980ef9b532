//! The formatter: fixtures `tests/fmt/NAME.in.lf` → `NAME.out.lf`
//! (`LAMBDAFORM_BLESS=1 cargo test --test fmt` rewrites the outputs; read
//! them before committing), idempotence on every `.lf` file of the
//! repository that parses, every example already in canonical form, and
//! files with syntax errors refused.

use lambdaform::format::{format, FormatError};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            lf_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "lf") {
            out.push(path);
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn formatted(path: &Path, text: &str) -> String {
    format(text).unwrap_or_else(|e| panic!("{} does not format: {e}", path.display()))
}

#[test]
fn fixtures() {
    let bless = std::env::var_os("LAMBDAFORM_BLESS").is_some();
    let mut inputs: Vec<PathBuf> = Vec::new();
    lf_files(&root().join("tests/fmt"), &mut inputs);
    inputs.retain(|p| p.to_string_lossy().ends_with(".in.lf"));
    inputs.sort();
    assert!(inputs.len() >= 5, "the fixtures are missing");
    let mut failures = Vec::new();
    for input in inputs {
        let output = PathBuf::from(input.to_string_lossy().replace(".in.lf", ".out.lf"));
        let actual = formatted(&input, &read(&input));
        if bless {
            std::fs::write(&output, &actual).expect("write the expected output");
            continue;
        }
        let expected = if output.exists() { read(&output) } else { String::new() };
        if actual != expected {
            failures.push(format!("{}:\n{actual}", output.display()));
        }
        assert_eq!(formatted(&output, &expected), expected, "{} is not a fixed point", output.display());
    }
    assert!(failures.is_empty(), "formatted differently (LAMBDAFORM_BLESS=1 to accept):\n{}", failures.join("\n"));
}

/// Formatting twice changes nothing: on the fixtures, the examples, the
/// stdlib and every test program that parses.
#[test]
fn idempotent() {
    let mut files = Vec::new();
    for dir in ["examples", "stdlib", "tests"] {
        lf_files(&root().join(dir), &mut files);
    }
    files.sort();
    let mut checked = 0;
    for file in files {
        let Ok(text) = String::from_utf8(std::fs::read(&file).unwrap_or_default()) else {
            continue; // the fixture of invalid UTF-8
        };
        let once = match format(&text) {
            Ok(once) => once,
            Err(FormatError::Syntax(_)) => continue,
            Err(error) => panic!("{}: {error}", file.display()),
        };
        assert_eq!(formatted(&file, &once), once, "{}: formatting twice changes the text", file.display());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} files formatted");
}

#[test]
fn examples_are_in_canonical_form() {
    let mut files = Vec::new();
    lf_files(&root().join("examples"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = read(&file);
        let canonical = formatted(&file, &text);
        if canonical != text {
            let diff = similar::TextDiff::from_lines(&text, &canonical).unified_diff().to_string();
            panic!("{} is not in canonical form (run `lambdaform fmt examples/...`):\n{diff}", file.display());
        }
    }
}

#[test]
fn syntax_errors_are_refused() {
    for text in
        ["queue jobs {", "queue jobs { retention = }", "stray\nqueue jobs {}\n", "function f {\n  on jobs {\n}\n"]
    {
        match format(text) {
            Err(FormatError::Syntax(errors)) => assert!(!errors.is_empty()),
            other => panic!("{text:?} was formatted: {other:?}"),
        }
    }
    assert_eq!(format("").ok().as_deref(), Some(""));
    assert_eq!(format("\n\n# only a comment\n\n").ok().as_deref(), Some("# only a comment\n"));
}

/// Lines end without spaces, and indentation is two spaces a level.
#[test]
fn no_trailing_spaces_or_tabs() {
    let mut files = Vec::new();
    lf_files(&root().join("tests/fmt"), &mut files);
    for file in files.iter().filter(|f| f.to_string_lossy().ends_with(".out.lf")) {
        for (number, line) in read(file).lines().enumerate() {
            assert!(!line.ends_with(' ') && !line.contains('\t'), "{}:{}: {line:?}", file.display(), number + 1);
            let indent = line.len() - line.trim_start().len();
            assert!(indent % 2 == 0, "{}:{}: odd indent", file.display(), number + 1);
        }
    }
}

/// `lambdaform fmt --check` lists what would change and exits 1;
/// `lambdaform fmt` rewrites it; a file with syntax errors is left alone.
#[test]
fn command_line() {
    let dir = std::env::temp_dir().join(format!("lambdaform-fmt-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let (messy, clean, broken) = (dir.join("a.lf"), dir.join("b.lf"), dir.join("c.lf"));
    std::fs::write(&messy, "queue jobs {retention=14d}\n").expect("write");
    std::fs::write(&clean, "topic alerts {}\n").expect("write");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_lambdaform"))
            .args(args)
            .output()
            .expect("run lambdaform fmt");
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let folder = dir.to_string_lossy().into_owned();
    let (code, stdout) = run(&["fmt", &folder, "--check"]);
    assert_eq!((code, stdout.trim()), (Some(1), messy.to_string_lossy().as_ref()));
    assert_eq!(read(&messy), "queue jobs {retention=14d}\n", "--check writes nothing");
    let (code, _) = run(&["fmt", &folder]);
    assert_eq!(code, Some(0));
    assert_eq!(read(&messy), "queue jobs { retention = 14d }\n");
    assert_eq!(run(&["fmt", &folder, "--check"]).0, Some(0));
    std::fs::write(&broken, "queue jobs {\n").expect("write");
    assert_eq!(run(&["fmt", &folder]).0, Some(1));
    assert_eq!(read(&broken), "queue jobs {\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Examples with a line removed, or joined to the next one (two statements
/// on a line, a value split in odd places): the formatter never panics, and
/// what it formats is a fixed point.
#[test]
fn mutated_examples_format_to_fixed_points() {
    let mut files = Vec::new();
    lf_files(&root().join("examples"), &mut files);
    let mut formatted_count = 0;
    for file in files {
        let text = read(&file);
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut removed = lines.clone();
            removed.remove(i);
            let joined = format!("{} {}", lines[..=i].join("\n"), lines[i + 1..].join("\n"));
            for mutated in [removed.join("\n"), joined] {
                if let Ok(once) = format(&mutated) {
                    assert_eq!(
                        format(&once).ok().as_ref(),
                        Some(&once),
                        "{}: line {}:\n{mutated}",
                        file.display(),
                        i + 1
                    );
                    formatted_count += 1;
                }
            }
        }
    }
    assert!(formatted_count > 100, "only {formatted_count} mutations formatted");
}

/// `fmt` writes through a symlink to a file inside the folder it formats
/// (the link stays a link), refuses one that leads outside, and keeps
/// each file's mode.
#[cfg(unix)]
#[test]
fn symlinks_and_modes_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("lambdaform-fmt-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let folder = dir.join("app");
    std::fs::create_dir_all(folder.join("shared")).expect("temporary folder");
    let run = |path: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lambdaform"))
            .args(["fmt", path.to_str().expect("utf-8")])
            .output()
            .expect("run lambdaform fmt")
    };
    let private = folder.join("private.lf");
    std::fs::write(&private, "queue jobs {retention=14d}\n").expect("write");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::write(folder.join("shared/topics.lf"), "topic alerts   {}\n").expect("write");
    std::os::unix::fs::symlink("shared/topics.lf", folder.join("topics.lf")).expect("symlink");
    assert_eq!(run(&folder).status.code(), Some(0));
    assert_eq!(read(&private), "queue jobs { retention = 14d }\n");
    let mode = std::fs::metadata(&private).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the mode is kept");
    assert!(std::fs::symlink_metadata(folder.join("topics.lf")).expect("lstat").file_type().is_symlink());
    assert_eq!(read(&folder.join("shared/topics.lf")), "topic alerts {}\n", "written through the link");

    std::fs::write(dir.join("outside.lf"), "topic other   {}\n").expect("write");
    std::os::unix::fs::symlink("../outside.lf", folder.join("other.lf")).expect("symlink");
    let output = run(&folder);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("other.lf") && stderr.contains("outside"), "{stderr}");
    assert!(std::fs::symlink_metadata(folder.join("other.lf")).expect("lstat").file_type().is_symlink());
    assert_eq!(read(&dir.join("outside.lf")), "topic other   {}\n", "left alone");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CRLF file (a fixture with CRLF line endings) is formatted in CRLF,
/// and a CRLF file already in canonical form is not written at all.
#[cfg(unix)]
#[test]
fn crlf_files_stay_crlf() {
    use std::os::unix::fs::MetadataExt;
    let dir = std::env::temp_dir().join(format!("lambdaform-fmt-crlf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let crlf = |path: &str| read(&root().join(path)).replace('\n', "\r\n");
    let (messy, tidy) = (dir.join("messy.lf"), dir.join("tidy.lf"));
    std::fs::write(&messy, crlf("tests/fmt/comments.in.lf")).expect("write");
    std::fs::write(&tidy, crlf("tests/fmt/comments.out.lf")).expect("write");
    let before = std::fs::metadata(&tidy).expect("stat");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lambdaform"))
        .args(["fmt", dir.to_str().expect("utf-8")])
        .output()
        .expect("run lambdaform fmt");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.trim(), messy.to_string_lossy(), "only the messy file changed");
    assert_eq!(read(&messy), crlf("tests/fmt/comments.out.lf"), "formatted, in CRLF");
    let after = std::fs::metadata(&tidy).expect("stat");
    assert_eq!((after.ino(), after.mtime_nsec(), after.mtime()), (before.ino(), before.mtime_nsec(), before.mtime()));
    assert_eq!(read(&tidy), crlf("tests/fmt/comments.out.lf"));
    let _ = std::fs::remove_dir_all(&dir);
}
