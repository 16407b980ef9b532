//! The semantic tokens results as JSON text, written straight from the
//! tokens' integers. The whole tokens of the 1,000-function app are
//! 130,000 integers; turned into `serde_json::Value` trees (the result,
//! then the response around it) before being printed, they cost more
//! than finding the tokens did. The text is byte for byte what serde_json
//! prints for the same `lsp_types` values (the tests compare the two).

use lsp_types::{SemanticToken, SemanticTokensEdit};

/// A `SemanticTokens` result: `{"resultId":"…","data":[…]}`.
pub fn tokens(result_id: &str, data: &[SemanticToken]) -> String {
    // Most integers of a document's tokens are one digit: two bytes each.
    let mut out = String::with_capacity(32 + data.len() * 12);
    out.push_str("{\"resultId\":");
    string(&mut out, result_id);
    out.push_str(",\"data\":");
    integers(&mut out, data);
    out.push('}');
    out
}

/// A `SemanticTokensDelta` result: `{"resultId":"…","edits":[…]}`, each
/// edit `{"start":…,"deleteCount":…,"data":[…]}` (no `data` when it
/// inserts nothing).
pub fn delta(result_id: &str, edits: &[SemanticTokensEdit]) -> String {
    let mut out = String::from("{\"resultId\":");
    string(&mut out, result_id);
    out.push_str(",\"edits\":[");
    let mut number = itoa::Buffer::new();
    for (i, edit) in edits.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"start\":");
        out.push_str(number.format(edit.start));
        out.push_str(",\"deleteCount\":");
        out.push_str(number.format(edit.delete_count));
        if let Some(data) = &edit.data {
            out.push_str(",\"data\":");
            integers(&mut out, data);
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// The tokens as LSP encodes them: five integers each, in one array.
fn integers(out: &mut String, data: &[SemanticToken]) {
    let mut number = itoa::Buffer::new();
    out.push('[');
    for (i, token) in data.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(number.format(token.delta_line));
        out.push(',');
        out.push_str(number.format(token.delta_start));
        out.push(',');
        out.push_str(number.format(token.length));
        out.push(',');
        out.push_str(number.format(token.token_type));
        out.push(',');
        out.push_str(number.format(token.token_modifiers_bitset));
    }
    out.push(']');
}

/// A JSON string, escaped as serde_json escapes it.
fn string(out: &mut String, text: &str) {
    // Serializing a `&str` cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{SemanticTokens, SemanticTokensDelta};

    fn token(delta_line: u32, delta_start: u32, length: u32, token_type: u32, modifiers: u32) -> SemanticToken {
        SemanticToken { delta_line, delta_start, length, token_type, token_modifiers_bitset: modifiers }
    }

    /// What the server printed before: the result as a `Value`, printed.
    fn by_serde(result: &impl serde::Serialize) -> String {
        let value = serde_json::to_value(result).expect("serializes");
        serde_json::to_string(&value).expect("prints")
    }

    #[test]
    fn whole_tokens_print_as_serde_json_prints_them() {
        let data = vec![token(0, 0, 3, 0, 0), token(12, 4_000_000_000, 10, 6, 3), token(1, 2, 1, 10, 1)];
        for (id, data) in [("1", data.clone()), ("a \"quoted\" id\n", data), ("7", Vec::new())] {
            let result = SemanticTokens { result_id: Some(id.into()), data: data.clone() };
            assert_eq!(tokens(id, &data), by_serde(&result));
        }
    }

    /// Each document (examples, and one with text beyond ASCII) opened as
    /// an untitled buffer; the server's reply to a whole tokens request is
    /// what the server printed before for the same tokens: the response
    /// around a `Value` of `SemanticTokens`, turned into a `Value`, printed.
    /// A delta after an edit prints as serde_json prints its own reading.
    #[test]
    fn the_servers_tokens_replies_print_as_serde_json_prints_them() {
        use crate::lsp::{text, tokens, Server};
        use lsp_server::{Notification, Request, RequestId, Response};
        use serde_json::{json, Value};

        let (mut server, _) = Server::new(Default::default(), crate::date::Date::parse("2026-12-05").ok());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut documents: Vec<String> = ["orders", "chat", "streams", "rest_api"]
            .iter()
            .map(|name| std::fs::read_to_string(root.join("examples").join(name).join("main.lf")).expect("an example"))
            .collect();
        documents.push("app a {}\n\n# café ☕ 𝄞\nqueue q { visibility_timeout = 30s } # é\nfunction f {\n  runtime = \"python3.12\"\n  handler = \"é.h\"\n  code = \"b.zip\"\n  send q\n}\n".into());
        for (n, text_of) in documents.iter().enumerate() {
            let uri = format!("untitled:doc{n}");
            let document = json!({ "uri": uri, "languageId": "lambdaform", "version": 1, "text": text_of });
            let open = Notification::new("textDocument/didOpen".into(), json!({ "textDocument": document }));
            server.notification(open, false);
            let id = RequestId::from(n as i32);
            let params = json!({ "textDocument": { "uri": uri } });
            let reply = server.request(Request::new(id.clone(), "textDocument/semanticTokens/full".into(), params));
            let reply = reply.expect("a reply");
            let read: Value = serde_json::from_str(&reply).expect("JSON");
            let result_id = read["result"]["resultId"].as_str().expect("a result id").to_string();

            let uri = uri.parse().expect("a URI");
            let analysis = server.workspace.analysis(&uri);
            let data = tokens::tokens(analysis, analysis.file_of(&uri).expect("the document's file"));
            assert!(data.len() > 5, "document {n} has tokens");
            let result = serde_json::to_value(lsp_types::SemanticTokens { result_id: Some(result_id.clone()), data });
            assert_eq!(Some(reply), text(Response::new_ok(id, result.expect("a value"))), "document {n}");

            let change = json!({ "textDocument": { "uri": uri.as_str(), "version": 2 }, "contentChanges": [{ "text": format!("# new\n{text_of}") }] });
            server.notification(Notification::new("textDocument/didChange".into(), change), false);
            let params = json!({ "textDocument": { "uri": uri.as_str() }, "previousResultId": result_id });
            let request = Request::new(
                RequestId::from("delta".to_string()),
                "textDocument/semanticTokens/full/delta".into(),
                params,
            );
            let reply = server.request(request).expect("a reply");
            let read: Value = serde_json::from_str(&reply).expect("JSON");
            assert!(read["result"]["edits"].as_array().is_some_and(|e| !e.is_empty()), "a delta: {reply}");
            assert_eq!(reply, serde_json::to_string(&read).expect("prints"), "document {n}'s delta");
        }
    }

    #[test]
    fn deltas_print_as_serde_json_prints_them() {
        let inserted = Some(vec![token(0, 1, 2, 3, 1), token(u32::MAX, 0, 9, 5, 0)]);
        let edits = vec![
            SemanticTokensEdit { start: 10, delete_count: 5, data: inserted },
            SemanticTokensEdit { start: 25, delete_count: 0, data: Some(Vec::new()) },
            SemanticTokensEdit { start: 40, delete_count: 15, data: None },
        ];
        for edits in [edits, Vec::new()] {
            let result = SemanticTokensDelta { result_id: Some("12".into()), edits: edits.clone() };
            assert_eq!(delta("12", &edits), by_serde(&result));
        }
    }
}
