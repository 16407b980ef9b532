//! What an earlier build's CloudFormation output says of its nested
//! stacks: which `TemplateURL` each stack was created from, and which
//! stack holds each logical id, so that a new build keeps every resource
//! where it is deployed.
//!
//! Only the keys this needs are read. The nested templates hold the whole
//! app (12 MB at 1,000 functions) and a build into its own folder reads
//! them every time, so every other value is skipped by its brackets and
//! quotes without being parsed, and the templates are read on two threads.
//! A text that is not a JSON object gives nothing; a key with an escape is
//! decoded by serde_json.

use crate::emit::words::{bytes_equal, find, ONES};
use crate::parallel;
use std::collections::BTreeMap;

/// The nested stack of each logical id in an earlier output: `root` is its
/// `template.json`, `read` gives a nested template by its `TemplateURL`
/// (`stacks/Stack01.json`). Empty when the output was one template.
pub fn previous_stacks(root: &str, read: &(dyn Fn(&str) -> Option<String> + Sync)) -> BTreeMap<String, String> {
    let nested = nested_templates(root);
    let ids = parallel::in_turn(&nested, 1, |(_, url)| read(url).and_then(|text| resource_ids(text.as_bytes())));
    let mut out = BTreeMap::new();
    for ((stack, _), ids) in nested.iter().zip(ids) {
        for id in ids.unwrap_or_default() {
            out.insert(id, stack.clone());
        }
    }
    out
}

/// Each nested stack of a root template, in its order: its logical id and
/// its `TemplateURL`.
pub fn nested_templates(root: &str) -> Vec<(String, String)> {
    let mut stacks = Vec::new();
    let mut scan = Scanner::new(root.as_bytes());
    let read = scan.object(|scan, key| match key.as_str() {
        "Resources" => {
            stacks.clear();
            scan.object(|scan, id| {
                if let Some(url) = scan.stack_url()? {
                    stacks.push((id, url));
                }
                Some(())
            })
        }
        _ => scan.skip_value(),
    });
    if read.and_then(|()| scan.end()).is_none() {
        return Vec::new();
    }
    stacks
}

/// The logical ids of a template's resources: the keys of its top-level
/// `Resources` object. `None` when the text is not a JSON object.
pub(super) fn resource_ids(text: &[u8]) -> Option<Vec<String>> {
    let mut ids = Vec::new();
    let mut scan = Scanner::new(text);
    scan.object(|scan, key| match key.as_str() {
        "Resources" if scan.peek()? == b'{' => {
            ids.clear();
            scan.object(|scan, id| {
                ids.push(id);
                scan.skip_value()
            })
        }
        _ => scan.skip_value(),
    })?;
    scan.end()?;
    Some(ids)
}

/// A cursor over JSON text that reads keys and skips values.
struct Scanner<'t> {
    text: &'t [u8],
    at: usize,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t [u8]) -> Scanner<'t> {
        Scanner { text, at: 0 }
    }

    /// The next byte after any whitespace, not taken.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.text.get(self.at) {
            self.at += 1;
        }
        self.text.get(self.at).copied()
    }

    /// Takes `byte`, the next after any whitespace.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Nothing but whitespace is left.
    fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    /// An object, each entry's value read or skipped by `entry` with the
    /// entry's key.
    fn object(&mut self, mut entry: impl FnMut(&mut Self, String) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = decoded(self.string()?)?;
            self.eat(b':')?;
            entry(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A nested stack resource's `TemplateURL`; `None` inside when the
    /// value is another resource (or not an object, or has no URL).
    fn stack_url(&mut self) -> Option<Option<String>> {
        if self.peek()? != b'{' {
            self.skip_value()?;
            return Some(None);
        }
        let (mut stack, mut url) = (false, None);
        self.object(|scan, key| match key.as_str() {
            "Type" if scan.peek()? == b'"' => {
                stack = decoded(scan.string()?)? == "AWS::CloudFormation::Stack";
                Some(())
            }
            "Properties" if scan.peek()? == b'{' => scan.object(|scan, key| match key.as_str() {
                "TemplateURL" if scan.peek()? == b'"' => {
                    url = Some(decoded(scan.string()?)?);
                    Some(())
                }
                _ => scan.skip_value(),
            }),
            _ => scan.skip_value(),
        })?;
        Some(url.filter(|_| stack))
    }

    /// A string, its quotes included; its escapes are not decoded.
    fn string(&mut self) -> Option<&'t [u8]> {
        self.eat(b'"')?;
        let start = self.at - 1;
        loop {
            let at = self.at + find(self.text.get(self.at..)?, quote_or_backslash)?;
            if self.text[at] == b'"' {
                self.at = at + 1;
                return Some(&self.text[start..self.at]);
            }
            // The escaped byte is never the string's end.
            self.at = at + 2;
        }
    }

    /// Any value, passed over: a string by its quotes, an object or array
    /// by its own kind of brackets outside strings (the other kind is
    /// balanced inside it), anything else up to the next delimiter.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.skip_nested(b'{', b'}'),
            b'[' => self.skip_nested(b'[', b']'),
            _ => {
                let start = self.at;
                while let Some(byte) = self.text.get(self.at) {
                    if matches!(byte, b',' | b'}' | b']' | b':' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }

    /// From `open` to the `close` that balances it, strings passed over
    /// (and brackets of the other kind, balanced inside it).
    fn skip_nested(&mut self, open: u8, close: u8) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.at += find(self.text.get(self.at..)?, quote_or_bracket)?;
            match self.text[self.at] {
                b'"' => {
                    self.string()?;
                }
                byte if byte == open => {
                    depth += 1;
                    self.at += 1;
                }
                byte if byte == close => {
                    depth -= 1;
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
                _ => self.at += 1,
            }
        }
    }
}

fn quote_or_backslash(word: u64) -> u64 {
    bytes_equal(word, b'"') | bytes_equal(word, b'\\')
}

/// A quote, or a bracket of either kind: `[` and `{` differ only by the
/// bit 0x20, as do `]` and `}`.
fn quote_or_bracket(word: u64) -> u64 {
    let folded = word | (ONES * 0x20);
    bytes_equal(word, b'"') | bytes_equal(folded, b'{') | bytes_equal(folded, b'}')
}

/// A quoted string's value: its bytes between the quotes, or serde_json's
/// reading when it has an escape.
fn decoded(quoted: &[u8]) -> Option<String> {
    let inner = &quoted[1..quoted.len() - 1];
    if inner.contains(&b'\\') {
        serde_json::from_slice(quoted).ok()
    } else {
        std::str::from_utf8(inner).ok().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// What serde_json reads as the ids of `text`, to compare with.
    fn ids_by_serde(text: &str) -> Option<Vec<String>> {
        let value: Value = serde_json::from_str(text).ok()?;
        let resources = value.as_object()?.get("Resources").and_then(Value::as_object);
        Some(resources.map(|r| r.keys().cloned().collect()).unwrap_or_default())
    }

    #[test]
    fn resource_ids_are_the_keys_of_the_top_level_resources() {
        let text = r#"{ "Resources": { "B": { "Type": "X" }, "A": 1 }, "Outputs": {} }"#;
        assert_eq!(resource_ids(text.as_bytes()), Some(vec!["B".to_string(), "A".to_string()]));
        for text in ["", "[]", "1", "{", r#"{ "Resources": {"#, r#"{ "Resources": { "A": } }"#, r#"{ "A": 1 } x"#] {
            assert_eq!(resource_ids(text.as_bytes()), None, "{text}");
        }
        for text in ["{}", r#"{ "Resources": null }"#, r#"{ "Resources": [] }"#, r#"{ "Resources": {} }"#] {
            assert_eq!(resource_ids(text.as_bytes()), Some(Vec::new()), "{text}");
        }
    }

    #[test]
    fn values_are_skipped_whatever_their_strings_and_brackets_hold() {
        let template = json!({
            "Description": "a } and a ] and a \" and a \\",
            "Parameters": { "P": { "Type": "String", "AllowedValues": ["{", "}", "[", "]"] } },
            "Resources": {
                "Plain": { "Type": "AWS::SQS::Queue" },
                "Quoted\"Id": { "Properties": { "A": [[{ "B": "}}]]\\\"" }], [], {}], "N": -1.5e3, "T": true } },
                "Unicode\u{e9}": { "Properties": { "Code": "\u{1}\u{1f}" } },
                "Nothing": null,
                "Last": []
            },
            "Outputs": { "Resources": { "Inner": {} } }
        });
        for text in [serde_json::to_string(&template).unwrap(), serde_json::to_string_pretty(&template).unwrap()] {
            let ids = resource_ids(text.as_bytes());
            assert_eq!(ids, ids_by_serde(&text));
            assert_eq!(ids.unwrap().len(), 5);
        }
        let escaped = r#"{"Resources": {"A\u0042": 1, "C\"D": {"E": "\\"}}}"#;
        assert_eq!(resource_ids(escaped.as_bytes()), Some(vec!["AB".to_string(), "C\"D".to_string()]));
    }

    /// Strings of every length up to five words holding a quote, a
    /// backslash, a bracket or a byte of a wider character at every
    /// offset, compact and pretty: each is found wherever it falls in the
    /// eight bytes the scanner looks at together.
    #[test]
    fn strings_holding_brackets_and_escapes_at_every_offset_are_passed_over() {
        let ids = Some(vec!["A".to_string(), "B".to_string()]);
        for len in 1..=40 {
            for special in ['"', '\\', '{', '}', '[', ']', '\u{e9}'] {
                for at in 0..len {
                    let text: String =
                        (0..len).map(|i| if i == at { special } else { char::from(b'a' + (i % 26) as u8) }).collect();
                    let template = json!({ "Resources": { "A": { "P": [text.clone(), { "Q": text }] }, "B": {} } });
                    for printed in [serde_json::to_string(&template), serde_json::to_string_pretty(&template)] {
                        let printed = printed.unwrap();
                        assert_eq!(resource_ids(printed.as_bytes()), ids, "{printed}");
                    }
                }
            }
        }
    }

    /// Every cut and thousands of one-byte changes of a template: the
    /// scanner never fails, and wherever serde_json reads the text as a
    /// template, both find the same ids (a changed byte can make a value
    /// that only the scanner skips, never one it reads otherwise).
    #[test]
    fn broken_templates_give_serde_jsons_ids_or_nothing() {
        let template = json!({
            "Parameters": { "P": { "Type": "String" } },
            "Resources": {
                "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "Tags": [{ "Key": "a\"}", "Value": "[1]" }] } },
                "Role": { "Properties": { "Policies": [{ "Statement": [{ "Action": ["s3:Get*"], "N": 1.5e3 }] }] } },
                "Empty": {}
            },
            "Outputs": { "O": { "Value": { "Ref": "Queue" } } }
        });
        let text = serde_json::to_string_pretty(&template).unwrap().into_bytes();
        let agrees = |bytes: &[u8]| {
            let ours = resource_ids(bytes);
            if let Some(theirs) = std::str::from_utf8(bytes).ok().and_then(ids_by_serde) {
                assert_eq!(ours, Some(theirs), "{}", String::from_utf8_lossy(bytes));
            }
        };
        for cut in 0..text.len() {
            agrees(&text[..cut]);
        }
        let (mut seed, replacements) = (0x2545_f491_4f6c_dd1d_u64, b"{}[]\",: a0\n");
        for _ in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut changed = text.clone();
            let at = (seed % text.len() as u64) as usize;
            changed[at] = replacements[(seed >> 32) as usize % replacements.len()];
            agrees(&changed);
        }
    }

    #[test]
    fn nested_templates_are_the_stacks_of_a_root_with_their_urls() {
        let root = json!({
            "Resources": {
                "Stack01": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "stacks/Stack01.json" } },
                "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "TemplateURL": "not a stack" } },
                "NoUrl": { "Type": "AWS::CloudFormation::Stack", "Properties": {} },
                "Stack02": { "Properties": { "TemplateURL": "stacks/Stack02.json" }, "Type": "AWS::CloudFormation::Stack" },
                "Odd": ["AWS::CloudFormation::Stack"]
            }
        });
        let root = serde_json::to_string_pretty(&root).unwrap();
        let stacks = [("Stack01", "stacks/Stack01.json"), ("Stack02", "stacks/Stack02.json")];
        let expected: Vec<(String, String)> = stacks.iter().map(|(s, u)| (s.to_string(), u.to_string())).collect();
        assert_eq!(nested_templates(&root), expected);
        assert!(nested_templates(&root[..root.len() - 3]).is_empty());
    }

    #[test]
    fn each_id_is_in_the_stack_whose_template_holds_it() {
        let root = r#"{"Resources": {"Stack01": {"Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "a.json"}}, "Stack02": {"Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "b.json"}}, "Stack03": {"Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "missing.json"}}}}"#;
        let read = |url: &str| match url {
            "a.json" => Some(r#"{"Resources": {"X": {}, "Y": {}}}"#.to_string()),
            "b.json" => Some(r#"{"Resources": {"Z": {}}}"#.to_string()),
            _ => None,
        };
        let stacks = previous_stacks(root, &read);
        let expected = [("X", "Stack01"), ("Y", "Stack01"), ("Z", "Stack02")];
        assert_eq!(stacks, expected.iter().map(|(i, s)| (i.to_string(), s.to_string())).collect());
    }
}
