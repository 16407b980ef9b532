//! `docs/codes.md` explains every diagnostic code; the language server
//! links each diagnostic to its heading there (`codes.md#lf1002`). The
//! page is generated from the code table in `src/diagnostic/codes.rs` (titles,
//! severities, explanations), and this test fails when it is stale:
//! `LAMBDAFORM_BLESS=1 cargo test --test codes_doc` rewrites it.

use lambdaform::diagnostic::Code;
use std::path::Path;

const STAGES: [(&str, &str); 5] = [
    ("LF0", "Syntax"),
    ("LF1", "Names and types"),
    ("LF2", "Graph"),
    ("LF3", "AWS rules"),
    ("LF4", "Grants and limits"),
];

fn markdown() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated from src/diagnostic/codes.rs: run `LAMBDAFORM_BLESS=1 cargo test --test codes_doc`, do not edit. -->\n\n\
         Every diagnostic of `lambdaform check` and of the language server has a code. Codes are numbered by \
         stage, and each names one problem. Editors link a diagnostic to its heading on this page.\n\n\
         | code | severity | problem |\n| --- | --- | --- |\n",
    );
    for code in Code::ALL {
        let id = code.as_str();
        out.push_str(&format!(
            "| [{id}](#{}) | {} | {} |\n",
            id.to_lowercase(),
            code.severity().as_str(),
            code.title()
        ));
    }
    for (prefix, stage) in STAGES {
        let codes: Vec<&Code> = Code::ALL.iter().filter(|c| c.as_str().starts_with(prefix)).collect();
        if codes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {stage} ({prefix}xxx)\n"));
        for code in codes {
            out.push_str(&format!(
                "\n### {}\n\n**{}** ({})\n\n{}\n",
                code.as_str(),
                code.title(),
                code.severity().as_str(),
                code.explanation().replace('\\', "\\\\")
            ));
        }
    }
    out
}

#[test]
fn docs_codes_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md");
    let expected = markdown();
    if std::env::var_os("LAMBDAFORM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs/")).expect("create docs/");
        std::fs::write(&path, &expected).expect("write docs/codes.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/codes.md is stale (a code was added or its text changed): \
         run `LAMBDAFORM_BLESS=1 cargo test --test codes_doc` and commit the page"
    );
}

#[test]
fn every_code_has_a_stage() {
    for code in Code::ALL {
        assert!(STAGES.iter().any(|(p, _)| code.as_str().starts_with(p)), "{code} belongs to no stage");
    }
}
