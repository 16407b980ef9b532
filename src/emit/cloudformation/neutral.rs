//! Prints `deploy`'s neutral resources as CloudFormation JSON text,
//! straight from the layer (no `serde_json` tree in between): keys under
//! their CloudFormation names, objects nested, references as `Ref` and
//! `Fn::GetAtt`, text with references as `Fn::Sub`. Each resource is
//! printed at its depth in a template, and every reference it prints is
//! seen by a [`Refs`]: recorded the first time (what `split` packs on),
//! renamed when `split::wire` prints it again for another stack.
//!
//! It decides nothing: a property Terraform alone has is left out, one
//! CloudFormation alone has is written.

use super::intrinsic::{literal, push_literal, push_sub_text, push_var, Cf, Piece, ACCOUNT, PARTITION, REGION};
use super::split::text::{self, Writer, RESOURCE_DEPTH};
use super::split::Refs;
use super::{arns, Ctx};
use crate::deploy::resource::{tag_style, Form, Keep, Part, Prop, Ref, Resource, TagStyle, Value};

/// Where a resource's `Metadata` and `Properties` are printed before they
/// are copied into its text (after its `DependsOn`, which they add to):
/// kept by each printing thread from one resource to the next, so that
/// they grow to the largest once instead of for every role.
#[derive(Default)]
pub struct Scratch {
    metadata: Vec<u8>,
    properties: Vec<u8>,
}

/// `resource` as the value of its entry in `Resources`, and its
/// `DependsOn` ids (those the layer gives, then those its ARNs ask for).
/// `refs` sees every reference; `DependsOn` names the ids `keep` keeps.
/// `resource` has a CloudFormation type.
pub fn resource(
    ctx: &Ctx,
    resource: &Resource,
    refs: &mut Refs,
    keep: &dyn Fn(&str) -> bool,
    scratch: &mut Scratch,
) -> (Vec<u8>, Vec<String>) {
    let depth = RESOURCE_DEPTH;
    let ty = resource.ty.cloudformation.as_deref().unwrap_or_default();
    let depends_on =
        resource.depends_on.iter().filter(|d| d.ty.cloudformation.is_some()).map(|d| d.id.cloudformation.to_string());
    // Metadata and Properties first: the ARNs in them add to `DependsOn`,
    // which precedes them.
    let mut printer = Printer { ctx, refs, depends_on: Vec::new() };
    let Scratch { metadata, properties } = scratch;
    metadata.clear();
    properties.clear();
    let metadata_holes = printer.refs.holes();
    if let Some(value) = &resource.metadata {
        // What it asks of a resource that holds it goes nowhere.
        let mut w = Writer::pretty(metadata);
        w.key(&mut false, depth, "Metadata");
        printer.value(&mut w, value, depth + 1);
        printer.depends_on.clear();
    }
    printer.depends_on.extend(depends_on);
    let property_holes = printer.refs.holes();
    let tags = if resource.tagged { tag_style(ty) } else { TagStyle::None };
    if tags != TagStyle::None || resource.props.iter().any(|p| p.key.cloudformation.is_some()) {
        let mut w = Writer::pretty(properties);
        w.key(&mut false, depth, "Properties");
        printer.properties(&mut w, &resource.props, depth + 1, tags);
    }
    let depends_on = printer.depends_on;
    let kept: Vec<&String> = depends_on.iter().filter(|id| keep(id)).collect();
    let holes = (metadata_holes..property_holes, property_holes..refs.holes());

    // Room for the type, a short `DependsOn` and what a nested template
    // writes after the resource (`split::text::Object::apart`).
    let room = 128 + 32 * kept.len() + 64;
    let mut out = Vec::with_capacity(metadata.len() + properties.len() + room);
    let mut w = Writer::pretty(&mut out);
    let mut first = true;
    w.open(b'{');
    w.key(&mut first, depth, "Type");
    w.string(ty);
    let policy = match resource.keep {
        Keep::Default => None,
        Keep::Retain => Some("Retain"),
        Keep::Delete => Some("Delete"),
    };
    if let Some(policy) = policy {
        for key in ["DeletionPolicy", "UpdateReplacePolicy"] {
            w.key(&mut first, depth, key);
            w.string(policy);
        }
    }
    if !kept.is_empty() {
        w.key(&mut first, depth, "DependsOn");
        let mut first = true;
        w.open(b'[');
        for id in &kept {
            w.item(&mut first, depth + 1);
            w.string(id);
        }
        w.close(false, depth + 1, b']');
    }
    // A `DependsOn` left empty by `keep` gave its place to the last entry
    // (nested stacks have always been written so).
    let (metadata_at, properties_at) = if kept.is_empty() && !depends_on.is_empty() && !metadata.is_empty() {
        (w.out.len() + properties.len(), w.out.len())
    } else {
        (w.out.len(), w.out.len() + metadata.len())
    };
    if metadata_at < properties_at {
        w.raw(metadata);
        w.raw(properties);
    } else {
        w.raw(properties);
        w.raw(metadata);
    }
    w.close(false, depth, b'}');
    refs.shift(holes.0, metadata_at);
    refs.shift(holes.1, properties_at);
    refs.finish();
    (out, depends_on)
}

/// A value outside any resource (an output, a field read) as an
/// intrinsic: what it asks of a resource that holds it (a `DependsOn`)
/// goes nowhere. Outputs are text; a number or a truth value is written as
/// its text, and a structured value (which no output holds) as `""`.
pub fn standalone(ctx: &Ctx, value: &Value) -> Cf {
    intrinsic(ctx, value, &mut Vec::new()).unwrap_or_else(|| match value {
        Value::Int(n) => Cf::Str(n.to_string()),
        Value::Bool(b) => Cf::Str(b.to_string()),
        _ => Cf::Str(String::new()),
    })
}

/// A value that is one string or intrinsic, with what it asks of the
/// resource holding it added to `depends_on`; `None` for the others.
fn intrinsic(ctx: &Ctx, value: &Value, depends_on: &mut Vec<String>) -> Option<Cf> {
    Some(match value {
        Value::Str(s) => Cf::Str(s.to_string()),
        Value::Package(s) | Value::PackageHash(s) => Cf::Str(s.clone()),
        Value::Shared(shared) => return intrinsic(ctx, shared, depends_on),
        Value::Text(parts) => text(ctx, parts),
        Value::Ref(r) => reference(r),
        Value::Field(id, field) => arns::field(ctx, *id, field),
        Value::Arn(id) => arns::arn(ctx, *id),
        Value::Input(id) => ctx.input(*id),
        Value::ArnAfter(id) => arns::arn_after(ctx, *id, depends_on),
        Value::Int(_) | Value::Bool(_) | Value::List(_) | Value::Names(_) | Value::Object(_) | Value::Map(_) => {
            return None
        }
    })
}

/// Prints values of one resource.
struct Printer<'p, 'c, 'r> {
    ctx: &'p Ctx<'c>,
    refs: &'p mut Refs<'r>,
    /// The `DependsOn` of the resource being printed.
    depends_on: Vec<String>,
}

impl Printer<'_, '_, '_> {
    /// An object of `props` (and the app's tags in the form `tags` says)
    /// `depth` levels deep.
    fn properties(&mut self, w: &mut Writer, props: &[Prop], depth: usize, tags: TagStyle) {
        let mut first = true;
        w.open(b'{');
        for prop in props {
            let Some(key) = &prop.key.cloudformation else { continue };
            debug_assert!(tags == TagStyle::None || key != "Tags", "the tags are the printer's");
            w.key(&mut first, depth, key);
            match prop.key.form {
                Form::JsonText => self.json_text(w, &prop.value),
                Form::Argument | Form::Block | Form::Json | Form::Flat => self.value(w, &prop.value, depth + 1),
            }
        }
        if tags != TagStyle::None {
            w.key(&mut first, depth, "Tags");
            self.tags(w, tags, depth + 1);
        }
        w.close(first, depth, b'}');
    }

    /// A JSON document as a string: printed compactly, its references
    /// text (neither reads nor renamed).
    fn json_text(&mut self, w: &mut Writer, value: &Value) {
        let mut document = Vec::new();
        let refs = std::mem::replace(self.refs, Refs::Ignore);
        self.value(&mut Writer::compact(&mut document), value, 0);
        *self.refs = refs;
        w.string(&String::from_utf8(document).expect("the printer writes UTF-8"));
    }

    fn value(&mut self, w: &mut Writer, value: &Value, depth: usize) {
        match value {
            Value::Int(n) => w.int(*n),
            Value::Bool(b) => w.raw(if *b { b"true" } else { b"false" }),
            Value::List(items) => {
                let mut first = true;
                w.open(b'[');
                for item in items {
                    w.item(&mut first, depth);
                    self.value(w, item, depth + 1);
                }
                w.close(first, depth, b']');
            }
            Value::Names(names) => {
                let mut first = true;
                w.open(b'[');
                for name in names.iter() {
                    w.item(&mut first, depth);
                    w.string(name);
                }
                w.close(first, depth, b']');
            }
            Value::Object(props) => self.properties(w, props, depth, TagStyle::None),
            Value::Map(entries) => {
                debug_assert!(
                    entries.iter().enumerate().all(|(i, (k, _))| entries[..i].iter().all(|(j, _)| j != k)),
                    "a map's keys are distinct"
                );
                let mut first = true;
                w.open(b'{');
                for (key, value) in entries {
                    w.key(&mut first, depth, key);
                    self.value(w, value, depth + 1);
                }
                w.close(first, depth, b'}');
            }
            Value::Str(s) => w.string(s),
            Value::Package(s) | Value::PackageHash(s) => w.string(s),
            Value::Shared(shared) => self.value(w, shared, depth),
            Value::Ref(r) => text::reference(w, &r.id.cloudformation, r.attr.cloudformation, depth, self.refs),
            Value::Text(parts) => match parts.as_slice() {
                [Part::Lit(s)] => w.string(s),
                parts => {
                    let template = self.sub_template(parts);
                    text::sub(w, &template, depth, self.refs);
                }
            },
            _ => {
                let cf = intrinsic(self.ctx, value, &mut self.depends_on).unwrap_or(Cf::Str(String::new()));
                text::cf(w, &cf, depth, self.refs);
            }
        }
    }

    /// The `Fn::Sub` template of text in `parts` (see [`text`]), its
    /// variables seen as they are written.
    fn sub_template(&mut self, parts: &[Part]) -> String {
        let mut template = String::new();
        for part in parts {
            match part {
                Part::Lit(s) => push_literal(&mut template, s),
                Part::Partition => template.push_str(PARTITION),
                Part::Region => template.push_str(REGION),
                Part::Account => template.push_str(ACCOUNT),
                Part::UrlSuffix => template.push_str(URL_SUFFIX),
                Part::Ref(r) => push_var(&mut template, &r.id.cloudformation, r.attr.cloudformation, self.refs),
                Part::Field(id, field) => {
                    push_sub_text(&mut template, &arns::field(self.ctx, *id, field).into_pieces(), self.refs);
                }
                Part::Input(id) => push_var(&mut template, self.ctx.inputs.parameter(*id), None, self.refs),
            }
        }
        template
    }

    /// The app's tags: a list of `Key`/`Value` objects or a map. Every
    /// resource's are alike, so they are copied as printed once for the
    /// place a resource's tags go (a fifth of a large template's bytes).
    fn tags(&mut self, w: &mut Writer, style: TagStyle, depth: usize) {
        match self.ctx.tags.printed(style, depth, w.is_compact()) {
            Some(printed) => w.raw(printed),
            None => print_tags(w, &self.ctx.tags.list, style, depth),
        }
    }
}

/// The app's tags, then the two every resource carries, and their text
/// where a resource's `Properties` hold them.
pub struct Tags {
    list: Vec<(String, String)>,
    /// As a list, then as a map, [`TAGS_DEPTH`] levels deep.
    printed: [Vec<u8>; 2],
}

/// How deep a resource's tags are: `Resources.Id.Properties.Tags`.
const TAGS_DEPTH: usize = RESOURCE_DEPTH + 2;

impl Tags {
    pub fn new(list: Vec<(String, String)>) -> Tags {
        let printed = [TagStyle::List, TagStyle::Map].map(|style| {
            let mut out = Vec::new();
            print_tags(&mut Writer::pretty(&mut out), &list, style, TAGS_DEPTH);
            out
        });
        Tags { list, printed }
    }

    /// The tags in `style` as printed `depth` levels deep, if printed so.
    fn printed(&self, style: TagStyle, depth: usize, compact: bool) -> Option<&[u8]> {
        if depth != TAGS_DEPTH || compact {
            return None;
        }
        match style {
            TagStyle::List => Some(&self.printed[0]),
            TagStyle::Map => Some(&self.printed[1]),
            TagStyle::None => None,
        }
    }
}

/// `tags` as a list of `Key`/`Value` objects or a map, `depth` levels deep.
fn print_tags(w: &mut Writer, tags: &[(String, String)], style: TagStyle, depth: usize) {
    let mut first = true;
    match style {
        TagStyle::List => {
            w.open(b'[');
            for (key, value) in tags {
                w.item(&mut first, depth);
                let mut inner = true;
                w.open(b'{');
                w.key(&mut inner, depth + 1, "Key");
                w.string(key);
                w.key(&mut inner, depth + 1, "Value");
                w.string(value);
                w.close(false, depth + 1, b'}');
            }
            w.close(first, depth, b']');
        }
        TagStyle::Map | TagStyle::None => {
            w.open(b'{');
            for (key, value) in tags {
                w.key(&mut first, depth, key);
                w.string(value);
            }
            w.close(first, depth, b'}');
        }
    }
}

/// `Ref` or `Fn::GetAtt` of a neutral resource's attribute.
fn reference(r: &Ref) -> Cf {
    match r.attr.cloudformation {
        None => Cf::reference(&r.id.cloudformation),
        Some(attr) => Cf::get_att(&r.id.cloudformation, attr),
    }
}

const URL_SUFFIX: &str = "${AWS::URLSuffix}";

/// A plain string when every part is literal, else a `Fn::Sub`.
fn text(ctx: &Ctx, parts: &[Part]) -> Cf {
    if let [Part::Lit(s)] = parts {
        return Cf::Str(s.clone());
    }
    let mut pieces = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Part::Lit(s) => pieces.push(Piece::Text(literal(s))),
            Part::Partition => pieces.push(Piece::Text(PARTITION.into())),
            Part::Region => pieces.push(Piece::Text(REGION.into())),
            Part::Account => pieces.push(Piece::Text(ACCOUNT.into())),
            Part::UrlSuffix => pieces.push(Piece::Text(URL_SUFFIX.into())),
            Part::Ref(r) => pieces.extend(reference(r).into_pieces()),
            Part::Field(id, field) => pieces.extend(arns::field(ctx, *id, field).into_pieces()),
            Part::Input(id) => pieces.extend(ctx.input(*id).into_pieces()),
        }
    }
    Cf::Sub(pieces)
}
