//! A created KMS key: its material rotated every year, and its key
//! policy. The account administers the key and its IAM policies grant
//! the key's use (the one statement of AWS's default key policy, which
//! each function's role then narrows to what it does); each service that
//! encrypts with the key for the app (`grants::key`) may use it for this
//! account's resources alone. A key policy names its key as `*`: it is
//! the only resource the policy governs, and the key's ARN does not exist
//! before the key does.

use super::policy::VERSION;
use super::resource::{Key, Part, Ref, Resource, Value};
use crate::grants::key::{services, SERVICE_ACTIONS};
use crate::model::{Model, ResourceId};

/// Rotation and the key policy of created key `key`.
pub fn harden(model: &Model, key: ResourceId, main: &mut Resource) {
    main.set(Key::new("EnableKeyRotation", "enable_key_rotation"), true);
    main.set(Key::json("KeyPolicy", "policy"), policy(model, key));
}

fn policy(model: &Model, key: ResourceId) -> Value {
    let root = Value::Text(vec![
        Part::Lit("arn:".into()),
        Part::Partition,
        Part::Lit(":iam::".into()),
        Part::Account,
        Part::Lit(":root".into()),
    ]);
    let mut statements = vec![Value::Map(vec![
        ("Sid".into(), "AccountAdministers".into()),
        ("Effect".into(), "Allow".into()),
        ("Principal".into(), Value::Map(vec![("AWS".into(), root)])),
        ("Action".into(), "kms:*".into()),
        ("Resource".into(), "*".into()),
    ])];
    let mut principals: Vec<&str> = services(model, key).into_iter().map(|user| user.principal).collect();
    principals.sort_unstable();
    principals.dedup();
    for principal in principals {
        let account = Value::Map(vec![("aws:SourceAccount".into(), Ref::account().into())]);
        statements.push(Value::Map(vec![
            ("Sid".into(), sid(principal).into()),
            ("Effect".into(), "Allow".into()),
            ("Principal".into(), Value::Map(vec![("Service".into(), principal.into())])),
            ("Action".into(), Value::List(SERVICE_ACTIONS.iter().map(|a| Value::from(*a)).collect())),
            ("Resource".into(), "*".into()),
            ("Condition".into(), Value::Map(vec![("StringEquals".into(), account)])),
        ]));
    }
    Value::Map(vec![("Version".into(), VERSION.into()), ("Statement".into(), Value::List(statements))])
}

/// `sns.amazonaws.com` → `SnsEncrypts`.
fn sid(principal: &str) -> String {
    let service = principal.split('.').next().unwrap_or(principal);
    [&crate::grants::camel(service), "Encrypts"].concat()
}
