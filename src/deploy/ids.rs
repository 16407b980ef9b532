//! CloudFormation logical ids, decided from names alone, so that moving or
//! swapping lines of the source never changes which deployed resource an
//! id means. The stem of a resource is its name in camel case
//! (`create_order` → `CreateOrder`); `camel` is not one-to-one (`x_1` and
//! `x1` are both `X1`), so every resource whose camel form another name
//! shares gets an 8-digit hash of its own name after it (`X1` + hash of
//! `x_1`), whichever is declared first.
//!
//! Terraform prints no logical id (its labels are names): its printer
//! reads [`LogicalIds::unprinted`], which gives every id empty at no cost.

use super::names::fnv1a;
use crate::grants::SharedName;
use crate::model::{Model, Resource};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// `create_order` → `CreateOrder`.
pub fn camel(name: &str) -> String {
    crate::grants::camel(name)
}

/// Of one resource, each key asked for and the id it got.
type Given = Vec<(Box<str>, SharedName)>;

/// Each resource's stem, and the ids given so far. Ids are alphanumeric
/// and at most 255 characters, as CloudFormation requires. A printer may
/// read ids from several threads once every id it asks for is given.
///
/// Two threads give ids at once (the layer is made on both), so what they
/// share is locked in small parts: each resource's ids under a lock of
/// their own, the set of ids used in shards by hash. One lock for all
/// made the threads wait on each other at nearly every id (3% of a
/// build's time at 1,000 functions, `perf`).
#[derive(Debug)]
pub struct LogicalIds {
    /// Indexed by `ResourceId`.
    stems: Vec<String>,
    /// Each resource's kind in camel case, its main id's suffix; indexed
    /// by `ResourceId`.
    kinds: Vec<String>,
    /// The ids given so far to each resource, by key: indexed by
    /// `ResourceId`, as they are looked up several times for each.
    given: Vec<Mutex<Given>>,
    /// Those of resources the model did not have when the ids were made.
    given_beyond: Mutex<HashMap<usize, Given>>,
    /// Every id given, in shards by the id's hash.
    used: Vec<Mutex<HashSet<SharedName, foldhash::fast::FixedState>>>,
    /// Whether an id got a number, which depends on the order ids were
    /// asked for in.
    numbered: AtomicBool,
    /// Whether ids are given at all ([`LogicalIds::unprinted`]).
    printed: bool,
}

/// The shards of the set of ids used: enough that two threads rarely
/// want the same one.
const USED_SHARDS: usize = 16;

/// The ids an app's resources are given, on average, a few more than the
/// generated apps' four (a function's role, log group, permissions...).
const IDS_PER_RESOURCE: usize = 5;

impl LogicalIds {
    pub fn new(model: &Model) -> LogicalIds {
        let camels: Vec<String> = model.resources.iter().map(|resource| camel(&resource.name)).collect();
        let mut by_camel: HashMap<&str, usize> = HashMap::new();
        for stem in &camels {
            *by_camel.entry(stem).or_default() += 1;
        }
        let shared: Vec<bool> = camels.iter().map(|stem| by_camel[stem.as_str()] > 1).collect();
        let stems = camels
            .into_iter()
            .zip(shared)
            .zip(&model.resources)
            .map(
                |((stem, shared), resource)| {
                    if shared {
                        format!("{stem}{:08x}", fnv1a(resource.name.as_bytes()))
                    } else {
                        stem
                    }
                },
            )
            .collect();
        let kinds = model.resources.iter().map(|resource| camel(&resource.kind)).collect();
        let given = model.resources.iter().map(|_| Mutex::default()).collect();
        LogicalIds::with(stems, kinds, given, model.resources.len() * IDS_PER_RESOURCE, true)
    }

    /// For a printer that prints no logical id: every id and stem is
    /// empty, and nothing is recorded.
    pub fn unprinted() -> LogicalIds {
        LogicalIds::with(Vec::new(), Vec::new(), Vec::new(), 0, false)
    }

    /// Room in the set of used ids for about `ids`: grown by doubling, its
    /// shards were hashed again a dozen times.
    fn with(stems: Vec<String>, kinds: Vec<String>, given: Vec<Mutex<Given>>, ids: usize, printed: bool) -> LogicalIds {
        let shard = || Mutex::new(HashSet::with_capacity_and_hasher(ids / USED_SHARDS, Default::default()));
        LogicalIds {
            stems,
            kinds,
            given,
            given_beyond: Mutex::default(),
            used: (0..USED_SHARDS).map(|_| shard()).collect(),
            numbered: AtomicBool::new(false),
            printed,
        }
    }

    /// Whether the ids are printed (CloudFormation), as opposed to
    /// [`LogicalIds::unprinted`].
    pub fn printed(&self) -> bool {
        self.printed
    }

    /// The camel-case stem every id made for the resource starts with.
    pub fn stem(&self, resource: &Resource) -> Cow<'_, str> {
        if !self.printed {
            return Cow::Borrowed("");
        }
        match self.stems.get(resource.id.0 as usize) {
            Some(stem) => Cow::Borrowed(stem),
            None => Cow::Owned(camel(&resource.name)),
        }
    }

    /// The resource's main id: stem and kind (`OrdersTable`,
    /// `CreateOrderFunction`).
    pub fn main(&self, resource: &Resource) -> SharedName {
        if !self.printed {
            return SharedName::empty();
        }
        match self.kinds.get(resource.id.0 as usize) {
            Some(kind) => self.get(resource, kind),
            None => self.get(resource, &camel(&resource.kind)),
        }
    }

    /// The id of something made for `resource`: stem and `suffix`
    /// (`CreateOrderRole`).
    pub fn get(&self, resource: &Resource, suffix: &str) -> SharedName {
        self.keyed(resource, suffix, suffix)
    }

    /// Whether any id given so far got a number. Without one, every id is
    /// its stem and suffix whatever order they were asked for in, so
    /// resources may be built on several threads.
    pub fn numbered(&self) -> bool {
        self.numbered.load(Ordering::Relaxed)
    }

    /// Like [`LogicalIds::get`], for things that `key` tells apart when
    /// their suffixes may coincide. Stems never coincide; should a stem and
    /// a suffix together spell another pair's id (`A` + `BRole` and `AB` +
    /// `Role`), a number follows the one asked for later.
    pub fn keyed(&self, resource: &Resource, key: &str, suffix: &str) -> SharedName {
        if !self.printed {
            return SharedName::empty();
        }
        let at = resource.id.0 as usize;
        // Held until the id is recorded, so that a key asked for on both
        // threads at once gets one id.
        match self.given.get(at) {
            Some(given) => self.give(resource, key, suffix, lock(given)),
            None => self.give(resource, key, suffix, lock(&self.given_beyond).entry(at).or_default()),
        }
    }

    /// The id of `resource`'s `key` among those it was `given`, else a
    /// new one, recorded there.
    fn give(
        &self,
        resource: &Resource,
        key: &str,
        suffix: &str,
        mut given: impl std::ops::DerefMut<Target = Given>,
    ) -> SharedName {
        if let Some((_, id)) = given.iter().find(|(given, _)| **given == *key) {
            return id.clone();
        }
        let stem = self.stem(resource);
        let mut wanted = String::with_capacity(stem.len() + suffix.len());
        for part in [&*stem, suffix] {
            push_alphanumeric(&mut wanted, part);
        }
        let base = fit_id(wanted, 250);
        let id = self.take(&base).unwrap_or_else(|| self.take_numbered(&base));
        given.push((key.into(), id.clone()));
        id
    }

    /// `base` with the first number from 2 on that makes an id not used
    /// yet, marked used.
    fn take_numbered(&self, base: &str) -> SharedName {
        self.numbered.store(true, Ordering::Relaxed);
        let mut n = 2;
        loop {
            if let Some(id) = self.take(&format!("{base}{n}")) {
                return id;
            }
            n += 1;
        }
    }

    /// Marks `id` used and returns it, shared; `None` when it already was.
    fn take(&self, id: &str) -> Option<SharedName> {
        let shard = foldhash::fast::FixedState::default().hash_one(id) as usize % USED_SHARDS;
        let mut used = lock(&self.used[shard]);
        if used.contains(id) {
            return None;
        }
        let id = SharedName::from(id);
        used.insert(id.clone());
        Some(id)
    }
}

/// Locks `mutex`. Each insert under these locks leaves the ids whole, so
/// one that another thread's panic poisoned still holds sound ids.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Appends the ASCII letters and digits of `text`: whole where it has
/// nothing else, as stems and suffixes mostly do.
fn push_alphanumeric(out: &mut String, text: &str) {
    if text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(text);
    } else {
        out.extend(text.chars().filter(char::is_ascii_alphanumeric));
    }
}

/// An alphanumeric id of at most `max` characters: a longer one keeps its
/// start and ends with a hash of the whole.
fn fit_id(id: String, max: usize) -> String {
    if id.len() <= max {
        return id;
    }
    let hash = format!("{:08x}", fnv1a(id.as_bytes()));
    let cut: String = id.chars().take(max - hash.len()).collect();
    format!("{cut}{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let source = "app a { region = \"eu-west-1\" }\nqueue jobs {}\nqueue jobs_dead {}\n";
        let input = crate::check::Input { name: "main.lf".into(), bytes: source.as_bytes().to_vec() };
        let checked = crate::check::check(vec![input], crate::date::Date::from_unix_seconds(1_786_838_400));
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked.model
    }

    /// Two threads asking for the same keys of the same resources at once
    /// get one id per key, each what one thread alone gives, and no number.
    #[test]
    fn a_key_asked_for_on_two_threads_at_once_gets_one_id() {
        let model = model();
        let keys: Vec<String> = (0..2_000).map(|n| format!("Part{n}")).collect();
        let alone = LogicalIds::new(&model);
        let expected: Vec<SharedName> =
            model.resources.iter().flat_map(|r| keys.iter().map(|k| alone.get(r, k))).collect();
        let ids = LogicalIds::new(&model);
        let ask =
            || -> Vec<SharedName> { model.resources.iter().flat_map(|r| keys.iter().map(|k| ids.get(r, k))).collect() };
        let (first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(ask);
            (ask(), other.join().expect("the other thread"))
        });
        assert_eq!(first, expected);
        assert_eq!(second, expected);
        assert!(!ids.numbered());
    }

    /// A stem and a suffix that spell another pair's id (`Jobs` + `DeadQueue`
    /// and `JobsDead` + `Queue`): the one asked for later gets the number.
    #[test]
    fn an_id_spelled_twice_gets_a_number_the_second_time() {
        let model = model();
        let ids = LogicalIds::new(&model);
        let (jobs, dead) = (&model.resources[0], &model.resources[1]);
        assert_eq!(ids.get(dead, "Queue"), "JobsDeadQueue");
        assert!(!ids.numbered());
        assert_eq!(ids.get(jobs, "DeadQueue"), "JobsDeadQueue2");
        assert!(ids.numbered());
        assert_eq!(ids.get(jobs, "DeadQueue"), "JobsDeadQueue2", "asked again, the same id");
    }

    /// An id asked for again is the text given the first time, shared
    /// rather than copied: the id every reference to a resource holds
    /// costs no allocation after the first.
    #[test]
    fn an_id_asked_for_again_is_the_same_text_not_a_copy() {
        let model = model();
        let ids = LogicalIds::new(&model);
        let jobs = &model.resources[0];
        let first = ids.get(jobs, "Role");
        let again = ids.get(jobs, "Role");
        assert_eq!(first, "JobsRole");
        assert_eq!(first.as_ptr(), again.as_ptr(), "the same text, not a copy");
        assert_eq!(ids.main(jobs).as_ptr(), ids.main(jobs).as_ptr());
        assert!(LogicalIds::unprinted().get(jobs, "Role").is_empty());
    }
}
