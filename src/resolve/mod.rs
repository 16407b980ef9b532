//! Ast + stdlib → Model: names bound, references resolved, attributes typed
//! and range-checked, defaults applied. Every problem is reported and the
//! resolver goes on, so one run shows all of a program's errors.

mod api;
pub mod arn;
mod auth;
mod blocks;
mod defaults;
pub(crate) mod existing;
mod function;
mod halves;
mod inputs;
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

use crate::ast::{self, Body, Ident, Item, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{App, Attr, Attrs, Model, Resource, ResourceId, Val};
use crate::source::Span;
use crate::stdlib::{quoted, AttrDef, KindDef, KindId, Kinds};
use std::borrow::{Borrow, Cow};
use std::collections::{HashMap, HashSet};

/// The words of the top-level blocks that declare no resource: `kind NAME
/// { ... }`, `input NAME { ... }` and `defaults KIND { ... }`.
const NOT_RESOURCES: [&str; 3] = ["kind", "input", "defaults"];

/// The attributes a block wrote, as [`Scope::written`] checked them.
struct Written<'v> {
    seen: Vec<Option<Span>>,
    values: Vec<Option<Attr>>,
    unknown: Vec<(&'v Ident, &'v Value)>,
}

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

    /// Checks `name = value` pairs against `defs`, then applies defaults and
    /// reports missing required attributes at `owner_span`.
    pub(crate) fn attrs<'v>(
        &mut self,
        defs: &[AttrDef],
        written: impl Iterator<Item = (&'v Ident, &'v Value)>,
        owner: &str,
        owner_span: Span,
    ) -> Attrs {
        self.attrs_taking(defs, written, owner, owner_span, None)
    }

    /// [`Scope::attrs`], an attribute the block does not write taken from
    /// `taken` (its kind's `defaults` block) before the stdlib's default.
    fn attrs_taking<'v>(
        &mut self,
        defs: &[AttrDef],
        written: impl Iterator<Item = (&'v Ident, &'v Value)>,
        owner: &str,
        owner_span: Span,
        taken: Option<&defaults::Taken>,
    ) -> Attrs {
        let Written { seen, mut values, unknown } = self.written(defs, written, owner);
        // Written here or in the defaults, valid or not: an attribute
        // written with an error was reported and is not missing.
        let unparsed = self.defaults_unparsed(owner);
        let broken = self.broken_in(owner_span);
        let given = |name: &str| {
            defs.iter().zip(&seen).any(|(d, s)| s.is_some() && d.name == name)
                || taken.is_some_and(|t| t.writes(defs, name))
                || unparsed
                || broken.iter().any(|word| word == name)
        };
        if !unknown.is_empty() {
            let missing = defs.iter().filter(|d| d.required && d.default.is_none() && !given(&d.name));
            self.unknown_attributes(unknown, defs, missing, owner);
        }
        if let Some(taken) = taken {
            taken.fill(defs, &seen, &mut values);
        }
        for (def, value) in defs.iter().zip(values.iter_mut()).filter(|(_, value)| value.is_none()) {
            if let Some(val) = value::default_value(def) {
                *value = Some(Attr { name: def.name.clone(), value: val, span: None });
            } else if def.required && !given(&def.name) {
                self.diagnostics.push(
                    Diagnostic::new(Code::MissingAttribute, owner_span, format!("this {owner} needs `{}`", def.name))
                        .label(format!("`{}` is missing", def.name))
                        .help(format!("add `{} = ...` ({})", def.name, def.ty.describe())),
                );
            }
        }
        // At its size: a function's kind has thirty attributes, of which a
        // function sets or defaults about ten (20 MB of room at 10,000
        // functions otherwise).
        let mut attrs = Vec::with_capacity(values.iter().flatten().count());
        attrs.extend(values.into_iter().flatten());
        Attrs(attrs)
    }

    /// The `name = value` pairs of a block checked against `defs`: by the
    /// position of the (first) def of each name, where it was written
    /// first and its checked value; and the names no def has.
    fn written<'v>(
        &mut self,
        defs: &[AttrDef],
        written: impl Iterator<Item = (&'v Ident, &'v Value)>,
        owner: &str,
    ) -> Written<'v> {
        // Blocks are many and defs few, so two small vectors rather than
        // two hash maps per block.
        let mut seen: Vec<Option<Span>> = vec![None; defs.len()];
        let mut values: Vec<Option<Attr>> = (0..defs.len()).map(|_| None).collect();
        let mut unknown = Vec::new();
        for (name, value) in written {
            let Some(index) = defs.iter().position(|d| d.name == name.text) else {
                unknown.push((name, value));
                continue;
            };
            let def = &defs[index];
            if let Some(first) = seen[index] {
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateAttribute, name.span, format!("`{}` is set twice", name.text))
                        .label("set again here")
                        .secondary(first, "first set here")
                        .help("remove one of the two"),
                );
                continue;
            }
            seen[index] = Some(name.span);
            if self.references_in_pattern(owner, &def.name, value) {
                continue;
            }
            self.enter_input_place(owner, &def.name);
            let checked = self.check_value(def, value);
            self.leave_input_place();
            if let Some(val) = checked {
                values[index] = Some(Attr { name: def.name.clone(), value: val, span: Some(value.span) });
            }
        }
        Written { seen, values, unknown }
    }

    /// The first words of the broken statements inside `span`.
    pub(super) fn broken_in(&self, span: Span) -> Vec<String> {
        self.broken.iter().filter(|word| span.contains(word.span)).map(|word| word.text.clone()).collect()
    }

    /// Sets `input_place`, reusing the strings of the last place (one
    /// is set for each attribute of each block).
    fn enter_input_place(&mut self, owner: &str, attr: &str) {
        let (mut kind, mut at) = std::mem::take(&mut self.spare_place);
        kind.clear();
        kind.push_str(owner);
        at.clear();
        at.push_str(attr);
        self.input_place = Some((kind, at));
    }

    fn leave_input_place(&mut self) {
        if let Some(place) = self.input_place.take() {
            self.spare_place = place;
        }
    }

    pub(crate) fn kind_name(&self, id: ResourceId) -> &str {
        &self.resource_kinds[id.0 as usize]
    }

    /// LF1004 for each of the `unknown` attributes of a block of `defs`.
    /// If one required attribute alone is `missing`, it is what the one
    /// unknown attribute whose value could be its most likely stands for
    /// (a schedule's `every = "rate(1 day)"` is its `at`; of a table's
    /// `hash_key` and `range_key`, neither is known).
    fn unknown_attributes<'d>(
        &mut self,
        unknown: Vec<(&Ident, &Value)>,
        defs: &[AttrDef],
        mut missing: impl Iterator<Item = &'d AttrDef>,
        owner: &str,
    ) {
        let needed = match (missing.next(), missing.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        };
        let could_be = |value: &Value| needed.is_some_and(|def| value::may_be(&def.ty, &value.kind));
        let alone = unknown.iter().filter(|(_, value)| could_be(value)).count() == 1;
        for (name, value) in unknown {
            let needed = needed.filter(|_| alone && could_be(value)).map(|def| def.name.as_str());
            self.unknown_attribute(name, owner, defs.iter().map(|d| d.name.to_string()).collect(), needed);
        }
    }

    /// LF1004; `needed` is the one required attribute the block lacks,
    /// if the value written could be its.
    fn unknown_attribute(&mut self, name: &Ident, owner: &str, known: Vec<String>, needed: Option<&str>) {
        let d = Diagnostic::new(
            Code::UnknownAttribute,
            name.span,
            format!("{} has no attribute `{}`", a(owner), name.text),
        )
        .label("unknown attribute");
        let help = match known.is_empty() {
            true => format!("{} takes no attributes", a(owner)),
            false => format!("{} takes {}", a(owner), quoted(&known)),
        };
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        // Another kind's attribute, set on a resource of this one; not on
        // an existing resource (its kind's attributes are set in AWS), nor
        // in an object (a function URL's `cors`) or the app.
        let of_a_kind = self.kinds.get(owner).is_some();
        let elsewhere: Vec<&str> = (self.kinds.all().iter())
            .filter(|k| of_a_kind && k.name != owner && k.attribute(&name.text).is_some())
            .map(|k| k.name.as_str())
            .collect();
        let concept = match owner {
            "function" => names::function_concept(&name.text),
            _ => None,
        };
        let d = match (concept, closest_key(&name.text, &known), needed) {
            // SAM and Serverless keep the stage in the app's file.
            _ if owner == "app" && name.text == "stage" => {
                d.help(format!("the stage is chosen when building, `lambdaform build --stage dev`; {help}"))
            }
            (Some(concept), _, _) => d.help(concept),
            _ if !elsewhere.is_empty() => {
                d.help(format!("`{}` is an attribute of {}; {help}", name.text, any_of(&elsewhere)))
            }
            (None, Some(close), _) => d.help(format!("did you mean `{close}`? {help}")).replace_with(name.span, close),
            (None, None, Some(needed)) => d
                .help(format!("did you mean `{needed}`, which this {owner} needs? {help}"))
                .replace_with(name.span, needed),
            (None, None, None) => d.help(help),
        };
        self.diagnostics.push(d);
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
