//! JSON text in the layout of `serde_json::to_writer_pretty` (two spaces a
//! level), printed at any depth, so that parts printed apart splice into
//! one template byte for byte: each resource is printed once, at the depth
//! it has in a template, its length is what the packing counts, and the
//! templates are its text and the few values around it.

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};
use serde_json::Value;
use std::io::{self, Write};

/// The depth of a resource in a template: `{ "Resources": { "Id": … } }`.
pub const RESOURCE_DEPTH: usize = 2;

/// `value` as `serde_json::to_writer_pretty` prints it `depth` levels deep
/// in a larger value: every line after the first indented by `depth` levels.
pub fn print_at(out: &mut Vec<u8>, value: &Value, depth: usize) {
    let mut serializer = Serializer::with_formatter(out, Pretty { level: depth, has_value: false });
    value.serialize(&mut serializer).expect("a serde_json value always prints into memory");
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
        self.out.extend_from_slice(if self.first { b"\n" } else { b",\n" });
        self.first = false;
        indent(self.out, self.depth + 1);
        serde_json::to_writer(&mut *self.out, key).expect("a string always prints into memory");
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
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    out.resize(out.len() + 2 * depth, b' ');
}

/// serde_json's `PrettyFormatter` with two spaces a level, starting at a
/// given level instead of 0.
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(writer)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.newline(writer)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(writer)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.newline(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

impl Pretty {
    /// A newline and the indentation of the current level.
    fn newline<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] = b"\n                                                               ";
        let width = 1 + 2 * self.level;
        if width <= SPACES.len() {
            writer.write_all(&SPACES[..width])
        } else {
            writer.write_all(b"\n")?;
            (0..self.level).try_for_each(|_| writer.write_all(b"  "))
        }
    }
}
