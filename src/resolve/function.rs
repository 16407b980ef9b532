//! The statements of a function block: verbs, triggers, `async`, mounts and
//! `allow`. Attributes are checked by the caller like any block's.

use super::{a, any_of, Scope, Wanted};
use crate::ast::{AllowPrincipal as AstPrincipal, Body, Ident, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Access, Allow, AllowPrincipal, AsyncConfig, Attrs, FunctionBody, Mount, Route, Trigger};
use crate::source::Span;
use crate::stdlib::{quoted, KindDef};

/// The route an api trigger's options spell as SAM's `Api` event does
/// (`{ method = "POST", path = "/orders" }`, and nothing else), written as
/// a route string, and the span of the options it stands for.
fn route_in_options(options: Option<&Value>) -> Option<(String, Span)> {
    let options = options?;
    let ValueKind::Object(entries) = &options.kind else { return None };
    if entries.len() != 2 {
        return None;
    }
    let text = |key: &str| {
        entries.iter().find(|e| e.key.text.eq_ignore_ascii_case(key)).and_then(|e| match &e.value.kind {
            ValueKind::String(s) if !s.contains(['"', '\\']) => Some(s.as_str()),
            _ => None,
        })
    };
    let (method, path) = (text("method")?.to_ascii_uppercase(), text("path")?);
    Some((format!("\"{method} {path}\""), options.span))
}

impl Scope<'_> {
    pub(super) fn function_body(&mut self, body: &Body) -> FunctionBody {
        let mut function = FunctionBody::default();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } if name.text == "url" => {
                    function.url_cors = self.url_cors(value);
                }
                Statement::Assignment { .. } => {}
                Statement::Edge { verb, targets, user } => {
                    let user = user.as_ref().and_then(|u| match &u.kind {
                        ValueKind::String(text) => Some((text.clone(), u.span)),
                        _ => None,
                    });
                    for target in targets {
                        if let Some(access) = self.access(verb, target, user.clone()) {
                            function.accesses.push(access);
                        }
                    }
                }
                Statement::Trigger { source, route, options, span } => {
                    if let Some(trigger) = self.trigger(source, route.as_deref(), options.as_deref(), *span) {
                        function.triggers.push(trigger);
                    }
                }
                Statement::Nested { kind, name: None, body } if kind.text == "async" => {
                    self.async_config(&mut function, kind, body);
                }
                Statement::Nested { kind, .. } => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::MisplacedStatement,
                            kind.span,
                            format!("a function has no `{}` block", kind.text),
                        )
                        .label("unknown block")
                        .help("the only block inside a function is `async { ... }`"),
                    );
                }
                Statement::Mount { target, path, readonly, span } => {
                    if let Some(mount) = self.mount(target, path, *readonly, *span) {
                        function.mounts.push(mount);
                    }
                }
                Statement::Allow { principal, span } => {
                    let (principal_span, source_span) = match principal {
                        AstPrincipal::Account(id) | AstPrincipal::Role(id) | AstPrincipal::Organization(id) => {
                            (id.span, None)
                        }
                        AstPrincipal::Service { service, source } => (service.span, source.as_ref().map(|s| s.span)),
                    };
                    let principal = self.allow_principal(principal);
                    function.allows.push(Allow { principal, span: *span, principal_span, source_span })
                }
            }
        }
        function
    }

    /// The `cors` of `url = { ..., cors = { ... } }`.
    fn url_cors(&mut self, url: &Value) -> Option<crate::model::Cors> {
        let ValueKind::Object(entries) = &url.kind else { return None };
        let cors = entries.iter().find(|e| e.key.text == "cors")?;
        match &cors.value.kind {
            ValueKind::Object(fields) => Some(self.cors(fields, cors.value.span)),
            other => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongType,
                        cors.value.span,
                        format!("`cors` expects an object `{{ key = value }}`, found {}", other.describe()),
                    )
                    .label("expected an object"),
                );
                None
            }
        }
    }

    fn access(&mut self, verb: &Ident, target: &Ident, user: Option<(String, Span)>) -> Option<Access> {
        let id = self.lookup_as(target, Wanted::Verb(&verb.text))?;
        let kinds = self.kinds;
        let kind = kinds.get(self.kind_name(id))?;
        if matches!(verb.text.as_str(), "start" | "start_sync") && kind.name != "state_machine" {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::NotAStateMachine,
                    target.span,
                    format!("`{}` starts a state machine, but `{}` is {}", verb.text, target.text, a(&kind.name)),
                )
                .label(format!("`{}` is {}", target.text, a(&kind.name)))
                .secondary(verb.span, "starts executions of a state machine")
                .help(match kind.name.as_str() {
                    "function" => format!("a function is called with `invoke {}`", target.text),
                    _ => "name a `state_machine` of the app".to_string(),
                }),
            );
            return None;
        }
        if kind.verb(&verb.text).is_none_or(|v| v.is_mount()) {
            let d = self.unknown_verb(kind, verb, target);
            self.diagnostics.push(d);
            return None;
        }
        Some(Access { verb: verb.text.clone(), target: id, user, span: verb.span.to(target.span) })
    }

    pub(super) fn trigger(
        &mut self,
        source: &Ident,
        route: Option<&Value>,
        options: Option<&Value>,
        span: Span,
    ) -> Option<Trigger> {
        let id = self.lookup_as(source, Wanted::Trigger { route: route.is_some() })?;
        let kinds = self.kinds;
        let kind = kinds.get(self.kind_name(id))?;
        let Some(def) = &kind.trigger else {
            let triggering: Vec<String> =
                kinds.all().iter().filter(|k| k.trigger.is_some()).map(|k| k.name.clone()).collect();
            self.diagnostics.push(
                Diagnostic::new(Code::NotATrigger, source.span, format!("{} cannot trigger a function", a(&kind.name)))
                    .label(format!("`{}` is {}", source.text, a(&kind.name)))
                    .help(format!("functions are triggered by {}", quoted(&triggering))),
            );
            return None;
        };
        let route = match (def.route, route) {
            (true, Some(value)) => Some(self.route(value)?),
            (true, None) => {
                let d = Diagnostic::new(Code::BadRoute, source.span, "an api trigger needs a route").label("no route");
                self.diagnostics.push(match route_in_options(options) {
                    // `{ method = "POST", path = "/orders" }`, as SAM's event says it.
                    Some((route, span)) => d
                        .help(format!("the route is written after the api's name: `on {} {route}`", source.text))
                        .replace_with(span, route),
                    None => d.help(format!("write `on {} \"GET /path\"`", source.text)),
                });
                return None;
            }
            (false, Some(value)) => {
                self.diagnostics.push(
                    Diagnostic::new(Code::BadRoute, value.span, format!("{} trigger takes no route", a(&kind.name)))
                        .label("unexpected route")
                        .help("only api triggers take a route string; remove it"),
                );
                None
            }
            (false, None) => None,
        };
        let options = self.trigger_options(&def.options, options, &kind.name, source.span);
        Some(Trigger { source: id, route, options, span })
    }

    fn trigger_options(
        &mut self,
        defs: &[crate::stdlib::AttrDef],
        options: Option<&Value>,
        kind: &str,
        span: Span,
    ) -> Attrs {
        let entries: &[crate::ast::Entry] = match options.map(|v| &v.kind) {
            Some(ValueKind::Object(entries)) => entries,
            _ => &[],
        };
        let (known, unknown): (Vec<_>, Vec<_>) =
            entries.iter().partition(|e| defs.iter().any(|d| d.name == e.key.text));
        for entry in unknown {
            let d = self.unknown_trigger_option(defs, &entry.key, kind);
            self.diagnostics.push(d);
        }
        self.attrs(defs, known.into_iter().map(|e| (&e.key, &e.value)), &[kind, " trigger"].concat(), span)
    }

    /// LF1009: a function cannot `verb` a `target` of this `kind`. The
    /// help names the kinds the verb is for, if any (`publish` to a topic,
    /// not a queue), and otherwise suggests the verb likely meant
    /// (`SendMessage` for `send`).
    fn unknown_verb(&self, kind: &KindDef, verb: &Ident, target: &Ident) -> Diagnostic {
        let d = Diagnostic::new(
            Code::UnknownVerb,
            verb.span,
            format!("`{}` is not something a function can do to {}", verb.text, a(&kind.name)),
        )
        .label("unknown verb for this target")
        .secondary(target.span, format!("`{}` is {}", target.text, a(&kind.name)));
        if kind.name == "filesystem" {
            return d.help(format!("a filesystem is mounted: `mount {} at \"/mnt/data\"`", target.text));
        }
        let verbs: Vec<&str> = kind.verbs.iter().filter(|v| !v.is_mount()).map(|v| v.name.as_str()).collect();
        let help = match verbs.is_empty() {
            true => format!("a function cannot call {} directly", a(&kind.name)),
            false => format!("{} takes {}", a(&kind.name), quoted(&verbs)),
        };
        let elsewhere: Vec<&str> = (self.kinds.all().iter())
            .filter(|k| k.verb(&verb.text).is_some_and(|v| !v.is_mount()))
            .map(|k| k.name.as_str())
            .collect();
        if !elsewhere.is_empty() {
            return d.help(format!("`{}` is for {}; {help}", verb.text, any_of(&elsewhere)));
        }
        super::suggested(d, &verb.text, verb.span, &verbs, help)
    }

    /// LF1011: `key` is not an option of a `kind` trigger. The help names
    /// the triggers it is an option of, if any (a queue's trigger is not
    /// told to write `window` for a stream's `tumbling_window`), and
    /// otherwise suggests the option likely meant (`BatchSize` for `batch`).
    fn unknown_trigger_option(&self, defs: &[crate::stdlib::AttrDef], key: &Ident, kind: &str) -> Diagnostic {
        let d = Diagnostic::new(
            Code::UnknownTriggerOption,
            key.span,
            format!("`{}` is not an option of {} trigger", key.text, a(kind)),
        )
        .label("unknown option");
        let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        let help = match names.is_empty() {
            true => format!("{} trigger takes no options", a(kind)),
            false => format!("{} trigger takes {}", a(kind), quoted(&names)),
        };
        let elsewhere: Vec<&str> = (self.kinds.all().iter())
            .filter(|k| k.trigger.as_ref().is_some_and(|t| t.options.iter().any(|o| o.name == key.text)))
            .map(|k| k.name.as_str())
            .collect();
        if !elsewhere.is_empty() {
            return d.help(format!("`{}` is an option of {} trigger; {help}", key.text, any_of(&elsewhere)));
        }
        super::suggested(d, &key.text, key.span, &names, help)
    }

    /// The route as written; whether it fits its API's type is checked
    /// once every API is read (`routes::check`).
    fn route(&mut self, value: &Value) -> Option<Route> {
        let ValueKind::String(text) = &value.kind else {
            return None;
        };
        Some(match text.split_once(' ') {
            Some((method, path)) => Route { method: method.to_string(), path: path.to_string(), span: value.span },
            None => Route { method: String::new(), path: text.clone(), span: value.span },
        })
    }

    fn async_config(&mut self, function: &mut FunctionBody, kind: &Ident, body: &Body) {
        let kinds = self.kinds;
        let Some(def) = kinds.get("function").and_then(|f| f.block("async")) else {
            return;
        };
        if let Some(first) = &function.async_config {
            self.diagnostics.push(
                Diagnostic::new(Code::DuplicateAttribute, kind.span, "`async` is set twice")
                    .label("second async block")
                    .secondary(first.span, "first async block")
                    .help("merge the two blocks"),
            );
            return;
        }
        let assignments = self.block_assignments(body, def);
        let attrs = self.attrs(&def.attributes, assignments.into_iter(), "async block", kind.span);
        function.async_config = Some(AsyncConfig { attrs, span: kind.span.to(body.span) });
    }

    fn mount(&mut self, target: &Ident, path: &Value, readonly: bool, span: Span) -> Option<Mount> {
        let id = self.lookup_as(target, Wanted::Kind("filesystem"))?;
        let kind = self.kind_name(id).to_string();
        if kind != "filesystem" {
            self.wrong_kind(target, &kind, &["filesystem".to_string()], "mount");
            return None;
        }
        let ValueKind::String(path) = &path.kind else {
            return None;
        };
        Some(Mount { target: id, path: path.clone(), readonly, span })
    }

    fn allow_principal(&mut self, principal: &AstPrincipal) -> AllowPrincipal {
        let text = |v: &Value| match &v.kind {
            ValueKind::String(s) => s.clone(),
            _ => String::new(),
        };
        match principal {
            AstPrincipal::Account(v) => AllowPrincipal::Account(self.principal_text(v, "an account")),
            AstPrincipal::Role(v) => AllowPrincipal::Role(self.principal_text(v, "a role")),
            AstPrincipal::Organization(v) => AllowPrincipal::Organization(self.principal_text(v, "an organization")),
            AstPrincipal::Service { service, source } => {
                AllowPrincipal::Service { service: text(service), source: source.as_ref().map(text) }
            }
        }
    }
}
