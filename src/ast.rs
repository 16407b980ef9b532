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
    /// Seconds, and the unit written (`90m`).
    Duration(i64, Unit),
    /// Megabytes (1GB = 1024MB), and the unit written.
    Size(i64, Unit),
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
            ValueKind::Duration(..) => "a duration",
            ValueKind::Size(..) => "a size",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::List(_) => "a list",
            ValueKind::Object(_) => "an object",
            ValueKind::Reference(_, Some(_)) => "an attribute reference",
            ValueKind::Reference(_, None) => "a name",
        }
    }
}

/// The unit a size or duration is written in, and how many megabytes or
/// seconds one of it is: a value keeps it so that a diagnostic quotes the
/// value as written (`found 0h`, not the `0s` it amounts to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    pub text: &'static str,
    pub factor: i64,
}

impl Unit {
    /// `amount` (megabytes or seconds) as written in this unit.
    pub fn show(self, amount: i64) -> String {
        format!("{}{}", amount / self.factor, self.text)
    }
}

/// The units of a size, in megabytes.
pub const SIZE_UNITS: [Unit; 2] = [Unit { text: "MB", factor: 1 }, Unit { text: "GB", factor: 1024 }];

/// The units of a duration, in seconds.
pub const DURATION_UNITS: [Unit; 4] = [
    Unit { text: "s", factor: 1 },
    Unit { text: "m", factor: 60 },
    Unit { text: "h", factor: 3600 },
    Unit { text: "d", factor: 86_400 },
];

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
    /// The first word of each statement left out of an item that parsed
    /// without it (`syntax::recover`): its error was reported, so an
    /// attribute written there is not missing.
    pub broken: Vec<Ident>,
}
