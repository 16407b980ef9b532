//! Type checking of one value against an attribute's declared type: units,
//! ranges, enumerated words and references of the right kind.

use super::{a, Scope, Wanted};
use crate::ast::{Entry, Ident, Unit, Value, ValueKind, DURATION_UNITS, SIZE_UNITS};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Val;
use crate::source::Span;
use crate::stdlib::{quoted, AttrDef, AttrType, KindDef, Literal};

/// Whether a value of this form could be of type `ty`, as its literal
/// says (a string, a number, a name...), before it is checked.
pub(super) fn may_be(ty: &AttrType, kind: &ValueKind) -> bool {
    matches!(
        (ty, kind),
        (AttrType::String, ValueKind::String(_))
            | (AttrType::Int, ValueKind::Integer(_))
            | (AttrType::Bool, ValueKind::Bool(_))
            | (AttrType::Duration, ValueKind::Duration(..))
            | (AttrType::Size, ValueKind::Size(..))
            | (AttrType::List, ValueKind::List(_))
            | (AttrType::Enum(_) | AttrType::Name(_) | AttrType::Ref(_), ValueKind::Reference(..))
            | (AttrType::Object | AttrType::Record(_), ValueKind::Object(_))
    )
}

/// A bare number `n` written with the first of `units` that puts it in
/// the attribute's range (`timeout = 30` is `30s`, `log_retention = 14`
/// is `14d`), or with the first unit when none does.
fn with_unit(def: &AttrDef, n: i64, units: &[Unit]) -> String {
    let fits = |unit: &&Unit| {
        n.checked_mul(unit.factor)
            .is_some_and(|amount| def.min.is_none_or(|min| amount >= min) && def.max.is_none_or(|max| amount <= max))
    };
    let unit = units.iter().find(fits).unwrap_or(&units[0]);
    format!("{n}{}", unit.text)
}

/// The boolean a word other tools use for a switch stands for, where a
/// boolean is expected: SAM's `Tracing: Active` or `PassThrough`,
/// `Enabled`, `yes`, `off`, Python's `True`.
fn switch(ty: &AttrType, found: &ValueKind) -> Option<&'static str> {
    let (AttrType::Bool, ValueKind::Reference(word, None)) = (ty, found) else { return None };
    match word.text.to_ascii_lowercase().as_str() {
        "active" | "enabled" | "enable" | "yes" | "on" | "true" => Some("true"),
        "passthrough" | "disabled" | "disable" | "no" | "off" | "false" => Some("false"),
        _ => None,
    }
}

/// A quoted string that is a literal of type `ty` once unquoted
/// (`"1GB"`, `"30s"`, `"10"`, `"true"`): that literal, spaces before a
/// unit dropped (`"1 GB"` is `1GB`), a bare number given the unit
/// [`with_unit`] gives it (`"900"` is `900s`).
fn unquoted(def: &AttrDef, ty: &AttrType, found: &ValueKind) -> Option<String> {
    let ValueKind::String(s) = found else { return None };
    let s = s.trim();
    if *ty == AttrType::Bool {
        return matches!(s, "true" | "false").then(|| s.to_string());
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = (&s[..digits], s[digits..].trim_start());
    let n = number.parse::<i64>().ok()?;
    let units: &[Unit] = match ty {
        AttrType::Int => return unit.is_empty().then(|| number.to_string()),
        AttrType::Size => &SIZE_UNITS,
        AttrType::Duration => &DURATION_UNITS,
        _ => return None,
    };
    match unit {
        "" => Some(with_unit(def, n, units)),
        _ => units.iter().any(|u| u.text == unit).then(|| format!("{number}{unit}")),
    }
}

impl Scope<'_> {
    /// Checks `value` against `def`; `None` after reporting a problem.
    pub fn check_value(&mut self, def: &AttrDef, value: &Value) -> Option<Val> {
        if let ValueKind::Reference(name, None) = &value.kind {
            if self.is_input(name) {
                return self.whole_input(def, name, value);
            }
        }
        let val = match (&def.ty, &value.kind) {
            (AttrType::String, ValueKind::String(s)) => Val::Str(s.clone()),
            (AttrType::Int, ValueKind::Integer(n)) => Val::Int(*n),
            (AttrType::Bool, ValueKind::Bool(b)) => Val::Bool(*b),
            (AttrType::Duration, ValueKind::Duration(n, _)) => Val::Duration(*n),
            (AttrType::Size, ValueKind::Size(n, _)) => Val::Size(*n),
            (AttrType::Enum(values), ValueKind::Reference(word, None)) => {
                if !values.contains(&word.text) {
                    let d = Diagnostic::new(
                        Code::InvalidValue,
                        value.span,
                        format!("`{}` is not a valid value for `{}`", word.text, def.name),
                    )
                    .label("unknown value");
                    let words: Vec<&str> = values.iter().map(String::as_str).collect();
                    let help = format!("`{}` is one of {}", def.name, quoted(values));
                    let d = super::suggested(d, &word.text, value.span, &words, help);
                    self.diagnostics.push(d);
                    return None;
                }
                Val::Word(word.text.clone())
            }
            (AttrType::Name(_), ValueKind::Reference(word, None)) => Val::Word(word.text.clone()),
            (AttrType::Ref(kinds), ValueKind::Reference(name, None)) => {
                let id = self.lookup_as(name, Wanted::Kinds(kinds))?;
                let kind = self.kind_name(id).to_string();
                if !kinds.contains(&kind) {
                    self.wrong_kind(name, &kind, kinds, &def.name);
                    return None;
                }
                Val::Ref(id)
            }
            (AttrType::List, ValueKind::List(items)) => {
                Val::List(items.iter().filter_map(|v| self.list_item(def, v)).collect())
            }
            (AttrType::Object, ValueKind::Object(_)) => self.plain(value, &def.name)?,
            (AttrType::Record(fields), ValueKind::Object(entries)) => {
                // An entry that is an object is read by the record's user.
                let nested = |key: &str| fields.iter().any(|f| f.name == key && f.ty == AttrType::Object);
                let written = entries.iter().filter(|e| !nested(&e.key.text)).map(|e| (&e.key, &e.value));
                let attrs = self.attrs(fields, written, &format!("`{}` object", def.name), value.span);
                Val::Object(attrs.0.into_iter().map(|a| (a.name.to_string(), a.value)).collect())
            }
            (ty, found) => {
                self.diagnostics.push(self.type_error(def, ty, found, value));
                return None;
            }
        };
        self.check_range(def, &val, value)?;
        Some(val)
    }

    fn type_error(&self, def: &AttrDef, ty: &AttrType, found: &ValueKind, value: &Value) -> Diagnostic {
        let d = Diagnostic::new(
            Code::WrongType,
            value.span,
            format!("`{}` expects {}, found {}", def.name, ty.describe(), found.describe()),
        )
        .label(format!("expected {}", ty.describe()));
        let span = value.span;
        if let Some(written) = unquoted(def, ty, found) {
            return d.help(format!("write it as `{written}`, without quotes")).replace_with(span, written);
        }
        if let Some(written) = switch(ty, found) {
            return d.help(format!("a switch is `true` or `false`: write `{written}`")).replace_with(span, written);
        }
        match (ty, found) {
            (AttrType::Size, ValueKind::Integer(n)) => {
                let written = with_unit(def, *n, &SIZE_UNITS);
                d.help(format!("sizes need a unit: write `{written}`")).replace_with(span, written)
            }
            (AttrType::Duration, ValueKind::Integer(n)) => {
                let written = with_unit(def, *n, &DURATION_UNITS);
                d.help(format!("durations need a unit: write `{written}`")).replace_with(span, written)
            }
            (AttrType::String, ValueKind::Reference(name, None)) => d
                .help(format!("strings are quoted: write `\"{}\"`", name.text))
                .replace_with(span, format!("\"{}\"", name.text)),
            (AttrType::Enum(values), ValueKind::String(s)) if values.contains(s) => {
                d.help(format!("write one of {} without quotes", quoted(values))).replace_with(span, s.clone())
            }
            (AttrType::Enum(values), _) => d.help(format!("write one of {} without quotes", quoted(values))),
            (AttrType::Name(values), _) => d.help(format!("write a name or one of {} without quotes", quoted(values))),
            (AttrType::Ref(_), ValueKind::String(s)) if is_name(s) => {
                d.help(format!("write the name without quotes: `{s}`")).replace_with(span, s.clone())
            }
            (AttrType::Ref(_), ValueKind::String(s)) => d.help(format!("write the name without quotes: `{s}`")),
            _ => d,
        }
    }

    fn check_range(&mut self, def: &AttrDef, val: &Val, value: &Value) -> Option<()> {
        let n = match val {
            Val::Int(n) | Val::Duration(n) | Val::Size(n) => *n,
            _ => return Some(()),
        };
        let too_small = def.min.is_some_and(|min| n < min);
        let too_large = def.max.is_some_and(|max| n > max);
        if !(too_small || too_large) {
            return Some(());
        }
        let show = |n: i64| format_in_unit(&def.ty, n);
        let range = match (def.min, def.max) {
            (Some(min), Some(max)) => format!("{}..{}", show(min), show(max)),
            (Some(min), None) => format!("at least {}", show(min)),
            (None, Some(max)) => format!("at most {}", show(max)),
            (None, None) => String::new(),
        };
        // As written: `0h` is the `0s` it amounts to, but the user wrote `0h`.
        let found = match value.kind {
            ValueKind::Duration(_, unit) | ValueKind::Size(_, unit) => unit.show(n),
            _ => show(n),
        };
        self.diagnostics.push(
            Diagnostic::new(Code::OutOfRange, value.span, format!("`{}` must be {range}, found {found}", def.name))
                .label(if too_small { "too small" } else { "too large" })
                .help(format!("AWS accepts {range} for `{}`", def.name)),
        );
        None
    }

    /// Reports each key written again in one object: AWS takes one value
    /// per key (environment variables, tags), and JSON patterns would
    /// keep either silently.
    pub(crate) fn duplicate_keys(&mut self, entries: &[Entry]) {
        for (index, entry) in entries.iter().enumerate() {
            if let Some(first) = entries[..index].iter().find(|e| e.key.text == entry.key.text) {
                self.diagnostics.push(duplicate_key(&entry.key.text, entry.key.span, first.key.span));
            }
        }
    }

    /// An item of a list attribute: one of its words, a resource of one of
    /// its kinds (`layers = [shared]`), or a plain value.
    fn list_item(&mut self, def: &AttrDef, value: &Value) -> Option<Val> {
        let ValueKind::Reference(name, None) = &value.kind else {
            return self.plain(value, &def.name);
        };
        if self.is_input(name) {
            return self.item_input(&def.name, name, value);
        }
        if def.items.words.contains(&name.text) {
            return Some(Val::Word(name.text.clone()));
        }
        if def.items.kinds.is_empty() {
            if def.items.words.is_empty() {
                return self.plain(value, &def.name);
            }
            let enumerated = AttrType::Enum(def.items.words.clone());
            return self.check_value(&AttrDef { ty: enumerated, ..def.clone() }, value);
        }
        let id = self.lookup_as(name, Wanted::Kinds(&def.items.kinds))?;
        let kind = self.kind_name(id).to_string();
        if !def.items.kinds.contains(&kind) {
            self.wrong_kind(name, &kind, &def.items.kinds, &def.name);
            return None;
        }
        Some(Val::Ref(id))
    }

    /// A value inside a list or object: strings, numbers, booleans, nested
    /// lists and objects, and `resource.field` references.
    fn plain(&mut self, value: &Value, attr: &str) -> Option<Val> {
        Some(match &value.kind {
            ValueKind::String(s) if attr == "env" && s.contains("${") => {
                let d = self.interpolation(s, value.span);
                self.diagnostics.push(d);
                Val::Str(s.clone())
            }
            ValueKind::String(s) => Val::Str(s.clone()),
            ValueKind::Integer(n) => Val::Int(*n),
            ValueKind::Bool(b) => Val::Bool(*b),
            ValueKind::Duration(n, _) => Val::Duration(*n),
            ValueKind::Size(n, _) => Val::Size(*n),
            ValueKind::List(items) => Val::List(items.iter().filter_map(|v| self.plain(v, attr)).collect()),
            ValueKind::Object(entries) => {
                self.duplicate_keys(entries);
                Val::Object(
                    entries.iter().filter_map(|e| Some((e.key.text.clone(), self.plain(&e.value, attr)?))).collect(),
                )
            }
            ValueKind::Reference(name, Some(field)) => return self.field_read(name, field),
            ValueKind::Reference(name, None) if self.is_input(name) => return self.item_input(attr, name, value),
            ValueKind::Reference(name, None) => {
                let help = match self.names.get(name.text.as_str()) {
                    Some(_) => format!("to use the resource, read one of its attributes, such as `{}.arn`", name.text),
                    None => format!("strings are quoted: write `\"{}\"`", name.text),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        value.span,
                        format!("`{attr}` expects strings, numbers or `resource.attribute`, found a bare name"),
                    )
                    .label("a bare name")
                    .help(help),
                );
                return None;
            }
        })
    }

    /// LF1068: `text`, an environment variable's value, holds `${...}`,
    /// which is kept as written. A reference alone in it to a field the
    /// resource has (`"${orders.name}"`) is offered as the value it meant.
    fn interpolation(&self, text: &str, span: Span) -> Diagnostic {
        let d = Diagnostic::new(
            Code::EnvInterpolation,
            span,
            format!("`{text}` is set as written: strings take no interpolation"),
        )
        .label("set to this text as written");
        let inner = text.trim().strip_prefix("${").and_then(|t| t.strip_suffix('}'));
        let readable = |name: &str, field: &str| {
            let kind = self.names.get(name).and_then(|id| self.kinds.get(self.kind_name(*id)));
            kind.is_some_and(|kind| kind.field(field).is_some())
        };
        let reference = inner.and_then(|r| r.split_once('.')).filter(|(name, field)| readable(name, field));
        match (reference, inner) {
            (Some((name, field)), _) => d
                .help(format!("write the reference as the value: `{name}.{field}`, filled in at deploy time"))
                .replace_with(span, format!("{name}.{field}")),
            (None, Some(pseudo)) if pseudo.starts_with("AWS::") => {
                d.help("Lambda sets `AWS_REGION` in every function's environment; pass other values as inputs")
            }
            _ => d.help("pass `resource.attribute` as a variable of its own, and join the text in the function's code"),
        }
    }

    /// `name.field`: a readable field of a declared resource, its read
    /// recorded where it is checked once every resource is known (an API's
    /// `callback_url`, an existing resource's fields).
    fn field_read(&mut self, name: &Ident, field: &Ident) -> Option<Val> {
        let id = self.lookup_as(name, Wanted::Field(&field.text))?;
        let kind = self.kinds.get(self.kind_name(id))?;
        if kind.field(&field.text).is_none() {
            self.diagnostics.push(unknown_field(kind, field));
            return None;
        }
        if (kind.name.as_str(), field.text.as_str()) == ("api", "callback_url") {
            self.callback_reads.push((id, field.span));
        }
        if self.existing.contains(&id) {
            self.existing_reads.push((id, field.text.clone(), field.span));
        }
        Some(Val::Field(id, field.text.clone()))
    }
}

/// `key` written again at `span`, first at `first`.
pub(crate) fn duplicate_key(key: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateKey, span, format!("the key `{key}` is set twice"))
        .label("set again here")
        .secondary(first, "first set here")
        .help("keep one of the two: AWS takes one value per key")
}

/// Whether `text` can stand as a bare name (so unquoting it is an edit
/// that parses).
fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Shows a number in the unit its type is written in.
pub fn format_in_unit(ty: &AttrType, n: i64) -> String {
    match ty {
        AttrType::Size => format!("{n}MB"),
        AttrType::Duration => format_duration(n),
        _ => n.to_string(),
    }
}

pub fn format_duration(seconds: i64) -> String {
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if seconds != 0 && seconds % size == 0 {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

/// A declared default as a typed value.
pub fn default_value(def: &AttrDef) -> Option<Val> {
    Some(match (def.default.as_ref()?, &def.ty) {
        (Literal::Int(n), AttrType::Duration) => Val::Duration(*n),
        (Literal::Int(n), AttrType::Size) => Val::Size(*n),
        (Literal::Int(n), _) => Val::Int(*n),
        (Literal::Bool(b), _) => Val::Bool(*b),
        (Literal::Str(s), AttrType::Enum(_)) => Val::Word(s.clone()),
        (Literal::Str(s), _) => Val::Str(s.clone()),
        (Literal::List(items), _) => Val::List(items.iter().cloned().map(Val::Str).collect()),
    })
}

/// LF1018: `name.field` where the kind has no such field.
fn unknown_field(kind: &KindDef, field: &Ident) -> Diagnostic {
    let fields: Vec<String> = kind.fields.iter().map(|f| f.name.clone()).collect();
    let d = Diagnostic::new(
        Code::UnknownField,
        field.span,
        format!("{} has no readable attribute `{}`", a(&kind.name), field.text),
    )
    .label("unknown attribute");
    if fields.is_empty() {
        return d.help(format!("{} exposes no attributes", a(&kind.name)));
    }
    let help = format!("{} exposes {}", a(&kind.name), quoted(&fields));
    super::suggested(d, &field.text, field.span, &fields.iter().map(String::as_str).collect::<Vec<_>>(), help)
}
