//! Which nested stack each resource goes to, decided on plain data: each
//! printed resource's owner, typed reads, `DependsOn` and size.
//!
//! A *unit* is one model resource and everything the emitter made for it
//! (a function with its role, log group, permissions, mappings, invoke
//! config, routes, rules and subscriptions). Units that reference each
//! other in a cycle form one *group* (a strongly connected component).
//! Groups are ordered topologically, the lowest source position first among
//! those whose dependencies are placed (Kahn's algorithm on a min-heap), so
//! every reference points to the same or an earlier group, and cut into
//! contiguous stacks: references between stacks then only point backwards
//! and nested stacks never form a cycle.
//!
//! A stack is closed before a group that would take it over the resource
//! budget, the byte target, or 160 parameters or outputs (`fill` limits). Parameters
//! are counted exactly (the group's reads of earlier stacks). Outputs are
//! counted by a bound that later consumers cannot change: per unit, every
//! value its kind can be read for (`Ref` and each field's `Fn::GetAtt`),
//! plus what is actually read of it. So an appended function never changes
//! where an earlier stack ends.
//!
//! With the previous build's stack membership, a group's preferred stack is
//! the one its resources were in ([`preferences`]; new groups prefer the
//! last stack); groups are ordered by preferred stack first, then source
//! position, and never go to an earlier stack than they prefer. A group
//! that stays in its stack may fill it to the `keep` limits (490
//! resources, 190 parameters and outputs, 900 kB), so an insertion
//! anywhere in the source moves no existing resource while the stacks have
//! that room.

use super::refs::Read;
use super::{IdMap, IdSet};
use super::{Limit, Limits, Template};
use crate::model::ResourceId;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

/// The printed template, indexed: each resource's position by id, its
/// bytes as an entry of `Resources`, every value read in it numbered, and
/// each output's bytes as an entry of `Outputs`.
pub struct Tree<'a> {
    pub template: &'a Template,
    pub index: IdMap<&'a str, usize>,
    pub sizes: Vec<usize>,
    pub reads: Reads<'a>,
    /// Each output printed once.
    pub outputs: &'a super::PrintedOutputs,
}

/// Every value the template reads, numbered, so that packing and wiring
/// collect and compare numbers: the same value read in many places (a
/// table's ARN in each policy that grants it) has one number, and its
/// strings are hashed once, here.
pub struct Reads<'a> {
    /// Each read once, by number.
    pub list: Vec<&'a Read>,
    /// Per read, the position of the resource it reads, if the template
    /// has it (not an input of the app).
    pub target: Vec<Option<usize>>,
    /// Per resource, the numbers of its reads, in its order.
    pub of_resource: Vec<Vec<usize>>,
    /// Per output, the numbers of its reads, in its order.
    pub of_output: Vec<Vec<usize>>,
    /// Per model resource, the numbers of the values it may be read as.
    pub readable: IdMap<ResourceId, Vec<usize>>,
    numbers: IdMap<(&'a str, Option<&'a str>), usize>,
}

impl<'a> Reads<'a> {
    /// The reads of `template`'s resources, of its outputs (`outputs`, in
    /// order) and what each model resource may be read as; `index` gives
    /// each resource's position by id.
    pub fn new(template: &'a Template, outputs: &'a [Vec<Read>], index: &IdMap<&'a str, usize>) -> Reads<'a> {
        // Sized for every read once: grown by doubling, the map was
        // hashed again a dozen times.
        let most = template.resources.iter().map(|r| r.reads.len()).sum::<usize>()
            + outputs.iter().map(Vec::len).sum::<usize>()
            + template.readable.values().map(Vec::len).sum::<usize>();
        let mut reads = Reads {
            list: Vec::with_capacity(most),
            target: Vec::with_capacity(most),
            of_resource: Vec::with_capacity(template.resources.len()),
            of_output: Vec::with_capacity(outputs.len()),
            readable: IdMap::with_capacity_and_hasher(template.readable.len(), Default::default()),
            numbers: IdMap::with_capacity_and_hasher(most, Default::default()),
        };
        for resource in &template.resources {
            let numbers = resource.reads.iter().map(|read| reads.number_of(read, index)).collect();
            reads.of_resource.push(numbers);
        }
        for output in outputs {
            let numbers = output.iter().map(|read| reads.number_of(read, index)).collect();
            reads.of_output.push(numbers);
        }
        for (owner, values) in &template.readable {
            let numbers = values.iter().map(|read| reads.number_of(read, index)).collect();
            reads.readable.insert(*owner, numbers);
        }
        reads
    }

    /// The number of `read`, given it now if it has none.
    fn number_of(&mut self, read: &'a Read, index: &IdMap<&'a str, usize>) -> usize {
        let Reads { list, target, numbers, .. } = self;
        *numbers.entry((read.id.as_str(), read.attr.as_deref())).or_insert_with(|| {
            list.push(read);
            target.push(index.get(read.id.as_str()).copied());
            list.len() - 1
        })
    }

    /// The number of the read of `id` (`attr`), if the template reads it.
    pub fn number(&self, id: &str, attr: Option<&str>) -> Option<usize> {
        self.numbers.get(&(id, attr)).copied()
    }
}

impl Tree<'_> {
    pub fn id(&self, r: usize) -> &str {
        &self.template.resources[r].id
    }
}

/// One nested stack: its number (`Stack07`), and its resources and
/// user-facing outputs as indices into the [`Tree`], in template order.
pub struct Stack {
    pub number: usize,
    pub resources: Vec<usize>,
    pub outputs: Vec<usize>,
}

pub struct Packing {
    pub stacks: Vec<Stack>,
    /// Per resource, the position of its stack in `stacks`.
    pub stack_of: Vec<usize>,
    /// Outputs that read no resource: the root keeps them.
    pub root_outputs: Vec<usize>,
}

/// Bytes a nested template spends per output, at most (name, value, layout).
const OUTPUT_BYTES: usize = 400;
/// Bytes of a nested template beyond its resources, parameters and outputs.
const BASE_BYTES: usize = 400;

struct Unit {
    /// Source position of the model resource, then unowned ids after all.
    key: u64,
    resources: Vec<usize>,
    outputs: Vec<usize>,
}

struct Group {
    key: u64,
    units: Vec<usize>,
    resources: usize,
    bytes: usize,
    /// Outputs its units can need, at most.
    exports: usize,
    /// What it reads of other groups (read numbers), with the owning group.
    reads: Vec<(usize, usize)>,
    deps: BTreeSet<usize>,
}

pub fn pack(tree: &Tree, limits: &Limits, previous: &IdMap<&str, usize>) -> Packing {
    let (units, unit_of, root_outputs) = units(tree);
    let groups = groups(tree, &units, &unit_of);
    let (prefs, kept) = preferences(tree, &units, &groups, previous);
    let order = order(&groups, &prefs);
    let mut packer = Packer { stacks: Vec::new(), stack_of_group: vec![usize::MAX; groups.len()] };
    let mut current = Current::new(1);
    for g in order {
        if prefs[g] > current.number {
            if !current.groups.is_empty() {
                packer.close(std::mem::replace(&mut current, Current::new(prefs[g])), &groups, &units);
            }
            current.number = prefs[g];
        }
        let limit = if kept[g] && prefs[g] == current.number { &limits.keep } else { &limits.fill };
        if !current.groups.is_empty() && !packer.fits(tree, &current, &groups[g], limit) {
            let next = Current::new(current.number + 1);
            packer.close(std::mem::replace(&mut current, next), &groups, &units);
        }
        packer.add(tree, &mut current, g, &groups[g]);
    }
    if !current.groups.is_empty() {
        packer.close(current, &groups, &units);
    }
    let mut stack_of = vec![0; tree.template.resources.len()];
    for (position, stack) in packer.stacks.iter().enumerate() {
        for r in &stack.resources {
            stack_of[*r] = position;
        }
    }
    Packing { stacks: packer.stacks, stack_of, root_outputs }
}

/// Units in source order, the unit of each resource, and the outputs that
/// read nothing.
fn units(tree: &Tree) -> (Vec<Unit>, Vec<usize>, Vec<usize>) {
    let unowned = u64::from(u32::MAX) + 1;
    let resources = &tree.template.resources;
    let key_of = |i: usize| resources[i].owner.map_or(unowned + i as u64, |r| u64::from(r.0));
    let mut by_key: BTreeMap<u64, Unit> = BTreeMap::new();
    for i in 0..resources.len() {
        let key = key_of(i);
        by_key.entry(key).or_insert_with(|| Unit { key, resources: Vec::new(), outputs: Vec::new() }).resources.push(i);
    }
    let mut root_outputs = Vec::new();
    for (o, reads) in tree.reads.of_output.iter().enumerate() {
        match reads.iter().find_map(|n| tree.reads.target[*n]) {
            Some(i) => by_key.get_mut(&key_of(i)).into_iter().for_each(|u| u.outputs.push(o)),
            None => root_outputs.push(o),
        }
    }
    let units: Vec<Unit> = by_key.into_values().collect();
    let mut unit_of = vec![0; resources.len()];
    for (u, unit) in units.iter().enumerate() {
        for r in &unit.resources {
            unit_of[*r] = u;
        }
    }
    (units, unit_of, root_outputs)
}

/// The strongly connected components of the units' reference graph, with
/// their sizes, export bounds, reads and dependencies.
fn groups(tree: &Tree, units: &[Unit], unit_of: &[usize]) -> Vec<Group> {
    let uses = Uses::of(tree, units, unit_of);
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(units.len(), uses.edges.len());
    let nodes: Vec<NodeIndex> = units.iter().map(|_| graph.add_node(())).collect();
    for &(u, t) in &uses.edges {
        graph.add_edge(nodes[u], nodes[t], ());
    }
    let mut components: Vec<Vec<usize>> = petgraph::algo::kosaraju_scc(&graph)
        .into_iter()
        .map(|c| {
            let mut c: Vec<usize> = c.into_iter().map(|n| n.index()).collect();
            c.sort_unstable();
            c
        })
        .collect();
    components.sort_unstable_by_key(|c| c[0]);
    let mut group_of = vec![0; units.len()];
    for (g, component) in components.iter().enumerate() {
        for u in component {
            group_of[*u] = g;
        }
    }
    // One set of each kind, cleared for each group and unit.
    let (mut seen, mut values) = (IdSet::default(), IdSet::default());
    components
        .into_iter()
        .enumerate()
        .map(|(g, members)| {
            let mut group = Group {
                key: units[members[0]].key,
                units: Vec::new(),
                resources: 0,
                bytes: 0,
                exports: 0,
                reads: Vec::new(),
                deps: BTreeSet::new(),
            };
            seen.clear();
            for &u in &members {
                let unit = &units[u];
                group.resources += unit.resources.len();
                group.bytes += unit.resources.iter().map(|r| tree.sizes[*r]).sum::<usize>();
                group.bytes += unit.outputs.iter().map(|o| tree.outputs.get(*o).size).sum::<usize>();
                group.exports += export_bound(tree, unit, uses.read_from(u), &mut values);
                for (read, target) in uses.of_unit(u) {
                    let owner = group_of[*target];
                    if owner == g {
                        continue;
                    }
                    group.deps.insert(owner);
                    if let Some(read) = read {
                        if seen.insert(*read) {
                            group.reads.push((*read, owner));
                        }
                    }
                }
            }
            group.units = members;
            group
        })
        .collect()
}

/// What each unit reads of others and waits for, in flat lists (a few
/// thousand units: a list or set each was most of packing's allocations).
struct Uses {
    /// Per unit in turn, what it reads (`Some(read)`) or waits for
    /// (`None`, `DependsOn`) and the unit that has it, in its order.
    list: Vec<(Option<usize>, usize)>,
    /// Where each unit's part of `list` ends.
    ends: Vec<usize>,
    /// (unit, read) for every read of the unit by another, each once, in
    /// order.
    read_from: Vec<(usize, usize)>,
    /// Where each unit's part of `read_from` starts; one more at the end.
    read_from_starts: Vec<usize>,
    /// (unit, unit it uses), each once, in order.
    edges: Vec<(usize, usize)>,
}

impl Uses {
    fn of(tree: &Tree, units: &[Unit], unit_of: &[usize]) -> Uses {
        let resources = &tree.template.resources;
        let mut uses = Uses {
            list: Vec::new(),
            ends: Vec::with_capacity(units.len()),
            read_from: Vec::new(),
            read_from_starts: vec![0; units.len() + 1],
            edges: Vec::new(),
        };
        let mut targets = Vec::new();
        for (u, unit) in units.iter().enumerate() {
            let start = uses.list.len();
            let reads = unit
                .resources
                .iter()
                .flat_map(|r| &tree.reads.of_resource[*r])
                .chain(unit.outputs.iter().flat_map(|o| &tree.reads.of_output[*o]));
            for &read in reads {
                if let Some(target) = tree.reads.target[read].map(|i| unit_of[i]) {
                    if target != u {
                        uses.list.push((Some(read), target));
                        uses.read_from.push((target, read));
                    }
                }
            }
            for r in &unit.resources {
                for id in &resources[*r].depends_on {
                    if let Some(&target) = tree.index.get(id.as_str()).map(|i| &unit_of[*i]) {
                        if target != u {
                            uses.list.push((None, target));
                        }
                    }
                }
            }
            uses.ends.push(uses.list.len());
            targets.clear();
            targets.extend(uses.list[start..].iter().map(|(_, t)| *t));
            targets.sort_unstable();
            targets.dedup();
            uses.edges.extend(targets.iter().map(|t| (u, *t)));
        }
        uses.read_from.sort_unstable();
        uses.read_from.dedup();
        for (target, _) in &uses.read_from {
            uses.read_from_starts[target + 1] += 1;
        }
        for u in 0..units.len() {
            uses.read_from_starts[u + 1] += uses.read_from_starts[u];
        }
        uses
    }

    /// What unit `u` reads of others and waits for.
    fn of_unit(&self, u: usize) -> &[(Option<usize>, usize)] {
        let start = if u == 0 { 0 } else { self.ends[u - 1] };
        &self.list[start..self.ends[u]]
    }

    /// The reads of unit `u` by others, each once.
    fn read_from(&self, u: usize) -> impl Iterator<Item = usize> + '_ {
        self.read_from[self.read_from_starts[u]..self.read_from_starts[u + 1]].iter().map(|(_, read)| *read)
    }
}

/// The outputs a unit can need: every value of its resource that its kind
/// can be read for, what other units read of it (`read`), and its
/// user-facing outputs that are not one of those values. `values` is
/// scratch.
fn export_bound(tree: &Tree, unit: &Unit, read: impl Iterator<Item = usize>, values: &mut IdSet<usize>) -> usize {
    let owner = unit.resources.first().and_then(|r| tree.template.resources[*r].owner);
    values.clear();
    values.extend(read);
    if let Some(readable) = owner.and_then(|o| tree.reads.readable.get(&o)) {
        values.extend(readable);
    }
    let is_value = |read: Read| tree.reads.number(&read.id, read.attr.as_deref()).is_some_and(|n| values.contains(&n));
    let extra =
        unit.outputs.iter().filter(|o| tree.template.outputs[**o].value.read().is_none_or(|v| !is_value(v))).count();
    values.len() + extra
}

/// The stack each group prefers: the earliest its resources were in; for a
/// new group, the earliest stack of the known groups that depend on it (a
/// bucket whose notification now names a new function), else the last
/// stack; and whether the group keeps a place (may use the `keep` limits
/// there). All 1 and none kept without a previous output.
fn preferences(
    tree: &Tree,
    units: &[Unit],
    groups: &[Group],
    previous: &IdMap<&str, usize>,
) -> (Vec<usize>, Vec<bool>) {
    let last = previous.values().copied().max().unwrap_or(1);
    let known: Vec<Option<usize>> = groups
        .iter()
        .map(|g| {
            let resources = g.units.iter().flat_map(|u| &units[*u].resources);
            resources.filter_map(|i| previous.get(tree.id(*i)).copied()).min()
        })
        .collect();
    let mut dependents: Vec<Option<usize>> = vec![None; groups.len()];
    for (h, group) in groups.iter().enumerate() {
        for d in &group.deps {
            if let Some(p) = known[h] {
                dependents[*d] = Some(dependents[*d].map_or(p, |q| q.min(p)));
            }
        }
    }
    let prefs = (0..groups.len()).map(|g| known[g].or(dependents[g]).unwrap_or(last).max(1)).collect();
    let kept = (0..groups.len()).map(|g| known[g].or(dependents[g]).is_some()).collect();
    (prefs, kept)
}

/// Kahn's algorithm: among the groups whose dependencies are placed, the
/// one with the lowest (preferred stack, source position) first.
fn order(groups: &[Group], prefs: &[usize]) -> Vec<usize> {
    let mut waiting: Vec<usize> = groups.iter().map(|g| g.deps.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (g, group) in groups.iter().enumerate() {
        for d in &group.deps {
            dependents[*d].push(g);
        }
    }
    let mut ready: BinaryHeap<Reverse<(usize, u64, usize)>> =
        (0..groups.len()).filter(|g| waiting[*g] == 0).map(|g| Reverse((prefs[g], groups[g].key, g))).collect();
    let mut order = Vec::with_capacity(groups.len());
    while let Some(Reverse((_, _, g))) = ready.pop() {
        order.push(g);
        for d in &dependents[g] {
            waiting[*d] -= 1;
            if waiting[*d] == 0 {
                ready.push(Reverse((prefs[*d], groups[*d].key, *d)));
            }
        }
    }
    order
}

/// The stack being filled.
struct Current {
    number: usize,
    groups: Vec<usize>,
    resources: usize,
    bytes: usize,
    exports: usize,
    /// The read numbers it takes as parameters.
    params: IdSet<usize>,
    param_bytes: usize,
}

impl Current {
    fn new(number: usize) -> Current {
        Current {
            number,
            groups: Vec::new(),
            resources: 0,
            bytes: BASE_BYTES,
            exports: 0,
            params: IdSet::default(),
            param_bytes: 0,
        }
    }
}

struct Packer {
    stacks: Vec<Stack>,
    stack_of_group: Vec<usize>,
}

impl Packer {
    /// The parameters `group` adds to the current stack, and their bytes.
    fn new_params(&self, tree: &Tree, current: &Current, group: &Group) -> (Vec<usize>, usize) {
        let here = self.stacks.len();
        let params: Vec<usize> = group
            .reads
            .iter()
            .filter(|(read, owner)| self.stack_of_group[*owner] != here && !current.params.contains(read))
            .map(|(read, _)| *read)
            .collect();
        let bytes = params.iter().map(|n| param_bytes(tree.reads.list[*n])).sum();
        (params, bytes)
    }

    fn fits(&self, tree: &Tree, current: &Current, group: &Group, limit: &Limit) -> bool {
        let (params, param_bytes) = self.new_params(tree, current, group);
        let exports = current.exports + group.exports;
        let bytes = current.bytes + group.bytes + current.param_bytes + param_bytes + exports * OUTPUT_BYTES;
        current.resources + group.resources <= limit.resources
            && current.params.len() + params.len() <= limit.parameters
            && exports <= limit.outputs
            && bytes <= limit.bytes
    }

    fn add(&mut self, tree: &Tree, current: &mut Current, g: usize, group: &Group) {
        let (params, bytes) = self.new_params(tree, current, group);
        current.params.extend(params);
        current.param_bytes += bytes;
        current.resources += group.resources;
        current.bytes += group.bytes;
        current.exports += group.exports;
        current.groups.push(g);
        self.stack_of_group[g] = self.stacks.len();
    }

    fn close(&mut self, current: Current, groups: &[Group], units: &[Unit]) {
        let members = || current.groups.iter().flat_map(|g| &groups[*g].units).map(|u| &units[*u]);
        let mut resources: Vec<usize> = members().flat_map(|u| u.resources.iter().copied()).collect();
        let mut outputs: Vec<usize> = members().flat_map(|u| u.outputs.iter().copied()).collect();
        resources.sort_unstable();
        outputs.sort_unstable();
        self.stacks.push(Stack { number: current.number, resources, outputs });
    }
}

/// A parameter's bytes in a nested template: `"Name": {"Type": "String"}`.
fn param_bytes(read: &Read) -> usize {
    48 + read.id.len() + read.attr.as_ref().map_or(0, String::len) + 4
}
