//! JSON text in the layout of `serde_json::to_writer_pretty` (two spaces a
//! level) or `serde_json::to_writer` (compact), printed at any depth, so
//! that parts printed apart splice into one template byte for byte: each
//! resource is printed once, straight from the neutral layer
//! (`cloudformation::neutral`), at the depth it has in a template, its
//! length is what the packing counts, and the templates are its text and
//! the few values around it.
//!
//! [`Writer`] writes the tokens; [`cf`] prints the typed intrinsics, each
//! reference seen by a [`Refs`]; [`print_at`] prints the small `serde_json`
//! trees around the resources (parameters, the root). Strings are escaped
//! as serde_json escapes them (a test holds the two to the same bytes).

use super::{Output, Refs};
use crate::emit::cloudformation::intrinsic::{push_sub_text, Cf};
use crate::emit::words::json_escaped;
use serde_json::Value;

/// The depth of a resource in a template: `{ "Resources": { "Id": … } }`.
pub const RESOURCE_DEPTH: usize = 2;

/// Writes JSON tokens into `out`, pretty or compact.
pub struct Writer<'o> {
    pub out: &'o mut Vec<u8>,
    compact: bool,
}

impl<'o> Writer<'o> {
    pub fn pretty(out: &'o mut Vec<u8>) -> Writer<'o> {
        Writer { out, compact: false }
    }

    pub fn compact(out: &'o mut Vec<u8>) -> Writer<'o> {
        Writer { out, compact: true }
    }

    pub fn is_compact(&self) -> bool {
        self.compact
    }

    /// Opens an object (`b'{'`) or an array (`b'['`).
    pub fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
    }

    /// Before an item of an object or array that is `depth` levels deep:
    /// the comma after the previous one and the item's line.
    pub fn item(&mut self, first: &mut bool, depth: usize) {
        if !*first {
            self.out.push(b',');
        }
        *first = false;
        if !self.compact {
            newline(self.out, depth + 1);
        }
    }

    /// `"key": ` as an entry of an object `depth` levels deep.
    pub fn key(&mut self, first: &mut bool, depth: usize, key: &str) {
        self.item(first, depth);
        string(self.out, key);
        self.out.extend_from_slice(if self.compact { b":" } else { b": " });
    }

    /// Closes an object or array `depth` levels deep with `bracket`;
    /// `first` tells whether it has no item.
    pub fn close(&mut self, first: bool, depth: usize, bracket: u8) {
        if !first && !self.compact {
            newline(self.out, depth);
        }
        self.out.push(bracket);
    }

    pub fn string(&mut self, text: &str) {
        string(self.out, text);
    }

    pub fn int(&mut self, n: i64) {
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// A tree `depth` levels deep, as serde_json prints it.
    pub fn value(&mut self, value: &Value, depth: usize) {
        if self.compact {
            serde_json::to_writer(&mut *self.out, value).expect("a serde_json value always prints into memory");
        } else {
            print_at(self.out, value, depth);
        }
    }

    /// `{"key": value}` with `value` written by `fill`.
    fn single(&mut self, depth: usize, key: &str, fill: impl FnOnce(&mut Self)) {
        let mut first = true;
        self.open(b'{');
        self.key(&mut first, depth, key);
        fill(self);
        self.close(false, depth, b'}');
    }
}

/// An intrinsic `depth` levels deep, each reference seen by `refs`: a
/// renamed one becomes `{"Ref": name}` (`${name}` inside a `Fn::Sub`).
pub fn cf(w: &mut Writer, value: &Cf, depth: usize, refs: &mut Refs) {
    match value {
        Cf::Str(s) => w.string(s),
        Cf::Ref(id) => reference(w, id, None, depth, refs),
        Cf::GetAtt(id, attr) => reference(w, id, Some(attr), depth, refs),
        Cf::Sub(pieces) => {
            let mut template = String::new();
            push_sub_text(&mut template, pieces, refs);
            sub(w, &template, depth, refs);
        }
    }
}

/// `{"Ref": id}` (`attr` is `None`) or `{"Fn::GetAtt": [id, attr]}`
/// `depth` levels deep, seen by `refs`.
pub fn reference(w: &mut Writer, id: &str, attr: Option<&str>, depth: usize, refs: &mut Refs) {
    let start = w.out.len();
    let renamed = refs.see(id, attr);
    print_reference(w, id, attr, renamed, depth);
    refs.object_at(start, w.out.len(), depth, w.compact);
}

/// `{"Ref": name}` for a read renamed to `name` `depth` levels deep.
pub fn renamed_reference(w: &mut Writer, name: &str, depth: usize) {
    print_reference(w, "", None, Some(name.to_string()), depth);
}

fn print_reference(w: &mut Writer, id: &str, attr: Option<&str>, renamed: Option<String>, depth: usize) {
    match (renamed, attr) {
        (Some(name), _) => w.single(depth, "Ref", |w| w.string(&name)),
        (None, None) => w.single(depth, "Ref", |w| w.string(id)),
        (None, Some(attr)) => w.single(depth, "Fn::GetAtt", |w| {
            let mut first = true;
            w.open(b'[');
            w.item(&mut first, depth + 1);
            w.string(id);
            w.item(&mut first, depth + 1);
            w.string(attr);
            w.close(false, depth + 1, b']');
        }),
    }
}

/// `{"Fn::Join": [",", {"Ref": name}]}` `depth` levels deep: a list
/// parameter passed as the string a nested stack's parameter is.
pub fn joined(w: &mut Writer, name: &str, depth: usize) {
    w.single(depth, "Fn::Join", |w| {
        let mut first = true;
        w.open(b'[');
        w.item(&mut first, depth + 1);
        w.string(",");
        w.item(&mut first, depth + 1);
        print_reference(w, name, None, None, depth + 2);
        w.close(false, depth + 1, b']');
    });
}

/// `{"Fn::Sub": template}` `depth` levels deep; `refs` learns where the
/// template's variables were printed.
pub fn sub(w: &mut Writer, template: &str, depth: usize, refs: &mut Refs) {
    w.single(depth, "Fn::Sub", |w| {
        refs.template_at(w.out.len() + 1, plain(template.as_bytes()) < template.len());
        w.string(template);
    });
}

/// Whether `name` is written into a JSON string as it is.
pub fn needs_no_escape(name: &str) -> bool {
    plain(name.as_bytes()) == name.len()
}

/// An output `depth` levels deep: `{"Description": …, "Value": …}`.
pub fn output(w: &mut Writer, output: &Output, depth: usize, refs: &mut Refs) {
    let mut first = true;
    w.open(b'{');
    if let Some(description) = &output.description {
        w.key(&mut first, depth, "Description");
        w.string(description);
    }
    w.key(&mut first, depth, "Value");
    cf(w, &output.value, depth + 1, refs);
    w.close(first, depth, b'}');
}

/// `value` as `serde_json::to_writer_pretty` prints it `depth` levels deep
/// in a larger value: every line after the first indented by `depth` levels.
pub fn print_at(out: &mut Vec<u8>, value: &Value, depth: usize) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => serde_json::to_writer(&mut *out, number).expect("a number always prints into memory"),
        Value::String(text) => string(out, text),
        Value::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"[" } else { b"," });
                newline(out, depth + 1);
                print_at(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(b']');
        }
        Value::Object(map) => {
            let mut object = Object::open(out, depth);
            for (key, value) in map {
                object.value(key, value);
            }
            object.close();
        }
    }
}

/// The bytes `"key": text,\n` takes as an entry of an object whose
/// entries are `depth` levels deep, for a key that needs no escape.
pub fn entry_bytes(key: &str, text: &[u8], depth: usize) -> usize {
    2 * depth + key.len() + 4 + text.len() + 2
}

/// A JSON object written entry by entry, as the pretty printer writes it
/// `depth` levels deep.
pub struct Object<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    first: bool,
}

impl<'a> Object<'a> {
    pub fn open(out: &'a mut Vec<u8>, depth: usize) -> Object<'a> {
        out.push(b'{');
        Object { out, depth, first: true }
    }

    /// `"key": ` on its own line; the value follows.
    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        newline(self.out, self.depth + 1);
        string(self.out, key);
        self.out.extend_from_slice(b": ");
    }

    /// An entry whose value is a tree.
    pub fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        print_at(self.out, value, self.depth + 1);
    }

    /// An entry whose value was printed already at this object's depth + 1.
    pub fn printed(&mut self, key: &str, text: &[u8]) {
        self.key(key);
        self.out.extend_from_slice(text);
    }

    /// An entry whose value was printed already at this object's depth + 1,
    /// kept apart: the value becomes the next of a file's `parts`, which
    /// only such values and what comes before the first one make. What
    /// was written since the previous value (a comma, a newline and the
    /// key) goes at that value's end, and writing goes on in the emptied
    /// buffer: each part is a slice of a vectored write, which costs the
    /// system about as much per slice as copying a hundred bytes.
    pub fn apart(&mut self, key: &str, text: Vec<u8>, parts: &mut Vec<Vec<u8>>) {
        self.key(key);
        match parts.last_mut() {
            Some(previous) => {
                previous.extend_from_slice(self.out);
                self.out.clear();
            }
            None => parts.push(std::mem::take(self.out)),
        }
        parts.push(text);
    }

    /// An output's entry, its references seen by `refs`.
    pub fn output(&mut self, entry: &Output, refs: &mut Refs) {
        self.key(&entry.name);
        output(&mut Writer::pretty(self.out), entry, self.depth + 1, refs);
    }

    /// An entry whose value is an object written by `fill`.
    pub fn object(&mut self, key: &str, fill: impl FnOnce(&mut Object)) {
        self.key(key);
        let mut inner = Object::open(self.out, self.depth + 1);
        fill(&mut inner);
        inner.close();
    }

    pub fn close(self) {
        if !self.first {
            newline(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

/// A newline and the indentation of `depth` levels.
fn newline(out: &mut Vec<u8>, depth: usize) {
    // Each depth a template has is a copy of a length known when compiling,
    // which the compiler writes inline: a length known only when running
    // calls `memcpy`, and a large build writes about 650,000 lines.
    match depth {
        0 => line::<1>(out),
        1 => line::<3>(out),
        2 => line::<5>(out),
        3 => line::<7>(out),
        4 => line::<9>(out),
        5 => line::<11>(out),
        6 => line::<13>(out),
        7 => line::<15>(out),
        8 => line::<17>(out),
        9 => line::<19>(out),
        10 => line::<21>(out),
        11 => line::<23>(out),
        12 => line::<25>(out),
        _ => {
            out.push(b'\n');
            out.resize(out.len() + 2 * depth, b' ');
        }
    }
}

/// A newline and the indentation that make `N` bytes in all.
fn line<const N: usize>(out: &mut Vec<u8>) {
    const LINE: [u8; 25] = {
        let mut line = [b' '; 25];
        line[0] = b'\n';
        line
    };
    out.extend_from_slice(&LINE[..N]);
}

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, the short
/// escapes of five control characters, `\u00xx` for the other ones below
/// 0x20; everything else as it is. Most strings a template holds (keys,
/// types, names, ARNs) need no escape: each is copied whole as it is
/// tested ([`copy_unescaped`]), and escaped only if the test finds a byte
/// to escape.
fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let start = out.len();
    if !copy_unescaped(bytes, out) {
        out.truncate(start);
        escaped(bytes, out);
    }
    out.push(b'"');
}

/// Copies `bytes` into `out`, which has room for them, and tells whether
/// none needs an escape (if one does, the caller takes the copy back).
/// They are tested and copied in words of eight, the last one overlapping
/// the one before it (four and four below eight): copies of lengths known
/// when compiling, which the compiler writes inline, where a call to
/// `memcpy` for each string was a tenth of a large build's instructions.
fn copy_unescaped(bytes: &[u8], out: &mut Vec<u8>) -> bool {
    let (words, rest) = bytes.as_chunks::<8>();
    let mut marked = 0;
    for word in words {
        marked |= json_escaped(u64::from_le_bytes(*word));
        out.extend_from_slice(word);
    }
    if rest.is_empty() {
        return marked == 0;
    }
    // Back over the bytes the last word shares with the one before it.
    let shared = |out: &mut Vec<u8>, len: usize| out.truncate(out.len() + rest.len() - len);
    if let Some(last) = bytes.last_chunk::<8>() {
        marked |= json_escaped(u64::from_le_bytes(*last));
        shared(out, 8);
        out.extend_from_slice(last);
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        let word = u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
        marked |= json_escaped(word);
        out.extend_from_slice(first);
        shared(out, 8);
        out.extend_from_slice(last);
    } else {
        for &byte in rest {
            marked |= u64::from(ESCAPE[usize::from(byte)]);
            out.push(byte);
        }
    }
    marked == 0
}

/// `bytes` escaped, a run of bytes that need none at a time.
fn escaped(bytes: &[u8], out: &mut Vec<u8>) {
    let mut start = 0;
    loop {
        let i = start + copy_plain(&bytes[start..], out);
        let Some(&byte) = bytes.get(i) else { break };
        let escape = ESCAPE[usize::from(byte)];
        if escape == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        start = i + 1;
    }
}

/// The length of the start of `bytes` that needs no escape, looked at
/// eight bytes at a time: a byte below 0x20, `"` or `\` ends it.
fn plain(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = eight(bytes, i) {
        if json_escaped(u64::from_le_bytes(chunk)) != 0 {
            break;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|b| ESCAPE[usize::from(*b)] == 0) {
        i += 1;
    }
    i
}

/// [`plain`], copying that start into `out` as it goes: eight bytes at a
/// time, then one by one, copies of lengths known when compiling, which
/// the compiler writes inline. Most strings are a few bytes, and a call
/// to `memcpy` for each was a tenth of a large build's instructions.
fn copy_plain(bytes: &[u8], out: &mut Vec<u8>) -> usize {
    let mut i = 0;
    while let Some(chunk) = eight(bytes, i) {
        if json_escaped(u64::from_le_bytes(chunk)) != 0 {
            break;
        }
        out.extend_from_slice(&chunk);
        i += 8;
    }
    while let Some(&byte) = bytes.get(i).filter(|b| ESCAPE[usize::from(**b)] == 0) {
        out.push(byte);
        i += 1;
    }
    i
}

/// The eight bytes of `bytes` from `at`, if there are eight.
fn eight(bytes: &[u8], at: usize) -> Option<[u8; 8]> {
    bytes.get(at..at + 8).and_then(|chunk| chunk.try_into().ok())
}

/// Per byte, the letter of its escape, or 0 when it is written as it is.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn every_shape() -> Value {
        let controls: String = (0u8..0x80).map(char::from).collect();
        json!({
            "Type": "AWS::X",
            "Empty": {}, "None": [], "Null": null, "Yes": true, "No": false,
            "Numbers": [0, -1, 18446744073709551615u64, -9223372036854775808i64, 1.5, 1e300, 0.1],
            "Text": [controls, "é ∑ 😀 \u{7f} \u{2028}", "${AWS::Region}", "", "arn:aws:s3:::bucket\"name\\/x\ny"],
            "Nested": { "A": [{ "B": [[], {}, [1, [2, {}]]] }], "k\"e\\y\n": { "Ref": "X" } },
        })
    }

    #[test]
    fn prints_as_serde_json_does() {
        let value = every_shape();
        let mut out = Vec::new();
        print_at(&mut out, &value, 0);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn prints_values_nested_past_the_indentation_slice_as_serde_json_does() {
        let mut value = json!({ "Leaf": ["a", 1] });
        for level in 0..40 {
            value = if level % 2 == 0 { json!({ "Level": value }) } else { json!([value]) };
        }
        let mut out = Vec::new();
        print_at(&mut out, &value, 0);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn a_newline_at_any_depth_is_indented_two_spaces_a_level() {
        for depth in 0..40 {
            let mut out = b"x".to_vec();
            newline(&mut out, depth);
            assert_eq!(out, [b"x\n".to_vec(), vec![b' '; 2 * depth]].concat(), "depth {depth}");
        }
    }

    /// Strings of every length up to five chunks of eight, plain and with
    /// a byte to escape at every offset, written after other text.
    #[test]
    fn escapes_at_every_offset_as_serde_json_does() {
        // A letter per offset, so that a byte copied from the wrong one shows.
        let letter = |i: usize| char::from(b'a' + (i % 26) as u8);
        for len in 0..=40 {
            let plain: String = (0..len).map(letter).collect();
            let mut out = b"x".to_vec();
            string(&mut out, &plain);
            assert_eq!(String::from_utf8(out).unwrap(), format!("x{}", serde_json::to_string(&plain).unwrap()));
            for special in ['"', '\\', '\n', '\u{1}', '\u{1f}', 'é', '\u{7f}'] {
                for at in 0..len {
                    let text: String = (0..len).map(|i| if i == at { special } else { letter(i) }).collect();
                    let mut out = b"x".to_vec();
                    string(&mut out, &text);
                    let expected = format!("x{}", serde_json::to_string(&text).unwrap());
                    assert_eq!(String::from_utf8(out).unwrap(), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn prints_deeper_as_inside_a_larger_value() {
        let value = every_shape();
        let whole = serde_json::to_string_pretty(&json!({ "Resources": { "Id": value.clone() } })).unwrap();
        let mut out = Vec::new();
        let mut template = Object::open(&mut out, 0);
        template.object("Resources", |resources| {
            let mut text = Vec::new();
            print_at(&mut text, &value, RESOURCE_DEPTH);
            resources.printed("Id", &text);
        });
        template.close();
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }

    #[test]
    fn prints_intrinsics_as_serde_json_does_pretty_and_compact() {
        use crate::emit::cloudformation::intrinsic::Piece;
        use crate::emit::cloudformation::split::Read;
        let sub = Cf::Sub(vec![Piece::Text("a\"${AWS::Region}-".into()), Piece::Var(Read::get_att("T", "Arn"))]);
        for value in [Cf::Str("x\ny".into()), Cf::reference("Q"), Cf::get_att("T", "StreamArn"), sub] {
            let whole = json!({ "Resources": { "Id": { "X": [value.to_json()] } } });
            let mut out = Vec::new();
            let mut w = Writer::pretty(&mut out);
            let mut first = true;
            w.open(b'[');
            w.item(&mut first, 4);
            cf(&mut w, &value, 5, &mut Refs::Ignore);
            w.close(false, 4, b']');
            let mut pretty = Vec::new();
            print_at(&mut pretty, &whole["Resources"]["Id"]["X"], 4);
            assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(pretty).unwrap());
            let mut compact = Vec::new();
            cf(&mut Writer::compact(&mut compact), &value, 0, &mut Refs::Ignore);
            assert_eq!(String::from_utf8(compact).unwrap(), value.to_json().to_string());
        }
    }

    #[test]
    fn renames_what_refs_renames_and_records_the_rest() {
        use crate::emit::cloudformation::intrinsic::Piece;
        use crate::emit::cloudformation::split::Read;
        let sub = Cf::Sub(vec![
            Piece::Var(Read::reference("Api")),
            Piece::Text(".${AWS::Region}/${!Api}/".into()),
            Piece::Var(Read::get_att("Table", "Arn")),
            Piece::Var(Read::reference("AWS::AccountId")),
        ]);
        let values = [Cf::reference("Queue"), Cf::get_att("Table", "Arn"), Cf::reference("AWS::Region"), sub];
        let mut recording = crate::emit::cloudformation::split::Recording::new();
        for value in &values {
            cf(&mut Writer::compact(&mut Vec::new()), value, 0, &mut Refs::Record(&mut recording));
        }
        let reads = recording.reads;
        // Each once, in the order of its first appearance; no pseudo parameter.
        assert_eq!(reads, [Read::reference("Queue"), Read::get_att("Table", "Arn"), Read::reference("Api")]);
        let mut rename = |id: &str, attr: Option<&str>| match (id, attr) {
            ("Api", _) => None,
            (id, attr) => Some(format!("{id}{}", attr.unwrap_or("P"))),
        };
        let printed: Vec<String> = values
            .iter()
            .map(|value| {
                let mut out = Vec::new();
                cf(&mut Writer::compact(&mut out), value, 0, &mut Refs::Rename(&mut rename));
                String::from_utf8(out).unwrap()
            })
            .collect();
        assert_eq!(
            printed,
            [
                r#"{"Ref":"QueueP"}"#,
                r#"{"Ref":"TableArn"}"#,
                r#"{"Ref":"AWS::Region"}"#,
                r#"{"Fn::Sub":"${Api}.${AWS::Region}/${!Api}/${TableArn}${AWS::AccountId}"}"#,
            ]
        );
    }
}
