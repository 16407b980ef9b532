//! State machine definitions in Amazon States Language: each created state
//! machine's file is read through the caller's [`Reader`] (only `cli` and
//! `lsp` touch the disk), added to the sources so that diagnostics point
//! into it, parsed as strict JSON with positions (jsonc-parser), checked
//! (`structure.rs`), its `${name}` placeholders resolved
//! (`placeholders.rs`) and its Task states turned into the calls the role
//! is inferred from (`tasks.rs`). Runs between resolve and graph. A file
//! that is too large, too deep, not UTF-8 or not JSON is one diagnostic,
//! never a panic.

mod placeholders;
pub mod sdk;
mod structure;
pub mod tasks;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Definition, Model};
use crate::source::{FileId, Sources, Span};
use jsonc_parser::ast::Value;

/// Reads a file the app names, by its path relative to the app folder:
/// the name diagnostics show it by and its bytes, or why it cannot be read.
pub type Reader<'a> = &'a dyn Fn(&str) -> Result<(String, Vec<u8>), String>;

/// Step Functions' limit on a definition's size (CreateStateMachine).
pub const MAX_BYTES: usize = 1024 * 1024;
/// Nesting refused before parsing, as in `.lf` files: a parser's recursion
/// stays shallow however hostile the file.
pub const MAX_DEPTH: usize = 64;

/// Reads, checks and attaches the definition of every created state machine.
pub fn read(model: &mut Model, sources: &mut Sources, reader: Reader) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for index in 0..model.resources.len() {
        let resource = &model.resources[index];
        let (Some(_), Some(path)) = (&resource.machine, resource.attrs.str("definition")) else { continue };
        let at = resource.attrs.span("definition").unwrap_or(resource.name_span);
        let plain = !path.contains('\\') && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
        if !plain {
            diagnostics.push(
                Diagnostic::new(Code::BadDefinitionFile, at, format!("`{path}` is not a path inside the app folder"))
                    .label("definition file")
                    .help("give the file's path relative to the app folder, with `/` between names and no `.` or `..` (`flows/order.asl.json`)"),
            );
            continue;
        }
        let definition = match reader(path) {
            Ok((name, bytes)) => one(model, sources, name, bytes, at, &mut diagnostics),
            Err(why) => {
                diagnostics.push(
                    Diagnostic::new(Code::BadDefinitionFile, at, format!("cannot read the definition `{path}`: {why}"))
                        .label("definition file")
                        .help("write the Amazon States Language file at this path, relative to the app folder"),
                );
                None
            }
        };
        if let Some(machine) = model.resources[index].machine.as_mut() {
            machine.definition = definition;
        }
    }
    diagnostics
}

/// One definition file: `None` when it cannot be parsed at all.
fn one(
    model: &Model,
    sources: &mut Sources,
    name: String,
    bytes: Vec<u8>,
    at: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Definition> {
    if bytes.len() > MAX_BYTES {
        diagnostics.push(
            Diagnostic::new(
                Code::BadDefinitionFile,
                at,
                format!("the definition holds {} bytes; Step Functions takes at most {MAX_BYTES}", bytes.len()),
            )
            .label("definition too large")
            .help("split the work into state machines that start each other (`states:startExecution`)"),
        );
        return None;
    }
    let (text, bad_byte) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    let file = sources.add(name, text);
    let text = &sources.get(file).text;
    if let Some(at) = bad_byte {
        let span = Span::new(file, at, at + char::REPLACEMENT_CHARACTER.len_utf8());
        diagnostics.push(
            Diagnostic::new(Code::BadDefinitionFile, span, "this definition is not valid UTF-8")
                .label("first byte that is not UTF-8")
                .help("save the file as UTF-8"),
        );
        return None;
    }
    if let Some(at) = too_deep(text) {
        diagnostics.push(
            Diagnostic::new(Code::BadDefinitionFile, Span::new(file, at, at + 1), format!("the definition nests deeper than {MAX_DEPTH} levels"))
                .label("too deep")
                .help("a state machine this deep is not one Step Functions runs: flatten it, or split it into state machines that start each other"),
        );
        return None;
    }
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = match jsonc_parser::parse_to_ast(text, &Default::default(), &options) {
        Ok(parsed) => parsed,
        Err(error) => {
            let range = error.range();
            let end = range.end.max(range.start + 1).min(text.len());
            let start = range.start.min(end);
            let span = Span::new(file, floor(text, start), ceil(text, end));
            diagnostics.push(
                Diagnostic::new(Code::BadDefinitionFile, span, format!("the definition is not JSON: {}", lower_first(&error.kind().to_string())))
                    .label("here")
                    .help("an Amazon States Language file is strict JSON: no comments, no trailing commas, double-quoted strings"),
            );
            return None;
        }
    };
    let Some(Value::Object(root)) = parsed.value else {
        diagnostics.push(
            Diagnostic::new(Code::BadDefinition, Span::new(file, 0, 0), "the definition is not a JSON object")
                .label("expected `{ \"StartAt\": ..., \"States\": { ... } }`")
                .help("an Amazon States Language definition is one object with `StartAt` and `States`"),
        );
        return None;
    };
    diagnostics.extend(structure::check(file, &root));
    let (placeholders, errors) = placeholders::find(model, file, text, &root);
    diagnostics.extend(errors);
    let (tasks, errors) = tasks::find(model, file, &root);
    diagnostics.extend(errors);
    Some(Definition { file, text: text.clone(), placeholders, tasks })
}

/// The offset of the first bracket nested deeper than [`MAX_DEPTH`],
/// counted outside strings.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'{' | b'[') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            (false, b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at.min(text.len())
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// A span of a node of the file.
pub(crate) fn span(file: FileId, range: jsonc_parser::common::Range) -> Span {
    Span::new(file, range.start, range.end)
}
