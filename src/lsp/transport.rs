//! JSON-RPC messages over a byte stream with `Content-Length` framing,
//! read so that no input ends the session: a body that is not UTF-8 is read
//! with each bad sequence as U+FFFD (and said so, so that a document it
//! carries is reported with LF0003), a body that is not JSON or not a
//! message is handed on as `Malformed` for an error response, and header
//! lines the framing does not know are skipped. Messages go out as JSON
//! text.

use lsp_server::{ErrorCode, Message, RequestId};
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};

/// What one framed body held.
pub enum Incoming {
    /// `lossy`: the body was not UTF-8; its bad bytes read as U+FFFD.
    Message { message: Message, lossy: bool },
    /// Not a message: answered with an error response for `id` (JSON
    /// `null` when the body named none).
    Malformed { id: Value, code: ErrorCode, reason: String },
}

/// The next message, or `None` at the end of the stream.
pub fn read(reader: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let Some(length) = read_headers(reader)? else { return Ok(None) };
    let mut body = Vec::new();
    reader.take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(None); // the stream ended inside the body
    }
    Ok(Some(decode(body)))
}

/// The headers up to the blank line that ends them: the body's length.
/// Lines before a `Content-Length` that are not headers are skipped.
fn read_headers(reader: &mut impl BufRead) -> io::Result<Option<usize>> {
    let mut length = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            if let Some(length) = length {
                return Ok(Some(length));
            }
            continue;
        }
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
}

fn decode(body: Vec<u8>) -> Incoming {
    let (text, lossy) = match String::from_utf8(body) {
        Ok(text) => (text, false),
        Err(error) => (String::from_utf8_lossy(error.as_bytes()).into_owned(), true),
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(error) => {
            let reason = format!("the message is not JSON: {error}");
            return Incoming::Malformed { id: Value::Null, code: ErrorCode::ParseError, reason };
        }
    };
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message { message, lossy },
        Err(error) => {
            let reason = format!("the message is not a JSON-RPC request, response or notification: {error}");
            Incoming::Malformed { id, code: ErrorCode::InvalidRequest, reason }
        }
    }
}

/// Writes one message's JSON text with its header and flushes it.
pub fn write(writer: &mut impl Write, body: &str) -> io::Result<()> {
    write!(writer, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    writer.flush()
}

/// The response to request `id` whose result is the JSON text `result`,
/// as the other messages print (no tree of the result is built).
pub fn response(id: &RequestId, result: &str) -> String {
    let id = serde_json::to_string(id).unwrap_or_default(); // a number or a string: it prints
    let mut out = String::with_capacity(id.len() + result.len() + 32);
    out.push_str("{\"jsonrpc\":\"2.0\",\"id\":");
    out.push_str(&id);
    out.push_str(",\"result\":");
    out.push_str(result);
    out.push('}');
    out
}

/// The error response to a malformed message.
pub fn error_response(id: Value, code: ErrorCode, reason: &str) -> Value {
    serde_json::json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": reason } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn read_all(bytes: &[u8]) -> Vec<Incoming> {
        let mut reader = io::BufReader::new(bytes);
        std::iter::from_fn(|| read(&mut reader).ok().flatten()).collect()
    }

    #[test]
    fn bad_bodies_are_malformed_and_reading_goes_on() {
        let mut stream = framed(b"{not json");
        stream.extend(b"garbage line\r\n");
        stream.extend(framed(br#"{"jsonrpc":"2.0","id":7,"params":{}}"#));
        stream.extend(framed(b"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"text\":\"a\xffb\"}}"));
        let read = read_all(&stream);
        assert_eq!(read.len(), 3);
        assert!(matches!(&read[0], Incoming::Malformed { id: Value::Null, code: ErrorCode::ParseError, .. }));
        assert!(matches!(&read[1], Incoming::Malformed { id, code: ErrorCode::InvalidRequest, .. } if id == 7));
        let Incoming::Message { message: Message::Notification(n), lossy: true } = &read[2] else {
            panic!("a notification read lossily")
        };
        assert_eq!(n.params["text"], "a\u{FFFD}b");
    }

    #[test]
    fn a_response_with_text_prints_as_every_other_message() {
        let result = r#"{"resultId":"3","data":[0,1,2,3,0]}"#;
        for id in [RequestId::from(7), RequestId::from("a \"quoted\" id".to_string())] {
            let value: Value = serde_json::from_str(result).expect("JSON");
            let message = Message::Response(lsp_server::Response::new_ok(id.clone(), value));
            let by_serde = crate::lsp::text(message).expect("prints");
            assert_eq!(response(&id, result), by_serde);
        }
    }

    #[test]
    fn a_stream_cut_inside_a_body_ends_reading() {
        let mut stream = framed(br#"{"jsonrpc":"2.0","method":"m"}"#);
        stream.extend(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
        assert_eq!(read_all(&stream).len(), 1);
    }
}
