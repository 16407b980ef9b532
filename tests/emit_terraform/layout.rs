//! `terraform fmt` layout, read from any text: the oracle the tests hold
//! `main.tf` to, independent of the emitter's writer
//! (`emit::terraform::text`), which writes the layout as it goes.
//! `terraform fmt` runs HashiCorp's `hclwrite` formatter (hashicorp/hcl,
//! `hclwrite/format.go`); this is its line rules, in one pass over the text:
//!
//! - **Indentation** (`formatIndent`): two spaces per level. A line that
//!   opens more brackets than it closes (`{ [ (`, and `${`/`%{` in strings)
//!   opens one level; a line that closes more closes the levels those
//!   brackets opened.
//! - **Alignment** (`formatCells`): a line is an *assignment* when an `=`
//!   follows its first token and the brackets from that `=` to the end of
//!   the line balance (`a = 1`, `a = { b = 2 }`; not `a = {`). In a run of
//!   consecutive assignments every `=` stands one space after the widest
//!   key, widths counted in grapheme clusters. Any other line, blank or
//!   not, ends the run; so do a nested block and a multi-line value, which
//!   keep one `=` each.
//! - A **heredoc** body belongs to the line that opens it: it is kept as
//!   written, and that line may align with its neighbours.
//! - **Trailing spaces** go; a blank line is empty.
//!
//! The spacing between the tokens of one line is left as written, which is
//! `hclwrite`'s for every expression the emitter writes (the tests hold the
//! output to `terraform fmt -check` where a `terraform` binary is
//! installed). The emitter writes no comments, so trailing comments are not
//! aligned; `#`, `//` and `/* */` are read as comments only so that their
//! brackets do not count. `terraform fmt` also rewrites two expressions,
//! which the emitter never writes: `"${x}"` becomes `x` (`neutral::template`
//! already writes it so) and a quoted `variable` type loses its quotes.
//!
//! [`Layout`] takes the text in pieces and gives the same result as
//! formatting the whole text at once.

use unicode_segmentation::UnicodeSegmentation;

/// The whole of `text` in `terraform fmt` layout.
pub fn format(text: &str) -> String {
    let mut layout = Layout { out: String::with_capacity(text.len() + text.len() / 8), ..Layout::default() };
    layout.push(text);
    layout.finish()
}

/// The formatter's state between pieces of text.
#[derive(Default)]
pub struct Layout {
    out: String,
    /// The unfinished last line of the previous piece.
    partial: String,
    /// Brackets opened by each open indentation level (`hclwrite`'s stack).
    levels: Vec<i32>,
    /// Strings and interpolations still open at the end of the last line.
    nesting: Vec<Nesting>,
    /// The run of assignment lines waiting for its widest key.
    run: Vec<Row>,
    run_text: String,
    widest: usize,
    /// Inside a heredoc: its closing marker, and whether its opening line
    /// is the last row of the run.
    heredoc: Option<(String, bool)>,
}

/// An assignment line of the open run, in `run_text`: the key at
/// `start..key_end` (already indented), the rest (from `=`) to `end`.
struct Row {
    start: usize,
    key_end: usize,
    end: usize,
    columns: usize,
}

#[derive(Clone, Copy)]
enum Nesting {
    /// A quoted string.
    Quoted,
    /// `${ … }` or `%{ … }` in a string, with the `{` opened inside it.
    Interpolation(u32),
}

impl Layout {
    /// Formats the complete lines of `text`; an unfinished last line waits
    /// for the next piece.
    pub fn push(&mut self, text: &str) {
        let mut rest = text;
        if !self.partial.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) else {
                self.partial.push_str(rest);
                return;
            };
            let mut line = std::mem::take(&mut self.partial);
            line.push_str(&rest[..end]);
            self.line(&line);
            rest = &rest[end + 1..];
        }
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', rest.as_bytes()) {
            self.line(&rest[start..end]);
            start = end + 1;
        }
        self.partial.push_str(&rest[start..]);
    }

    /// The formatted text. A last line without a newline gets one, as
    /// `terraform fmt` gives it.
    pub fn finish(mut self) -> String {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.line(&line);
        }
        self.close_run();
        self.out
    }

    /// One line, without its newline.
    fn line(&mut self, raw: &str) {
        if let Some((marker, in_run)) = &self.heredoc {
            let (done, in_run) = (raw.trim() == marker, *in_run);
            let target = if in_run { &mut self.run_text } else { &mut self.out };
            target.push_str(raw);
            target.push('\n');
            if in_run {
                self.run.last_mut().expect("the heredoc's row").end = self.run_text.len();
            }
            if done {
                self.heredoc = None;
            }
            return;
        }
        let text = raw.trim_matches([' ', '\t']);
        if text.is_empty() {
            self.close_run();
            self.out.push('\n');
            return;
        }
        let scan = scan(text, &mut self.nesting);
        let indent = self.indent(scan.net);
        match scan.assignment {
            Some(at) => self.add_row(indent, text, at),
            None => {
                self.close_run();
                push_spaces(&mut self.out, indent);
                self.out.push_str(text);
                self.out.push('\n');
            }
        }
        self.heredoc = scan.heredoc.map(|marker| (marker, scan.assignment.is_some()));
    }

    /// `hclwrite`'s indentation of a line whose brackets net to `net`.
    fn indent(&mut self, net: i32) -> usize {
        if net > 0 {
            let indent = 2 * self.levels.len();
            self.levels.push(net);
            return indent;
        }
        let mut closed = -net;
        while closed > 0 {
            let Some(top) = self.levels.last_mut() else { break };
            if closed < *top {
                *top -= closed;
                closed = 0;
            } else {
                closed -= *top;
                self.levels.pop();
            }
        }
        2 * self.levels.len()
    }

    /// An assignment joins the run; its `=` is at byte `at` of `text`.
    fn add_row(&mut self, indent: usize, text: &str, at: usize) {
        let key = text[..at].trim_end();
        let start = self.run_text.len();
        push_spaces(&mut self.run_text, indent);
        self.run_text.push_str(key);
        let key_end = self.run_text.len();
        self.run_text.push_str(&text[at..]);
        self.run_text.push('\n');
        let columns = indent + columns(key);
        self.widest = self.widest.max(columns);
        self.run.push(Row { start, key_end, end: self.run_text.len(), columns });
    }

    /// Writes the run, every `=` one space after the widest key.
    fn close_run(&mut self) {
        for row in &self.run {
            self.out.push_str(&self.run_text[row.start..row.key_end]);
            push_spaces(&mut self.out, self.widest - row.columns + 1);
            self.out.push_str(&self.run_text[row.key_end..row.end]);
        }
        self.run.clear();
        self.run_text.clear();
        self.widest = 0;
    }
}

/// What the layout needs to know of one line.
struct Scan {
    /// Brackets opened minus brackets closed, comments and heredoc bodies
    /// aside.
    net: i32,
    /// Where the `=` of an assignment is.
    assignment: Option<usize>,
    /// The closing marker of a heredoc the line opens.
    heredoc: Option<String>,
}

/// Bytes that mean something outside strings: quotes, comments, brackets,
/// `=` and heredoc openers.
const CODE: [bool; 256] = byte_set(b"\"#/{}[]()=<");

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// Reads one trimmed line's tokens as far as the layout needs them: brackets,
/// the first `=` after the first token, strings (whose text is not code),
/// comments and heredoc openers; it skips every other byte. `nesting`
/// carries strings and interpolations open across lines.
fn scan(text: &str, nesting: &mut Vec<Nesting>) -> Scan {
    let bytes = text.as_bytes();
    let (mut net, mut equals, mut heredoc) = (0, None, None);
    let mut i = 0;
    loop {
        if let Some(Nesting::Quoted) = nesting.last() {
            // Text up to a quote, an escape or a `{` is the string's own.
            let Some(at) = memchr::memchr3(b'"', b'\\', b'{', &bytes[i..]) else { break };
            i += at;
            match bytes[i] {
                b'\\' => i += 1,
                b'"' => {
                    nesting.pop();
                }
                // `${` and `%{` open an interpolation; `$${` and `%%{` are
                // the literal text.
                _ if i > 0 && matches!(bytes[i - 1], b'$' | b'%') && (i < 2 || bytes[i - 2] != bytes[i - 1]) => {
                    nesting.push(Nesting::Interpolation(0));
                    net += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        while i < bytes.len() && !CODE[usize::from(bytes[i])] {
            i += 1;
        }
        let Some(&byte) = bytes.get(i) else { break };
        let next = bytes.get(i + 1).copied();
        match (byte, next) {
            (b'#', _) | (b'/', Some(b'/')) => break,
            (b'/', Some(b'*')) => match text[i + 2..].find("*/") {
                Some(end) => i += end + 3,
                None => break,
            },
            (b'"', _) => nesting.push(Nesting::Quoted),
            (b'{', _) => {
                if let Some(Nesting::Interpolation(braces)) = nesting.last_mut() {
                    *braces += 1;
                }
                net += 1;
            }
            (b'}', _) => {
                match nesting.last_mut() {
                    Some(Nesting::Interpolation(0)) => {
                        nesting.pop();
                    }
                    Some(Nesting::Interpolation(braces)) => *braces -= 1,
                    _ => {}
                }
                net -= 1;
            }
            (b'[' | b'(', _) => net += 1,
            (b']' | b')', _) => net -= 1,
            // The text is trimmed: an `=` past its first byte follows a token.
            (b'=', _) if i > 0 && equals.is_none() && is_equal_sign(bytes, i) => equals = Some((i, net)),
            (b'<', Some(b'<')) => {
                if let Some(marker) = heredoc_marker(&text[i + 2..]) {
                    heredoc = Some(marker.to_string());
                    break;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    let assignment = equals.filter(|&(_, before)| net == before).map(|(at, _)| at);
    Scan { net, assignment, heredoc }
}

/// Whether the `=` at `i` is an assignment's, not part of `==`, `!=`, `<=`,
/// `>=` or `=>`.
fn is_equal_sign(bytes: &[u8], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| bytes[j]);
    !matches!(before, Some(b'=' | b'!' | b'<' | b'>')) && !matches!(bytes.get(i + 1), Some(b'=' | b'>'))
}

/// The closing marker of a heredoc opener's tail (`EOT` or `-EOT`, then
/// nothing but spaces).
fn heredoc_marker(tail: &str) -> Option<&str> {
    let tail = tail.strip_prefix('-').unwrap_or(tail).trim_end();
    let mut chars = tail.chars();
    let first = chars.next()?;
    let identifier =
        (first.is_alphabetic() || first == '_') && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    identifier.then_some(tail)
}

/// The width of `text` as `hclwrite` counts it: grapheme clusters.
fn columns(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.graphemes(true).count()
    }
}

fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let chunk = n.min(SPACES.len());
        out.push_str(&SPACES[..chunk]);
        n -= chunk;
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    /// Each case's expected text is what `terraform fmt` prints for the
    /// input; where a `terraform` binary is installed, it says so again.
    fn check(input: &str, expected: &str) {
        assert_eq!(format(input), expected, "input:\n{input}");
        assert_eq!(format(expected), expected, "not a fixed point:\n{expected}");
        if let Some(formatted) = terraform_fmt(input) {
            assert_eq!(formatted, expected, "`terraform fmt` disagrees on:\n{input}");
        }
    }

    /// `terraform fmt -` on `input`, or `None` where there is no binary.
    fn terraform_fmt(input: &str) -> Option<String> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new("terraform")
            .args(["fmt", "-no-color", "-"])
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        child.stdin.take().expect("a piped stdin").write_all(input.as_bytes()).expect("terraform reads its input");
        let output = child.wait_with_output().expect("terraform fmt runs");
        Some(String::from_utf8(output.stdout).expect("terraform prints UTF-8"))
    }

    #[test]
    fn consecutive_assignments_align_on_the_widest_key() {
        check(
            "resource \"a\" \"b\" {\n  name = \"x\"\n  retention_in_days = 30\n}\n",
            "resource \"a\" \"b\" {\n  name              = \"x\"\n  retention_in_days = 30\n}\n",
        );
    }

    #[test]
    fn a_blank_line_ends_the_run() {
        check(
            "x {\n  a = 1\n  bbbb = 2\n\n  cc = 3\n  d = 4\n}\n",
            "x {\n  a    = 1\n  bbbb = 2\n\n  cc = 3\n  d  = 4\n}\n",
        );
    }

    #[test]
    fn nested_blocks_end_the_run_and_align_on_their_own() {
        check(
            "x {\n  a = 1\n  bbbb = 2\n  inner {\n    c = 3\n    dddddd = 4\n  }\n  e = 5\n}\n",
            "x {\n  a    = 1\n  bbbb = 2\n  inner {\n    c      = 3\n    dddddd = 4\n  }\n  e = 5\n}\n",
        );
    }

    #[test]
    fn a_multi_line_value_keeps_its_own_equals() {
        check(
            "x {\n  a = 1\n  tags = {\n    k = \"v\"\n    long_key = \"w\"\n  }\n  list = [\n    1,\n  ]\n  bb = 2\n}\n",
            "x {\n  a = 1\n  tags = {\n    k        = \"v\"\n    long_key = \"w\"\n  }\n  list = [\n    1,\n  ]\n  bb = 2\n}\n",
        );
    }

    #[test]
    fn one_line_objects_and_calls_are_assignments() {
        check(
            "x {\n  o = { a = 1, bb = 2 }\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\" }] })\n}\n",
            "x {\n  o      = { a = 1, bb = 2 }\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\" }] })\n}\n",
        );
    }

    #[test]
    fn equals_in_strings_and_operators_are_not_assignments() {
        check(
            "x {\n  s = \"a = b {\"\n  t = \"${a == b} = ${c}\"\n  u = \"x${f(\"}\")}\"\n  longer = \"x\"\n}\n",
            "x {\n  s      = \"a = b {\"\n  t      = \"${a == b} = ${c}\"\n  u      = \"x${f(\"}\")}\"\n  longer = \"x\"\n}\n",
        );
    }

    #[test]
    fn quoted_and_unicode_keys_count_grapheme_clusters() {
        check(
            "o = {\n  \"lambdaform:app\" = 1\n  café = 2\n  \"e\u{301}\" = 3\n  \"漢字\" = 4\n  abcdef = 5\n}\n",
            "o = {\n  \"lambdaform:app\" = 1\n  café             = 2\n  \"e\u{301}\"              = 3\n  \"漢字\"             = 4\n  abcdef           = 5\n}\n",
        );
    }

    #[test]
    fn indentation_follows_the_brackets() {
        check("x {\ny = {\n      a = [\n1,\n    ]\n}\n      }\n", "x {\n  y = {\n    a = [\n      1,\n    ]\n  }\n}\n");
    }

    #[test]
    fn escaped_interpolations_and_quotes_stay_literal() {
        check(
            "x {\n  a = \"$${not {\"\n  bb = \"\\\"{\"\n  c = \"$$${\"\n  d = \"%%{\"\n}\n",
            "x {\n  a  = \"$${not {\"\n  bb = \"\\\"{\"\n  c  = \"$$${\"\n  d  = \"%%{\"\n}\n",
        );
    }

    #[test]
    fn trailing_spaces_and_blank_line_spaces_go() {
        check("x {   \n  a = 1  \n    \n  b = 2\n}\n", "x {\n  a = 1\n\n  b = 2\n}\n");
    }

    #[test]
    fn a_heredoc_is_kept_and_its_line_aligns() {
        check(
            "x {\n  ff = 3\n  x = <<EOT\n  hello ${a} {\n    b = 2\nEOT\n  yy = 4\n}\n",
            "x {\n  ff = 3\n  x  = <<EOT\n  hello ${a} {\n    b = 2\nEOT\n  yy = 4\n}\n",
        );
    }

    #[test]
    fn a_last_line_without_newline_gets_one() {
        check("a = 1\nbb = 2", "a  = 1\nbb = 2\n");
        check("x {\n  a = 1\n}\nb = 2", "x {\n  a = 1\n}\nb = 2\n");
    }

    #[test]
    fn pieces_give_the_same_text_as_the_whole() {
        let whole = "a {\n  x = 1\n}\n\nb {\n  long_name = 2\n  y = {\n    z = 3\n  }\n}\n";
        for cut in 0..=whole.len() {
            let mut layout = super::Layout::default();
            layout.push(&whole[..cut]);
            layout.push(&whole[cut..]);
            assert_eq!(layout.finish(), format(whole), "cut at {cut}");
        }
    }
}
