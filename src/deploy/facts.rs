//! The AWS facts both outputs print: unit conversions, log retention, the
//! access-log line of an api, how a created secret's value is generated,
//! and the provenance text that traces a resource back to the source.

use super::resource::{Part, Value};
use crate::source::{Sources, Span};
use std::path::Path;

/// The CloudWatch Logs retention, in days, that keeps events at least
/// `seconds`: the smallest of the values CloudWatch accepts.
pub fn retention_days(seconds: i64) -> i64 {
    const ALLOWED: [i64; 22] =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
    let days = (seconds.max(1) + 86_399) / 86_400;
    ALLOWED.iter().copied().find(|d| *d >= days).unwrap_or(3653)
}

/// How long an api's access logs are kept: an api has no attribute for it.
/// (A function's and a state machine's logs: their `log_retention`,
/// whose default is the stdlib's, `defaults`.)
pub const DEFAULT_LOG_RETENTION: i64 = 30 * 86_400;

/// The unit an AWS property counts a duration in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl Unit {
    /// The unit of a property, from its CloudFormation name
    /// (`RetentionPeriodHours`); seconds when the name says none.
    pub fn of_property(cloudformation: &str) -> Unit {
        [("Days", Unit::Days), ("Hours", Unit::Hours), ("Minutes", Unit::Minutes)]
            .into_iter()
            .find(|(suffix, _)| cloudformation.ends_with(suffix))
            .map_or(Unit::Seconds, |(_, unit)| unit)
    }

    fn seconds(self) -> i64 {
        match self {
            Unit::Seconds => 1,
            Unit::Minutes => 60,
            Unit::Hours => 3_600,
            Unit::Days => 86_400,
        }
    }

    /// `seconds` in this unit, rounded up: a retention or a timeout is
    /// never shorter than the app asked (`1530m` is 26 hours).
    pub fn count(self, seconds: i64) -> i64 {
        let unit = self.seconds();
        (seconds.max(0) + unit - 1) / unit
    }
}

/// One JSON line per request: who called what and how it went (API
/// Gateway's `$context` variables), in this order in both outputs.
pub const ACCESS_LOG_FIELDS: [(&str, &str); 10] = [
    ("requestId", "$context.requestId"),
    ("requestTime", "$context.requestTime"),
    ("ip", "$context.identity.sourceIp"),
    ("userAgent", "$context.identity.userAgent"),
    ("httpMethod", "$context.httpMethod"),
    ("routeKey", "$context.routeKey"),
    ("status", "$context.status"),
    ("protocol", "$context.protocol"),
    ("responseLength", "$context.responseLength"),
    ("integrationError", "$context.integrationErrorMessage"),
];

/// The access-log line of a REST API's stage: [`ACCESS_LOG_FIELDS`], but
/// the resource path where an HTTP API has a route key (REST APIs have no
/// `$context.routeKey`).
pub fn rest_access_log_fields() -> Vec<(&'static str, &'static str)> {
    ACCESS_LOG_FIELDS
        .iter()
        .map(
            |&(name, variable)| {
                if name == "routeKey" {
                    ("resourcePath", "$context.resourcePath")
                } else {
                    (name, variable)
                }
            },
        )
        .collect()
}

/// The length of the value generated for a created secret: Secrets
/// Manager's default character set, both outputs alike (CloudFormation's
/// `GenerateSecretString`, Terraform's `aws_secretsmanager_random_password`).
pub const SECRET_LENGTH: i64 = 32;

/// The description of the EventBridge rule by which `source` (a schedule
/// or a bus) triggers `function`.
pub fn rule_description(source: &str, function: &str) -> String {
    format!("{source} triggers {function}")
}

/// The description of the rule that sends a bus's events to a queue.
pub fn delivery_rule_description(bus: &str, queue: &str) -> String {
    format!("{bus} delivers to {queue}")
}

/// Where a statement, permission or resource comes from: the file's name
/// (without its folder, so the output does not depend on where the
/// compiler ran) and the source line behind it (`main.lf: read orders`,
/// `main.lf: tracing = true`). No line number: adding a line elsewhere
/// changes nothing in the output.
pub fn provenance(sources: &Sources, span: Span) -> String {
    let file = sources.get(span.file);
    let name = Path::new(&file.name).file_name().and_then(|n| n.to_str()).unwrap_or(&file.name);
    let start = (span.start as usize).min(file.text.len());
    let bytes = file.text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |at| at + 1);
    let line_end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
    let line = file.text.get(line_start..line_end).unwrap_or_default();
    let mut out = String::with_capacity(name.len() + 2 + line.len());
    out.push_str(name);
    out.push_str(": ");
    let text_start = out.len();
    // An ASCII line splits on bytes: the same words, without decoding.
    if line.is_ascii() {
        let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
        let bytes = line.as_bytes();
        let mut at = 0;
        while let Some(start) = bytes[at..].iter().position(|b| !space(b)).map(|n| at + n) {
            let end = bytes[start..].iter().position(space).map_or(bytes.len(), |n| start + n);
            if out.len() > text_start {
                out.push(' ');
            }
            out.push_str(&line[start..end]);
            at = end;
        }
    } else {
        for word in line.split_whitespace() {
            if out.len() > text_start {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    // Bytes bound characters: most lines are too short to count.
    if out.len() - text_start > 120 && out[text_start..].chars().count() > 120 {
        let cut = out[text_start..].char_indices().nth(117).map_or(out.len(), |(at, _)| text_start + at);
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT` then `rest`: an ARN of the
/// account and region the app is deployed to.
pub fn regional_arn(service: &str, rest: impl IntoIterator<Item = Part>) -> Vec<Part> {
    let mut parts = Vec::with_capacity(8);
    parts.extend([Part::Lit("arn:".into()), Part::Partition]);
    parts.extend([Part::Lit(format!(":{service}:")), Part::Region, Part::Lit(":".into()), Part::Account]);
    parts.extend(rest);
    parts
}

/// `arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID` then `rest`: what API
/// Gateway invokes a function as (a permission's `SourceArn`), for the
/// API whose id is `api_id`.
pub fn execute_api_arn(api_id: Part, rest: impl IntoIterator<Item = Part>) -> Value {
    Value::Text(regional_arn("execute-api", [Part::Lit(":".into()), api_id].into_iter().chain(rest)))
}

/// `arn:PARTITION:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`:
/// how API Gateway names the Lambda function (or alias) `function_arn`
/// it integrates with or asks to authorize.
pub fn lambda_invocation_uri(function_arn: Part) -> Value {
    Value::Text(vec![
        Part::Lit("arn:".into()),
        Part::Partition,
        Part::Lit(":apigateway:".into()),
        Part::Region,
        Part::Lit(":lambda:path/2015-03-31/functions/".into()),
        function_arn,
        Part::Lit("/invocations".into()),
    ])
}

/// A queue subscribed to a topic (`subscribe = topic`): SNS delivers with
/// this action as this service, and the queue policy allows it only for
/// that topic, under this condition on the source ARN.
pub const FAN_OUT_PRINCIPAL: &str = "sns.amazonaws.com";
pub const FAN_OUT_ACTION: &str = "sqs:SendMessage";
pub const FAN_OUT_CONDITION: (&str, &str) = ("ArnEquals", "aws:SourceArn");
/// The statement id of the queue policy's one statement.
pub const FAN_OUT_SID: &str = "FromSubscribedTopic";
/// A queue subscribed to a bus: the rule's service sends, from that rule.
pub const BUS_FAN_OUT_PRINCIPAL: &str = "events.amazonaws.com";
pub const BUS_FAN_OUT_SID: &str = "FromSubscribedRule";
/// A queue subscribed to a bucket: S3 sends its event notifications as
/// this service, and the queue policy allows it only from that bucket
/// (`ArnLike aws:SourceArn`, as S3's documentation writes it) of this
/// account (`StringEquals aws:SourceAccount`; a bucket's ARN names no account).
pub const BUCKET_FAN_OUT_PRINCIPAL: &str = "s3.amazonaws.com";
pub const BUCKET_FAN_OUT_SID: &str = "FromSubscribedBucket";
pub const BUCKET_FAN_OUT_CONDITIONS: [(&str, &str); 2] =
    [("ArnLike", "aws:SourceArn"), ("StringEquals", "aws:SourceAccount")];

/// A function's logging configuration as AWS spells it: the format
/// (`Text` or `JSON`) and the levels in capitals.
pub struct Logging {
    pub format: &'static str,
    pub application_level: Option<String>,
    pub system_level: Option<String>,
}

/// The logging configuration of a function that sets `log_format`; none
/// otherwise (Lambda's default, text, applies).
pub fn logging(attrs: &crate::model::Attrs) -> Option<Logging> {
    let format = match attrs.str("log_format")? {
        "json" => "JSON",
        _ => "Text",
    };
    let level = |name: &str| attrs.str(name).map(str::to_ascii_uppercase);
    Some(Logging { format, application_level: level("log_level"), system_level: level("system_log_level") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_rounds_up_to_an_allowed_value() {
        assert_eq!(retention_days(1), 1);
        assert_eq!(retention_days(86_400), 1);
        assert_eq!(retention_days(86_401), 3);
        assert_eq!(retention_days(2 * 86_400), 3);
        assert_eq!(retention_days(30 * 86_400), 30);
        assert_eq!(retention_days(31 * 86_400), 60);
        assert_eq!(retention_days(5000 * 86_400), 3653);
    }

    #[test]
    fn provenance_is_the_file_and_its_line_with_spaces_collapsed_and_long_lines_cut() {
        let mut sources = Sources::default();
        let long = format!("  env = {{ K = \"{}é\" }}", "x".repeat(130));
        let file = sources.add("apps/shop/main.lf", format!("function f {{\n  read   orders\n{long}\n}}"));
        let at = |needle: &str| {
            let start = sources.get(file).text.find(needle).expect("in the text");
            Span::new(file, start, start + needle.len())
        };
        assert_eq!(provenance(&sources, at("orders")), "main.lf: read orders");
        let cut = provenance(&sources, at("env"));
        assert_eq!(cut, format!("main.lf: env = {{ K = \"{}...", "x".repeat(117 - "env = { K = \"".len())));
        assert_eq!(cut.chars().count(), "main.lf: ".len() + 120);
        let spaced = sources.add("b.lf", "\t read\x0b\x0c orders \r\n  é\u{a0}x  y".to_string());
        let first = Span::new(spaced, 2, 3);
        assert_eq!(provenance(&sources, first), "b.lf: read orders");
        let second = Span::new(spaced, 20, 21);
        assert_eq!(provenance(&sources, second), "b.lf: é x y");
    }

    /// A queue policy lets in the service that pushes the source's
    /// triggers, as the stdlib declares it: the service a key's policy
    /// names for the same subscription (`grants::key`).
    #[test]
    fn fan_out_principals_are_the_sources_trigger_principals() {
        let (kinds, _) = crate::stdlib::load(&mut Sources::default());
        let principal = |kind: &str| kinds.get(kind).and_then(|k| k.trigger.as_ref()).and_then(|t| t.principal.clone());
        assert_eq!(principal("topic").as_deref(), Some(FAN_OUT_PRINCIPAL));
        assert_eq!(principal("bus").as_deref(), Some(BUS_FAN_OUT_PRINCIPAL));
        assert_eq!(principal("bucket").as_deref(), Some(BUCKET_FAN_OUT_PRINCIPAL));
    }

    #[test]
    fn durations_round_up_to_the_property_unit() {
        assert_eq!(Unit::of_property("RetentionPeriodHours"), Unit::Hours);
        assert_eq!(Unit::of_property("MessageRetentionPeriod"), Unit::Seconds);
        assert_eq!(Unit::Hours.count(1530 * 60), 26);
        assert_eq!(Unit::Hours.count(24 * 3600), 24);
        assert_eq!(Unit::Seconds.count(90), 90);
    }
}
