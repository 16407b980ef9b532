//! `existing KIND NAME = "ARN or name"`: the one resource the app wires to
//! without creating it. Its grants are written on exactly what the string
//! names, so the string must name one resource: no wildcard, a partition
//! AWS has, and the region and account the service's ARNs carry. Its fields
//! are read from that string alone (`model::Existing::field`): a field the
//! string does not hold is refused where it is read.

use super::arn::{self, Parts};
use super::{a, is_account, is_region, Scope};
use crate::ast::{Ident, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Existing, Resource, ResourceId};
use crate::source::{FileId, Span};
use crate::stdlib::KindDef;

/// Why a string is not the ARN of one resource of the kind.
enum Problem {
    /// Another service or resource type, or malformed fields.
    Form,
    Partition(String),
    /// The empty fields the service's ARNs fill: `region`, `account` or both.
    Missing(&'static str),
}

impl Scope<'_> {
    pub(super) fn existing(&mut self, kind: &KindDef, kind_ident: &Ident, target: &Value) -> Option<Existing> {
        if !matches!(&target.kind, ValueKind::String(_) | ValueKind::Reference(_, None)) {
            return None;
        }
        if !kind.existable || kind.arn.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(Code::NotExistable, kind_ident.span, format!("{} cannot be `existing`", a(&kind.name)))
                    .label("declared by the app only")
                    .help(format!("declare it as `{} NAME {{ ... }}`", kind.name)),
            );
            return None;
        }
        match &target.kind {
            ValueKind::String(literal) => match literal_existing(kind, literal, target.span) {
                Ok(existing) => Some(existing),
                Err(d) => {
                    self.diagnostics.push(*d);
                    None
                }
            },
            ValueKind::Reference(name, _) => self.existing_input(kind, name, target.span),
            _ => None,
        }
    }
}

/// The existing resource `literal` names, or why it names none.
pub(super) fn literal_existing(kind: &KindDef, literal: &str, span: Span) -> Result<Existing, Box<Diagnostic>> {
    if arn::has_wildcard(literal) {
        return Err(Box::new(wildcard(kind, literal, span)));
    }
    let existing = if literal.starts_with("arn:") {
        parse_arn(literal, kind)
    } else if kind.by_name
        && !literal.is_empty()
        && (!literal.contains(':') || super::kind_names::named_whole(&kind.name))
    {
        Ok(arn_from_name(literal, kind))
    } else {
        Err(Problem::Form)
    };
    let existing = existing.map(|existing| Existing { span, ..existing }).map_err(|problem| {
        Box::new(match problem {
            Problem::Form => not_an_arn_of(kind, span),
            Problem::Partition(partition) => unknown_partition(&partition, span),
            Problem::Missing(fields) => missing_fields(kind, literal, fields, span),
        })
    })?;
    match super::kind_names::refused(&kind.name, &existing.name) {
        Some(help) => Err(Box::new(refused_name(kind, &existing.name, help, span))),
        None => Ok(existing),
    }
}

fn refused_name(kind: &KindDef, name: &str, help: String, span: Span) -> Diagnostic {
    Diagnostic::new(Code::ExistingNameRefused, span, format!("`{name}` is not the name of {}", a(&kind.name)))
        .label(format!("AWS does not accept this {} name", kind.name))
        .help(help)
}

fn parse_arn(literal: &str, kind: &KindDef) -> Result<Existing, Problem> {
    let (Some(parts), Some(template)) = (arn::split(literal), arn::split(&kind.arn)) else {
        return Err(Problem::Form);
    };
    let rest = parts.resource.strip_prefix(kind.resource_prefix()).unwrap_or("");
    let region_fits = fits(parts.region, template.region, is_region);
    let account_fits = fits(parts.account, template.account, is_account);
    if parts.service != kind.service() || rest.is_empty() || !region_fits || !account_fits {
        return Err(Problem::Form);
    }
    if !arn::is_partition(parts.partition) {
        return Err(Problem::Partition(parts.partition.to_string()));
    }
    if let Some(fields) = missing(&parts, &template) {
        return Err(Problem::Missing(fields));
    }
    // An existing table given by its stream's ARN: the table is the part
    // before `/stream/`.
    let (table_arn, stream_arn) = match (kind.name.as_str(), literal.find("/stream/")) {
        ("table", Some(at)) if at + "/stream/".len() < literal.len() => (&literal[..at], Some(literal.to_string())),
        _ => (literal, None),
    };
    let rest = &rest[..rest.len() - (literal.len() - table_arn.len())];
    Ok(Existing {
        literal: literal.to_string(),
        arn: table_arn.to_string(),
        stream_arn,
        input: None,
        partition: parts.partition.to_string(),
        region: parts.region.to_string(),
        account: parts.account.to_string(),
        id: if super::kind_names::named_whole(&kind.name) {
            rest
        } else {
            rest.rsplit([':', '/']).next().unwrap_or(rest)
        }
        .to_string(),
        name: name_in_arn(&kind.name, rest),
        span: Span::new(FileId(0), 0, 0),
    })
}

/// The name of a `kind` resource from `rest`, the part of its ARN the
/// kind's `${name}` stands for: a function's without the qualifier of an
/// alias or version (`function:orders:live`), an SSM parameter's path with
/// the leading `/` its ARN drops (`parameter/shop/flags` is `/shop/flags`);
/// otherwise the last part.
fn name_in_arn(kind: &str, rest: &str) -> String {
    match kind {
        "function" => rest.split(':').next().unwrap_or(rest).to_string(),
        "parameter" if rest.contains('/') => format!("/{rest}"),
        kind if super::kind_names::named_whole(kind) => rest.to_string(),
        _ => rest.rsplit([':', '/']).next().unwrap_or(rest).to_string(),
    }
}

/// A field is empty where the template has none, and valid (or empty,
/// reported as missing) where it has one.
fn fits(value: &str, template: &str, valid: fn(&str) -> bool) -> bool {
    if template.is_empty() {
        value.is_empty()
    } else {
        value.is_empty() || valid(value)
    }
}

/// The fields the service's ARNs fill that this one leaves empty.
fn missing(parts: &Parts, template: &Parts) -> Option<&'static str> {
    let region = parts.region.is_empty() && !template.region.is_empty();
    let account = parts.account.is_empty() && !template.account.is_empty();
    match (region, account) {
        (true, true) => Some("region and account"),
        (true, false) => Some("region"),
        (false, true) => Some("account"),
        (false, false) => None,
    }
}

/// The ARN of an existing resource given by name; a name that starts with `/`
/// (an SSM parameter path) takes the place of the template's `/`.
fn arn_from_name(name: &str, kind: &KindDef) -> Existing {
    let template = if name.starts_with('/') { kind.arn.replace("/${name}", "${name}") } else { kind.arn.clone() };
    Existing {
        literal: name.to_string(),
        arn: template.replace("${name}", name),
        partition: "${partition}".into(),
        region: "${region}".into(),
        account: "${account}".into(),
        id: name.to_string(),
        name: name.to_string(),
        stream_arn: None,
        input: None,
        span: Span::new(FileId(0), 0, 0),
    }
}

/// The ARN with its empty fields named, as help shows it.
fn filled(literal: &str) -> String {
    let Some(parts) = arn::split(literal) else { return literal.to_string() };
    let or =
        |value: &str, placeholder: &str| if value.is_empty() { placeholder.to_string() } else { value.to_string() };
    format!(
        "arn:{}:{}:{}:{}:{}",
        parts.partition,
        parts.service,
        or(parts.region, "REGION"),
        or(parts.account, "ACCOUNT"),
        parts.resource
    )
}

fn wildcard(kind: &KindDef, literal: &str, span: Span) -> Diagnostic {
    let what = if kind.by_name { "name or ARN" } else { "ARN" };
    Diagnostic::new(Code::ExistingWildcard, span, format!("`{literal}` names every {} it matches, not one", kind.name))
        .label("wildcard")
        .help(format!(
            "give the exact {what} of one {}: the function is granted on exactly what `existing` names",
            kind.name
        ))
}

fn not_an_arn_of(kind: &KindDef, span: Span) -> Diagnostic {
    let form = kind.arn.replace("${partition}", "aws");
    let help = if kind.by_name {
        format!("give an ARN of the form `{form}`, or the {}'s name", kind.name)
    } else {
        format!("give an ARN of the form `{form}`")
    };
    let message = match kind.resource_prefix() {
        "" => format!("this is not the ARN of {} ({})", a(&kind.name), kind.service()),
        prefix => format!("this is not the ARN of {} ({} `{prefix}`)", a(&kind.name), kind.service()),
    };
    Diagnostic::new(Code::BadExistingArn, span, message).label("not a matching ARN").help(help)
}

fn unknown_partition(partition: &str, span: Span) -> Diagnostic {
    let message = match partition {
        "" => "this ARN has no partition".to_string(),
        _ => format!("`{partition}` is not an AWS partition"),
    };
    Diagnostic::new(Code::UnknownPartition, span, message)
        .label("unknown partition")
        .help(format!("the partitions are {}", arn::PARTITIONS.join(", ")))
}

fn missing_fields(kind: &KindDef, literal: &str, fields: &'static str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::ArnMissingField, span, format!("this {} ARN has no {fields}", kind.service()))
        .label(format!("empty {fields}"))
        .help(format!("write the resource's {fields} into the ARN: `{}`", filled(literal)))
}

/// The reads of existing resources' fields (`orders.stream_arn`, at the
/// field's span) that the ARN or name the app gave does not hold, or that
/// an input gives the ARN of: both outputs write a field's value from that
/// string, and CloudFormation has nothing to look one up with.
pub fn refused_reads(resources: &[Resource], reads: &[(ResourceId, String, Span)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, field, span) in reads {
        out.extend(refused(&resources[id.0 as usize], field, *span));
    }
    out
}

/// Why a read of `field` of an existing resource (`at`, the field) is
/// refused: the ARN is an input (LF1045), or does not hold the field
/// (LF3036, LF1066). `None` for a resource the app creates.
pub(crate) fn refused(resource: &Resource, field: &str, at: Span) -> Option<Diagnostic> {
    let existing = resource.existing.as_deref()?;
    if readable(resource, field) {
        return None;
    }
    if existing.input.is_some() {
        return Some(super::inputs::field_of_input_arn(&resource.kind, &resource.name, field, at));
    }
    Some(match (resource.kind.as_str(), field) {
        ("table", "stream_arn") => stream_not_given(&resource.name, existing, at, "the stream's ARN is not given"),
        (_, "arn") => arn_of_a_name(resource, existing, at),
        _ => not_in_the_arn(resource, existing, field, at),
    })
}

/// Whether `field` of a resource may be read: any field of one the app
/// creates; of an existing one, what the ARN (or name) the app gave holds,
/// and only the ARN of one given by an input.
pub(crate) fn readable(resource: &Resource, field: &str) -> bool {
    match resource.existing.as_deref() {
        None => true,
        Some(existing) if existing.input.is_some() => field == "arn",
        Some(existing) => existing.field(&resource.kind, field).is_some(),
    }
}

/// LF3036: an existing table's stream is needed (a trigger, a read of
/// `stream_arn`), and its ARN ends in a label only AWS knows: the app must
/// give the stream's ARN.
pub(crate) fn stream_not_given(table: &str, existing: &Existing, at: Span, label: &str) -> Diagnostic {
    let arn = if existing.arn.starts_with("arn:") && !existing.arn.contains("${") {
        existing.arn.clone()
    } else {
        format!("arn:aws:dynamodb:REGION:ACCOUNT:table/{}", existing.id)
    };
    Diagnostic::new(
        Code::ExistingTableStreamUnknown,
        at,
        format!("the stream of the existing table `{table}` is not known"),
    )
    .label(label)
    .secondary(existing.span, "the table's ARN, not its stream's")
    .help(format!(
        "give the stream's ARN instead: `existing table {table} = \"{arn}/stream/LABEL\"` \
             (`aws dynamodb describe-table --table-name {} --query Table.LatestStreamArn`)",
        existing.id
    ))
}

/// LF1066: the ARN of an existing resource given by name, where AWS ends
/// the ARN with characters of its own (a secret's `-??????`): the grants
/// use it as a pattern, but as a value it names nothing.
fn arn_of_a_name(resource: &Resource, existing: &Existing, at: Span) -> Diagnostic {
    let name = &resource.name;
    Diagnostic::new(
        Code::ExistingFieldUnknown,
        at,
        format!("the ARN of the existing {} `{name}` is not known: it is given by name", resource.kind),
    )
    .label("known only as a pattern")
    .secondary(existing.span, format!("the name; AWS ends its ARN in characters of its own ({})", existing.arn))
    .help(format!(
        "give the full ARN instead of the name (`aws secretsmanager describe-secret --secret-id {0} --query ARN`), \
         or write the name itself, `\"{0}\"`, which Secrets Manager's `SecretId` also takes",
        existing.literal
    ))
}

/// LF1066: a field of a declared kind's existing resource, which its ARN
/// does not hold.
fn not_in_the_arn(resource: &Resource, existing: &Existing, field: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ExistingFieldUnknown,
        at,
        format!("`{}.{field}` is not in the ARN of the existing {} `{}`", resource.name, resource.kind, resource.name),
    )
    .label("not known when the app is built")
    .secondary(existing.span, "the ARN given")
    .help(format!(
        "an existing resource's fields come from its ARN: `{0}.arn`, and `{0}.name` where its kind has one; \
         write the value of `{field}` as a string, or give it as an input",
        resource.name
    ))
}
