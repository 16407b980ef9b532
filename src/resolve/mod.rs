//! Ast + stdlib → Model: names bound, references resolved, attributes typed
//! and range-checked, defaults applied. Every problem is reported and the
//! resolver goes on, so one run shows all of a program's errors.

mod api;
pub mod arn;
mod attrs;
mod auth;
mod blocks;
mod defaults;
pub(crate) mod existing;
mod function;
mod halves;
mod inputs;
mod kind_names;
mod kinds;
mod machine;
mod names;
mod package;
mod patterns;
pub mod routes;
mod table;
mod tags;
mod undeclared;
mod value;

pub use defaults::defaultable;
pub use inputs::{takes_input, whole};
pub(crate) use names::duplicate_name;
pub(crate) use names::suggested;
use names::NAME_SEARCHES;
pub use names::{closest, closest_key, closest_kind};
pub use package::image_region;
pub(crate) use undeclared::Wanted;
pub use value::{format_duration, format_in_unit};

use crate::ast::{self, Body, Ident, Item, Statement, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{App, Attrs, Model, Resource, ResourceId, Val};
use crate::source::Span;
use crate::stdlib::{quoted, KindDef, KindId, Kinds};
use std::borrow::{Borrow, Cow};
use std::collections::{HashMap, HashSet};

/// The words of the top-level blocks that declare no resource: `kind NAME
/// { ... }`, `input NAME { ... }` and `defaults KIND { ... }`.
const NOT_RESOURCES: [&str; 3] = ["kind", "input", "defaults"];

/// Resolves the parsed files of one app against the kinds.
pub fn resolve<F: Borrow<ast::File>>(files: &[F], kinds: Kinds) -> (Model, Vec<Diagnostic>) {
    resolve_with(files, kinds, halves::PARALLEL_FROM)
}

/// [`resolve`], the resources on two threads in an app of `parallel_from`
/// or more.
fn resolve_with<F: Borrow<ast::File>>(files: &[F], mut kinds: Kinds, parallel_from: usize) -> (Model, Vec<Diagnostic>) {
    let files: Vec<&ast::File> = files.iter().map(Borrow::borrow).collect();
    let mut diagnostics = Vec::new();
    kinds::declare_user_kinds(&files, &mut kinds, &mut diagnostics);
    let items: Vec<&Item> = files.iter().flat_map(|f| &f.items).collect();
    let unparsed = files.iter().flat_map(|f| &f.unparsed).map(|name| name.text.clone()).collect();
    let broken = files.iter().flat_map(|f| &f.broken).cloned().collect();
    let mut scope = Scope {
        kinds: &kinds,
        names: Cow::Owned(HashMap::default()),
        unparsed: Cow::Owned(unparsed),
        broken: Cow::Owned(broken),
        resource_kinds: Cow::Owned(Vec::new()),
        name_searches: 0,
        callback_reads: Vec::new(),
        diagnostics,
        inputs: Cow::Owned(HashMap::new()),
        declared: Vec::new(),
        input_place: None,
        spare_place: Default::default(),
        existing: Cow::Owned(HashSet::new()),
        existing_reads: Vec::new(),
        item: None,
        defaults: std::sync::Arc::default(),
    };
    scope.declare_inputs(&items);
    let app = scope.app(&items);
    let declared = scope.declare(&items);
    scope.read_defaults(&items);
    let mut resources = scope.resources(&declared, parallel_from);
    scope.unused_defaults(&resources);
    let mut diagnostics = scope.diagnostics;
    diagnostics.extend(routes::check(&mut resources, &scope.callback_reads));
    diagnostics.extend(existing::refused_reads(&resources, &scope.existing_reads));
    diagnostics.extend(duplicate_routes(&resources));
    diagnostics.extend(auth::unknown_route_authorizers(&resources));
    let inputs = scope.declared.into_iter().map(|d| d.input).collect();
    (Model { kinds, app, resources, inputs }, diagnostics)
}

/// Two functions (or two triggers) on one api route.
fn duplicate_routes(resources: &[Resource]) -> Vec<Diagnostic> {
    // By API, method and path: the routes `routes::check` kept on one API
    // all have a method (HTTP, REST) or none (WebSocket keys), so these
    // are equal exactly when the route keys are.
    let mut seen: HashMap<(ResourceId, &str, &str), Span, foldhash::fast::FixedState> = HashMap::default();
    let mut out = Vec::new();
    let triggers = resources.iter().filter_map(|r| r.function.as_ref()).flat_map(|f| &f.triggers);
    for trigger in triggers {
        let Some(route) = &trigger.route else { continue };
        match seen.get(&(trigger.source, route.method.as_str(), route.path.as_str())) {
            Some(first) => out.push(
                Diagnostic::new(
                    Code::DuplicateRoute,
                    route.span,
                    format!("the route `{}` is already taken", route.key()),
                )
                .label("route used again")
                .secondary(*first, "first used here")
                .help(duplicate_route_help(route)),
            ),
            None => {
                seen.insert((trigger.source, &route.method, &route.path), route.span);
            }
        }
    }
    out
}

/// How to free a route taken twice: an HTTP or REST route by its method
/// and path; a WebSocket route key (`$connect`, `sendMessage`) has neither.
fn duplicate_route_help(route: &crate::model::Route) -> String {
    let key = &route.path;
    if !route.method.is_empty() {
        "give each route one function, or change the method or path".into()
    } else if key.starts_with('$') {
        format!("an API calls one function for `{key}`: keep this route on one function and remove it here")
    } else {
        format!(
            "give this function another route key (a value the API's `route_selection` yields for the messages it \
             takes), or let the first function take `{key}` alone"
        )
    }
}

/// What the resolver knows while it walks the items.
pub(crate) struct Scope<'k> {
    kinds: &'k Kinds,
    /// Looked up for every reference: hashed with foldhash, several times
    /// cheaper than the default SipHash on short names.
    names: Cow<'k, HashMap<String, ResourceId, foldhash::fast::FixedState>>,
    /// Names of items that failed to parse: the syntax error was reported,
    /// so a reference to one is left unresolved without a second error.
    unparsed: Cow<'k, HashSet<String>>,
    /// The first words of statements left out of the items around them
    /// (`ast::File::broken`): the syntax error was reported, so an
    /// attribute written there is not missing.
    broken: Cow<'k, [Ident]>,
    /// The kind of each declared resource, by id.
    resource_kinds: Cow<'k, [String]>,
    /// How many diagnostics asked to search all names for a suggestion
    /// (the first [`NAME_SEARCHES`] may).
    name_searches: usize,
    /// Each `API.callback_url` read, checked once every API's type is known.
    callback_reads: Vec<(ResourceId, Span)>,
    diagnostics: Vec<Diagnostic>,
    /// The app's inputs by name, and as declared (by `InputId`).
    inputs: Cow<'k, HashMap<String, crate::model::InputId>>,
    declared: Vec<inputs::Declared>,
    /// The `(kind, attribute)` whose value is being checked, where an
    /// input may stand if `inputs::takes_input` says so.
    input_place: Option<(String, String)>,
    /// The strings of the last `input_place`, kept for the next.
    spare_place: (String, String),
    /// Every existing resource.
    existing: Cow<'k, HashSet<ResourceId>>,
    /// Each read of an existing resource's field other than its ARN,
    /// checked against what the ARN holds once every resource is known.
    existing_reads: Vec<(ResourceId, String, Span)>,
    /// The top-level item being resolved: a name nothing declares may be
    /// declared above it (a quick fix).
    item: Option<Span>,
    /// The `defaults KIND { ... }` blocks, by kind.
    defaults: std::sync::Arc<defaults::Defaults>,
}

impl<'k> Scope<'k> {
    fn app(&mut self, items: &[&Item]) -> App {
        let mut app = App::default();
        for item in items {
            let Item::App { name, body } = item else {
                continue;
            };
            if let Some(first) = app.span {
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateApp, name.span, "an app has one `app` block")
                        .label("second app block")
                        .secondary(first, "first app block")
                        .help("merge the two blocks"),
                );
                continue;
            }
            self.check_name(name);
            app.name = name.text.clone();
            app.span = Some(name.span);
            self.app_body(&mut app, body);
        }
        app
    }

    fn app_body(&mut self, app: &mut App, body: &Body) {
        const KNOWN: [&str; 4] = ["region", "account", "tags", "permissions_boundary"];
        for statement in &body.statements {
            let Statement::Assignment { name, value } = statement else {
                self.misplaced(statement, "app");
                continue;
            };
            if self.app_input(name, value) {
                continue;
            }
            match (name.text.as_str(), &value.kind) {
                ("region", ValueKind::String(s)) if is_region(s) => app.region = Some(s.clone()),
                ("account", ValueKind::String(s)) if is_account(s) => app.account = Some(s.clone()),
                ("permissions_boundary", ValueKind::String(s)) if s.starts_with("arn:") && s.contains(":policy/") => {
                    app.permissions_boundary = Some(s.clone())
                }
                ("tags", ValueKind::Object(entries)) => app.tags = self.app_tags(entries, value.span),
                ("region" | "account" | "permissions_boundary" | "tags", _) => {
                    let expected = match name.text.as_str() {
                        "region" => "a region such as \"eu-west-1\"",
                        "account" => "a 12-digit account id as a string",
                        "tags" => "an object `{ team = \"x\" }`",
                        _ => "a managed policy ARN (arn:aws:iam::123456789012:policy/name)",
                    };
                    self.diagnostics.push(
                        Diagnostic::new(Code::InvalidValue, value.span, format!("`{}` expects {expected}", name.text))
                            .label("invalid value"),
                    );
                }
                _ => self.unknown_attribute(name, "app", KNOWN.iter().map(|s| s.to_string()).collect(), None),
            }
        }
    }

    /// Binds every resource name; returns the items that name resources.
    fn declare<'a>(&mut self, items: &[&'a Item]) -> Vec<&'a Item> {
        // The span of each declared name, by id: `names` finds the first.
        let mut first_spans: Vec<Span> = Vec::with_capacity(items.len());
        self.names.to_mut().reserve(items.len());
        let mut declared = Vec::with_capacity(items.len());
        for item in items {
            let (kind, name) = match item {
                Item::Existing { kind, name, .. } => (kind, name),
                Item::Block { kind, name, .. } if !NOT_RESOURCES.contains(&kind.text.as_str()) => (kind, name),
                _ => continue,
            };
            self.check_name(name);
            let input = self.inputs.get(&name.text).map(|id| self.declared[id.0 as usize].input.name_span);
            if let Some(first) = self.names.get(&name.text).map(|id| first_spans[id.0 as usize]).or(input) {
                self.diagnostics.push(duplicate_name(name, first));
                continue;
            }
            first_spans.push(name.span);
            let id = ResourceId(declared.len() as u32);
            if let Item::Existing { .. } = item {
                self.existing.to_mut().insert(id);
            }
            self.names.to_mut().insert(name.text.clone(), id);
            self.resource_kinds.to_mut().push(kind.text.clone());
            declared.push(*item);
        }
        declared
    }

    fn resource(&mut self, id: ResourceId, item: &Item) -> Resource {
        let (kind_ident, name, span) = match item {
            Item::Existing { kind, name, span, .. } => (kind, name, *span),
            Item::Block { kind, name, body } => (kind, name, kind.span.to(body.span)),
            Item::App { .. } => unreachable!("declare() keeps resources only"),
        };
        self.item = Some(span);
        let mut resource = Resource {
            id,
            name: name.text.clone(),
            name_span: name.span,
            kind: kind_ident.text.clone(),
            kind_id: self.kinds.id(&kind_ident.text),
            span,
            attrs: Attrs::default(),
            existing: None,
            function: None,
            api_setup: None,
            api: None,
            machine: None,
            table: None,
        };
        let Some(kind) = self.known_kind(kind_ident, resource.kind_id) else {
            return resource;
        };
        match item {
            Item::Existing { target, body, .. } => {
                resource.existing = self.existing(kind, kind_ident, target).map(Box::new);
                if let Some(body) = body {
                    resource.attrs = self.existing_attrs(kind, body, span);
                }
            }
            Item::Block { body, .. } => {
                if !kind.creatable {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::NotCreatable,
                            kind_ident.span.to(name.span),
                            format!("Lambdaform does not create {}", a(&kind.name)),
                        )
                        .label("cannot be created")
                        .help(format!("declare it with `existing {} {} = \"ARN\"`", kind.name, name.text)),
                    );
                }
                resource.attrs = self.block_attrs(kind, body, span);
                if kind.name == "function" {
                    resource.function = Some(Box::new(self.function_body(body)));
                    self.function_package(&resource, body);
                } else if kind.name == "api" {
                    let rest = resource.attrs.str("type") == Some("rest");
                    resource.api_setup = Some(Box::new(self.api_setup(kind, body, rest)));
                    resource.api = Some(Box::new(self.api_access(&resource.attrs, body)));
                } else if kind.name == "state_machine" {
                    resource.machine = Some(Box::new(self.machine_body(body)));
                } else if kind.name == "table" {
                    resource.table = Some(Box::new(self.table_body(kind, body)));
                } else {
                    for statement in &body.statements {
                        if !matches!(statement, Statement::Assignment { .. }) {
                            self.misplaced(statement, &kind.name);
                        }
                    }
                }
            }
            Item::App { .. } => {}
        }
        resource
    }

    /// The kind `ident` names, as [`Kinds::id`] `found` it; an unknown one
    /// is reported (LF1003), with the closest kind's name when one is near.
    fn known_kind(&mut self, ident: &Ident, found: Option<KindId>) -> Option<&'k KindDef> {
        let kinds = self.kinds;
        if let Some(id) = found {
            return Some(kinds.at(id));
        }
        let mut d = Diagnostic::new(Code::UnknownKind, ident.span, format!("unknown kind `{}`", ident.text))
            .label("unknown kind");
        let names: Vec<&str> = kinds.names().collect();
        // SAM's `Globals` and the Serverless Framework's `provider`, written
        // as a block (`globals function { ... }`).
        if ["globals", "provider"].contains(&ident.text.to_ascii_lowercase().as_str()) {
            let help =
                "what every resource of a kind takes is written `defaults KIND { ... }`: `defaults function { ... }`";
            self.diagnostics.push(d.help(help).replace_with(ident.span, "defaults"));
            return None;
        }
        d = match closest_kind(&ident.text, kinds) {
            Some(close) => d
                .help(format!("did you mean `{close}`? The kinds are {}", quoted(&names)))
                .replace_with(ident.span, close),
            None => d.help(format!("the kinds are {}", quoted(&names))),
        };
        self.diagnostics.push(d);
        None
    }

    /// The attributes of a block: each written one checked, then defaults.
    /// What an existing resource's body may say: how it is read, which the
    /// app needs for its grants but does not manage (the key of its
    /// `encryption`); no default applies.
    fn existing_attrs(&mut self, kind: &KindDef, body: &Body, span: Span) -> Attrs {
        let readable = kind.existing_settings();
        let assignments = body.statements.iter().filter_map(|statement| match statement {
            Statement::Assignment { name, value } => Some((name, value)),
            _ => None,
        });
        let attrs = self.attrs(&readable, assignments, &format!("existing {}", kind.name), span);
        for statement in body.statements.iter().filter(|s| !matches!(s, Statement::Assignment { .. })) {
            self.misplaced(statement, &kind.name);
        }
        attrs
    }

    fn block_attrs(&mut self, kind: &KindDef, body: &Body, block_span: Span) -> Attrs {
        let assignments = body.statements.iter().filter_map(|s| match s {
            // An api's `domain` holds a reference: `api_body` reads it.
            Statement::Assignment { name, value } if kind.name == "api" && name.text == "domain" => {
                (!matches!(value.kind, ValueKind::Object(_))).then_some((name, value))
            }
            Statement::Assignment { name, value } => Some((name, value)),
            _ => None,
        });
        let defaults = std::sync::Arc::clone(&self.defaults);
        self.attrs_taking(&kind.attributes, assignments, &kind.name, block_span, defaults.of(&kind.name))
    }

    pub(crate) fn kind_name(&self, id: ResourceId) -> &str {
        &self.resource_kinds[id.0 as usize]
    }
}

pub fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// `a queue`, `an api`: the word with its indefinite article.
pub(crate) fn a(word: &str) -> String {
    format!("{} {word}", article(word))
}

/// `a table`, `a table or a stream`, `a table, a bucket or a parameter`.
pub(crate) fn any_of(words: &[&str]) -> String {
    let each: Vec<String> = words.iter().map(|w| a(w)).collect();
    crate::diagnostic::listed(&each, "or")
}

/// The indefinite article of `word`: `an` before a vowel, else `a`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl Val {
    /// For tests and messages: a value as Lambdaform would write it.
    pub fn describe(&self) -> String {
        match self {
            Val::Str(s) => format!("{s:?}"),
            Val::Int(n) => n.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Duration(n) => format_duration(*n),
            Val::Size(n) => format!("{n}MB"),
            Val::Word(w) => w.clone(),
            Val::Ref(id) => format!("#{}", id.0),
            Val::Field(id, f) => format!("#{}.{f}", id.0),
            Val::Input(id) => format!("input #{}", id.0),
            Val::List(items) => format!("[{}]", items.iter().map(Val::describe).collect::<Vec<_>>().join(", ")),
            Val::Object(entries) => {
                format!(
                    "{{ {} }}",
                    entries.iter().map(|(k, v)| format!("{k} = {}", v.describe())).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }
}
