//! Terraform HCL, written block by block straight into `terraform fmt`
//! layout (`text.rs`) as `deploy` makes each resource, or from the layer
//! CloudFormation made when both targets are built; no tree of the
//! configuration is built. The printer makes no AWS decision: what each
//! resource is and holds comes from the layer (`neutral.rs` prints it).
//! This file owns the `terraform`, `provider`, `data` and `output` blocks,
//! the order of the output, labels, and how a resource's readable
//! attributes (`jobs.url`) become Terraform expressions.
//!
//! Labels are resource names (`aws_sqs_queue.jobs`, `aws_lambda_function.worker`,
//! `aws_iam_role.worker`); resources made for one trigger are labelled
//! `{function}_{source}` (plus the method for api routes), made unique
//! (`deploy::triggers::Index`).

mod file;
mod inputs;
mod neutral;
mod provider;
mod text;
mod versions;

use super::Options;
use crate::check::Checked;
use crate::deploy::ids::LogicalIds;
use crate::deploy::inputs::Inputs;
use crate::deploy::resource::Value;
use crate::deploy::{self, Scope};
use crate::model::{InputId, Model, ResourceId};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use text::Text;

pub use file::{write_file, Sink};

/// The region of an app that names none: overridable with `-var region=...`.
const DEFAULT_REGION: &str = "us-east-1";

pub fn emit(checked: &Checked, options: &Options) -> String {
    emit_parts(checked, options).concat()
}

/// The configuration in parts to be written one after another: the
/// settings and variables, then the pieces `build` writes into
/// `main.tf` (`file::pieces`), each made and printed by whichever of two
/// threads is free, then the app's own resources and the outputs. Each
/// part is a whole number of top-level blocks; the parts are never joined
/// in memory (40 MB of text at 10,000 functions), and together they are
/// the text one thread would print. Each resource is written as soon as
/// it is made, so the whole configuration never stands as a tree beside
/// its text.
pub fn emit_parts(checked: &Checked, options: &Options) -> Vec<String> {
    let triggers = deploy::triggers::Index::new(&checked.model);
    let ctx = Ctx::new(checked, options, &triggers);
    let others = file::others(&ctx);
    let pieces = file::pieces(&others, &checked.grants);
    in_parts(
        &ctx,
        &pieces,
        |text, piece| piece.print(&ctx, text),
        |text| {
            write(&ctx, text, &deploy::made_for_app(&ctx.scope()));
        },
    )
}

/// [`emit_parts`] of a layer made already (the one CloudFormation prints
/// from, with what Terraform alone has, the app's own resources last), in
/// pieces of a few hundred resources.
pub fn emit_layer(
    checked: &Checked,
    options: &Options,
    layer: &[(Option<ResourceId>, deploy::resource::Resource)],
    triggers: &deploy::triggers::Index,
) -> Vec<String> {
    /// About fifty functions' resources.
    const RESOURCES_PER_PIECE: usize = 512;
    let ctx = Ctx::new(checked, options, triggers);
    let pieces: Vec<&[(Option<ResourceId>, deploy::resource::Resource)]> = layer.chunks(RESOURCES_PER_PIECE).collect();
    let print = |text: &mut Text, piece: &&[(Option<ResourceId>, deploy::resource::Resource)]| {
        piece.iter().for_each(|(_, resource)| neutral::write(&ctx, text, resource));
    };
    in_parts(&ctx, &pieces, print, |_| {})
}

/// The head, each piece printed by `print` on whichever of two threads is
/// free, then what `last` prints and the outputs: the configuration's
/// parts.
fn in_parts<T: Sync>(
    ctx: &Ctx,
    pieces: &[T],
    print: impl Fn(&mut Text, &T) + Sync,
    last: impl FnOnce(&mut Text),
) -> Vec<String> {
    // Each piece's text starts as large as the largest printed so far:
    // grown by doubling, a piece was copied a dozen times.
    let largest = AtomicUsize::new(0);
    let mut parts = crate::parallel::in_turn(pieces, 1, |piece| {
        let mut text = Text::reusing(String::with_capacity(largest.load(Ordering::Relaxed)));
        print(&mut text, piece);
        let text = text.finish();
        largest.fetch_max(text.len(), Ordering::Relaxed);
        text
    });
    let mut tail = Text::default();
    last(&mut tail);
    outputs(ctx, &mut tail);
    parts.push(tail.finish());
    parts.insert(0, head(ctx));
    text::join(parts)
}

/// The settings and the variables.
fn head(ctx: &Ctx) -> String {
    let mut head = Text::default();
    settings(ctx, &mut head);
    inputs::variables(ctx, &mut head);
    head.finish()
}

/// The blocks of each function's own resources and of what is made for it.
fn functions(ctx: &Ctx, text: &mut Text, grants: &[crate::grants::Grants]) {
    for grants in grants {
        let function = ctx.model.resource(grants.principal);
        write(ctx, text, &deploy::function::own(&ctx.scope(), function, grants));
        write(ctx, text, &deploy::made_for_function(&ctx.scope(), function, grants));
    }
}

/// The blocks of neutral resources.
fn write(ctx: &Ctx, text: &mut Text, made: &[crate::deploy::resource::Resource]) {
    for resource in made {
        neutral::write(ctx, text, resource);
    }
}

/// What every part of the emitter reads: the model, the options, labels.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    sources: &'a crate::source::Sources,
    pub options: &'a Options,
    /// Labels of what triggers make, and the triggers each source feeds:
    /// the same for both printers, so made once when both print.
    triggers: &'a deploy::triggers::Index,
    pub inputs: Inputs<'a>,
    /// Terraform prints no logical id (its labels are names): every id
    /// the layer asks for is empty, and the halves ask nothing of each
    /// other.
    ids: LogicalIds,
}

impl<'a> Ctx<'a> {
    fn new(checked: &'a Checked, options: &'a Options, triggers: &'a deploy::triggers::Index) -> Self {
        let model = &checked.model;
        Ctx {
            model,
            sources: &checked.sources,
            options,
            triggers,
            inputs: Inputs::new(model),
            ids: LogicalIds::unprinted(),
        }
    }

    /// What the builders of neutral resources read.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            model: self.model,
            sources: self.sources,
            stage: &self.options.stage,
            ids: &self.ids,
            triggers: self.triggers,
        }
    }

    pub fn stage(&self) -> &str {
        &self.options.stage
    }

    /// The Terraform type of a resource's main block.
    pub fn ty(&self, id: ResourceId) -> &'a str {
        let resource = self.model.resource(id);
        crate::deploy::rest::main_type(resource).map_or(&self.model.kind_of(id).terraform, |(_, terraform)| terraform)
    }

    pub fn label(&self, id: ResourceId) -> &'a str {
        &self.model.resource(id).name
    }

    /// The ARN of a resource, created or existing.
    pub fn arn(&self, id: ResourceId) -> Read<'_> {
        self.field(id, "arn")
    }

    /// A readable attribute (`orders.name`, `jobs.url`).
    /// Created resources are read from their block; existing ones from
    /// what the app gave (`deploy::existing`).
    pub fn field<'s>(&'s self, id: ResourceId, field: &'s str) -> Read<'s> {
        let resource = self.model.resource(id);
        let kind = self.model.kind_of(id);
        if resource.is_rest_api() && field == "url" {
            return Read::Value(crate::deploy::rest::url(&self.scope(), resource));
        }
        if let Some(address) = crate::deploy::websocket::field(resource, field) {
            return Read::Value(address);
        }
        match &resource.existing {
            None => {
                let attr = kind.field(field).map_or(field, |f| f.terraform.as_str());
                Read::Attr { ty: self.ty(id), label: self.label(id), attr }
            }
            Some(existing) => match existing.input {
                // The ARN alone is read (resolve refuses the other fields).
                Some(input) => Read::Input(input),
                None => Read::Value(Value::Text(deploy::existing::field(existing, &resource.kind, field))),
            },
        }
    }
}

/// `terraform`, `variable "region"` (only for an app without a region),
/// `provider "aws"` and the data sources every configuration uses.
fn settings(ctx: &Ctx, text: &mut Text) {
    let model = ctx.model;
    text.open_block("terraform", &[]);
    text.argument("required_version", |t| t.string(">= 1.5"));
    text.open_block("required_providers", &[]);
    let aws = Value::Map(vec![
        ("source".into(), Value::Str("hashicorp/aws".into())),
        ("version".into(), Value::from(provider::constraint(model))),
    ]);
    text.argument("aws", |t| neutral::value(ctx, t, &aws));
    text.close_block();
    text.close_block();
    if model.app.region.is_none() {
        text.open_block("variable", &["region"]);
        text.argument("description", |t| t.string("the AWS region to deploy to (the app names none)"));
        text.argument("type", |t| t.code("string"));
        text.argument("default", |t| t.string(DEFAULT_REGION));
        text.close_block();
    }
    text.open_block("provider", &["aws"]);
    text.argument("region", |t| match &model.app.region {
        Some(region) => t.string(region),
        None => t.code("var.region"),
    });
    if let Some(account) = &model.app.account {
        text.argument("allowed_account_ids", |t| {
            t.open('[');
            t.string(account);
            t.close(']');
        });
    }
    text.open_block("default_tags", &[]);
    text.argument("tags", |t| neutral::value(ctx, t, &tags(ctx)));
    text.close_block();
    text.close_block();
    for ty in ["aws_caller_identity", "aws_partition", "aws_region"] {
        text.open_block("data", &[ty, "current"]);
        text.close_block();
    }
}

/// The app's tags (`deploy::tags`), set as the provider's default tags so
/// every resource that takes tags gets them.
fn tags(ctx: &Ctx) -> Value {
    let tags = crate::deploy::tags::tags(ctx.model, ctx.stage());
    Value::Map(tags.into_iter().map(|(k, v)| (k.into(), Value::from(v))).collect())
}

/// The outputs `deploy` lists, each named `{resource}_{suffix}`.
fn outputs(ctx: &Ctx, text: &mut Text) {
    // Looked up once an output (20,000 at 10,000 functions): hashed with
    // foldhash, each name made in one buffer.
    let mut used: HashSet<String, foldhash::fast::FixedState> = HashSet::default();
    for output in crate::deploy::outputs::outputs(ctx.model) {
        let resource = output.resource;
        let mut name = String::with_capacity(resource.name.len() + output.suffix.len() + 4);
        name.push_str(&resource.name);
        name.push('_');
        name.extend(output.suffix.chars().map(|c| c.to_ascii_lowercase()));
        let base_len = name.len();
        let mut n = 2;
        while used.contains(&name) {
            name.truncate(base_len);
            name.push('_');
            name.push_str(itoa::Buffer::new().format(n));
            n += 1;
        }
        let value = match crate::deploy::outputs::neutral(&ctx.scope(), &output) {
            Some(neutral) => Read::Value(neutral),
            None => ctx.field(resource.id, output.field),
        };
        output_block(ctx, text, &name, &output.description, value);
        used.insert(name);
    }
    for made in crate::deploy::outputs::made(&ctx.scope()) {
        output_block(ctx, text, &made.terraform, &made.description, Read::Value(made.value));
    }
}

/// `output "NAME" { description = "...", value = ... }`.
fn output_block(ctx: &Ctx, text: &mut Text, name: &str, description: &str, value: Read) {
    text.open_block("output", &[name]);
    text.argument("description", |t| t.string(description));
    text.argument("value", |t| neutral::read(ctx, t, &value));
    text.close_block();
}

/// What a field read gives: an attribute of a block, an input, or a
/// neutral value (an existing resource's ARN, an API's URL).
pub(crate) enum Read<'a> {
    /// `TYPE.LABEL.ATTR`.
    Attr {
        ty: &'a str,
        label: &'a str,
        attr: &'a str,
    },
    /// An input's value: `var.NAME`.
    Input(InputId),
    Value(Value),
}
