//! Semantic tokens (whole document), so that editors without the VS Code
//! grammar (Neovim, Helix, Zed) highlight too: the words `index` knows
//! (kinds, resource names by what they are, verbs, attributes, fields)
//! over the lexer's tokens (strings, numbers with their unit, comments,
//! keywords, enumerated words after `=`).

use super::index::{self, Role};
use super::workspace::Analysis;
use crate::format::{lex, TokenKind};
use crate::source::FileId;
use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};
use std::collections::HashMap;

/// The token types, in the order of their index in the legend.
const TYPES: [SemanticTokenType; 11] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::TYPE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::EVENT,
    SemanticTokenType::METHOD,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
];
const KEYWORD: u32 = 0;
const KIND: u32 = 1;
const FUNCTION: u32 = 2;
const RESOURCE: u32 = 3;
/// A resource that can trigger a function (queue, topic, api, schedule...).
const SOURCE: u32 = 4;
const VERB: u32 = 5;
const ATTRIBUTE: u32 = 6;
const WORD: u32 = 7;
const STRING: u32 = 8;
const NUMBER: u32 = 9;
const COMMENT: u32 = 10;

/// Modifier bits, in the legend's order.
const DECLARATION: u32 = 1;
const READONLY: u32 = 2;

const KEYWORDS: [&str; 18] = [
    "app",
    "existing",
    "on",
    "mount",
    "at",
    "readonly",
    "as",
    "allow",
    "invoke",
    "from",
    "account",
    "role",
    "organization",
    "service",
    "source",
    "async",
    "kind",
    "defaults",
];

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION, SemanticTokenModifier::READONLY],
    }
}

/// The tokens of `file`, as LSP encodes them (each relative to the one before).
pub fn tokens(analysis: &Analysis, file: FileId) -> Vec<SemanticToken> {
    let checked = &analysis.checked;
    let text = &analysis.source(file).text;
    let mut names = index::occurrences(checked, file);
    names.sort_by_key(|o| o.span.start);
    let mut names = names.into_iter().peekable();
    let classes = resource_classes(analysis);
    let class_of = |name: &str| classes.get(name).copied().unwrap_or((RESOURCE, 0));
    let mut encoder = Encoder::new(text);
    let mut previous = "";
    for token in lex(text) {
        let word = &text[token.start..token.end];
        while names.next_if(|o| (o.span.start as usize) < token.start).is_some() {}
        let named = names.next_if(|o| o.span.start as usize == token.start);
        let class = match (token.kind, named) {
            (TokenKind::Comment, _) => Some((COMMENT, 0)),
            (TokenKind::String, _) => Some((STRING, 0)),
            // An authorizer's name where it is declared stays plain, as before
            // authorizers were named; where `auth = NAME` says it, a word.
            (TokenKind::Word, Some(o)) if matches!(o.role, Role::Authorizer { declaration: true, .. }) => None,
            (TokenKind::Word, Some(occurrence)) => Some(match occurrence.role {
                Role::Declaration => {
                    let (kind, modifiers) = class_of(word);
                    (kind, modifiers | DECLARATION)
                }
                Role::Reference => class_of(word),
                Role::Verb { .. } => (VERB, 0),
                Role::Kind => (KIND, 0),
                Role::Attribute { .. } | Role::Field { .. } => (ATTRIBUTE, 0),
                Role::Authorizer { .. } => (WORD, 0),
                Role::Defaults { .. } => (KEYWORD, 0),
            }),
            (TokenKind::Word, None) if word.starts_with(|c: char| c.is_ascii_digit()) => Some((NUMBER, 0)),
            (TokenKind::Word, None) if KEYWORDS.contains(&word) => Some((KEYWORD, 0)),
            (TokenKind::Word, None) if matches!(previous, "=" | "[" | ",") => Some((WORD, 0)),
            _ => None,
        };
        if token.kind != TokenKind::Comment {
            previous = word;
        }
        if let Some((kind, modifiers)) = class {
            encoder.push(token.start, word.trim_end_matches('\r'), kind, modifiers);
        }
    }
    encoder.out
}

/// Each resource's token type (functions, resources that trigger
/// functions, other resources) and modifiers (`existing` ones are
/// read-only: the app never changes them).
fn resource_classes(analysis: &Analysis) -> HashMap<&str, (u32, u32)> {
    let model = &analysis.checked.model;
    model
        .resources
        .iter()
        .map(|r| {
            let class = match model.known_kind(r) {
                _ if r.function.is_some() => FUNCTION,
                Some(kind) if kind.trigger.is_some() => SOURCE,
                _ => RESOURCE,
            };
            (r.name.as_str(), (class, if r.existing.is_some() { READONLY } else { 0 }))
        })
        .collect()
}

/// Positions relative to the token before, in UTF-16 units, computed in
/// one pass over the text.
struct Encoder<'t> {
    text: &'t str,
    /// The byte offset, line and UTF-16 column reached.
    at: usize,
    line: u32,
    column: u32,
    /// The last token's line and column.
    last: (u32, u32),
    out: Vec<SemanticToken>,
}

impl<'t> Encoder<'t> {
    fn new(text: &'t str) -> Encoder<'t> {
        Encoder { text, at: 0, line: 0, column: 0, last: (0, 0), out: Vec::new() }
    }

    fn push(&mut self, start: usize, word: &str, kind: u32, modifiers: u32) {
        let gap = &self.text[self.at..start];
        match gap.rfind('\n') {
            Some(newline) => {
                self.line += gap.matches('\n').count() as u32;
                self.column = utf16(&gap[newline + 1..]);
            }
            None => self.column += utf16(gap),
        }
        self.at = start;
        let (last_line, last_column) = self.last;
        let delta_start = if self.line == last_line { self.column - last_column } else { self.column };
        self.out.push(SemanticToken {
            delta_line: self.line - last_line,
            delta_start,
            length: utf16(word),
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
        self.last = (self.line, self.column);
    }
}

fn utf16(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}
