//! The mistakes a syntax error most often is, from habits of YAML (SAM,
//! Serverless), JSON, HCL and programming languages: read at the place the
//! parser stopped, each says what to write instead and offers the edit.

use std::ops::Range;

/// What to say about a mistake, and the edit that mends it: `text` in place
/// of the bytes `range` of the item.
pub(super) struct Mistake {
    pub help: String,
    pub title: String,
    pub range: Range<usize>,
    pub text: String,
}

impl Mistake {
    /// A mistake mended by writing `text` over `range`, offered as such.
    fn replaced(help: String, range: Range<usize>, text: String) -> Mistake {
        Mistake { title: format!("Replace with `{text}`"), help, range, text }
    }
}

/// The mistake the error at byte `at` of `piece` (one top-level item) is,
/// where the parser `expected` what it says and found `found`, if it is
/// one of those known.
pub(super) fn at(piece: &str, at: usize, expected: &str, found: &str) -> Option<Mistake> {
    let rest = piece.get(at..)?;
    hyphenated_key(expected, rest, at)
        .or_else(|| unquoted_arn(piece, at))
        .or_else(|| colon_for_equals(piece, at))
        .or_else(|| hyphenated_name(expected, piece, at))
        .or_else(|| single_quotes(rest, at))
        .or_else(|| terraform_resource(piece, at))
        .or_else(|| cdk_amount(piece, at))
        .or_else(|| separator(expected, found, at))
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// An object's key with a `-` where an entry was expected (`detail-type =
/// [...]`, `cost-center = "x"`): a key that is not a name is a string.
fn hyphenated_key(expected: &str, rest: &str, at: usize) -> Option<Mistake> {
    if !expected.contains("an entry") {
        return None;
    }
    let key_len = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
    let key = &rest[..key_len];
    let assigned = rest[key_len..].trim_start().starts_with('=');
    (key.contains('-') && assigned).then(|| {
        let help = format!("a key that is not a name is written as a string: `\"{key}\" = …`");
        Mistake::replaced(help, at..at + key_len, format!("\"{key}\""))
    })
}

/// An ARN written without quotes whose first `:` the error is at
/// (`existing queue jobs = arn:aws:sqs:...`), up to the next space.
fn unquoted_arn(piece: &str, at: usize) -> Option<Mistake> {
    let start = at.checked_sub(3)?;
    let arn = piece.get(start..)?;
    let before = piece.get(..start)?.chars().next_back();
    let word_start = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    let arn = &arn[..arn.find(char::is_whitespace).unwrap_or(arn.len())];
    (arn.starts_with("arn:") && word_start).then(|| {
        let help = format!("an ARN is written as a string: `\"{arn}\"`");
        Mistake::replaced(help, start..start + arn.len(), format!("\"{arn}\""))
    })
}

/// `name: value` (`runtime: "python3.13"`, `{ A: "1" }`), as YAML writes
/// it: a `:` after a key that starts a line or an object's entry, where
/// the error is at that key or that colon; not a colon inside a value
/// (`target = arn:aws:...`).
fn colon_for_equals(piece: &str, at: usize) -> Option<Mistake> {
    let key_start = match piece[at..].starts_with(':') {
        true => piece[..at].trim_end_matches([' ', '\t']).trim_end_matches(is_key_char).len(),
        false => at,
    };
    let before = piece[..key_start].rsplit('\n').next().unwrap_or_default().trim_end();
    let key_end = key_start + piece[key_start..].find(|c: char| !is_key_char(c)).unwrap_or(piece.len() - key_start);
    let colon = key_end + (piece[key_end..].len() - piece[key_end..].trim_start_matches([' ', '\t']).len());
    let starts_entry = before.is_empty() || before.ends_with(['{', ',']);
    (key_end > key_start && starts_entry && piece[colon..].starts_with(':')).then(|| Mistake {
        help: "attributes and entries are written `name = value`, not `name: value`".into(),
        title: "Write `=` for `:`".into(),
        range: colon..colon + 1,
        text: " =".into(),
    })
}

/// A resource's name with a `-` (`queue order-events {}`), as CloudFormation
/// and Terraform names allow: the error is at the `-` right after a name.
/// After an `=`, such a word is a string without its quotes (`runtime =
/// python-3`).
fn hyphenated_name(expected: &str, piece: &str, at: usize) -> Option<Mistake> {
    let after_name = expected.contains("`{`") || expected == super::errors::STATEMENT;
    if !after_name || !piece[at..].starts_with('-') {
        return None;
    }
    let start = piece[..at].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_').len();
    let end = at + piece[at..].find(|c: char| !is_key_char(c)).unwrap_or(piece.len() - at);
    let name = &piece[start..end];
    if start == at || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    // After `=` on its line, it is a value: a string without its quotes.
    let line = piece[..start].rsplit('\n').next().unwrap_or_default();
    if line.contains('=') {
        let help = format!("a string is written in double quotes: `\"{name}\"`");
        return Some(Mistake::replaced(help, start..end, format!("\"{name}\"")));
    }
    let suggested = name.replace('-', "_").to_lowercase();
    let help = format!("names are lower case letters, digits and `_`: `{suggested}`");
    Some(Mistake::replaced(help, start..end, suggested))
}

/// A string in single quotes (`'python3.13'`), closed on the same line.
fn single_quotes(rest: &str, at: usize) -> Option<Mistake> {
    let inner = rest.strip_prefix('\'')?;
    let line = &inner[..inner.find('\n').unwrap_or(inner.len())];
    let close = line.find('\'')?;
    let text = &line[..close];
    (!text.contains(['"', '\\'])).then(|| {
        let help = format!("strings are written in double quotes: `\"{text}\"`");
        Mistake::replaced(help, at..at + close + 2, format!("\"{text}\""))
    })
}

/// A Terraform resource's header (`resource "aws_sqs_queue" "jobs" {`),
/// the error at its type's quote: written as the block it becomes
/// (`sqs_queue jobs {`), whose kind the next check names (`queue`).
fn terraform_resource(piece: &str, at: usize) -> Option<Mistake> {
    if piece[..at].trim() != "resource" {
        return None;
    }
    let start = piece.find("resource")?;
    let quoted = |from: usize| -> Option<(&str, usize)> {
        let inner = piece.get(from..)?.strip_prefix('"')?;
        let close = inner.find(['"', '\n'])?;
        inner[close..].starts_with('"').then(|| (&inner[..close], from + close + 2))
    };
    let (ty, after_type) = quoted(at)?;
    let gap = piece[after_type..].len() - piece[after_type..].trim_start_matches([' ', '\t']).len();
    let (name, end) = quoted(after_type + gap)?;
    let kind = ty.strip_prefix("aws_").unwrap_or(ty);
    let name = name.replace('-', "_").to_lowercase();
    let block = format!("{kind} {name}");
    let help = format!(
        "a block is written `KIND NAME {{ ... }}`, without quotes: `{block} {{`; the check then suggests the kind"
    );
    Some(Mistake::replaced(help, start..end, block))
}

/// A duration or a size as CDK writes it (`Duration.seconds(30)`,
/// `Size.mebibytes(512)`), the error at its `(` (and not at a character
/// after the call's name, which may be several bytes long): the literal
/// it is.
fn cdk_amount(piece: &str, at: usize) -> Option<Mistake> {
    const UNITS: [(&str, &str); 6] = [
        ("Duration.seconds", "s"),
        ("Duration.minutes", "m"),
        ("Duration.hours", "h"),
        ("Duration.days", "d"),
        ("Size.mebibytes", "MB"),
        ("Size.gibibytes", "GB"),
    ];
    let (call, unit) = UNITS.iter().find(|(call, _)| piece[..at].ends_with(call))?;
    if !piece[at..].starts_with('(') {
        return None;
    }
    let digits = piece[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
    let amount = &piece[at + 1..at + 1 + digits];
    let end = at + 1 + digits;
    (digits > 0 && piece[end..].starts_with(')')).then(|| {
        let literal = format!("{amount}{unit}");
        let help = format!(
            "a {} is written with its unit: `{literal}`",
            if unit.ends_with('B') { "size" } else { "duration" }
        );
        Mistake::replaced(help, at - call.len()..end + 1, literal)
    })
}

/// A `,` or `;` between a block's statements, as JSON or a programming
/// language would end them: statements end at the end of the line.
fn separator(expected: &str, found: &str, at: usize) -> Option<Mistake> {
    let (mark, marks) = match found {
        _ if expected != super::errors::STATEMENT => return None,
        "`,`" => ("comma", "commas"),
        "`;`" => ("semicolon", "semicolons"),
        _ => return None,
    };
    Some(Mistake {
        help: format!("statements in a block are separated by new lines (or spaces on one line), not {marks}"),
        title: format!("Remove the {mark}"),
        range: at..at + 1,
        text: String::new(),
    })
}
