//! `check` is total: it never panics and never hangs, whatever the bytes,
//! and every span it reports lies on char boundaries inside its file.
//!
//! Inputs: random bytes and random token soup from a small deterministic
//! PRNG (xorshift, no dependency), mutations of the example apps (byte
//! flips, deletions, duplications, splices), very deep nesting, a 10 MB
//! line, and files that are not UTF-8. Each case runs on a thread of the
//! default test stack size with a deadline, so a hang fails the test
//! instead of stalling it, and a stack overflow shows up as one.

mod common;

use common::rng::Rng;
use lambdaform::check::{check, Checked, Input};
use lambdaform::cli::render_to_string;
use lambdaform::diagnostic::{Code, Label};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Far above what any case needs in a debug build; only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(60);

/// Every span of every diagnostic lies inside its file, on char boundaries.
fn assert_spans(checked: &Checked, case: &str) {
    for d in &checked.diagnostics {
        let labels = std::iter::once(&d.primary).chain(&d.secondary);
        for Label { span, .. } in labels {
            let text = &checked.sources.get(span.file).text;
            let (start, end) = (span.start as usize, span.end as usize);
            assert!(
                start <= end && end <= text.len(),
                "{case}: {} span {start}..{end} outside its file of {} bytes",
                d.code,
                text.len()
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{case}: {} span {start}..{end} is not on char boundaries",
                d.code
            );
        }
    }
}

/// Checks `bytes` as one app on its own thread, within the deadline, and
/// asserts the spans; `render` also renders the diagnostics as the CLI would.
fn check_case(case: String, bytes: Vec<u8>, render: bool) -> Checked {
    let (send, receive) = mpsc::channel();
    let name = case.clone();
    let worker = std::thread::Builder::new()
        .name(case.clone())
        .spawn(move || {
            let checked = check(vec![Input { name: "case.lf".into(), bytes }], common::today());
            assert_spans(&checked, &name);
            if render {
                render_to_string(&checked, false);
            }
            let _ = send.send(checked);
        })
        .expect("spawn a checking thread");
    match receive.recv_timeout(DEADLINE) {
        Ok(checked) => {
            worker.join().expect("the checking thread finished");
            checked
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => panic!("{case}: the checking thread ended without a result"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{case}: check did not finish in {DEADLINE:?}"),
    }
}

/// Runs `cases` and prints how long they took.
fn timed(what: &str, cases: impl FnOnce() -> usize) {
    let start = Instant::now();
    let count = cases();
    println!("{what}: {count} case(s) in {:.2?}", start.elapsed());
}

fn example_sources() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root).expect("examples/").map(|e| e.expect("entry").path()).collect();
    dirs.sort();
    for dir in dirs {
        let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("example").map(|e| e.expect("entry").path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|x| x == "lf")) {
            files.push(std::fs::read(&path).expect("example file"));
        }
    }
    assert!(!files.is_empty(), "no example sources");
    files
}

#[test]
fn random_bytes() {
    timed("random bytes", || {
        let mut rng = Rng::new(0x5eed_0001);
        let cases = 1500;
        for case in 0..cases {
            let len = rng.below(600);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            check_case(format!("random bytes #{case}"), bytes, case % 8 == 0);
        }
        cases
    });
}

/// Pieces of Lambdaform, so random input gets past the first token.
const TOKENS: &[&str] = &[
    "app",
    "queue",
    "function",
    "table",
    "api",
    "existing",
    "kind",
    "on",
    "send",
    "read",
    "mount",
    "at",
    "allow",
    "invoke",
    "from",
    "account",
    "service",
    "source",
    "async",
    "attribute",
    "jobs",
    "orders",
    "public",
    "x",
    "Orders",
    "{",
    "}",
    "[",
    "]",
    "=",
    ",",
    ".",
    "\n",
    " ",
    "  ",
    "\"",
    "\"eu-west-1\"",
    "\"POST /x\"",
    "\"\\q\"",
    "\"\\",
    "1",
    "-1",
    "30s",
    "4d",
    "512MB",
    "2GB",
    "99999999999999999999",
    "9999999999999999d",
    "true",
    "false",
    "# c\n",
    "// c\n",
    "/",
    "é",
    "\u{1F600}",
    "\t",
    "\r\n",
    "arn",
    "\"arn:aws:sqs:eu-west-1:123456789012:q\"",
];

#[test]
fn random_token_soup() {
    timed("token soup", || {
        let mut rng = Rng::new(0x5eed_0002);
        let cases = 1500;
        for case in 0..cases {
            let count = rng.below(120);
            let text: String = (0..count).map(|_| *rng.pick(TOKENS)).collect();
            check_case(format!("token soup #{case}: {text:?}"), text.into_bytes(), case % 8 == 0);
        }
        cases
    });
}

/// One random edit: flip a byte, delete, duplicate, or splice in a piece of
/// another source.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, donors: &[Vec<u8>]) {
    let len = bytes.len();
    let at = rng.below(len + 1);
    match rng.below(5) {
        0 if len > 0 => bytes[at.min(len - 1)] = rng.next() as u8,
        1 if len > 0 => bytes[at.min(len - 1)] ^= 1 << rng.below(8),
        2 => {
            let end = (at + rng.below(64)).min(len);
            bytes.drain(at..end);
        }
        3 => {
            let end = (at + rng.below(64)).min(len);
            let piece = bytes[at..end].to_vec();
            bytes.splice(at..at, piece);
        }
        _ => {
            let donor = rng.pick(donors);
            let from = rng.below(donor.len() + 1);
            let to = (from + rng.below(200)).min(donor.len());
            bytes.splice(at..at, donor[from..to].iter().copied());
        }
    }
}

#[test]
fn mutated_examples() {
    let examples = example_sources();
    timed("mutated examples", || {
        let mut rng = Rng::new(0x5eed_0003);
        let cases = 1500;
        for case in 0..cases {
            let mut bytes = rng.pick(&examples).clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut rng, &mut bytes, &examples);
            }
            let checked = check_case(format!("mutated example #{case}"), bytes.clone(), case % 10 == 0);
            if case % 50 == 0 {
                // Same input, same diagnostics.
                let again = check_case(format!("mutated example #{case}, again"), bytes, false);
                assert_eq!(checked.diagnostics, again.diagnostics, "mutated example #{case} is not deterministic");
            }
        }
        cases
    });
}

/// The codes of the app file's diagnostics.
fn codes(checked: &Checked) -> Vec<Code> {
    checked.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    const DEEP: usize = 100_000;
    let cases: Vec<(&str, String)> = vec![
        ("a list in a block", format!("queue q {{ x = {} }}", "[".repeat(DEEP))),
        ("a closed list in a block", format!("queue q {{ x = {}1{} }}", "[".repeat(DEEP), "]".repeat(DEEP))),
        ("an object in a block", format!("queue q {{ x = {}", "{ a = ".repeat(DEEP))),
        ("bodies in bodies", format!("function f {{ {}", "async { ".repeat(DEEP))),
        ("braces at the top", "{".repeat(DEEP)),
        ("brackets at the top", format!("x = {}", "[".repeat(DEEP))),
        ("one item per line", "a b {\n".repeat(DEEP)),
    ];
    for (what, text) in &cases {
        timed(&format!("deep nesting, {what}"), || {
            let checked = check_case(format!("deep nesting: {what}"), text.clone().into_bytes(), false);
            assert!(checked.has_errors(), "deep nesting: {what}: no error");
            1
        });
    }
    let checked = check_case("deep list".into(), format!("queue q {{ x = {} }}", "[".repeat(DEEP)).into_bytes(), true);
    assert_eq!(codes(&checked), [Code::TooDeep]);
}

#[test]
fn the_deepest_accepted_nesting_parses_on_a_test_thread() {
    // The body's brace is one level, so 63 lists fill the 64 allowed.
    let ok = format!("function f {{\n  layers = {}\"x\"{}\n}}\n", "[".repeat(63), "]".repeat(63));
    let checked = check_case("63 lists".into(), ok.into_bytes(), true);
    assert!(!codes(&checked).contains(&Code::TooDeep) && !codes(&checked).contains(&Code::Syntax));
    let deeper = format!("function f {{\n  layers = {}\"x\"{}\n}}\n", "[".repeat(64), "]".repeat(64));
    assert!(codes(&check_case("64 lists".into(), deeper.into_bytes(), true)).contains(&Code::TooDeep));
}

const TEN_MB: usize = 10 * 1024 * 1024;

/// Checks one big input and prints how long it took.
fn big_case(what: &str, text: String) -> Checked {
    let start = Instant::now();
    let checked = check_case(what.to_string(), text.into_bytes(), false);
    println!("{what}: {} diagnostic(s) in {:.2?}", checked.diagnostics.len(), start.elapsed());
    checked
}

// A 10 MB line, in several shapes, each its own test so they run in
// parallel. pest parses a string at roughly 3 MB a second in a debug build,
// so the 10 MB string takes about 4 s here on its own.

#[test]
fn a_ten_megabyte_string() {
    let checked = big_case("10 MB string", format!("app a {{ region = \"{}\" }}", "x".repeat(TEN_MB)));
    assert_eq!(codes(&checked), [Code::InvalidValue]);
}

#[test]
fn a_ten_megabyte_line_of_statements() {
    let checked = big_case("10 MB of `a = 1` on one line", "a = 1 ".repeat(TEN_MB / 6));
    assert_eq!(codes(&checked), [Code::Syntax]);
}

#[test]
fn a_ten_megabyte_comment_and_number() {
    big_case("10 MB comment", format!("# {}\nqueue q {{}}\n", "x".repeat(TEN_MB)));
    let checked = big_case("10 MB number", format!("queue q {{ retention = {}d }}", "9".repeat(TEN_MB)));
    assert_eq!(codes(&checked), [Code::NumberTooLarge]);
}

#[test]
fn a_long_list_on_one_line() {
    // 2 MB, not 10: pest keeps a pair per item, and a debug build takes
    // 9 to 14 s for a 10 MB list (measured), too long for every test run.
    let checked =
        big_case("2 MB list", format!("function f {{ layers = [{}] }}", "\"l\", ".repeat(2 * 1024 * 1024 / 5)));
    assert!(codes(&checked).iter().all(|c| *c == Code::MissingAttribute));
}

#[test]
fn long_and_many_names_do_not_make_suggestions_quadratic() {
    // Suggestions compare names: two 5 MB ones must not cost length².
    let (long, other) = ("a".repeat(TEN_MB / 2), "b".repeat(TEN_MB / 2));
    let checked = big_case("two 5 MB names", format!("queue {long} {{}}\nfunction f {{ send {other} }}\n"));
    assert!(codes(&checked).contains(&Code::UnknownName));
    // Nor may 10,000 unknown names each be compared with 10,000 names.
    let n = 10_000;
    let mut text: String = (0..n).map(|i| format!("queue q{i} {{}}\n")).collect();
    let sends: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
    text.push_str(&format!("function f {{\n  send {}\n  network = q1\n  dead_letter = f\n}}\n", sends.join(", ")));
    let checked = big_case("10,000 unknown names among 10,000", text);
    assert_eq!(codes(&checked).iter().filter(|c| **c == Code::UnknownName).count(), n);
}

#[test]
fn invalid_utf8_is_one_diagnostic_at_the_first_bad_byte() {
    // (bytes, line, column in characters) of the first bad byte.
    let cases: Vec<(&str, Vec<u8>, usize, usize)> = vec![
        ("a lone byte", b"queue a {}\nqueue b { x = \"\xff\" }\n".to_vec(), 2, 16),
        ("after a multibyte char", "queue a {}\n# caf\u{e9}".bytes().chain([0xe9, b'\n']).collect(), 2, 7),
        ("a truncated char at the end", b"queue a {}\n\xc3".to_vec(), 2, 1),
        ("many bad bytes", b"\xfe\xff\x80queue a {\n\xff}".to_vec(), 1, 1),
        ("a surrogate", b"queue a {} # \xed\xa0\x80\n".to_vec(), 1, 14),
    ];
    for (what, bytes, line, column) in cases {
        let checked = check_case(format!("not UTF-8: {what}"), bytes, true);
        assert_eq!(codes(&checked), [Code::InvalidUtf8], "not UTF-8: {what}");
        let span = checked.diagnostics[0].primary.span;
        let position = checked.sources.get(span.file).position(span.start as usize);
        assert_eq!((position.line, position.column), (line, column), "not UTF-8: {what}");
    }
}

/// The readers of common mistakes at a syntax error (`src/syntax/mistakes.rs`)
/// slice the item around the error: a character of several bytes right
/// where each looks must not split. Each case is one syntax error, on the
/// line given. The first is the input the `check` fuzzer found
/// (`Duration.days` then `Ϛ`).
#[test]
fn mistakes_read_around_multibyte_characters() {
    let cases = [
        ("network private {\n  subnets = [\"a\"]\n  x = Duration.days\u{3da}\u{35b}5\n}\n", 3),
        ("function f {\n  timeout = Duration.seconds\u{e9}(30)\n}\n", 2),
        ("function f {\n  memory = Size.mebibytes(\u{e9})\n}\n", 2),
        ("queue \u{e9}-x {}\n", 1),
        ("queue a\u{e9}-\u{e9} {}\n", 1),
        ("function f {\n  runtime = '\u{e9}\n}\n", 2),
        ("function f {\n  runtime = '\u{e9}'\n}\n", 2),
        ("function f {\n  \u{e9}: 1\n}\n", 2),
        ("function f {\n  env = { \u{e9}\u{e9}: \"1\" }\n}\n", 2),
        ("existing queue q = \u{e9}rn:aws\n", 1),
        ("existing queue q = arn:\u{e9}\n", 1),
        ("resource \"aws_\u{e9}\" \"\u{e9}\" {}\n", 1),
        ("resource \"\u{e9}\n", 1),
        ("function f {\n  runtime = \"x\";\u{e9}\n}\n", 2),
    ];
    for (i, (text, line)) in cases.iter().enumerate() {
        let checked = check_case(format!("mistake {i}"), text.as_bytes().to_vec(), true);
        let syntax: Vec<usize> = (checked.diagnostics.iter())
            .filter(|d| d.code == Code::Syntax)
            .map(|d| checked.sources.get(d.primary.span.file).position(d.primary.span.start as usize).line)
            .collect();
        assert_eq!(syntax, [*line], "mistake {i}: {text:?}: one syntax error, on line {line}");
    }
}

/// A broken line typed into any block of the examples is one syntax error,
/// on that line, and the only error: the block is read without it, so
/// nothing of it is called missing or unknown (`src/syntax/recover.rs`).
#[test]
fn a_broken_line_in_a_block_is_one_error_and_hides_nothing() {
    let mut cases = 0;
    timed("a broken line after each block line of the examples", || {
        for (e, source) in example_sources().iter().enumerate() {
            let text = String::from_utf8(source.clone()).expect("UTF-8 examples");
            // An example that names a definition file beside it has an
            // error here, where no file is read: it stays, with no other.
            let errors = |checked: &Checked| -> Vec<(Code, usize)> {
                (checked.diagnostics.iter())
                    .filter(|d| d.is_error())
                    .map(|d| {
                        (d.code, checked.sources.get(d.primary.span.file).position(d.primary.span.start as usize).line)
                    })
                    .collect()
            };
            let before = errors(&check_case(format!("example {e}"), source.clone(), false));
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !line.starts_with("  ") || line.trim().is_empty() || line.trim_start().starts_with('#') {
                    continue;
                }
                let mut broken = lines.clone();
                // A line that cannot start a statement, or one written as
                // YAML writes it. (A verb typed without its target, `read`,
                // is not a syntax error: a statement may go on past the end
                // of its line, so it reads the next line's first word.)
                broken.insert(i + 1, if i % 2 == 0 { "  = nothing" } else { "  runtime: \"python3.13\"" });
                let case = format!("example {e}, after line {}", i + 1);
                let checked = check_case(case.clone(), format!("{}\n", broken.join("\n")).into_bytes(), false);
                let mut expected = vec![(Code::Syntax, i + 2)];
                expected.extend(before.iter().map(|&(code, at)| (code, if at > i + 1 { at + 1 } else { at })));
                let mut found = errors(&checked);
                found.sort_by_key(|(code, at)| (*at, code.as_str()));
                expected.sort_by_key(|(code, at)| (*at, code.as_str()));
                assert_eq!(found, expected, "{case}: one syntax error, on the broken line, and no other new one");
                cases += 1;
            }
        }
        cases
    });
}

/// An item of many nested blocks, every line of them broken: reading it
/// again statement by statement stops at its budget
/// (`syntax::recover::MAX_READ_BYTES`) and the item is reported once.
#[test]
fn an_item_broken_everywhere_is_read_again_within_a_budget() {
    let mut text = String::from("api shop {\n");
    for block in 0..60 {
        text.push_str(&format!("  usage_plan plan_{block} {{\n"));
        for _ in 0..60 {
            text.push_str("    quota = = 1\n");
        }
        text.push_str("  }\n");
    }
    text.push_str("}\n");
    let start = Instant::now();
    let checked = check_case("broken everywhere".into(), text.into_bytes(), false);
    let syntax: Vec<usize> = (checked.diagnostics.iter())
        .filter(|d| d.code == Code::Syntax)
        .map(|d| checked.sources.get(d.primary.span.file).position(d.primary.span.start as usize).line)
        .collect();
    println!("{} syntax error(s) in {:.2?}", syntax.len(), start.elapsed());
    assert_eq!(syntax, [3], "refused past the budget: the first error alone, on the first broken line");
}
