//! The references a printed resource holds, as plain data: what each
//! `Ref`, `Fn::GetAtt` and `${X}`/`${X.Attr}` variable of a `Fn::Sub`
//! reads ([`Read`]). The printer records them while it prints a resource
//! ([`Refs::Record`]), and `wire` prints a resource again with some of them
//! renamed to parameters ([`Refs::Rename`]); nothing is read back out of
//! printed JSON. Pseudo parameters (`AWS::…`) are never references.

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

/// What the printer does with each reference it prints.
pub enum Refs<'a> {
    /// Records it, each read once, in the order of its first appearance.
    Record(&'a mut Vec<Read>),
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
        let read = || Read { id: id.to_string(), attr: attr.map(str::to_string) };
        match self {
            Refs::Record(reads) => {
                if !reads.iter().any(|r| r.id == id && r.attr.as_deref() == attr) {
                    reads.push(read());
                }
                None
            }
            Refs::Rename(rename) => rename(id, attr),
            Refs::Ignore => None,
        }
    }
}
