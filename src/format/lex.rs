//! The tokens of a Lambdaform source as the grammar cuts them (words,
//! strings, comments, punctuation), for the formatter and for the language
//! server's reading of a half-typed line.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Names, keywords, numbers with their unit (`512MB`).
    Word,
    /// A string literal with its quotes (or up to the line end, unclosed).
    String,
    /// `# ...` or `// ...`, without the line end.
    Comment,
    /// Any other character: `{`, `=`, `,`, `.`, ...
    Punct,
}

/// A token of the source as byte offsets. Whitespace is not a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Cuts text into words, strings, comments and punctuation, the way the
/// grammar does. It never fails: the formatter uses it to find comments,
/// the language server to read the half-typed line under the cursor.
pub fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = line_end(bytes, i);
                TokenKind::Comment
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                TokenKind::Comment
            }
            b'"' => {
                i = string_end(bytes, i);
                TokenKind::String
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                TokenKind::Word
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Punct
            }
        };
        out.push(Token { kind, start, end: i });
    }
    out
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| from + i)
}

/// The end of the string starting at `from`: after its closing quote, or
/// at the line end of an unclosed one.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' => return j,
            _ => j += 1,
        }
    }
    bytes.len()
}
