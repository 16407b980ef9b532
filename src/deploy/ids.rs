//! CloudFormation logical ids, decided from names alone, so that moving or
//! swapping lines of the source never changes which deployed resource an
//! id means. The stem of a resource is its name in camel case
//! (`create_order` → `CreateOrder`); `camel` is not one-to-one (`x_1` and
//! `x1` are both `X1`), so every resource whose camel form another name
//! shares gets an 8-digit hash of its own name after it (`X1` + hash of
//! `x_1`), whichever is declared first.

use super::names::fnv1a;
use crate::model::{Model, Resource, ResourceId};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `create_order` → `CreateOrder`.
pub fn camel(name: &str) -> String {
    crate::grants::camel(name)
}

/// Each resource's stem, and the ids given so far. Ids are alphanumeric
/// and at most 255 characters, as CloudFormation requires.
#[derive(Debug)]
pub struct LogicalIds {
    stems: HashMap<ResourceId, String>,
    given: RefCell<BTreeMap<(ResourceId, String), String>>,
    used: RefCell<BTreeSet<String>>,
}

impl LogicalIds {
    pub fn new(model: &Model) -> LogicalIds {
        let mut by_camel: HashMap<String, usize> = HashMap::new();
        for resource in &model.resources {
            *by_camel.entry(camel(&resource.name)).or_default() += 1;
        }
        let stems = model
            .resources
            .iter()
            .map(|resource| {
                let stem = camel(&resource.name);
                let stem =
                    if by_camel[&stem] > 1 { format!("{stem}{:08x}", fnv1a(resource.name.as_bytes())) } else { stem };
                (resource.id, stem)
            })
            .collect();
        LogicalIds { stems, given: RefCell::default(), used: RefCell::default() }
    }

    /// The camel-case stem every id made for the resource starts with.
    pub fn stem(&self, resource: &Resource) -> String {
        self.stems.get(&resource.id).cloned().unwrap_or_else(|| camel(&resource.name))
    }

    /// The resource's main id: stem and kind (`OrdersTable`,
    /// `CreateOrderFunction`).
    pub fn main(&self, resource: &Resource) -> String {
        self.get(resource, &camel(&resource.kind))
    }

    /// The id of something made for `resource`: stem and `suffix`
    /// (`CreateOrderRole`).
    pub fn get(&self, resource: &Resource, suffix: &str) -> String {
        self.keyed(resource, suffix, suffix)
    }

    /// Like [`LogicalIds::get`], for things that `key` tells apart when
    /// their suffixes may coincide. Stems never coincide; should a stem and
    /// a suffix together spell another pair's id (`A` + `BRole` and `AB` +
    /// `Role`), a number follows the one asked for later.
    pub fn keyed(&self, resource: &Resource, key: &str, suffix: &str) -> String {
        let key = (resource.id, key.to_string());
        if let Some(id) = self.given.borrow().get(&key) {
            return id.clone();
        }
        let wanted: String =
            format!("{}{suffix}", self.stem(resource)).chars().filter(char::is_ascii_alphanumeric).collect();
        let base = fit_id(&wanted, 250);
        let mut used = self.used.borrow_mut();
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        used.insert(id.clone());
        self.given.borrow_mut().insert(key, id.clone());
        id
    }
}

/// An alphanumeric id of at most `max` characters: a longer one keeps its
/// start and ends with a hash of the whole.
fn fit_id(id: &str, max: usize) -> String {
    if id.len() <= max {
        return id.to_string();
    }
    let hash = format!("{:08x}", fnv1a(id.as_bytes()));
    let cut: String = id.chars().take(max - hash.len()).collect();
    format!("{cut}{hash}")
}
