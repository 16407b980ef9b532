//! Terraform HCL: an hcl-rs body of the whole configuration, printed in
//! `terraform fmt` layout (`layout.rs`).
//! This file owns the `terraform`, `provider`, `data` and `output` blocks,
//! the order of the output, labels, and how a resource's readable
//! attributes (`jobs.url`) become Terraform expressions.
//!
//! Labels are resource names (`aws_sqs_queue.jobs`, `aws_lambda_function.worker`,
//! `aws_iam_role.worker`); resources made for one trigger are labelled
//! `{function}_{source}` (plus the method for api routes), made unique
//! (`deploy::triggers::Index`).

mod expr;
mod inputs;
pub mod layout;
mod neutral;
mod provider;
mod text;
mod versions;

use super::Options;
use crate::check::Checked;
use crate::deploy::ids::LogicalIds;
use crate::deploy::inputs::Inputs;
use crate::deploy::{self, Scope};
use crate::model::{InputId, Model, Resource, ResourceId};
use expr::{attr_ref, block, data, data_ref, object, placeholders, string, strings, template, traversal, Part};
use hcl::expr::Expression;
use hcl::format::{Format, Formatter};
use hcl::{Block, Structure};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeSet, HashSet};
use text::Text;

/// The region of an app that names none: overridable with `-var region=...`.
const DEFAULT_REGION: &str = "us-east-1";

pub fn emit(checked: &Checked, options: &Options) -> String {
    let ctx = Ctx::new(checked, options);
    // Each resource is written as soon as it is made, so the whole
    // configuration never stands as a tree beside its text.
    let mut rest = Text::default();
    for resource in ctx.model.resources.iter().filter(|r| r.function.is_none()) {
        write(&ctx, &mut rest, &deploy::made_for(&ctx.scope(), resource));
    }
    for grants in &checked.grants {
        let function = ctx.model.resource(grants.principal);
        write(&ctx, &mut rest, &deploy::function::own(&ctx.scope(), function, grants));
        write(&ctx, &mut rest, &deploy::made_for_function(&ctx.scope(), function, grants));
    }
    write(&ctx, &mut rest, &deploy::made_for_app(&ctx.scope()));
    outputs(&ctx, &mut rest);
    // Lookups of existing resources are known once everything else is built.
    let mut head = Printer::new();
    head.print(settings(&ctx));
    head.print(inputs::variables(&ctx));
    head.print(ctx.lookup_blocks());
    rest.after(head.finish())
}

/// The blocks of neutral resources.
fn write(ctx: &Ctx, text: &mut Text, made: &[crate::deploy::resource::Resource]) {
    for resource in made {
        neutral::write(ctx, text, resource);
    }
}

/// Prints top-level blocks one after another, as hcl-rs prints a body, each
/// put in `terraform fmt` layout as soon as it is printed.
struct Printer {
    hcl: Formatter<'static, Vec<u8>>,
    layout: layout::Layout,
}

impl Printer {
    fn new() -> Printer {
        // Keys print bare where they can (`Version = ...`), short lists on one line.
        let hcl = Formatter::builder().prefer_ident_keys(true).compact_arrays(true).build_vec();
        Printer { hcl, layout: layout::Layout::default() }
    }

    fn print(&mut self, structures: Vec<impl Into<Structure>>) {
        for structure in structures {
            let text =
                structure.into().format_string(&mut self.hcl).expect("blocks built from hcl-rs values always print");
            self.layout.push(&text);
        }
    }

    fn finish(self) -> String {
        self.layout.finish()
    }
}

/// What every part of the emitter reads: the model, the options, labels.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    sources: &'a crate::source::Sources,
    pub options: &'a Options,
    /// Labels of what triggers make, and the triggers each source feeds.
    triggers: deploy::triggers::Index,
    /// Existing resources read through a `data` block.
    lookups: RefCell<BTreeSet<ResourceId>>,
    pub inputs: Inputs<'a>,
    /// The logical ids the neutral resources carry, made when first asked.
    ids: OnceCell<LogicalIds>,
}

impl<'a> Ctx<'a> {
    fn new(checked: &'a Checked, options: &'a Options) -> Self {
        let model = &checked.model;
        Ctx {
            model,
            sources: &checked.sources,
            options,
            triggers: deploy::triggers::Index::new(model),
            lookups: RefCell::new(BTreeSet::new()),
            inputs: Inputs::new(model),
            ids: OnceCell::new(),
        }
    }

    /// An input's value: `var.NAME`.
    pub fn input(&self, id: InputId) -> Expression {
        traversal("var", &[self.inputs.variable(id)])
    }

    /// What the builders of neutral resources read.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            model: self.model,
            sources: self.sources,
            stage: &self.options.stage,
            ids: self.ids.get_or_init(|| LogicalIds::new(self.model)),
            triggers: &self.triggers,
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

    /// `TYPE.NAME.ATTR` of a created resource.
    pub fn attr(&self, id: ResourceId, attr: &str) -> Expression {
        attr_ref(self.ty(id), self.label(id), attr)
    }

    /// The ARN of a resource, created or existing.
    pub fn arn(&self, id: ResourceId) -> Read {
        self.field(id, "arn")
    }

    /// A readable attribute (`orders.name`, `jobs.url`).
    /// Created resources are read from their block; existing ones from
    /// their ARN where it holds the value, else through a `data` lookup.
    pub fn field(&self, id: ResourceId, field: &str) -> Read {
        let resource = self.model.resource(id);
        let kind = self.model.kind_of(id);
        if resource.is_rest_api() && field == "url" {
            return Read::Value(crate::deploy::rest::url(&self.scope(), resource));
        }
        if let Some(address) = crate::deploy::websocket::field(resource, field) {
            return Read::Value(address);
        }
        let Some(existing) = &resource.existing else {
            let attr = kind.field(field).map_or(field, |f| f.terraform.as_str());
            return Read::Expr(self.attr(id, attr));
        };
        if let Some(input) = existing.input {
            // The ARN alone is read (resolve refuses the other fields).
            return Read::Expr(self.input(input));
        }
        Read::Expr(match (kind.name.as_str(), field) {
            (_, "arn") => placeholders(&existing.arn, &[]),
            (_, "name") => string(existing_name(resource)),
            ("table", "stream_arn") if existing.stream_arn.is_some() => {
                placeholders(existing.stream_arn.as_deref().unwrap_or_default(), &[])
            }
            ("queue", "url") => template(vec![
                Part::Lit("https://sqs.".into()),
                Part::Expr(placeholders(&existing.region, &[])),
                Part::Lit(".amazonaws.com/".into()),
                Part::Expr(placeholders(&existing.account, &[])),
                Part::Lit(format!("/{}", existing.id)),
            ]),
            _ => {
                self.lookups.borrow_mut().insert(id);
                let attr = kind.field(field).map_or(field, |f| f.terraform.as_str());
                data_ref(&kind.terraform, &resource.name, attr)
            }
        })
    }

    /// `data "TYPE" "NAME" { NAME_ATTR = "name" }` for each existing
    /// resource read through a lookup.
    fn lookup_blocks(&self) -> Vec<Block> {
        self.lookups
            .borrow()
            .iter()
            .map(|id| {
                let resource = self.model.resource(*id);
                let kind = self.model.kind_of(*id);
                let key = kind.field("name").map_or("name", |f| f.terraform.as_str());
                data(&kind.terraform, &resource.name).add_attribute((key, string(existing_name(resource)))).build()
            })
            .collect()
    }

    /// The path of the function's package as Terraform sees it:
    /// `${path.module}/{code}`. `build` copies each package into the
    /// output folder at its `code` path, so the folder is self-contained
    /// and its layout is the S3 key layout the CloudFormation template uses.
    pub fn code_path(&self, code: &str) -> Expression {
        template(vec![
            Part::Expr(traversal("path", &["module"])),
            Part::Lit(format!("/{}", crate::deploy::names::package_key(code))),
        ])
    }
}

/// The name of an existing resource: as written, or the last part of its ARN.
fn existing_name(resource: &Resource) -> String {
    match &resource.existing {
        Some(e) if !e.literal.starts_with("arn:") => e.literal.clone(),
        Some(e) => e.id.clone(),
        None => resource.name.clone(),
    }
}

/// `terraform`, `variable "region"` (only for an app without a region),
/// `provider "aws"` and the data sources every configuration uses.
fn settings(ctx: &Ctx) -> Vec<Structure> {
    let model = ctx.model;
    let mut out: Vec<Structure> = Vec::new();
    let aws = object([("source", string("hashicorp/aws")), ("version", string(provider::constraint(model)))]);
    out.push(
        block("terraform")
            .add_attribute(("required_version", string(">= 1.5")))
            .add_block(block("required_providers").add_attribute(("aws", aws)).build())
            .build()
            .into(),
    );
    let region = match &model.app.region {
        Some(region) => string(region.clone()),
        None => {
            out.push(
                Block::builder("variable")
                    .add_label("region")
                    .add_attribute(("description", string("the AWS region to deploy to (the app names none)")))
                    .add_attribute(("type", traversal("string", &[])))
                    .add_attribute(("default", string(DEFAULT_REGION)))
                    .build()
                    .into(),
            );
            traversal("var", &["region"])
        }
    };
    let mut provider = Block::builder("provider").add_label("aws").add_attribute(("region", region));
    if let Some(account) = &model.app.account {
        provider = provider.add_attribute(("allowed_account_ids", strings([account])));
    }
    provider = provider.add_block(block("default_tags").add_attribute(("tags", tags(ctx))).build());
    out.push(provider.build().into());
    for ty in ["aws_caller_identity", "aws_partition", "aws_region"] {
        out.push(data(ty, "current").build().into());
    }
    out
}

/// The app's tags plus `lambdaform:app` and `lambdaform:stage`, set as the
/// provider's default tags so every resource that takes tags gets them.
fn tags(ctx: &Ctx) -> Expression {
    let app = &ctx.model.app;
    let mut entries: Vec<(String, Expression)> = app.tags.iter().map(|(k, v)| (k.clone(), string(v.clone()))).collect();
    let name = if app.name.is_empty() { "app".to_string() } else { app.name.clone() };
    entries.push(("lambdaform:app".into(), string(name)));
    entries.push(("lambdaform:stage".into(), string(ctx.stage())));
    object(entries)
}

/// The outputs `deploy` lists, each named `{resource}_{suffix}`.
fn outputs(ctx: &Ctx, text: &mut Text) {
    let mut used: HashSet<String> = HashSet::new();
    for output in crate::deploy::outputs::outputs(ctx.model) {
        let resource = output.resource;
        let base = format!("{}_{}", resource.name, output.suffix.to_ascii_lowercase());
        let mut name = base.clone();
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let value = match crate::deploy::outputs::neutral(&ctx.scope(), &output) {
            Some(neutral) => Read::Value(neutral),
            None => ctx.field(resource.id, output.field),
        };
        output_block(ctx, text, &name, &output.description, value);
    }
    for made in crate::deploy::outputs::made(&ctx.scope()) {
        output_block(ctx, text, &made.terraform, &made.description, Read::Value(made.value));
    }
}

/// `output "NAME" { description = "...", value = ... }`.
fn output_block(ctx: &Ctx, text: &mut Text, name: &str, description: &str, value: Read) {
    text.open_block("output", &[name]);
    text.argument("description", |t| t.string(description));
    text.argument("value", |t| neutral::read(ctx, t, value));
    text.close_block();
}

/// What a field read gives: an expression the context built, or a neutral
/// value (an API's URL) the printer writes.
pub(crate) enum Read {
    Expr(Expression),
    Value(crate::deploy::resource::Value),
}
