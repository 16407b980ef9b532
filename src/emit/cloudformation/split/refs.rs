//! The references a printed resource holds, as plain data: what each
//! `Ref`, `Fn::GetAtt` and `${X}`/`${X.Attr}` variable of a `Fn::Sub`
//! reads ([`Read`]). The printer records them while it prints a resource
//! ([`Refs::Record`]), and `wire` prints a resource again with some of them
//! renamed to parameters ([`Refs::Rename`]); nothing is read back out of
//! printed JSON. Pseudo parameters (`AWS::…`) are never references.
//!
//! A recording also keeps where in the text each reference was printed
//! ([`Hole`]), so that `wire` can write a resource whose reads are renamed
//! by copying its text around those places instead of printing it again.

/// What a reference reads: `Ref X` (`attr` is `None`) or `Fn::GetAtt X.Attr`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Read {
    pub id: String,
    pub attr: Option<String>,
}

impl Read {
    pub fn reference(id: &str) -> Read {
        Read { id: id.to_string(), attr: None }
    }

    pub fn get_att(id: &str, attr: &str) -> Read {
        Read { id: id.to_string(), attr: Some(attr.to_string()) }
    }
}

/// Whether `id` names a pseudo parameter (`AWS::Region`) rather than a
/// resource or parameter of the template.
pub fn is_pseudo(id: &str) -> bool {
    id.starts_with("AWS::")
}

/// Gives the name to print for a read of `id` (and `Fn::GetAtt`
/// attribute), if any.
pub type Rename<'a> = dyn FnMut(&str, Option<&str>) -> Option<String> + 'a;

/// Where a reference was printed in a resource's text, and how a renamed
/// read is written there instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hole {
    /// The bytes `start..end` of the text.
    pub start: usize,
    pub end: usize,
    /// The read, as an index into the recording's reads.
    pub read: usize,
    pub kind: HoleKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoleKind {
    /// A whole `{"Ref": …}` or `{"Fn::GetAtt": …}` object this many levels
    /// deep, printed compact or pretty: a renamed read is `{"Ref": name}`
    /// there.
    Object { depth: usize, compact: bool },
    /// A `${X}` or `${X.Attr}` variable in a `Fn::Sub` string: a renamed
    /// read is `${name}`.
    Var,
}

/// What printing a resource recorded of its references.
#[derive(Debug, Default)]
pub struct Recording {
    /// Each read once, in the order of its first appearance.
    pub reads: Vec<Read>,
    /// Every place a read was printed, in the order of the text.
    pub holes: Vec<Hole>,
    /// Whether `holes` holds every place: false when a `Fn::Sub` string
    /// needed an escape (its variables' places are not the template's).
    pub whole: bool,
    /// The read seen last, until its place is known.
    last: Option<usize>,
    /// The variables of the `Fn::Sub` template being built: their bytes
    /// in it, and their reads.
    vars: Vec<(usize, usize, usize)>,
}

impl Recording {
    pub fn new() -> Recording {
        Recording { whole: true, ..Recording::default() }
    }

    fn see(&mut self, id: &str, attr: Option<&str>) {
        let index = match self.reads.iter().position(|r| r.id == id && r.attr.as_deref() == attr) {
            Some(index) => index,
            None => {
                self.reads.push(Read { id: id.to_string(), attr: attr.map(str::to_string) });
                self.reads.len() - 1
            }
        };
        self.last = Some(index);
    }
}

/// What the printer does with each reference it prints.
pub enum Refs<'a> {
    /// Records it, each read once, in the order of its first appearance,
    /// and where it was printed.
    Record(&'a mut Recording),
    /// Prints the name `rename` gives it instead, if it gives one: a
    /// `Ref` of the name, or `${name}` inside a `Fn::Sub`.
    Rename(&'a mut Rename<'a>),
    /// Prints it as it is.
    Ignore,
}

impl Refs<'_> {
    /// Sees `read` (of `id`, `attr`): the name to print instead, if any.
    pub fn see(&mut self, id: &str, attr: Option<&str>) -> Option<String> {
        if is_pseudo(id) && attr.is_none() {
            return None;
        }
        match self {
            Refs::Record(recording) => {
                recording.see(id, attr);
                None
            }
            Refs::Rename(rename) => rename(id, attr),
            Refs::Ignore => None,
        }
    }

    /// How many places are recorded so far.
    pub fn holes(&self) -> usize {
        match self {
            Refs::Record(recording) => recording.holes.len(),
            Refs::Rename(_) | Refs::Ignore => 0,
        }
    }

    /// Moves the places `range` by `offset` bytes: the text they are in was
    /// printed apart and is now `offset` bytes into the resource's.
    pub fn shift(&mut self, range: std::ops::Range<usize>, offset: usize) {
        if let Refs::Record(recording) = self {
            for hole in &mut recording.holes[range] {
                hole.start += offset;
                hole.end += offset;
            }
        }
    }

    /// Ends a resource: a variable never printed leaves its places unknown.
    pub fn finish(&mut self) {
        if let Refs::Record(recording) = self {
            if !recording.vars.is_empty() {
                recording.whole = false;
                recording.vars.clear();
            }
        }
    }

    /// The read seen last was printed as the object at `start..end`,
    /// `depth` levels deep, `compact` or pretty.
    pub fn object_at(&mut self, start: usize, end: usize, depth: usize, compact: bool) {
        if let Refs::Record(recording) = self {
            if let Some(read) = recording.last.take() {
                recording.holes.push(Hole { start, end, read, kind: HoleKind::Object { depth, compact } });
            }
        }
    }

    /// The read seen last was written as the variable at `start..end` of
    /// the `Fn::Sub` template being built.
    pub fn var_at(&mut self, start: usize, end: usize) {
        if let Refs::Record(recording) = self {
            if let Some(read) = recording.last.take() {
                recording.vars.push((start, end, read));
            }
        }
    }

    /// The `Fn::Sub` template being built was printed as a string whose
    /// text starts at `start`, `escaped` if any byte of it needed an
    /// escape (then its variables' places are not known).
    pub fn template_at(&mut self, start: usize, escaped: bool) {
        if let Refs::Record(recording) = self {
            if escaped && !recording.vars.is_empty() {
                recording.whole = false;
                recording.vars.clear();
            }
            for (from, to, read) in recording.vars.drain(..) {
                recording.holes.push(Hole { start: start + from, end: start + to, read, kind: HoleKind::Var });
            }
        }
    }
}
