//! AWS SDK integrations (`arn:aws:states:::aws-sdk:s3:getObject`): a Task
//! that calls an API action directly. The compiler bounds the calls on the
//! services whose target is one resource of the app, named by one
//! parameter (`Bucket`, `TableName`...), and grants the IAM action on that
//! resource in the ARN forms the stdlib's verbs grant it on (`s3:GetObject`
//! on `bucket/*`, `dynamodb:Query` on the table and its indexes), so an
//! action no verb of the kind grants is refused rather than guessed.
//! Facts: the Step Functions developer guide, "AWS SDK service
//! integrations" (the IAM action is the API action's, with the exceptions
//! in [`RENAMED`]).

use super::tasks::{target, uninferable, Wanted};
use crate::diagnostic::Diagnostic;
use crate::model::{Model, Task};
use crate::source::{FileId, Span};
use crate::stdlib::Kinds;
use jsonc_parser::ast::Object;

/// How a Task's resource names an SDK call, after `arn:aws:states:::`.
pub const PREFIX: &str = "aws-sdk:";

/// A service whose SDK calls the compiler bounds: its name in the Task's
/// resource, its IAM prefix, the parameter that names the target and the
/// target's kind.
struct Service {
    sdk: &'static str,
    iam: &'static str,
    parameter: &'static str,
    kind: &'static str,
}

const SERVICES: [Service; 8] = [
    Service { sdk: "dynamodb", iam: "dynamodb", parameter: "TableName", kind: "table" },
    Service { sdk: "s3", iam: "s3", parameter: "Bucket", kind: "bucket" },
    Service { sdk: "sqs", iam: "sqs", parameter: "QueueUrl", kind: "queue" },
    Service { sdk: "sns", iam: "sns", parameter: "TopicArn", kind: "topic" },
    Service { sdk: "eventbridge", iam: "events", parameter: "EventBusName", kind: "bus" },
    Service { sdk: "secretsmanager", iam: "secretsmanager", parameter: "SecretId", kind: "secret" },
    Service { sdk: "ssm", iam: "ssm", parameter: "Name", kind: "parameter" },
    Service { sdk: "kinesis", iam: "kinesis", parameter: "StreamName", kind: "stream" },
];

/// API actions whose IAM action has another name.
const RENAMED: [(&str, &str); 3] =
    [("s3:listObjectsV2", "s3:ListBucket"), ("s3:listObjects", "s3:ListBucket"), ("s3:headObject", "s3:GetObject")];

/// The services, as a help message lists them.
pub fn services() -> String {
    crate::diagnostic::listed(&SERVICES.map(|s| format!("`{}`", s.sdk)), "and")
}

/// An SDK Task: `call` is `SERVICE:action` (`s3:getObject`); `at` is the
/// Task's `Resource`, and whether it waits for its token.
pub fn task(
    model: &Model,
    file: FileId,
    state: &Object,
    call: &str,
    (at, callback): (Span, bool),
    out: &mut (Vec<Task>, Vec<Diagnostic>),
) {
    let (service_name, action) = call.split_once(':').unwrap_or((call, ""));
    let Some(service) = SERVICES.iter().find(|s| s.sdk == service_name) else {
        out.1.push(uninferable(
            at,
            format!("the compiler cannot bound what the `{service_name}` SDK calls reach"),
            format!(
                "it infers grants for the SDK calls of {}; call `{service_name}` from a function the state machine invokes",
                services()
            ),
        ));
        return;
    };
    let Some((iam_action, _)) = grant(&model.kinds, call) else {
        out.1.push(uninferable(
            at,
            format!("no verb of {} grants `{}`", crate::resolve::a(service.kind), iam_action(service, action)),
            format!(
                "call an action a `{}` verb grants (docs/language.md lists them), or call it from a function the state machine invokes",
                service.kind
            ),
        ));
        return;
    };
    let wanted = Wanted { parameter: service.parameter, kind: service.kind, call: &iam_action };
    let Some((target, given_at)) = target(model, file, state, &wanted, at, &mut out.1) else { return };
    out.0.push(Task { integration: format!("{PREFIX}{call}"), target, span: given_at, callback });
}

/// The IAM action of an SDK call (`aws-sdk:s3:getObject`, or `s3:getObject`)
/// and the ARN forms of its target the stdlib grants it on; `None` for a
/// call on a service or an action the compiler does not bound.
pub fn grant(kinds: &Kinds, call: &str) -> Option<(String, Vec<String>)> {
    let call = call.strip_prefix(PREFIX).unwrap_or(call);
    let (service_name, action) = call.split_once(':')?;
    let service = SERVICES.iter().find(|s| s.sdk == service_name)?;
    let iam_action = iam_action(service, action);
    let kind = kinds.get(service.kind)?;
    let mut forms: Vec<String> = Vec::new();
    let grants = kind.verbs.iter().flat_map(|verb| &verb.grants);
    for def in grants.filter(|g| g.actions.iter().any(|a| a.as_str() == iam_action)) {
        for form in def.resources.iter().map(|r| r.as_str().to_string()) {
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    (!action.is_empty() && !forms.is_empty()).then_some((iam_action, forms))
}

/// `s3:getObject` → `s3:GetObject`; `eventbridge:putEvents` → `events:PutEvents`.
fn iam_action(service: &Service, action: &str) -> String {
    let call = format!("{}:{action}", service.sdk);
    if let Some((_, renamed)) = RENAMED.iter().find(|(from, _)| *from == call) {
        return renamed.to_string();
    }
    let mut chars = action.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
    format!("{}:{}", service.iam, first.chain(chars).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::grant;

    fn kinds() -> crate::stdlib::Kinds {
        crate::stdlib::load(&mut crate::source::Sources::default()).0
    }

    /// Each call is granted on the forms the stdlib grants its action on.
    #[test]
    fn calls_are_granted_where_the_stdlib_grants_their_action() {
        let kinds = kinds();
        let granted = |call: &str| grant(&kinds, call).map(|(action, forms)| (action, forms.join(" ")));
        assert_eq!(granted("s3:getObject"), Some(("s3:GetObject".into(), "objects".into())));
        assert_eq!(granted("s3:listObjectsV2"), Some(("s3:ListBucket".into(), "arn".into())));
        assert_eq!(granted("aws-sdk:dynamodb:query"), Some(("dynamodb:Query".into(), "arn index".into())));
        assert_eq!(granted("eventbridge:putEvents"), Some(("events:PutEvents".into(), "arn".into())));
        assert_eq!(granted("secretsmanager:getSecretValue").map(|g| g.0), Some("secretsmanager:GetSecretValue".into()));
    }

    /// What no verb grants is not guessed.
    #[test]
    fn unknown_calls_are_not_granted() {
        let kinds = kinds();
        assert_eq!(grant(&kinds, "s3:deleteBucket"), None);
        assert_eq!(grant(&kinds, "ec2:runInstances"), None);
        assert_eq!(grant(&kinds, "s3"), None);
        assert_eq!(grant(&kinds, "dynamodb:"), None);
    }
}
