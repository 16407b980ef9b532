//! What a table's change does that its properties' names do not say: a
//! key attribute whose type changes (`key_type = number` on a table of
//! string keys). DynamoDB never changes a key's type, so the table must be
//! replaced with its data, though the change is written in
//! `AttributeDefinitions` (CloudFormation) or an `attribute` block
//! (Terraform), which are updated in place for any other attribute.

use super::snapshot::Resource;
use serde_json::Value;

const TABLES: [&str; 2] = ["AWS::DynamoDB::Table", "aws_dynamodb_table"];

/// The property path's top whose change may retype a key.
pub fn is_attribute_definitions(top: &str) -> bool {
    matches!(top, "AttributeDefinitions" | "attribute")
}

/// Whether a key attribute of the table (its partition or sort key, in
/// both versions) has another type after the change.
pub fn key_retyped(before: &Resource, after: &Resource) -> bool {
    if !TABLES.contains(&after.ty.as_str()) {
        return false;
    }
    let (old, new) = (types(&before.properties), types(&after.properties));
    let kept = keys(&before.properties);
    let type_of =
        |types: &[(String, String)], key: &str| types.iter().find(|(name, _)| name == key).map(|(_, t)| t.clone());
    keys(&after.properties)
        .iter()
        .filter(|key| kept.contains(key))
        .any(|key| matches!((type_of(&old, key), type_of(&new, key)), (Some(a), Some(b)) if a != b))
}

/// The table's key attributes: CloudFormation's `KeySchema`, Terraform's
/// `hash_key` and `range_key`.
fn keys(properties: &Value) -> Vec<String> {
    let schema = properties.get("KeySchema").and_then(Value::as_array).into_iter().flatten();
    let cloudformation = schema.filter_map(|k| k.get("AttributeName")?.as_str());
    let terraform = ["hash_key", "range_key"].into_iter().filter_map(|k| properties.get(k)?.as_str());
    cloudformation.chain(terraform).map(String::from).collect()
}

/// Each declared attribute's name and type.
fn types(properties: &Value) -> Vec<(String, String)> {
    let read = |list: &str, name: &str, ty: &str| -> Vec<(String, String)> {
        let items = properties.get(list).and_then(Value::as_array).into_iter().flatten();
        items.filter_map(|a| Some((a.get(name)?.as_str()?.to_string(), a.get(ty)?.as_str()?.to_string()))).collect()
    };
    let mut out = read("AttributeDefinitions", "AttributeName", "AttributeType");
    out.extend(read("attribute", "name", "type"));
    out
}
