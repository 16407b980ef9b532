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
//! resource's recorded reads in the order they were printed, so the
//! rewrites read names only and run on two threads.
//!
//! Names. A value read across stacks has one name everywhere (the owner's
//! output, the consumer's parameter, the root's wiring): the name of the
//! user-facing output with exactly that value if there is one
//! (`CreateOrderFunctionArn`, `JobsQueueUrl`), else the id itself for a
//! `Ref` (so `{"Ref": X}` and `${X}` read the same in the consumer), else
//! id and attribute (`OrdersTableStreamArn`); never a logical id of the
//! app, numbered in the rare case of a clash.

use super::pack::{Packing, Tree};
use super::refs::{Hole, HoleKind, Read, Refs, Rename};
use super::{text, Limits, Output, Reprint, MAX_ROOT_BYTES, MAX_TEMPLATE_BYTES};
use super::{IdMap, IdSet};
use crate::emit::cloudformation::intrinsic::Cf;
use crate::emit::Files;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The name of a stack: `Stack01`.
pub fn stack_name(number: usize) -> String {
    format!("Stack{number:02}")
}

struct Names<'a> {
    ids: &'a IdMap<&'a str, usize>,
    /// Names of user-facing outputs, and the read each is exactly, if any.
    user: IdMap<Read, &'a str>,
    user_names: IdSet<&'a str>,
    given: IdMap<Read, String>,
    taken: IdSet<String>,
}

impl<'a> Names<'a> {
    fn new(tree: &'a Tree) -> Names<'a> {
        let mut user = IdMap::default();
        for output in &tree.template.outputs {
            if let Some(read) = output.value.read() {
                user.entry(read).or_insert(output.name.as_str());
            }
        }
        let user_names = tree.template.outputs.iter().map(|o| o.name.as_str()).collect();
        Names { ids: &tree.index, user, user_names, given: IdMap::default(), taken: IdSet::default() }
    }

    fn name(&mut self, read: &Read) -> String {
        if let Some(name) = self.given.get(read) {
            return name.clone();
        }
        let user = self.user.get(read).copied().filter(|n| !self.ids.contains_key(n));
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
        self.given.insert(read.clone(), name.clone());
        name
    }
}

/// What crosses from one stack to another.
#[derive(Default)]
struct Wiring {
    /// Per stack: parameter name → (owner stack position).
    params: Vec<BTreeMap<String, usize>>,
    /// Per stack: output name → the value it exports.
    exports: Vec<BTreeMap<String, Read>>,
    /// Per stack: the stacks its resources' `DependsOn` name.
    depends: Vec<BTreeSet<usize>>,
    /// The template's own parameters (the app's inputs), by id.
    inputs: Map<String, Value>,
    /// Per stack: the inputs its resources read, passed down from the root.
    input_params: Vec<BTreeSet<String>>,
}

/// The root `template.json`, then each nested `stacks/StackNN.json`. The
/// resources' `texts` move into the nested templates; a resource that reads
/// or waits for another stack, or reads an input, is printed again by
/// `reprint` with those reads renamed to parameters.
pub fn files(tree: &Tree, mut texts: Vec<Vec<u8>>, reprint: &dyn Reprint, packing: &Packing, limits: &Limits) -> Files {
    let n = packing.stacks.len();
    let mut wiring = Wiring {
        params: vec![BTreeMap::new(); n],
        exports: vec![BTreeMap::new(); n],
        depends: vec![BTreeSet::new(); n],
        inputs: tree.template.parameters.clone(),
        input_params: vec![BTreeSet::new(); n],
    };
    let description = &tree.template.description;
    let mut names = Names::new(tree);
    // Names first, in the order the reads would be printed in (each
    // resource's reads are recorded in order of first appearance), then
    // the resources that cross printed again on two threads.
    let mut crossing = Vec::new();
    let mut outputs_by_stack = Vec::with_capacity(n);
    for (s, stack) in packing.stacks.iter().enumerate() {
        for &r in &stack.resources {
            if crosses(r, s, tree, packing, &wiring.inputs) {
                for read in &tree.template.resources[r].reads {
                    localize(&read.id, read.attr.as_deref(), s, tree, packing, &mut names, &mut wiring);
                }
                let elsewhere =
                    tree.template.resources[r].depends_on.iter().filter_map(|id| stack_of(id, tree, packing));
                wiring.depends[s].extend(elsewhere.filter(|o| *o != s));
                crossing.push((r, s));
            }
        }
        let mut outputs = Vec::with_capacity(stack.outputs.len());
        for &o in &stack.outputs {
            let output = &tree.template.outputs[o];
            let mut rename =
                |id: &str, attr: Option<&str>| localize(id, attr, s, tree, packing, &mut names, &mut wiring);
            let mut text = Vec::new();
            text::output(&mut text::Writer::pretty(&mut text), output, 2, &mut Refs::Rename(&mut rename));
            outputs.push((output.name.clone(), text));
        }
        outputs_by_stack.push(outputs);
    }
    let (names, wiring) = (names, wiring);
    let reprinted = crate::parallel::in_halves(&crossing, |&(r, s)| {
        let mut rename = |id: &str, attr: Option<&str>| named(id, attr, s, tree, packing, &names, &wiring);
        let same_stack = |id: &str| stack_of(id, tree, packing).is_none_or(|o| o == s);
        let resource = &tree.template.resources[r];
        let rewritten = match &resource.holes {
            Some(holes) if resource.depends_on.iter().all(|id| same_stack(id)) => {
                rewrite(&texts[r], holes, &resource.reads, &mut rename)
            }
            _ => None,
        };
        (r, rewritten.unwrap_or_else(|| reprint.reprint(r, &mut rename, &same_stack)))
    });
    for (r, text) in reprinted {
        texts[r] = text;
    }
    let nested: Vec<_> = packing
        .stacks
        .iter()
        .zip(outputs_by_stack)
        .map(|(stack, outputs)| {
            let resources: Vec<(usize, Vec<u8>)> =
                stack.resources.iter().map(|&r| (r, std::mem::take(&mut texts[r]))).collect();
            (resources, outputs)
        })
        .collect();
    let mut files = vec![("template.json".to_string(), String::new())];
    for (s, (resources, mut outputs)) in nested.into_iter().enumerate() {
        for (name, read) in &wiring.exports[s] {
            if !outputs.iter().any(|(o, _)| o == name) {
                let export = Output { name: name.clone(), description: None, value: Cf::of(read) };
                let mut text = Vec::new();
                text::output(&mut text::Writer::pretty(&mut text), &export, 2, &mut Refs::Ignore);
                outputs.push((export.name, text));
            }
        }
        let name = stack_name(packing.stacks[s].number);
        let bytes: usize =
            resources.iter().map(|(r, text)| text::entry_bytes(tree.id(*r), text, text::RESOURCE_DEPTH)).sum();
        let mut out = Vec::with_capacity(bytes + 64 * 1024);
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
        t.object("Resources", |t| resources.iter().for_each(|(r, text)| t.printed(tree.id(*r), text)));
        if !outputs.is_empty() {
            t.object("Outputs", |t| outputs.iter().for_each(|(name, text)| t.printed(name, text)));
        }
        t.close();
        out.push(b'\n');
        files.push((format!("stacks/{name}.json"), String::from_utf8(out).expect("the printer writes UTF-8")));
    }
    files[0].1 = root(description, tree, packing, &wiring, limits);
    files
}

/// A resource's printed `text` with each read that `rename` renames
/// written as its parameter at every place it was printed (`holes`): the
/// bytes printing it again would give, at the cost of a copy. `None` when
/// a name would need an escape inside a `Fn::Sub` string.
pub(super) fn rewrite(text: &[u8], holes: &[Hole], reads: &[Read], rename: &mut Rename) -> Option<Vec<u8>> {
    let names: Vec<Option<String>> = reads.iter().map(|read| rename(&read.id, read.attr.as_deref())).collect();
    let mut out = Vec::with_capacity(text.len() + 256);
    let mut at = 0;
    for hole in holes {
        let Some(name) = &names[hole.read] else { continue };
        out.extend_from_slice(&text[at..hole.start]);
        match hole.kind {
            HoleKind::Object { depth, compact } => {
                let mut w = if compact { text::Writer::compact(&mut out) } else { text::Writer::pretty(&mut out) };
                text::renamed_reference(&mut w, name, depth);
            }
            HoleKind::Var if text::needs_no_escape(name) => {
                out.extend_from_slice(b"${");
                out.extend_from_slice(name.as_bytes());
                out.push(b'}');
            }
            HoleKind::Var => return None,
        }
        at = hole.end;
    }
    out.extend_from_slice(&text[at..]);
    Some(out)
}

/// The stack of the resource `id`, if the template has it.
fn stack_of(id: &str, tree: &Tree, packing: &Packing) -> Option<usize> {
    tree.index.get(id).map(|i| packing.stack_of[*i])
}

/// Whether resource `r` of stack `s` reads or waits for a resource of
/// another stack, or reads one of the app's inputs (which the root passes
/// down): only then is it printed again.
fn crosses(r: usize, s: usize, tree: &Tree, packing: &Packing, inputs: &Map<String, Value>) -> bool {
    let elsewhere = |id: &str| stack_of(id, tree, packing).is_some_and(|o| o != s);
    let input = |id: &str| !tree.index.contains_key(id) && inputs.contains_key(id);
    let resource = &tree.template.resources[r];
    resource.reads.iter().any(|read| elsewhere(&read.id) || input(&read.id))
        || resource.depends_on.iter().any(|id| elsewhere(id))
}

/// The parameter a read of `id` (`Fn::GetAtt` of `attr`) in a resource or
/// an output of stack `s` becomes, if it reads another stack, recording
/// both ends; an input is declared by the nested stack too and keeps its
/// name.
fn localize(
    id: &str,
    attr: Option<&str>,
    s: usize,
    tree: &Tree,
    packing: &Packing,
    names: &mut Names,
    wiring: &mut Wiring,
) -> Option<String> {
    if attr.is_none() && wiring.inputs.contains_key(id) {
        wiring.input_params[s].insert(id.to_string());
        return None;
    }
    let owner = stack_of(id, tree, packing)?;
    if owner == s {
        return None;
    }
    let read = Read { id: id.to_string(), attr: attr.map(str::to_string) };
    let name = names.name(&read);
    wiring.params[s].insert(name.clone(), owner);
    wiring.exports[owner].insert(name.clone(), read);
    Some(name)
}

/// The parameter [`localize`] named for a read of `id` (`attr`) in stack
/// `s`, if it reads another stack.
fn named(
    id: &str,
    attr: Option<&str>,
    s: usize,
    tree: &Tree,
    packing: &Packing,
    names: &Names,
    wiring: &Wiring,
) -> Option<String> {
    if attr.is_none() && wiring.inputs.contains_key(id) {
        return None;
    }
    let owner = stack_of(id, tree, packing)?;
    if owner == s {
        return None;
    }
    names.given.get(&Read { id: id.to_string(), attr: attr.map(str::to_string) }).cloned()
}

/// The root: a nested stack resource per stack, each parameter passed from
/// its owner's output, and the user-facing outputs re-exported (as many as
/// the output margin allows, in template order).
fn root(description: &str, tree: &Tree, packing: &Packing, wiring: &Wiring, limits: &Limits) -> String {
    let stack_ids: Vec<String> = packing.stacks.iter().map(|s| stack_name(s.number)).collect();
    let mut resources = Map::new();
    for (s, id) in stack_ids.iter().enumerate() {
        let mut properties = Map::new();
        properties.insert("TemplateURL".into(), format!("stacks/{id}.json").into());
        let owners: BTreeSet<usize> = wiring.params[s].values().copied().collect();
        if !wiring.params[s].is_empty() || !wiring.input_params[s].is_empty() {
            let mut params: Map<String, Value> = wiring.params[s]
                .iter()
                .map(|(p, owner)| (p.clone(), json!({ "Fn::GetAtt": [stack_ids[*owner], format!("Outputs.{p}")] })))
                .collect();
            // A stack's parameters are strings: a list input is passed joined.
            for p in &wiring.input_params[s] {
                let list = wiring.inputs.get(p).and_then(|i| i.get("Type")) == Some(&json!("CommaDelimitedList"));
                let value = if list { json!({ "Fn::Join": [",", { "Ref": p }] }) } else { json!({ "Ref": p }) };
                params.insert(p.clone(), value);
            }
            properties.insert("Parameters".into(), Value::Object(params));
        }
        let mut resource = Map::new();
        resource.insert("Type".into(), "AWS::CloudFormation::Stack".into());
        let after: Vec<Value> =
            wiring.depends[s].iter().filter(|d| !owners.contains(d)).map(|d| stack_ids[*d].clone().into()).collect();
        if !after.is_empty() {
            resource.insert("DependsOn".into(), Value::Array(after));
        }
        resource.insert("Properties".into(), Value::Object(properties));
        resources.insert(id.clone(), Value::Object(resource));
    }
    let mut outputs = Map::new();
    let mut owned: Vec<(usize, usize)> =
        packing.stacks.iter().enumerate().flat_map(|(s, stack)| stack.outputs.iter().map(move |o| (*o, s))).collect();
    owned.extend(packing.root_outputs.iter().map(|o| (*o, usize::MAX)));
    owned.sort_unstable();
    for (o, s) in owned.into_iter().take(limits.keep.outputs) {
        let output = &tree.template.outputs[o];
        let name = &output.name;
        let value = match stack_ids.get(s) {
            Some(stack) => {
                let mut out = Map::new();
                if let Some(description) = &output.description {
                    out.insert("Description".into(), description.clone().into());
                }
                out.insert("Value".into(), json!({ "Fn::GetAtt": [stack, format!("Outputs.{name}")] }));
                Value::Object(out)
            }
            None => output.to_json(),
        };
        outputs.insert(name.to_string(), value);
    }
    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
    t.insert("Description".into(), description.into());
    if !wiring.inputs.is_empty() {
        t.insert("Parameters".into(), Value::Object(wiring.inputs.clone()));
    }
    // The nested templates are local paths for `aws cloudformation
    // package`, which uploads them and writes their S3 URLs: the layout
    // cfn-lint's W3002 warns about on purpose.
    t.insert("Metadata".into(), json!({ "cfn-lint": { "config": { "ignore_checks": ["W3002"] } } }));
    t.insert("Resources".into(), Value::Object(resources));
    if !outputs.is_empty() {
        t.insert("Outputs".into(), Value::Object(outputs));
    }
    let root = Value::Object(t);
    let pretty = print(&root, false);
    if pretty.len() <= MAX_ROOT_BYTES {
        pretty
    } else {
        print(&root, true)
    }
}

/// A template as text: pretty, or compact for a root that would not fit.
/// Printed into room for the largest template CloudFormation reads, so that
/// the text is not copied each time it outgrows its buffer (half the time
/// of printing nested stacks), then trimmed to its length.
pub fn print(template: &Value, compact: bool) -> String {
    let mut text = Vec::with_capacity(MAX_TEMPLATE_BYTES);
    let printed = if compact {
        serde_json::to_writer(&mut text, template)
    } else {
        serde_json::to_writer_pretty(&mut text, template)
    };
    printed.expect("a serde_json value always prints");
    text.push(b'\n');
    text.shrink_to_fit();
    String::from_utf8(text).expect("serde_json prints UTF-8")
}
