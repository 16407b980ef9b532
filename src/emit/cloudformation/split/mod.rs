//! Nested stacks for apps larger than one CloudFormation stack (AWS-RULES.md
//! §8: 500 resources, 200 parameters, 200 outputs, 1 MB per template).
//!
//! The emitter builds one template for the whole app and says which model
//! resource each logical id was made for ([`Provenance`]). When that
//! template is over the limits (more resources than the budget, more than
//! [`STACK_BYTES`], more than 200 outputs), when the build asks for it
//! (`--split`), or when the previous output was already split, this module
//! cuts it into a root `template.json` and nested `stacks/StackNN.json`:
//! `pack` decides which stack each resource goes to, `wire` writes the
//! templates with every cross-stack reference passed as an output of its
//! owner and a parameter of its reader through the root, and `refs` reads
//! and rewrites the references. Logical ids never change.
//!
//! Each resource is printed once (`text`), before anything is decided: its
//! length is the size the packing counts, and a template is the text of its
//! resources spliced between the few values around them. Only a resource
//! whose references `wire` rewrites is printed again.

mod pack;
mod refs;
mod text;
mod wire;

pub use refs::Read;

use crate::emit::{Files, SplitOptions};
use crate::model::ResourceId;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Where each logical id of the whole-app template comes from.
#[derive(Debug, Default)]
pub struct Provenance {
    /// Logical id → the model resource it was made for.
    pub owners: HashMap<String, ResourceId>,
    /// Per created model resource, the values other resources may read of
    /// its main AWS resource: `Ref` and each readable field's `Fn::GetAtt`.
    pub readable: HashMap<ResourceId, Vec<Read>>,
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
fn needed(template: &Value, printed: &Printed, options: &SplitOptions) -> bool {
    let outputs = template.get("Outputs").and_then(Value::as_object).map_or(0, Map::len);
    options.force
        || !options.previous.is_empty()
        || printed.ids.len() > budget(options)
        || outputs > MAX_PARAMETERS_OUTPUTS
}

/// The resources of a nested stack, at most: `--stack-budget`, within AWS's limit.
fn budget(options: &SplitOptions) -> usize {
    options.budget.clamp(1, crate::emit::MAX_STACK_BUDGET)
}

/// The app's CloudFormation output: `template.json` alone when the app
/// needs no nested stacks and its template prints to at most
/// [`STACK_BYTES`], else [`split`].
pub fn files(mut template: Value, provenance: &Provenance, options: &SplitOptions) -> Files {
    let resources = match template.get_mut("Resources") {
        Some(Value::Object(resources)) => std::mem::take(resources),
        _ => Map::new(),
    };
    let printed = Printed::of(resources);
    if !needed(&template, &printed, options) {
        if let Some(text) = one_template(&template, &printed) {
            return vec![("template.json".to_string(), text)];
        }
    }
    split(&template, printed, provenance, options)
}

/// The resources of the whole-app template, each printed at its depth in a
/// template.
struct Printed {
    ids: Vec<String>,
    resources: Vec<Value>,
    texts: Vec<Vec<u8>>,
}

impl Printed {
    fn of(resources: Map<String, Value>) -> Printed {
        let (ids, resources): (Vec<String>, Vec<Value>) = resources.into_iter().unzip();
        let texts = in_parallel(&resources, |resource| {
            let mut out = Vec::new();
            text::print_at(&mut out, resource, text::RESOURCE_DEPTH);
            out
        });
        Printed { ids, resources, texts }
    }

    /// The bytes of the `Resources` entries in a template.
    fn bytes(&self) -> usize {
        self.ids.iter().zip(&self.texts).map(|(id, text)| text::entry_bytes(id, text, text::RESOURCE_DEPTH)).sum()
    }
}

/// `template` (whose `Resources` are `printed`) as one `template.json`, if
/// it prints to at most [`STACK_BYTES`].
fn one_template(template: &Value, printed: &Printed) -> Option<String> {
    if printed.bytes() > STACK_BYTES {
        return None;
    }
    let mut out = Vec::with_capacity(printed.bytes() + 64 * 1024);
    let mut t = text::Object::open(&mut out, 0);
    for (key, value) in template.as_object().into_iter().flatten() {
        if key == "Resources" {
            t.object(key, |resources| {
                for (id, text) in printed.ids.iter().zip(&printed.texts) {
                    resources.printed(id, text);
                }
            });
        } else {
            t.value(key, value);
        }
    }
    t.close();
    out.push(b'\n');
    let text = String::from_utf8(out).expect("serde_json prints UTF-8");
    (text.len() <= STACK_BYTES).then_some(text)
}

/// The app's CloudFormation output as a root `template.json` and its nested
/// `stacks/StackNN.json`. The resources move from `printed` to the nested
/// templates.
fn split(template: &Value, printed: Printed, provenance: &Provenance, options: &SplitOptions) -> Files {
    let Printed { ids, resources, texts } = printed;
    let outputs = template.get("Outputs").and_then(Value::as_object);
    let budget = budget(options);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let tree = pack::Tree {
        index: ids.iter().enumerate().map(|(i, id)| (*id, i)).collect(),
        reads: in_parallel(&resources, refs::distinct_reads),
        ids,
        resources,
        texts,
        outputs: outputs.map(|o| o.iter().map(|(k, v)| (k.as_str(), v)).collect()).unwrap_or_default(),
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
    let previous: BTreeMap<String, usize> =
        options.previous.iter().filter_map(|(id, stack)| Some((id.clone(), stack_number(stack)?))).collect();
    let packing = pack::pack(&tree, provenance, &limits, &previous);
    wire::files(template, tree, &packing, &limits)
}

/// `f` of each item, in order, computed on as many threads as the machine
/// has cores (at most [`THREADS`]) in contiguous chunks: printing and reading
/// every resource is most of a split, and by then the Terraform thread of
/// `build --target all` is done.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(THREADS);
    if threads < 2 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> =
            items.chunks(chunk).skip(1).map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<R>>())).collect();
        let mut out: Vec<R> = items[..chunk].iter().map(f).collect();
        for part in parts {
            out.extend(part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        out
    })
}

/// The threads [`in_parallel`] uses, at most.
const THREADS: usize = 4;

/// `Stack07` → 7.
fn stack_number(name: &str) -> Option<usize> {
    name.strip_prefix("Stack")?.parse().ok().filter(|n| *n > 0)
}

/// The nested stack of each logical id in an earlier output: `root` is its
/// `template.json`, `read` gives a nested template by its `TemplateURL`
/// (`stacks/Stack01.json`). Empty when the output was one template.
pub fn previous_stacks(root: &str, read: &dyn Fn(&str) -> Option<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(root) = serde_json::from_str::<Value>(root) else { return out };
    let Some(resources) = root.get("Resources").and_then(Value::as_object) else { return out };
    for (stack, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::CloudFormation::Stack") {
            continue;
        }
        let Some(url) = resource.pointer("/Properties/TemplateURL").and_then(Value::as_str) else { continue };
        for id in read(url).map(|text| resource_ids(&text)).unwrap_or_default() {
            out.insert(id, stack.clone());
        }
    }
    out
}

/// The logical ids of a template's resources, read without building the
/// resources themselves (the nested templates hold the whole app); none
/// when it is not a template.
fn resource_ids(text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Template {
        #[serde(rename = "Resources", default)]
        resources: BTreeMap<String, serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Template>(text).map(|t| t.resources.into_keys().collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A and B read each other (one group, one stack, over the budget of
    /// 1); D reads C through `Fn::Sub` and waits for A.
    #[test]
    fn cycles_share_a_stack_and_depends_on_orders_stacks() {
        let template = json!({ "Description": "t", "Resources": {
            "A": { "Type": "AWS::SQS::Queue", "Properties": { "X": { "Fn::GetAtt": ["B", "Arn"] } } },
            "C": { "Type": "AWS::SQS::Queue" },
            "B": { "Type": "AWS::SQS::Queue", "Properties": { "X": { "Ref": "A" } } },
            "D": { "Type": "AWS::SQS::Queue", "DependsOn": ["A"], "Properties": { "X": { "Fn::Sub": "${C.Arn}/x" } } },
        }, "Outputs": { "CUrl": { "Value": { "Ref": "C" } } } });
        let owners = [("A", 0), ("B", 1), ("C", 2), ("D", 3)];
        let provenance = Provenance {
            owners: owners.iter().map(|(id, r)| (id.to_string(), ResourceId(*r))).collect(),
            readable: HashMap::new(),
        };
        let options = SplitOptions { force: true, budget: 1, previous: BTreeMap::new() };
        let files = files(template, &provenance, &options);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["template.json", "stacks/Stack01.json", "stacks/Stack02.json", "stacks/Stack03.json"]);
        let parse = |i: usize| serde_json::from_str::<Value>(&files[i].1).expect("JSON");
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

    #[test]
    fn resource_ids_are_those_of_a_template() {
        assert_eq!(resource_ids(r#"{ "Resources": { "B": { "Type": "X" }, "A": 1 }, "Outputs": {} }"#), ["A", "B"]);
        for text in ["", "[]", "{}", r#"{ "Resources": null }"#, r#"{ "Resources": [] }"#, r#"{ "Resources": {"#] {
            assert!(resource_ids(text).is_empty(), "{text}");
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
