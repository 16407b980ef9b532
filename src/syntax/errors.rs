//! How a syntax error is worded: pest's expected rules become words a user
//! knows (`a name`, `a value`, `the next top-level item`), with what was
//! found instead and a help line for the common mistakes.

use super::Rule;
use crate::diagnostic::{listed, Code, Diagnostic, Edit};
use crate::source::Span;

/// `cut`: the item ends where the next top-level item starts, not at the
/// end of the file.
pub(super) fn syntax_error(segment: Span, piece: &str, cut: bool, error: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::ErrorVariant;
    let at = position(&error);
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
    match super::mistakes::at(piece, at, &expected, &found.0) {
        Some(mistake) => {
            let (from, to) = (segment.start as usize + mistake.range.start, segment.start as usize + mistake.range.end);
            let edit = Edit::Replace { span: Span::new(span.file, from, to), text: mistake.text };
            d.help(mistake.help).fix(mistake.title, edit)
        }
        None => d.help(syntax_help(&expected, found.0.as_str())),
    }
}

/// Where in the item pest stopped.
pub(super) fn position(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
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
pub(super) const STATEMENT: &str = "a statement";
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
