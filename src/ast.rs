//! The syntax tree: plain data mirroring the source, a span on every node.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    String(String),
    Integer(i64),
    /// Seconds.
    Duration(i64),
    /// Megabytes (1GB = 1024MB).
    Size(i64),
    Bool(bool),
    List(Vec<Value>),
    Object(Vec<Entry>),
    /// A bare name (a reference or an enumerated word), or `name.attr`
    /// (boxed: most references are bare, and every value is as large as
    /// its largest kind).
    Reference(Ident, Option<Box<Ident>>),
}

impl ValueKind {
    /// What a user calls this kind of value, for "expected X, found Y".
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Integer(_) => "a number",
            ValueKind::Duration(_) => "a duration",
            ValueKind::Size(_) => "a size",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::List(_) => "a list",
            ValueKind::Object(_) => "an object",
            ValueKind::Reference(_, Some(_)) => "an attribute reference",
            ValueKind::Reference(_, None) => "a name",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Ident,
    pub value: Value,
}

/// A top-level item of a file.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    App {
        name: Ident,
        body: Body,
    },
    Existing {
        kind: Ident,
        name: Ident,
        target: Value,
        /// `{ encryption = key }` after the target: how the resource is
        /// read, which the app does not manage.
        body: Option<Body>,
        span: Span,
    },
    /// `KIND NAME { ... }`, including `kind NAME { ... }` declarations.
    Block {
        kind: Ident,
        name: Ident,
        body: Body,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    Assignment {
        name: Ident,
        value: Value,
    },
    /// `on SOURCE [ROUTE] [{ OPTIONS }]`. The values of this statement and
    /// the two below are boxed, so that a statement is as large as an
    /// assignment, the commonest.
    Trigger {
        source: Ident,
        route: Option<Box<Value>>,
        options: Option<Box<Value>>,
        span: Span,
    },
    /// `mount NAME at "/mnt/x" [readonly]`.
    Mount {
        target: Ident,
        path: Box<Value>,
        readonly: bool,
        span: Span,
    },
    Allow {
        principal: AllowPrincipal,
        span: Span,
    },
    Nested {
        kind: Ident,
        name: Option<Ident>,
        body: Body,
    },
    /// `VERB TARGET, ... [as "user"]`: `as` names the database user of `connect`.
    Edge {
        verb: Ident,
        targets: Vec<Ident>,
        user: Option<Box<Value>>,
    },
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Assignment { name, value } => name.span.to(value.span),
            Statement::Trigger { span, .. } | Statement::Mount { span, .. } | Statement::Allow { span, .. } => *span,
            Statement::Nested { kind, body, .. } => kind.span.to(body.span),
            Statement::Edge { verb, targets, user } => {
                let last = user.as_ref().map(|u| u.span).or(targets.last().map(|t| t.span));
                last.map_or(verb.span, |end| verb.span.to(end))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AllowPrincipal {
    Account(Value),
    /// `role "arn:aws:iam::123456789012:role/x"`.
    Role(Value),
    /// `organization "o-abcdefghij"`: any principal of that AWS Organization.
    Organization(Value),
    Service {
        service: Value,
        source: Option<Value>,
    },
}

/// One parsed file: the items that parsed, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
    /// The names declared by items that failed to parse but whose header
    /// (`queue jobs {`) is whole: references to them are not unknown.
    pub unparsed: Vec<Ident>,
}
