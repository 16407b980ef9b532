//! Reading one `kind NAME { ... }` declaration (the stdlib's, or one an
//! app declares) into a [`KindDef`]: each statement checked against what a
//! kind, an attribute, a verb, a trigger or a destination may say, every
//! problem a diagnostic, and each grant's named attribute marked once.

use super::{
    AttrDef, AttrType, BlockDef, DestinationDef, FieldDef, GrantDef, KindDef, ListItems, Literal, TriggerDef,
    TriggerMode, VerbDef,
};
use crate::ast::{Body, Statement, Value, ValueKind};
use crate::diagnostic::{listed, Code, Diagnostic};
use crate::source::Span;

/// Reads one `kind NAME { ... }` declaration.
pub fn read_kind(name: &str, span: Span, body: &Body, diagnostics: &mut Vec<Diagnostic>) -> KindDef {
    let mut r = Reader { diagnostics };
    let mut kind = KindDef {
        name: name.to_string(),
        span,
        builtin: false,
        cloudformation: String::new(),
        terraform: String::new(),
        arn: String::new(),
        arns: Vec::new(),
        stateful: false,
        named: false,
        creatable: true,
        existable: true,
        by_name: false,
        fields: Vec::new(),
        attributes: Vec::new(),
        blocks: Vec::new(),
        verbs: Vec::new(),
        trigger: None,
        destination: None,
    };
    for statement in &body.statements {
        match statement {
            Statement::Assignment { name, value } => match name.text.as_str() {
                "builtin" => kind.builtin = r.bool(value),
                "cloudformation" => kind.cloudformation = r.string(value),
                "terraform" => kind.terraform = r.string(value),
                "arn" => kind.arn = r.string(value),
                "arns" => kind.arns = r.string_map(value),
                "stateful" => kind.stateful = r.bool(value),
                "named" => kind.named = r.bool(value),
                "creatable" => kind.creatable = r.bool(value),
                "existable" => kind.existable = r.bool(value),
                "by_name" => kind.by_name = r.bool(value),
                _ => r.unknown(name.span, &name.text, "kind"),
            },
            Statement::Nested { kind: word, name: sub, body } => {
                let sub_name = sub.as_ref().map(|n| n.text.clone()).unwrap_or_default();
                match word.text.as_str() {
                    "attribute" => kind.attributes.push(r.attr(&sub_name, word.span, body)),
                    "field" => kind.fields.push(r.field(&sub_name, body)),
                    "verb" => {
                        let verb = r.verb(sub_name, &kind.verbs, body);
                        kind.verbs.push(verb);
                    }
                    "trigger" => kind.trigger = Some(r.trigger(body)),
                    "destination" => kind.destination = Some(r.destination(body)),
                    "block" => kind.blocks.push(BlockDef { name: sub_name, attributes: r.attrs(body) }),
                    _ => r.unknown(word.span, &word.text, "kind"),
                }
            }
            other => r.unknown(other.span(), "this statement", "kind"),
        }
    }
    mark_named_grants(&mut kind);
    kind
}

/// Marks each grant whose resources name a `ref` attribute of the kind
/// (`resources = [encryption]`) with that attribute.
fn mark_named_grants(kind: &mut KindDef) {
    let references: Vec<&str> =
        kind.attributes.iter().filter(|a| matches!(a.ty, AttrType::Ref(_))).map(|a| a.name.as_str()).collect();
    let verbs = kind.verbs.iter_mut().flat_map(|v| &mut v.grants);
    let trigger = kind.trigger.iter_mut().flat_map(|t| &mut t.grants);
    let destination = kind.destination.iter_mut().flat_map(|d| &mut d.grants);
    for grant in verbs.chain(trigger).chain(destination) {
        grant.named = grant.resources.iter().find(|form| references.contains(&form.as_str())).cloned();
    }
}

struct Reader<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn unknown(&mut self, span: Span, what: &str, context: &str) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::BadKindDeclaration,
                span,
                format!("`{what}` has no meaning in a {context} declaration"),
            )
            .label("not understood"),
        );
    }

    /// A grant's `condition` the compiler cannot write: which ones it can.
    fn unknown_condition(&mut self, value: &Value, word: &str) {
        let known: Vec<String> = super::CONDITIONS.iter().map(|(name, _)| format!("`{name}`")).collect();
        self.diagnostics.push(
            Diagnostic::new(
                Code::BadKindDeclaration,
                value.span,
                format!("`{word}` is not a condition a grant can name"),
            )
            .label("unknown condition")
            .help(format!("a grant names {} (docs/language.md, \"Declaring a kind\")", listed(&known, "or"))),
        );
    }

    fn bad(&mut self, value: &Value, expected: &str) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::BadKindDeclaration,
                value.span,
                format!("expected {expected}, found {}", value.kind.describe()),
            )
            .label("in this kind declaration"),
        );
    }

    fn bool(&mut self, value: &Value) -> bool {
        match value.kind {
            ValueKind::Bool(b) => b,
            _ => {
                self.bad(value, "`true` or `false`");
                false
            }
        }
    }

    fn string(&mut self, value: &Value) -> String {
        match &value.kind {
            ValueKind::String(s) => s.clone(),
            _ => {
                self.bad(value, "a string");
                String::new()
            }
        }
    }

    fn word(&mut self, value: &Value) -> String {
        match &value.kind {
            ValueKind::Reference(name, None) => name.text.clone(),
            _ => {
                self.bad(value, "a word");
                String::new()
            }
        }
    }

    fn words(&mut self, value: &Value) -> Vec<String> {
        self.list(value, "a list of words", Self::word)
    }

    fn strings(&mut self, value: &Value) -> Vec<String> {
        self.list(value, "a list of strings", Self::string)
    }

    /// A list's items, each read by `item`; `what` names the list that
    /// anything else is reported as not being.
    fn list<T>(&mut self, value: &Value, what: &str, item: fn(&mut Self, &Value) -> T) -> Vec<T> {
        match &value.kind {
            ValueKind::List(items) => items.iter().map(|v| item(self, v)).collect(),
            _ => {
                self.bad(value, what);
                Vec::new()
            }
        }
    }

    fn string_map(&mut self, value: &Value) -> Vec<(String, String)> {
        match &value.kind {
            ValueKind::Object(entries) => {
                for (index, entry) in entries.iter().enumerate() {
                    if let Some(first) = entries[..index].iter().find(|e| e.key.text == entry.key.text) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::DuplicateKey,
                                entry.key.span,
                                format!("the key `{}` is set twice", entry.key.text),
                            )
                            .label("set again here")
                            .secondary(first.key.span, "first set here")
                            .help("keep one of the two"),
                        );
                    }
                }
                entries.iter().map(|e| (e.key.text.clone(), self.string(&e.value))).collect()
            }
            _ => {
                self.bad(value, "an object of strings");
                Vec::new()
            }
        }
    }

    fn number(&mut self, value: &Value) -> i64 {
        match value.kind {
            ValueKind::Integer(n) | ValueKind::Duration(n, _) | ValueKind::Size(n, _) => n,
            _ => {
                self.bad(value, "a number, duration or size");
                0
            }
        }
    }

    fn literal(&mut self, value: &Value) -> Literal {
        match &value.kind {
            ValueKind::Integer(n) | ValueKind::Duration(n, _) | ValueKind::Size(n, _) => Literal::Int(*n),
            ValueKind::Bool(b) => Literal::Bool(*b),
            ValueKind::String(s) => Literal::Str(s.clone()),
            ValueKind::Reference(name, None) => Literal::Str(name.text.clone()),
            ValueKind::List(_) => Literal::List(self.strings(value)),
            _ => {
                self.bad(value, "a literal");
                Literal::Bool(false)
            }
        }
    }

    fn attrs(&mut self, body: &Body) -> Vec<AttrDef> {
        let mut out = Vec::new();
        for statement in &body.statements {
            match statement {
                Statement::Nested { kind, name: Some(name), body } if kind.text == "attribute" => {
                    out.push(self.attr(&name.text, name.span, body));
                }
                other => self.unknown(other.span(), "this statement", "block"),
            }
        }
        out
    }

    fn attr(&mut self, name: &str, span: Span, body: &Body) -> AttrDef {
        let mut def = AttrDef {
            name: name.into(),
            ty: AttrType::String,
            default: None,
            min: None,
            max: None,
            required: false,
            replaces: false,
            cloudformation: None,
            terraform: None,
            doc: String::new(),
            span,
            items: ListItems::default(),
        };
        let (mut values, mut kinds, mut entries) = (Vec::new(), Vec::new(), Vec::new());
        let mut ty = String::from("string");
        let mut type_span = span;
        for statement in &body.statements {
            if let Statement::Nested { kind, name: Some(name), body } = statement {
                if kind.text == "attribute" {
                    entries.push(self.attr(&name.text, name.span, body));
                    continue;
                }
            }
            let Statement::Assignment { name, value } = statement else {
                self.unknown(statement.span(), "this statement", "attribute");
                continue;
            };
            match name.text.as_str() {
                "type" => {
                    ty = self.word(value);
                    type_span = value.span;
                }
                "default" => def.default = Some(self.literal(value)),
                "min" => def.min = Some(self.number(value)),
                "max" => def.max = Some(self.number(value)),
                "required" => def.required = self.bool(value),
                "replaces" => def.replaces = self.bool(value),
                "cloudformation" => def.cloudformation = Some(self.string(value)),
                "terraform" => def.terraform = Some(self.string(value)),
                "doc" => def.doc = self.string(value),
                "values" => values = self.words(value),
                "kinds" => kinds = self.words(value),
                _ => self.unknown(name.span, &name.text, "attribute"),
            }
        }
        def.ty = match ty.as_str() {
            "string" => AttrType::String,
            "int" => AttrType::Int,
            "bool" => AttrType::Bool,
            "duration" => AttrType::Duration,
            "size" => AttrType::Size,
            "enum" => AttrType::Enum(values),
            "name" => AttrType::Name(values),
            "ref" => AttrType::Ref(kinds),
            "list" => {
                def.items = ListItems { words: values, kinds };
                AttrType::List
            }
            "object" => AttrType::Object,
            "record" => AttrType::Record(entries),
            other => {
                self.diagnostics.push(
                    Diagnostic::new(Code::BadKindDeclaration, type_span, format!("`{other}` is not an attribute type"))
                        .label("unknown type")
                        .help(
                            "the types are string, int, bool, duration, size, enum, name, ref, list, object and record",
                        ),
                );
                AttrType::String
            }
        };
        def
    }

    fn field(&mut self, name: &str, body: &Body) -> FieldDef {
        let mut def = FieldDef { name: name.to_string(), cloudformation: "Ref".into(), terraform: "id".into() };
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } if name.text == "cloudformation" => {
                    def.cloudformation = self.string(value)
                }
                Statement::Assignment { name, value } if name.text == "terraform" => def.terraform = self.string(value),
                other => self.unknown(other.span(), "this statement", "field"),
            }
        }
        def
    }

    /// A verb: `includes = [put, delete]` (verbs declared above it, whose
    /// grants it takes, each marked with the verb it comes from) and its own
    /// `grant` blocks.
    fn verb(&mut self, name: String, declared: &[VerbDef], body: &Body) -> VerbDef {
        let mut verb = VerbDef { name, includes: Vec::new(), grants: Vec::new() };
        let mut own = Vec::new();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } if name.text == "includes" => {
                    verb.includes = self.words(value);
                    for included in &verb.includes {
                        let Some(def) = declared.iter().find(|v| &v.name == included) else {
                            self.unknown(value.span, included, "verb's `includes` (name a verb declared above)");
                            continue;
                        };
                        verb.grants.extend(def.grants.iter().map(|g| {
                            let from = g.from.clone().unwrap_or_else(|| included.clone());
                            let via = Some(format!("{from} via {}", verb.name).into());
                            GrantDef { from: Some(from), via, ..g.clone() }
                        }));
                    }
                }
                Statement::Nested { kind, name: None, body } if kind.text == "grant" => {
                    own.push(self.grant(kind.span, body))
                }
                other => self.unknown(other.span(), "this statement", "verb"),
            }
        }
        verb.grants.extend(own);
        verb
    }

    fn grant(&mut self, span: Span, body: &Body) -> GrantDef {
        let mut def = GrantDef {
            actions: Vec::new(),
            action_spans: Vec::new(),
            resources: Vec::new(),
            resources_span: None,
            named: None,
            why: None,
            condition: None,
            from: None,
            via: None,
            span,
        };
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } => match name.text.as_str() {
                    "actions" => {
                        def.actions = self.strings(value).into_iter().map(crate::grants::SharedName::from).collect();
                        def.action_spans = match &value.kind {
                            ValueKind::List(items) => items.iter().map(|v| v.span).collect(),
                            _ => Vec::new(),
                        };
                    }
                    "resources" => {
                        def.resources = self.words(value).into_iter().map(crate::grants::SharedName::from).collect();
                        def.resources_span = Some(value.span);
                    }
                    "why" => def.why = Some(self.string(value)),
                    "condition" => {
                        let word = self.word(value);
                        if super::condition_key(&word).is_none() {
                            self.unknown_condition(value, &word);
                        }
                        def.condition = Some(word);
                    }
                    _ => self.unknown(name.span, &name.text, "grant"),
                },
                other => self.unknown(other.span(), "this statement", "grant"),
            }
        }
        def
    }

    fn trigger(&mut self, body: &Body) -> TriggerDef {
        let mut def = TriggerDef {
            mode: TriggerMode::Push,
            principal: None,
            source_field: "arn".into(),
            route: false,
            grants: Vec::new(),
            options: Vec::new(),
        };
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } => match name.text.as_str() {
                    "mode" => {
                        def.mode = match self.word(value).as_str() {
                            "poll" => TriggerMode::Poll,
                            _ => TriggerMode::Push,
                        }
                    }
                    "principal" => def.principal = Some(self.string(value)),
                    "source" => def.source_field = self.word(value),
                    "route" => def.route = self.bool(value),
                    _ => self.unknown(name.span, &name.text, "trigger"),
                },
                Statement::Nested { kind, name: None, body } if kind.text == "grant" => {
                    def.grants.push(self.grant(kind.span, body))
                }
                Statement::Nested { kind, name: Some(name), body } if kind.text == "option" => {
                    def.options.push(self.attr(&name.text, name.span, body))
                }
                other => self.unknown(other.span(), "this statement", "trigger"),
            }
        }
        def
    }

    fn destination(&mut self, body: &Body) -> DestinationDef {
        let mut def = DestinationDef::default();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } => match name.text.as_str() {
                    "on_success" => def.on_success = self.bool(value),
                    "on_failure" => def.on_failure = self.bool(value),
                    "dead_letter" => def.dead_letter = self.bool(value),
                    _ => self.unknown(name.span, &name.text, "destination"),
                },
                Statement::Nested { kind, name: None, body } if kind.text == "grant" => {
                    def.grants.push(self.grant(kind.span, body))
                }
                other => self.unknown(other.span(), "this statement", "destination"),
            }
        }
        def
    }
}
