//! Where the cursor stands in a half-typed document, for completion: in
//! which blocks, after which words of the statement. It reads the tokens
//! (`format::lex`) from the start of the top-level item to the cursor, so
//! it works where the parser cannot yet; what the words mean is left to
//! the stdlib's definitions.

use crate::format::{lex, TokenKind};

/// A bracket the cursor is inside.
#[derive(Clone, Debug, PartialEq)]
pub enum Frame {
    /// The body of a top-level `KIND NAME { ... }` (or `app NAME { ... }`).
    Block { kind: String },
    /// The body of `existing KIND NAME = "..." { ... }`.
    Existing { kind: String },
    /// The body of `defaults KIND { ... }`.
    Defaults { kind: String },
    /// A function's `async { ... }`.
    Async,
    /// The options of `on SOURCE { ... }`.
    Options { source: String },
    /// `WORD [NAME] { ... }` inside a top-level block: one of the blocks
    /// its kind may declare (an api's `authorizer NAME { ... }`,
    /// `usage_plan NAME { ... }`).
    Nested { kind: String, block: String },
    /// The object of `ATTRIBUTE = { ... }` in a `KIND NAME { ... }` block.
    Object { kind: String, attribute: String },
    /// A list or object value, or another nested block.
    Other,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// The brackets around the cursor, outermost first; empty at top level.
    pub frames: Vec<Frame>,
    /// The words and symbols of the statement before the cursor, without
    /// the word being typed.
    pub words: Vec<String>,
    /// The part of a word before the cursor.
    pub prefix: String,
}

/// The context at byte `offset` of `text`, or `None` inside a string or
/// a comment.
pub fn context(text: &str, offset: usize) -> Option<Context> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let mut tokens = lex(before);
    if let Some(last) = tokens.last() {
        let body = &before[last.start..last.end];
        let closed_string = body.len() >= 2 && body.ends_with('"');
        let open = match last.kind {
            TokenKind::Comment => last.end == before.len(),
            TokenKind::String => last.end == before.len() && !closed_string,
            _ => false,
        };
        if open {
            return None;
        }
    }
    let mut context = Context::default();
    if let Some(last) = tokens.last().filter(|t| t.kind == TokenKind::Word && t.end == before.len()) {
        context.prefix = before[last.start..last.end].to_string();
        tokens.pop();
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if offset - context.prefix.len() == line_start {
        return Some(context); // a word in column 0 starts a top-level item
    }
    let mut previous_end = 0;
    for token in &tokens[item_start(before, &tokens)..] {
        if token.kind == TokenKind::Comment {
            continue;
        }
        let word = &before[token.start..token.end];
        if before[previous_end.min(token.start)..token.start].contains('\n') {
            context.words.clear();
        }
        previous_end = token.end;
        match word {
            "{" | "[" => {
                let frame = frame(&context.frames, &context.words, word);
                context.frames.push(frame);
                context.words.clear();
            }
            "}" | "]" => {
                context.frames.pop();
                context.words.clear();
            }
            "," if !matches!(context.frames.last(), Some(Frame::Block { .. })) => context.words.clear(),
            _ => context.words.push(word.to_string()),
        }
    }
    let prefix_start = offset - context.prefix.len();
    if before[previous_end.min(prefix_start)..prefix_start].contains('\n') {
        context.words.clear();
    }
    Some(context)
}

/// The index of the token that starts the top-level item around the end
/// of `text`, cut the way `syntax` cuts a file: a word in column 0 while
/// no bracket is open, an indented item header while none is, or a
/// column-0 line that looks like an item header.
fn item_start(text: &str, tokens: &[crate::format::Token]) -> usize {
    let mut depth = 0usize;
    let mut start = 0;
    let mut previous_end = 0;
    for (i, token) in tokens.iter().enumerate() {
        let word = &text[token.start..token.end];
        // Only whitespace lies between tokens: the token is the first of
        // its line if a line ends in between (or it starts the text).
        let gap = &text[previous_end..token.start];
        let first_on_line = previous_end == 0 || gap.contains('\n');
        previous_end = token.end;
        let column_0 = token.start == 0 || text.as_bytes()[token.start - 1] == b'\n';
        let indented = first_on_line && !column_0;
        let letter = word.starts_with(|c: char| c.is_ascii_alphabetic());
        let header = || looks_like_header(&text[token.start..]);
        if letter && ((column_0 && (depth == 0 || header())) || (indented && depth == 0 && header())) {
            start = i;
            depth = 0;
        }
        match word {
            "{" | "[" if token.kind == TokenKind::Punct => depth += 1,
            "}" | "]" if token.kind == TokenKind::Punct => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    start
}

/// `existing ...` or `kind name {` (as in `syntax`).
fn looks_like_header(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    if line.split_whitespace().next() == Some("existing") {
        return true;
    }
    let Some((head, _)) = line.split_once('{') else { return false };
    let words: Vec<&str> = head.split_whitespace().collect();
    let is_word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    matches!(words.as_slice(), [kind, name] if is_word(kind) && is_word(name))
}

/// What a bracket opens, from the words before it.
fn frame(frames: &[Frame], words: &[String], bracket: &str) -> Frame {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if bracket == "[" {
        return Frame::Other;
    }
    match (frames.last(), words.as_slice()) {
        (None, ["existing", kind, ..]) => Frame::Existing { kind: (*kind).to_string() },
        (None, ["defaults", kind, ..]) => Frame::Defaults { kind: (*kind).to_string() },
        (None, [kind, ..]) => Frame::Block { kind: (*kind).to_string() },
        (Some(Frame::Block { kind }), ["async"]) if kind == "function" => Frame::Async,
        (Some(Frame::Block { kind }), ["on", source, ..]) if kind == "function" => {
            Frame::Options { source: (*source).to_string() }
        }
        (Some(Frame::Block { kind }), [block] | [block, _]) if words.iter().all(|w| is_name(w)) => {
            Frame::Nested { kind: kind.clone(), block: (*block).to_string() }
        }
        (Some(Frame::Block { kind } | Frame::Defaults { kind }), [attribute, "="]) => {
            Frame::Object { kind: kind.clone(), attribute: (*attribute).to_string() }
        }
        _ => Frame::Other,
    }
}

fn is_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase()) && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_cursor(text: &str) -> Option<Context> {
        let offset = text.find('|').expect("a cursor");
        context(&text.replace('|', ""), offset)
    }

    fn words(c: &Context) -> Vec<&str> {
        c.words.iter().map(String::as_str).collect()
    }

    #[test]
    fn top_level_and_blocks() {
        let c = at_cursor("queue jobs {}\n\nta|").expect("the cursor is inside the text");
        assert!(c.frames.is_empty());
        assert_eq!(c.prefix, "ta");
        let c = at_cursor("function f {\n  runtime = \"x\"\nque|").expect("the cursor is inside the text");
        assert!(c.frames.is_empty(), "a word in column 0 starts an item");
        let c = at_cursor("function f {\nruntime = \"x\"\n  net|").expect("the cursor is inside the text");
        assert_eq!(c.frames, vec![Frame::Block { kind: "function".into() }], "column-0 statements stay inside");
        let c = at_cursor("function f {\n  runtime = \"x\"\n  net|").expect("the cursor is inside the text");
        assert_eq!(c.frames, vec![Frame::Block { kind: "function".into() }]);
        assert!(c.words.is_empty());
        let c = at_cursor("function f {\n  network = |\n}").expect("the cursor is inside the text");
        assert_eq!(words(&c), ["network", "="]);
    }

    #[test]
    fn nested_frames() {
        let c = at_cursor("function f {\n  async {\n    on_failure = |").expect("the cursor is inside the text");
        assert_eq!(c.frames.last(), Some(&Frame::Async));
        assert_eq!(words(&c), ["on_failure", "="]);
        let c = at_cursor("function f {\n  on orders { start = latest, on_failure = f|")
            .expect("the cursor is inside the text");
        assert_eq!(c.frames.last(), Some(&Frame::Options { source: "orders".into() }));
        assert_eq!(words(&c), ["on_failure", "="]);
        assert_eq!(c.prefix, "f");
        let c = at_cursor("function f {\n  env = { T = orders.| }\n}").expect("the cursor is inside the text");
        assert_eq!(words(&c), ["T", "=", "orders", "."]);
        let c = at_cursor("function f {\n  send jobs, |").expect("the cursor is inside the text");
        assert_eq!(words(&c), ["send", "jobs", ","]);
        let c = at_cursor("defaults function {\n  env = { A = |").expect("the cursor is inside the text");
        assert_eq!(
            c.frames,
            [
                Frame::Defaults { kind: "function".into() },
                Frame::Object { kind: "function".into(), attribute: "env".into() }
            ]
        );
        let c = at_cursor("api shop {\n  authorizer gate {\n    function = |").expect("the cursor is inside the text");
        assert_eq!(c.frames.last(), Some(&Frame::Nested { kind: "api".into(), block: "authorizer".into() }));
        assert_eq!(words(&c), ["function", "="]);
    }

    #[test]
    fn after_a_top_level_word() {
        let c = at_cursor("queue q {}\n\ndefaults |").expect("the cursor is inside the text");
        assert!(c.frames.is_empty());
        assert_eq!(words(&c), ["defaults"]);
        let c = at_cursor("queue q {}\n\nexisting |").expect("the cursor is inside the text");
        assert_eq!(words(&c), ["existing"]);
    }

    #[test]
    fn strings_and_comments_have_no_context() {
        assert_eq!(at_cursor("function f {\n  runtime = \"py|"), None);
        assert_eq!(at_cursor("function f { # a com|"), None);
        assert!(at_cursor("function f {\n  runtime = \"py\"|").is_some());
    }
}
