//! VPC rules: network ids and counts, what needs a network (AWS-RULES.md §6).

use super::span_of;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Model, Resource, Val};

/// `mount` and `connect` to a proxy reach into a VPC (AWS-RULES.md §6).
pub fn needs_network(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    if function.attrs.reference("network").is_some() {
        return;
    }
    let Some(body) = &function.function else { return };
    let mounts = body.mounts.iter().map(|m| (m.span, "mounts a file system"));
    let proxies = body
        .accesses
        .iter()
        .filter(|a| model.resource(a.target).kind == "proxy")
        .map(|a| (a.span, "connects to a database proxy"));
    for (span, what) in mounts.chain(proxies) {
        out.push(
            Diagnostic::new(Code::NeedsNetwork, span, format!("`{}` {what} but has no `network`", function.name))
                .label("needs a VPC")
                .help("attach the function to the VPC: add `network = NAME` with a `network` block"),
        );
    }
}

/// `connect PROXY [as "user"]`: without a user the grant covers every
/// database user of the proxy (a warning); a user must be a plain name, and
/// only `connect` takes one.
pub fn database_users(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for access in &body.accesses {
        let target = model.resource(access.target);
        let connects = target.kind == "proxy" && access.verb == "connect";
        match &access.user {
            None if connects => out.push(
                Diagnostic::new(
                    Code::EveryDatabaseUser,
                    access.span,
                    format!("`connect {}` lets `{}` sign in as every database user", target.name, function.name),
                )
                .label("every user of the proxy")
                .help(format!("name the user the function signs in as: `connect {} as \"app_user\"`", target.name)),
            ),
            Some((_, span)) if !connects => out.push(
                Diagnostic::new(Code::BadDatabaseUser, *span, format!("`{}` takes no database user", access.verb))
                    .label("only `connect` to a proxy takes `as`")
                    .help("remove `as \"...\"`"),
            ),
            Some((user, span)) if !plain_user(user) => out.push(
                Diagnostic::new(Code::BadDatabaseUser, *span, format!("`{user}` is not a database user name"))
                    .label("not a plain name")
                    .help("1 to 63 letters, digits and `_`, starting with a letter or `_`; no wildcards"),
            ),
            _ => {}
        }
    }
}

/// 1 to 63 of `[A-Za-z0-9_]`, not starting with a digit.
fn plain_user(user: &str) -> bool {
    let first_ok = user.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && user.len() <= 63 && user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Subnet and security group ids, and their counts (AWS-RULES.md §6). An
/// input's value is known at deploy time and checked by its pattern; its
/// default, which a deployment may take, is checked here where written.
pub fn network_ids(model: &Model, network: &Resource, out: &mut Vec<Diagnostic>) {
    for (attr, prefix, max) in [("subnets", "subnet-", 16), ("security_groups", "sg-", 5)] {
        let (items, span) = match network.attrs.value(attr) {
            Some(Val::List(items)) => (items.clone(), span_of(network, attr)),
            Some(Val::Input(id)) => match (&model.input(*id).default, model.input(*id).default_span) {
                (Some(Val::List(items)), Some(at)) => (items.clone(), at),
                _ => continue,
            },
            _ => continue,
        };
        if items.is_empty() || items.len() > max {
            out.push(
                Diagnostic::new(
                    Code::BadNetwork,
                    span,
                    format!("`{attr}` needs 1 to {max} ids, found {}", items.len()),
                )
                .label("wrong count")
                .help(format!("list between 1 and {max} ids")),
            );
        }
        for item in &items {
            let (item, at) = match item {
                Val::Input(id) => match (&model.input(*id).default, model.input(*id).default_span) {
                    (Some(default), Some(at)) => (default, at),
                    _ => continue,
                },
                item => (item, span),
            };
            if !matches!(item, Val::Str(s) if is_aws_id(s, prefix)) {
                out.push(
                    Diagnostic::new(
                        Code::BadNetwork,
                        at,
                        format!("`{attr}` holds {}, which is not a `{prefix}…` id", item.describe()),
                    )
                    .label("invalid id")
                    .help(format!("write ids such as \"{prefix}0123456789abcdef0\"")),
                );
            }
        }
    }
}

fn is_aws_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|hex| matches!(hex.len(), 8 | 17) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One subnet means one Availability Zone: the function stops with it.
pub fn single_subnet(network: &Resource, out: &mut Vec<Diagnostic>) {
    if let Some(Val::List(subnets)) = network.attrs.value("subnets") {
        if subnets.len() == 1 {
            out.push(
                Diagnostic::new(
                    Code::SingleSubnet,
                    span_of(network, "subnets"),
                    "one subnet places the functions in one Availability Zone",
                )
                .label("a single subnet")
                .help("list a subnet in each of at least two Availability Zones"),
            );
        }
    }
}

/// At most one mount, at `/mnt/NAME` (AWS-RULES.md §6).
pub fn mounts(function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &function.function else { return };
    for mount in &body.mounts {
        let name = mount.path.strip_prefix("/mnt/").unwrap_or("");
        let ok = !name.is_empty()
            && mount.path.len() <= 160
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !ok {
            out.push(
                Diagnostic::new(Code::BadMount, mount.span, format!("`{}` is not a path Lambda can mount", mount.path))
                    .label("invalid mount path")
                    .help("mount under /mnt with one name of letters, digits, `-`, `_` and `.`: \"/mnt/data\""),
            );
        }
    }
    if let [first, second, ..] = body.mounts.as_slice() {
        out.push(
            Diagnostic::new(Code::BadMount, second.span, "a function mounts at most one file system")
                .label("second mount")
                .secondary(first.span, "first mount")
                .help("use one access point, or split the work over two functions"),
        );
    }
}

/// A VPC function reaches AWS services only through a NAT gateway or VPC
/// endpoints, which are outside the app.
pub fn vpc_services(model: &Model, function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(network) = function.attrs.reference("network") else { return };
    let Some(body) = &function.function else { return };
    let Some(first) =
        body.accesses.iter().find(|a| !matches!(model.resource(a.target).kind.as_str(), "proxy" | "filesystem"))
    else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::VpcNeedsEndpoints,
            first.span,
            format!("`{}` runs in a VPC and calls AWS services", function.name),
        )
        .label("reached through the VPC")
        .secondary(span_of(function, "network"), format!("attached to `{}` here", model.resource(network).name))
        .help("make sure the subnets route to a NAT gateway or have VPC endpoints for these services"),
    );
}
