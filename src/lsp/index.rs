//! What each name of a file is, read off the syntax tree that `check` kept:
//! a resource declared or referred to, a verb, a kind, an attribute or a
//! readable field. Hover and navigation look the cursor up here. Each
//! occurrence borrows its words from the tree and the model: semantic
//! tokens walk every name of a file on each request.

use crate::ast::{Body, File, Ident, Item, Statement, Value, ValueKind};
use crate::check::Checked;
use crate::model::ResourceId;
use crate::source::{FileId, Span};
use crate::stdlib::{AttrDef, AttrType, KindDef};
use std::collections::{HashMap, HashSet};

/// Where an attribute is defined.
#[derive(Clone, Debug, PartialEq)]
pub enum Owner<'c> {
    /// The `app` block.
    App,
    /// A block of this kind.
    Kind(&'c str),
    /// The `defaults` block of this kind, whole.
    Defaults { kind: &'c str, block: Span },
    /// A function's `async { ... }`.
    Async,
    /// The options of a trigger on a source of this kind.
    Trigger(&'c str),
    /// A named block a kind declares, in a block of that kind
    /// (`authorizer NAME { ... }`, `usage_plan NAME { ... }` in an api).
    Block { kind: &'c str, block: &'c str },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Role<'c> {
    /// The name a resource is declared with.
    Declaration,
    /// A name that refers to a resource.
    Reference,
    /// The verb of `VERB TARGET, ...`, with the targets' names.
    Verb { targets: Vec<&'c str> },
    /// The kind word of a top-level item.
    Kind,
    /// An attribute (or trigger option) name.
    Attribute { owner: Owner<'c> },
    /// `field` in `resource.field`.
    Field { resource: &'c str },
    /// The word `defaults` of `defaults KIND { ... }`, with the kind and
    /// the whole block.
    Defaults { kind: &'c str, block: Span },
    /// An authorizer of the api `api`: its name in `authorizer NAME { ... }`
    /// (`declaration`), or in an `auth = NAME` of the api or of a route.
    Authorizer { api: &'c str, declaration: bool },
}

#[derive(Clone, Debug)]
pub struct Occurrence<'c> {
    pub span: Span,
    pub text: &'c str,
    pub role: Role<'c>,
}

/// The syntax tree of an app file.
pub fn ast(checked: &Checked, file: FileId) -> Option<&File> {
    checked.asts.iter().find(|(id, _)| *id == file).map(|(_, ast)| &**ast)
}

/// Every name of `file`, in source order.
pub fn occurrences(checked: &Checked, file: FileId) -> Vec<Occurrence<'_>> {
    let names = checked.model.resources.iter().map(|r| (r.name.as_str(), r.id)).collect();
    let inputs = checked.model.inputs.iter().map(|i| i.name.as_str()).collect();
    let mut walker = Walker { checked, names, inputs, api: None, out: Vec::new() };
    if let Some(ast) = ast(checked, file) {
        for item in &ast.items {
            walker.item(item);
        }
    }
    walker.out
}

/// The name at a byte offset (the cursor may stand just after it).
pub fn at(checked: &Checked, file: FileId, offset: usize) -> Option<Occurrence<'_>> {
    let all = occurrences(checked, file);
    let inside = |o: &&Occurrence| (o.span.start as usize) <= offset && offset < (o.span.end as usize);
    let touching = |o: &&Occurrence| o.span.end as usize == offset;
    all.iter().find(inside).or_else(|| all.iter().find(touching)).cloned()
}

/// Every declaration of and reference to the resource `name`, in all files.
pub fn resource_mentions<'c>(checked: &'c Checked, name: &str) -> Vec<Occurrence<'c>> {
    checked
        .asts
        .iter()
        .flat_map(|(file, _)| occurrences(checked, *file))
        .filter(|o| o.text == name && matches!(o.role, Role::Declaration | Role::Reference))
        .collect()
}

/// Every mention of the authorizer `name` of the api `api`, in all files.
pub fn authorizer_mentions<'c>(checked: &'c Checked, api: &str, name: &str) -> Vec<Occurrence<'c>> {
    checked
        .asts
        .iter()
        .flat_map(|(file, _)| occurrences(checked, *file))
        .filter(|o| o.text == name && matches!(&o.role, Role::Authorizer { api: a, .. } if *a == api))
        .collect()
}

/// A resource the app declares, as completion offers it.
pub struct Declared<'c> {
    pub name: &'c str,
    pub kind: &'c KindDef,
    pub existing: bool,
}

/// Every resource the app declares: those that resolved, then those named
/// by the header of an item that does not parse yet (`function f {` with
/// an error below it), whose kind is the word before the name.
pub fn declared(checked: &Checked) -> Vec<Declared<'_>> {
    let model = &checked.model;
    let mut out: Vec<Declared> = model
        .resources
        .iter()
        .filter_map(|r| Some(Declared { name: &r.name, kind: model.known_kind(r)?, existing: r.existing.is_some() }))
        .collect();
    for (file, ast) in &checked.asts {
        let text = &checked.sources.get(*file).text;
        for name in &ast.unparsed {
            let Some((kind, existing)) = header_kind(text, name.span.start as usize) else { continue };
            let Some(kind) = model.kinds.get(kind) else { continue };
            if model.find(&name.text).is_none() {
                out.push(Declared { name: &name.text, kind, existing });
            }
        }
    }
    out
}

/// The kind word before a declared name, and whether `existing` stands
/// before it.
fn header_kind(text: &str, name_start: usize) -> Option<(&str, bool)> {
    let before = text.get(..name_start)?.trim_end();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let start =
        before.rfind(|c: char| !is_word(c)).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let kind = &before[start..];
    let existing = before[..start].trim_end().ends_with("existing");
    (!kind.is_empty()).then_some((kind, existing))
}

struct Walker<'c> {
    checked: &'c Checked,
    /// The model's resources by name (the model looks them up one by one).
    names: HashMap<&'c str, ResourceId>,
    /// The app's inputs by name: a reference to one is a `Reference` too.
    inputs: HashSet<&'c str>,
    /// The api whose block is being walked: its authorizers' names.
    api: Option<&'c str>,
    out: Vec<Occurrence<'c>>,
}

impl<'c> Walker<'c> {
    fn push(&mut self, ident: &'c Ident, role: Role<'c>) {
        self.out.push(Occurrence { span: ident.span, text: &ident.text, role });
    }

    fn kind(&self, name: &str) -> Option<&'c KindDef> {
        self.checked.model.kinds.get(name)
    }

    fn kind_of_resource(&self, name: &str) -> Option<&'c KindDef> {
        let id = *self.names.get(name)?;
        self.kind(&self.checked.model.resource(id).kind)
    }

    fn item(&mut self, item: &'c Item) {
        match item {
            Item::App { body, .. } => self.body(body, &Owner::App),
            Item::Existing { kind, name, target, body, .. } => {
                self.push(kind, Role::Kind);
                self.push(name, Role::Declaration);
                self.value(target, false);
                if let Some(body) = body {
                    self.body(body, &Owner::Kind(&kind.text));
                }
            }
            Item::Block { kind: word, name, body } if word.text == "defaults" => {
                let block = word.span.to(body.span);
                self.push(word, Role::Defaults { kind: &name.text, block });
                self.push(name, Role::Kind);
                self.body(body, &Owner::Defaults { kind: &name.text, block });
            }
            Item::Block { kind, name, body } => {
                self.push(kind, Role::Kind);
                if kind.text == "kind" {
                    return; // a kind declaration: its words are the stdlib's vocabulary
                }
                self.push(name, Role::Declaration);
                self.api = (kind.text == "api").then_some(name.text.as_str());
                self.body(body, &Owner::Kind(&kind.text));
                self.api = None;
            }
        }
    }

    fn body(&mut self, body: &'c Body, owner: &Owner<'c>) {
        for statement in &body.statements {
            self.statement(statement, owner);
        }
    }

    fn attr_def(&self, owner: &Owner, name: &str) -> Option<&'c AttrDef> {
        let defs = match owner {
            Owner::App => return None,
            Owner::Kind(kind) | Owner::Defaults { kind, .. } => &self.kind(kind)?.attributes,
            Owner::Async => &self.kind("function")?.block("async")?.attributes,
            Owner::Trigger(kind) => &self.kind(kind)?.trigger.as_ref()?.options,
            Owner::Block { kind, block } => &self.kind(kind)?.block(block)?.attributes,
        };
        defs.iter().find(|d| d.name == name)
    }

    fn statement(&mut self, statement: &'c Statement, owner: &Owner<'c>) {
        match statement {
            Statement::Assignment { name, value } if name.text == "auth" && self.api.is_some() => {
                self.push(name, Role::Attribute { owner: owner.clone() });
                let api = self.api.unwrap_or_default();
                self.auth(value, api);
            }
            Statement::Assignment { name, value } => {
                self.push(name, Role::Attribute { owner: owner.clone() });
                let words = self.attr_def(owner, &name.text).is_some_and(|d| takes_words(&d.ty));
                self.value(value, words);
            }
            Statement::Edge { verb, targets, .. } => {
                let names = targets.iter().map(|t| t.text.as_str()).collect();
                self.push(verb, Role::Verb { targets: names });
                for target in targets {
                    self.push(target, Role::Reference);
                }
            }
            Statement::Trigger { source, options, .. } => {
                self.push(source, Role::Reference);
                let kind = self.kind_of_resource(&source.text).map_or("", |k| k.name.as_str());
                if let Some(Value { kind: ValueKind::Object(entries), .. }) = options.as_deref() {
                    let api = (kind == "api").then_some(source.text.as_str());
                    let owner = Owner::Trigger(kind);
                    for entry in entries {
                        self.push(&entry.key, Role::Attribute { owner: owner.clone() });
                        if let Some(api) = api.filter(|_| entry.key.text == "auth") {
                            self.auth(&entry.value, api);
                            continue;
                        }
                        let words = self.attr_def(&owner, &entry.key.text).is_some_and(|d| takes_words(&d.ty));
                        self.value(&entry.value, words);
                    }
                }
            }
            Statement::Mount { target, .. } => self.push(target, Role::Reference),
            Statement::Allow { principal, .. } => {
                use crate::ast::AllowPrincipal as P;
                if let P::Account(value) | P::Role(value) | P::Organization(value) = principal {
                    self.value(value, false);
                }
            }
            Statement::Nested { kind, name, body } => {
                if let (Some(name), Some(api)) = (name.as_ref().filter(|_| kind.text == "authorizer"), self.api) {
                    self.push(name, Role::Authorizer { api, declaration: true });
                }
                if kind.text == "async" && *owner == Owner::Kind("function") {
                    self.body(body, &Owner::Async);
                } else if let Owner::Kind(owner) = *owner {
                    if self.kind(owner).is_some_and(|k| k.block(&kind.text).is_some()) {
                        self.body(body, &Owner::Block { kind: owner, block: &kind.text });
                    }
                }
            }
        }
    }

    /// `auth = NAME` of the api `api`: a name other than `none` and `iam`
    /// is one of its authorizers.
    fn auth(&mut self, value: &'c Value, api: &'c str) {
        if let ValueKind::Reference(word, None) = &value.kind {
            if !matches!(word.text.as_str(), "none" | "iam") {
                self.push(word, Role::Authorizer { api, declaration: false });
            }
        }
    }

    /// `words`: the attribute takes enumerated words, so a bare name is
    /// not a reference.
    fn value(&mut self, value: &'c Value, words: bool) {
        match &value.kind {
            ValueKind::Reference(name, Some(field)) => {
                self.push(name, Role::Reference);
                self.push(field, Role::Field { resource: &name.text });
            }
            ValueKind::Reference(name, None)
                if !words
                    && (self.names.contains_key(name.text.as_str()) || self.inputs.contains(name.text.as_str())) =>
            {
                self.push(name, Role::Reference)
            }
            ValueKind::List(items) => items.iter().for_each(|v| self.value(v, words)),
            ValueKind::Object(entries) => entries.iter().for_each(|e| self.value(&e.value, words)),
            _ => {}
        }
    }
}

fn takes_words(ty: &AttrType) -> bool {
    matches!(ty, AttrType::Enum(_) | AttrType::Name(_) | AttrType::Bool)
}
