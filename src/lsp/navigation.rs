//! Go to definition, find references (across the files of the app) and
//! document highlights for resource names and an api's authorizers; the document outline, workspace
//! symbols (the resources of every app held) and folding ranges.

use super::index::{self, Role};
use super::workspace::Analysis;
use crate::ast::{Body, Item, Statement, Value, ValueKind};
use crate::source::{FileId, Span};
use lsp_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentSymbol, FoldingRange, FoldingRangeKind, Location,
    SymbolInformation, SymbolKind,
};

/// Where the name under the cursor is declared: a resource, a kind the
/// app declares itself, or an api's authorizer.
pub fn definition(analysis: &Analysis, file: FileId, offset: usize) -> Option<Location> {
    let checked = &analysis.checked;
    let occurrence = index::at(checked, file, offset)?;
    let span = match &occurrence.role {
        Role::Declaration | Role::Reference => {
            let model = &checked.model;
            let declared = model.find(occurrence.text).map(|id| model.resource(id).name_span);
            // A block that does not parse yet still declares its name.
            declared.or_else(|| {
                let unparsed = checked.asts.iter().flat_map(|(_, ast)| &ast.unparsed);
                unparsed.filter(|name| name.text == occurrence.text).map(|name| name.span).next()
            })?
        }
        Role::Kind => checked.model.kinds.get(occurrence.text)?.span,
        Role::Authorizer { api, .. } => authorizer(analysis, api, occurrence.text)?.name_span,
        Role::Verb { .. } | Role::Attribute { .. } | Role::Field { .. } | Role::Defaults { .. } => return None,
    };
    location(analysis, span)
}

fn location(analysis: &Analysis, span: Span) -> Option<Location> {
    Some(Location::new(analysis.uri_of(span.file)?.clone(), analysis.range(span)))
}

/// The authorizer `name` of the api `api`, if the api declares it.
pub fn authorizer<'a>(analysis: &'a Analysis, api: &str, name: &str) -> Option<&'a crate::model::Authorizer> {
    let model = &analysis.checked.model;
    model.api_access(model.find(api)?)?.authorizer(name)
}

/// Whether a mention declares what it names.
fn declares(role: &Role) -> bool {
    matches!(role, Role::Declaration | Role::Authorizer { declaration: true, .. })
}

/// Every mention of what the cursor names (a resource, or an authorizer
/// of an api) in every file.
pub fn mentions(analysis: &Analysis, file: FileId, offset: usize) -> Option<Vec<index::Occurrence<'_>>> {
    let checked = &analysis.checked;
    let occurrence = index::at(checked, file, offset)?;
    match &occurrence.role {
        Role::Declaration | Role::Reference => Some(index::resource_mentions(checked, occurrence.text)),
        Role::Authorizer { api, .. } => Some(index::authorizer_mentions(checked, api, occurrence.text)),
        _ => None,
    }
}

/// Every mention of the resource or authorizer under the cursor, in every file.
pub fn references(analysis: &Analysis, file: FileId, offset: usize, declaration: bool) -> Option<Vec<Location>> {
    let mentions = mentions(analysis, file, offset)?;
    Some(
        mentions
            .into_iter()
            .filter(|m| declaration || !declares(&m.role))
            .filter_map(|m| location(analysis, m.span))
            .collect(),
    )
}

/// The mentions of the resource under the cursor in its own file: the
/// declaration written, the others read.
pub fn highlights(analysis: &Analysis, file: FileId, offset: usize) -> Option<Vec<DocumentHighlight>> {
    let mentions = mentions(analysis, file, offset)?.into_iter().filter(|o| o.span.file == file);
    Some(
        mentions
            .map(|m| DocumentHighlight {
                range: analysis.range(m.span),
                kind: Some(if declares(&m.role) { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
            })
            .collect(),
    )
}

/// The resources of an app whose name contains `query` (case-insensitive),
/// with their kind.
#[allow(deprecated)] // `SymbolInformation::deprecated` must be set, to `None`
pub fn workspace_symbols(analysis: &Analysis, query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let model = &analysis.checked.model;
    model
        .resources
        .iter()
        .filter(|r| r.name.to_lowercase().contains(&query))
        .filter_map(|r| {
            Some(SymbolInformation {
                name: r.name.clone(),
                kind: symbol_kind(&r.kind),
                tags: None,
                deprecated: None,
                location: location(analysis, r.name_span)?,
                container_name: Some(if r.existing.is_some() {
                    format!("existing {}", r.kind)
                } else {
                    r.kind.clone()
                }),
            })
        })
        .collect()
}

/// Blocks, lists and objects over several lines, and runs of comment lines.
pub fn folding_ranges(analysis: &Analysis, file: FileId) -> Vec<FoldingRange> {
    let source = analysis.source(file);
    let mut out = Vec::new();
    let mut fold = |span: Span, kind: Option<FoldingRangeKind>| {
        let start = source.line_index(span.start as usize);
        let mut end = source.line_index(span.end as usize);
        let closing = (span.end as usize).saturating_sub(1);
        if kind.is_none() && source.text[source.line_start(end)..closing].trim().is_empty() {
            end = end.saturating_sub(1); // a bracket on its own line stays in sight
        }
        if end > start {
            out.push(FoldingRange { start_line: start as u32, end_line: end as u32, kind, ..FoldingRange::default() });
        }
    };
    if let Some(ast) = index::ast(&analysis.checked, file) {
        for item in &ast.items {
            match item {
                Item::App { body, .. } | Item::Block { body, .. } => fold_body(body, &mut fold),
                Item::Existing { body, .. } => body.iter().for_each(|body| fold_body(body, &mut fold)),
            }
        }
    }
    let comments = crate::format::lex(&source.text).into_iter().filter(|t| t.kind == crate::format::TokenKind::Comment);
    let mut run: Option<(usize, usize)> = None;
    for comment in comments {
        let line = source.line_index(comment.start);
        let own_line = source.text[source.line_start(line)..comment.start].trim().is_empty();
        run = match run {
            Some((first, last)) if own_line && line == last + 1 => Some((first, line)),
            Some((first, last)) => {
                fold(
                    Span::new(file, source.line_start(first), source.line_start(last)),
                    Some(FoldingRangeKind::Comment),
                );
                own_line.then_some((line, line))
            }
            None => own_line.then_some((line, line)),
        };
    }
    if let Some((first, last)) = run {
        fold(Span::new(file, source.line_start(first), source.line_start(last)), Some(FoldingRangeKind::Comment));
    }
    out
}

fn fold_body(body: &Body, fold: &mut impl FnMut(Span, Option<FoldingRangeKind>)) {
    fold(body.span, None);
    for statement in &body.statements {
        match statement {
            Statement::Nested { body, .. } => fold_body(body, fold),
            Statement::Assignment { value, .. } => fold_value(value, fold),
            Statement::Trigger { options: Some(value), .. } => fold_value(value, fold),
            _ => {}
        }
    }
}

fn fold_value(value: &Value, fold: &mut impl FnMut(Span, Option<FoldingRangeKind>)) {
    match &value.kind {
        ValueKind::List(items) => {
            fold(value.span, None);
            items.iter().for_each(|item| fold_value(item, fold));
        }
        ValueKind::Object(entries) => {
            fold(value.span, None);
            entries.iter().for_each(|entry| fold_value(&entry.value, fold));
        }
        _ => {}
    }
}

/// The outline: a symbol per top-level item, with its statements inside.
pub fn symbols(analysis: &Analysis, file: FileId) -> Option<Vec<DocumentSymbol>> {
    let ast = index::ast(&analysis.checked, file)?;
    let outline = Outline { analysis };
    Some(ast.items.iter().map(|item| outline.item(item)).collect())
}

struct Outline<'a> {
    analysis: &'a Analysis,
}

impl Outline<'_> {
    #[allow(deprecated)] // `DocumentSymbol::deprecated` must be set, to `None`
    fn symbol(&self, name: String, detail: String, kind: SymbolKind, span: Span, name_span: Span) -> DocumentSymbol {
        DocumentSymbol {
            name,
            detail: (!detail.is_empty()).then_some(detail),
            kind,
            tags: None,
            deprecated: None,
            range: self.analysis.range(span.to(name_span)),
            selection_range: self.analysis.range(name_span),
            children: None,
        }
    }

    fn item(&self, item: &Item) -> DocumentSymbol {
        match item {
            Item::App { name, body } => {
                let mut symbol = self.symbol(name.text.clone(), "app".into(), SymbolKind::MODULE, body.span, name.span);
                symbol.children = Some(self.body(body));
                symbol
            }
            Item::Existing { kind, name, span, .. } => self.symbol(
                name.text.clone(),
                format!("existing {}", kind.text),
                symbol_kind(&kind.text),
                *span,
                name.span,
            ),
            Item::Block { kind, name, body } if kind.text == "defaults" => {
                let label = format!("defaults {}", name.text);
                let mut symbol =
                    self.symbol(label, String::new(), SymbolKind::NAMESPACE, kind.span.to(body.span), name.span);
                symbol.children = Some(self.body(body));
                symbol
            }
            Item::Block { kind, name, body } => {
                let span = kind.span.to(body.span);
                let mut symbol =
                    self.symbol(name.text.clone(), kind.text.clone(), symbol_kind(&kind.text), span, name.span);
                symbol.children = Some(self.body(body));
                symbol
            }
        }
    }

    fn body(&self, body: &Body) -> Vec<DocumentSymbol> {
        body.statements.iter().map(|s| self.statement(s)).collect()
    }

    fn statement(&self, statement: &Statement) -> DocumentSymbol {
        let text = |span: Span| self.analysis.checked.sources.text(span).to_string();
        let span = statement.span();
        match statement {
            Statement::Assignment { name, value } => {
                let mut value = text(value.span).replace('\n', " ");
                if value.chars().count() > 60 {
                    value = format!("{}…", value.chars().take(59).collect::<String>());
                }
                self.symbol(name.text.clone(), value, SymbolKind::PROPERTY, span, name.span)
            }
            Statement::Edge { verb, targets, .. } => {
                let targets: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
                let name = format!("{} {}", verb.text, targets.join(", "));
                self.symbol(name, String::new(), SymbolKind::METHOD, span, verb.span)
            }
            Statement::Trigger { source, route, .. } => {
                let detail = route.as_ref().map(|r| text(r.span)).unwrap_or_default();
                self.symbol(format!("on {}", source.text), detail, SymbolKind::EVENT, span, source.span)
            }
            Statement::Mount { target, path, .. } => {
                self.symbol(format!("mount {}", target.text), text(path.span), SymbolKind::FILE, span, target.span)
            }
            Statement::Allow { .. } => {
                let detail = text(span).trim_start_matches("allow invoke from").trim().to_string();
                self.symbol("allow invoke".into(), detail, SymbolKind::KEY, span, span)
            }
            Statement::Nested { kind, name, body } => {
                let label = name.as_ref().map_or(kind.text.clone(), |n| format!("{} {}", kind.text, n.text));
                let mut symbol = self.symbol(label, String::new(), SymbolKind::STRUCT, span, kind.span);
                symbol.children = Some(self.body(body));
                symbol
            }
        }
    }
}

fn symbol_kind(kind: &str) -> SymbolKind {
    match kind {
        "function" => SymbolKind::FUNCTION,
        "kind" => SymbolKind::CLASS,
        "api" => SymbolKind::INTERFACE,
        "schedule" => SymbolKind::EVENT,
        "network" => SymbolKind::PACKAGE,
        "queue" | "topic" | "bus" | "stream" => SymbolKind::OBJECT,
        _ => SymbolKind::STRUCT,
    }
}
