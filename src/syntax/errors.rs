//! How a syntax error is worded: pest's expected rules become words a user
//! knows (`a name`, `a value`, `the next top-level item`), with what was
//! found instead and a help line for the common mistakes.

use super::Rule;
use crate::diagnostic::{listed, Code, Diagnostic, Edit};
use crate::source::Span;

/// `cut`: the item ends where the next top-level item starts, not at the
/// end of the file.
pub(super) fn syntax_error(segment: Span, piece: &str, cut: bool, error: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = describe_found(&piece[at..], cut);
    let end = at + found.1.max(1).min(piece.len().saturating_sub(at).max(1));
    let end = end.min(piece.len()).max(at);
    let span = Span::new(segment.file, segment.start as usize + at, segment.start as usize + end);
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let d = Diagnostic::new(Code::Syntax, span, format!("expected {expected}, found {}", found.0))
        .label(format!("expected {expected}"));
    if let Some(key) = unquoted_key(&expected, &piece[at..]) {
        let key_span = Span::new(span.file, span.start as usize, span.start as usize + key.len());
        return d
            .help(format!("a key that is not a name is written as a string: `\"{key}\" = …`"))
            .replace_with(key_span, format!("\"{key}\""));
    }
    if let Some((start, arn)) = unquoted_arn(piece, at) {
        let arn_span = Span::new(span.file, segment.start as usize + start, segment.start as usize + start + arn.len());
        return d
            .help(format!("an ARN is written as a string: `\"{arn}\"`"))
            .replace_with(arn_span, format!("\"{arn}\""));
    }
    if let Some(colon) = colon_after_key(piece, at) {
        // `runtime: "python3.13"`, `{ A: "1" }`, as YAML (SAM, Serverless) writes them.
        let colon = Span::new(span.file, segment.start as usize + colon, segment.start as usize + colon + 1);
        return d
            .help("attributes and entries are written `name = value`, not `name: value`")
            .fix("Write `=` for `:`", Edit::Replace { span: colon, text: " =".to_string() });
    }
    if expected == STATEMENT && found.0 == "`,`" {
        // `queue q { fifo = true, visibility_timeout = 1m }`: options and
        // objects take commas, a block's statements do not.
        return d
            .help("statements in a block are separated by new lines (or spaces on one line), not commas")
            .fix("Remove the comma", Edit::Replace { span, text: String::new() });
    }
    d.help(syntax_help(&expected, found.0.as_str()))
}

/// An object's key with a `-` where an entry was expected (`detail-type =
/// [...]`, `cost-center = "x"`): a key that is not a name is a string.
fn unquoted_key<'r>(expected: &str, rest: &'r str) -> Option<&'r str> {
    if !expected.contains("an entry") {
        return None;
    }
    let key_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
    let key = &rest[..key_len];
    let assigned = rest[key_len..].trim_start().starts_with('=');
    (key.contains('-') && assigned).then_some(key)
}

/// An ARN written without quotes whose first `:` the error is at
/// (`existing queue jobs = arn:aws:sqs:...`): where it starts in
/// `piece`, and the ARN up to the next space.
fn unquoted_arn(piece: &str, at: usize) -> Option<(usize, &str)> {
    let start = at.checked_sub(3)?;
    let arn = piece.get(start..)?;
    let before = piece.get(..start)?.chars().next_back();
    let word_start = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
    let len = arn.find(char::is_whitespace).unwrap_or(arn.len());
    (arn.starts_with("arn:") && word_start).then_some((start, &arn[..len]))
}

/// Where the `:` is in `piece` after a key that starts a line or an
/// object's entry, if the error at `at` is at that key or that colon
/// (`runtime: "python3.13"`, `{ A: "1" }`); not a colon inside a value
/// (`target = arn:aws:...`).
fn colon_after_key(piece: &str, at: usize) -> Option<usize> {
    let is_key = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let key_start = match piece[at..].starts_with(':') {
        true => piece[..at].trim_end_matches([' ', '\t']).trim_end_matches(is_key).len(),
        false => at,
    };
    let before = piece[..key_start].rsplit('\n').next().unwrap_or_default().trim_end();
    let key_end = key_start + piece[key_start..].find(|c: char| !is_key(c)).unwrap_or(piece.len() - key_start);
    let colon = key_end + (piece[key_end..].len() - piece[key_end..].trim_start_matches([' ', '\t']).len());
    let starts_entry = before.is_empty() || before.ends_with(['{', ',']);
    (key_end > key_start && starts_entry && piece[colon..].starts_with(':')).then_some(colon)
}

/// What the parser met: a word, a symbol, or the end of the item.
fn describe_found(rest: &str, cut: bool) -> (String, usize) {
    let Some(c) = rest.chars().next() else {
        return (if cut { END_OF_ITEM } else { END_OF_FILE }.into(), 0);
    };
    if c.is_alphanumeric() || c == '_' {
        let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').take(40).collect();
        let len = word.len();
        return (format!("`{word}`"), len);
    }
    (format!("`{c}`"), c.len_utf8())
}

const END_OF_FILE: &str = "the end of the file";
const END_OF_ITEM: &str = "the next top-level item";
const STATEMENT: &str = "a statement";
const ITEM: &str = "a top-level item (`KIND NAME { ... }`)";
const VALUE: &str = "a value";

fn expected_words(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = rules.iter().map(|r| rule_word(*r)).collect();
    words.sort_unstable();
    words.dedup();
    if words.contains(&STATEMENT) || words.contains(&ITEM) {
        // Statements and items start with a name: say the bigger word only.
        words.retain(|w| *w != "a name");
    }
    if words.contains(&VALUE) {
        // Where a value may stand, names and strings are values too.
        words.retain(|w| *w != "a name" && *w != "a string");
    }
    if words.is_empty() {
        return "something else".into();
    }
    listed(&words, "or")
}

fn rule_word(rule: Rule) -> &'static str {
    match rule {
        Rule::name | Rule::reference | Rule::key => "a name",
        Rule::string | Rule::string_body => "a string",
        Rule::integer | Rule::duration | Rule::size | Rule::boolean | Rule::list | Rule::object => VALUE,
        Rule::entry => "an entry `key = value`",
        Rule::body => "`{`",
        Rule::EOI => "the end of the item",
        Rule::app | Rule::existing | Rule::block | Rule::kw_app | Rule::kw_existing => ITEM,
        Rule::assignment
        | Rule::trigger
        | Rule::mount
        | Rule::allow
        | Rule::nested
        | Rule::edge
        | Rule::kw_on
        | Rule::kw_mount
        | Rule::kw_allow => STATEMENT,
        Rule::allow_account
        | Rule::allow_service
        | Rule::allow_role
        | Rule::allow_organization
        | Rule::kw_account
        | Rule::kw_service
        | Rule::kw_role
        | Rule::kw_organization => "`account \"ID\"`, `role \"ARN\"`, `organization \"o-…\"` or `service \"NAME\"`",
        // `as "user"` may end any verb statement; where it could stand, a
        // new statement could too, and that is the word a reader expects.
        Rule::kw_as => STATEMENT,
        Rule::kw_readonly => "`readonly`",
        Rule::kw_at => "`at`",
        Rule::kw_invoke => "`invoke`",
        Rule::kw_from => "`from`",
        Rule::kw_source => "`source`",
        Rule::duration_unit => "a duration unit (s, m, h, d)",
        Rule::size_unit => "a size unit (MB, GB)",
        _ => "something else",
    }
}

fn syntax_help(expected: &str, found: &str) -> String {
    if found.starts_with("`=`") || expected.contains("statement") && found == "`=`" {
        return "attributes are written `name = value`".into();
    }
    if expected.contains("`at`") {
        return "a mount is written `mount NAME at \"/mnt/path\"`, with `readonly` after it to mount without writing"
            .into();
    }
    if expected.contains("`{`") {
        return "a block is written `KIND NAME { ... }`".into();
    }
    if found == END_OF_FILE || found == END_OF_ITEM {
        return "a block is not closed: add the missing `}`".into();
    }
    if expected.contains("statement") && found.starts_with('`') && found.len() > 3 {
        return "each statement is `name = value`, `VERB TARGET`, `on SOURCE`, `mount NAME at \"/mnt/x\"` or `allow invoke from ...`".into();
    }
    "see docs/language.md for the forms a Lambdaform file may contain".into()
}
