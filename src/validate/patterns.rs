//! Event patterns: an EventBridge rule's `pattern`, an SNS subscription's
//! `filter` and an event source mapping's `filters` (AWS-RULES.md §3, §5).
//! Each leaf is a list of values or of matcher objects, each matcher one
//! operator the service knows with an operand of its shape; a mapping takes
//! at most 5 filters.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Attrs, Model, Resource, Trigger, Val};
use crate::source::Span;

/// Lambda's default quota of filters per event source mapping.
const MAX_FILTERS: usize = 5;

/// The options that hold patterns: one pattern each, or a list of them.
const ONE_PATTERN: [&str; 2] = ["pattern", "filter"];
const PATTERN_LIST: &str = "filters";

/// The content-filtering operators each service accepts: EventBridge all,
/// SNS all but `wildcard`, Lambda's event filtering neither `wildcard`
/// nor `cidr`.
fn operators(option: &str) -> &'static [&'static str] {
    const LAMBDA: &[&str] = &["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists"];
    const SNS: &[&str] = &["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "cidr"];
    const EVENTBRIDGE: &[&str] =
        &["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "cidr", "wildcard"];
    match option {
        "pattern" => EVENTBRIDGE,
        "filter" => SNS,
        _ => LAMBDA,
    }
}

/// Patterns match lists of values or matchers at their leaves, and each
/// matcher is one known operator with an operand of its shape.
/// The triggers of a function, and those of a state machine (`on BUS {
/// pattern = ... }`), alike.
pub fn pattern_shape(model: &Model, resource: &Resource, out: &mut Vec<Diagnostic>) {
    let triggers = match (&resource.function, &resource.machine) {
        (Some(body), _) => &body.triggers,
        (None, Some(machine)) => &machine.triggers,
        (None, None) => return,
    };
    for trigger in triggers {
        let source = &model.resource(trigger.source).name;
        for (option, pattern) in patterns(trigger) {
            let span = trigger.options.span(option).unwrap_or(trigger.span);
            check(option, &format!("`{source}`"), pattern, span, out);
        }
        if model.resource(trigger.source).kind == "topic" {
            let span = trigger.options.span("filter").unwrap_or(trigger.span);
            out.extend(nested_attribute_filter(&trigger.options, &format!("the subscription to `{source}`"), span));
        }
    }
}

/// A queue's `filter` (the filter policy of its subscription to a topic)
/// and `pattern` (the event pattern of its rule on a bus).
pub fn subscription_patterns(queue: &Resource, out: &mut Vec<Diagnostic>) {
    if let Some(pattern) = queue.attrs.value("pattern") {
        let span = queue.attrs.span("pattern").unwrap_or(queue.name_span);
        check("pattern", &format!("the rule of `{}`", queue.name), pattern, span, out);
    }
    let Some(pattern) = queue.attrs.value("filter") else { return };
    let span = queue.attrs.span("filter").unwrap_or(queue.name_span);
    let owner = format!("the subscription of `{}`", queue.name);
    check("filter", &owner, pattern, span, out);
    if let Some(d) = nested_attribute_filter(&queue.attrs, &owner, span) {
        out.push(crate::validate::set(d, queue, "filter_scope", "body"));
    }
}

/// SNS matches a filter against the message's attributes unless its scope
/// says the body, and attributes are one level of names: a key holding an
/// object is refused at deploy time (LF3088). `attrs` are a queue's or a
/// topic trigger's options.
fn nested_attribute_filter(attrs: &Attrs, owner: &str, span: Span) -> Option<Diagnostic> {
    let Some(Val::Object(entries)) = attrs.value("filter") else { return None };
    if attrs.str("filter_scope") == Some("body") {
        return None;
    }
    let (key, _) = entries.iter().find(|(_, value)| matches!(value, Val::Object(_)))?;
    let d = Diagnostic::new(
        Code::NestedAttributeFilter,
        span,
        format!("the filter of {owner} nests `{key}`, but it matches the message's attributes"),
    )
    .label(format!("`{key}` holds an object"))
    .help("SNS's message attributes are one level of names: to match the message body, add `filter_scope = body`");
    Some(match attrs.span("filter_scope") {
        Some(scope) => d.secondary(scope, "the scope is the attributes"),
        None => d,
    })
}

fn check(option: &str, owner: &str, pattern: &Val, span: Span, out: &mut Vec<Diagnostic>) {
    if !matches!(pattern, Val::Object(_)) {
        out.push(
            Diagnostic::new(
                Code::FilterNotPattern,
                span,
                format!("each of the {option} of {owner} must be a pattern object"),
            )
            .label("not an object")
            .help("write each filter as an object: `filters = [{ body = { status = [\"paid\"] } }]`"),
        );
        return;
    }
    let Some(problem) = problem(pattern, operators(option)) else { return };
    out.push(match problem.what {
        What::NotAList => Diagnostic::new(
            Code::BadPattern,
            span,
            format!("`{}` in the {option} of {owner} must match a list of values", problem.path),
        )
        .label("not a list")
        .help(format!("write `{} = [\"value\"]`: patterns and filters match lists at their leaves", problem.path)),
        What::Matcher(why) => Diagnostic::new(
            Code::BadPatternOperator,
            span,
            format!("`{}` in the {option} of {owner} has an invalid matcher: {why}", problem.path),
        )
        .label("invalid matcher")
        .help(format!(
            "a matcher is one of {}, such as `{{ prefix = \"ord-\" }}` or `{{ numeric = [\">\", 0] }}`",
            operators(option).iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
        )),
    });
}

/// Lambda applies at most 5 filters to one event source mapping.
pub fn filter_count(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for trigger in &body.triggers {
        let Some(Val::List(filters)) = trigger.options.value(PATTERN_LIST) else { continue };
        if filters.len() <= MAX_FILTERS {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::TooManyFilters,
                trigger.options.span(PATTERN_LIST).unwrap_or(trigger.span),
                format!(
                    "the trigger from `{}` has {} filters; Lambda takes at most {MAX_FILTERS}",
                    model.resource(trigger.source).name,
                    filters.len()
                ),
            )
            .label(format!("{} filters", filters.len()))
            .help("merge filters on the same field into one (a leaf list matches any of its values), or filter in the function"),
        );
    }
}

/// The patterns of a trigger, with the option each is in.
fn patterns(trigger: &Trigger) -> Vec<(&'static str, &Val)> {
    let mut out: Vec<(&'static str, &Val)> =
        ONE_PATTERN.iter().filter_map(|&option| Some((option, trigger.options.value(option)?))).collect();
    if let Some(Val::List(filters)) = trigger.options.value(PATTERN_LIST) {
        out.extend(filters.iter().map(|f| (PATTERN_LIST, f)));
    }
    out
}

struct Problem {
    /// The dotted path of keys to the leaf.
    path: String,
    what: What,
}

enum What {
    NotAList,
    Matcher(String),
}

impl Problem {
    fn under(mut self, key: &str) -> Problem {
        self.path = if self.path.is_empty() { key.to_string() } else { format!("{key}.{}", self.path) };
        self
    }
}

/// The first problem of a pattern object, depth first.
fn problem(pattern: &Val, operators: &[&str]) -> Option<Problem> {
    let Val::Object(entries) = pattern else { return None };
    entries.iter().find_map(|(key, value)| {
        let found = match value {
            Val::List(alternatives) if key == "$or" => alternatives.iter().find_map(|p| match p {
                Val::Object(_) => problem(p, operators),
                _ => Some(matcher_problem("`$or` takes a list of patterns")),
            }),
            Val::List(items) => items.iter().find_map(|item| matcher(item, operators).map(matcher_problem)),
            Val::Object(_) => problem(value, operators),
            _ => Some(Problem { path: String::new(), what: What::NotAList }),
        };
        found.map(|p| p.under(key))
    })
}

fn matcher_problem(why: impl Into<String>) -> Problem {
    Problem { path: String::new(), what: What::Matcher(why.into()) }
}

/// What is wrong with one item of a leaf list: values match as they are;
/// an object is a matcher.
fn matcher(item: &Val, operators: &[&str]) -> Option<String> {
    match item {
        Val::Object(entries) => {
            let [(operator, value)] = entries.as_slice() else {
                return Some("a matcher holds exactly one operator".into());
            };
            if !operators.contains(&operator.as_str()) {
                return Some(format!("`{operator}` is not an operator this service knows"));
            }
            operand(operator, value)
        }
        Val::List(_) => Some("a list inside a leaf list matches nothing".into()),
        // A reference never gets here: it is LF1065 (`resolve::patterns`).
        _ => None,
    }
}

/// Whether an operator's operand has the shape the service takes.
fn operand(operator: &str, value: &Val) -> Option<String> {
    let ok = match (operator, value) {
        ("exists", Val::Bool(_)) => true,
        ("numeric", Val::List(items)) => numeric(items),
        ("anything-but", Val::Str(_) | Val::Int(_)) => true,
        ("anything-but", Val::List(items)) => items.iter().all(|i| matches!(i, Val::Str(_) | Val::Int(_))),
        ("anything-but", Val::Object(inner)) => matches!(
            inner.as_slice(),
            [(op, Val::Str(_))] if ["prefix", "suffix", "equals-ignore-case", "wildcard"].contains(&op.as_str())
        ),
        ("prefix" | "suffix", Val::Object(inner)) => {
            matches!(inner.as_slice(), [(op, Val::Str(_))] if op == "equals-ignore-case")
        }
        ("exists" | "numeric" | "anything-but", _) => false,
        (_, Val::Str(_)) => true,
        _ => false,
    };
    (!ok).then(|| {
        match operator {
            "exists" => "`exists` takes `true` or `false`",
            "numeric" => "`numeric` takes a comparison and a number, or two of each: `[\">\", 0, \"<=\", 5]`",
            "anything-but" => "`anything-but` takes a value, a list of values, or one `prefix`/`suffix` matcher",
            _ => "this operator takes a string",
        }
        .to_string()
    })
}

/// `["=", 5]`, `[">", 0]` or `[">", 0, "<=", 5]`.
fn numeric(items: &[Val]) -> bool {
    let comparison = |v: &Val, allowed: &[&str]| matches!(v, Val::Str(s) if allowed.contains(&s.as_str()));
    match items {
        [op, Val::Int(_)] => comparison(op, &["=", "<", "<=", ">", ">="]),
        [low, Val::Int(_), high, Val::Int(_)] => comparison(low, &[">", ">="]) && comparison(high, &["<", "<="]),
        _ => false,
    }
}
