//! Go to definition and find references for resource names (across the
//! files of the app), and the document outline.

use super::index::{self, Role};
use super::workspace::Analysis;
use crate::ast::{Body, Item, Statement};
use crate::source::{FileId, Span};
use lsp_types::{DocumentSymbol, Location, SymbolKind};

/// Where the name under the cursor is declared: a resource, or a kind the
/// app declares itself.
pub fn definition(analysis: &Analysis, file: FileId, offset: usize) -> Option<Location> {
    let checked = &analysis.checked;
    let occurrence = index::at(checked, file, offset)?;
    let span = match occurrence.role {
        Role::Declaration | Role::Reference => {
            let model = &checked.model;
            let declared = model.find(&occurrence.text).map(|id| model.resource(id).name_span);
            // A block that does not parse yet still declares its name.
            declared.or_else(|| {
                let unparsed = checked.asts.iter().flat_map(|(_, ast)| &ast.unparsed);
                unparsed.filter(|name| name.text == occurrence.text).map(|name| name.span).next()
            })?
        }
        Role::Kind => checked.model.kinds.get(&occurrence.text)?.span,
        Role::Verb { .. } | Role::Attribute { .. } | Role::Field { .. } => return None,
    };
    location(analysis, span)
}

fn location(analysis: &Analysis, span: Span) -> Option<Location> {
    Some(Location::new(analysis.uri_of(span.file)?.clone(), analysis.range(span)))
}

/// Every mention of the resource under the cursor, in every file.
pub fn references(analysis: &Analysis, file: FileId, offset: usize, declaration: bool) -> Option<Vec<Location>> {
    let checked = &analysis.checked;
    let occurrence = index::at(checked, file, offset)?;
    if !matches!(occurrence.role, Role::Declaration | Role::Reference) {
        return None;
    }
    let mentions = index::resource_mentions(checked, &occurrence.text);
    Some(
        mentions
            .into_iter()
            .filter(|m| declaration || m.role != Role::Declaration)
            .filter_map(|m| location(analysis, m.span))
            .collect(),
    )
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
            Statement::Edge { verb, targets } => {
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
