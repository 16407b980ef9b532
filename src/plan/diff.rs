//! Two snapshots → the semantic plan: resources added, removed, changed or
//! replaced; grants and invoke permissions added or removed, a widened one
//! found by what the statements allow (wildcards included), not by text;
//! and the hazards, which come first.

use super::reach;
use super::snapshot::{
    canonical, is_key, keeps, name_property, replacing_properties, Access, Grant, Invoke, Resource, Snapshot, Target,
    STATEFUL,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

#[derive(Debug, Serialize)]
pub struct Plan {
    pub target: Target,
    pub hazards: Vec<Hazard>,
    pub resources: Vec<ResourceChange>,
    pub grants: Vec<GrantChange>,
    pub permissions: Vec<PermissionChange>,
    /// Inputs added, removed or changed (type, default, pattern); left
    /// out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<super::inputs::InputChange>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.grants.is_empty() && self.permissions.is_empty() && self.inputs.is_empty()
    }

    pub fn count(&self, change: Change) -> usize {
        self.resources.iter().filter(|r| r.change == change).count()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HazardKind {
    /// A stateful resource deleted or replaced.
    DataLoss,
    /// A function deleted or renamed: its resource policy goes with it.
    TriggersStop,
    /// A replacing change to a resource with a fixed physical name.
    FixedName,
    /// An invoke permission for everyone or another account.
    PublicInvoke,
    /// A grant that allows something the old grants did not.
    Widen,
    /// A CloudFormation table update that creates or deletes more than
    /// one global secondary index, which DynamoDB refuses.
    IndexesAtOnce,
}

impl HazardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HazardKind::DataLoss => "data-loss",
            HazardKind::TriggersStop => "triggers-stop",
            HazardKind::FixedName => "fixed-name",
            HazardKind::PublicInvoke => "public-invoke",
            HazardKind::Widen => "widen",
            HazardKind::IndexesAtOnce => "indexes-at-once",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub resource: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
    Replaced,
}

#[derive(Debug, Serialize)]
pub struct ResourceChange {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub change: Change,
    pub properties: Vec<PropertyChange>,
}

#[derive(Debug, Serialize)]
pub struct PropertyChange {
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub replaces: bool,
}

#[derive(Debug, Serialize)]
pub struct GrantChange {
    pub function: String,
    pub change: Change,
    pub action: String,
    pub resource: String,
    pub condition: Option<String>,
    pub widened: bool,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PermissionChange {
    pub function: String,
    pub change: Change,
    pub principal: String,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub widened: bool,
    pub sources: Vec<String>,
}

/// The pseudo-property of a resource that moves to another nested stack.
const STACK_PATH: &str = "(nested stack)";

/// Compares `old` with `new`; `stdlib_replacing` lists the extra replacing
/// properties the stdlib declares, by resource type.
pub fn plan(target: Target, old: &Snapshot, new: &Snapshot, stdlib_replacing: &[(String, String)]) -> Plan {
    let mut plan = Plan {
        target,
        hazards: Vec::new(),
        resources: Vec::new(),
        grants: Vec::new(),
        permissions: Vec::new(),
        inputs: super::inputs::changes(&old.inputs, &new.inputs),
    };
    resource_changes(&mut plan, old, new, stdlib_replacing);
    boundary_changes(&mut plan, old, new);
    access_changes(&mut plan, old, new);
    super::auth::authorization_hazards(&mut plan, old, new);
    plan
}

fn resource_changes(plan: &mut Plan, old: &Snapshot, new: &Snapshot, stdlib_replacing: &[(String, String)]) {
    for (id, before) in &old.resources {
        let Some(after) = new.resources.get(id) else {
            plan.resources.push(ResourceChange {
                id: id.clone(),
                ty: before.ty.clone(),
                change: Change::Removed,
                properties: Vec::new(),
            });
            removal_hazards(plan, id, before, old.functions.get(id));
            continue;
        };
        let mut properties = Vec::new();
        diff_values("", Some(&before.properties), Some(&after.properties), &mut properties);
        protection_changes(plan, id, before, after, &mut properties);
        if properties.is_empty() && before.stack == after.stack {
            continue;
        }
        let key_retyped = super::tables::key_retyped(before, after);
        for p in properties.iter_mut().filter(|p| !p.path.starts_with('(')) {
            let top = p.path.split(['.', '[']).next().unwrap_or("");
            p.replaces = replacing_properties(&after.ty).contains(&top)
                || stdlib_replacing.iter().any(|(ty, property)| *ty == after.ty && property == top)
                || (key_retyped && super::tables::is_attribute_definitions(top));
        }
        if before.stack != after.stack {
            // CloudFormation creates it in its new stack and deletes it
            // from the old one: a replacement.
            let stack = |s: &Option<String>| Some(Value::String(s.clone().unwrap_or_else(|| "(root)".into())));
            properties.push(PropertyChange {
                path: STACK_PATH.into(),
                before: stack(&before.stack),
                after: stack(&after.stack),
                replaces: true,
            });
        }
        let replaced = properties.iter().any(|p| p.replaces);
        if replaced {
            replacement_hazards(plan, id, before, &properties);
        } else {
            index_hazards(plan, id, before, after);
            expiry_hazards(plan, id, super::buckets::expiry(before), after);
        }
        let change = if replaced { Change::Replaced } else { Change::Changed };
        plan.resources.push(ResourceChange { id: id.clone(), ty: after.ty.clone(), change, properties });
    }
    for (id, after) in &new.resources {
        if !old.resources.contains_key(id) {
            // A lifecycle configuration added to a bucket that stays (Terraform).
            if super::buckets::bucket_of(after).is_some_and(|bucket| old.resources.contains_key(&bucket)) {
                expiry_hazards(plan, id, Some(Default::default()), after);
            }
            plan.resources.push(ResourceChange {
                id: id.clone(),
                ty: after.ty.clone(),
                change: Change::Added,
                properties: Vec::new(),
            });
        }
    }
}

/// Each protection that changes, as a pseudo-property `(DeletionPolicy)`;
/// one that keeps less than before (`Retain` → `Snapshot` or `Delete`,
/// `prevent_destroy` true → false or absent) is a data-loss hazard, on any
/// resource: whoever protected it had a reason.
fn protection_changes(plan: &mut Plan, id: &str, before: &Resource, after: &Resource, out: &mut Vec<PropertyChange>) {
    for (name, old) in &before.protection {
        let new = after.protection.get(name);
        if new == Some(old) {
            continue;
        }
        if new.is_none_or(|new| keeps(new) < keeps(old)) {
            let shown =
                |v: Option<&Value>| v.map_or("(none)".to_string(), |v| v.as_str().map_or(v.to_string(), String::from));
            let consequence = match *name {
                "DeletionPolicy" => "removing it from the app now deletes it and its data",
                "UpdateReplacePolicy" => "a replacement now deletes the old one and its data",
                _ => "Terraform no longer refuses to destroy it and its data",
            };
            plan.hazards.push(Hazard {
                kind: HazardKind::DataLoss,
                resource: id.into(),
                message: format!(
                    "{id} ({}) is less protected, {name} {} → {}: {consequence}",
                    before.ty,
                    shown(Some(old)),
                    shown(new)
                ),
            });
        }
        out.push(PropertyChange {
            path: format!("({name})"),
            before: Some(old.clone()),
            after: new.cloned(),
            replaces: false,
        });
    }
}

fn removal_hazards(plan: &mut Plan, id: &str, before: &Resource, function: Option<&Access>) {
    if STATEFUL.contains(&before.ty.as_str()) {
        let message = if before.retained() {
            format!("{id} ({}) leaves the app; it is retained, so it stays in the account with its data as an orphan nobody manages", before.ty)
        } else if is_key(&before.ty) {
            format!("{id} ({}) is scheduled for deletion: once its waiting period ends, nothing it encrypted can be decrypted", before.ty)
        } else {
            format!("{id} ({}) is deleted with its data", before.ty)
        };
        plan.hazards.push(Hazard { kind: HazardKind::DataLoss, resource: id.into(), message });
    }
    // A removed state machine or schedule takes only its own role with it.
    let function = function.filter(|_| matches!(before.ty.as_str(), "AWS::Lambda::Function" | "aws_lambda_function"));
    if let Some(function) = function {
        let triggers = if function.permissions.is_empty() {
            String::new()
        } else {
            let who: Vec<&str> = function.permissions.iter().map(|p| p.principal.as_str()).collect();
            format!(": its invoke permissions for {} go with it, so those triggers stop", who.join(", "))
        };
        plan.hazards.push(Hazard {
            kind: HazardKind::TriggersStop,
            resource: id.into(),
            message: format!("function {} is deleted or renamed{triggers}", function.name),
        });
    }
}

fn replacement_hazards(plan: &mut Plan, id: &str, before: &Resource, properties: &[PropertyChange]) {
    let because: Vec<&str> = properties.iter().filter(|p| p.replaces).map(|p| p.path.as_str()).collect();
    if STATEFUL.contains(&before.ty.as_str()) {
        plan.hazards.push(Hazard {
            kind: HazardKind::DataLoss,
            resource: id.into(),
            message: format!(
                "{id} ({}) is replaced by a new, empty one because {} changes",
                before.ty,
                because.join(", ")
            ),
        });
    }
    let named = name_property(&before.ty).is_some_and(|p| before.properties.get(p).is_some() && !because.contains(&p));
    if named && before.ty.starts_with("AWS::") {
        plan.hazards.push(Hazard {
            kind: HazardKind::FixedName,
            resource: id.into(),
            message: format!("{id} has a fixed name, and CloudFormation refuses to replace it ({} changes): the deployment will fail", because.join(", ")),
        });
    }
}

/// A bucket's lifecycle that expires objects or versions sooner than
/// before: whatever is older is deleted (`before` is `None` for a
/// resource that is not a lifecycle).
fn expiry_hazards(plan: &mut Plan, id: &str, before: Option<super::buckets::Expiry>, after: &Resource) {
    let (Some(before), Some(after)) = (before, super::buckets::expiry(after)) else { return };
    for message in super::buckets::shortened(id, before, after) {
        plan.hazards.push(Hazard { kind: HazardKind::DataLoss, resource: id.into(), message });
    }
}

/// A table kept in place whose update creates or deletes more than one
/// global secondary index: DynamoDB creates or deletes one per
/// `UpdateTable`, so CloudFormation's update fails (Terraform's provider
/// makes one call per index). An index whose keys change is deleted and
/// created again: two.
fn index_hazards(plan: &mut Plan, id: &str, before: &Resource, after: &Resource) {
    if after.ty != "AWS::DynamoDB::Table" {
        return;
    }
    let indexes = |r: &Resource| -> Vec<Value> {
        r.properties.get("GlobalSecondaryIndexes").and_then(Value::as_array).cloned().unwrap_or_default()
    };
    let (old, new) = (indexes(before), indexes(after));
    let name = |i: &Value| i.get("IndexName").and_then(Value::as_str).map(String::from);
    let created: Vec<String> = new.iter().filter(|i| !old.iter().any(|o| o == *i)).filter_map(name).collect();
    let deleted: Vec<String> = old.iter().filter(|o| !new.iter().any(|i| i == *o)).filter_map(name).collect();
    if created.len() + deleted.len() <= 1 {
        return;
    }
    let listed = |what: &str, names: &[String]| (!names.is_empty()).then(|| format!("{what} {}", names.join(", ")));
    let changes: Vec<String> =
        [listed("creates", &created), listed("deletes", &deleted)].into_iter().flatten().collect();
    plan.hazards.push(Hazard {
        kind: HazardKind::IndexesAtOnce,
        resource: id.into(),
        message: format!(
            "{id} {} in one update, and DynamoDB creates or deletes one global secondary index at a time: the deployment will fail; deploy one index change at a time",
            changes.join(" and ")
        ),
    });
}

/// A role that loses the permissions boundary it had, or that the app's
/// roles had (a new role), or whose boundary changes (plan cannot read
/// what the new one allows) widens what its function may do.
fn boundary_changes(plan: &mut Plan, old: &Snapshot, new: &Snapshot) {
    let app = old.resources.values().find_map(|r| boundary(r).flatten());
    for (id, after) in &new.resources {
        let Some(now) = boundary(after) else { continue };
        let (was, is_new) = match old.resources.get(id) {
            Some(before) => (boundary(before).flatten(), false),
            None => (app.clone(), true),
        };
        let Some(was) = was.filter(|was| now.as_ref() != Some(was)) else { continue };
        let message = match (now, is_new) {
            (None, false) => format!("{id} loses its permissions boundary {was}: only its own policies limit it now"),
            (None, true) => format!("{id} is created without the permissions boundary {was} the app's roles had"),
            (Some(now), _) => format!(
                "{id}'s permissions boundary changes from {was} to {now}: plan cannot read whether it allows more"
            ),
        };
        plan.hazards.push(Hazard { kind: HazardKind::Widen, resource: id.clone(), message });
    }
}

/// A role's permissions boundary, if it has one; `None` for what is not a role.
fn boundary(resource: &Resource) -> Option<Option<String>> {
    let property = match resource.ty.as_str() {
        "AWS::IAM::Role" => "PermissionsBoundary",
        "aws_iam_role" => "permissions_boundary",
        _ => return None,
    };
    Some(resource.properties.get(property).map(canonical))
}

/// A recursive diff; arrays compare whole.
fn diff_values(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<PropertyChange>) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                diff_values(&child, a.get(key), b.get(key), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => {
            out.push(PropertyChange { path: path.to_string(), before: a.cloned(), after: b.cloned(), replaces: false })
        }
    }
}

/// Grants and invoke permissions per function. A function that was there
/// widens when it may do, or be invoked by, what it could not; a new one
/// when a statement reaches beyond the app (`reach.rs`): its other grants
/// are new, not wider.
fn access_changes(plan: &mut Plan, old: &Snapshot, new: &Snapshot) {
    let empty = Access::default();
    let mut ids: Vec<&String> = old.functions.keys().chain(new.functions.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let is_new = !old.functions.contains_key(id);
        let before = old.functions.get(id).unwrap_or(&empty);
        let after = new.functions.get(id).unwrap_or(&empty);
        let name = if after.name.is_empty() { &before.name } else { &after.name };
        grant_changes(plan, name, before, after, is_new);
        permission_changes(plan, name, before, after, is_new);
    }
}

fn same_grant(a: &Grant, b: &Grant) -> bool {
    a.action.eq_ignore_ascii_case(&b.action) && a.resource == b.resource && a.condition == b.condition
}

fn grant_changes(plan: &mut Plan, function: &str, before: &Access, after: &Access, is_new: bool) {
    let mut widened = Vec::new();
    // A pair reported once per function and direction, however many
    // statements repeat it.
    let mut reported: HashSet<(Change, &str, &str)> = HashSet::new();
    for grant in &after.grants {
        if before.grants.iter().any(|g| same_grant(g, grant))
            || !reported.insert((Change::Added, &grant.action, &grant.resource))
        {
            continue;
        }
        let reach = reach::grant(grant, function);
        let wider = if is_new { reach.is_some() } else { !before.grants.iter().any(|old| allows(old, grant)) };
        if wider {
            let on = scoped(&grant.resource, grant.condition.as_deref());
            widened.push(described(&format!("{} on {on}", grant.action), reach, grant.why.as_deref()));
        }
        plan.grants.push(change_of(function, Change::Added, grant, wider));
    }
    for grant in &before.grants {
        if !after.grants.iter().any(|g| same_grant(g, grant))
            && reported.insert((Change::Removed, &grant.action, &grant.resource))
        {
            plan.grants.push(change_of(function, Change::Removed, grant, false));
        }
    }
    if !widened.is_empty() {
        let message = if is_new {
            format!("new function {function} may do what reaches beyond the app: {}", widened.join("; "))
        } else {
            format!("{function} may now do what it could not: {}", widened.join("; "))
        };
        plan.hazards.push(Hazard { kind: HazardKind::Widen, resource: function.into(), message });
    }
}

/// A widened statement with why it reaches so far and why the app says it must.
/// A grant's resource with the condition that narrows it, as a reviewer
/// reads it, as `explain` does: `arn:…:foundation-model/x if ArnEquals
/// bedrock:InferenceProfileArn = arn:…`. A statement's `*` Region or
/// resource means something else without its condition.
pub fn scoped(resource: &str, condition: Option<&str>) -> String {
    let Some(condition) = condition else { return resource.to_string() };
    let tests: Vec<String> = match serde_json::from_str::<serde_json::Value>(condition) {
        Ok(serde_json::Value::Object(operators)) => operators
            .iter()
            .flat_map(|(operator, keys)| {
                keys.as_object().into_iter().flatten().map(move |(key, value)| {
                    let values = match value {
                        serde_json::Value::Array(values) => values.iter().map(text_of).collect::<Vec<_>>().join(", "),
                        value => text_of(value),
                    };
                    format!("{operator} {key} = {values}")
                })
            })
            .collect(),
        _ => vec![condition.to_string()],
    };
    format!("{resource} if {}", tests.join(" and "))
}

fn text_of(value: &serde_json::Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

fn described(statement: &str, reach: Option<&str>, why: Option<&str>) -> String {
    match (reach, why) {
        (Some(reach), Some(why)) => format!("{statement} ({reach}; declared why: {why})"),
        (Some(reach), None) => format!("{statement} ({reach})"),
        (None, _) => statement.to_string(),
    }
}

fn change_of(function: &str, change: Change, grant: &Grant, widened: bool) -> GrantChange {
    GrantChange {
        function: function.into(),
        change,
        action: grant.action.clone(),
        resource: grant.resource.clone(),
        condition: grant.condition.clone(),
        widened,
        sources: grant.sources.clone(),
    }
}

/// Whether `old` allows everything `new` does: IAM wildcards in the action
/// (case-insensitive) and resource, and no condition or the same one.
fn allows(old: &Grant, new: &Grant) -> bool {
    glob(&old.action.to_ascii_lowercase(), &new.action.to_ascii_lowercase())
        && glob(&old.resource, &new.resource)
        && (old.condition.is_none() || old.condition == new.condition)
}

/// IAM's matching: `*` any run of characters, `?` any one. The runs
/// between `*`s are found in order, each at its leftmost place (where a
/// match can always put it), so the work is about the text's length times
/// the longest run, never exponential nor quadratic in the pattern.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let runs: Vec<&[char]> = p.split(|c| *c == '*').collect();
    let (first, last) = (runs[0], runs[runs.len() - 1]);
    if runs.len() == 1 {
        return t.len() == first.len() && fits(first, &t);
    }
    if t.len() < first.len() + last.len() || !fits(first, &t) || !fits(last, &t[t.len() - last.len()..]) {
        return false;
    }
    let (mut at, end) = (first.len(), t.len() - last.len());
    for run in &runs[1..runs.len() - 1] {
        let Some(found) = (at..=end.saturating_sub(run.len())).find(|&i| i + run.len() <= end && fits(run, &t[i..]))
        else {
            return false;
        };
        at = found + run.len();
    }
    true
}

/// Whether `run` (no `*`) matches the start of `text`.
fn fits(run: &[char], text: &[char]) -> bool {
    run.len() <= text.len() && run.iter().zip(text).all(|(p, c)| *p == '?' || p == c)
}

fn permission_changes(plan: &mut Plan, function: &str, before: &Access, after: &Access, is_new: bool) {
    let same = |a: &Invoke, b: &Invoke| {
        a.principal == b.principal
            && a.source_arn == b.source_arn
            && a.source_account == b.source_account
            && a.url == b.url
    };
    for permission in &after.permissions {
        if before.permissions.iter().any(|p| same(p, permission)) {
            continue;
        }
        let public = is_public_or_account(&permission.principal);
        let reach = if public { None } else { reach::invoke(permission) };
        let wider = public
            || if is_new { reach.is_some() } else { !before.permissions.iter().any(|old| covers(old, permission)) };
        let source = permission.source_arn.as_deref().unwrap_or("any source");
        if public {
            plan.hazards.push(Hazard {
                kind: HazardKind::PublicInvoke,
                resource: function.into(),
                message: match &permission.url {
                    Some(condition) => format!(
                        "{function} may now be invoked by {} through its function URL ({condition})",
                        describe_principal(&permission.principal)
                    ),
                    None => format!("{function} may now be invoked by {}", describe_principal(&permission.principal)),
                },
            });
        } else if wider {
            let who = described(&format!("{} from {source}", permission.principal), reach, None);
            let message = if is_new {
                format!("new function {function} may be invoked by what reaches beyond the app: {who}")
            } else {
                format!("{function} may now be invoked by {who}")
            };
            plan.hazards.push(Hazard { kind: HazardKind::Widen, resource: function.into(), message });
        }
        plan.permissions.push(permission_change(function, Change::Added, permission, wider));
    }
    for permission in &before.permissions {
        if !after.permissions.iter().any(|p| same(p, permission)) {
            plan.permissions.push(permission_change(function, Change::Removed, permission, false));
        }
    }
}

/// Whether `old` lets in everything `new` does: the same principal, and no
/// source or one that matches the new one (IAM wildcards), and no source
/// account or the same one.
fn covers(old: &Invoke, new: &Invoke) -> bool {
    let arn = match (&old.source_arn, &new.source_arn) {
        (None, _) => true,
        (Some(o), Some(n)) => glob(o, n),
        (Some(_), None) => false,
    };
    let account = old.source_account.is_none() || old.source_account == new.source_account;
    old.principal == new.principal && arn && account
}

fn permission_change(function: &str, change: Change, p: &Invoke, widened: bool) -> PermissionChange {
    PermissionChange {
        function: function.into(),
        change,
        principal: p.principal.clone(),
        source_arn: p.source_arn.clone(),
        source_account: p.source_account.clone(),
        widened,
        sources: p.sources.clone(),
    }
}

fn is_public_or_account(principal: &str) -> bool {
    principal.starts_with('*')
        || principal.starts_with("arn:aws:iam::")
        || (principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()))
}

fn describe_principal(principal: &str) -> String {
    if principal == "*" {
        "anyone (a public permission)".into()
    } else if let Some(org) = principal.strip_prefix("* in ") {
        format!("any principal of {org}")
    } else if principal.contains(":role/") {
        format!("role {principal}")
    } else {
        format!("account {principal}")
    }
}
