//! The kinds: `stdlib/*.lf`, embedded in the binary and named
//! `<stdlib/queue.lf>` so diagnostics can point into them, read into
//! [`KindDef`]s (`read`). Apps may declare their own kinds with the same
//! form. This file owns what a kind is and the questions asked of it.

pub mod defaults;
mod read;

pub use read::read_kind;

use crate::ast::Item;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, Span};
use crate::syntax;
use std::collections::HashMap;

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
    ("<stdlib/email_identity.lf>", include_str!("../../stdlib/email_identity.lf")),
    ("<stdlib/configuration_set.lf>", include_str!("../../stdlib/configuration_set.lf")),
    ("<stdlib/email_template.lf>", include_str!("../../stdlib/email_template.lf")),
    ("<stdlib/model.lf>", include_str!("../../stdlib/model.lf")),
    ("<stdlib/inference_profile.lf>", include_str!("../../stdlib/inference_profile.lf")),
    ("<stdlib/knowledge_base.lf>", include_str!("../../stdlib/knowledge_base.lf")),
    ("<stdlib/guardrail.lf>", include_str!("../../stdlib/guardrail.lf")),
    ("<stdlib/agent.lf>", include_str!("../../stdlib/agent.lf")),
    ("<stdlib/delivery_stream.lf>", include_str!("../../stdlib/delivery_stream.lf")),
];

/// The conditions a kind's grant may name (`condition = WORD`): each keeps
/// the statement to the target itself, the key's value being its ARN. EFS
/// mounts reach a file system through its access point alone; a
/// cross-Region inference profile reaches its model in any Region only
/// through that profile.
pub const CONDITIONS: &[(&str, ConditionKey)] = &[
    ("access_point", ConditionKey { operator: "ArnEquals", key: "elasticfilesystem:AccessPointArn" }),
    ("inference_profile", ConditionKey { operator: "ArnEquals", key: "bedrock:InferenceProfileArn" }),
];

/// A condition a grant names, before it names a resource.
pub struct ConditionKey {
    pub operator: &'static str,
    pub key: &'static str,
}

/// The condition a kind's grant names by `word`, if there is one.
pub fn condition_key(word: &str) -> Option<&'static ConditionKey> {
    CONDITIONS.iter().find(|(name, _)| *name == word).map(|(_, key)| key)
}

/// The model a cross-Region inference profile routes to: its id without
/// the geography in front (`eu.anthropic.claude-…` routes to
/// `anthropic.claude-…`).
pub fn routed_model(profile: &str) -> &str {
    profile.split_once('.').map_or(profile, |(_, model)| model)
}

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
    /// `access_point` or `inference_profile`: scope to the resource's own
    /// ARN by condition ([`CONDITIONS`]).
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

/// The set of known kinds, found by name through an index: a build asks
/// for a resource's kind hundreds of thousands of times (`Model::kind_of`),
/// and a search through thirty names cost a large app's grant checks 7 ms.
#[derive(Clone, Debug, Default)]
pub struct Kinds {
    kinds: Vec<KindDef>,
    /// The place of the first kind of each name.
    by_name: HashMap<String, usize, foldhash::fast::FixedState>,
}

/// A kind's place in its [`Kinds`]: a resolved resource holds its kind's,
/// found by name once, so every later look is an index, not a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindId(u32);

impl Kinds {
    /// The first kind declared with this name.
    pub fn get(&self, name: &str) -> Option<&KindDef> {
        self.id(name).map(|id| self.at(id))
    }

    /// The place of the first kind declared with this name.
    pub fn id(&self, name: &str) -> Option<KindId> {
        self.by_name.get(name).map(|&i| KindId(i as u32))
    }

    /// The kind at a place [`Kinds::id`] gave.
    pub fn at(&self, id: KindId) -> &KindDef {
        &self.kinds[id.0 as usize]
    }

    /// Adds a kind after the others (one of a name declared already is
    /// kept, and never found by name).
    pub fn push(&mut self, kind: KindDef) {
        self.by_name.entry(kind.name.clone()).or_insert(self.kinds.len());
        self.kinds.push(kind);
    }

    /// Every kind, in the order declared.
    pub fn all(&self) -> &[KindDef] {
        &self.kinds
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
                    kinds.push(read_kind(&name.text, name.span, body, &mut diagnostics));
                }
            }
        }
    }
    (kinds, diagnostics)
}

pub fn quoted(values: &[impl AsRef<str>]) -> String {
    values.iter().map(|v| format!("`{}`", v.as_ref())).collect::<Vec<_>>().join(", ")
}
