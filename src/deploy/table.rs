//! A table's keys and global secondary indexes, for both targets: every
//! attribute a key schema names is defined once, as a string (the table's
//! keys, then each index's, in source order); each index projects every
//! attribute and is billed per request as its table is.

use super::resource::{object, Key, Resource, Value};
use crate::model::{self, TableIndex};

/// DynamoDB's key types: the partition key, then the sort key.
const HASH: &str = "HASH";
const RANGE: &str = "RANGE";

/// Terraform's `hash_key` and `range_key` of the table.
pub fn keys(table: &model::Resource, main: &mut Resource) {
    for (name, ty) in key_schema(table.attrs.str("key"), table.attrs.str("sort")) {
        main.set(Key::terraform(if ty == HASH { "hash_key" } else { "range_key" }), name);
    }
}

/// The table's attribute definitions, CloudFormation's `KeySchema`, and
/// its indexes.
pub fn definitions_and_indexes(table: &model::Resource, main: &mut Resource) {
    let keys = key_schema(table.attrs.str("key"), table.attrs.str("sort"));
    let indexes = table.table.as_ref().map_or(&[][..], |body| &body.indexes[..]);
    main.set(Key::block("AttributeDefinitions", "attribute"), Value::List(definitions(&keys, indexes)));
    main.set(Key::cloudformation("KeySchema"), schema(&keys));
    if !indexes.is_empty() {
        let indexes = indexes.iter().map(global_index).collect();
        main.set(Key::block("GlobalSecondaryIndexes", "global_secondary_index"), Value::List(indexes));
    }
}

/// `(name, HASH)` and `(name, RANGE)` of the keys given.
fn key_schema<'a>(key: Option<&'a str>, sort: Option<&'a str>) -> Vec<(&'a str, &'static str)> {
    [(key, HASH), (sort, RANGE)].into_iter().filter_map(|(name, ty)| name.map(|n| (n, ty))).collect()
}

/// Each attribute named by the table's or an index's keys, once: DynamoDB
/// refuses a definition no key schema uses, and a second one of a name.
fn definitions(keys: &[(&str, &str)], indexes: &[TableIndex]) -> Vec<Value> {
    let mut names: Vec<&str> = keys.iter().map(|(name, _)| *name).collect();
    let index_keys = indexes.iter().flat_map(|i| [i.attrs.str("key"), i.attrs.str("sort")]).flatten();
    for name in index_keys {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let definition = |name: &str| {
        object([(Key::new("AttributeName", "name"), name.into()), (Key::new("AttributeType", "type"), "S".into())])
    };
    names.into_iter().map(definition).collect()
}

/// CloudFormation's `KeySchema` of `keys`.
fn schema(keys: &[(&str, &str)]) -> Value {
    let entry = |(name, ty): &(&str, &str)| {
        object([(Key::cloudformation("AttributeName"), (*name).into()), (Key::cloudformation("KeyType"), (*ty).into())])
    };
    Value::List(keys.iter().map(entry).collect())
}

/// One index: CloudFormation's `KeySchema` and `Projection`, Terraform's
/// `hash_key`, `range_key` and `projection_type`.
fn global_index(index: &TableIndex) -> Value {
    let keys = key_schema(index.attrs.str("key"), index.attrs.str("sort"));
    let mut props = vec![
        (Key::new("IndexName", "name"), index.name.as_str().into()),
        (Key::cloudformation("KeySchema"), schema(&keys)),
    ];
    for (name, ty) in &keys {
        props.push((Key::terraform(if *ty == HASH { "hash_key" } else { "range_key" }), (*name).into()));
    }
    props.push((Key::cloudformation("Projection"), object([(Key::cloudformation("ProjectionType"), "ALL".into())])));
    props.push((Key::terraform("projection_type"), "ALL".into()));
    object(props)
}
