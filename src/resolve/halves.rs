//! Resolving the declared resources, in order, and in a large app on two
//! threads: each resource reads only the names declared before any was
//! resolved, so the two halves of the list resolve alone, each in its own
//! scope that borrows those names. What a half adds to the scope (its
//! diagnostics, the `callback_url` reads and those of existing resources'
//! fields, the uses of each input) is
//! appended in order, so the result is the one a single thread gives. The
//! one thing that depends on the other half is how many name searches for
//! suggestions are left: where the two halves together asked for more
//! than one thread would have allowed, the resources are resolved again on
//! one thread.

use super::{Scope, NAME_SEARCHES};
use crate::ast::Item;
use crate::model::{Resource, ResourceId};
use std::borrow::Cow;

/// Apps with at least this many resources resolve them on two threads:
/// below it, a thread costs more than it saves.
pub(super) const PARALLEL_FROM: usize = 64;

impl Scope<'_> {
    /// Every declared item resolved, its id its place in `declared`; on two
    /// threads from `parallel_from` items.
    pub(super) fn resources(&mut self, declared: &[&Item], parallel_from: usize) -> Vec<Resource> {
        if declared.len() < parallel_from {
            return self.resolve_from(0, declared);
        }
        let middle = middle_by_weight(declared);
        let (first, second) = declared.split_at(middle);
        let (mut early, mut late) = (self.half(), self.half());
        // The first half's list has room for the second's, which it takes
        // without being copied again.
        let (mut resources, rest) = crate::parallel::both(
            || early.resolve_into(Vec::with_capacity(declared.len()), 0, first),
            || late.resolve_from(middle, second),
        );
        let before = self.name_searches;
        let (early, late) = (early.added(before), late.added(before));
        if !as_one_thread(before, &early, &late) {
            return self.resolve_from(0, declared);
        }
        self.append(early);
        self.append(late);
        resources.extend(rest);
        resources
    }

    fn resolve_from(&mut self, first_id: usize, items: &[&Item]) -> Vec<Resource> {
        self.resolve_into(Vec::with_capacity(items.len()), first_id, items)
    }

    /// [`Scope::resolve_from`], the resources added to `resources`.
    fn resolve_into(&mut self, mut resources: Vec<Resource>, first_id: usize, items: &[&Item]) -> Vec<Resource> {
        let ids = (first_id..).map(|i| ResourceId(i as u32));
        resources.extend(items.iter().zip(ids).map(|(item, id)| self.resource(id, item)));
        resources
    }

    /// A scope for resolving half of the resources: the names borrowed,
    /// nothing added yet (the inputs have no uses).
    fn half(&self) -> Scope<'_> {
        Scope {
            kinds: self.kinds,
            names: Cow::Borrowed(&self.names),
            unparsed: Cow::Borrowed(&self.unparsed),
            broken: Cow::Borrowed(&self.broken),
            resource_kinds: Cow::Borrowed(&self.resource_kinds[..]),
            name_searches: self.name_searches,
            callback_reads: Vec::new(),
            diagnostics: Vec::new(),
            inputs: Cow::Borrowed(&self.inputs),
            declared: self.declared.iter().map(super::inputs::Declared::without_uses).collect(),
            input_place: None,
            spare_place: Default::default(),
            existing: Cow::Borrowed(&self.existing),
            existing_reads: Vec::new(),
            item: None,
            defaults: std::sync::Arc::clone(&self.defaults),
        }
    }

    fn append(&mut self, added: Added) {
        self.diagnostics.extend(added.diagnostics);
        self.callback_reads.extend(added.callback_reads);
        self.existing_reads.extend(added.existing_reads);
        for (declared, uses) in self.declared.iter_mut().zip(added.input_uses) {
            declared.input.uses.extend(uses);
        }
        self.name_searches += added.name_searches;
    }
}

/// Whether each half's name searches were allowed or refused as on one
/// thread, `before` having been made: the second half's searches start
/// where the first's end.
fn as_one_thread(before: usize, early: &Added, late: &Added) -> bool {
    let (first, second) = (early.name_searches, late.name_searches);
    first == 0 || second == 0 || before + first + second <= NAME_SEARCHES
}

/// What a half added to its scope.
struct Added {
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    callback_reads: Vec<(ResourceId, crate::source::Span)>,
    existing_reads: Vec<(ResourceId, String, crate::source::Span)>,
    /// The uses of each input.
    input_uses: Vec<Vec<crate::source::Span>>,
    name_searches: usize,
}

impl Scope<'_> {
    /// What this half added, `before` searches having been made.
    fn added(self, before: usize) -> Added {
        Added {
            diagnostics: self.diagnostics,
            callback_reads: self.callback_reads,
            existing_reads: self.existing_reads,
            input_uses: self.declared.into_iter().map(|d| d.input.uses).collect(),
            name_searches: self.name_searches - before,
        }
    }
}

/// Where to cut `items` so that both halves take about as long: an item
/// weighs one more than its statements (a function's body holds its
/// triggers, grants and settings).
fn middle_by_weight(items: &[&Item]) -> usize {
    let weight = |item: &&Item| match item {
        Item::Block { body, .. } => 1 + body.statements.len(),
        _ => 1,
    };
    crate::parallel::cut_by_weight(items, weight, (1, 2))
}

#[cfg(test)]
mod tests {
    use crate::source::{FileId, Sources};

    /// `functions` functions reading one input and `callback_url`, and
    /// the first `unknown` of them a name that nothing declares (`hook`,
    /// for which `hooks` is suggested while suggestions are searched).
    fn app(functions: usize, unknown: usize) -> String {
        let mut text = String::from("input bucket_name { type = string }\napi hooks { type = websocket }\n");
        for i in 0..functions {
            let missing = if i < unknown { "  reads hook\n" } else { "" };
            text.push_str(&format!(
                "function f{i} {{\n  runtime = \"python3.13\"\n  handler = \"app.main\"\n  code = \"f.zip\"\n  \
                 env = {{ BUCKET = bucket_name, HOOK = hooks.callback_url }}\n{missing}}}\n"
            ));
        }
        text
    }

    /// The model and diagnostics of `text`, resolved on two threads from
    /// `parallel_from` resources, as text.
    fn resolved(text: &str, parallel_from: usize) -> String {
        let mut sources = Sources::default();
        let (kinds, _) = crate::stdlib::load(&mut sources);
        let (file, errors) = crate::syntax::parse(FileId(1), text);
        assert!(errors.is_empty(), "{errors:?}");
        let (model, diagnostics) = super::super::resolve_with(&[file], kinds, parallel_from);
        format!("{:?}\n{diagnostics:?}", (model.app, model.resources, model.inputs))
    }

    #[test]
    fn two_threads_resolve_as_one() {
        // Clean; errors in both halves; and more unknown names than get
        // suggestions, in both halves (one thread alone knows which do).
        for (functions, unknown) in [(80, 0), (80, 60), (300, 240)] {
            let text = app(functions, unknown);
            let one = resolved(&text, usize::MAX);
            let two = resolved(&text, 2);
            assert!(two == one, "{functions} functions, {unknown} unknown: two threads resolve otherwise");
            assert!(one.matches("UnknownName").count() == unknown, "the app has the errors it is built to have");
        }
    }
}
