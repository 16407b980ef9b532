//! A table's keys and global secondary indexes, for both targets: every
//! attribute a key schema names is defined once, with its type (the
//! table's keys, then each index's, in source order); each index projects
//! every attribute and is billed per request as its table is.

use super::resource::{object, Key, Resource, Value};
use crate::model::{self, Attrs, TableIndex};

/// DynamoDB's key types: the partition key, then the sort key.
const HASH: &str = "HASH";
const RANGE: &str = "RANGE";

/// One key of a key schema: the attribute, HASH or RANGE, and the
/// attribute's type as DynamoDB writes it (`S`, `N`, `B`).
struct KeyPart<'a> {
    name: &'a str,
    key_type: &'static str,
    attribute_type: &'static str,
}

impl KeyPart<'_> {
    /// Terraform's argument for this key: `hash_key` or `range_key`.
    fn terraform(&self) -> Key {
        Key::terraform(if self.key_type == HASH { "hash_key" } else { "range_key" })
    }
}

/// Terraform's `hash_key` and `range_key` of the table.
pub fn keys(table: &model::Resource, main: &mut Resource) {
    for key in key_schema(&table.attrs) {
        main.set(key.terraform(), key.name);
    }
}

/// The table's attribute definitions, CloudFormation's `KeySchema`, and
/// its indexes.
pub fn definitions_and_indexes(table: &model::Resource, main: &mut Resource) {
    let keys = key_schema(&table.attrs);
    let indexes = table.table.as_ref().map_or(&[][..], |body| &body.indexes[..]);
    main.set(Key::block("AttributeDefinitions", "attribute"), Value::List(definitions(&keys, indexes)));
    main.set(Key::cloudformation("KeySchema"), schema(&keys));
    if !indexes.is_empty() {
        let indexes = indexes.iter().map(global_index).collect();
        main.set(Key::block("GlobalSecondaryIndexes", "global_secondary_index"), Value::List(indexes));
    }
}

/// The keys `attrs` (a table's or an index's) name, with their types.
fn key_schema(attrs: &Attrs) -> Vec<KeyPart<'_>> {
    let part = |name: &'static str, ty: &'static str, key_type| {
        let name = attrs.str(name)?;
        Some(KeyPart { name, key_type, attribute_type: attribute_type(attrs.str(ty)) })
    };
    [part("key", "key_type", HASH), part("sort", "sort_type", RANGE)].into_iter().flatten().collect()
}

/// `string`, `number`, `binary` as DynamoDB's `S`, `N`, `B`.
fn attribute_type(word: Option<&str>) -> &'static str {
    match word {
        Some("number") => "N",
        Some("binary") => "B",
        _ => "S",
    }
}

/// Each attribute named by the table's or an index's keys, once: DynamoDB
/// refuses a definition no key schema uses, and a second one of a name
/// (the checker refuses one name given two types, LF3092).
fn definitions(keys: &[KeyPart], indexes: &[TableIndex]) -> Vec<Value> {
    let index_keys: Vec<Vec<KeyPart>> = indexes.iter().map(|i| key_schema(&i.attrs)).collect();
    let mut defined: Vec<(&str, &str)> = Vec::new();
    for key in keys.iter().chain(index_keys.iter().flatten()) {
        if !defined.iter().any(|(name, _)| *name == key.name) {
            defined.push((key.name, key.attribute_type));
        }
    }
    let definition = |(name, ty): (&str, &str)| {
        object([(Key::new("AttributeName", "name"), name.into()), (Key::new("AttributeType", "type"), ty.into())])
    };
    defined.into_iter().map(definition).collect()
}

/// CloudFormation's `KeySchema` of `keys`.
fn schema(keys: &[KeyPart]) -> Value {
    let entry = |key: &KeyPart| {
        object([
            (Key::cloudformation("AttributeName"), key.name.into()),
            (Key::cloudformation("KeyType"), key.key_type.into()),
        ])
    };
    Value::List(keys.iter().map(entry).collect())
}

/// One index: CloudFormation's `KeySchema` and `Projection`, Terraform's
/// `hash_key`, `range_key` and `projection_type`.
fn global_index(index: &TableIndex) -> Value {
    let keys = key_schema(&index.attrs);
    let mut props = vec![
        (Key::new("IndexName", "name"), index.name.as_str().into()),
        (Key::cloudformation("KeySchema"), schema(&keys)),
    ];
    for key in &keys {
        props.push((key.terraform(), key.name.into()));
    }
    props.push((Key::cloudformation("Projection"), object([(Key::cloudformation("ProjectionType"), "ALL".into())])));
    props.push((Key::terraform("projection_type"), "ALL".into()));
    object(props)
}
