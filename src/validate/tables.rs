//! Table rules: time to live and global secondary indexes (DynamoDB's
//! developer guide, TTL and GSI quotas).

use super::span_of;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Resource;

/// DynamoDB's default quota of global secondary indexes per table.
const MAX_INDEXES: usize = 20;

/// A table's `ttl` names an attribute with a number of seconds; its keys
/// are strings, so a `ttl` naming one would never expire an item.
pub fn time_to_live(table: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(ttl) = table.attrs.str("ttl") else { return };
    let typed = |(key, ty)| Some((key, table.attrs.str(ty)?));
    let named =
        [("key", "key_type"), ("sort", "sort_type")].into_iter().filter(|(key, _)| table.attrs.str(key) == Some(ttl));
    let Some((key, word)) = named.filter_map(typed).find(|(_, word)| *word != "number") else { return };
    out.push(
        Diagnostic::new(
            Code::TimeToLiveOnKey,
            span_of(table, "ttl"),
            format!("`{ttl}` is the table's `{key}`, a {word}: DynamoDB would never expire an item by it"),
        )
        .label("a key attribute")
        .secondary(span_of(table, key), format!("`{key}` is a {word} attribute"))
        .help("name the attribute that holds each item's expiry time in seconds since the epoch, such as `ttl = \"expires_at\"`"),
    );
}

/// A table's indexes: at most [`MAX_INDEXES`], each keyed by two
/// different attributes.
pub fn indexes(table: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &table.table else { return };
    if let Some(extra) = body.indexes.get(MAX_INDEXES) {
        out.push(
            Diagnostic::new(
                Code::BadTableIndex,
                extra.name_span,
                format!("`{}` has {} indexes; DynamoDB allows {MAX_INDEXES}", table.name, body.indexes.len()),
            )
            .label(format!("index number {}", MAX_INDEXES + 1))
            .help("merge indexes that share a key (one index with a sort key serves several queries), or ask AWS to raise the quota"),
        );
    }
    key_types(table, out);
    for index in &body.indexes {
        let (Some(key), Some(sort)) = (index.attrs.str("key"), index.attrs.str("sort")) else { continue };
        if key == sort {
            out.push(
                Diagnostic::new(
                    Code::BadTableIndex,
                    index.attrs.span("sort").unwrap_or(index.name_span),
                    format!("the index `{}` sorts by its own key `{key}`", index.name),
                )
                .label("the same attribute as `key`")
                .help("name another attribute as `sort`, or leave `sort` out"),
            );
        }
    }
}

/// One attribute is one type: a key the table and an index (or two
/// indexes) both use must say the same `key_type` or `sort_type`, since
/// DynamoDB defines each attribute once.
fn key_types(table: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(body) = &table.table else { return };
    let owners = std::iter::once((&table.attrs, "the table".to_string()))
        .chain(body.indexes.iter().map(|i| (&i.attrs, format!("the index `{}`", i.name))));
    let mut seen: Vec<(&str, &str, String)> = Vec::new();
    for (attrs, owner) in owners {
        for (key, ty) in [("key", "key_type"), ("sort", "sort_type")] {
            let (Some(name), Some(word)) = (attrs.str(key), attrs.str(ty)) else { continue };
            match seen.iter().find(|(seen_name, _, _)| *seen_name == name) {
                Some((_, first_word, first_owner)) if *first_word != word => out.push(
                    Diagnostic::new(
                        Code::BadTableIndex,
                        attrs.span(ty).or(attrs.span(key)).unwrap_or(table.name_span),
                        format!("`{name}` is a {word} in {owner} but a {first_word} in {first_owner}"),
                    )
                    .label(format!("`{name}` as a {word}"))
                    .help(format!(
                        "DynamoDB gives an attribute one type: say `{ty} = {first_word}` here, or change the other"
                    )),
                ),
                Some(_) => {}
                None => seen.push((name, word, owner.clone())),
            }
        }
    }
}
