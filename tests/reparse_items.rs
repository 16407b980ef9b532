//! The language server parses an edited file again item by item
//! (`syntax::Parse::edited`, through `reparse::ParseCache`): the items the
//! edit did not touch are taken from the last parse, those after it with
//! their spans moved. What a check gives that way must be what a fresh
//! check of the same text gives: the same diagnostics, at the same spans,
//! the same resolved model (every span in it), grants and syntax trees,
//! after each of many random edits of the examples, each applied to the
//! result of the edits before it.

use lambdaform::check::{check, check_reusing, no_app_folder, Input};
use lambdaform::date::Date;
use lambdaform::reparse::ParseCache;
use std::path::Path;

/// A small deterministic generator (xorshift), so failures repeat.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// What edits insert: typing inside values and names, brackets and quotes
/// that open or close items, comments, whole items and item headers.
const PIECES: &[&str] = &[
    "",
    "",
    "x",
    "1",
    "{",
    "}",
    "\"",
    "\n",
    "#",
    "  ",
    "1024MB",
    "orders",
    "jobs",
    "é",
    "\nqueue extra {}\n",
    "\nfunction h {\n  runtime = \"python3.12\"\n  handler = \"a.b\"\n  code = \"h.zip\"\n  send jobs\n}\n",
    "\n}\n",
    "  read orders\n",
    "topic t {",
    "memory = 3MB\n",
];

fn edit(text: &str, random: &mut Random) -> String {
    let boundary = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = boundary(random.below(text.len() + 1));
    let end = boundary((start + random.below(8)).min(text.len())).max(start);
    format!("{}{}{}", &text[..start], PIECES[random.below(PIECES.len())], &text[end..])
}

fn inputs(text: &str) -> Vec<Input> {
    vec![
        Input { name: "main.lf".into(), bytes: text.as_bytes().to_vec() },
        Input { name: "more.lf".into(), bytes: b"queue more_jobs {}\n".to_vec() },
    ]
}

#[test]
fn a_check_that_reparses_items_equals_a_fresh_check_after_every_edit() {
    let today = Date::parse("2026-08-16").unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    for example in ["orders", "streams", "http_api", "order_workflow"] {
        let original = std::fs::read_to_string(examples.join(example).join("main.lf")).unwrap();
        let mut text = original.clone();
        let mut cache = ParseCache::default();
        for round in 0..60 {
            let reused = check_reusing(inputs(&text), today, &no_app_folder, Some(&mut cache));
            let fresh = check(inputs(&text), today);
            let at = format!("{example}, round {round}:\n{text}");
            assert!(reused.diagnostics == fresh.diagnostics, "diagnostics differ; {at}");
            assert!(format!("{:?}", reused.model) == format!("{:?}", fresh.model), "models differ; {at}");
            assert!(format!("{:?}", reused.grants) == format!("{:?}", fresh.grants), "grants differ; {at}");
            // A check without a cache keeps no syntax trees: compare with a fresh parse.
            let texts = [text.as_str(), "queue more_jobs {}\n"];
            assert!(reused.asts.len() == texts.len(), "a syntax tree per file; {at}");
            for ((file, ast), text) in reused.asts.iter().zip(texts) {
                assert!(**ast == lambdaform::syntax::parse(*file, text).0, "syntax trees differ; {at}");
            }
            assert!(fresh.asts.is_empty(), "a check without a cache keeps no syntax trees");
            text = if round % 20 == 19 { original.clone() } else { edit(&text, &mut random) };
        }
    }
}
