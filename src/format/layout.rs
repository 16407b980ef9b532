//! Rows (elements, comments, blank lines) into lines: the alignment of a
//! paragraph's `=`, verbs and one-line item headers, trailing comments in
//! one column, blank lines around multi-line top-level items.

pub(super) const INDENT: &str = "  ";

/// Statements that line up with each other in a paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
    /// `name = value`: pads `name`.
    Assign,
    /// `verb target`: pads `verb`.
    Verb,
    /// A one-line top-level block: pads `kind name` before `{`.
    Block,
    /// `existing kind name`: pads before `=`.
    Existing,
}

/// A line whose `head` pads to the widest head of its class in the group.
#[derive(Debug)]
pub(super) struct Align {
    pub(super) class: Class,
    pub(super) head: String,
    /// The head to use when no other line of the group has this class
    /// (top-level headers keep their inner spacing only to align).
    pub(super) lone: Option<String>,
    pub(super) tail: String,
}

/// One element of a sequence, laid out.
#[derive(Debug)]
pub(super) struct Rendered {
    /// The lines, when `align` is `None`; nested lines carry their indent.
    pub(super) lines: Vec<String>,
    pub(super) align: Option<Align>,
    pub(super) trailing: Option<String>,
}

impl Rendered {
    pub(super) fn lines(lines: Vec<String>) -> Rendered {
        Rendered { lines, align: None, trailing: None }
    }

    pub(super) fn line(line: String) -> Rendered {
        Rendered::lines(vec![line])
    }

    pub(super) fn aligned(class: Class, head: String, lone: Option<String>, tail: String) -> Rendered {
        Rendered { lines: Vec::new(), align: Some(Align { class, head, lone, tail }), trailing: None }
    }

    pub(super) fn is_multiline(&self) -> bool {
        self.align.is_none() && self.lines.len() > 1
    }

    /// The element on one line, unpadded.
    pub(super) fn flat(&self) -> String {
        match &self.align {
            Some(a) => format!("{}{}", a.lone.as_ref().unwrap_or(&a.head), a.tail),
            None => self.lines.join(" "),
        }
    }
}

#[derive(Debug)]
pub(super) enum Row {
    Blank,
    Comment(String),
    Element(Rendered),
}

impl Row {
    pub(super) fn is_multiline(&self) -> bool {
        matches!(self, Row::Element(r) if r.is_multiline())
    }
}

pub(super) fn push_blank(rows: &mut Vec<Row>) {
    if !rows.is_empty() && !matches!(rows.last(), Some(Row::Blank)) {
        rows.push(Row::Blank);
    }
}

pub(super) fn indent(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!("{INDENT}{line}")
    }
}

pub(super) fn with_comment(code: String, comment: Option<&str>) -> String {
    match comment {
        Some(comment) => format!("{code} {comment}"),
        None => code,
    }
}

/// One blank line before (and its comments) and after every top-level
/// item that spans lines.
pub(super) fn separate_multiline_items(rows: Vec<Row>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut blank_after = false;
    for row in rows {
        if std::mem::take(&mut blank_after) && !matches!(row, Row::Blank) {
            out.push(Row::Blank);
        }
        if row.is_multiline() {
            let mut at = out.len();
            while at > 0 && matches!(out[at - 1], Row::Comment(_)) {
                at -= 1;
            }
            if at > 0 && !matches!(out[at - 1], Row::Blank) {
                out.insert(at, Row::Blank);
            }
            blank_after = true;
        }
        out.push(row);
    }
    while matches!(out.last(), Some(Row::Blank)) {
        out.pop();
    }
    out
}

/// The lines of a sequence. A group (rows between blank lines and
/// multi-line elements) aligns its heads and its trailing comments.
pub(super) fn emit(rows: &[Row]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let mut end = start;
        while end < rows.len() && !matches!(rows[end], Row::Blank) && !rows[end].is_multiline() {
            end += 1;
        }
        emit_group(&rows[start..end], &mut lines);
        match rows.get(end) {
            Some(Row::Blank) => lines.push(String::new()),
            Some(Row::Element(rendered)) => {
                let mut element = rendered.lines.clone();
                if let (Some(last), Some(comment)) = (element.last_mut(), &rendered.trailing) {
                    *last = with_comment(std::mem::take(last), Some(comment));
                }
                lines.extend(element);
            }
            _ => {}
        }
        start = end + 1;
    }
    lines
}

fn emit_group(rows: &[Row], lines: &mut Vec<String>) {
    const CLASSES: [Class; 4] = [Class::Assign, Class::Verb, Class::Block, Class::Existing];
    let index = |class: Class| CLASSES.iter().position(|c| *c == class).unwrap_or(0);
    let aligns: Vec<&Align> =
        rows.iter().filter_map(|r| if let Row::Element(e) = r { e.align.as_ref() } else { None }).collect();
    let mut counts = [0usize; 4];
    for a in &aligns {
        counts[index(a.class)] += 1;
    }
    let head = |a: &Align| -> String {
        match &a.lone {
            Some(lone) if counts[index(a.class)] == 1 => lone.clone(),
            _ => a.head.clone(),
        }
    };
    let mut widths = [0usize; 4];
    for a in &aligns {
        let w = &mut widths[index(a.class)];
        *w = (*w).max(head(a).chars().count());
    }
    // Each row's code and trailing comment, or a comment line.
    let mut codes: Vec<(Option<String>, Option<&str>)> = Vec::new();
    for row in rows {
        match row {
            Row::Element(e) => {
                let code = match &e.align {
                    Some(a) => {
                        let h = head(a);
                        let pad = widths[index(a.class)].saturating_sub(h.chars().count());
                        format!("{h}{}{}", " ".repeat(pad), a.tail)
                    }
                    None => e.lines.join(" "),
                };
                codes.push((Some(code), e.trailing.as_deref()));
            }
            Row::Comment(c) => codes.push((None, Some(c))),
            Row::Blank => {}
        }
    }
    // Trailing comments of consecutive lines start in one column.
    let mut i = 0;
    while i < codes.len() {
        let mut j = i;
        while j < codes.len() && matches!(codes[j], (Some(_), Some(_))) {
            j += 1;
        }
        let column = codes[i..j].iter().filter_map(|(c, _)| c.as_ref()).map(|c| c.chars().count()).max();
        for (code, comment) in &codes[i..j.max(i + 1)] {
            match (code, comment) {
                (Some(code), Some(comment)) => {
                    let pad = column.unwrap_or(0).saturating_sub(code.chars().count());
                    lines.push(format!("{code}{} {comment}", " ".repeat(pad)));
                }
                (Some(code), None) => lines.push(code.clone()),
                (None, Some(comment)) => lines.push((*comment).to_string()),
                (None, None) => {}
            }
        }
        i = j.max(i + 1);
    }
}
