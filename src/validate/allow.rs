//! `allow invoke from ...`: the extra statements of a function's resource
//! policy. An account is a 12-digit id; a service is one of the principals
//! that invoke Lambda (`principals.rs`), never a pattern, limited to one
//! resource of its service by `source` wherever AWS can limit it
//! (AWS-RULES.md §3: without `SourceArn`, any resource of the service, in
//! any account, may invoke).

use super::principals::{self, Limit};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Allow, AllowPrincipal, Model, Resource, Text, Val};
use crate::resolve::arn;
use crate::resolve::{closest, is_account, is_region};
use crate::source::Span;

/// The principal to check and where it is written: as written, or with an
/// input's default in its place (a deployment that takes the default must
/// get a valid principal); `None` for an input without a default.
fn literal_principal(model: &Model, allow: &Allow) -> Option<(AllowPrincipal, Span)> {
    let literal = |text: &Text| match text {
        Text::Literal(s) => Some((Text::Literal(s.clone()), allow.principal_span)),
        Text::Input(id) => match (&model.input(*id).default, model.input(*id).default_span) {
            (Some(Val::Str(s)), Some(span)) => Some((Text::Literal(s.clone()), span)),
            _ => None,
        },
    };
    Some(match &allow.principal {
        AllowPrincipal::Account(t) => literal(t).map(|(t, at)| (AllowPrincipal::Account(t), at))?,
        AllowPrincipal::Role(t) => literal(t).map(|(t, at)| (AllowPrincipal::Role(t), at))?,
        AllowPrincipal::Organization(t) => literal(t).map(|(t, at)| (AllowPrincipal::Organization(t), at))?,
        service => (service.clone(), allow.principal_span),
    })
}

pub fn principals(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for allow in &body.allows {
        // An input's value is checked through its default, where written.
        let Some((principal, at)) = literal_principal(model, allow) else { continue };
        let allow = &Allow { principal: principal.clone(), principal_span: at, ..allow.clone() };
        match &principal {
            AllowPrincipal::Account(Text::Literal(id)) if !is_account(id) => out.push(
                Diagnostic::new(Code::BadAllow, allow.principal_span, format!("`{id}` is not a 12-digit account id"))
                    .label("invalid account")
                    .help("write `allow invoke from account \"123456789012\"`"),
            ),
            AllowPrincipal::Role(Text::Literal(arn)) if !is_role_arn(arn) => out.push(
                Diagnostic::new(
                    Code::BadAllow,
                    allow.principal_span,
                    format!("`{arn}` is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)"),
                )
                .label("invalid role")
                .help("write `allow invoke from role \"arn:aws:iam::123456789012:role/NAME\"`, with no wildcard"),
            ),
            AllowPrincipal::Organization(Text::Literal(id)) if !is_organization_id(id) => out.push(
                Diagnostic::new(
                    Code::BadAllow,
                    allow.principal_span,
                    format!("`{id}` is not an AWS Organization id (`o-` and 10 to 32 lowercase letters or digits)"),
                )
                .label("invalid organization")
                .help("write `allow invoke from organization \"o-abcdefghij\"`"),
            ),
            AllowPrincipal::Account(_) | AllowPrincipal::Role(_) | AllowPrincipal::Organization(_) => {}
            AllowPrincipal::Service { service, source } => out.extend(service_problem(allow, service, source)),
        }
    }
}

fn service_problem(allow: &Allow, service: &str, source: &Option<String>) -> Option<Diagnostic> {
    let Some(principal) = principals::find(service) else {
        return Some(unknown_principal(service, allow.principal_span));
    };
    match (principal.limit, source, allow.source_span) {
        (Limit::Token { what }, _, _) => Some(
            Diagnostic::new(
                Code::AllowWithoutSource,
                allow.principal_span,
                format!("`{service}` is limited to one caller by {what}, which Lambdaform does not write"),
            )
            .label("any caller of this service")
            .help(format!(
                "without it, every caller of the service may invoke the function; grant it outside Lambdaform, with `aws lambda add-permission --principal {service} --event-source-token` and {what}"
            )),
        ),
        (Limit::SourceArn { what, .. }, None, _) => Some(
            Diagnostic::new(
                Code::AllowWithoutSource,
                allow.span,
                format!("without a source, any resource of `{service}`, in any account, may invoke the function"),
            )
            .label("no source")
            .help(format!("add `source \"ARN\"` with {what}")),
        ),
        (Limit::SourceArn { service: wanted, what }, Some(arn), span) => {
            source_problem(service, arn, wanted, what, span.unwrap_or(allow.span))
        }
    }
}

fn unknown_principal(service: &str, span: Span) -> Diagnostic {
    let d = if arn::has_wildcard(service) {
        Diagnostic::new(Code::UnknownServicePrincipal, span, format!("`{service}` is a pattern, not one service"))
            .label("wildcard principal")
    } else {
        Diagnostic::new(
            Code::UnknownServicePrincipal,
            span,
            format!("`{service}` is not an AWS service principal that invokes Lambda"),
        )
        .label("unknown service principal")
    };
    let full = principals::find(&format!("{service}.amazonaws.com")).map(|p| p.name);
    let close = full.or_else(|| closest(service, principals::PRINCIPALS.iter().map(|p| p.name)));
    match close {
        Some(close) if !arn::has_wildcard(service) => d.help(format!("did you mean `{close}`?")),
        _ => d.help(
            "name the one service that invokes the function, such as `events.amazonaws.com` or `s3.amazonaws.com`",
        ),
    }
}

/// The source must be the ARN of one resource of the principal's service.
fn source_problem(principal: &str, source: &str, wanted: &str, what: &str, span: Span) -> Option<Diagnostic> {
    let bad = |message: String| {
        Some(
            Diagnostic::new(Code::BadAllowSource, span, message)
                .label("not one resource")
                .help(format!("give {what}, exactly: `{principal}` may then invoke for that one resource only")),
        )
    };
    let Some(parts) = arn::split(source) else {
        return bad(format!("`{source}` is not an ARN"));
    };
    if !arn::is_partition(parts.partition) {
        return Some(
            Diagnostic::new(Code::UnknownPartition, span, format!("`{}` is not an AWS partition", parts.partition))
                .label("unknown partition")
                .help(format!("the partitions are {}", arn::PARTITIONS.join(", "))),
        );
    }
    if parts.service != wanted {
        return bad(format!("`{source}` is an ARN of {}, not {what} ({wanted})", parts.service));
    }
    let wild_fields = [parts.region, parts.account].iter().any(|f| arn::has_wildcard(f));
    let wild_resource = arn::has_wildcard(parts.resource) && !principals::wildcard_stays_inside(wanted, parts.resource);
    if wild_fields || wild_resource {
        return bad(format!("`{source}` is a pattern: it matches many resources"));
    }
    let global = wanted == "s3";
    let fields_fit = if global {
        parts.region.is_empty() && parts.account.is_empty()
    } else {
        is_region(parts.region) && is_account(parts.account)
    };
    if !fields_fit || parts.resource.is_empty() {
        let fields = if global { "no region and no account" } else { "a region and a 12-digit account" };
        return bad(format!("`{source}` is not {what}: {wanted} ARNs have {fields}"));
    }
    None
}

/// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`, no wildcard (IAM role names:
/// letters, digits and `+=,.@_-`, paths of the same and `/`).
fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts.as_slice() else { return false };
    let name = resource.strip_prefix("role/").unwrap_or("");
    let name_ok = !name.is_empty()
        && !name.ends_with('/')
        && name.len() <= 512
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c));
    arn.starts_with("arn:")
        && partition.starts_with("aws")
        && *service == "iam"
        && region.is_empty()
        && is_account(account)
        && name_ok
}

/// `o-` and 10 to 32 lowercase letters or digits (AWS Organizations).
fn is_organization_id(id: &str) -> bool {
    id.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len()) && rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}
