//! One `template.json` from the printed resources, or nested stacks for
//! apps larger than one CloudFormation stack (AWS-RULES.md §8: 500
//! resources, 200 parameters, 200 outputs, 1 MB per template).
//!
//! The emitter prints each resource once, straight from the neutral layer,
//! and hands over a [`Template`]: per resource its text, the model resource
//! it was made for, what it reads ([`Read`]s recorded while printing) and
//! its `DependsOn`. A template is the text of its resources spliced
//! between the few values around them ([`one_template`]). When the app is
//! over the limits (more resources than the budget, more than
//! [`STACK_BYTES`], more than 200 outputs), when the build asks for it
//! (`--split`), or when the previous output was already split, it is cut
//! into a root `template.json` and nested `stacks/StackNN.json`: `pack`
//! decides which stack each resource goes to from those typed reads and
//! sizes alone, and `wire` writes the templates with every cross-stack
//! reference passed as an output of its owner and a parameter of its
//! reader through the root, printing such a reader again from the layer
//! with the read renamed ([`Reprint`]). No printed JSON is read back, and
//! logical ids never change.

mod pack;
mod previous;
mod refs;
pub(crate) mod text;
mod wire;

/// Maps and sets keyed by ids, hashed with foldhash: they are looked up
/// for every reference printed, and their order never reaches the output.
pub type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub type IdSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

pub use previous::{nested_templates, previous_stacks};
pub use refs::{is_pseudo, Hole, HoleKind, Read, Recording, Refs, Rename};

use crate::emit::cloudformation::intrinsic::Cf;
use crate::emit::{Membership, PartedFiles, SplitOptions};
use crate::model::ResourceId;
use serde_json::{Map, Value};

/// The whole-app template: its resources printed, and the values around them.
pub struct Template {
    pub description: String,
    /// The app's inputs, by parameter name.
    pub parameters: Map<String, Value>,
    pub resources: Vec<Printed>,
    /// The user-facing outputs (API URLs, function ARNs, ...), in order.
    pub outputs: Vec<Output>,
    /// Per created model resource, the values other resources may read of
    /// its main AWS resource: `Ref` and each readable field's `Fn::GetAtt`.
    pub readable: IdMap<ResourceId, Vec<Read>>,
}

/// One resource as printed from the layer.
pub struct Printed {
    pub id: String,
    /// The model resource it was made for.
    pub owner: Option<ResourceId>,
    /// Its value in `Resources`, printed at [`text::RESOURCE_DEPTH`].
    pub text: Vec<u8>,
    /// What it reads, each read once, in document order.
    pub reads: Vec<Read>,
    /// Where in `text` each read was printed, if every place is known:
    /// a resource whose reads are renamed is then written again from its
    /// text, not printed again.
    pub holes: Option<Vec<Hole>>,
    /// The ids its `DependsOn` names.
    pub depends_on: Vec<String>,
}

/// One output of the template.
pub struct Output {
    pub name: String,
    pub description: Option<String>,
    pub value: Cf,
}

impl Output {
    /// What the output reads, each read once, and the output printed as
    /// an entry of a nested template's `Outputs`, with where it reads.
    fn recorded(&self) -> (Vec<Read>, RecordedOutput) {
        let mut recording = Recording::new();
        let mut text = Vec::new();
        let refs = &mut Refs::Record(&mut recording);
        text::output(&mut text::Writer::pretty(&mut text), self, OUTPUT_DEPTH, refs);
        refs.finish();
        let size = text::entry_bytes(&self.name, &text, OUTPUT_DEPTH);
        let holes = recording.whole.then_some(recording.holes);
        (recording.reads, RecordedOutput { size, text, holes })
    }
}

/// How deep an output's value is printed: an entry of `Outputs`.
const OUTPUT_DEPTH: usize = 2;

/// Prints a resource of the [`Template`] again: `rename` gives the name to
/// print for a read instead (a parameter), `keep` says which `DependsOn`
/// ids stay.
pub trait Reprint: Sync {
    fn reprint(&self, r: usize, rename: &mut Rename, keep: &dyn Fn(&str) -> bool) -> Vec<u8>;
}

/// The resources of one template: AWS's limit.
pub const MAX_RESOURCES: usize = 500;
/// The parameters and outputs of one template: AWS's limit.
pub const MAX_PARAMETERS_OUTPUTS: usize = 200;
/// The bytes of one template uploaded to S3: AWS's limit (1 MB).
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// The bytes a nested template is packed to, at most: room to spare below
/// [`MAX_TEMPLATE_BYTES`] for estimates and parameter names. A whole-app
/// template larger than this is split.
pub const STACK_BYTES: usize = 800_000;
/// Parameters and outputs a nested template is packed to, at most.
pub const MARGIN: usize = 190;
/// Parameters and outputs a new nested stack is filled to: the rest of
/// [`MARGIN`] is room for later builds to keep resources where they are.
pub const FILL: usize = 160;
/// The bytes a nested stack may grow to when it keeps its resources.
pub const STACK_BYTES_KEPT: usize = 900_000;
/// A root larger than this when printed pretty is printed compact.
const MAX_ROOT_BYTES: usize = 900_000;
/// The root template of the output, which names the nested ones.
pub const ROOT_TEMPLATE: &str = "template.json";
/// The folder of the nested templates in the output.
const NESTED_FOLDER: &str = "stacks/";

/// Whether the file `name` of an output is a CloudFormation template: the
/// root `template.json` or a nested `stacks/StackNN.json`.
pub fn is_template(name: &str) -> bool {
    name == ROOT_TEMPLATE || (name.starts_with(NESTED_FOLDER) && name.ends_with(".json"))
}

/// The resources the root `template.json` of `files` holds when they are
/// nested stacks: one `AWS::CloudFormation::Stack` per nested template, as
/// [`split`] moves every other resource into them. Counted from the files,
/// not read back from the printed root. One template alone holds no more
/// than `--stack-budget` resources ([`needed`]), so it counts as none.
pub fn root_stack_resources(files: &PartedFiles) -> usize {
    files.iter().filter(|(name, _)| name.starts_with(NESTED_FOLDER)).count()
}

/// What a nested stack may hold: `fill` when groups are placed afresh,
/// `keep` when they stay in the stack they were in before.
pub struct Limits {
    pub fill: Limit,
    pub keep: Limit,
}

#[derive(Clone, Copy)]
pub struct Limit {
    pub resources: usize,
    pub parameters: usize,
    pub outputs: usize,
    pub bytes: usize,
}

/// Whether the whole-app template needs nested stacks, whatever its size
/// when printed: it has more resources than the budget or more outputs than
/// a template may have, the build asks for them, or the previous output was
/// split. Otherwise it needs them when it prints to more than
/// [`STACK_BYTES`].
fn needed(template: &Template, options: &SplitOptions) -> bool {
    options.force
        || !options.previous.is_empty()
        || template.resources.len() > budget(options)
        || template.outputs.len() > MAX_PARAMETERS_OUTPUTS
}

/// The resources of a nested stack, at most: `--stack-budget`, within AWS's limit.
fn budget(options: &SplitOptions) -> usize {
    options.budget.clamp(1, crate::emit::MAX_STACK_BUDGET)
}

/// The app's CloudFormation output: `template.json` alone when the app
/// needs no nested stacks and its template prints to at most
/// [`STACK_BYTES`], else [`split`]. The template comes back for the
/// caller to free or leave (`emit::cloudformation::Spent`); its texts may
/// have moved into the files. With the files, the logical ids of each
/// nested stack, as decided (none for one template).
pub fn files(template: Template, reprint: &dyn Reprint, options: &SplitOptions) -> (PartedFiles, Membership, Template) {
    if !needed(&template, options) {
        if let Some(text) = one_template(&template, STACK_BYTES) {
            return (vec![(ROOT_TEMPLATE.to_string(), vec![text.into_bytes()])], Membership::new(), template);
        }
    }
    split(template, reprint, options)
}

/// `template` as one `template.json`, if it prints to at most `limit` bytes.
pub fn one_template(template: &Template, limit: usize) -> Option<String> {
    let bytes: usize = template.resources.iter().map(|r| text::entry_bytes(&r.id, &r.text, text::RESOURCE_DEPTH)).sum();
    if bytes > limit {
        return None;
    }
    let mut out = Vec::with_capacity(bytes + 64 * 1024);
    let mut t = text::Object::open(&mut out, 0);
    t.value("AWSTemplateFormatVersion", &"2010-09-09".into());
    t.value("Description", &template.description.clone().into());
    if !template.parameters.is_empty() {
        t.object("Parameters", |p| template.parameters.iter().for_each(|(k, v)| p.value(k, v)));
    }
    t.object("Resources", |resources| {
        for resource in &template.resources {
            resources.printed(&resource.id, &resource.text);
        }
    });
    t.object("Outputs", |outputs| {
        for output in &template.outputs {
            outputs.output(output, &mut Refs::Ignore);
        }
    });
    t.close();
    out.push(b'\n');
    let text = String::from_utf8(out).expect("the printer writes UTF-8");
    (text.len() <= limit).then_some(text)
}

/// The app's CloudFormation output as a root `template.json` and its nested
/// `stacks/StackNN.json`. The resources' texts move to the nested templates.
fn split(mut template: Template, reprint: &dyn Reprint, options: &SplitOptions) -> (PartedFiles, Membership, Template) {
    let texts: Vec<Vec<u8>> = template.resources.iter_mut().map(|r| std::mem::take(&mut r.text)).collect();
    let outputs = PrintedOutputs::of(&template);
    let (tree, limits, packing) = packed(&template, &texts, &outputs, options);
    // The ids of each stack are copied beside the templates: after them,
    // on the thread that packed, they were the last 0.3 ms of the stage
    // at 1,000 functions (`benches/stages.py`, `emitted`).
    let (files, membership) = crate::parallel::both(
        || wire::files(&tree, texts, reprint, &packing, &limits),
        || membership(&template, &packing),
    );
    drop(tree);
    (files, membership, template)
}

/// Each nested stack of a packing (`Stack03`) and the logical ids it holds.
fn membership(template: &Template, packing: &pack::Packing) -> Membership {
    let ids = |stack: &pack::Stack| stack.resources.iter().map(|&r| template.resources[r].id.clone()).collect();
    packing.stacks.iter().map(|stack| (wire::stack_name(stack.number), ids(stack))).collect()
}

/// Each output of a template printed once, as an entry of a nested
/// template's `Outputs`: a nested stack writes it from this text, renamed
/// at its holes where it reads another stack, rather than printing it
/// again (printing every output twice was 1.5% of a build's instructions
/// at 1,000 functions).
pub struct PrintedOutputs {
    /// What each output reads, each read once, in order.
    reads: Vec<Vec<Read>>,
    outputs: Vec<RecordedOutput>,
}

/// One output as [`Output::recorded`] printed it.
pub struct RecordedOutput {
    /// The bytes it takes as an entry of a template's `Outputs`.
    pub size: usize,
    pub text: Vec<u8>,
    /// Where each read was printed, if every place is known.
    pub holes: Option<Vec<Hole>>,
}

impl PrintedOutputs {
    fn of(template: &Template) -> PrintedOutputs {
        let (reads, outputs) = template.outputs.iter().map(Output::recorded).unzip();
        PrintedOutputs { reads, outputs }
    }

    /// Output `o` as printed.
    pub fn get(&self, o: usize) -> &RecordedOutput {
        &self.outputs[o]
    }
}

/// The template indexed, the limits of a nested stack, and which stack
/// each resource goes to; `texts` are the resources' texts.
fn packed<'t>(
    template: &'t Template,
    texts: &[Vec<u8>],
    outputs: &'t PrintedOutputs,
    options: &SplitOptions,
) -> (pack::Tree<'t>, Limits, pack::Packing) {
    let budget = budget(options);
    let index = template.resources.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let tree = pack::Tree {
        reads: pack::Reads::new(template, &outputs.reads, &index),
        index,
        sizes: template
            .resources
            .iter()
            .zip(texts)
            .map(|(r, text)| text::entry_bytes(&r.id, text, text::RESOURCE_DEPTH))
            .collect(),
        outputs,
        template,
    };
    let limits = Limits {
        fill: Limit { resources: budget, parameters: FILL, outputs: FILL, bytes: STACK_BYTES },
        keep: Limit {
            resources: budget.max(crate::emit::MAX_STACK_BUDGET),
            parameters: MARGIN,
            outputs: MARGIN,
            bytes: STACK_BYTES_KEPT,
        },
    };
    let previous: IdMap<&str, usize> =
        options.previous.iter().filter_map(|(id, stack)| Some((id.as_str(), stack_number(stack)?))).collect();
    let packing = pack::pack(&tree, &limits, &previous);
    (tree, limits, packing)
}

/// `Stack07` → 7.
fn stack_number(name: &str) -> Option<usize> {
    name.strip_prefix("Stack")?.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    /// Queues with one property `X` each, printed as the emitter prints
    /// resources: every reference seen, `DependsOn` filtered.
    struct Queues(Vec<(&'static str, Option<Cf>, Vec<String>)>);

    impl Queues {
        fn print(&self, r: usize, refs: &mut Refs, keep: &dyn Fn(&str) -> bool) -> Vec<u8> {
            let (_, x, depends_on) = &self.0[r];
            let depth = text::RESOURCE_DEPTH;
            let mut out = Vec::new();
            let mut w = text::Writer::pretty(&mut out);
            let mut first = true;
            w.open(b'{');
            w.key(&mut first, depth, "Type");
            w.string("AWS::SQS::Queue");
            let kept: Vec<&String> = depends_on.iter().filter(|id| keep(id)).collect();
            if !kept.is_empty() {
                w.key(&mut first, depth, "DependsOn");
                let mut inner = true;
                w.open(b'[');
                for id in kept {
                    w.item(&mut inner, depth + 1);
                    w.string(id);
                }
                w.close(false, depth + 1, b']');
            }
            if let Some(x) = x {
                w.key(&mut first, depth, "Properties");
                let mut inner = true;
                w.open(b'{');
                w.key(&mut inner, depth + 1, "X");
                text::cf(&mut w, x, depth + 2, refs);
                w.close(false, depth + 1, b'}');
            }
            w.close(false, depth, b'}');
            out
        }

        fn template(&self) -> Template {
            let resources = (0..self.0.len())
                .map(|r| {
                    let mut recording = Recording::new();
                    let text = self.print(r, &mut Refs::Record(&mut recording), &|_| true);
                    let (id, _, depends_on) = &self.0[r];
                    let owner = Some(ResourceId(r as u32));
                    let holes = recording.whole.then_some(recording.holes);
                    let depends_on = depends_on.clone();
                    Printed { id: id.to_string(), owner, text, reads: recording.reads, holes, depends_on }
                })
                .collect();
            let outputs = vec![Output { name: "CUrl".into(), description: None, value: Cf::reference("C") }];
            Template { description: "t".into(), parameters: Map::new(), resources, outputs, readable: IdMap::default() }
        }
    }

    impl Reprint for Queues {
        fn reprint(&self, r: usize, rename: &mut Rename, keep: &dyn Fn(&str) -> bool) -> Vec<u8> {
            self.print(r, &mut Refs::Rename(rename), keep)
        }
    }

    /// A and B read each other (one group, one stack, over the budget of
    /// 1); D reads C through `Fn::Sub` and waits for A.
    #[test]
    fn cycles_share_a_stack_and_depends_on_orders_stacks() {
        use crate::emit::cloudformation::intrinsic::Piece;
        let c_arn = Piece::Var(Read::get_att("C", "Arn"));
        let queues = Queues(vec![
            ("A", Some(Cf::get_att("B", "Arn")), vec![]),
            ("C", None, vec![]),
            ("B", Some(Cf::reference("A")), vec![]),
            ("D", Some(Cf::Sub(vec![c_arn, Piece::Text("/x".into())])), vec!["A".into()]),
        ]);
        let options = SplitOptions { force: true, budget: 1, previous: BTreeMap::new() };
        let (files, _, _) = files(queues.template(), &queues, &options);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["template.json", "stacks/Stack01.json", "stacks/Stack02.json", "stacks/Stack03.json"]);
        let parse = |i: usize| serde_json::from_slice::<Value>(&files[i].1.concat()).expect("JSON");
        let (root, one, two, three) = (parse(0), parse(1), parse(2), parse(3));
        assert_eq!(one["Resources"].as_object().map(|r| r.len()), Some(2));
        assert_eq!(two["Outputs"]["CArn"]["Value"], json!({ "Fn::GetAtt": ["C", "Arn"] }));
        assert_eq!(two["Outputs"]["CUrl"]["Value"], json!({ "Ref": "C" }));
        assert_eq!(three["Parameters"], json!({ "CArn": { "Type": "String" } }));
        assert_eq!(
            three["Resources"]["D"],
            json!({ "Type": "AWS::SQS::Queue", "Properties": { "X": { "Fn::Sub": "${CArn}/x" } } })
        );
        let stack = &root["Resources"]["Stack03"];
        assert_eq!(stack["DependsOn"], json!(["Stack01"]));
        assert_eq!(stack["Properties"]["Parameters"]["CArn"], json!({ "Fn::GetAtt": ["Stack02", "Outputs.CArn"] }));
        assert_eq!(root["Outputs"]["CUrl"]["Value"], json!({ "Fn::GetAtt": ["Stack02", "Outputs.CUrl"] }));
    }

    /// The root of a split holds one resource per nested template, and
    /// nothing else, whatever the budget: what `build` counts to refuse a
    /// root of more than 500 (LF4011) without reading the root again.
    #[test]
    fn a_split_root_holds_one_stack_resource_per_nested_template() {
        let queues = Queues(vec![
            ("A", Some(Cf::get_att("B", "Arn")), vec![]),
            ("C", None, vec![]),
            ("B", Some(Cf::reference("A")), vec![]),
            ("D", None, vec!["A".into()]),
            ("E", None, vec![]),
        ]);
        for budget in [1, 2, 3, 5] {
            let options = SplitOptions { force: true, budget, previous: BTreeMap::new() };
            let (files, _, _) = files(queues.template(), &queues, &options);
            let root = files.iter().find(|(name, _)| name == "template.json").expect("a root");
            let ids = previous::resource_ids(&root.1.concat()).expect("the root's resources");
            assert!(ids.iter().all(|id| id.starts_with("Stack")), "budget {budget}: {ids:?}");
            assert_eq!(ids.len(), root_stack_resources(&files), "budget {budget}");
        }
    }

    /// Each distinct read has one number, whichever resources and outputs
    /// read it, with the position of the resource it reads; a read of
    /// what the template lacks has none.
    #[test]
    fn each_read_is_numbered_once_with_what_it_reads() {
        let queues = Queues(vec![
            ("A", Some(Cf::get_att("B", "Arn")), vec![]),
            ("B", Some(Cf::reference("A")), vec![]),
            ("C", Some(Cf::get_att("B", "Arn")), vec![]),
            ("D", Some(Cf::reference("Missing")), vec![]),
        ]);
        let template = queues.template();
        let outputs = PrintedOutputs::of(&template);
        let index = template.resources.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        let reads = pack::Reads::new(&template, &outputs.reads, &index);
        let b_arn = reads.of_resource[0][0];
        assert_eq!(reads.of_resource[2], vec![b_arn], "A and C read the same value");
        assert_ne!(reads.of_resource[1], vec![b_arn]);
        assert_eq!(reads.target[b_arn], Some(1));
        assert_eq!(reads.number("B", Some("Arn")), Some(b_arn));
        assert_eq!(reads.number("B", None), None, "nothing reads B's Ref");
        assert_eq!(reads.target[reads.of_resource[3][0]], None);
        assert_eq!(reads.target[reads.of_output[0][0]], Some(2), "the output reads C");
        assert_eq!(reads.list.len(), 4);
    }

    /// The root is written token by token, pretty or (when too large)
    /// compact: as serde_json prints the same tree, with the app's inputs
    /// passed down (a list joined), stacks waiting for others, outputs of
    /// nested stacks and outputs that read nothing.
    #[test]
    fn the_root_prints_as_serde_json_does_pretty_and_compact() {
        let queues = Queues(vec![
            ("A", Some(Cf::reference("Names")), vec![]),
            ("B", Some(Cf::get_att("A", "Arn")), vec![]),
            ("C", Some(Cf::reference("Stage")), vec!["A".into()]),
        ]);
        let mut template = queues.template();
        template.parameters = json!({
            "Names": { "Type": "CommaDelimitedList", "Default": "a,b" },
            "Stage": { "Type": "String", "AllowedValues": ["dev", "prod"], "MinLength": 1 },
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        let description = Some("The \"quoted\" stage\n".to_string());
        template.outputs.push(Output { name: "Stage".into(), description, value: Cf::Str("x".into()) });
        let texts: Vec<Vec<u8>> = template.resources.iter_mut().map(|r| std::mem::take(&mut r.text)).collect();
        let options = SplitOptions { force: true, budget: 1, previous: BTreeMap::new() };
        let outputs = PrintedOutputs::of(&template);
        let (tree, limits, packing) = packed(&template, &texts, &outputs, &options);
        let [pretty, compact] = wire::roots(&tree, &packing, &limits);
        let root: Value = serde_json::from_str(&pretty).expect("JSON");
        assert_eq!(pretty, serde_json::to_string_pretty(&root).unwrap());
        assert_eq!(compact, serde_json::to_string(&root).unwrap());
        let stack = &root["Resources"]["Stack03"];
        assert_eq!(stack["Properties"]["Parameters"]["Stage"], json!({ "Ref": "Stage" }));
        assert_eq!(
            root["Resources"]["Stack01"]["Properties"]["Parameters"]["Names"],
            json!({ "Fn::Join": [",", { "Ref": "Names" }] })
        );
        assert_eq!(stack["DependsOn"], json!(["Stack01"]));
        assert_eq!(root["Outputs"]["Stage"]["Value"], json!("x"));
    }

    /// Writing a printed resource or output again with renamed reads at
    /// their recorded places gives the bytes of printing it again renamed; a
    /// `Fn::Sub` string with an escape leaves the places unknown.
    #[test]
    fn rewriting_at_recorded_places_is_printing_again() {
        use crate::emit::cloudformation::intrinsic::Piece;
        let var = |id: &str, attr: Option<&str>| Piece::Var(Read { id: id.into(), attr: attr.map(str::to_string) });
        // Each value, and whether renaming changes it.
        let values = [
            (Cf::reference("A"), true),
            (Cf::get_att("B", "Arn"), true),
            (Cf::reference("Kept"), false),
            (Cf::Sub(vec![var("B", Some("Arn")), Piece::Text("/x/".into()), var("A", None), var("Kept", None)]), true),
            (Cf::Sub(vec![Piece::Text("a\"quote\"".into()), var("A", None)]), true),
            (Cf::Sub(vec![Piece::Text("${AWS::Region}".into()), var("AWS::Region", None)]), false),
        ];
        let mut rename = |id: &str, attr: Option<&str>| {
            (id != "Kept" && !is_pseudo(id)).then(|| format!("P{id}{}", attr.unwrap_or_default()))
        };
        for (value, renames) in values {
            let queues = Queues(vec![("Q", Some(value.clone()), vec![])]);
            let mut recording = Recording::new();
            let text = queues.print(0, &mut Refs::Record(&mut recording), &|_| true);
            let again = queues.print(0, &mut Refs::Rename(&mut rename), &|_| true);
            let escaped = matches!(&value, Cf::Sub(p) if matches!(&p[0], Piece::Text(t) if t.contains('"')));
            assert_eq!(recording.whole, !escaped, "{value:?}");
            if recording.whole {
                let mut rewritten = Vec::new();
                let names: Vec<Option<String>> =
                    recording.reads.iter().map(|read| rename(&read.id, read.attr.as_deref())).collect();
                assert!(wire::rewrite(&text, &recording.holes, &names, &mut rewritten));
                assert_eq!(rewritten, again, "{value:?}");
                assert_eq!(text != again, renames, "{value:?}");
            }
            // An output likewise, as a nested stack writes it.
            let output = Output { name: "Out".into(), description: Some("d".into()), value: value.clone() };
            let (reads, recorded) = output.recorded();
            let mut again = Vec::new();
            text::output(&mut text::Writer::pretty(&mut again), &output, OUTPUT_DEPTH, &mut Refs::Rename(&mut rename));
            assert_eq!(recorded.holes.is_some(), !escaped, "{value:?}");
            if let Some(holes) = &recorded.holes {
                let mut rewritten = Vec::new();
                let names: Vec<Option<String>> =
                    reads.iter().map(|read| rename(&read.id, read.attr.as_deref())).collect();
                assert!(wire::rewrite(&recorded.text, holes, &names, &mut rewritten));
                assert_eq!(rewritten, again, "output of {value:?}");
                assert_eq!(recorded.text != again, renames, "output of {value:?}");
            }
        }
    }

    #[test]
    fn stack_names_round_trip() {
        assert_eq!(wire::stack_name(7), "Stack07");
        assert_eq!(stack_number("Stack07"), Some(7));
        assert_eq!(stack_number("Stack123"), Some(123));
        assert_eq!(stack_number("Shared"), None);
        assert_eq!(stack_number("Stack00"), None);
    }
}
