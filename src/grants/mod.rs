//! Edges → least-privilege grants. For each principal (a function, or another
//! resource that acts: a state machine, a Scheduler schedule): the statements
//! of its role (each with the spans that caused it) and, for a function, the
//! statements of its resource-based policy (one per push trigger and per
//! `allow`).

mod auth;
pub mod key;
pub mod limits;
mod permissions;
mod principal;
mod role;
mod shared_name;
pub mod url;

pub use permissions::{permission_trigger, Permission, PermissionSource, Principal};
pub use principal::{acts, acts_starting, is_scheduler, started, starts, statements_starting};
pub use role::camel;
pub use shared_name::SharedName;

use crate::graph::Graph;
use crate::model::{Model, ResourceId};
use crate::source::Span;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// A resource in a policy, still abstract: the emitters render it as
/// CloudFormation intrinsics or Terraform expressions.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arn {
    /// `*`: AWS offers nothing narrower; the statement's `why` says so.
    Any,
    /// A resource's ARN (`form` = `arn`) or a sub-ARN its kind declares.
    Of { resource: ResourceId, form: SharedName },
    /// The function's own log group, with its streams (`:*`).
    LogGroup { function: ResourceId },
    /// Every execution of a state machine (`…:execution:NAME:*`, or an
    /// Express one's `…:express:NAME:*:*`): what a `.sync` nested execution
    /// follows and stops.
    Executions { machine: ResourceId, express: bool },
    /// A function's alias (`function:NAME:ALIAS`): what callers and
    /// destinations of a function with `alias` invoke.
    Alias { function: ResourceId },
    /// The stream consumer the compiler registers for trigger `trigger` (its
    /// index among the function's triggers) of `function`, `consumer =
    /// dedicated`: what enhanced fan-out subscribes to shards through.
    Consumer { function: ResourceId, trigger: usize },
    /// An ARN built whole from an existing resource's parts: the proxy
    /// user of `connect NAME as "user"` (`dbuser:prx-…/user`). May hold
    /// `${partition}`, `${region}`, `${account}`.
    Literal(String),
}

/// The condition a kind's grant `def` puts on its statements for `target`:
/// the key its `condition` names, with the target's own ARN.
pub fn condition_for(def: &crate::stdlib::GrantDef, target: ResourceId) -> Option<Condition> {
    let key = crate::stdlib::condition_key(def.condition.as_deref()?)?;
    Some(Condition { operator: key.operator, key: key.key, value: Arn::Of { resource: target, form: "arn".into() } })
}

impl Condition {
    /// As `explain` and hover show it: `ArnEquals key = target.arn`.
    pub fn describe(&self, model: &Model) -> String {
        format!("{} {} = {}", self.operator, self.key, describe_arn(model, &self.value))
    }
}

/// A condition that narrows a statement on a wildcard resource.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    pub operator: &'static str,
    pub key: &'static str,
    pub value: Arn,
}

/// One statement of an execution role.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub sid: String,
    /// Sorted and unique; shared by the statements of functions of one
    /// shape.
    pub actions: Arc<[SharedName]>,
    pub resources: Vec<Arn>,
    pub condition: Option<Condition>,
    /// Why the resource is `*`, when it is.
    pub why: Option<String>,
    /// The AWS managed policy (`service-role/AWSLambdaENIManagementAccess`)
    /// whose whole content is this statement: emitters attach it rather
    /// than write the statement out.
    pub managed: Option<String>,
    /// The source lines behind the statement.
    pub sources: Vec<Span>,
    /// The verbs that brought each action, for `explain` and hover: `write`,
    /// or `put via write` when a union verb brought a finer verb's action.
    /// Actions a verb did not bring (logs, triggers, network) have no entry.
    /// Pairs (action, verb), sorted and unique: [`Statement::verbs_of`].
    pub verbs: Arc<[(SharedName, SharedName)]>,
}

impl Statement {
    /// The verbs that brought `action`, in order.
    pub fn verbs_of<'a>(&'a self, action: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let from = self.verbs.partition_point(|(a, _)| a.as_str() < action);
        self.verbs[from..].iter().take_while(move |(a, _)| a.as_str() == action).map(|(_, verb)| verb.as_str())
    }
}

/// Everything one principal is granted.
#[derive(Clone, Debug)]
pub struct Grants {
    /// The function, state machine or schedule whose role this is.
    pub principal: ResourceId,
    pub statements: Vec<Statement>,
    pub permissions: Vec<Permission>,
    /// The public function URL's statements (`url::permissions`).
    pub url_permissions: Vec<url::UrlPermission>,
}

/// The grants of every function, in source order, then of every other
/// principal in source order.
pub fn infer(model: &Model, graph: &Graph) -> Vec<Grants> {
    let mut grants = Functions::of(model).infer(model, graph);
    grants.extend(others(model));
    grants
}

/// The functions of an app, each with the invoke permissions its
/// authorizers need: their grants depend on nothing else of each other,
/// so they may be inferred in parts, on several threads.
pub struct Functions<'m> {
    each: Vec<(&'m crate::model::Resource, &'m crate::model::FunctionBody, Vec<Permission>)>,
}

impl<'m> Functions<'m> {
    pub fn of(model: &'m Model) -> Functions<'m> {
        let mut authorizers = auth::authorizer_permissions(model);
        let each = model
            .functions()
            .map(|(resource, body)| (resource, body, authorizers.remove(&resource.id).unwrap_or_default()))
            .collect();
        Functions { each }
    }

    /// Their grants, in order.
    pub fn infer(self, model: &Model, graph: &Graph) -> Vec<Grants> {
        self.infer_with(&mut role::Roles::default(), model, graph)
    }

    /// Their grants, in order, sharing the statements of one shape with
    /// every function `roles` has seen.
    fn infer_with<'g>(self, roles: &mut role::Roles<'g>, model: &Model, graph: &'g Graph) -> Vec<Grants> {
        self.each
            .into_iter()
            .map(|(resource, body, authorizers)| Grants {
                principal: resource.id,
                statements: role::statements(model, graph, roles, resource, body),
                permissions: permissions::permissions(model, body, authorizers),
                url_permissions: url::permissions(resource),
            })
            .collect()
    }
}

/// Functions cut into chunks that threads take one at a time, each thread
/// as soon as it is free, so that neither waits for the other whatever
/// else it had to do first.
pub struct Chunks<'m> {
    chunks: Vec<Mutex<Option<Functions<'m>>>>,
    next: AtomicUsize,
}

impl<'m> Chunks<'m> {
    pub fn new(functions: Functions<'m>, size: usize) -> Chunks<'m> {
        let mut each = functions.each.into_iter().peekable();
        let mut chunks = Vec::new();
        while each.peek().is_some() {
            let chunk = Functions { each: each.by_ref().take(size.max(1)).collect() };
            chunks.push(Mutex::new(Some(chunk)));
        }
        Chunks { chunks, next: AtomicUsize::new(0) }
    }

    /// Infers the chunks no thread has taken yet, until none is left: each
    /// chunk's grants, as `then` makes of them right after (while they are
    /// in the cache, and so that a thread that took more chunks has no
    /// more left to do when none is left), with its place ([`in_order`]).
    pub fn infer<R>(&self, model: &Model, graph: &Graph, then: impl Fn(Vec<Grants>) -> R) -> Vec<(usize, R)> {
        let mut roles = role::Roles::default();
        let mut done = Vec::new();
        loop {
            let place = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(chunk) = self.chunks.get(place) else { return done };
            // A chunk is taken whole, so a lock another thread's panic
            // poisoned holds nothing half-taken.
            let taken = chunk.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(functions) = taken {
                done.push((place, then(functions.infer_with(&mut roles, model, graph))));
            }
        }
    }
}

/// What was made of each chunk on several threads (its grants, or its
/// grants with what was found in them), in the functions' order.
pub fn in_order<T>(parts: impl IntoIterator<Item = Vec<(usize, T)>>) -> impl Iterator<Item = T> {
    let mut chunks: Vec<(usize, T)> = parts.into_iter().flatten().collect();
    chunks.sort_unstable_by_key(|(place, _)| *place);
    chunks.into_iter().map(|(_, made)| made)
}

/// The grants of the principals that are not functions, in source order.
pub fn others(model: &Model) -> impl Iterator<Item = Grants> {
    principal::all(model).into_iter().map(|(principal, statements)| Grants {
        principal,
        statements,
        permissions: Vec::new(),
        url_permissions: Vec::new(),
    })
}

/// Whether a grant holds on `target`: every grant does but one on a
/// resource the target does not name (`encryption` on an unencrypted
/// queue).
pub fn holds(model: &Model, def: &crate::stdlib::GrantDef, target: ResourceId) -> bool {
    def.named.as_ref().is_none_or(|attribute| model.resource(target).attrs.reference(attribute).is_some())
}

/// A grant's resources on `target`: `*` for `any`; for the `ref`
/// attribute the grant names (`encryption`), the ARN of the resource the
/// target names there, and nothing where it names none; otherwise that
/// ARN form of the target (`arn`, `objects`).
pub fn arns_of(model: &Model, def: &crate::stdlib::GrantDef, target: ResourceId) -> Vec<Arn> {
    let own = |form: &SharedName| match form.as_str() {
        "any" => Arn::Any,
        _ => Arn::Of { resource: target, form: form.clone() },
    };
    // Most grants name no resource of the target's: one vector, of the
    // size it ends with.
    let Some(named) = &def.named else { return def.resources.iter().map(own).collect() };
    let reference = model.resource(target).attrs.reference(named);
    def.resources
        .iter()
        .filter_map(|form| match reference {
            _ if form != named => Some(own(form)),
            Some(resource) => Some(Arn::Of { resource, form: "arn".into() }),
            None => None,
        })
        .collect()
}

/// A readable form of an ARN for `explain`: `orders.arn/index/*`, or the
/// ARN itself for existing resources.
pub fn describe_arn(model: &Model, arn: &Arn) -> String {
    match arn {
        Arn::Any => "*".into(),
        Arn::Literal(arn) => arn.clone(),
        Arn::LogGroup { function } => format!("{}.log_group", model.resource(*function).name),
        Arn::Executions { machine, express: false } => format!("{}.executions", model.resource(*machine).name),
        Arn::Executions { machine, express: true } => format!("{}.express_executions", model.resource(*machine).name),
        Arn::Alias { function } => {
            let function = model.resource(*function);
            format!("{}.arn:{}", function.name, function.alias().unwrap_or_default())
        }
        Arn::Consumer { function, trigger } => describe_consumer(model, *function, *trigger),
        Arn::Of { resource, form } => {
            let r = model.resource(*resource);
            let kind = model.kind_of(*resource);
            match (r.existing.as_deref(), form.as_str()) {
                (Some(crate::model::Existing { input: Some(input), .. }), form) => {
                    format!(
                        "{}{}",
                        describe_text(model, &crate::model::Text::Input(*input)),
                        kind.arn_form(form).unwrap_or("")
                    )
                }
                (Some(e), "arn") => e.arn.clone(),
                (Some(e), form) => sub_arn_of_existing(e, kind.arn_form(form).unwrap_or("")),
                (None, "arn") => format!("{}.arn", r.name),
                // A whole template: the resource's id in its place.
                (None, form) => match kind.arn_form(form).unwrap_or("") {
                    whole if whole.starts_with("arn:") => whole
                        .replace("${id}", &format!("${{{}.id}}", r.name))
                        .replace("${name}", &format!("${{{}.name}}", r.name)),
                    suffix => format!("{}.arn{suffix}", r.name),
                },
            }
        }
    }
}

/// A dedicated consumer as `explain` shows it: its stream's name and what
/// the consumer is named after, the function (`clicks.consumer(tally)`,
/// `tally-2` for a function's second consumer of one stream); its ARN,
/// which ends in the time it was registered, exists only once it is.
fn describe_consumer(model: &Model, function: ResourceId, trigger: usize) -> String {
    let resource = model.resource(function);
    let Some(body) = &resource.function else { return resource.name.clone() };
    let stream = &model.resource(body.triggers[trigger].source).name;
    match body.consumer_number(trigger) {
        Some(n) => format!("{stream}.consumer({}-{n})", resource.name),
        None => format!("{stream}.consumer({})", resource.name),
    }
}

/// A string as `explain` shows it: as written, or `input:NAME` for the
/// input that gives it at deploy time.
pub fn describe_text(model: &Model, text: &crate::model::Text) -> String {
    match text {
        crate::model::Text::Literal(s) => s.clone(),
        crate::model::Text::Input(id) => format!("input:{}", model.input(*id).name),
    }
}

/// A sub-ARN of an existing resource: a suffix, or a template over its parts.
pub fn sub_arn_of_existing(existing: &crate::model::Existing, form: &str) -> String {
    if form.starts_with("arn:") {
        form.replace("${partition}", &existing.partition)
            .replace("${region}", &existing.region)
            .replace("${account}", &existing.account)
            .replace("${id}", &existing.id)
            .replace("${model}", crate::stdlib::routed_model(&existing.id))
    } else {
        format!("{}{form}", existing.arn)
    }
}
