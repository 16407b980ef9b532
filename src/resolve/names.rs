//! Names: looking one up, and what is said about names — nothing named
//! so (with a declaration that fits, `undeclared`), of the wrong kind,
//! not a valid name, declared twice — with the suggestion of the closest
//! one where there is one.

use super::undeclared::{self, Wanted};
use super::{a, Scope};
use crate::ast::Ident;
use crate::diagnostic::{Code, Diagnostic, Edit};
use crate::model::ResourceId;
use crate::source::Span;
use crate::stdlib::{quoted, Kinds};

impl Scope<'_> {
    pub(crate) fn lookup(&mut self, name: &Ident) -> Option<ResourceId> {
        self.lookup_as(name, Wanted::Any)
    }

    /// The resource `name` names; where nothing does, an error whose help
    /// declares a kind that is `wanted` there.
    pub(crate) fn lookup_as(&mut self, name: &Ident, wanted: Wanted) -> Option<ResourceId> {
        if let Some(id) = self.names.get(&name.text) {
            return Some(*id);
        }
        if self.unparsed.contains(&name.text) || self.input_not_resource(name) {
            return None;
        }
        let mut d = Diagnostic::new(Code::UnknownName, name.span, format!("nothing is named `{}`", name.text))
            .label("not declared");
        let close =
            if self.may_search_names() { closest(&name.text, self.names.keys().map(String::as_str)) } else { None };
        if let Some(close) = close {
            d = d.help(format!("did you mean `{close}`?")).replace_with(name.span, close);
        } else {
            d = d.help(undeclared::help(self.kinds, wanted, &name.text));
            if let Some(before) = self.item {
                for item in undeclared::declarations(self.kinds, wanted, &name.text) {
                    d = d.fix(format!("Declare `{}`: `{item}`", name.text), Edit::AddItem { before, item });
                }
            }
        }
        self.diagnostics.push(d);
        None
    }

    /// Searching every name for each of many errors would take time
    /// quadratic in the app: only the first errors get suggestions.
    pub(super) fn may_search_names(&mut self) -> bool {
        self.name_searches += 1;
        self.name_searches <= NAME_SEARCHES
    }

    pub(crate) fn wrong_kind(&mut self, name: &Ident, found: &str, expected: &[String], what: &str) {
        let mut candidates: Vec<&String> = Vec::new();
        if self.may_search_names() {
            candidates.extend(
                self.names.keys().filter(|n| expected.contains(&self.resource_kinds[self.names[*n].0 as usize])),
            );
        }
        candidates.sort();
        let mut d = Diagnostic::new(
            Code::WrongKind,
            name.span,
            format!("`{what}` needs {}, but `{}` is {}", a(&expected.join(" or ")), name.text, a(found)),
        )
        .label(a(found));
        if candidates.is_empty() {
            d = d.help(format!("declare a {} and name it here", expected.join(" or ")));
        } else {
            let list: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
            d = d.help(format!("the {} in this app: {}", expected.join(" or "), quoted(&list)));
        }
        self.diagnostics.push(d);
    }

    pub(super) fn check_name(&mut self, name: &Ident) {
        let mut chars = name.text.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            let suggested = suggest_name(&name.text);
            self.diagnostics.push(
                Diagnostic::new(Code::BadName, name.span, format!("`{}` is not a valid name", name.text))
                    .label("invalid name")
                    .help(format!(
                        "names are lower case letters, digits and `_`, starting with a letter: `{suggested}`"
                    ))
                    .replace_with(name.span, suggested),
            );
        }
    }
}

/// `text` as a name: in snake case, starting with a letter.
fn suggest_name(text: &str) -> String {
    let mut out = snake_case(text);
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert(0, 'x');
    }
    out
}

/// The candidate closest to `word` by edit distance, if close enough.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    if length > MAX_SUGGESTED_LENGTH {
        // No one mistypes a name this long, and comparing costs length².
        return None;
    }
    let limit = (length / 3).max(1);
    candidates
        .filter(|c| c.len().abs_diff(word.len()) <= limit * 4)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

const MAX_SUGGESTED_LENGTH: usize = 64;

/// The candidate a key or a word of the language's vocabulary (an
/// attribute, a trigger option, a field, a value) most likely means,
/// written as a user of SAM, CloudFormation, Serverless or Terraform
/// would write it: [`closest`] first; then the word in snake case
/// (`MemorySize` and `batchSize` as `memory_size` and `batch_size`,
/// `NEW_AND_OLD_IMAGES` as `new_and_old_images`); then the candidate
/// sharing the largest part of its words (`memory_size` means `memory`,
/// `message_retention_seconds` means `retention`, a queue's `timeout` its
/// `visibility_timeout`), when one alone shares the most.
/// Not for the app's own names: a name sharing a word with another
/// (`orders_queue`, `orders`) is not a misspelling of it.
pub fn closest_key<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    closest_spelled(word, candidates, words_of)
}

/// [`closest_key`], where `words` gives the words a candidate is known by.
fn closest_spelled<'a>(word: &str, candidates: &[&'a str], words: impl Fn(&str) -> Vec<String>) -> Option<&'a str> {
    let snake = snake_case(word);
    closest(word, candidates.iter().copied())
        .or_else(|| closest(&snake, candidates.iter().copied()))
        .or_else(|| named_otherwise(&snake, candidates))
        .or_else(|| sharing_words(&snake, candidates.iter().map(|c| (*c, words(c)))))
}

/// Settings SAM, CloudFormation, Serverless and Terraform name with no word
/// the language's name shares (or shares with another candidate as much),
/// as snake_case writes them, with the word the language uses.
const NAMED_OTHERWISE: [(&str, &str); 14] = [
    ("hash_key", "key"),
    ("partition_key", "key"),
    ("range_key", "sort"),
    ("kms_key_arn", "encryption"),
    ("kms_key_id", "encryption"),
    ("kms_master_key_id", "encryption"),
    ("logging_config", "log_format"),
    ("provisioned_concurrency_config", "provisioned"),
    ("provisioned_concurrent_executions", "provisioned"),
    ("maximum_batching_window_in_seconds", "window"),
    ("function_response_types", "report_failures"),
    ("bisect_batch_on_function_error", "bisect"),
    ("time_to_live_specification", "ttl"),
    ("maximum_record_age_in_seconds", "max_age"),
];

/// The candidate `snake` (a key in snake_case) stands for in
/// [`NAMED_OTHERWISE`], if it is one of `candidates`.
fn named_otherwise<'a>(snake: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let (_, meant) = NAMED_OTHERWISE.iter().find(|(other, _)| *other == snake)?;
    candidates.iter().copied().find(|c| c == meant)
}

/// `d` with `help`, after the suggestion of the candidate the word at
/// `span` most likely means ([`closest_key`]), which is offered as a fix.
pub(crate) fn suggested(d: Diagnostic, word: &str, span: Span, candidates: &[&str], help: String) -> Diagnostic {
    match closest_key(word, candidates) {
        Some(close) => d.help(format!("did you mean `{close}`? {help}")).replace_with(span, close),
        None => d.help(help),
    }
}

/// What an attribute other tools give a function stands for in the
/// language, where it is not an attribute here: the role and its
/// policies, which the compiler writes from what the function does, and
/// the VPC, which a `network` block says.
pub(crate) fn function_concept(key: &str) -> Option<&'static str> {
    const ROLE: &[&str] = &[
        "role",
        "policy",
        "policies",
        "iam",
        "iam_role",
        "iam_role_statements",
        "permissions",
        "managed_policies",
        "statements",
    ];
    const NETWORK: &[&str] = &["vpc", "vpc_config", "subnets", "subnet_ids", "security_groups", "security_group_ids"];
    let snake = snake_case(key);
    if ROLE.contains(&snake.as_str()) {
        return Some(
            "Lambdaform writes the function's role from what it does: say that with verbs (`read orders`, \
             `send jobs`), and `lambdaform explain` shows the grants; a permission no verb gives is a kind of \
             your own (docs/language.md, \"Declaring a kind\")",
        );
    }
    NETWORK.contains(&snake.as_str()).then_some(
        "a function joins a VPC through a `network` block (its subnets and security groups): `network = NAME`",
    )
}

/// The kind `word` most likely means, as [`closest_key`] finds it among
/// the kinds' names, where the words of each kind's CloudFormation and
/// Terraform types count among its own: `dynamodb_table` is a `table`,
/// `SqsQueue` a `queue`, `StepFunction` a `state_machine` (whose type is
/// `AWS::StepFunctions::StateMachine`), not a `function`.
pub fn closest_kind<'a>(word: &str, kinds: &'a Kinds) -> Option<&'a str> {
    let names: Vec<&str> = kinds.names().collect();
    let words = |name: &str| {
        let mut words = words_of(name);
        if let Some(kind) = kinds.get(name) {
            words.extend(words_of(&snake_case(&kind.cloudformation)));
            words.extend(words_of(&kind.terraform));
        }
        words.sort();
        words.dedup();
        words
    };
    closest_spelled(word, &names, words)
}

/// `word` in lower snake case: an upper-case letter after a lower-case
/// one or a digit starts a word, and any character but an ASCII letter or
/// digit is an underscore (`MemorySize` and `memory-size` are both
/// `memory_size`).
fn snake_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    let mut previous: Option<char> = None;
    for c in word.chars() {
        let after_lower = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if c.is_ascii_uppercase() && after_lower {
            out.push('_');
        }
        out.push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' });
        previous = Some(c);
    }
    out
}

/// The candidate whose words overlap those of `snake` the most (the
/// words both have over the words either has), if one alone does. A
/// [`QUALIFIERS`] word counts among the words but is never shared.
fn sharing_words<'a>(snake: &str, candidates: impl Iterator<Item = (&'a str, Vec<String>)>) -> Option<&'a str> {
    let words = words_of(snake);
    // The best overlap as a fraction (shared, either), its candidate,
    // and whether another candidate overlaps as much.
    let mut best: Option<((usize, usize), &str)> = None;
    let mut tied = false;
    for (candidate, theirs) in candidates {
        let meaningful = |w: &&String| !QUALIFIERS.contains(&w.as_str());
        let shared = words.iter().filter(meaningful).filter(|w| theirs.iter().any(|t| same_word(w, t))).count();
        if shared == 0 {
            continue;
        }
        let overlap = (shared, words.len() + theirs.len() - shared);
        let better = best.map(|((s, e), _)| (overlap.0 * e).cmp(&(s * overlap.1)));
        match better {
            Some(std::cmp::Ordering::Less) => {}
            Some(std::cmp::Ordering::Equal) => tied = true,
            _ => {
                best = Some((overlap, candidate));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, candidate)| candidate)
}

/// The words of a key or a type in snake case (`sqs_queue`,
/// `aws::step_functions::state_machine`): three letters or more.
fn words_of(snake: &str) -> Vec<String> {
    snake.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_string).collect()
}

/// Words that qualify what a key names rather than name it: sharing one
/// says nothing (`MaximumRetryAttempts` is not `max_age`, a table's
/// `range_key` is not its `key`).
const QUALIFIERS: [&str; 9] = ["max", "maximum", "min", "minimum", "seconds", "config", "key", "type", "aws"];

/// The same word, or two forms of one: one begins the other (`env` and
/// `environment`, `arch` and `architectures`), or they agree on four
/// letters or more and each has at most three after those (`batch` and
/// `batching`, `retry` and `retries`, `concurrent` and `concurrency`).
fn same_word(a: &str, b: &str) -> bool {
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    common == a.len().min(b.len()) || (common >= 4 && a.len() - common <= 3 && b.len() - common <= 3)
}

/// Diagnostics that may search all the app's names for a suggestion.
pub(super) const NAME_SEARCHES: usize = 100;

/// Edits between two words, a swap of neighbours counting as one
/// (optimal string alignment), so `queeu` is one edit from `queue`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j - 1] + cost).min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

/// LF1001: `name` is declared again; `first` is where it was declared.
pub(crate) fn duplicate_name(name: &crate::ast::Ident, first: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateName, name.span, format!("the name `{}` is declared twice", name.text))
        .label("declared again here")
        .secondary(first, "first declared here")
        .help("names are unique in an app, whatever their kind: rename one")
}

#[cfg(test)]
mod tests {
    use super::closest_key;

    const FUNCTION: &[&str] = &[
        "runtime",
        "handler",
        "code",
        "image",
        "memory",
        "timeout",
        "storage",
        "arch",
        "concurrency",
        "layers",
        "alias",
        "provisioned",
        "snapstart",
        "env",
        "log_retention",
        "log_format",
        "log_level",
        "encryption",
        "dead_letter",
        "url",
    ];
    const STREAM_TRIGGER: &[&str] = &[
        "start",
        "batch",
        "window",
        "retries",
        "max_age",
        "bisect",
        "parallel",
        "tumbling_window",
        "on_failure",
        "report_failures",
        "filters",
    ];
    const TABLE: &[&str] = &["key", "sort", "key_type", "sort_type", "stream", "ttl", "retain"];

    #[test]
    fn keys_as_other_tools_write_them_find_ours() {
        let cases = [
            (FUNCTION, "MemorySize", "memory"),
            (FUNCTION, "memory_size", "memory"),
            (FUNCTION, "Architectures", "arch"),
            (FUNCTION, "Environment", "env"),
            (FUNCTION, "ReservedConcurrentExecutions", "concurrency"),
            (FUNCTION, "EphemeralStorage", "storage"),
            (FUNCTION, "DeadLetterQueue", "dead_letter"),
            (FUNCTION, "CodeUri", "code"),
            (FUNCTION, "Timeout", "timeout"),
            (STREAM_TRIGGER, "BatchSize", "batch"),
            (STREAM_TRIGGER, "batchSize", "batch"),
            (STREAM_TRIGGER, "StartingPosition", "start"),
            (STREAM_TRIGGER, "ParallelizationFactor", "parallel"),
            (STREAM_TRIGGER, "MaximumRetryAttempts", "retries"),
            (STREAM_TRIGGER, "MaximumRecordAgeInSeconds", "max_age"),
            (STREAM_TRIGGER, "TumblingWindowInSeconds", "tumbling_window"),
            (STREAM_TRIGGER, "FilterCriteria", "filters"),
            (TABLE, "StreamViewType", "stream"),
            // Named otherwise (`NAMED_OTHERWISE`).
            (STREAM_TRIGGER, "MaximumBatchingWindowInSeconds", "window"),
            (STREAM_TRIGGER, "BisectBatchOnFunctionError", "bisect"),
            (STREAM_TRIGGER, "FunctionResponseTypes", "report_failures"),
            (FUNCTION, "LoggingConfig", "log_format"),
            (FUNCTION, "KmsKeyArn", "encryption"),
            (FUNCTION, "ProvisionedConcurrencyConfig", "provisioned"),
            (TABLE, "hash_key", "key"),
            (TABLE, "range_key", "sort"),
            (TABLE, "TimeToLiveSpecification", "ttl"),
            (TABLE, "sort_key", "sort"),
            (TABLE, "ttl_attribute", "ttl"),
            (
                &["keys_only", "new_image", "old_image", "new_and_old_images"],
                "NEW_AND_OLD_IMAGES",
                "new_and_old_images",
            ),
            (&["keys_only", "new_image", "old_image", "new_and_old_images"], "keys-only", "keys_only"),
        ];
        for (candidates, word, meant) in cases {
            assert_eq!(closest_key(word, candidates), Some(meant), "{word}");
        }
    }

    #[test]
    fn a_name_is_suggested_in_snake_case_starting_with_a_letter() {
        let cases = [("JobQueue", "job_queue"), ("ORDERS", "orders"), ("my-func", "my_func"), ("2fa", "x2fa")];
        for (written, suggested) in cases {
            assert_eq!(super::suggest_name(written), suggested, "{written}");
        }
    }

    #[test]
    fn kinds_as_cloudformation_and_terraform_name_them_find_ours() {
        let (kinds, _) = crate::stdlib::load(&mut crate::source::Sources::default());
        let cases = [
            ("dynamodb_table", Some("table")),
            ("SqsQueue", Some("queue")),
            ("s3_bucket", Some("bucket")),
            ("lambda_function", Some("function")),
            ("StepFunction", Some("state_machine")),
            ("event_bus", Some("bus")),
            ("tabel", Some("table")),
            ("cluster", None),
        ];
        for (word, meant) in cases {
            assert_eq!(super::closest_kind(word, &kinds), meant, "{word}");
        }
    }

    #[test]
    fn no_suggestion_when_two_fit_as_well_or_only_a_qualifier_is_shared() {
        let cases = [
            // `provisioned` and `concurrency` each share one of its two words.
            (FUNCTION, "ProvisionedConcurrency"),
            (TABLE, "billing_mode"),
            // Named otherwise, for an attribute this owner does not have.
            (TABLE, "KmsKeyArn"),
        ];
        for (candidates, word) in cases {
            assert_eq!(closest_key(word, candidates), None, "{word}");
        }
    }
}
