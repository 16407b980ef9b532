//! `input NAME { type = …, default = …, pattern = "…", doc = "…" }`: values
//! given when the app is deployed, and the places they may stand.
//!
//! An input stands where the compiler only passes a value through to AWS:
//! a network's subnets and security groups, a function's environment
//! values, its ECR `image` and the layer ARNs of its `layers` (string
//! inputs; what the compiler checked of the literal moves to the input's
//! pattern, `deploy::inputs::place_pattern`, and its default), an
//! existing resource's ARN, and the account, role or organization of
//! `allow invoke from`. Everywhere else the compiler needs the value
//! itself (to check it, convert it, read a file, name or wire something),
//! and an input there is LF1045, with the reason.

use super::{a, Scope};
use crate::ast::{Body, Ident, Item, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic, Edit};
use crate::model::{Existing, Input, InputId, InputType, Text, Val};
use crate::source::Span;
use crate::stdlib::{AttrDef, AttrType, KindDef};
use regex::Regex;

/// The attributes an input may stand in, whole or as an item of the list
/// or object: `(kind, attribute)`.
const PLACES: [(&str, &str); 5] = [
    ("network", "subnets"),
    ("network", "security_groups"),
    ("function", "env"),
    ("function", "image"),
    ("function", "layers"),
];

/// The places above that take inputs as items of a list or values of an
/// object only, never as the whole value.
const ITEMS_ONLY: [&str; 2] = ["env", "layers"];

/// One declared input while resolving, with its pattern compiled to match
/// whole values.
#[derive(Clone)]
pub(super) struct Declared {
    pub input: Input,
    pattern: Option<(Regex, Span)>,
}

impl Declared {
    /// The same input, with no uses yet.
    pub(super) fn without_uses(&self) -> Declared {
        let input = Input { uses: Vec::new(), ..self.input.clone() };
        Declared { input, pattern: self.pattern.clone() }
    }
}

impl Scope<'_> {
    /// Reads every `input` block, before anything can refer to one.
    pub(super) fn declare_inputs(&mut self, items: &[&Item]) {
        for item in items {
            let Item::Block { kind, name, body } = item else { continue };
            if kind.text != "input" {
                continue;
            }
            self.check_name(name);
            if let Some(first) = self.inputs.get(&name.text).map(|id| self.declared[id.0 as usize].input.name_span) {
                self.diagnostics.push(super::duplicate_name(name, first));
                continue;
            }
            let id = InputId(self.declared.len() as u32);
            let declared = self.input_block(id, name, kind.span.to(body.span), body);
            self.inputs.to_mut().insert(name.text.clone(), id);
            self.declared.push(declared);
        }
    }

    fn input_block(&mut self, id: InputId, name: &Ident, span: Span, body: &Body) -> Declared {
        const KNOWN: [&str; 4] = ["type", "default", "pattern", "doc"];
        let mut seen: Vec<(&str, Span)> = Vec::new();
        let (mut ty, mut default, mut pattern, mut doc) = (None, None, None, None);
        for statement in &body.statements {
            let Statement::Assignment { name: attr, value } = statement else {
                self.misplaced(statement, "input");
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == attr.text) {
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateAttribute, attr.span, format!("`{}` is set twice", attr.text))
                        .label("set again here")
                        .secondary(*first, "first set here")
                        .help("remove one of the two"),
                );
                continue;
            }
            seen.push((attr.text.as_str(), attr.span));
            match (attr.text.as_str(), &value.kind) {
                ("type", ValueKind::Reference(word, None)) if input_type(&word.text).is_some() => {
                    ty = input_type(&word.text)
                }
                ("type", _) => self.diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        value.span,
                        "an input's `type` is `string`, `list` or `number`",
                    )
                    .label("unknown type")
                    .help("write `type = string`, `type = list` (of strings) or `type = number`"),
                ),
                ("default", _) => default = Some(value),
                ("pattern", ValueKind::String(text)) => pattern = Some((text.clone(), value.span)),
                ("doc", ValueKind::String(text)) => doc = Some(text.clone()),
                ("pattern" | "doc", found) => self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        value.span,
                        format!("`{}` expects a string, found {}", attr.text, found.describe()),
                    )
                    .label("expected a string"),
                ),
                _ => self.unknown_attribute(attr, "input", KNOWN.iter().map(|s| s.to_string()).collect(), None),
            }
        }
        if ty.is_none() && !seen.iter().any(|(n, _)| *n == "type") {
            self.diagnostics.push(
                Diagnostic::new(Code::MissingAttribute, span, "this input needs `type`")
                    .label("`type` is missing")
                    .help("add `type = string`, `type = list` (of strings) or `type = number`")
                    .fix(
                        "Add `type = string`",
                        Edit::AddStatement { block: body.span, statement: "type = string".into() },
                    ),
            );
        }
        let ty = ty.unwrap_or(InputType::String);
        let compiled = pattern.as_ref().and_then(|(text, at)| self.input_pattern(ty, text, *at));
        let default_span = default.map(|value| value.span);
        let default = default.and_then(|value| self.input_default(ty, compiled.as_ref(), value));
        Declared {
            input: Input {
                id,
                name: name.text.clone(),
                name_span: name.span,
                span,
                ty,
                default,
                default_span,
                pattern: compiled.as_ref().and(pattern.map(|(text, _)| text)),
                doc,
                uses: Vec::new(),
            },
            pattern: compiled,
        }
    }

    /// The pattern, compiled as it must match: the whole value.
    fn input_pattern(&mut self, ty: InputType, text: &str, at: Span) -> Option<(Regex, Span)> {
        if ty == InputType::Number {
            self.diagnostics.push(
                Diagnostic::new(Code::InvalidValue, at, "a number input takes no `pattern`")
                    .label("pattern on a number")
                    .help("remove the pattern, or make the input a string"),
            );
            return None;
        }
        match Regex::new(&whole(text)) {
            Ok(regex) => Some((regex, at)),
            Err(error) => {
                let reason = error.to_string().lines().last().unwrap_or_default().trim().to_string();
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadInputPattern,
                        at,
                        format!("this pattern is not a regular expression: {reason}"),
                    )
                    .label("invalid pattern")
                    .help(
                        "write a regular expression both CloudFormation (Java) and Terraform (RE2) read: \
                             classes, repetitions and groups, no lookaround or backreferences",
                    ),
                );
                None
            }
        }
    }

    /// The default, of the input's type and matching its pattern.
    fn input_default(&mut self, ty: InputType, pattern: Option<&(Regex, Span)>, value: &Value) -> Option<Val> {
        let val = match (ty, &value.kind) {
            (InputType::String, ValueKind::String(s)) => Val::Str(s.clone()),
            (InputType::Number, ValueKind::Integer(n)) => Val::Int(*n),
            (InputType::List, ValueKind::List(items))
                if !items.is_empty()
                    && items.iter().all(|i| matches!(&i.kind, ValueKind::String(s) if !s.contains(','))) =>
            {
                Val::List(items.iter().map(|i| Val::Str(string(i).to_string())).collect())
            }
            _ => {
                let expected = match ty {
                    InputType::String => "a string",
                    InputType::Number => "a whole number",
                    InputType::List => "a non-empty list of strings without commas",
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        value.span,
                        format!("the default of a {} input is {expected}, found {}", ty.word(), value.kind.describe()),
                    )
                    .label(format!("expected {expected}")),
                );
                return None;
            }
        };
        let Some((whole, pattern_span)) = pattern else { return Some(val) };
        let items: Vec<&Value> = match &value.kind {
            ValueKind::List(items) => items.iter().collect(),
            _ => vec![value],
        };
        let mut matches = true;
        for item in items.into_iter().filter(|i| matches!(i.kind, ValueKind::String(_))) {
            if !whole.is_match(string(item)) {
                matches = false;
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::InputDefaultMismatch,
                        item.span,
                        format!("the default `{}` does not match the input's pattern", string(item)),
                    )
                    .label("does not match")
                    .secondary(*pattern_span, "the pattern")
                    .help("correct the default, or the pattern: CloudFormation and Terraform refuse a value the pattern does not match whole"),
                );
            }
        }
        matches.then_some(val)
    }

    /// The input `name` names, if it names one; marks it used.
    pub(super) fn use_input(&mut self, name: &Ident) -> Option<InputId> {
        let id = *self.inputs.get(&name.text)?;
        self.declared[id.0 as usize].input.uses.push(name.span);
        Some(id)
    }

    pub(super) fn is_input(&self, name: &Ident) -> bool {
        self.inputs.contains_key(&name.text)
    }

    /// An input written as a whole attribute value (`subnets = private_subnets`).
    pub(super) fn whole_input(&mut self, def: &AttrDef, name: &Ident, value: &Value) -> Option<Val> {
        let id = self.use_input(name)?;
        let place = self.input_place.clone();
        if place.as_ref().is_some_and(|(kind, attr)| (kind.as_str(), attr.as_str()) == ("function", "layers")) {
            let input = &self.declared[id.0 as usize].input;
            self.diagnostics.push(
                Diagnostic::new(
                    Code::InputWrongType,
                    value.span,
                    format!("`layers` takes string inputs as its items, and `{}` stands for the whole list", name.text),
                )
                .label("the whole list")
                .secondary(input.name_span, "declared here")
                .help(
                    "declare one string input per layer version ARN and list them, `layers = [first, second]`: \
                     the compiler counts the layers (at most 5) and judges each",
                ),
            );
            return None;
        }
        if !place.as_ref().is_some_and(|(kind, attr)| takes_input(kind, attr) && !ITEMS_ONLY.contains(&attr.as_str())) {
            let owner = place.as_ref().map_or("", |(kind, _)| kind.as_str());
            self.diagnostics.push(compile_time(owner, &def.name, &def.ty, name, value.span));
            return None;
        }
        let want = if def.ty == AttrType::List { InputType::List } else { InputType::String };
        self.expect_type(id, want, &format!("`{}`", def.name), value.span)?;
        Some(Val::Input(id))
    }

    /// An input written as an item of a list or a value of an object.
    pub(super) fn item_input(&mut self, attr: &str, name: &Ident, value: &Value) -> Option<Val> {
        let id = self.use_input(name)?;
        let place = self.input_place.clone();
        match place {
            Some((kind, at)) if at == attr && takes_input(&kind, attr) => {
                let ty = self.declared[id.0 as usize].input.ty;
                if (kind.as_str(), attr) == ("function", "env") && ty == InputType::Number {
                    return Some(Val::Input(id));
                }
                self.expect_type(id, InputType::String, &format!("an item of `{attr}`"), value.span)?;
                Some(Val::Input(id))
            }
            place => {
                let owner = place.as_ref().map_or("", |(kind, _)| kind.as_str());
                self.diagnostics.push(compile_time(owner, attr, &AttrType::List, name, value.span));
                None
            }
        }
    }

    /// The text of `allow invoke from account/role/organization`: a string
    /// or a string input.
    pub(super) fn principal_text(&mut self, value: &Value, what: &str) -> Text {
        match &value.kind {
            ValueKind::Reference(name, None) if self.is_input(name) => {
                match self.use_input(name).and_then(|id| self.expect_type(id, InputType::String, what, value.span)) {
                    Some(id) => Text::Input(id),
                    None => Text::Literal(String::new()),
                }
            }
            ValueKind::Reference(name, _) => {
                self.lookup_input(name);
                Text::Literal(String::new())
            }
            ValueKind::String(s) => Text::Literal(s.clone()),
            _ => Text::Literal(String::new()),
        }
    }

    /// `existing KIND NAME = INPUT`: the input's pattern must pin the
    /// service and resource type, which the compiler needs to grant the
    /// kind's actions (and which a reader of the app expects).
    pub(super) fn existing_input(&mut self, kind: &KindDef, name: &Ident, span: Span) -> Option<Existing> {
        if !self.is_input(name) {
            self.lookup_input(name);
            return None;
        }
        let id = self.use_input(name)?;
        let id = self.expect_type(id, InputType::String, &format!("an existing {}'s ARN", kind.name), span)?;
        if let Some((form, _)) = kind.arns.iter().find(|(_, template)| template.starts_with("arn:")) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::InputNeedsValue,
                    span,
                    format!("an existing {} cannot be given by an input", kind.name),
                )
                .label("needed at compile time")
                .help(format!(
                    "its grants name its `{form}` ARN, which the compiler builds from the ARN's region, account and id: \
                     write the ARN itself, `existing {} NAME = \"arn:…\"`",
                    kind.name
                )),
            );
            return None;
        }
        let declared = &self.declared[id.0 as usize];
        if !pins_kind(declared.input.pattern.as_deref(), kind) {
            let suggested = kind_pattern(kind);
            let input = &declared.input;
            let mut d = Diagnostic::new(
                Code::InputArnUnchecked,
                span,
                format!("the input `{}` may hold the ARN of anything, not only {}", input.name, a(&kind.name)),
            )
            .label(format!("must be {} ARN", a(&kind.name)))
            .secondary(input.name_span, "declared here")
            .help(format!(
                "the compiler grants {} actions on this ARN: give the input a pattern that writes the service{} literally, \
                 such as `pattern = \"{}\"`",
                kind.service(),
                match kind.resource_prefix() {
                    "" => String::new(),
                    prefix => format!(" and `{prefix}`"),
                },
                suggested.replace('\\', "\\\\")
            ));
            if declared.pattern.is_none() {
                d = d.fix(
                    "Add the pattern",
                    Edit::AddStatement {
                        block: input.span,
                        statement: format!("pattern = \"{}\"", suggested.replace('\\', "\\\\")),
                    },
                );
            }
            self.diagnostics.push(d);
            return None;
        }
        if let Some(Val::Str(default)) = &declared.input.default {
            let default = default.clone();
            let at = declared.input.default_span.unwrap_or(declared.input.span);
            if let Err(d) = super::existing::literal_existing(kind, &default, at) {
                self.diagnostics.push(d.secondary(span, "the input is this resource's ARN"));
                return None;
            }
        }
        Some(Existing {
            literal: String::new(),
            arn: String::new(),
            partition: String::new(),
            region: String::new(),
            account: String::new(),
            id: String::new(),
            name: String::new(),
            stream_arn: None,
            input: Some(id),
            span,
        })
    }

    /// `Some(id)` when the input has the type `want`; LF1047 otherwise.
    fn expect_type(&mut self, id: InputId, want: InputType, place: &str, span: Span) -> Option<InputId> {
        let input = &self.declared[id.0 as usize].input;
        if input.ty == want {
            return Some(id);
        }
        let d = Diagnostic::new(
            Code::InputWrongType,
            span,
            format!("{place} takes a {} input, but `{}` is a {}", want.word(), input.name, input.ty.word()),
        )
        .label(format!("a {} input", input.ty.word()))
        .secondary(input.name_span, "declared here")
        .help(match (want, input.ty) {
            (InputType::List, InputType::String) => format!("write it in a list: `[{}]`", input.name),
            (InputType::String, InputType::List) => {
                "a list input stands for a whole list attribute, not an item".into()
            }
            _ => format!("declare the input with `type = {}`", want.word()),
        });
        self.diagnostics.push(d);
        None
    }

    /// A name where an input is expected: unknown, or a resource.
    fn lookup_input(&mut self, name: &Ident) {
        if let Some(id) = self.names.get(&name.text).copied() {
            let kind = self.kind_name(id).to_string();
            self.diagnostics.push(
                Diagnostic::new(
                    Code::InputWrongType,
                    name.span,
                    format!("`{}` is {}, not an input", name.text, a(&kind)),
                )
                .label("not an input")
                .help("write a string here, or the name of an `input` that gives it at deploy time"),
            );
        } else {
            self.lookup(name);
        }
    }

    /// An input where a resource is expected (`send partner_account`).
    pub(super) fn input_not_resource(&mut self, name: &Ident) -> bool {
        let Some(id) = self.use_input(name) else { return false };
        let input = &self.declared[id.0 as usize].input;
        self.diagnostics.push(
            Diagnostic::new(
                Code::InputWrongType,
                name.span,
                format!("`{}` is an input (a value given at deploy time), not a resource", name.text),
            )
            .label("an input")
            .secondary(input.name_span, "declared here")
            .help(format!("to use a resource made elsewhere, declare it: `existing KIND NAME = {}`", name.text)),
        );
        true
    }

    /// An input in the `app` block: all its settings are needed to build.
    pub(super) fn app_input(&mut self, attr: &Ident, value: &Value) -> bool {
        let ValueKind::Reference(name, None) = &value.kind else { return false };
        if !self.is_input(name) {
            return false;
        }
        self.use_input(name);
        self.diagnostics.push(compile_time("app", &attr.text, &AttrType::String, name, value.span));
        true
    }
}

fn input_type(word: &str) -> Option<InputType> {
    match word {
        "string" => Some(InputType::String),
        "list" => Some(InputType::List),
        "number" => Some(InputType::Number),
        _ => None,
    }
}

fn string(value: &Value) -> &str {
    match &value.kind {
        ValueKind::String(s) => s,
        _ => "",
    }
}

/// Whether an input may stand in `kind`'s attribute `attr`.
pub fn takes_input(kind: &str, attr: &str) -> bool {
    PLACES.contains(&(kind, attr))
}

/// `pattern` as both targets apply it: matching the whole value.
pub fn whole(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// LF1045: an input where the compiler needs the value, and why.
fn compile_time(owner: &str, attr: &str, ty: &AttrType, name: &Ident, span: Span) -> Diagnostic {
    let why = match (owner, attr) {
        ("function", "code") => "the compiler reads the package at this path, checks it and copies it into the output",
        ("function", "runtime") => {
            "runtimes are judged against AWS's deprecation dates, and choose the provider version"
        }
        ("function", "handler") => "the handler is checked against the runtime's form",
        ("app", "region") => "ARNs of existing resources are checked against it and built with it",
        ("app", "account") => "ARNs of existing resources are checked against it",
        ("app", "tags") => "tags are checked against AWS's tagging rules",
        ("app", "permissions_boundary") => "the boundary is checked to be a managed policy ARN when the app is built",
        _ => match ty {
            AttrType::Duration | AttrType::Size | AttrType::Int => {
                "the value is checked against AWS's range and converted to the property's unit"
            }
            AttrType::Enum(_) | AttrType::Bool => "the compiler decides what to write from it",
            AttrType::Ref(_) => "it names a resource the compiler wires and grants",
            _ => "the compiler checks it or builds from it",
        },
    };
    let place = if owner.is_empty() { format!("`{attr}`") } else { format!("{}'s `{attr}`", a(owner)) };
    Diagnostic::new(
        Code::InputNeedsValue,
        span,
        format!("{place} needs its value when the app is built, and an input is known only when it is deployed"),
    )
    .label(format!("the input `{}`", name.text))
    .help(format!(
        "{why}: write the value here. Inputs stand in a network's `subnets` and `security_groups`, a function's \
         `env` values, `image` and `layers` items, `existing` ARNs and `allow invoke from` accounts, roles and organizations"
    ))
}

/// LF1045: `q.url` of an existing resource given by an input: the compiler
/// would cut the value out of an ARN it never sees.
pub(crate) fn field_of_input_arn(kind: &str, name: &str, field: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::InputNeedsValue,
        at,
        format!("`{name}.{field}` is read from the ARN when the app is built, and this {kind}'s ARN is an input"),
    )
    .label("needs the ARN's value")
    .help(format!(
        "an existing {kind} given by an input exposes `{name}.arn` alone: give the {field} as an input of its own"
    ))
}

/// Whether `pattern` writes the ARN's service (and the kind's resource
/// type, when its ARNs have one) literally: `^arn:<partition>:sqs:…`.
/// Fields are cut at the colons outside brackets, groups and braces.
fn pins_kind(pattern: Option<&str>, kind: &KindDef) -> bool {
    let Some(pattern) = pattern else { return false };
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let Some(fields) = top_level_fields(body) else { return false };
    let literal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if fields.len() < 6 || fields[0] != "arn" || fields[2] != kind.service() || !literal(fields[2]) {
        return false;
    }
    let prefix = kind.resource_prefix();
    let resource = fields[5..].join(":");
    let literal_prefix = prefix.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b':'));
    literal_prefix && resource.starts_with(prefix) && !resource[prefix.len()..].starts_with(['?', '*', '+', '{'])
}

/// The fields of an ARN pattern between its top-level colons, or `None`
/// where an alternation or a quantified colon makes them unclear.
fn top_level_fields(pattern: &str) -> Option<Vec<&str>> {
    let bytes = pattern.as_bytes();
    let (mut depth, mut start, mut fields, mut i) = (0i32, 0, Vec::new(), 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => depth -= 1,
            b'|' if depth == 0 => return None,
            b':' if depth == 0 => {
                if bytes.get(i + 1).is_some_and(|b| matches!(b, b'?' | b'*' | b'+' | b'{')) {
                    return None;
                }
                fields.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    fields.push(&pattern[start..]);
    Some(fields)
}

/// A pattern for the ARNs of `kind`, from its template.
fn kind_pattern(kind: &KindDef) -> String {
    let mut fields = kind.arn.splitn(6, ':');
    let mut next = || fields.next().unwrap_or("");
    let (_arn, _partition, service, region, account) = (next(), next(), next(), next(), next());
    let region = if region.is_empty() { "" } else { "[a-z0-9-]+" };
    let account = if account.is_empty() { "" } else { "[0-9]{12}" };
    format!("^arn:aws[a-z-]*:{service}:{region}:{account}:{}.+$", kind.resource_prefix())
}

#[cfg(test)]
mod tests {
    use super::top_level_fields;

    #[test]
    fn fields_are_cut_at_top_level_colons() {
        assert_eq!(
            top_level_fields("arn:aws:sqs:[a-z0-9-]+:[0-9]{12}:partner-.+$"),
            Some(vec!["arn", "aws", "sqs", "[a-z0-9-]+", "[0-9]{12}", "partner-.+$"])
        );
        assert_eq!(top_level_fields("arn:(aws|aws-cn):sqs"), Some(vec!["arn", "(aws|aws-cn)", "sqs"]));
        assert_eq!(top_level_fields("arn:aws:sqs|sns:x"), None);
        assert_eq!(top_level_fields("arn:?aws"), None);
    }
}
