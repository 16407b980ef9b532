//! What one statement reaches beyond the app's own resources, judged on
//! the output text alone. A new function's grants and invoke permissions
//! are new, not widened, unless they reach that far: this is what makes
//! them a `widen` hazard (docs/plan.md says the same rules in words).
//!
//! A grant reaches beyond the app when its action has a wildcard (`*`,
//! `s3:*`, `s3:Get*`), is an IAM, STS or Organizations action, or is an
//! AWS managed or customer policy other than the one Lambdaform attaches;
//! when its resource is `*` for an action AWS does not grant on `*` alone;
//! or when its resource is an ARN with a wildcard in its partition,
//! service, region or account, or where the resource's name begins
//! (`arn:aws:s3:::*`, `table/*`, `parameter/*`), unless a condition pins it
//! to named resources. An invoke permission reaches beyond the app when its
//! principal has a wildcard, when it has no source (any resource of that
//! service in any account may invoke), only a source account, or a source
//! ARN that reaches that far.

use super::snapshot::{as_list, canonical, Grant, Invoke};
use serde_json::Value;

/// Actions that have no resource type, which AWS grants on `*` alone, and
/// which Lambdaform writes on `*` (AWS-RULES.md §2b; the stdlib's
/// `resources = [any]` grants and the compiler's tracing and network
/// needs), lowercase. `tests/plan.rs` holds the stdlib to this list.
const STAR_ONLY: [&str; 25] = [
    "dynamodb:liststreams",
    "kinesis:liststreams",
    "xray:puttelemetryrecords",
    "xray:puttracesegments",
    "xray:getsamplingrules",
    "xray:getsamplingtargets",
    "xray:getsamplingstatisticsummaries",
    "ec2:assignprivateipaddresses",
    "ec2:createnetworkinterface",
    "ec2:deletenetworkinterface",
    "ec2:describenetworkinterfaces",
    "ec2:describesubnets",
    "ec2:unassignprivateipaddresses",
    // A state machine's log delivery (src/grants/principal.rs).
    "logs:createlogdelivery",
    "logs:deletelogdelivery",
    "logs:describeloggroups",
    "logs:describeresourcepolicies",
    "logs:getlogdelivery",
    "logs:listlogdeliveries",
    "logs:putresourcepolicy",
    "logs:updatelogdelivery",
    // A Task's callback (`respond`): the token names the Task.
    "states:sendtaskfailure",
    "states:sendtaskheartbeat",
    "states:sendtasksuccess",
    // A knowledge base's `retrieve_and_generate`: Retrieve keeps it to one.
    "bedrock:retrieveandgenerate",
];

/// The AWS managed policies Lambdaform attaches, each exactly a need
/// (a VPC function's network interfaces).
const KNOWN_POLICIES: [&str; 1] = ["service-role/AWSLambdaENIManagementAccess"];

/// Services whose actions decide who may do what.
const IDENTITY_SERVICES: [&str; 3] = ["iam", "sts", "organizations"];

/// Services whose ARNs give the resource's name right after the account,
/// with no resource type before it (`arn:aws:s3:::bucket/key`).
const UNTYPED: [&str; 4] = ["s3", "sqs", "sns", "execute-api"];

/// Whether AWS grants `action` on `*` alone.
pub fn star_only(action: &str) -> bool {
    STAR_ONLY.contains(&action.to_ascii_lowercase().as_str())
}

/// Why `grant`, held by the function named `function`, reaches beyond the
/// app; `None` when it does not.
pub fn grant(grant: &Grant, function: &str) -> Option<&'static str> {
    if let Some(policy) = grant.action.strip_prefix("policy:") {
        return (!KNOWN_POLICIES.contains(&policy)).then_some("a policy plan cannot read, on every resource");
    }
    if has_wildcard(&grant.action) {
        return Some("a wildcard action");
    }
    let service = grant.action.split(':').next().unwrap_or("").to_ascii_lowercase();
    if IDENTITY_SERVICES.contains(&service.as_str()) {
        return Some("an IAM, STS or Organizations action");
    }
    if grant.resource.chars().all(|c| c == '*') {
        return (!star_only(&grant.action)).then_some("every resource, for an action AWS grants on named ones");
    }
    if own_log_group(&grant.resource, function) || grant.condition.as_deref().is_some_and(pins) {
        return None;
    }
    arn(&grant.resource)
}

/// Why an invoke permission for a service reaches beyond the app; `None`
/// when it does not. Public and cross-account permissions are their own
/// hazard (`public-invoke`).
pub fn invoke(permission: &Invoke) -> Option<&'static str> {
    if has_wildcard(&permission.principal) {
        return Some("a wildcard principal");
    }
    match (&permission.source_arn, &permission.source_account) {
        (None, None) => Some("no source: any resource of that service, in any account, may invoke it"),
        (None, Some(_)) => Some("only a source account: any resource of that service in it may invoke it"),
        (Some(source), _) => arn(source),
    }
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// Why an ARN, a reference (`${Jobs.Arn}`) or `*` names more than the
/// app's resources.
pub fn arn(text: &str) -> Option<&'static str> {
    let literal = masked(text);
    if literal.is_empty() || literal.chars().all(|c| c == '*') {
        return literal.contains('*').then_some("every resource");
    }
    if literal.starts_with(REFERENCE) {
        // A reference to one resource, and what is under it.
        return None;
    }
    let parts: Vec<&str> = literal.splitn(6, ':').collect();
    let [scheme, partition, service, region, account, resource] = parts[..] else {
        return has_wildcard(&literal).then_some("a wildcard in something that is not an ARN");
    };
    if scheme != "arn" {
        return has_wildcard(&literal).then_some("a wildcard in something that is not an ARN");
    }
    if [partition, service, region, account].iter().any(|p| has_wildcard(p)) {
        return Some("a wildcard in its partition, service, region or account");
    }
    let prefix = resource.find('*').map(|star| &resource[..star])?;
    let named = if UNTYPED.contains(&service) { !prefix.is_empty() } else { !type_only(prefix) };
    (!named).then_some("a wildcard where the resource's name begins")
}

/// What a reference (`${...}`) becomes in [`masked`] text: one literal
/// character that is neither a wildcard nor a separator.
const REFERENCE: char = '\u{1}';

/// `text` with each `${...}` replaced by [`REFERENCE`]: a reference names
/// one thing, however its text reads.
fn masked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        out.push(REFERENCE);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether the text before an ARN's first `*` is at most its resource
/// type (`table/`, `log-group:`): nothing of a name.
fn type_only(prefix: &str) -> bool {
    match prefix.strip_suffix(['/', ':']) {
        Some(word) => word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        None => prefix.is_empty(),
    }
}

/// Whether `resource` is the function's own log group as Lambdaform writes
/// its log grant: `…:log-group:*aws*lambda*<function name>:log-stream:*`.
fn own_log_group(resource: &str, function: &str) -> bool {
    let literal = masked(resource);
    let parts: Vec<&str> = literal.splitn(6, ':').collect();
    let [_, _, "logs", _, _, resource] = parts[..] else { return false };
    let Some(group) = resource.strip_prefix("log-group:").and_then(|r| r.strip_suffix(":log-stream:*")) else {
        return false;
    };
    !function.is_empty()
        && group.strip_suffix(function).is_some_and(|before| before.ends_with(['*', '/']))
        && !has_wildcard(function)
}

/// Whether a condition (its JSON text) pins a grant to named resources:
/// every value it tests is an ARN or reference that reaches no further.
fn pins(condition: &str) -> bool {
    let Ok(Value::Object(operators)) = serde_json::from_str::<Value>(condition) else { return false };
    let mut values = operators
        .values()
        .filter_map(Value::as_object)
        .flat_map(|tests| tests.values())
        .flat_map(|value| as_list(Some(value)))
        .map(canonical)
        .peekable();
    values.peek().is_some()
        && values.all(|v| (v.starts_with("arn:") || v.starts_with("${")) && arn(&v).is_none() && !v.contains('*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant_of(action: &str, resource: &str) -> Grant {
        Grant { action: action.into(), resource: resource.into(), condition: None, sources: Vec::new(), why: None }
    }

    #[test]
    fn grants_that_reach_beyond_the_app() {
        let reaches = |action: &str, resource: &str| grant(&grant_of(action, resource), "shop-dev-worker").is_some();
        assert!(reaches("*", "arn:aws:sqs:eu-west-1:1:jobs"));
        assert!(reaches("s3:*", "arn:aws:s3:::uploads"));
        assert!(reaches("s3:Get*", "arn:aws:s3:::uploads"));
        assert!(reaches("iam:PassRole", "arn:aws:iam::1:role/deployer"));
        assert!(reaches("STS:AssumeRole", "arn:aws:iam::1:role/deployer"));
        assert!(reaches("organizations:ListAccounts", "arn:aws:organizations::1:account/o-1/2"));
        assert!(reaches("sqs:SendMessage", "*"));
        assert!(reaches("s3:PutObject", "arn:aws:s3:::*/*"));
        assert!(reaches("s3:PutObject", "arn:aws:s3:::*"));
        assert!(reaches("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:*"));
        assert!(reaches("sqs:SendMessage", "arn:aws:sqs:*:123456789012:jobs"));
        assert!(reaches("sqs:SendMessage", "arn:aws:sqs:eu-west-1:*:jobs"));
        assert!(reaches("ssm:GetParameters", "arn:aws:ssm:eu-west-1:1:parameter/*"));
        assert!(reaches("dynamodb:GetItem", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"));
        assert!(reaches("logs:PutLogEvents", "arn:aws:logs:eu-west-1:1:log-group:*"));
        assert!(reaches("logs:PutLogEvents", "arn:aws:logs:eu-west-1:1:log-group:*aws*lambda*other-app:log-stream:*"));
        assert!(reaches("policy:AdministratorAccess", "*"));
    }

    /// Every stdlib grant on `any` is an action AWS grants on `*` alone,
    /// so that `plan` does not call the stdlib's own grants widenings.
    #[test]
    fn the_stdlib_grants_on_star_only_what_aws_grants_there() {
        let (kinds, _) = crate::stdlib::load(&mut crate::source::Sources::default());
        for kind in kinds.all() {
            let verbs = kind.verbs.iter().flat_map(|v| &v.grants);
            let triggers = kind.trigger.iter().flat_map(|t| &t.grants);
            for def in verbs.chain(triggers).filter(|g| g.resources.iter().any(|r| r.as_str() == "any")) {
                for action in &def.actions {
                    assert!(star_only(action.as_str()), "{} of {}: add it to STAR_ONLY", action.as_str(), kind.name);
                }
            }
        }
    }

    #[test]
    fn grants_on_the_apps_own_resources() {
        let reaches = |action: &str, resource: &str| grant(&grant_of(action, resource), "shop-dev-worker").is_some();
        assert!(!reaches("dynamodb:ListStreams", "*"));
        assert!(!reaches("xray:PutTraceSegments", "*"));
        assert!(!reaches("policy:service-role/AWSLambdaENIManagementAccess", "*"));
        assert!(!reaches("dynamodb:Query", "${OrdersTable.Arn}/index/*"));
        assert!(!reaches(
            "s3:GetObject",
            "arn:${AWS::Partition}:s3:::shop-dev-uploads-${AWS::AccountId}-${AWS::Region}/*"
        ));
        assert!(!reaches("s3:GetObject", "${aws_s3_bucket.uploads.arn}/*"));
        assert!(!reaches("sqs:SendMessage", "arn:aws:sqs:eu-west-1:210987654321:partner-*"));
        assert!(!reaches("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:1:function:shop-dev-thumbnail:*"));
        assert!(!reaches("rds-db:connect", "arn:aws:rds-db:eu-west-1:1:dbuser:prx-0123456789abcdef0/*"));
        let logs = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*aws*lambda*shop-dev-worker:log-stream:*";
        assert!(!reaches("logs:PutLogEvents", logs));
        // A dedicated stream consumer's ARN, as each target refers to it.
        assert!(!reaches("kinesis:SubscribeToShard", "${CountClicksClicksConsumer.ConsumerARN}"));
        assert!(!reaches("kinesis:DescribeStreamConsumer", "${aws_kinesis_stream_consumer.count_clicks_clicks.arn}"));
        let mut mount =
            grant_of("elasticfilesystem:ClientMount", "arn:aws:elasticfilesystem:eu-west-1:1:file-system/*");
        assert!(grant(&mount, "f").is_some(), "every file system");
        mount.condition = Some(r#"{"ArnEquals":{"elasticfilesystem:AccessPointArn":"arn:aws:elasticfilesystem:eu-west-1:1:access-point/fsap-1"}}"#.into());
        assert!(grant(&mount, "f").is_none(), "pinned to one access point");
        mount.condition = Some(r#"{"Bool":{"aws:SecureTransport":"true"}}"#.into());
        assert!(grant(&mount, "f").is_some(), "a condition that names nothing pins nothing");
    }

    #[test]
    fn invoke_permissions_that_reach_beyond_the_app() {
        let permission = |principal: &str, arn: Option<&str>, account: Option<&str>| Invoke {
            principal: principal.into(),
            source_arn: arn.map(String::from),
            source_account: account.map(String::from),
            sources: Vec::new(),
            url: None,
        };
        assert!(invoke(&permission("s3.amazonaws.com", None, None)).is_some());
        assert!(invoke(&permission("s3.amazonaws.com", None, Some("123456789012"))).is_some());
        assert!(invoke(&permission("*.amazonaws.com", Some("arn:aws:sns:eu-west-1:1:alerts"), None)).is_some());
        assert!(invoke(&permission("s3.amazonaws.com", Some("arn:aws:s3:::*"), None)).is_some());
        assert!(invoke(&permission("sns.amazonaws.com", Some("arn:aws:sns:eu-west-1:1:*"), None)).is_some());
        assert!(invoke(&permission("sns.amazonaws.com", Some("${AlertsTopic}"), None)).is_none());
        let api = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${PublicApi}/*/POST/orders";
        assert!(invoke(&permission("apigateway.amazonaws.com", Some(api), None)).is_none());
        assert!(invoke(&permission("s3.amazonaws.com", Some("arn:aws:s3:::partner-drop-zone"), None)).is_none());
    }
}
