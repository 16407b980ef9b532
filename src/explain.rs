//! What each function is granted and why, as data: the table `explain`
//! prints, its JSON, and what the language server shows on hover; and
//! what each queue subscribed to a topic, a bus or a bucket lets SNS,
//! EventBridge or S3 send.

use crate::check::Checked;
use crate::grants::{describe_arn, describe_text, Grants, PermissionSource, Principal};
use crate::model::Val;
use crate::source::Span;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct FunctionExplanation {
    /// The principal's name (a function's, or another acting resource's).
    pub function: String,
    /// The principal's kind, written for principals other than functions
    /// (`state_machine`, `schedule`, `bus`), whose JSON keeps its shape.
    #[serde(skip_serializing_if = "is_function")]
    pub kind: String,
    /// `file:line` of the declaration.
    pub location: String,
    pub statements: Vec<StatementExplanation>,
    pub permissions: Vec<PermissionExplanation>,
}

#[derive(Debug, Serialize)]
pub struct StatementExplanation {
    pub sid: String,
    pub actions: Vec<String>,
    /// For each action, the verbs that brought it (`write`, `put via write`),
    /// joined by `, `; empty when no verb did (logs, triggers, network).
    pub verbs: Vec<String>,
    pub resources: Vec<String>,
    pub condition: Option<String>,
    /// Why the resource is `*`, when it is.
    pub why: Option<String>,
    /// `file:line` of each source line behind the statement.
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PermissionExplanation {
    pub sid: String,
    pub principal: String,
    pub source_arn: Option<String>,
    pub source_account: bool,
    pub source: String,
    /// A function URL's statement: its action, when not `lambda:InvokeFunction`
    /// through a source, and the condition that keeps it to the URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

fn is_function(kind: &str) -> bool {
    kind == "function"
}

/// The explanation of every principal (functions first), or of the one named `only`.
pub fn explain(checked: &Checked, only: Option<&str>) -> Vec<FunctionExplanation> {
    checked
        .grants
        .iter()
        .filter(|g| only.is_none_or(|name| checked.model.resource(g.principal).name == name))
        .map(|g| function(checked, g))
        .collect()
}

fn function(checked: &Checked, grants: &Grants) -> FunctionExplanation {
    let model = &checked.model;
    let resource = model.resource(grants.principal);
    let statements = grants
        .statements
        .iter()
        .map(|s| StatementExplanation {
            sid: s.sid.clone(),
            actions: s.actions.iter().map(|a| a.to_string()).collect(),
            verbs: s.actions.iter().map(|a| s.verbs_of(a).collect::<Vec<_>>().join(", ")).collect(),
            resources: s.resources.iter().map(|a| describe_arn(model, a)).collect(),
            condition: s.condition.as_ref().map(|c| c.describe(model)),
            why: s.why.clone(),
            sources: s.sources.iter().map(|span| location(checked, *span)).collect(),
        })
        .collect();
    let permissions = grants
        .permissions
        .iter()
        .map(|p| PermissionExplanation {
            sid: p.sid.clone(),
            principal: match &p.principal {
                Principal::Service(s) => s.clone(),
                Principal::Account(a) => format!("account {}", describe_text(model, a)),
                Principal::Role(arn) => format!("role {}", describe_text(model, arn)),
                Principal::Any => match &p.principal_org_id {
                    Some(org) => format!("organization {}", describe_text(model, org)),
                    None => "*".into(),
                },
            },
            source_arn: source_arn(checked, &p.source, grants),
            source_account: p.source_account,
            source: location(checked, p.span),
            action: None,
            condition: None,
        })
        .chain(grants.url_permissions.iter().map(|p| PermissionExplanation {
            sid: p.sid.into(),
            principal: "*".into(),
            source_arn: None,
            source_account: false,
            source: location(checked, p.span),
            action: Some(p.action.into()),
            condition: Some(p.condition.describe()),
        }))
        .collect();
    FunctionExplanation {
        function: resource.name.clone(),
        kind: resource.kind.clone(),
        location: location(checked, resource.name_span),
        statements,
        permissions,
    }
}

fn source_arn(checked: &Checked, source: &PermissionSource, grants: &Grants) -> Option<String> {
    let model = &checked.model;
    Some(match source {
        PermissionSource::Route { api, route } => {
            let api = model.resource(*api);
            // A REST API's one stage is the stage built (`build --stage`).
            let stage = if api.is_rest_api() { "<stage>" } else { crate::resolve::routes::permission_stage(api) };
            format!("{}.execution_arn/{stage}/{}", api.name, route.source_arn_path())
        }
        PermissionSource::Authorizer { api, authorizer } => {
            format!("{}.execution_arn/authorizers/{authorizer}", model.resource(*api).name)
        }
        PermissionSource::Rule { trigger } => {
            let function = model.resource(grants.principal);
            let source = function.function.as_ref().and_then(|f| f.triggers.get(*trigger)).map(|t| t.source)?;
            format!("rule {} → {}", model.resource(source).name, function.name)
        }
        PermissionSource::Resource(id) => {
            describe_arn(model, &crate::grants::Arn::Of { resource: *id, form: "arn".into() })
        }
        PermissionSource::Literal(arn) => arn.clone(),
        PermissionSource::None => return None,
    })
}

/// A queue subscribed to a topic, a bus or a bucket: the queue policy
/// lets SNS, EventBridge or S3 send to it from that source alone, and a
/// bucket's notification says which events it sends.
#[derive(Debug, Serialize)]
pub struct SubscriptionExplanation {
    pub queue: String,
    /// The topic, bus or bucket the queue subscribes to.
    pub from: String,
    pub action: &'static str,
    pub principal: String,
    /// `aws:SourceArn` of the queue policy's condition.
    pub source_arn: String,
    /// Whether the condition also names this account (`aws:SourceAccount`:
    /// a bucket's ARN names none).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub source_account: bool,
    pub raw_delivery: bool,
    pub filtered: bool,
    /// A bucket's notification: its event types and key filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<Notification>,
    /// `file:line` of the `subscribe`.
    pub source: String,
}

/// The events a bucket sends to a subscribed queue.
#[derive(Debug, Serialize)]
pub struct Notification {
    pub events: Vec<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}

/// Every queue subscribed to a topic, a bus or a bucket, in source order.
pub fn subscriptions(checked: &Checked) -> Vec<SubscriptionExplanation> {
    use crate::deploy::facts::FAN_OUT_ACTION;
    let model = &checked.model;
    model
        .resources
        .iter()
        .filter(|r| r.kind == "queue")
        .filter_map(|queue| {
            let from = queue.attrs.reference("subscribe")?;
            let kind = model.resource(from).kind.as_str();
            let arn = || describe_arn(model, &crate::grants::Arn::Of { resource: from, form: "arn".into() });
            let principal = crate::grants::key::delivering_service(model, from)?.to_string();
            let source_arn = match kind {
                "bus" => format!("the rule that delivers to {}", queue.name),
                _ => arn(),
            };
            let notification = (kind == "bucket").then(|| Notification {
                events: strings(queue.attrs.value("events")),
                prefix: queue.attrs.str("prefix").map(String::from),
                suffix: queue.attrs.str("suffix").map(String::from),
            });
            let filters: &[&str] = match kind {
                "bus" => &["pattern"],
                "bucket" => &["prefix", "suffix"],
                _ => &["filter"],
            };
            Some(SubscriptionExplanation {
                queue: queue.name.clone(),
                from: model.resource(from).name.clone(),
                action: FAN_OUT_ACTION,
                principal,
                source_arn,
                source_account: kind == "bucket",
                raw_delivery: queue.attrs.bool("raw_delivery"),
                filtered: filters.iter().any(|filter| queue.attrs.value(filter).is_some()),
                notification,
                source: location(checked, queue.attrs.span("subscribe").unwrap_or(queue.name_span)),
            })
        })
        .collect()
}

/// A service a created key's policy lets use the key: SNS, S3 or
/// EventBridge delivering into a queue the key encrypts.
#[derive(Debug, Serialize)]
pub struct KeyPolicyExplanation {
    pub key: String,
    pub principal: String,
    pub actions: &'static [&'static str],
    /// The queue whose subscription needs it.
    pub queue: String,
    /// `file:line` of the `subscribe`.
    pub source: String,
}

/// Every service statement of the policies of the keys the app creates,
/// by key in source order.
pub fn key_policies(checked: &Checked) -> Vec<KeyPolicyExplanation> {
    let model = &checked.model;
    let keys = model.resources.iter().filter(|r| r.kind == "key" && r.is_created());
    keys.flat_map(|key| {
        crate::grants::key::services(model, key.id).into_iter().map(|user| KeyPolicyExplanation {
            key: key.name.clone(),
            principal: user.principal.to_string(),
            actions: &crate::grants::key::SERVICE_ACTIONS,
            queue: model.resource(user.queue).name.clone(),
            source: location(checked, user.span),
        })
    })
    .collect()
}

/// The strings of a list value.
fn strings(value: Option<&Val>) -> Vec<String> {
    let Some(Val::List(items)) = value else { return Vec::new() };
    items.iter().filter_map(|item| if let Val::Str(s) = item { Some(s.clone()) } else { None }).collect()
}

/// `file:line` of a span.
pub fn location(checked: &Checked, span: Span) -> String {
    let file = checked.sources.get(span.file);
    format!("{}:{}", file.name, file.position(span.start as usize).line)
}
