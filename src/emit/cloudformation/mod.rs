//! CloudFormation JSON, printed straight from the neutral layer. This file
//! owns the template's layout (resources in source order with each
//! function's resources after the others, then outputs), the context every
//! part reads, and the app's tags.
//!
//! Logical ids come from [`LogicalIds`]: `OrdersTable`,
//! `CreateOrderFunction`, `CreateOrderRole`; what a function's trigger
//! makes is named `{function}{source}{what}` (`WorkerJobsMapping`,
//! `CreateOrderPublicRoute`), with the trigger's number after the source
//! when one function has several triggers from sources of that name.
//!
//! The app's neutral resources are built first ([`Layer`]), so that an
//! input whose parameter name a resource id takes is renamed before
//! anything is printed. Each resource is then printed once (`neutral`),
//! with the model resource it was made for, what it reads and its size as
//! plain data ([`split::Template`]); `split` splices the texts into one
//! `template.json` ([`emit`]), or packs them into nested stacks when the
//! app is over a template's limits ([`emit_files`]), printing again from
//! the layer only a resource that reads another stack.

mod arns;
mod intrinsic;
mod neutral;
pub mod split;
mod versions;

use super::{Membership, Options, PartedFiles, SplitOptions};
use crate::check::Checked;
use crate::deploy::ids::LogicalIds;
use crate::deploy::inputs::Inputs;
use crate::deploy::{self, Scope};
use crate::grants::SharedName;
use crate::model::{InputId, Model, Resource, ResourceId};
use intrinsic::Cf;
use serde_json::{Map, Value};
use split::{Output, Printed, Read, Recording, Refs, Rename, Template};
use std::collections::BTreeSet;

/// The whole app as one template.
pub fn emit(checked: &Checked, options: &Options) -> String {
    split::one_template(&Layer::new(checked, options, false).printed(), usize::MAX).unwrap_or_default()
}

/// `template.json`, or a root `template.json` and its nested
/// `stacks/<name>.json` when the app needs them (see `split`), and the
/// neutral resources they were printed from.
pub fn emit_files<'a>(
    checked: &'a Checked,
    options: &'a Options,
    split: &SplitOptions,
) -> (PartedFiles, Membership, Spent<'a>) {
    let layer = Layer::new(checked, options, false);
    let (files, membership, records) = layer.files(split);
    (files, membership, layer.spent(records))
}

/// What a build printed from, once it no longer needs it: the neutral
/// resources, the context and the printer's records of each resource.
/// Freeing a large app's value by value costs a third of splitting them
/// into stacks, and freeing the context and the records 2 to 3 ms more at
/// 1,000 functions, so a command about to exit leaves them to the end of
/// the process (`cli::end_of_process`). Held only to be freed or left.
pub struct Spent<'a> {
    _resources: Vec<(Option<ResourceId>, deploy::resource::Resource)>,
    _ctx: Ctx<'a>,
    _records: Template,
}

/// The app's neutral resources, each with the model resource it was made
/// for, and what printing them reads: those CloudFormation has, and with
/// Terraform's too when one layer serves both printers (`emit::emit_parts`).
pub(crate) struct Layer<'a> {
    ctx: Ctx<'a>,
    resources: Vec<(Option<ResourceId>, deploy::resource::Resource)>,
    /// The positions in `resources` of those CloudFormation has, in order.
    printed: Vec<usize>,
}

impl<'a> Layer<'a> {
    /// The app's layer for CloudFormation, with what Terraform alone has
    /// when `terraform`.
    pub(crate) fn new(checked: &'a Checked, options: &'a Options, terraform: bool) -> Layer<'a> {
        let mut ctx = Ctx::new(checked, options);
        let keep = |r: &deploy::resource::Resource| terraform || r.ty.cloudformation.is_some();
        let mut made = deploy::made_for_all(&ctx.scope(), checked, true);
        if ctx.ids.numbered() {
            // An id got a number: which one did depends on the order the
            // ids were asked for in, so they are given again in model order.
            ctx.ids = LogicalIds::new(&checked.model);
            made = deploy::made_for_all(&ctx.scope(), checked, false);
        }
        // Laying the layer out is one thread's copying (0.7 ms at 1,000
        // functions); the ids printing asks for are given beside it.
        let (resources, ()) = crate::parallel::both(|| made.assemble(keep), || give_printed_ids(&ctx));
        let printed: Vec<usize> =
            (0..resources.len()).filter(|i| resources[*i].1.ty.cloudformation.is_some()).collect();
        // An app without inputs has no parameter to rename (and a large
        // one's ids took 0.5 ms to index).
        if !ctx.inputs.list.is_empty() {
            let ids: split::IdSet<&str> = printed.iter().map(|i| resources[*i].1.id.cloudformation.as_str()).collect();
            let taken: BTreeSet<String> = (ctx.inputs.list.iter().map(|input| &input.parameter))
                .filter(|p| ids.contains(p.as_str()))
                .cloned()
                .collect();
            if !taken.is_empty() {
                ctx.inputs = Inputs::avoiding(&checked.model, &taken);
            }
        }
        Layer { ctx, resources, printed }
    }

    /// Every neutral resource of the layer, in output order.
    pub(crate) fn resources(&self) -> &[(Option<ResourceId>, deploy::resource::Resource)] {
        &self.resources
    }

    /// What the trigger builders read of the whole app, as the layer was
    /// made with.
    pub(crate) fn triggers(&self) -> &deploy::triggers::Index {
        &self.ctx.triggers
    }

    /// CloudFormation's files (see [`emit_files`]), and what they were
    /// printed from.
    pub(crate) fn files(&self, split: &SplitOptions) -> (PartedFiles, Membership, Template) {
        self.files_of(self.printed(), split)
    }

    /// CloudFormation's files of the layer's resources `printed` already,
    /// and what is left of `printed`.
    pub(crate) fn files_of(&self, printed: Template, split: &SplitOptions) -> (PartedFiles, Membership, Template) {
        split::files(printed, self, split)
    }

    /// The layer and the `records` its files were printed from.
    pub(crate) fn spent(self, records: Template) -> Spent<'a> {
        Spent { _resources: self.resources, _ctx: self.ctx, _records: records }
    }

    /// Every resource printed, with the sections around them (for
    /// [`Layer::files_of`]): the resources on both threads, the sections
    /// beside them on the thread that is free first. After the resources,
    /// the sections were the first thing CloudFormation's thread did while
    /// Terraform printed on the other, and it finished last (3 ms at 1,000
    /// functions).
    pub(crate) fn printed(&self) -> Template {
        let (resources, sections) = crate::parallel::both(|| self.printed_resources(), || self.sections());
        Template { resources, ..sections }
    }

    /// Every resource printed, on both threads.
    fn printed_resources(&self) -> Vec<Printed> {
        let ctx = &self.ctx;
        // In turns of a few resources: a function's are larger than a
        // table's, and the functions come last.
        crate::parallel::in_turn_with(&self.printed, 64, neutral::Scratch::default, |scratch, i| {
            let (owner, resource) = &self.resources[*i];
            let mut recording = Recording::new();
            let refs = &mut Refs::Record(&mut recording);
            let (text, depends_on) = neutral::resource(ctx, resource, refs, &|_| true, scratch);
            let id = resource.id.cloudformation.to_string();
            let holes = recording.whole.then_some(recording.holes);
            Printed { id, owner: *owner, text, reads: recording.reads, holes, depends_on }
        })
    }

    /// The template without its resources: the sections around them, and
    /// what each model resource's main AWS resource may be read as. It
    /// only reads ids: every id it asks for was given with the layer.
    fn sections(&self) -> Template {
        let ctx = &self.ctx;
        let outputs = outputs(ctx);
        let owners: split::IdMap<&str, ResourceId> = (self.printed.iter().map(|i| &self.resources[*i]))
            .filter_map(|(o, r)| Some((r.id.cloudformation.as_str(), (*o)?)))
            .collect();
        let mut readable = split::IdMap::default();
        for resource in ctx.model.resources.iter().filter(|r| r.is_created()) {
            let id = ctx.id(resource);
            if owners.get(id.as_str()) == Some(&resource.id) {
                let kind = ctx.model.kind_of(resource.id);
                let mut reads = vec![Read::reference(&id)];
                for field in kind.fields.iter().filter(|f| f.cloudformation != "Ref" && !f.cloudformation.is_empty()) {
                    reads.push(Read::get_att(&id, &field.cloudformation));
                }
                readable.insert(resource.id, reads);
            }
        }
        let (description, parameters) = (description(ctx), parameters(ctx));
        Template { description, parameters, resources: Vec::new(), outputs, readable }
    }
}

impl split::Reprint for Layer<'_> {
    fn reprint(&self, r: usize, rename: &mut Rename, keep: &dyn Fn(&str) -> bool) -> Vec<u8> {
        let resource = &self.resources[self.printed[r]].1;
        neutral::resource(&self.ctx, resource, &mut Refs::Rename(rename), keep, &mut neutral::Scratch::default()).0
    }
}

/// Gives, in model order, the ids printing asks for beyond the layer's
/// own: each resource's main id and each function's alias id. Printing
/// then only reads ids, so the two halves of the template print on two
/// threads with the ids a single thread would give.
fn give_printed_ids(ctx: &Ctx) {
    for resource in &ctx.model.resources {
        ctx.ids.main(resource);
        if resource.alias().is_some() {
            deploy::versions::alias_id(&ctx.ids, resource);
        }
    }
}

/// What every part of the emitter reads.
pub(crate) struct Ctx<'a> {
    pub checked: &'a Checked,
    pub model: &'a Model,
    pub stage: &'a str,
    pub ids: LogicalIds,
    pub inputs: Inputs<'a>,
    /// What the trigger builders read of the whole app.
    triggers: deploy::triggers::Index,
    /// The app's tags, then the two every resource carries.
    pub tags: neutral::Tags,
    /// Each model resource's ARN, once asked for (`arns::arn`).
    arns: Vec<std::sync::OnceLock<Cf>>,
}

impl<'a> Ctx<'a> {
    fn new(checked: &'a Checked, options: &'a Options) -> Ctx<'a> {
        // The ids and the trigger index read the model alone: both at once
        // (0.5 and 0.8 ms at 1,000 functions, before anything else can run).
        let model = &checked.model;
        let (ids, triggers) = crate::parallel::both(|| LogicalIds::new(model), || deploy::triggers::Index::new(model));
        Ctx {
            checked,
            model,
            stage: &options.stage,
            ids,
            inputs: Inputs::new(model),
            triggers,
            tags: neutral::Tags::new(crate::deploy::tags::tags(model, &options.stage)),
            arns: checked.model.resources.iter().map(|_| Default::default()).collect(),
        }
    }

    /// An input's value: `Ref` of its parameter.
    pub fn input(&self, id: InputId) -> Cf {
        Cf::reference(self.inputs.parameter(id))
    }

    /// What the builders of neutral resources read.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            model: self.model,
            sources: &self.checked.sources,
            stage: self.stage,
            ids: &self.ids,
            triggers: &self.triggers,
        }
    }

    /// The logical id of a resource's main AWS resource.
    pub fn id(&self, resource: &Resource) -> SharedName {
        self.ids.main(resource)
    }
}

/// A parameter per input (`deploy::inputs`), given at deploy time with
/// `--parameter-overrides NAME=value`.
fn parameters(ctx: &Ctx) -> Map<String, Value> {
    let mut out = Map::new();
    for input in &ctx.inputs.list {
        let mut parameter = Map::new();
        parameter.insert("Type".into(), input.cloudformation_type.into());
        parameter.insert("Description".into(), input.description.clone().into());
        if let Some(default) = &input.default {
            parameter.insert("Default".into(), default.cloudformation().into());
        }
        if let Some(pattern) = &input.pattern {
            parameter.insert("AllowedPattern".into(), pattern.clone().into());
            parameter
                .insert("ConstraintDescription".into(), format!("{} must match {pattern}", input.input.name).into());
        }
        out.insert(input.parameter.clone(), Value::Object(parameter));
    }
    out
}

fn description(ctx: &Ctx) -> String {
    format!("Lambdaform app {}, stage {}", crate::deploy::names::app(ctx.model), ctx.stage)
}

/// The outputs `deploy` lists: an API's address as it is read elsewhere,
/// the others as the stdlib's field says (`Ref` or `Fn::GetAtt`), so that
/// each output depends on its resource.
fn outputs(ctx: &Ctx) -> Vec<Output> {
    let mut out = Outputs::default();
    for output in crate::deploy::outputs::outputs(ctx.model).into_iter().filter(|o| !o.terraform_only) {
        let id = ctx.id(output.resource);
        let field = ctx.model.kind_of(output.resource.id).field(output.field);
        let value = match (crate::deploy::outputs::neutral(&ctx.scope(), &output), field) {
            (Some(neutral), _) => neutral::standalone(ctx, &neutral),
            _ if output.resource.kind == "api" => arns::field(ctx, output.resource.id, output.field),
            (None, Some(field)) if field.cloudformation != "Ref" => Cf::get_att(&id, &field.cloudformation),
            (None, _) => Cf::reference(&id),
        };
        out.add(Output { name: [&id, output.suffix].concat(), description: Some(output.description), value });
    }
    for made in crate::deploy::outputs::made(&ctx.scope()).into_iter().filter(|m| !m.terraform_only) {
        let value = neutral::standalone(ctx, &made.value);
        out.add(Output { name: made.cloudformation, description: Some(made.description), value });
    }
    out.list
}

/// Outputs by name, in the order of their first appearance.
#[derive(Default)]
struct Outputs {
    list: Vec<Output>,
    index: split::IdMap<String, usize>,
}

impl Outputs {
    /// Adds `output`, in place of an earlier one of its name.
    fn add(&mut self, output: Output) {
        match self.index.get(&output.name) {
            Some(i) => self.list[*i] = output,
            None => {
                self.index.insert(output.name.clone(), self.list.len());
                self.list.push(output);
            }
        }
    }
}
