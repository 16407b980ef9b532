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
use crate::stdlib::quoted;

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

fn suggest_name(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' => out.push(c.to_ascii_lowercase()),
            _ => out.push('_'),
        }
    }
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
