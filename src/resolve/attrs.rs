//! The attributes of a block: each written one checked against its
//! definition (type, range, inputs, patterns), then what it does not write
//! taken from its kind's `defaults` block or the stdlib's default, and a
//! required one reported missing unless it was written elsewhere, valid or
//! not. Unknown attributes get the closest name, another kind's attribute,
//! or the concept other tools spell that way.

use super::{a, any_of, closest_key, defaults, names, value, Scope};
use crate::ast::{Ident, Value};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Attr, Attrs};
use crate::source::Span;
use crate::stdlib::{quoted, AttrDef};

/// The attributes a block wrote, as [`Scope::written`] checked them.
pub(super) struct Written<'v> {
    pub seen: Vec<Option<Span>>,
    pub values: Vec<Option<Attr>>,
    pub unknown: Vec<(&'v Ident, &'v Value)>,
}

/// Whether `defs`' attribute `name` was written, as `seen` records it
/// (by the position of each def).
pub(super) fn written_as(defs: &[AttrDef], seen: &[Option<Span>], name: &str) -> bool {
    defs.iter().zip(seen).any(|(d, s)| s.is_some() && d.name == name)
}

/// Where a block's attribute may have been written outside the block,
/// valid or not, its error reported there, so that it is not missing: the
/// kind's `defaults` block, or one of the kind that did not parse (what it
/// gives is not known), or a broken statement of the block
/// (`syntax::recover`).
pub(super) struct Elsewhere<'t> {
    taken: Option<&'t defaults::Taken>,
    unparsed: bool,
    broken: Vec<String>,
}

impl Elsewhere<'_> {
    pub(super) fn writes(&self, defs: &[AttrDef], name: &str) -> bool {
        self.unparsed || self.broken.iter().any(|word| word == name) || self.taken.is_some_and(|t| t.writes(defs, name))
    }
}

impl Scope<'_> {
    /// Checks `name = value` pairs against `defs`, then applies defaults and
    /// reports missing required attributes at `owner_span`.
    pub(crate) fn attrs<'v>(
        &mut self,
        defs: &[AttrDef],
        written: impl Iterator<Item = (&'v Ident, &'v Value)>,
        owner: &str,
        owner_span: Span,
    ) -> Attrs {
        self.attrs_taking(defs, written, owner, owner_span, None)
    }

    /// [`Scope::attrs`], an attribute the block does not write taken from
    /// `taken` (its kind's `defaults` block) before the stdlib's default.
    pub(super) fn attrs_taking<'v>(
        &mut self,
        defs: &[AttrDef],
        written: impl Iterator<Item = (&'v Ident, &'v Value)>,
        owner: &str,
        owner_span: Span,
        taken: Option<&defaults::Taken>,
    ) -> Attrs {
        let Written { seen, mut values, unknown } = self.written(defs, written, owner);
        // Written here or elsewhere, valid or not: an attribute written
        // with an error was reported and is not missing.
        let elsewhere = self.elsewhere(taken, owner, owner_span);
        let given = |name: &str| written_as(defs, &seen, name) || elsewhere.writes(defs, name);
        if !unknown.is_empty() {
            let missing = defs.iter().filter(|d| d.required && d.default.is_none() && !given(&d.name));
            self.unknown_attributes(unknown, defs, missing, owner);
        }
        if let Some(taken) = taken {
            taken.fill(defs, &seen, &mut values);
        }
        for (def, value) in defs.iter().zip(values.iter_mut()).filter(|(_, value)| value.is_none()) {
            if let Some(val) = value::default_value(def) {
                *value = Some(Attr { name: def.name.clone(), value: val, span: None });
            } else if def.required && !given(&def.name) {
                self.diagnostics.push(
                    Diagnostic::new(Code::MissingAttribute, owner_span, format!("this {owner} needs `{}`", def.name))
                        .label(format!("`{}` is missing", def.name))
                        .help(format!("add `{} = ...` ({})", def.name, def.ty.describe())),
                );
            }
        }
        // At its size: a function's kind has thirty attributes, of which a
        // function sets or defaults about ten (20 MB of room at 10,000
        // functions otherwise).
        let mut attrs = Vec::with_capacity(values.iter().flatten().count());
        attrs.extend(values.into_iter().flatten());
        Attrs(attrs)
    }

    /// The `name = value` pairs of a block checked against `defs`: by the
    /// position of the (first) def of each name, where it was written
    /// first and its checked value; and the names no def has.
    pub(super) fn written<'v>(
        &mut self,
        defs: &[AttrDef],
        written: impl Iterator<Item = (&'v Ident, &'v Value)>,
        owner: &str,
    ) -> Written<'v> {
        // Blocks are many and defs few, so two small vectors rather than
        // two hash maps per block.
        let mut seen: Vec<Option<Span>> = vec![None; defs.len()];
        let mut values: Vec<Option<Attr>> = (0..defs.len()).map(|_| None).collect();
        let mut unknown = Vec::new();
        for (name, value) in written {
            let Some(index) = defs.iter().position(|d| d.name == name.text) else {
                unknown.push((name, value));
                continue;
            };
            let def = &defs[index];
            if let Some(first) = seen[index] {
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateAttribute, name.span, format!("`{}` is set twice", name.text))
                        .label("set again here")
                        .secondary(first, "first set here")
                        .help("remove one of the two"),
                );
                continue;
            }
            seen[index] = Some(name.span);
            if self.references_in_pattern(owner, &def.name, value) {
                continue;
            }
            self.enter_input_place(owner, &def.name);
            let checked = self.check_value(def, value);
            self.leave_input_place();
            if let Some(val) = checked {
                values[index] = Some(Attr { name: def.name.clone(), value: val, span: Some(value.span) });
            }
        }
        Written { seen, values, unknown }
    }

    /// Where else than the block at `span`, of kind `kind`, its attributes
    /// may have been written: `taken`, its kind's defaults.
    pub(super) fn elsewhere<'t>(&self, taken: Option<&'t defaults::Taken>, kind: &str, span: Span) -> Elsewhere<'t> {
        Elsewhere { taken, unparsed: self.defaults_unparsed(kind), broken: self.broken_in(span) }
    }

    /// The first words of the broken statements inside `span`.
    pub(super) fn broken_in(&self, span: Span) -> Vec<String> {
        self.broken.iter().filter(|word| span.contains(word.span)).map(|word| word.text.clone()).collect()
    }

    /// Sets `input_place`, reusing the strings of the last place (one
    /// is set for each attribute of each block).
    fn enter_input_place(&mut self, owner: &str, attr: &str) {
        let (mut kind, mut at) = std::mem::take(&mut self.spare_place);
        kind.clear();
        kind.push_str(owner);
        at.clear();
        at.push_str(attr);
        self.input_place = Some((kind, at));
    }

    fn leave_input_place(&mut self) {
        if let Some(place) = self.input_place.take() {
            self.spare_place = place;
        }
    }

    /// LF1004 for each of the `unknown` attributes of a block of `defs`.
    /// If one required attribute alone is `missing`, it is what the one
    /// unknown attribute whose value could be its most likely stands for
    /// (a schedule's `every = "rate(1 day)"` is its `at`; of a table's
    /// `hash_key` and `range_key`, neither is known).
    pub(super) fn unknown_attributes<'d>(
        &mut self,
        unknown: Vec<(&Ident, &Value)>,
        defs: &[AttrDef],
        mut missing: impl Iterator<Item = &'d AttrDef>,
        owner: &str,
    ) {
        let needed = match (missing.next(), missing.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        };
        let could_be = |value: &Value| needed.is_some_and(|def| value::may_be(&def.ty, &value.kind));
        let alone = unknown.iter().filter(|(_, value)| could_be(value)).count() == 1;
        for (name, value) in unknown {
            let needed = needed.filter(|_| alone && could_be(value)).map(|def| def.name.as_str());
            self.unknown_attribute(name, owner, defs.iter().map(|d| d.name.to_string()).collect(), needed);
        }
    }

    /// LF1004; `needed` is the one required attribute the block lacks,
    /// if the value written could be its.
    pub(super) fn unknown_attribute(&mut self, name: &Ident, owner: &str, known: Vec<String>, needed: Option<&str>) {
        let d = Diagnostic::new(
            Code::UnknownAttribute,
            name.span,
            format!("{} has no attribute `{}`", a(owner), name.text),
        )
        .label("unknown attribute");
        let help = match known.is_empty() {
            true => format!("{} takes no attributes", a(owner)),
            false => format!("{} takes {}", a(owner), quoted(&known)),
        };
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        // Another kind's attribute, set on a resource of this one; not on
        // an existing resource (its kind's attributes are set in AWS), nor
        // in an object (a function URL's `cors`) or the app.
        let of_a_kind = self.kinds.get(owner).is_some();
        let elsewhere: Vec<&str> = (self.kinds.all().iter())
            .filter(|k| of_a_kind && k.name != owner && k.attribute(&name.text).is_some())
            .map(|k| k.name.as_str())
            .collect();
        let concept = match owner {
            "function" => names::function_concept(&name.text),
            _ => None,
        };
        let d = match (concept, closest_key(&name.text, &known), needed) {
            // SAM and Serverless keep the stage in the app's file.
            _ if owner == "app" && name.text == "stage" => {
                d.help(format!("the stage is chosen when building, `lambdaform build --stage dev`; {help}"))
            }
            (Some(concept), _, _) => d.help(concept),
            _ if !elsewhere.is_empty() => {
                d.help(format!("`{}` is an attribute of {}; {help}", name.text, any_of(&elsewhere)))
            }
            (None, Some(close), _) => d.help(format!("did you mean `{close}`? {help}")).replace_with(name.span, close),
            (None, None, Some(needed)) => d
                .help(format!("did you mean `{needed}`, which this {owner} needs? {help}"))
                .replace_with(name.span, needed),
            (None, None, None) => d.help(help),
        };
        self.diagnostics.push(d);
    }
}
