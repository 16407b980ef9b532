//! Cutting a file into its top-level items before any is read: where an
//! item starts (column 0, or an indented item header, while no bracket is
//! open; a column-0 header even inside an unclosed block) and how deep its
//! brackets nest. The start of an item resets every state of the cutter,
//! so a file may be cut from any item start: the editor's reparse does, and
//! so does the two-thread parse of a long file.

use crate::source::BYTE_ORDER_MARK;

/// The first line from byte `from` on that starts in column 0 with an item
/// header: [`scan`] starts an item there whatever came before it. A line
/// after a backslash is passed over: it may go on a string, and then the
/// first half's scan would not stop there and the second half be wasted.
pub(super) fn header_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        at += bytes[at..].iter().position(|&b| b == b'\n')? + 1;
        let escaped = bytes[..at - 1].ends_with(b"\\");
        if !escaped && bytes.get(at).is_some_and(u8::is_ascii_alphabetic) && looks_like_header(&text[at..]) {
            return Some(at);
        }
    }
}

/// A top-level item's byte range, and how deep its brackets nest.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Segment {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) depth: usize,
    pub(super) deep_at: usize,
}

/// Cuts a file at the start of each top-level item: a line that starts in
/// column 0 while no bracket is open, or an indented one that looks like an
/// item header (`kind name {`, `existing ...`) while no bracket is open, or a
/// column-0 line that looks like an item header even inside an unclosed
/// block, so a missing `}` costs one error, not the rest of the file.
pub(super) fn segments(text: &str) -> Vec<Segment> {
    scan(text, 0, |_| false).0
}

/// The segments of `text` from `from`, which is 0 or where an item starts
/// (then the scan from there reads nothing before it: the start of an
/// item resets every state), up to the first later item start `stop`
/// accepts, returned with them.
pub(super) fn scan(text: &str, from: usize, mut stop: impl FnMut(usize) -> bool) -> (Vec<Segment>, Option<usize>) {
    let bytes = text.as_bytes();
    let mut segments = Vec::new();
    let mut current: Option<Segment> = None;
    let mut depth = 0usize;
    let mut i = if from == 0 && text.starts_with(BYTE_ORDER_MARK) { BYTE_ORDER_MARK.len_utf8() } else { from };
    let mut line_start = true;
    // Only spaces and tabs since the line started.
    let mut indent = true;
    while i < bytes.len() {
        let b = bytes[i];
        let header = || looks_like_header(&text[i..]);
        let starts_item = (i == from && from > 0)
            || b.is_ascii_alphabetic()
                && ((line_start && (depth == 0 || header())) || (indent && depth == 0 && header()));
        indent &= b == b' ' || b == b'\t';
        if starts_item {
            if let Some(mut segment) = current.take() {
                segment.end = i;
                segments.push(segment);
                if stop(i) {
                    return (segments, Some(i));
                }
            }
            depth = 0;
            current = Some(Segment { start: i, end: i, depth: 0, deep_at: 0 });
        }
        line_start = false;
        let comment = b == b'#' || (b == b'/' && bytes.get(i + 1) == Some(&b'/'));
        if current.is_none() && !b.is_ascii_whitespace() && !comment {
            // Stray text before the first item: parse it as an item so the
            // user hears about it. It starts here, before a string or
            // bracket below moves `i` on.
            current = Some(Segment { start: i, end: i, depth: 0, deep_at: 0 });
        }
        match b {
            b'\n' => {
                line_start = true;
                indent = true;
            }
            b'"' => i = skip_string(bytes, i),
            b'#' => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'{' | b'[' => {
                depth += 1;
                if let Some(segment) = current.as_mut() {
                    if depth > segment.depth {
                        segment.depth = depth;
                        segment.deep_at = i;
                    }
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
        if i < bytes.len() && current.is_some() && !line_start && !indent {
            // Inside a line of an item, only these bytes change a state.
            i += bytes[i..].iter().position(|&b| !PLAIN[b as usize]).unwrap_or(bytes.len() - i);
        }
    }
    if let Some(mut segment) = current {
        segment.end = text.len();
        segments.push(segment);
    }
    (segments, None)
}

/// The bytes that, past the start of a line in an item, [`scan`] passes
/// over without a change of state: all but newlines, quotes, comment
/// starts and brackets.
const PLAIN: [bool; 256] = {
    let mut plain = [true; 256];
    let special = b"\n\"#/{}[]";
    let mut k = 0;
    while k < special.len() {
        plain[special[k] as usize] = false;
        k += 1;
    }
    plain
};

pub(super) fn looks_like_header(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    if line.split_whitespace().next() == Some("existing") {
        return true;
    }
    // `kind name {`, `kind name {}`, `kind name{ ... }`: two words, a brace.
    let Some((head, _)) = line.split_once('{') else {
        return false;
    };
    let words: Vec<&str> = head.split_whitespace().collect();
    matches!(words.as_slice(), [kind, name] if is_word(kind) && is_word(name))
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Index of the closing quote (or the newline ending an unterminated string).
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return i,
            b'\n' => return i - 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn skip_line(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i.saturating_sub(1)
}
