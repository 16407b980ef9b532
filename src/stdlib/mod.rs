//! The kinds: `stdlib/*.lf`, embedded in the binary and named
//! `<stdlib/queue.lf>` so diagnostics can point into them, read into
//! [`KindDef`]s. Apps may declare their own kinds with the same form.

pub mod defaults;

use crate::ast::{Body, Item, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Sources, Span};
use crate::syntax;

/// The embedded stdlib files, in load order.
pub const FILES: &[(&str, &str)] = &[
    ("<stdlib/builtin.lf>", include_str!("../../stdlib/builtin.lf")),
    ("<stdlib/table.lf>", include_str!("../../stdlib/table.lf")),
    ("<stdlib/queue.lf>", include_str!("../../stdlib/queue.lf")),
    ("<stdlib/topic.lf>", include_str!("../../stdlib/topic.lf")),
    ("<stdlib/bucket.lf>", include_str!("../../stdlib/bucket.lf")),
    ("<stdlib/bus.lf>", include_str!("../../stdlib/bus.lf")),
    ("<stdlib/stream.lf>", include_str!("../../stdlib/stream.lf")),
    ("<stdlib/secret.lf>", include_str!("../../stdlib/secret.lf")),
    ("<stdlib/parameter.lf>", include_str!("../../stdlib/parameter.lf")),
    ("<stdlib/filesystem.lf>", include_str!("../../stdlib/filesystem.lf")),
    ("<stdlib/proxy.lf>", include_str!("../../stdlib/proxy.lf")),
    ("<stdlib/certificate.lf>", include_str!("../../stdlib/certificate.lf")),
    ("<stdlib/user_pool.lf>", include_str!("../../stdlib/user_pool.lf")),
    ("<stdlib/key.lf>", include_str!("../../stdlib/key.lf")),
];

/// The type of an attribute or trigger option.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrType {
    String,
    Int,
    Bool,
    /// Seconds.
    Duration,
    /// Megabytes.
    Size,
    Enum(Vec<String>),
    /// A bare word the compiler resolves where it stands (an API's
    /// authorizer): one of these words, or a name of that context.
    Name(Vec<String>),
    /// A reference to a resource of one of these kinds.
    Ref(Vec<String>),
    List,
    Object,
    /// An object whose keys are declared (`attribute NAME { ... }` inside
    /// the attribute): each entry is checked like an attribute, but for
    /// entries of type `object`, which the compiler reads where the record
    /// is used (a function URL's `cors`, read as an API's).
    Record(Vec<AttrDef>),
}

impl AttrType {
    pub fn describe(&self) -> String {
        match self {
            AttrType::String => "a string".into(),
            AttrType::Int => "a number".into(),
            AttrType::Bool => "`true` or `false`".into(),
            AttrType::Duration => "a duration such as `30s` or `5m`".into(),
            AttrType::Size => "a size such as `512MB` or `2GB`".into(),
            AttrType::Enum(values) => format!("one of {}", quoted(values)),
            AttrType::Name(values) => format!("a name or one of {}", quoted(values)),
            AttrType::Ref(kinds) => format!("the name of a {}", kinds.join(" or ")),
            AttrType::List => "a list".into(),
            AttrType::Object => "an object `{ key = value }`".into(),
            AttrType::Record(entries) => {
                let keys: Vec<String> = entries.iter().map(|e| e.name.to_string()).collect();
                format!("an object of {}", quoted(&keys))
            }
        }
    }
}

/// A literal default, minimum or maximum, in the attribute's base unit.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Int(i64),
    Bool(bool),
    Str(String),
    List(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttrDef {
    pub name: crate::grants::SharedName,
    pub ty: AttrType,
    pub default: Option<Literal>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub required: bool,
    /// Does a change replace the resource?
    pub replaces: bool,
    pub cloudformation: Option<String>,
    pub terraform: Option<String>,
    pub doc: String,
    pub span: Span,
    /// What a `list` may hold besides plain values: the words of its
    /// `values` and names of resources of its `kinds` (`layers`).
    pub items: ListItems,
}

impl AttrDef {
    /// Whether the attribute names a KMS key (`encryption`).
    fn names_a_key(&self) -> bool {
        matches!(&self.ty, AttrType::Ref(kinds) if !kinds.is_empty() && kinds.iter().all(|kind| kind == "key"))
    }
}

/// The words and the kinds of resources a list attribute may name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListItems {
    pub words: Vec<String>,
    pub kinds: Vec<String>,
}

/// A readable attribute (`jobs.url`): how each target reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub name: String,
    /// `Ref`, or the `Fn::GetAtt` attribute.
    pub cloudformation: String,
    pub terraform: String,
}

/// IAM actions on some of the kind's ARN forms.
#[derive(Clone, Debug, PartialEq)]
pub struct GrantDef {
    /// Shared with every statement that grants them.
    pub actions: Vec<crate::grants::SharedName>,
    /// Where each action is written.
    pub action_spans: Vec<Span>,
    /// ARN forms: `arn`, a key of `arns`, or `any` (`*`, with `why`).
    pub resources: Vec<crate::grants::SharedName>,
    /// Where `resources` is written.
    pub resources_span: Option<Span>,
    /// The `ref` attribute of the kind that `resources` names
    /// (`encryption`): the grant holds only where the target names a
    /// resource there, on that resource's ARN. Set once the kind is read.
    pub named: Option<crate::grants::SharedName>,
    /// Why a grant wider than one resource's ordinary use is needed: on
    /// `any`, with a wildcard action, or of IAM, STS or Organizations.
    pub why: Option<String>,
    /// `access_point`: scope to the resource's own ARN by condition.
    pub condition: Option<String>,
    /// The finer verb this grant comes from, when its verb is a union
    /// (`put` in `write`); `None` for the verb's own grants.
    pub from: Option<String>,
    /// `put via write`, when `from` is set: what `explain` shows as the
    /// verb that brought it, written once here for every function.
    pub via: Option<crate::grants::SharedName>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerbDef {
    pub name: String,
    /// The finer verbs this one is the union of (`write` = `put`, `update`,
    /// `delete`), declared before it in the same kind.
    pub includes: Vec<String>,
    /// Every grant of the verb: the included verbs' (with `from` set) then its own.
    pub grants: Vec<GrantDef>,
}

/// The verb of `mount NAME at "/mnt/x" readonly`; plain `mount` is its union
/// with writing.
pub const MOUNT_READONLY: &str = "mount_readonly";

impl VerbDef {
    /// Whether the verb is written `mount NAME at "/mnt/x" [readonly]`
    /// rather than `VERB TARGET`.
    pub fn is_mount(&self) -> bool {
        self.name == "mount" || self.name == MOUNT_READONLY
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerMode {
    Poll,
    Push,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TriggerDef {
    pub mode: TriggerMode,
    pub principal: Option<String>,
    /// The field that is the mapping's event source (`stream_arn`), default `arn`.
    pub source_field: String,
    /// Whether the trigger takes a route string (`on public "GET /x"`).
    pub route: bool,
    pub grants: Vec<GrantDef>,
    pub options: Vec<AttrDef>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DestinationDef {
    pub on_success: bool,
    pub on_failure: bool,
    pub dead_letter: bool,
    pub grants: Vec<GrantDef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BlockDef {
    pub name: String,
    pub attributes: Vec<AttrDef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KindDef {
    pub name: String,
    pub span: Span,
    pub builtin: bool,
    pub cloudformation: String,
    pub terraform: String,
    /// How to build an ARN from a name: `${partition}`, `${region}`,
    /// `${account}`, `${name}`.
    pub arn: String,
    /// Sub-ARNs: a suffix of the ARN (`/index/*`) or a whole template over
    /// the parts of an existing ARN (`${id}` is its resource id).
    pub arns: Vec<(String, String)>,
    pub stateful: bool,
    /// Created resources get a fixed physical name (buckets: see README).
    pub named: bool,
    pub creatable: bool,
    pub existable: bool,
    /// `existing` may give a name instead of an ARN.
    pub by_name: bool,
    pub fields: Vec<FieldDef>,
    pub attributes: Vec<AttrDef>,
    pub blocks: Vec<BlockDef>,
    pub verbs: Vec<VerbDef>,
    pub trigger: Option<TriggerDef>,
    pub destination: Option<DestinationDef>,
}

impl KindDef {
    pub fn attribute(&self, name: &str) -> Option<&AttrDef> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// What an `existing` resource's body may say: the KMS key it is
    /// encrypted with, where the kind's grants name it (its users need
    /// the key), never how it is configured. A function's key concerns
    /// its own role alone, not its callers.
    pub fn existing_settings(&self) -> Vec<AttrDef> {
        let named = |def: &AttrDef| {
            let verbs = self.verbs.iter().flat_map(|v| &v.grants);
            let trigger = self.trigger.iter().flat_map(|t| &t.grants);
            let destination = self.destination.iter().flat_map(|d| &d.grants);
            verbs.chain(trigger).chain(destination).any(|g| g.named.as_deref() == Some(def.name.as_str()))
        };
        self.attributes.iter().filter(|def| def.names_a_key() && named(def)).cloned().collect()
    }

    pub fn verb(&self, name: &str) -> Option<&VerbDef> {
        self.verbs.iter().find(|v| v.name == name)
    }

    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&BlockDef> {
        self.blocks.iter().find(|b| b.name == name)
    }

    pub fn arn_form(&self, name: &str) -> Option<&str> {
        self.arns.iter().find(|(n, _)| n == name).map(|(_, f)| f.as_str())
    }

    /// The ARN's service (`sqs`), read from the template.
    pub fn service(&self) -> &str {
        self.arn.split(':').nth(2).unwrap_or("")
    }

    /// The resource part of the ARN before the name (`table/`, `secret:`).
    pub fn resource_prefix(&self) -> &str {
        let resource = self.arn.splitn(6, ':').nth(5).unwrap_or("");
        resource.split("${name}").next().unwrap_or("")
    }
}

/// The set of known kinds.
#[derive(Clone, Debug, Default)]
pub struct Kinds {
    pub kinds: Vec<KindDef>,
}

impl Kinds {
    pub fn get(&self, name: &str) -> Option<&KindDef> {
        self.kinds.iter().find(|k| k.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|k| k.name.as_str())
    }
}

/// Adds the stdlib files to `sources` and reads their kinds.
pub fn load(sources: &mut Sources) -> (Kinds, Vec<Diagnostic>) {
    let mut kinds = Kinds::default();
    let mut diagnostics = Vec::new();
    for (name, text) in FILES {
        let file = sources.add(*name, *text);
        let (ast, parse_errors) = syntax::parse(file, text);
        diagnostics.extend(parse_errors);
        for item in &ast.items {
            if let Item::Block { kind, name, body } = item {
                if kind.text == "kind" {
                    kinds.kinds.push(read_kind(&name.text, name.span, body, &mut diagnostics));
                }
            }
        }
    }
    (kinds, diagnostics)
}

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
        match &value.kind {
            ValueKind::List(items) => items.iter().map(|v| self.word(v)).collect(),
            _ => {
                self.bad(value, "a list of words");
                Vec::new()
            }
        }
    }

    fn strings(&mut self, value: &Value) -> Vec<String> {
        match &value.kind {
            ValueKind::List(items) => items.iter().map(|v| self.string(v)).collect(),
            _ => {
                self.bad(value, "a list of strings");
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
            ValueKind::Integer(n) | ValueKind::Duration(n) | ValueKind::Size(n) => n,
            _ => {
                self.bad(value, "a number, duration or size");
                0
            }
        }
    }

    fn literal(&mut self, value: &Value) -> Literal {
        match &value.kind {
            ValueKind::Integer(n) | ValueKind::Duration(n) | ValueKind::Size(n) => Literal::Int(*n),
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
                    "condition" => def.condition = Some(self.word(value)),
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

pub fn quoted(values: &[String]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}
