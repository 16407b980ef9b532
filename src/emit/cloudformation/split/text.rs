//! JSON text in the layout of `serde_json::to_writer_pretty` (two spaces a
//! level), printed at any depth, so that parts printed apart splice into
//! one template byte for byte: each resource is printed once, at the depth
//! it has in a template, its length is what the packing counts, and the
//! templates are its text and the few values around it.
//!
//! The printer walks the tree itself rather than through serde's
//! serializer, which spent half its time in per-token calls; strings are
//! escaped as serde_json escapes them (a test holds the two to the same
//! bytes).

use serde_json::Value;

/// The depth of a resource in a template: `{ "Resources": { "Id": … } }`.
pub const RESOURCE_DEPTH: usize = 2;

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
    out.push(b'\n');
    out.resize(out.len() + 2 * depth, b' ');
}

/// A JSON string, escaped as serde_json escapes it: `"` and `\`, the short
/// escapes of five control characters, `\u00xx` for the other ones below
/// 0x20; everything else as it is.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
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
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
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
}
