//! The AWS service principals an `allow invoke from service` may name, as
//! data: each with the service whose ARN limits it (`SourceArn`). Sources:
//! AWS-RULES.md §3, the Lambda developer guide's invoking services, the
//! CloudWatch guide (alarms invoke as `lambda.alarms.cloudwatch...`), and
//! cfn-lint's principal-to-source table (permission_principal.json).

/// How a permission for the principal is limited to one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// By `SourceArn`: the ARN of one resource of this service.
    SourceArn { service: &'static str, what: &'static str },
    /// By an event source token (Alexa's skill id), which Lambdaform does
    /// not write: such a permission would let any skill invoke.
    Token { what: &'static str },
}

/// A service principal and how it is limited.
pub struct ServicePrincipal {
    pub name: &'static str,
    pub limit: Limit,
}

const fn arn(name: &'static str, service: &'static str, what: &'static str) -> ServicePrincipal {
    ServicePrincipal { name, limit: Limit::SourceArn { service, what } }
}

pub const PRINCIPALS: &[ServicePrincipal] = &[
    arn("apigateway.amazonaws.com", "execute-api", "an API's execute-api ARN"),
    arn("appsync.amazonaws.com", "appsync", "a GraphQL API's ARN"),
    arn("bedrock.amazonaws.com", "bedrock", "an agent's ARN"),
    arn("cloudformation.amazonaws.com", "cloudformation", "a stack's ARN"),
    arn("cloudwatch.amazonaws.com", "cloudwatch", "an alarm's ARN"),
    arn("codecommit.amazonaws.com", "codecommit", "a repository's ARN"),
    arn("cognito-idp.amazonaws.com", "cognito-idp", "a user pool's ARN"),
    arn("config.amazonaws.com", "config", "a Config rule's ARN"),
    arn("connect.amazonaws.com", "connect", "an instance's ARN"),
    arn("elasticloadbalancing.amazonaws.com", "elasticloadbalancing", "a target group's ARN"),
    arn("events.amazonaws.com", "events", "a rule's ARN"),
    arn("firehose.amazonaws.com", "firehose", "a delivery stream's ARN"),
    arn("iot.amazonaws.com", "iot", "a topic rule's ARN"),
    arn("iotevents.amazonaws.com", "iotevents", "a detector model's ARN"),
    arn("kafka.amazonaws.com", "kafka", "a cluster's ARN"),
    arn("lambda.alarms.cloudwatch.amazonaws.com", "cloudwatch", "an alarm's ARN"),
    arn("lex.amazonaws.com", "lex", "a bot alias's ARN"),
    arn("logs.amazonaws.com", "logs", "a log group's ARN"),
    arn("s3.amazonaws.com", "s3", "a bucket's ARN"),
    arn("scheduler.amazonaws.com", "scheduler", "a schedule's ARN"),
    arn("secretsmanager.amazonaws.com", "secretsmanager", "a secret's ARN"),
    arn("ses.amazonaws.com", "ses", "a receipt rule's ARN"),
    arn("sns.amazonaws.com", "sns", "a topic's ARN"),
    arn("sqs.amazonaws.com", "sqs", "a queue's ARN"),
    arn("states.amazonaws.com", "states", "a state machine's ARN"),
    arn("vpc-lattice.amazonaws.com", "vpc-lattice", "a target group's ARN"),
    ServicePrincipal { name: "alexa-appkit.amazon.com", limit: Limit::Token { what: "a skill id" } },
    ServicePrincipal { name: "alexa-connectedhome.amazon.com", limit: Limit::Token { what: "a skill id" } },
];

/// The principal named `name`; CloudWatch Logs also takes its regional
/// form, `logs.REGION.amazonaws.com`.
pub fn find(name: &str) -> Option<&'static ServicePrincipal> {
    let regional_logs = name
        .strip_prefix("logs.")
        .and_then(|rest| rest.strip_suffix(".amazonaws.com"))
        .is_some_and(crate::resolve::is_region);
    let name = if regional_logs { "logs.amazonaws.com" } else { name };
    PRINCIPALS.iter().find(|p| p.name == name)
}

/// Where a wildcard in a source ARN's resource stays inside one resource:
/// after an API's id (`API/STAGE/METHOD/PATH`, stage and method may be
/// `*`), and a log group's trailing `:*` (its streams), as AWS documents
/// them. Elsewhere a wildcard matches many resources.
pub fn wildcard_stays_inside(service: &str, resource: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?']);
    match service {
        "execute-api" => resource.split_once('/').is_some_and(|(api, _)| !api.is_empty() && !wild(api)),
        "logs" => resource
            .strip_prefix("log-group:")
            .and_then(|rest| rest.strip_suffix(":*"))
            .is_some_and(|group| !group.is_empty() && !wild(group)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_unique_and_real_names() {
        for (i, p) in PRINCIPALS.iter().enumerate() {
            assert!(PRINCIPALS[..i].iter().all(|q| q.name != p.name), "{} twice", p.name);
            assert!(p.name.ends_with(".amazonaws.com") || p.name.ends_with(".amazon.com"), "{}", p.name);
            assert!(!p.name.contains(['*', '?', ' ']), "{}", p.name);
        }
        assert!(find("logs.eu-west-1.amazonaws.com").is_some());
        assert!(find("logs.*.amazonaws.com").is_none());
        assert!(find("*.amazonaws.com").is_none());
    }

    #[test]
    fn wildcards_inside_one_resource_only() {
        assert!(wildcard_stays_inside("execute-api", "a1b2c3/*/GET/orders"));
        assert!(!wildcard_stays_inside("execute-api", "*/prod/GET/orders"));
        assert!(wildcard_stays_inside("logs", "log-group:/aws/app:*"));
        assert!(!wildcard_stays_inside("logs", "log-group:*"));
        assert!(!wildcard_stays_inside("logs", "log-group:/aws/*:*"));
        assert!(!wildcard_stays_inside("s3", "*"));
    }
}
