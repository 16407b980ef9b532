//! Semantic tokens by delta (`textDocument/semanticTokens/full/delta`):
//! the last tokens sent for each open document, under a `resultId`, and
//! the one edit that turns them into the new ones (their common prefix
//! and suffix kept, what lies between replaced, as rust-analyzer does).
//! A client that names a result this server no longer holds gets the
//! whole tokens again. Results are JSON text (`tokens_json`).

use super::tokens_json;
use lsp_types::{SemanticToken, SemanticTokensEdit};
use std::collections::HashMap;

/// The integers LSP encodes each token in.
const INTEGERS: usize = 5;

/// The last tokens sent, by document URI.
#[derive(Default)]
pub struct Sent {
    /// The number behind the next `resultId`.
    next: u64,
    last: HashMap<String, (String, Vec<SemanticToken>)>,
}

impl Sent {
    /// Answers a full request with `data`, kept under a new result id:
    /// the `SemanticTokens` result as JSON text.
    pub fn full(&mut self, uri: &str, data: Vec<SemanticToken>) -> String {
        let result_id = self.keep(uri, data);
        tokens_json::tokens(&result_id, &self.last[uri].1)
    }

    /// Answers a delta request from the result `previous`: the edits from
    /// it to `data` (a `SemanticTokensDelta`), or all of `data` (a
    /// `SemanticTokens`) when `previous` is not the last result sent for
    /// `uri`; as JSON text.
    pub fn delta(&mut self, uri: &str, previous: &str, data: Vec<SemanticToken>) -> String {
        let edits: Vec<_> = match self.last.get(uri) {
            Some((id, old)) if id == previous => edit(old, &data).into_iter().collect(),
            _ => return self.full(uri, data),
        };
        let result_id = self.keep(uri, data);
        tokens_json::delta(&result_id, &edits)
    }

    /// Forgets what was sent for a document that closed.
    pub fn forget(&mut self, uri: &str) {
        self.last.remove(uri);
    }

    fn keep(&mut self, uri: &str, data: Vec<SemanticToken>) -> String {
        self.next += 1;
        let id = self.next.to_string();
        self.last.insert(uri.to_string(), (id.clone(), data));
        id
    }
}

/// The edit from `old` to `new`, in the integers of LSP's encoding;
/// `None` when they are the same.
fn edit(old: &[SemanticToken], new: &[SemanticToken]) -> Option<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix = old_rest.iter().rev().zip(new_rest.iter().rev()).take_while(|(a, b)| a == b).count();
    let deleted = old_rest.len() - suffix;
    let inserted = &new_rest[..new_rest.len() - suffix];
    if deleted == 0 && inserted.is_empty() {
        return None;
    }
    Some(SemanticTokensEdit {
        start: (prefix * INTEGERS) as u32,
        delete_count: (deleted * INTEGERS) as u32,
        data: (!inserted.is_empty()).then(|| inserted.to_vec()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, length: u32) -> SemanticToken {
        SemanticToken { delta_line, delta_start: 0, length, token_type: 0, token_modifiers_bitset: 0 }
    }

    /// `old` with the edit applied, token by token.
    fn apply(old: &[SemanticToken], edit: &SemanticTokensEdit) -> Vec<SemanticToken> {
        let start = edit.start as usize / INTEGERS;
        let end = start + edit.delete_count as usize / INTEGERS;
        let mut out = old.to_vec();
        out.splice(start..end, edit.data.clone().unwrap_or_default());
        out
    }

    #[test]
    fn the_edit_keeps_the_common_prefix_and_suffix() {
        let old = [token(0, 1), token(1, 2), token(1, 3), token(1, 4)];
        let new = [token(0, 1), token(1, 9), token(1, 9), token(1, 3), token(1, 4)];
        let edit = edit(&old, &new).expect("they differ");
        assert_eq!((edit.start, edit.delete_count), (5, 5));
        assert_eq!(edit.data.as_deref(), Some(&new[1..3]));
        assert_eq!(apply(&old, &edit), new);
    }

    #[test]
    fn deletions_insertions_and_no_change() {
        let old = [token(0, 1), token(1, 2), token(1, 2)];
        assert_eq!(edit(&old, &old), None);
        let shorter = [token(0, 1), token(1, 2)];
        let edit_down = edit(&old, &shorter).expect("one fewer");
        assert_eq!((edit_down.start, edit_down.delete_count, edit_down.data.clone()), (10, 5, None));
        assert_eq!(apply(&old, &edit_down), shorter);
        assert_eq!(apply(&shorter, &edit(&shorter, &old).expect("one more")), old);
        assert_eq!(apply(&[], &edit(&[], &old).expect("from nothing")), old);
    }

    #[test]
    fn an_unknown_previous_result_gets_the_whole_tokens() {
        let mut sent = Sent::default();
        let read = |text: String| serde_json::from_str::<serde_json::Value>(&text).expect("JSON");
        let first = read(sent.full("file:///a.lf", vec![token(0, 1)]));
        assert_eq!(first["data"], serde_json::json!([0, 0, 1, 0, 0]));
        let tokens = read(sent.delta("file:///a.lf", "not-sent", vec![token(0, 2)]));
        assert_eq!(tokens["data"], serde_json::json!([0, 0, 2, 0, 0]), "expected whole tokens: {tokens}");
        assert_ne!(tokens["resultId"], first["resultId"]);
        let id = tokens["resultId"].as_str().expect("an id");
        let delta = read(sent.delta("file:///a.lf", id, vec![token(0, 2)]));
        assert_eq!(delta["edits"], serde_json::json!([]), "expected an empty delta: {delta}");
    }
}
