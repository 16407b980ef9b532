//! The execution role of one function: logs, verbs, poll triggers,
//! destinations, dead letters, network, mounts, tracing and the key of its
//! environment variables, merged into statements deterministically (same
//! resources and condition → one statement).

use super::{Arn, Condition, SharedName, Statement};
use crate::graph::{EdgeKind, Graph};
use crate::model::{FunctionBody, Model, Resource, ResourceId};
use crate::source::Span;
use crate::stdlib::{GrantDef, TriggerDef, TriggerMode, MOUNT_READONLY};
use petgraph::visit::EdgeRef;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock};

/// Actions a VPC function needs for its network interfaces: exactly the EC2
/// actions of AWS's `AWSLambdaVPCAccessExecutionRole` (v3, edited
/// 2024-01-05; AWS Managed Policy reference, and the Lambda guide's
/// configuration-vpc "Required IAM permissions"), all only on `*`. Five of
/// them are `AWSLambdaENIManagementAccess`, which the emitters attach; the
/// sixth, `ec2:DescribeSubnets`, is written beside it. The VPC policy's
/// `logs:*` actions are not taken: the function writes its own log group only.
/// AWS's documents name no IPv6 action (`ec2:AssignIpv6Addresses`) for
/// dual-stack functions, so none is granted (AWS-RULES.md §2b, §6).
const NETWORK_POLICY: &str = "service-role/AWSLambdaENIManagementAccess";
const NETWORK_ACTIONS: [&str; 5] = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:UnassignPrivateIpAddresses",
];
const NETWORK_WHY: &str =
    "EC2 network-interface actions of a VPC function: AWS grants them only on * (AWSLambdaENIManagementAccess)";
const SUBNETS_ACTIONS: [&str; 1] = ["ec2:DescribeSubnets"];
const SUBNETS_WHY: &str =
    "ec2:DescribeSubnets, in AWS's VPC execution policy beside the ENI actions: EC2 grants Describe actions only on *";

/// X-Ray write actions, which have no resource type.
const TRACING_ACTIONS: [&str; 2] = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"];
const TRACING_WHY: &str = "X-Ray write actions have no resource type: AWS grants them only on *";

/// What a function's role needs of the customer managed key of its
/// `encryption`: Lambda decrypts the environment variables with the
/// execution role's credentials when an instance starts (its error names
/// the role's assumed session and "no identity-based policy allows the
/// kms:Decrypt action"; KMSAccessDeniedException in the Lambda API
/// reference). AWS-RULES.md §2 lists the key's other users.
const ENVIRONMENT_KEY_ACTIONS: [&str; 1] = ["kms:Decrypt"];

/// What every function's own log group needs, and the names above, made
/// once and shared by every function's needs.
const LOG_ACTIONS: [&str; 2] = ["logs:CreateLogStream", "logs:PutLogEvents"];
static SHARED: LazyLock<Shared> = LazyLock::new(|| Shared {
    logs_label: SharedName::from("WriteOwnLogs"),
    logs: LOG_ACTIONS.map(SharedName::from),
    network: NETWORK_ACTIONS.map(SharedName::from),
    subnets: SUBNETS_ACTIONS.map(SharedName::from),
    tracing: TRACING_ACTIONS.map(SharedName::from),
    environment_key: ENVIRONMENT_KEY_ACTIONS.map(SharedName::from),
});

struct Shared {
    logs_label: SharedName,
    logs: [SharedName; 2],
    network: [SharedName; 5],
    subnets: [SharedName; 1],
    tracing: [SharedName; 2],
    environment_key: [SharedName; 1],
}

/// One (actions, resources) need before merging, with its cause. Its
/// actions and reason are borrowed from the grant table where it has them.
pub(super) struct Need<'a> {
    /// The statement's SID, or the part of it this need adds.
    pub(super) label: SharedName,
    pub(super) actions: Cow<'a, [SharedName]>,
    pub(super) resources: Vec<Arn>,
    pub(super) condition: Option<Condition>,
    pub(super) why: Option<&'a str>,
    /// The AWS managed policy that is exactly this need.
    pub(super) managed: Option<&'static str>,
    /// The verb that brought it (`write`, `put via write`), if a verb did.
    pub(super) verb: Option<SharedName>,
    pub(super) span: Span,
}

/// The label of each edge's needs (`ReadOrders`, `MountFiles`) and the
/// verb that brought them, made once per target and edge kind for every
/// function of an app (a thousand functions that read `orders` share one).
#[derive(Default)]
struct Labels<'g>(HashMap<(ResourceId, LabelOf<'g>), (SharedName, SharedName), foldhash::fast::RandomState>);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum LabelOf<'g> {
    Verb(&'g str),
    Mount {
        readonly: bool,
    },
    Destination,
    DeadLetter,
    Poll,
    /// A key's use, whatever the data (`UseOrderKey`).
    Key,
}

impl<'g> Labels<'g> {
    fn get(&mut self, model: &Model, target: ResourceId, of: LabelOf<'g>) -> &(SharedName, SharedName) {
        self.0.entry((target, of)).or_insert_with(|| {
            let name = camel(&model.resource(target).name);
            let (label, verb) = match of {
                LabelOf::Verb(verb) => (camel(verb) + &name, verb),
                LabelOf::Mount { readonly } => {
                    (["Mount", &name].concat(), if readonly { MOUNT_READONLY } else { "mount" })
                }
                LabelOf::Destination => (["DeliverTo", &name].concat(), ""),
                LabelOf::DeadLetter => (["DeadLetterTo", &name].concat(), ""),
                LabelOf::Poll => (["Poll", &name].concat(), ""),
                LabelOf::Key => (["Use", &name].concat(), ""),
            };
            (SharedName::from(label), SharedName::from(verb))
        })
    }
}

/// What a function's statements depend on besides its own id and the
/// spans of its lines: its edges in source order (target and kind), the
/// sources of its poll triggers (each with its index when it reads
/// through a dedicated consumer), whether it is traced and the key of its
/// environment variables. Functions of one
/// shape get the same statements but for the log group's id and the spans
/// (a thousand functions that read `orders` and send to `jobs` merge their
/// needs once).
#[derive(PartialEq, Eq)]
struct Shape<'g> {
    edges: Vec<(ResourceId, &'g EdgeKind)>,
    polls: Vec<(ResourceId, Option<usize>)>,
    tracing: bool,
    environment_key: Option<ResourceId>,
}

impl Hash for Shape<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for (target, kind) in &self.edges {
            target.hash(state);
            std::mem::discriminant(*kind).hash(state);
        }
        self.polls.hash(state);
        self.tracing.hash(state);
        self.environment_key.hash(state);
    }
}

/// The statements of each shape of function met so far, with the labels
/// they are made of; shared by every function of one `infer`.
#[derive(Default)]
pub struct Roles<'g> {
    labels: Labels<'g>,
    /// A template's sources are slots (`Span::start`) in the function's
    /// spans: its name, each edge's, each poll trigger's, tracing's, the
    /// environment key's. None
    /// for a shape met once so far.
    shapes: HashMap<Shape<'g>, Option<Vec<Statement>>, foldhash::fast::RandomState>,
}

pub fn statements<'g>(
    model: &Model,
    graph: &'g Graph,
    roles: &mut Roles<'g>,
    function: &Resource,
    body: &FunctionBody,
) -> Vec<Statement> {
    let mut edges: Vec<_> =
        graph.graph.edges(graph.node(function.id)).map(|e| (graph.graph[e.target()], e.weight())).collect();
    edges.sort_by_key(|(_, e)| e.span);
    let polls = body.triggers.iter().enumerate().filter(|(_, trigger)| poll(model, trigger.source).is_some());
    let tracing = function.attrs.bool("tracing");
    let environment_key = function.environment_key();
    let mut spans = Vec::with_capacity(edges.len() + 2);
    spans.push(function.name_span);
    spans.extend(edges.iter().map(|(_, edge)| edge.span));
    spans.extend(polls.clone().map(|(_, trigger)| trigger.span));
    for (set, attribute) in [(tracing, "tracing"), (environment_key.is_some(), "encryption")] {
        if set {
            spans.push(function.attrs.span(attribute).unwrap_or(function.name_span));
        }
    }
    let shape = Shape {
        edges: edges.iter().map(|(target, edge)| (*target, &edge.kind)).collect(),
        polls: polls.map(|(index, trigger)| (trigger.source, trigger.dedicated().then_some(index))).collect(),
        tracing,
        environment_key,
    };
    // A shape met once is merged for its function alone; met again, its
    // template is made and shared (an app of all-different functions pays
    // no template).
    let slot = |n: usize| Span { file: function.name_span.file, start: n as u32, end: n as u32 };
    let template = match roles.shapes.entry(shape) {
        Entry::Occupied(mut found) => {
            if found.get().is_none() {
                let made = needs_merged(model, &mut roles.labels, function, found.key(), slot);
                found.insert(Some(made));
            }
            found.into_mut().as_deref().unwrap_or_default()
        }
        Entry::Vacant(new) => {
            let own = needs_merged(model, &mut roles.labels, function, new.key(), |n| spans[n]);
            new.insert(None);
            return own;
        }
    };
    template.iter().map(|s| of_function(s, function.id, &spans)).collect()
}

/// The statements of a function of a shape: its needs, merged, each with
/// the span `span` gives its slot (a template's sources are the slots).
fn needs_merged<'g>(
    model: &Model,
    labels: &mut Labels<'g>,
    function: &Resource,
    shape: &Shape<'g>,
    slot: impl Fn(usize) -> Span,
) -> Vec<Statement> {
    let shared = &*SHARED;
    let mut needs = vec![Need {
        label: shared.logs_label.clone(),
        actions: Cow::Borrowed(&shared.logs),
        resources: vec![Arn::LogGroup { function: function.id }],
        condition: None,
        why: None,
        managed: None,
        verb: None,
        span: slot(0),
    }];
    for (n, &(target, kind)) in shape.edges.iter().enumerate() {
        let target_needs = edge_needs(model, labels, kind, target, slot(1 + n));
        needs.extend(target_needs.into_iter().map(|need| through_alias(model, need)));
    }
    for (n, &(source, consumer)) in shape.polls.iter().enumerate() {
        let def = poll(model, source).expect("a poll trigger's source polls");
        let (label, _) = labels.get(model, source, LabelOf::Poll);
        let span = slot(1 + shape.edges.len() + n);
        for grant in holding(model, &def.grants, source) {
            match (grant.resources.iter().any(|form| form == CONSUMER), consumer) {
                (false, _) => needs.push(from_def(model, label, grant, source, span)),
                (true, Some(trigger)) => needs.push(consumer_need(model, label, grant, function.id, trigger, span)),
                // The grants on a dedicated consumer, for a trigger without one.
                (true, None) => {}
            }
        }
    }
    let mut next_slot = 1 + shape.edges.len() + shape.polls.len();
    if shape.tracing {
        needs.push(Need {
            label: SharedName::from("XRayWritesOnlyOnStar"),
            actions: Cow::Borrowed(&shared.tracing),
            resources: vec![Arn::Any],
            condition: None,
            why: Some(TRACING_WHY),
            managed: None,
            verb: None,
            span: slot(next_slot),
        });
        next_slot += 1;
    }
    if let Some(key) = shape.environment_key {
        let (label, _) = labels.get(model, key, LabelOf::Key);
        needs.push(Need {
            label: label.clone(),
            actions: Cow::Borrowed(&shared.environment_key),
            resources: vec![Arn::Of { resource: key, form: "arn".into() }],
            condition: None,
            why: None,
            managed: None,
            verb: None,
            span: slot(next_slot),
        });
    }
    merge(needs)
}

/// The poll trigger of a source's kind, if it has one.
fn poll(model: &Model, source: ResourceId) -> Option<&TriggerDef> {
    model.kind_of(source).trigger.as_ref().filter(|t| t.mode == TriggerMode::Poll)
}

/// A template's statement for one function: its own log group, the spans
/// of its slots in source order.
fn of_function(template: &Statement, function: ResourceId, spans: &[Span]) -> Statement {
    let mut sources: Vec<Span> = template.sources.iter().map(|slot| spans[slot.start as usize]).collect();
    sources.sort();
    sources.dedup();
    let resources = template
        .resources
        .iter()
        .map(|arn| match arn {
            Arn::LogGroup { .. } => Arn::LogGroup { function },
            Arn::Consumer { trigger, .. } => Arn::Consumer { function, trigger: *trigger },
            arn => arn.clone(),
        })
        .collect();
    Statement {
        sid: template.sid.clone(),
        actions: template.actions.clone(),
        resources,
        condition: template.condition.clone(),
        why: template.why.clone(),
        managed: template.managed.clone(),
        sources,
        verbs: template.verbs.clone(),
    }
}

fn edge_needs<'m, 'g>(
    model: &'m Model,
    labels: &mut Labels<'g>,
    kind: &'g EdgeKind,
    target: ResourceId,
    span: Span,
) -> Vec<Need<'m>> {
    let target_kind = model.kind_of(target);
    match kind {
        EdgeKind::Access { verb, user } => {
            let (label, verb) = labels.get(model, target, LabelOf::Verb(verb));
            let needs: Vec<Need> = target_kind
                .verb(verb)
                .map(|v| {
                    holding(model, &v.grants, target).map(|g| verb_need(model, label, verb, g, target, span)).collect()
                })
                .unwrap_or_default();
            match (user, &model.resource(target).existing, target_kind.arn_form("dbuser")) {
                (Some(user), Some(existing), Some(every_user)) => {
                    needs.into_iter().map(|n| for_user(n, existing, every_user, user)).collect()
                }
                _ => needs,
            }
        }
        EdgeKind::Destination { .. } | EdgeKind::DeadLetter => {
            let of = if *kind == EdgeKind::DeadLetter { LabelOf::DeadLetter } else { LabelOf::Destination };
            let (label, _) = labels.get(model, target, of);
            target_kind
                .destination
                .as_ref()
                .map(|d| holding(model, &d.grants, target).map(|g| from_def(model, label, g, target, span)).collect())
                .unwrap_or_default()
        }
        EdgeKind::Network => vec![
            Need {
                label: SharedName::from("VpcNetworkInterfacesOnlyOnStar"),
                actions: Cow::Borrowed(&SHARED.network),
                resources: vec![Arn::Any],
                condition: None,
                why: Some(NETWORK_WHY),
                managed: Some(NETWORK_POLICY),
                verb: None,
                span,
            },
            Need {
                label: SharedName::from("VpcSubnetsOnlyOnStar"),
                actions: Cow::Borrowed(&SHARED.subnets),
                resources: vec![Arn::Any],
                condition: None,
                why: Some(SUBNETS_WHY),
                managed: None,
                verb: None,
                span,
            },
        ],
        EdgeKind::Mount { readonly } => {
            let (label, verb) = labels.get(model, target, LabelOf::Mount { readonly: *readonly });
            target_kind
                .verb(verb)
                .map(|v| {
                    holding(model, &v.grants, target).map(|g| verb_need(model, label, verb, g, target, span)).collect()
                })
                .unwrap_or_default()
        }
        EdgeKind::Trigger { .. }
        | EdgeKind::Redrive
        | EdgeKind::Subscription
        | EdgeKind::Reads { .. }
        | EdgeKind::Layer
        | EdgeKind::Domain { .. }
        | EdgeKind::Task { .. }
        | EdgeKind::Authorizer { .. }
        | EdgeKind::Encryption => Vec::new(),
    }
}

/// The grants that hold on `target` ([`super::holds`]).
fn holding<'a>(model: &'a Model, grants: &'a [GrantDef], target: ResourceId) -> impl Iterator<Item = &'a GrantDef> {
    grants.iter().filter(move |g| super::holds(model, g, target))
}

/// A function with an alias is invoked through it: its callers and the
/// functions it is a destination of are granted the alias ARN
/// (`function:NAME:ALIAS`), which is what their calls name; never
/// `function:NAME:*`.
fn through_alias<'a>(model: &Model, mut need: Need<'a>) -> Need<'a> {
    for arn in &mut need.resources {
        if let Arn::Of { resource, form } = arn {
            if form == "arn" && model.resource(*resource).alias().is_some() {
                *arn = Arn::Alias { function: *resource };
            }
        }
    }
    need
}

/// `connect NAME as "user"`: the proxy's every-user ARN (`dbuser:prx-…/*`)
/// becomes that user's alone (`dbuser:prx-…/user`; AWS-RULES.md §2c).
fn for_user<'a>(mut need: Need<'a>, existing: &crate::model::Existing, every_user: &str, user: &str) -> Need<'a> {
    let every = super::sub_arn_of_existing(existing, every_user);
    let own = Arn::Literal(format!("{}{user}", every.trim_end_matches('*')));
    need.resources = need
        .resources
        .into_iter()
        .map(|arn| match &arn {
            Arn::Of { form, .. } if form == "dbuser" => own.clone(),
            _ => arn,
        })
        .collect();
    need
}

/// A verb's grant, marked with the verb that brought it (`put via write`
/// for a grant a union verb takes from a finer one).
fn verb_need<'a>(
    model: &Model,
    label: &SharedName,
    verb: &SharedName,
    def: &'a GrantDef,
    target: ResourceId,
    span: Span,
) -> Need<'a> {
    let cause = def.via.clone().unwrap_or_else(|| verb.clone());
    Need { verb: Some(cause), ..from_def(model, label, def, target, span) }
}

pub(super) fn from_def<'a>(
    model: &Model,
    label: &SharedName,
    def: &'a GrantDef,
    target: ResourceId,
    span: Span,
) -> Need<'a> {
    let resources = super::arns_of(model, def, target);
    // On a resource the target names (the key of its `encryption`): one
    // statement for every use of it (`UseDataKey`).
    let label = match resources.first() {
        Some(Arn::Of { resource, .. }) if def.named.is_some() => {
            SharedName::from(["Use", &camel(&model.resource(*resource).name)].concat())
        }
        _ => label.clone(),
    };
    let condition = super::condition_for(def, target);
    let label = if def.resources.iter().any(|r| r == "any") { format!("{label}OnlyOnStar").into() } else { label };
    Need {
        label,
        actions: Cow::Borrowed(&def.actions),
        resources,
        condition,
        why: def.why.as_deref(),
        managed: None,
        verb: None,
        span,
    }
}

/// The ARN form of a trigger grant on the trigger's dedicated stream
/// consumer (`resources = [consumer]`), given only to a trigger that has
/// one.
const CONSUMER: &str = "consumer";

/// A trigger grant on the dedicated consumer of `function`'s trigger
/// `trigger`: the consumer's own ARN, which only this function reads.
fn consumer_need<'a>(
    model: &Model,
    label: &SharedName,
    def: &'a GrantDef,
    function: ResourceId,
    trigger: usize,
    span: Span,
) -> Need<'a> {
    Need {
        label: [label.as_str(), "Consumer"].concat().into(),
        resources: vec![Arn::Consumer { function, trigger }],
        ..from_def(model, label, def, function, span)
    }
}

/// Needs with the same resources and condition become one statement, in
/// order of first appearance; actions sorted, sources in source order.
/// Each statement's vectors are sized once from its needs.
pub(super) fn merge(mut needs: Vec<Need<'_>>) -> Vec<Statement> {
    // A grant on a resource the target names (`encryption`), where it names none.
    needs.retain(|need| !need.resources.is_empty());
    for need in &mut needs {
        need.resources.dedup();
    }
    // The first need of each statement, and the statement of each need.
    let mut firsts: Vec<usize> = Vec::new();
    let mut of: Vec<usize> = Vec::with_capacity(needs.len());
    for (i, need) in needs.iter().enumerate() {
        // Statements' places differ, so a need on the place of the one
        // before it joins that one's statement, as a search would find.
        let statement = if i > 0 && same_place(&needs[i - 1], need) {
            of[i - 1]
        } else if let Some(found) = firsts.iter().position(|&first| same_place(&needs[first], need)) {
            found
        } else {
            firsts.push(i);
            firsts.len() - 1
        };
        of.push(statement);
    }
    // The needs by statement, each statement's in their order.
    let mut by_statement: Vec<usize> = (0..needs.len()).collect();
    by_statement.sort_by_key(|&i| of[i]);
    let mut statements: Vec<Statement> = Vec::with_capacity(firsts.len());
    for group in by_statement.chunk_by(|&a, &b| of[a] == of[b]) {
        statements.push(statement(|| group.iter().map(|&i| &needs[i])));
    }
    for (s, first) in statements.iter_mut().zip(firsts) {
        s.resources = std::mem::take(&mut needs[first].resources);
    }
    for index in 0..statements.len() {
        let (before, rest) = statements.split_at_mut(index);
        rest[0].sid = unique_sid(std::mem::take(&mut rest[0].sid), before);
    }
    statements
}

fn same_place(a: &Need, b: &Need) -> bool {
    a.resources == b.resources && a.condition == b.condition && a.managed == b.managed
}

/// The statement of needs on the same place (resources left to the caller):
/// its SID the labels not already in it, reasons joined when they differ.
fn statement<'n, 'a: 'n, I: Iterator<Item = &'n Need<'a>>>(members: impl Fn() -> I) -> Statement {
    let mut alone = members();
    if let (Some(need), None) = (alone.next(), alone.next()) {
        if need.actions.is_sorted_by(|a, b| a < b) {
            return statement_of(need);
        }
    }
    merged(members)
}

/// [`statement`] of any needs: their labels, reasons, actions, verbs and
/// sources gathered, sorted and made unique.
fn merged<'n, 'a: 'n, I: Iterator<Item = &'n Need<'a>>>(members: impl Fn() -> I) -> Statement {
    let mut sid = String::with_capacity(members().map(|n| n.label.len()).sum());
    let mut why: Option<String> = None;
    let mut last: Option<&SharedName> = None;
    for need in members() {
        // The label just added is in the SID: most needs repeat it.
        if last != Some(&need.label) && !sid.contains(need.label.as_str()) {
            sid.push_str(&need.label);
        }
        last = Some(&need.label);
        why = match (why, need.why) {
            (Some(a), Some(b)) if a != b => Some(format!("{a}; {b}")),
            (a, b) => a.or_else(|| b.map(String::from)),
        };
    }
    let count = members().map(|n| n.actions.len()).sum();
    let mut actions = Vec::with_capacity(count);
    let mut verbs = Vec::with_capacity(members().filter(|n| n.verb.is_some()).map(|n| n.actions.len()).sum());
    let mut sources = Vec::with_capacity(members().count());
    let mut first = None;
    for need in members() {
        first = first.or(Some(need));
        actions.extend_from_slice(&need.actions);
        if let Some(verb) = &need.verb {
            verbs.extend(need.actions.iter().map(|a| (a.clone(), verb.clone())));
        }
        sources.push(need.span);
    }
    actions.sort();
    actions.dedup();
    verbs.sort();
    verbs.dedup();
    sources.sort();
    sources.dedup();
    let first = first.expect("a statement has a need");
    Statement {
        sid,
        actions: actions.into(),
        resources: Vec::new(),
        condition: first.condition.clone(),
        why,
        managed: first.managed.map(String::from),
        sources,
        verbs: verbs.into(),
    }
}

/// The statement of a need alone whose actions are sorted and unique (as
/// the stdlib writes them): its lists made at their size, nothing sorted.
fn statement_of(need: &Need) -> Statement {
    let verbs = match &need.verb {
        Some(verb) => need.actions.iter().map(|action| (action.clone(), verb.clone())).collect(),
        None => Arc::from([]),
    };
    Statement {
        sid: need.label.to_string(),
        actions: Arc::from(&*need.actions),
        resources: Vec::new(),
        condition: need.condition.clone(),
        why: need.why.map(String::from),
        managed: need.managed.map(String::from),
        sources: vec![need.span],
        verbs,
    }
}

/// `base` as a SID no statement `before` has (kept as it is when it can be).
fn unique_sid(base: String, before: &[Statement]) -> String {
    let used = |sid: &str| before.iter().any(|s| s.sid == sid);
    let clean = base.bytes().all(|b| b.is_ascii_alphanumeric());
    if clean && !used(&base) {
        return base;
    }
    let mut sid: String =
        if clean { base.clone() } else { base.chars().filter(|c| c.is_ascii_alphanumeric()).collect() };
    let mut n = 2;
    while used(&sid) {
        sid = format!("{base}{n}");
        n += 1;
    }
    sid
}

/// `create_order` → `CreateOrder`.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split(['_', '-', '.', '/']) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(actions: &[&str], verb: Option<&str>, why: Option<&'static str>) -> Need<'static> {
        Need {
            label: SharedName::from("ReadOrders"),
            actions: Cow::Owned(actions.iter().map(|a| SharedName::from(*a)).collect()),
            resources: vec![Arn::Any],
            condition: None,
            why,
            managed: None,
            verb: verb.map(SharedName::from),
            span: Span { file: crate::source::FileId(0), start: 4, end: 9 },
        }
    }

    /// A need alone with sorted actions takes the short way; the statement
    /// is the one the general merge makes of it, verbs and reason included.
    #[test]
    fn a_need_alone_makes_the_statement_the_general_merge_makes() {
        for need in [
            need(&["dynamodb:GetItem", "dynamodb:Query"], Some("read"), None),
            need(&["xray:PutTelemetryRecords", "xray:PutTraceSegments"], None, Some(TRACING_WHY)),
            need(&["sqs:SendMessage"], Some("send"), None),
        ] {
            assert!(need.actions.is_sorted_by(|a, b| a < b));
            assert_eq!(statement_of(&need), merged(|| std::iter::once(&need)));
        }
    }

    /// Actions out of order, or given twice, take the general merge.
    #[test]
    fn a_need_alone_with_unsorted_actions_is_sorted_and_made_unique() {
        let need = need(&["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:SendMessage"], Some("send"), None);
        let made = statement(|| std::iter::once(&need));
        let actions: Vec<&str> = made.actions.iter().map(|a| a.as_str()).collect();
        assert_eq!(actions, ["sqs:GetQueueUrl", "sqs:SendMessage"]);
        assert_eq!(made.verbs_of("sqs:SendMessage").collect::<Vec<_>>(), ["send"]);
    }
}
