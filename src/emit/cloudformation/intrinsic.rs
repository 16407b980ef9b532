//! The values a reference, an ARN or a name becomes in a template, typed:
//! a plain string, `Ref`, `Fn::GetAtt`, or a `Fn::Sub` template whose
//! variables are kept as [`Read`]s, so that printing records what a
//! resource reads and `split::wire` renames it without parsing text.

use super::split::Read;
use serde_json::{json, Value};

pub const PARTITION: &str = "${AWS::Partition}";
pub const REGION: &str = "${AWS::Region}";
pub const ACCOUNT: &str = "${AWS::AccountId}";

/// A CloudFormation value that may read another resource.
#[derive(Clone, Debug, PartialEq)]
pub enum Cf {
    Str(String),
    /// `{"Ref": id}`.
    Ref(String),
    /// `{"Fn::GetAtt": [id, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Sub": template}`, the template in pieces.
    Sub(Vec<Piece>),
}

/// A piece of a `Fn::Sub` template.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Template text as written: literal text escaped (`${!`), pseudo
    /// parameters (`${AWS::Region}`).
    Text(String),
    /// `${X}` or `${X.Attr}`.
    Var(Read),
}

impl Cf {
    pub fn reference(id: &str) -> Cf {
        Cf::Ref(id.to_string())
    }

    pub fn get_att(id: &str, attribute: &str) -> Cf {
        Cf::GetAtt(id.to_string(), attribute.to_string())
    }

    /// What reads `read`: `Ref` or `Fn::GetAtt`.
    pub fn of(read: &Read) -> Cf {
        match &read.attr {
            None => Cf::Ref(read.id.clone()),
            Some(attr) => Cf::GetAtt(read.id.clone(), attr.clone()),
        }
    }

    /// The read it is, when it is exactly one `Ref` (of no pseudo
    /// parameter) or `Fn::GetAtt`.
    pub fn read(&self) -> Option<Read> {
        match self {
            Cf::Ref(id) if !super::split::is_pseudo(id) => Some(Read::reference(id)),
            Cf::GetAtt(id, attr) => Some(Read::get_att(id, attr)),
            _ => None,
        }
    }

    /// As it reads inside a `Fn::Sub` template: `${Id}` for a `Ref`,
    /// `${Id.Attr}` for a `Fn::GetAtt`, a `Fn::Sub`'s own pieces, a
    /// string escaped.
    pub fn into_pieces(self) -> Vec<Piece> {
        match self {
            Cf::Str(s) => vec![Piece::Text(literal(&s))],
            Cf::Ref(id) => vec![Piece::Var(Read { id, attr: None })],
            Cf::GetAtt(id, attr) => vec![Piece::Var(Read { id, attr: Some(attr) })],
            Cf::Sub(pieces) => pieces,
        }
    }

    /// A template of `pieces`: a `Fn::Sub` when it substitutes something,
    /// else the plain string (`${!` back to `${`).
    pub fn template(pieces: Vec<Piece>) -> Cf {
        if pieces.iter().any(|p| matches!(p, Piece::Var(_))) {
            return Cf::Sub(pieces);
        }
        let text: String = pieces.iter().map(|p| if let Piece::Text(t) = p { t.as_str() } else { "" }).collect();
        if text.replace("${!", "").contains("${") {
            Cf::Sub(vec![Piece::Text(text)])
        } else {
            Cf::Str(text.replace("${!", "${"))
        }
    }

    /// The value as a tree (the root template is built as one).
    pub fn to_json(&self) -> Value {
        match self {
            Cf::Str(s) => Value::String(s.clone()),
            Cf::Ref(id) => json!({ "Ref": id }),
            Cf::GetAtt(id, attr) => json!({ "Fn::GetAtt": [id, attr] }),
            Cf::Sub(pieces) => json!({ "Fn::Sub": sub_text(pieces, &mut super::split::Refs::Ignore) }),
        }
    }
}

/// The text of a `Fn::Sub` template, each variable seen by `refs` (which
/// may rename it).
pub fn sub_text(pieces: &[Piece], refs: &mut super::split::Refs) -> String {
    let mut text = String::new();
    push_sub_text(&mut text, pieces, refs);
    text
}

/// Adds the text of a `Fn::Sub` template of `pieces` to `text`, each
/// variable seen by `refs` where it is written.
pub fn push_sub_text(text: &mut String, pieces: &[Piece], refs: &mut super::split::Refs) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Var(read) => push_var(text, &read.id, read.attr.as_deref(), refs),
        }
    }
}

/// Adds the variable `${id}` or `${id.attr}` to a `Fn::Sub` template, seen
/// by `refs` (which may rename it).
pub fn push_var(text: &mut String, id: &str, attr: Option<&str>, refs: &mut super::split::Refs) {
    let start = text.len();
    text.push_str("${");
    match refs.see(id, attr) {
        Some(name) => text.push_str(&name),
        None => {
            text.push_str(id);
            if let Some(attr) = attr {
                text.push('.');
                text.push_str(attr);
            }
        }
    }
    text.push('}');
    refs.var_at(start, text.len());
}

/// Adds `literal` text to a `Fn::Sub` template (see [`literal`]).
pub fn push_literal(text: &mut String, literal: &str) {
    let mut rest = literal;
    while let Some(at) = rest.find("${") {
        text.push_str(&rest[..at]);
        text.push_str("${!");
        rest = &rest[at + 2..];
    }
    text.push_str(rest);
}

/// Text that must reach AWS as written, inside a `Fn::Sub` template:
/// `${` becomes `${!`.
pub fn literal(text: &str) -> String {
    text.replace("${", "${!")
}

/// An ARN with the `${partition}`, `${region}` and `${account}`
/// placeholders the resolver leaves in the ARNs of resources given by
/// name: a `Fn::Sub` over the pseudo parameters, or the plain string when
/// it has none.
pub fn placeholders(text: &str) -> Cf {
    const PLACES: [(&str, &str); 3] = [("${!partition}", PARTITION), ("${!region}", REGION), ("${!account}", ACCOUNT)];
    let escaped = literal(text);
    if !PLACES.iter().any(|(place, _)| escaped.contains(place)) {
        return Cf::Str(text.to_string());
    }
    Cf::Sub(vec![Piece::Text(PLACES.iter().fold(escaped, |s, (place, pseudo)| s.replace(place, pseudo)))])
}

/// `base` followed by `suffix` (`/index/*`): a `Fn::Sub` unless `base` is
/// a plain string.
pub fn append(base: Cf, suffix: &str) -> Cf {
    match base {
        Cf::Str(s) => Cf::Str(s + suffix),
        base => {
            let mut pieces = base.into_pieces();
            pieces.push(Piece::Text(literal(suffix)));
            Cf::Sub(pieces)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_pseudo_parameters() {
        assert_eq!(
            placeholders("arn:aws:sqs:eu-west-1:123456789012:q").to_json(),
            json!("arn:aws:sqs:eu-west-1:123456789012:q")
        );
        assert_eq!(
            placeholders("arn:${partition}:ssm:${region}:${account}:parameter/a${b}").to_json(),
            json!({ "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/a${!b}" })
        );
    }

    #[test]
    fn append_keeps_the_base_intrinsic() {
        assert_eq!(append(Cf::get_att("T", "Arn"), "/index/*").to_json(), json!({ "Fn::Sub": "${T.Arn}/index/*" }));
        assert_eq!(append(Cf::reference("T"), "/x").to_json(), json!({ "Fn::Sub": "${T}/x" }));
        assert_eq!(append(Cf::Str("arn:aws:s3:::b".into()), "/*").to_json(), json!("arn:aws:s3:::b/*"));
        let region = Cf::Sub(vec![Piece::Text("a-${AWS::Region}".into())]);
        assert_eq!(append(region, "/*").to_json(), json!({ "Fn::Sub": "a-${AWS::Region}/*" }));
    }

    #[test]
    fn a_template_substitutes_only_what_it_reads() {
        let var = Piece::Var(Read::reference("Param"));
        assert_eq!(Cf::template(vec![Piece::Text("a-${!b}".into())]), Cf::Str("a-${b}".into()));
        assert_eq!(Cf::template(vec![Piece::Text(REGION.into())]).to_json(), json!({ "Fn::Sub": REGION }));
        assert_eq!(Cf::template(vec![var.clone()]), Cf::Sub(vec![var]));
    }
}
