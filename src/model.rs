//! The resolved app: every name bound, every value typed and in its base
//! unit, every default applied. Resources (functions included) live in one
//! vector in source order and are addressed by [`ResourceId`].

pub mod api;
mod auth;

pub use auth::*;

use crate::source::Span;
use crate::stdlib::{KindDef, KindId, Kinds};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub u32);

#[derive(Clone, Debug)]
pub struct Model {
    pub kinds: Kinds,
    pub app: App,
    pub resources: Vec<Resource>,
    /// The app's deploy-time inputs, in source order (`InputId` indexes them).
    pub inputs: Vec<Input>,
}

impl Model {
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.0 as usize]
    }

    pub fn kind_of(&self, id: ResourceId) -> &KindDef {
        self.known_kind(self.resource(id)).expect("resolved resources have known kinds")
    }

    /// A resource's kind, if the app knows it (the editor and the checks
    /// of a program with errors meet resources of unknown kinds).
    pub fn known_kind(&self, resource: &Resource) -> Option<&KindDef> {
        resource.kind_id.map(|kind| self.kinds.at(kind))
    }

    pub fn find(&self, name: &str) -> Option<ResourceId> {
        self.resources.iter().position(|r| r.name == name).map(|i| ResourceId(i as u32))
    }

    pub fn input(&self, id: InputId) -> &Input {
        &self.inputs[id.0 as usize]
    }

    pub fn functions(&self) -> impl Iterator<Item = (&Resource, &FunctionBody)> {
        self.resources.iter().filter_map(|r| r.function.as_deref().map(|f| (r, f)))
    }
}

#[derive(Clone, Debug, Default)]
pub struct App {
    pub name: String,
    pub span: Option<Span>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub tags: Vec<(String, String)>,
    pub permissions_boundary: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub id: ResourceId,
    pub name: String,
    pub name_span: Span,
    pub kind: String,
    /// Where `kind` is in the model's kinds; `None` for a kind the app
    /// does not know (an error says so).
    pub kind_id: Option<KindId>,
    /// The whole declaration.
    pub span: Span,
    pub attrs: Attrs,
    /// What an `existing` declaration names. It, a function's body and the
    /// API, state machine and table parts are boxed: a large app holds
    /// tens of thousands of resources in one vector, most of them without
    /// these (a resource takes 152 bytes instead of 1,000).
    pub existing: Option<Box<Existing>>,
    pub function: Option<Box<FunctionBody>>,
    /// An `api`'s usage plans and custom domain.
    pub api_setup: Option<Box<api::ApiSetup>>,
    /// An API's authorizers, default authorization and CORS.
    pub api: Option<Box<ApiAccess>>,
    /// What a created state machine's block says besides attributes.
    pub machine: Option<Box<MachineBody>>,
    /// A created table's indexes.
    pub table: Option<Box<TableBody>>,
}

/// What a created table's block says besides attributes.
#[derive(Clone, Debug, Default)]
pub struct TableBody {
    /// Its global secondary indexes, in source order.
    pub indexes: Vec<TableIndex>,
}

/// `index NAME { key = "...", sort = "..." }`: a global secondary index.
#[derive(Clone, Debug)]
pub struct TableIndex {
    pub name: String,
    pub name_span: Span,
    /// `key` and `sort`, checked like any attributes.
    pub attrs: Attrs,
    /// The whole block.
    pub span: Span,
}

impl Resource {
    /// Whether the app creates (and so owns) the resource.
    pub fn is_created(&self) -> bool {
        self.existing.is_none()
    }

    /// The alias of a function that publishes versions (`alias = "live"`):
    /// what its triggers, permissions and callers invoke.
    pub fn alias(&self) -> Option<&str> {
        self.function.as_ref().and_then(|_| self.attrs.str("alias"))
    }

    /// The key of a function's `encryption`, if it has environment
    /// variables for Lambda to decrypt with it when an instance starts.
    pub fn environment_key(&self) -> Option<ResourceId> {
        self.function.as_ref()?;
        let has_variables = matches!(self.attrs.value("env"), Some(Val::Object(entries)) if !entries.is_empty());
        self.attrs.reference("encryption").filter(|_| has_variables)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InputId(pub u32);

/// `input NAME { type = …, default = …, pattern = "…", doc = "…" }`: a value
/// given when the app is deployed (a CloudFormation parameter, a Terraform
/// variable), never known to the compiler.
#[derive(Clone, Debug)]
pub struct Input {
    pub id: InputId,
    pub name: String,
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    pub ty: InputType,
    /// `Str`, `Int`, or a `List` of `Str`, as the type says.
    pub default: Option<Val>,
    /// Where the default is written.
    pub default_span: Option<Span>,
    /// A regular expression every value (each item of a list) must match whole.
    pub pattern: Option<String>,
    pub doc: Option<String>,
    /// Where the app uses it.
    pub uses: Vec<Span>,
}

impl Input {
    /// A string default and where it is written: the value a deployment
    /// that gives none gets, which rules check in the input's place.
    pub fn default_text(&self) -> Option<(&str, Span)> {
        match (&self.default, self.default_span) {
            (Some(Val::Str(text)), Some(span)) => Some((text, span)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    String,
    List,
    Number,
}

impl InputType {
    pub fn word(self) -> &'static str {
        match self {
            InputType::String => "string",
            InputType::List => "list",
            InputType::Number => "number",
        }
    }
}

/// A string written in the source, or an input that gives it at deploy time.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    Literal(String),
    Input(InputId),
}

impl Text {
    /// The string, when the compiler knows it.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Text::Literal(s) => Some(s),
            Text::Input(_) => None,
        }
    }
}

/// An `existing` resource: its ARN, with `${partition}`, `${region}` and
/// `${account}` left for the emitter where it was given by name.
#[derive(Clone, Debug)]
pub struct Existing {
    pub literal: String,
    pub arn: String,
    pub partition: String,
    pub region: String,
    pub account: String,
    /// The last part of the ARN's resource (`prx-…`, `fsap-…`, the name).
    pub id: String,
    /// The resource's name as AWS knows it: the name the app gave, or what
    /// the ARN holds where the kind's `${name}` stands, without a
    /// function's qualifier (`:live`), with an SSM parameter path's `/`.
    pub name: String,
    /// The stream of an existing table given by its stream's ARN
    /// (`…:table/T/stream/2024-01-01T00:00:00.000`); `arn` is then the
    /// table's. A stream's label is known to AWS alone, so a function can be
    /// triggered by an existing table's stream only when it is given.
    pub stream_arn: Option<String>,
    /// The input whose value is the ARN (`existing queue q = q_arn`): then
    /// `literal`, `arn` and the parts are empty, known at deploy time only.
    pub input: Option<InputId>,
    pub span: Span,
}

/// What a readable field of an existing resource is, as the ARN the app
/// gave holds it ([`Existing::field`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExistingField {
    /// The ARN itself.
    Arn,
    /// The resource's name: [`Existing::name`].
    Name,
    /// The last part of the ARN's resource: [`Existing::id`].
    Id,
    /// A table's stream, when the app gave the stream's ARN.
    StreamArn,
    /// A queue's URL, made of its region, account and name.
    QueueUrl,
}

impl Existing {
    /// The region its ARN names; `None` where the app gave a name (the
    /// region is the deployment's) or an input (known at deploy time).
    pub fn known_region(&self) -> Option<&str> {
        Some(self.region.as_str()).filter(|region| !region.is_empty() && !region.starts_with("${"))
    }

    /// Which part of what the app gave a field of a `kind` resource reads;
    /// `None` where it does not hold it: a table's stream when the ARN is
    /// the table's (LF3036), a field a declared kind adds, the ARN of a
    /// secret given by name, which ends in characters AWS chooses and is
    /// known only as a pattern (LF1066). The checker refuses those reads;
    /// `deploy::existing` prints the others.
    pub fn field(&self, kind: &str, field: &str) -> Option<ExistingField> {
        match (kind, field) {
            // Declared ARNs have no wildcard (LF1024): one made from a name
            // is a pattern.
            (_, "arn") if self.arn.contains(['*', '?']) => None,
            (_, "arn") => Some(ExistingField::Arn),
            (_, "name") => Some(ExistingField::Name),
            (_, "id") => Some(ExistingField::Id),
            ("table", "stream_arn") => self.stream_arn.is_some().then_some(ExistingField::StreamArn),
            ("queue", "url") => Some(ExistingField::QueueUrl),
            _ => None,
        }
    }
}

/// Attribute values in the kind's declaration order, defaults included.
#[derive(Clone, Debug, Default)]
pub struct Attrs(pub Vec<Attr>);

impl Attrs {
    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.0.iter().find(|a| a.name == name)
    }

    pub fn value(&self, name: &str) -> Option<&Val> {
        self.get(name).map(|a| &a.value)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.value(name)? {
            Val::Int(n) | Val::Duration(n) | Val::Size(n) => Some(*n),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> bool {
        matches!(self.value(name), Some(Val::Bool(true)))
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        match self.value(name)? {
            Val::Str(s) | Val::Word(s) => Some(s),
            _ => None,
        }
    }

    pub fn reference(&self, name: &str) -> Option<ResourceId> {
        match self.value(name)? {
            Val::Ref(id) => Some(*id),
            _ => None,
        }
    }

    /// The span of the value as written, if it was written.
    pub fn span(&self, name: &str) -> Option<Span> {
        self.get(name).and_then(|a| a.span)
    }
}

#[derive(Clone, Debug)]
pub struct Attr {
    pub name: crate::grants::SharedName,
    pub value: Val,
    /// Where the value was written; `None` for a default.
    pub span: Option<Span>,
}

/// A typed value. Durations are seconds, sizes megabytes.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Duration(i64),
    Size(i64),
    /// An enumerated word (`new_and_old_images`).
    Word(String),
    Ref(ResourceId),
    /// `orders.name`: a readable attribute of a resource.
    Field(ResourceId, String),
    /// An input's value, given at deploy time.
    Input(InputId),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
}

#[derive(Clone, Debug, Default)]
pub struct FunctionBody {
    pub accesses: Vec<Access>,
    pub triggers: Vec<Trigger>,
    pub async_config: Option<AsyncConfig>,
    pub mounts: Vec<Mount>,
    pub allows: Vec<Allow>,
    /// The `cors` of the function's `url`, read as an API's.
    pub url_cors: Option<Cors>,
}

impl FunctionBody {
    /// Which of the function's dedicated consumers of one stream trigger
    /// `index`'s is (1, 2, ...), when the function has more than one there;
    /// `None` for the only one, whose name is the function's alone.
    pub fn consumer_number(&self, index: usize) -> Option<usize> {
        let source = self.triggers[index].source;
        let mut same = self.triggers.iter().enumerate().filter(|(_, t)| t.source == source && t.dedicated());
        let number = same.by_ref().position(|(i, _)| i == index)? + 1;
        (number > 1 || same.next().is_some()).then_some(number)
    }
}

/// `VERB TARGET`: one target of a verb statement.
#[derive(Clone, Debug)]
pub struct Access {
    pub verb: String,
    pub target: ResourceId,
    /// `as "user"`: the database user `connect` is limited to, with its span.
    pub user: Option<(String, Span)>,
    /// The verb and this target.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Trigger {
    pub source: ResourceId,
    pub route: Option<Route>,
    pub options: Attrs,
    pub span: Span,
}

impl Trigger {
    /// Whether the trigger reads its Kinesis stream through a stream
    /// consumer of its own (enhanced fan-out): `consumer = dedicated`, an
    /// option of the stdlib's `stream` trigger alone.
    pub fn dedicated(&self) -> bool {
        self.options.str("consumer") == Some("dedicated")
    }
}

/// An HTTP API route: `"POST /orders"` or `"$default"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub span: Span,
}

impl Route {
    /// The API Gateway route key.
    pub fn key(&self) -> String {
        if self.method.is_empty() {
            self.path.clone()
        } else {
            format!("{} {}", self.method, self.path)
        }
    }

    /// What follows `{execution ARN}/{stage}/` in the ARN API Gateway
    /// invokes the function with: `GET/orders`, `*` for `ANY`, `*` for
    /// each path parameter (`{id}`, `{proxy+}`), and the root as `GET/`
    /// (API Gateway calls `GET /` as `…/$default/GET/`); `$default` as is.
    /// Both targets and `explain` read it here, so they cannot disagree.
    pub fn source_arn_path(&self) -> String {
        if self.method.is_empty() {
            return self.path.clone();
        }
        let method = if self.method == "ANY" { "*" } else { self.method.as_str() };
        let trimmed = self.path.trim_end_matches('/');
        if trimmed.is_empty() {
            return [method, "/"].concat();
        }
        let path: Vec<&str> = trimmed
            .split('/')
            .map(|segment| if segment.starts_with('{') && segment.ends_with('}') { "*" } else { segment })
            .collect();
        [method, &path.join("/")].concat()
    }
}

/// A function's URL (`url = { auth = iam, ... }`), read from its checked
/// attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionUrl<'a> {
    /// `iam` or `none`.
    pub auth: &'a str,
    /// `buffered` or `stream`.
    pub invoke_mode: &'a str,
    /// The `url` value.
    pub span: Span,
}

impl Resource {
    /// The function's URL, when it has one that resolved.
    pub fn function_url(&self) -> Option<FunctionUrl<'_>> {
        let Val::Object(entries) = self.attrs.value("url")? else { return None };
        let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let word = |key: &str| match get(key) {
            Some(Val::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        Some(FunctionUrl {
            auth: word("auth")?,
            invoke_mode: word("invoke_mode").unwrap_or("buffered"),
            span: self.attrs.span("url")?,
        })
    }
}

#[derive(Clone, Debug)]
pub struct AsyncConfig {
    pub attrs: Attrs,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Mount {
    pub target: ResourceId,
    pub path: String,
    /// `readonly`: mount without write access (no `ClientWrite`).
    pub readonly: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Allow {
    pub principal: AllowPrincipal,
    /// The statement.
    pub span: Span,
    /// The account id or service principal string.
    pub principal_span: Span,
    /// The source ARN string, if written.
    pub source_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AllowPrincipal {
    Account(Text),
    Role(Text),
    Organization(Text),
    Service { service: String, source: Option<String> },
}

/// A state machine: the resources that start it, and its definition as read
/// from its Amazon States Language file (`None` until read, or when it
/// could not be).
#[derive(Clone, Debug, Default)]
pub struct MachineBody {
    /// `on nightly`, `on orders_bus { pattern = ... }`.
    pub triggers: Vec<Trigger>,
    pub definition: Option<Definition>,
}

/// A state machine's definition file, checked.
#[derive(Clone, Debug)]
pub struct Definition {
    /// The ASL file, among the app's sources.
    pub file: crate::source::FileId,
    /// Its text, which the outputs carry with the placeholders filled in.
    pub text: String,
    /// Every `${name}` or `${name.field}` of the file, in order.
    pub placeholders: Vec<Placeholder>,
    /// What its Task states call, in order.
    pub tasks: Vec<Task>,
}

/// `${orders}` (the ARN) or `${jobs.url}` (a readable field) in a string of
/// the definition, with its span in the ASL file.
#[derive(Clone, Debug, PartialEq)]
pub struct Placeholder {
    pub target: ResourceId,
    pub field: Option<String>,
    pub span: Span,
}

/// One call of a Task state: the service integration (`lambda:invoke`,
/// `dynamodb:putItem`, `states:startExecution.sync:2`) and the app
/// resource it acts on, with the span of the Task's `Resource`.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub integration: String,
    pub target: ResourceId,
    pub span: Span,
    /// The Task waits for its token to be handed back (`.waitForTaskToken`).
    pub callback: bool,
}

#[cfg(test)]
mod tests {
    use super::Route;
    use crate::source::{FileId, Span};

    fn path(method: &str, path: &str) -> String {
        Route { method: method.into(), path: path.into(), span: Span::new(FileId(0), 0, 0) }.source_arn_path()
    }

    #[test]
    fn the_root_route_keeps_its_slash() {
        assert_eq!(path("GET", "/"), "GET/");
        assert_eq!(path("ANY", "/"), "*/");
        assert_eq!(path("POST", "/orders"), "POST/orders");
        assert_eq!(path("GET", "/orders/{id}"), "GET/orders/*");
        assert_eq!(path("ANY", "/{proxy+}"), "*/*");
        assert_eq!(path("", "$default"), "$default");
    }
}
