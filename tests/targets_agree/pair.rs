//! Which CloudFormation resource is which Terraform resource, found from
//! what they say and never from how their ids or labels are spelt:
//! 1. by key: properties that identify a resource among its type (a
//!    function's name, a permission's function, principal and source, a
//!    route's API and route key…; `table::key`), references counting by
//!    the pair they refer to;
//! 2. by reference: where two paired resources refer, at the same place
//!    (an environment variable, a policy action, a mapping's source…), to
//!    resources not yet paired, those are paired (an unnamed queue is the
//!    queue both functions read);
//! 3. what is left of a type without a key, in document order (noted in
//!    the report).
//!
//! Each step runs again while the others pair anything new.

use super::canon::{unpaired, Pairs, View};
use super::read::{markers, Side, Target, TYPES};
use super::table::{self, Canon};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn pair(cloudformation: &Side, terraform: &Side) -> Pairs {
    let mut pairs = Pairs::default();
    loop {
        let mut changed = by_key(cloudformation, terraform, &mut pairs, false);
        changed |= by_reference(cloudformation, terraform, &mut pairs);
        if !changed
            && !by_key(cloudformation, terraform, &mut pairs, true)
            && !by_order(cloudformation, terraform, &mut pairs)
        {
            return pairs;
        }
    }
}

/// Pairs resources of equal keys, in document order among equals. With
/// `partial`, a key may still refer to unpaired resources (each is `?`),
/// and only a key that one resource on each side has pairs them (the
/// subscription of function F to some topic is the only one of F's).
fn by_key(cloudformation: &Side, terraform: &Side, pairs: &mut Pairs, partial: bool) -> bool {
    // (type, key) → (id, every row's canonical value) in document order.
    type Keyed = BTreeMap<(String, String), Vec<(String, String)>>;
    let keys = |target: Target, side: &Side, pairs: &Pairs| -> Keyed {
        let view = View::new(target, side, pairs);
        let mut out = Keyed::new();
        for resource in side.resources.iter().filter(|r| pairs.name(target, &r.id).is_none()) {
            if let Some((key, complete)) = key_of(&view, &resource.ty, &resource.props) {
                if complete || partial {
                    let values = fingerprint(&view, &resource.ty, &resource.props);
                    out.entry((resource.ty.clone(), key)).or_default().push((resource.id.clone(), values));
                }
            }
        }
        out
    };
    let left = keys(Target::Cloudformation, cloudformation, pairs);
    let right = keys(Target::Terraform, terraform, pairs);
    let mut changed = false;
    for (key, ids) in &left {
        let mut others: Vec<&(String, String)> = right.get(key).into_iter().flatten().collect();
        if partial && (ids.len() != 1 || others.len() != 1) {
            continue;
        }
        // Among equal keys, one that agrees in every row first, so that
        // the order of equals never shows as a difference.
        let mut rest = Vec::new();
        for (a, values) in ids {
            match others.iter().position(|(_, v)| v == values) {
                Some(index) => {
                    pairs.add(a, &others.remove(index).0);
                    changed = true;
                }
                None => rest.push(a),
            }
        }
        for (a, (b, _)) in rest.into_iter().zip(others) {
            pairs.add(a, b);
            changed = true;
        }
    }
    changed
}

/// Every row's canonical value of a resource, as one text.
fn fingerprint(view: &View, ty: &str, props: &Value) -> String {
    let rows = table::rows(ty);
    let values: Vec<String> = rows.iter().map(|row| super::compare::text(&view.row_value(row, props))).collect();
    values.join("\n")
}

/// The key of a resource, and whether every reference in it is paired.
fn key_of(view: &View, ty: &str, props: &Value) -> Option<(String, bool)> {
    let names = table::key(ty);
    if names.is_empty() {
        return None;
    }
    let rows = table::rows(ty);
    let mut parts = Vec::new();
    let mut complete = true;
    for name in names {
        let row = rows.iter().find(|r| r.property == *name).expect("a key is a row");
        let mut text = super::compare::text(&view.row_value(row, props));
        for (id, attribute) in unpaired(&text) {
            text = text.replace(&format!("${{?{id}.{attribute}}}"), "${?}");
            complete = false;
        }
        parts.push(referents(&text));
    }
    Some((parts.join(" | "), complete))
}

/// A text by the resources it refers to (`${X.arn}` → `${X}`), or as it is
/// when it refers to none.
fn referents(text: &str) -> String {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else { break };
        let inner = &rest[start + 2..start + end];
        if !matches!(inner, "partition" | "region" | "account" | "url_suffix") {
            found.push(inner.rsplit_once('.').map_or(inner, |(base, _)| base).to_string());
        }
        rest = &rest[start + end + 1..];
    }
    found.sort();
    found.dedup();
    if found.is_empty() {
        text.to_string()
    } else {
        found.join(",")
    }
}

fn by_reference(cloudformation: &Side, terraform: &Side, pairs: &mut Pairs) -> bool {
    let mut found = Vec::new();
    {
        let left = View::new(Target::Cloudformation, cloudformation, pairs);
        let right = View::new(Target::Terraform, terraform, pairs);
        for (a, b) in &pairs.list {
            let (Some(a), Some(b)) = (cloudformation.get(a), terraform.get(b)) else { continue };
            if !refers_to_unpaired(Target::Cloudformation, &a.props, pairs) {
                continue;
            }
            for row in table::rows(&a.ty) {
                let leaves_of = |view: &View, get: &table::Get, props: &Value| {
                    let value = table::read(get, props).unwrap_or(Value::Null);
                    let canon = if row.canon == Canon::Policy { Canon::Policy } else { Canon::Plain };
                    let mut out = BTreeMap::new();
                    leaves(&view.canonical(&value, canon, row.property), String::new(), &mut out);
                    out
                };
                let x = leaves_of(&left, &row.cloudformation, &a.props);
                let y = leaves_of(&right, &row.terraform, &b.props);
                // Only where the texts at that place refer to one unpaired
                // resource: a policy's resources are sorted by text, and
                // unpaired names sort differently on each side.
                for (path, texts) in &x {
                    let Some(others) = y.get(path) else { continue };
                    let open = |texts: &Vec<String>| {
                        let mut ids: Vec<String> = texts.iter().flat_map(|t| unpaired(t)).map(|(id, _)| id).collect();
                        ids.sort();
                        ids.dedup();
                        if ids.len() == 1 {
                            ids.pop()
                        } else {
                            None
                        }
                    };
                    if let (Some(p), Some(q)) = (open(texts), open(others)) {
                        found.push((p, q));
                    }
                }
            }
        }
    }
    let mut changed = false;
    for (a, b) in found {
        let same_type = cloudformation.get(&a).zip(terraform.get(&b)).is_some_and(|(x, y)| x.ty == y.ty);
        if same_type && pairs.name(Target::Cloudformation, &a).is_none() && pairs.name(Target::Terraform, &b).is_none()
        {
            pairs.add(&a, &b);
            changed = true;
        }
    }
    changed
}

/// Whether a resource's properties refer to a resource not yet paired.
fn refers_to_unpaired(target: Target, props: &Value, pairs: &Pairs) -> bool {
    match props {
        Value::String(text) => {
            markers(text).iter().any(|(id, _)| !id.starts_with("data.") && pairs.name(target, id).is_none())
        }
        Value::Array(items) => items.iter().any(|i| refers_to_unpaired(target, i, pairs)),
        Value::Object(map) => map.values().any(|v| refers_to_unpaired(target, v, pairs)),
        _ => false,
    }
}

/// The strings of a canonical value by where they are: object keys and list
/// positions; a policy statement (`Effect action on resource`) by its
/// policy, effect and action.
fn leaves(value: &Value, path: String, out: &mut BTreeMap<String, Vec<String>>) {
    match value {
        Value::String(text) if text.contains(" on ") && (text.starts_with("Allow ") || text.starts_with("Deny ")) => {
            let (head, resource) = text.split_once(" on ").expect("checked");
            out.entry(format!("{path}/{head}")).or_default().push(resource.to_string());
        }
        Value::String(text) => out.entry(path).or_default().push(text.clone()),
        Value::Array(items) => {
            let policy = items.iter().all(|i| i.as_str().is_some_and(|t| t.contains(" on ")));
            for (index, item) in items.iter().enumerate() {
                let here = if policy { path.clone() } else { format!("{path}/{index}") };
                leaves(item, here, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                leaves(item, format!("{path}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Pairs, in document order, the resources of each type without a key
/// that nothing else paired.
fn by_order(cloudformation: &Side, terraform: &Side, pairs: &mut Pairs) -> bool {
    let mut changed = false;
    for (ty, ..) in TYPES.iter().filter(|t| table::key(t.0).is_empty()) {
        let left: Vec<String> = cloudformation
            .resources
            .iter()
            .filter(|r| r.ty == *ty && pairs.name(Target::Cloudformation, &r.id).is_none())
            .map(|r| r.id.clone())
            .collect();
        let right: Vec<String> = terraform
            .resources
            .iter()
            .filter(|r| r.ty == *ty && pairs.name(Target::Terraform, &r.id).is_none())
            .map(|r| r.id.clone())
            .collect();
        for (a, b) in left.iter().zip(&right) {
            pairs.add(a, b);
            pairs.by_order.push(a.clone());
            changed = true;
        }
    }
    changed
}
