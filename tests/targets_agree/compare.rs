//! Paired resources compared property by property through `table::rows`;
//! what only one target has, and what AWS would refuse in either.

use super::canon::{Pairs, View};
use super::read::{Res, Side, Target, TYPES};
use super::table::{self, Canon};
use serde_json::{Map, Value};

/// One disagreement: where, what, and what each target says.
#[derive(Debug, Clone)]
pub struct Finding {
    pub app: String,
    /// `JobsQueue ↔ aws_sqs_queue.jobs`, or one side's id.
    pub resource: String,
    /// The CloudFormation type (or Terraform's, where none corresponds).
    pub ty: String,
    pub property: String,
    pub cloudformation: String,
    pub terraform: String,
}

/// The rules this comparison leaves to the caller.
pub struct Allowed<'a> {
    /// (target, type or `*`, top-level property): said by one target only.
    pub one_sided: &'a [(Target, &'a str, &'a str, &'a str)],
    /// CloudFormation types whose physical name CloudFormation may generate
    /// where Terraform must set one.
    pub generated_names: &'a [(&'a str, &'a str)],
}

pub fn compare(app: &str, cloudformation: &Side, terraform: &Side, pairs: &Pairs, allowed: &Allowed) -> Vec<Finding> {
    let left = View::new(Target::Cloudformation, cloudformation, pairs);
    let right = View::new(Target::Terraform, terraform, pairs);
    let mut out = Vec::new();
    for (a, b) in &pairs.list {
        let (a, b) = (cloudformation.get(a).expect("paired"), terraform.get(b).expect("paired"));
        let finding = |property: &str, x: String, y: String| Finding {
            app: app.to_string(),
            resource: format!("{} ↔ {}", a.id, b.id),
            ty: a.ty.clone(),
            property: property.to_string(),
            cloudformation: x,
            terraform: y,
        };
        let generated = allowed.generated_names.iter().any(|(ty, _)| *ty == a.ty);
        for row in table::rows(&a.ty) {
            if row.property == "name" && generated && left.said(&row, &a.props).is_none() {
                continue;
            }
            let (x, y) = (left.row_value(&row, &a.props), right.row_value(&row, &b.props));
            if x != y {
                let (x, y) = difference(&x, &y, row.canon);
                out.push(finding(row.property, x, y));
            }
        }
        if a.retained != b.retained {
            out.push(finding("retained", a.retained.to_string(), b.retained.to_string()));
        }
        if let Some(tags) = a.props.get("Tags") {
            let x = left.canonical(&tag_map(tags), Canon::Plain, "tags");
            let mut effective = terraform.default_tags.clone().unwrap_or(Value::Object(Map::new()));
            if let (Value::Object(all), Some(Value::Object(own))) = (&mut effective, b.props.get("tags")) {
                all.extend(own.clone());
            }
            let y = right.canonical(&effective, Canon::Plain, "tags");
            if x != y {
                out.push(finding("tags (Terraform: provider default_tags and the resource's own)", text(&x), text(&y)));
            }
        }
        for (target, resource) in [(Target::Cloudformation, a), (Target::Terraform, b)] {
            for property in unread(target, &a.ty, resource, allowed) {
                let (x, y) = match target {
                    Target::Cloudformation => {
                        (text(&resource.props[&property]), "(no row in the comparison table)".into())
                    }
                    Target::Terraform => ("(no row in the comparison table)".into(), text(&resource.props[&property])),
                };
                out.push(finding(&format!("{property} (not compared)"), x, y));
            }
        }
    }
    for (target, side) in [(Target::Cloudformation, cloudformation), (Target::Terraform, terraform)] {
        for resource in side.resources.iter().filter(|r| pairs.name(target, &r.id).is_none()) {
            let (x, y) = match target {
                Target::Cloudformation => (summary(resource), "(none)".to_string()),
                Target::Terraform => ("(none)".to_string(), summary(resource)),
            };
            out.push(Finding {
                app: app.to_string(),
                resource: resource.id.clone(),
                ty: resource.ty.clone(),
                property: "(resource in one target only)".into(),
                cloudformation: x,
                terraform: y,
            });
        }
    }
    out.extend(outputs(app, &left, &right));
    out.extend(aws_rules(app, &left));
    out.extend(aws_rules(app, &right));
    out
}

/// Top-level properties no row reads and no allowed difference explains.
fn unread(target: Target, ty: &str, resource: &Res, allowed: &Allowed) -> Vec<String> {
    let rows = table::rows(ty);
    let read: Vec<&str> = rows
        .iter()
        .flat_map(|r| match target {
            Target::Cloudformation => table::reads(&r.cloudformation),
            Target::Terraform => table::reads(&r.terraform),
        })
        .collect();
    let own_type = match target {
        Target::Cloudformation => ty.to_string(),
        Target::Terraform => TYPES.iter().find(|t| t.0 == ty).map_or(ty.to_string(), |t| t.1.to_string()),
    };
    let Some(props) = resource.props.as_object() else { return Vec::new() };
    props
        .keys()
        .filter(|k| !read.contains(&k.as_str()) && !matches!(k.as_str(), "Tags" | "tags"))
        .filter(|k| {
            !allowed.one_sided.iter().any(|(t, ty, p, _)| *t == target && (*ty == "*" || *ty == own_type) && p == k)
        })
        .cloned()
        .collect()
}

fn summary(resource: &Res) -> String {
    let mut props = resource.props.clone();
    if let Value::Object(map) = &mut props {
        map.remove("Tags");
    }
    let mut text = format!("{} {}", resource.ty, self::text(&props));
    if text.chars().count() > 300 {
        text = text.chars().take(300).collect::<String>() + "…";
    }
    text
}

/// CloudFormation's tags, as a list of `Key`/`Value` or as a map, as a map.
fn tag_map(tags: &Value) -> Value {
    match tags {
        Value::Array(items) => Value::Object(
            items.iter().filter_map(|t| Some((t.get("Key")?.as_str()?.to_string(), t.get("Value")?.clone()))).collect(),
        ),
        other => other.clone(),
    }
}

/// Outputs: the same values exported, each with the same description.
fn outputs(app: &str, left: &View, right: &View) -> Vec<Finding> {
    let read = |view: &View| -> Vec<(String, String)> {
        view.side
            .outputs
            .iter()
            .map(|(value, description)| {
                (text(&view.canonical(value, Canon::Plain, "output")), description.clone().unwrap_or_default())
            })
            .collect()
    };
    let (x, y) = (read(left), read(right));
    let mut out = Vec::new();
    let finding = |value: &str, a: String, b: String| Finding {
        app: app.to_string(),
        resource: format!("output {value}"),
        ty: "Outputs".into(),
        property: "description".into(),
        cloudformation: a,
        terraform: b,
    };
    for (value, description) in &x {
        match y.iter().find(|(v, _)| v == value) {
            Some((_, other)) if other != description => out.push(finding(value, description.clone(), other.clone())),
            Some(_) => {}
            None => out.push(Finding {
                property: "(output in one target only)".into(),
                ..finding(value, description.clone(), "(none)".into())
            }),
        }
    }
    // Terraform's outputs alone (deploy::outputs, `terraform_only`): a
    // custom domain's DNS target and a function URL's address, which
    // CloudFormation reads only by `Fn::GetAtt` of an API Gateway domain
    // name or an `AWS::Lambda::Url`, on which moto fails a whole stack.
    let terraform_only = |v: &str| v.ends_with(".dns_target}\"") || v.ends_with(".function_url}\"");
    for (value, description) in y.iter().filter(|(v, _)| !x.iter().any(|(w, _)| w == v) && !terraform_only(v)) {
        out.push(Finding {
            property: "(output in one target only)".into(),
            ..finding(value, "(none)".into(), description.clone())
        });
    }
    out
}

/// Names AWS refuses, whatever the other target says: SSM parameter names
/// beginning with `aws` or `ssm`; FIFO queue names that do not end `.fifo`
/// or are over 80 characters, or that CloudFormation generates (it appends
/// `.fifo` to a name of stack, logical id and suffix without cutting it);
/// two resources of one type with one physical name (names cut to AWS's
/// lengths carry a hash that two long names may share), within one API
/// for the parts of an API.
fn aws_rules(app: &str, view: &View) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for resource in &view.side.resources {
        let rows = table::rows(&resource.ty);
        let get = |property: &str| -> Option<Value> {
            let row = rows.iter().find(|r| r.property == property)?;
            view.said(row, &resource.props).map(|v| view.canonical(&v, Canon::Plain, property))
        };
        let name = get("name").and_then(|v| v.as_str().map(str::to_string));
        // A part of an API (its `api` row: a stage, an authorizer) is named
        // within that API: two REST APIs' stages are both `dev`.
        let scope = format!("{} {}", resource.ty, get("api").map(|api| text(&api)).unwrap_or_default());
        let twin = name.as_ref().and_then(|n| seen.iter().find(|(s, other, _)| *s == scope && other == n));
        let twin = twin.map(|(_, n, id)| format!("the physical name {n:?} is also {id}'s"));
        if let Some(n) = &name {
            seen.push((scope, n.clone(), resource.id.clone()));
        }
        let problem = twin.or_else(|| match (resource.ty.as_str(), &name) {
            ("AWS::SSM::Parameter", Some(name)) => {
                let bare = name.trim_start_matches('/').to_ascii_lowercase();
                (bare.starts_with("aws") || bare.starts_with("ssm"))
                    .then(|| format!("SSM refuses a parameter name beginning with aws or ssm: {name:?}"))
            }
            ("AWS::SQS::Queue", name) if get("fifo") == Some(Value::Bool(true)) => match name {
                None => {
                    Some("unnamed FIFO queue: the name CloudFormation generates is not cut to 80 characters".into())
                }
                Some(name) if !name.ends_with(".fifo") || name.chars().count() > 80 => Some(format!(
                    "SQS needs a FIFO queue name ending .fifo within 80 characters: {name:?} ({})",
                    name.chars().count()
                )),
                Some(_) => None,
            },
            _ => None,
        });
        if let Some(problem) = problem {
            let (x, y) = match view.target {
                Target::Cloudformation => (problem, "-".to_string()),
                Target::Terraform => ("-".to_string(), problem),
            };
            out.push(Finding {
                app: app.to_string(),
                resource: resource.id.clone(),
                ty: resource.ty.clone(),
                property: "(refused by AWS)".into(),
                cloudformation: x,
                terraform: y,
            });
        }
    }
    out
}

/// Two differing values as each one's part the other lacks, for lists
/// (sets, policies) and objects; whole otherwise.
fn difference(x: &Value, y: &Value, canon: Canon) -> (String, String) {
    match (x, y) {
        (Value::Array(a), Value::Array(b)) if matches!(canon, Canon::Set | Canon::Policy) => {
            let only = |a: &Vec<Value>, b: &Vec<Value>| -> Vec<String> {
                a.iter().filter(|i| !b.contains(i)).map(text).collect()
            };
            (format!("only here: [{}]", only(a, b).join(", ")), format!("only here: [{}]", only(b, a).join(", ")))
        }
        (Value::Object(a), Value::Object(b)) if canon == Canon::Policy || canon == Canon::Json => {
            let mut left = Vec::new();
            let mut right = Vec::new();
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let (p, q) = (a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null));
                if p != q {
                    let (p, q) = difference(p, q, canon);
                    left.push(format!("{key}: {p}"));
                    right.push(format!("{key}: {q}"));
                }
            }
            (left.join("; "), right.join("; "))
        }
        _ => (text(x), text(y)),
    }
}

/// A value as compact JSON with object keys sorted.
pub fn text(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    match value {
        Value::String(s) => format!("{s:?}"),
        other => sorted(other).to_string(),
    }
}
