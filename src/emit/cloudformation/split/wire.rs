//! The templates of a packing: each nested stack's resources with every
//! reference to another stack turned into a parameter, each owner stack's
//! outputs for what other stacks read, and the root that creates the
//! nested stacks and passes each parameter from its owner's output. A
//! resource keeps the text it was printed to unless its typed reads or
//! `DependsOn` name another stack (or an input): then its text is written
//! again with each such read renamed to its parameter at the places the
//! printer recorded ([`Hole`]s), or, when a place is not known (a
//! `Fn::Sub` string with an escape) or a `DependsOn` entry must go, the
//! layer prints it again. The parameters are chosen first, from each
//! resource's and output's recorded reads in the order they were printed,
//! so each template (the root too, written token by token) reads names
//! only, and two threads write them.
//!
//! Names. A value read across stacks has one name everywhere (the owner's
//! output, the consumer's parameter, the root's wiring): the name of the
//! user-facing output with exactly that value if there is one
//! (`CreateOrderFunctionArn`, `JobsQueueUrl`), else the id itself for a
//! `Ref` (so `{"Ref": X}` and `${X}` read the same in the consumer), else
//! id and attribute (`OrdersTableStreamArn`); never a logical id of the
//! app, numbered in the rare case of a clash.

use super::pack::{Packing, Tree};
use super::refs::{Hole, HoleKind, Read, Refs};
use super::{text, Limits, Output, Reprint, MAX_ROOT_BYTES, NESTED_FOLDER, OUTPUT_DEPTH, ROOT_TEMPLATE};
use super::{IdMap, IdSet};
use crate::emit::cloudformation::intrinsic::Cf;
use crate::emit::PartedFiles;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

/// The name of a stack: `Stack01`.
pub fn stack_name(number: usize) -> String {
    format!("Stack{number:02}")
}

/// The file of the nested stack `Stack07`, which the root's
/// `TemplateURL` names: `stacks/Stack07.json`.
fn nested_file(stack_id: &str) -> String {
    format!("{NESTED_FOLDER}{stack_id}.json")
}

struct Names<'a> {
    ids: &'a IdMap<&'a str, usize>,
    /// Per read (by number), the name of the first user-facing output
    /// whose value is exactly that read, if any.
    user: Vec<Option<&'a str>>,
    user_names: IdSet<&'a str>,
    /// Per read, its name once given.
    given: Vec<Option<String>>,
    taken: IdSet<String>,
}

impl<'a> Names<'a> {
    fn new(tree: &'a Tree) -> Names<'a> {
        let mut user = vec![None; tree.reads.list.len()];
        for output in &tree.template.outputs {
            let read = output.value.read();
            if let Some(n) = read.and_then(|read| tree.reads.number(&read.id, read.attr.as_deref())) {
                user[n].get_or_insert(output.name.as_str());
            }
        }
        let user_names = tree.template.outputs.iter().map(|o| o.name.as_str()).collect();
        let given = vec![None; tree.reads.list.len()];
        Names { ids: &tree.index, user, user_names, given, taken: IdSet::default() }
    }

    /// The name of read `n` (`read`): the one it was given, else a new one.
    fn name(&mut self, n: usize, read: &Read) -> &str {
        if self.given[n].is_none() {
            self.given[n] = Some(self.fresh(n, read));
        }
        self.given[n].as_deref().unwrap_or_default()
    }

    fn fresh(&mut self, n: usize, read: &Read) -> String {
        let user = self.user[n].filter(|name| !self.ids.contains_key(name));
        let (base, fits) = match (user, &read.attr) {
            (Some(name), _) => (name.to_string(), true),
            (None, None) => (read.id.clone(), !self.user_names.contains(read.id.as_str())),
            (None, Some(attr)) => {
                let attr: String = attr.chars().filter(char::is_ascii_alphanumeric).collect();
                (format!("{}{attr}", read.id), false)
            }
        };
        let free =
            |name: &str, s: &Self| !s.taken.contains(name) && !s.ids.contains_key(name) && !s.user_names.contains(name);
        // `fits`: the base may be a name the app already uses (the id
        // itself, or the user-facing output with this very value).
        let usable = (fits && !self.taken.contains(&base)) || free(&base, self);
        let mut name = base.clone();
        let mut n = 2;
        while !usable && !free(&name, self) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// What crosses from one stack to another.
#[derive(Default)]
struct Wiring {
    /// Per stack: parameter name → (owner stack position).
    params: Vec<BTreeMap<String, usize>>,
    /// Per stack: output name → the value it exports (a read number).
    exports: Vec<BTreeMap<String, usize>>,
    /// Per stack: the stacks its resources' `DependsOn` name.
    depends: Vec<BTreeSet<usize>>,
    /// The template's own parameters (the app's inputs), by id.
    inputs: Map<String, Value>,
    /// Per stack: the inputs its resources read, passed down from the root.
    input_params: Vec<BTreeSet<String>>,
}

/// The root `template.json`, then each nested `stacks/StackNN.json`. The
/// resources' `texts` move into the nested templates, each a part of its
/// file between the few bytes around it, so no template is copied whole;
/// a resource that reads or waits for another stack, or reads an input,
/// is written again with those reads renamed to parameters.
///
/// Every name is given first, on this thread, in the order the reads would
/// be printed in (each resource's and output's reads are recorded in order
/// of first appearance); then each template depends on nothing but those
/// names, and two threads write them, each taking the next as it is free.
pub fn files(
    tree: &Tree,
    mut texts: Vec<Vec<u8>>,
    reprint: &dyn Reprint,
    packing: &Packing,
    limits: &Limits,
) -> PartedFiles {
    let (wiring, names, crossing) = wire(tree, packing);
    let nested = Nested { tree, reprint, packing, names: &names, wiring: &wiring, crossing: &crossing };
    // Each stack's texts, in its order, taken by the thread that writes it.
    let mut files: Vec<Mutex<Vec<Vec<u8>>>> = vec![Mutex::default()];
    files.extend(
        packing
            .stacks
            .iter()
            .map(|stack| Mutex::new(stack.resources.iter().map(|r| std::mem::take(&mut texts[*r])).collect())),
    );
    let files: Vec<(usize, Mutex<Vec<Vec<u8>>>)> = files.into_iter().enumerate().collect();
    crate::parallel::in_turn(&files, 1, |(i, texts)| match i.checked_sub(1) {
        None => (ROOT_TEMPLATE.to_string(), vec![root(tree, packing, &wiring, limits)]),
        Some(s) => {
            let texts = std::mem::take(&mut *texts.lock().unwrap_or_else(PoisonError::into_inner));
            nested.file(s, texts)
        }
    })
}

/// Each read that crosses stacks named, with both ends of its wiring, and
/// per stack the resources that must be written again (in order).
fn wire<'t>(tree: &'t Tree, packing: &Packing) -> (Wiring, Names<'t>, Vec<Vec<usize>>) {
    let n = packing.stacks.len();
    let mut wiring = Wiring {
        params: vec![BTreeMap::new(); n],
        exports: vec![BTreeMap::new(); n],
        depends: vec![BTreeSet::new(); n],
        inputs: tree.template.parameters.clone(),
        input_params: vec![BTreeSet::new(); n],
    };
    let mut names = Names::new(tree);
    let mut crossing = vec![Vec::new(); n];
    for (s, stack) in packing.stacks.iter().enumerate() {
        // A read seen again in the same stack has its parameter.
        let mut seen: IdSet<usize> = IdSet::default();
        for &r in &stack.resources {
            if crosses(r, s, tree, packing, &wiring.inputs) {
                for &read in &tree.reads.of_resource[r] {
                    if seen.insert(read) {
                        localize(read, s, tree, packing, &mut names, &mut wiring);
                    }
                }
                let elsewhere =
                    tree.template.resources[r].depends_on.iter().filter_map(|id| stack_of(id, tree, packing));
                wiring.depends[s].extend(elsewhere.filter(|o| *o != s));
                crossing[s].push(r);
            }
        }
        for &o in &stack.outputs {
            for &read in &tree.reads.of_output[o] {
                if seen.insert(read) {
                    localize(read, s, tree, packing, &mut names, &mut wiring);
                }
            }
        }
    }
    (wiring, names, crossing)
}

/// What writing a nested template reads: nothing it changes.
struct Nested<'a> {
    tree: &'a Tree<'a>,
    reprint: &'a dyn Reprint,
    packing: &'a Packing,
    names: &'a Names<'a>,
    wiring: &'a Wiring,
    /// Per stack, its resources written again, in order.
    crossing: &'a [Vec<usize>],
}

impl Nested<'_> {
    /// `stacks/StackNN.json` of the stack at position `s`, in parts:
    /// `texts` are its resources' texts, in its order.
    fn file(&self, s: usize, texts: Vec<Vec<u8>>) -> (String, Vec<Vec<u8>>) {
        let Nested { tree, packing, wiring, .. } = *self;
        let stack = &packing.stacks[s];
        let mut crossing = self.crossing[s].iter().peekable();
        let mut outputs = Vec::with_capacity(stack.outputs.len() + wiring.exports[s].len());
        for &o in &stack.outputs {
            outputs.push((tree.template.outputs[o].name.clone(), self.output(o, s)));
        }
        for (name, read) in &wiring.exports[s] {
            if !outputs.iter().any(|(o, _)| o == name) {
                let export = Output { name: name.clone(), description: None, value: Cf::of(tree.reads.list[*read]) };
                let mut text = Vec::new();
                text::output(&mut text::Writer::pretty(&mut text), &export, OUTPUT_DEPTH, &mut Refs::Ignore);
                outputs.push((export.name, text));
            }
        }
        let name = stack_name(stack.number);
        let description = &tree.template.description;
        let mut parts = Vec::with_capacity(texts.len() + 2);
        let mut out = Vec::new();
        let mut t = text::Object::open(&mut out, 0);
        t.value("AWSTemplateFormatVersion", &"2010-09-09".into());
        t.value("Description", &format!("{description}: nested stack {name}").into());
        if !wiring.params[s].is_empty() || !wiring.input_params[s].is_empty() {
            let mut params: Map<String, Value> =
                wiring.params[s].keys().map(|p| (p.clone(), json!({ "Type": "String" }))).collect();
            for p in &wiring.input_params[s] {
                let ty = wiring.inputs.get(p).and_then(|i| i.get("Type")).cloned().unwrap_or_else(|| "String".into());
                params.insert(p.clone(), json!({ "Type": ty }));
            }
            t.value("Parameters", &Value::Object(params));
        }
        // One buffer for every rewrite of this stack (see `Nested::again`).
        let mut scratch = Vec::new();
        t.object("Resources", |t| {
            for (&r, text) in stack.resources.iter().zip(texts) {
                let text =
                    if crossing.next_if(|c| **c == r).is_some() { self.again(r, s, text, &mut scratch) } else { text };
                t.apart(tree.id(r), text, &mut parts);
            }
        });
        if !outputs.is_empty() {
            t.object("Outputs", |t| outputs.iter().for_each(|(name, text)| t.printed(name, text)));
        }
        t.close();
        out.push(b'\n');
        parts.push(out);
        (nested_file(&name), parts)
    }

    /// Output `o` of stack `s` with its reads of other stacks renamed to
    /// their parameters: its recorded text, rewritten at its holes where
    /// it reads another stack, or printed again when a place is not known.
    fn output(&self, o: usize, s: usize) -> Vec<u8> {
        let tree = self.tree;
        let recorded = tree.outputs.get(o);
        let renamed = self.renamed(&tree.reads.of_output[o], s);
        if renamed.iter().all(Option::is_none) {
            return recorded.text.clone();
        }
        let mut text = Vec::new();
        if let Some(holes) = &recorded.holes {
            if rewrite(&recorded.text, holes, &renamed, &mut text) {
                return text;
            }
            text.clear();
        }
        text::output(
            &mut text::Writer::pretty(&mut text),
            &tree.template.outputs[o],
            OUTPUT_DEPTH,
            &mut Refs::Rename(&mut self.rename_in(s)),
        );
        text
    }

    /// The name a printer prints a read of `id` (`attr`) as in stack `s`,
    /// if it is renamed there.
    fn rename_in(&self, s: usize) -> impl FnMut(&str, Option<&str>) -> Option<String> + '_ {
        let Nested { tree, packing, wiring, names, .. } = *self;
        move |id, attr| named(id, attr, s, tree, packing, names, wiring)
    }

    /// The name each of `reads` (by number) is printed as in stack `s`,
    /// if it is renamed there.
    fn renamed(&self, reads: &[usize], s: usize) -> Vec<Option<&str>> {
        let Nested { tree, packing, wiring, names, .. } = *self;
        reads.iter().map(|n| renamed(*n, s, tree, packing, names, wiring)).collect()
    }

    /// Resource `r` of stack `s` with its reads of other stacks renamed to
    /// their parameters: its text rewritten at the recorded places, or,
    /// when a place is not known or a `DependsOn` entry must go, printed
    /// again from the layer.
    ///
    /// A rewrite goes through `scratch` and back into the text's own
    /// memory: most resources of a nested stack are rewritten, and a fresh
    /// copy of each took about 10 MB of new pages at 1,000 functions (the
    /// texts were printed on other threads, whose heaps get their memory
    /// back only later).
    fn again(&self, r: usize, s: usize, mut text: Vec<u8>, scratch: &mut Vec<u8>) -> Vec<u8> {
        let Nested { tree, packing, .. } = *self;
        let same_stack = |id: &str| stack_of(id, tree, packing).is_none_or(|o| o == s);
        let resource = &tree.template.resources[r];
        let rewritten = match &resource.holes {
            Some(holes) if resource.depends_on.iter().all(|id| same_stack(id)) => {
                let renamed = self.renamed(&tree.reads.of_resource[r], s);
                scratch.clear();
                rewrite(&text, holes, &renamed, scratch)
            }
            _ => false,
        };
        if !rewritten {
            return self.reprint.reprint(r, &mut self.rename_in(s), &same_stack);
        }
        text.clear();
        text.extend_from_slice(scratch);
        text
    }
}

/// A resource's printed `text` with each read that has a name in `names`
/// (one per read of the resource) written as that parameter at every place
/// it was printed (`holes`): the bytes printing it again would give,
/// appended to `out`. False, with `out` partly written, when a name would
/// need an escape inside a `Fn::Sub` string.
pub(super) fn rewrite(text: &[u8], holes: &[Hole], names: &[Option<impl AsRef<str>>], out: &mut Vec<u8>) -> bool {
    out.reserve(text.len() + 256);
    let mut at = 0;
    for hole in holes {
        let Some(name) = &names[hole.read] else { continue };
        let name = name.as_ref();
        out.extend_from_slice(&text[at..hole.start]);
        match hole.kind {
            HoleKind::Object { depth, compact } => {
                let mut w = if compact { text::Writer::compact(out) } else { text::Writer::pretty(out) };
                text::renamed_reference(&mut w, name, depth);
            }
            HoleKind::Var if text::needs_no_escape(name) => {
                out.extend_from_slice(b"${");
                out.extend_from_slice(name.as_bytes());
                out.push(b'}');
            }
            HoleKind::Var => return false,
        }
        at = hole.end;
    }
    out.extend_from_slice(&text[at..]);
    true
}

/// The stack of the resource `id`, if the template has it.
fn stack_of(id: &str, tree: &Tree, packing: &Packing) -> Option<usize> {
    tree.index.get(id).map(|i| packing.stack_of[*i])
}

/// Whether resource `r` of stack `s` reads or waits for a resource of
/// another stack, or reads one of the app's inputs (which the root passes
/// down): only then is it printed again.
fn crosses(r: usize, s: usize, tree: &Tree, packing: &Packing, inputs: &Map<String, Value>) -> bool {
    let reads = &tree.reads;
    let read_elsewhere = |n: usize| match reads.target[n] {
        Some(i) => packing.stack_of[i] != s,
        None => inputs.contains_key(&reads.list[n].id),
    };
    let elsewhere = |id: &str| stack_of(id, tree, packing).is_some_and(|o| o != s);
    reads.of_resource[r].iter().any(|n| read_elsewhere(*n))
        || tree.template.resources[r].depends_on.iter().any(|id| elsewhere(id))
}

/// Names the parameter `read` in a resource or an output of stack `s`
/// becomes, if it reads another stack, recording both ends; an input is
/// declared by the nested stack too and keeps its name.
fn localize(n: usize, s: usize, tree: &Tree, packing: &Packing, names: &mut Names, wiring: &mut Wiring) {
    let read = tree.reads.list[n];
    if is_input(read, wiring) {
        wiring.input_params[s].insert(read.id.clone());
        return;
    }
    let Some(owner) = other_owner(n, s, tree, packing) else { return };
    let name = names.name(n, read);
    wiring.params[s].insert(name.to_string(), owner);
    wiring.exports[owner].insert(name.to_string(), n);
}

/// The parameter [`localize`] named for read `n` in stack `s`, if it
/// reads another stack.
fn renamed<'n>(
    n: usize,
    s: usize,
    tree: &Tree,
    packing: &Packing,
    names: &'n Names,
    wiring: &Wiring,
) -> Option<&'n str> {
    if is_input(tree.reads.list[n], wiring) {
        return None;
    }
    other_owner(n, s, tree, packing)?;
    names.given[n].as_deref()
}

/// Whether `read` is of one of the app's inputs, which every nested
/// stack declares and the root passes down under its own name.
fn is_input(read: &Read, wiring: &Wiring) -> bool {
    read.attr.is_none() && wiring.inputs.contains_key(&read.id)
}

/// The stack of the resource read `n` reads, if that is not stack `s`.
fn other_owner(n: usize, s: usize, tree: &Tree, packing: &Packing) -> Option<usize> {
    tree.reads.target[n].map(|i| packing.stack_of[i]).filter(|owner| *owner != s)
}

/// [`renamed`] for a read of `id` (`attr`), as a printer asks.
fn named(
    id: &str,
    attr: Option<&str>,
    s: usize,
    tree: &Tree,
    packing: &Packing,
    names: &Names,
    wiring: &Wiring,
) -> Option<String> {
    let n = tree.reads.number(id, attr)?;
    renamed(n, s, tree, packing, names, wiring).map(str::to_string)
}

/// The root: a nested stack resource per stack, each parameter passed from
/// its owner's output, and the user-facing outputs re-exported (as many as
/// the output margin allows, in template order). Printed pretty, or
/// compact when that is larger than [`MAX_ROOT_BYTES`].
fn root(tree: &Tree, packing: &Packing, wiring: &Wiring, limits: &Limits) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    write_root(&mut text::Writer::pretty(&mut out), tree, packing, wiring, limits);
    if out.len() + 1 > MAX_ROOT_BYTES {
        out.clear();
        write_root(&mut text::Writer::compact(&mut out), tree, packing, wiring, limits);
    }
    out.push(b'\n');
    out
}

/// The root printed pretty and compact, whatever its size.
#[cfg(test)]
pub(super) fn roots(tree: &Tree, packing: &Packing, limits: &Limits) -> [String; 2] {
    let (wiring, _, _) = wire(tree, packing);
    [false, true].map(|compact| {
        let mut out = Vec::new();
        let mut w = if compact { text::Writer::compact(&mut out) } else { text::Writer::pretty(&mut out) };
        write_root(&mut w, tree, packing, &wiring, limits);
        String::from_utf8(out).expect("the printer writes UTF-8")
    })
}

/// What the root passes to a nested stack's parameter.
enum Passed {
    /// The output of that name of the stack at this position.
    Output(usize),
    /// The app's input of that name, joined when it is a list.
    Input { list: bool },
}

fn write_root(w: &mut text::Writer, tree: &Tree, packing: &Packing, wiring: &Wiring, limits: &Limits) {
    let stack_ids: Vec<String> = packing.stacks.iter().map(|s| stack_name(s.number)).collect();
    let mut top = true;
    w.open(b'{');
    w.key(&mut top, 0, "AWSTemplateFormatVersion");
    w.string("2010-09-09");
    w.key(&mut top, 0, "Description");
    w.string(&tree.template.description);
    if !wiring.inputs.is_empty() {
        w.key(&mut top, 0, "Parameters");
        w.value(&Value::Object(wiring.inputs.clone()), 1);
    }
    // The nested templates are local paths for `aws cloudformation
    // package`, which uploads them and writes their S3 URLs: the layout
    // cfn-lint's W3002 warns about on purpose.
    w.key(&mut top, 0, "Metadata");
    w.value(&json!({ "cfn-lint": { "config": { "ignore_checks": ["W3002"] } } }), 1);
    w.key(&mut top, 0, "Resources");
    let mut resources = true;
    w.open(b'{');
    for (s, id) in stack_ids.iter().enumerate() {
        w.key(&mut resources, 1, id);
        root_stack(w, s, &stack_ids, wiring);
    }
    w.close(resources, 1, b'}');
    let mut owned: Vec<(usize, usize)> =
        packing.stacks.iter().enumerate().flat_map(|(s, stack)| stack.outputs.iter().map(move |o| (*o, s))).collect();
    owned.extend(packing.root_outputs.iter().map(|o| (*o, usize::MAX)));
    owned.sort_unstable();
    if !owned.is_empty() && limits.keep.outputs > 0 {
        w.key(&mut top, 0, "Outputs");
        let mut outputs = true;
        w.open(b'{');
        for (o, s) in owned.into_iter().take(limits.keep.outputs) {
            let output = &tree.template.outputs[o];
            w.key(&mut outputs, 1, &output.name);
            match stack_ids.get(s) {
                Some(stack) => {
                    let mut entry = true;
                    w.open(b'{');
                    if let Some(description) = &output.description {
                        w.key(&mut entry, 2, "Description");
                        w.string(description);
                    }
                    w.key(&mut entry, 2, "Value");
                    let attr = ["Outputs.", &output.name].concat();
                    text::reference(w, stack, Some(&attr), 3, &mut Refs::Ignore);
                    w.close(entry, 2, b'}');
                }
                None => text::output(w, output, OUTPUT_DEPTH, &mut Refs::Ignore),
            }
        }
        w.close(outputs, 1, b'}');
    }
    w.close(top, 0, b'}');
}

/// The nested stack at position `s` as a resource of the root, two levels deep.
fn root_stack(w: &mut text::Writer, s: usize, stack_ids: &[String], wiring: &Wiring) {
    let mut resource = true;
    w.open(b'{');
    w.key(&mut resource, 2, "Type");
    w.string("AWS::CloudFormation::Stack");
    let owners: BTreeSet<usize> = wiring.params[s].values().copied().collect();
    let mut after = wiring.depends[s].iter().filter(|d| !owners.contains(d)).peekable();
    if after.peek().is_some() {
        w.key(&mut resource, 2, "DependsOn");
        let mut items = true;
        w.open(b'[');
        for d in after {
            w.item(&mut items, 3);
            w.string(&stack_ids[*d]);
        }
        w.close(items, 3, b']');
    }
    w.key(&mut resource, 2, "Properties");
    let mut properties = true;
    w.open(b'{');
    w.key(&mut properties, 3, "TemplateURL");
    w.string(&nested_file(&stack_ids[s]));
    if !wiring.params[s].is_empty() || !wiring.input_params[s].is_empty() {
        // In the order of a map that keeps an entry's place when it is
        // given again: the outputs by name, then the inputs.
        let mut passed: Vec<(&str, Passed)> =
            wiring.params[s].iter().map(|(p, owner)| (p.as_str(), Passed::Output(*owner))).collect();
        for p in &wiring.input_params[s] {
            // A stack's parameters are strings: a list input is passed joined.
            let list = wiring.inputs.get(p).and_then(|i| i.get("Type")) == Some(&json!("CommaDelimitedList"));
            match passed.iter_mut().find(|(name, _)| *name == p.as_str()) {
                Some(entry) => entry.1 = Passed::Input { list },
                None => passed.push((p.as_str(), Passed::Input { list })),
            }
        }
        w.key(&mut properties, 3, "Parameters");
        let mut params = true;
        w.open(b'{');
        for (p, value) in passed {
            w.key(&mut params, 4, p);
            match value {
                Passed::Output(owner) => {
                    let attr = format!("Outputs.{p}");
                    text::reference(w, &stack_ids[owner], Some(&attr), 5, &mut Refs::Ignore);
                }
                Passed::Input { list: false } => text::reference(w, p, None, 5, &mut Refs::Ignore),
                Passed::Input { list: true } => text::joined(w, p, 5),
            }
        }
        w.close(params, 4, b'}');
    }
    w.close(properties, 3, b'}');
    w.close(resource, 2, b'}');
}
