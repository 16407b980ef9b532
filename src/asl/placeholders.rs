//! `${name}` and `${name.field}` in the strings of a definition: each names
//! a resource of the app (its ARN, or a field its kind exposes), which both
//! outputs fill in. Read from the file's text between the string's quotes,
//! so each keeps its exact span.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Placeholder};
use crate::resolve::existing::refused;
use crate::source::{FileId, Span};
use crate::stdlib::KindDef;
use jsonc_parser::ast::{Object, Value};

pub fn find(model: &Model, file: FileId, text: &str, root: &Object) -> (Vec<Placeholder>, Vec<Diagnostic>) {
    let mut found = (Vec::new(), Vec::new());
    for prop in &root.properties {
        walk(model, file, text, &prop.value, &mut found);
    }
    found
}

fn walk(model: &Model, file: FileId, text: &str, value: &Value, out: &mut (Vec<Placeholder>, Vec<Diagnostic>)) {
    match value {
        Value::StringLit(s) => {
            for (start, end) in spans_in(text, s.range.start, s.range.end) {
                match resolve(model, &text[start + 2..end - 1]) {
                    Ok((target, field)) => out.0.push(Placeholder { target, field, span: Span::new(file, start, end) }),
                    Err(d) => out.1.push(d(Span::new(file, start, end))),
                }
            }
        }
        Value::Object(o) => o.properties.iter().for_each(|p| walk(model, file, text, &p.value, out)),
        Value::Array(a) => a.elements.iter().for_each(|v| walk(model, file, text, v, out)),
        _ => {}
    }
}

/// The `${...}` in the raw string `text[start..end]` (quotes included), as
/// byte ranges of the file; an unclosed one runs to the closing quote.
pub fn spans_in(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let inner_end = end.saturating_sub(1).max(start);
    let raw = &text[start..inner_end];
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = raw[from..].find("${") {
        let open = from + at;
        let close = raw[open..].find('}').map_or(raw.len(), |c| open + c + 1);
        out.push((start + open, start + close));
        from = close;
    }
    out
}

type Problem = Box<dyn Fn(Span) -> Diagnostic>;

/// `name` or `name.field` → the resource and field.
fn resolve(model: &Model, inner: &str) -> Result<(crate::model::ResourceId, Option<String>), Problem> {
    let inner = inner.trim_end_matches('}');
    let (name, field) = match inner.split_once('.') {
        Some((name, field)) => (name, Some(field)),
        None => (inner, None),
    };
    let Some(id) = model.find(name) else {
        let close = crate::resolve::closest(name, model.resources.iter().map(|r| r.name.as_str())).map(String::from);
        let name = name.to_string();
        return Err(Box::new(move |span| {
            let d = Diagnostic::new(Code::UnknownPlaceholder, span, format!("nothing in the app is named `{name}`"))
                .label("unknown placeholder");
            match &close {
                Some(close) => d.help(format!("did you mean `${{{close}}}`?")),
                None => d.help("a placeholder is `${name}` (the resource's ARN) or `${name.field}`, naming a resource the app declares"),
            }
        }));
    };
    let Some(kind) = model.known_kind(model.resource(id)) else {
        // A resource of a kind the app does not know, refused where it is
        // declared (LF1003): its placeholders are taken as written.
        return Ok((id, field.map(String::from)));
    };
    if let Some(problem) = unheld(model, id, kind, field) {
        return Err(problem);
    }
    match field {
        None | Some("arn") if kind.field("arn").is_some() || !kind.arn.is_empty() => Ok((id, field.map(String::from))),
        Some(field) if kind.field(field).is_some() => Ok((id, Some(field.to_string()))),
        _ => {
            let fields: Vec<String> = kind.fields.iter().map(|f| format!("`${{{name}.{}}}`", f.name)).collect();
            let (name, field) = (name.to_string(), field.unwrap_or("arn").to_string());
            Err(Box::new(move |span| {
                Diagnostic::new(Code::UnknownPlaceholder, span, format!("`{name}` has no field `{field}`"))
                    .label("unknown field")
                    .help(format!("its fields are {}", fields.join(", ")))
            }))
        }
    }
}

/// A field of an existing resource that the ARN the app gave does not hold
/// (LF1045, LF1066, LF3036), as the problem to report at the placeholder.
fn unheld(model: &Model, id: crate::model::ResourceId, kind: &KindDef, field: Option<&str>) -> Option<Problem> {
    // `${name}` is the ARN.
    let field = field.unwrap_or("arn");
    if field != "arn" && kind.field(field).is_none() {
        return None;
    }
    let problem = refused(model.resource(id), field, Span::new(FileId(0), 0, 0))?;
    Some(Box::new(move |span| {
        let mut problem = problem.clone();
        problem.primary.span = span;
        problem
    }))
}
