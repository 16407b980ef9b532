//! Requests: each method's parameters read, answered from the app the
//! document belongs to (checked first if it never was), and turned into
//! the response's value; `null` where there is nothing to say, an error
//! with a reason where the request cannot be done as asked. Semantic
//! tokens answer with JSON text, written straight from their integers.

use super::workspace::Analysis;
use super::{actions, commands, completion, formatting, hints, hover, lens, navigation, rename, tokens, Server};
use crate::source::FileId;
use lsp_server::{ErrorCode, Notification, Request};
use lsp_types::notification::{Notification as _, ShowMessage};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentHighlightRequest, DocumentSymbolRequest, ExecuteCommand,
    FoldingRangeRequest, Formatting, GotoDefinition, HoverRequest, InlayHintRequest, PrepareRenameRequest, References,
    Rename, Request as _, SemanticTokensFullDeltaRequest, SemanticTokensFullRequest, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionParams, CodeLensParams, CompletionParams, CompletionResponse, DocumentFormattingParams,
    DocumentHighlightParams, DocumentSymbolParams, DocumentSymbolResponse, ExecuteCommandParams, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, HoverParams, InlayHintParams, MessageType, Position,
    PrepareRenameResponse, ReferenceParams, RenameParams, SemanticTokensDeltaParams, SemanticTokensParams,
    ShowMessageParams, TextDocumentPositionParams, Uri, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request of this server's own: the open documents and the apps held
/// for them (`{ "documents": N, "apps": [...] }`), for tests and for
/// whoever wonders what the server keeps in memory.
pub const STATUS: &str = "lambdaform/status";

/// A request that cannot be answered as asked.
type Failure = (ErrorCode, String);

/// A response's result: a JSON value, or JSON text already printed.
pub(super) enum Answer {
    Value(Value),
    Text(String),
}

impl Server {
    pub(super) fn answer(&mut self, request: &Request) -> Result<Answer, Failure> {
        let value = match request.method.as_str() {
            HoverRequest::METHOD => {
                let p: HoverParams = params(request)?;
                let at = p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, hover::hover).map(serde_json::to_value)
            }
            Completion::METHOD => {
                let p: CompletionParams = params(request)?;
                let at = p.text_document_position;
                self.at(&at.text_document.uri, at.position, |a, file, offset| {
                    completion::completion(a, &a.source(file).text, offset).map(CompletionResponse::Array)
                })
                .map(serde_json::to_value)
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(request)?;
                let at = p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, |a, file, offset| {
                    navigation::definition(a, file, offset).map(GotoDefinitionResponse::Scalar)
                })
                .map(serde_json::to_value)
            }
            References::METHOD => {
                let p: ReferenceParams = params(request)?;
                let at = p.text_document_position;
                let declaration = p.context.include_declaration;
                self.at(&at.text_document.uri, at.position, |a, file, offset| {
                    navigation::references(a, file, offset, declaration)
                })
                .map(serde_json::to_value)
            }
            DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = params(request)?;
                let uri = p.text_document.uri;
                let analysis = self.workspace.analysis(&uri);
                let symbols = analysis.file_of(&uri).and_then(|file| navigation::symbols(analysis, file));
                symbols.map(|s| serde_json::to_value(DocumentSymbolResponse::Nested(s)))
            }
            PrepareRenameRequest::METHOD => {
                let p: TextDocumentPositionParams = params(request)?;
                let range = self.at(&p.text_document.uri, p.position, rename::prepare);
                range.map(|r| serde_json::to_value(PrepareRenameResponse::Range(r)))
            }
            Rename::METHOD => {
                let p: RenameParams = params(request)?;
                let at = p.text_document_position;
                let renamed = self.at(&at.text_document.uri, at.position, |a, file, offset| {
                    Some(rename::rename(a, file, offset, &p.new_name))
                });
                match renamed {
                    Some(Err(reason)) => return Err((ErrorCode::RequestFailed, reason)),
                    Some(Ok(edit)) => Some(serde_json::to_value(edit)),
                    None => None,
                }
            }
            DocumentHighlightRequest::METHOD => {
                let p: DocumentHighlightParams = params(request)?;
                let at = p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, navigation::highlights).map(serde_json::to_value)
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: WorkspaceSymbolParams = params(request)?;
                let mut symbols: Vec<_> = self
                    .workspace
                    .apps
                    .values()
                    .flat_map(|analysis| navigation::workspace_symbols(analysis, &p.query))
                    .collect();
                symbols.sort_by(|a, b| (&a.name, a.location.uri.as_str()).cmp(&(&b.name, b.location.uri.as_str())));
                Some(serde_json::to_value(WorkspaceSymbolResponse::Flat(symbols)))
            }
            FoldingRangeRequest::METHOD => {
                let p: FoldingRangeParams = params(request)?;
                let analysis = self.workspace.analysis(&p.text_document.uri);
                let file = analysis.file_of(&p.text_document.uri);
                file.map(|file| serde_json::to_value(navigation::folding_ranges(analysis, file)))
            }
            ExecuteCommand::METHOD => {
                let p: ExecuteCommandParams = params(request)?;
                let show = commands::shows(&p.command, &p.arguments);
                let result = commands::execute(&mut self.workspace, &p.command, p.arguments)
                    .map_err(|reason| (ErrorCode::RequestFailed, reason))?;
                if show {
                    let message = commands::summary(&p.command, &result);
                    let failed = result["exitCode"].as_i64().is_some_and(|code| code != 0);
                    let typ = if failed { MessageType::WARNING } else { MessageType::INFO };
                    let show = ShowMessageParams { typ, message };
                    self.outbox.push(Notification::new(ShowMessage::METHOD.into(), show).into());
                }
                Some(Ok(result))
            }
            InlayHintRequest::METHOD => {
                let p: InlayHintParams = params(request)?;
                let analysis = self.workspace.analysis(&p.text_document.uri);
                let file = analysis.file_of(&p.text_document.uri);
                file.map(|file| serde_json::to_value(hints::hints(analysis, file, p.range)))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: SemanticTokensParams = params(request)?;
                let uri = p.text_document.uri;
                let analysis = self.workspace.analysis(&uri);
                if let Some(data) = analysis.file_of(&uri).map(|file| tokens::tokens(analysis, file)) {
                    return Ok(Answer::Text(self.tokens.full(uri.as_str(), data)));
                }
                None
            }
            SemanticTokensFullDeltaRequest::METHOD => {
                let p: SemanticTokensDeltaParams = params(request)?;
                let uri = p.text_document.uri;
                let analysis = self.workspace.analysis(&uri);
                if let Some(data) = analysis.file_of(&uri).map(|file| tokens::tokens(analysis, file)) {
                    return Ok(Answer::Text(self.tokens.delta(uri.as_str(), &p.previous_result_id, data)));
                }
                None
            }
            CodeLensRequest::METHOD => {
                let p: CodeLensParams = params(request)?;
                let uri = p.text_document.uri;
                let analysis = self.workspace.analysis(&uri);
                analysis.file_of(&uri).map(|file| serde_json::to_value(lens::lenses(analysis, file, &uri)))
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(request)?;
                Some(serde_json::to_value(actions::code_actions(p)))
            }
            Formatting::METHOD => {
                let p: DocumentFormattingParams = params(request)?;
                let Some(document) = self.workspace.documents.get(p.text_document.uri.as_str()) else {
                    return Ok(Answer::Value(Value::Null));
                };
                let edits = formatting::formatting(document).map_err(|reason| (ErrorCode::RequestFailed, reason))?;
                Some(serde_json::to_value(edits))
            }
            STATUS => return Ok(Answer::Value(self.workspace.status())),
            other => return Err((ErrorCode::MethodNotFound, format!("lambdaform lsp does not handle {other}"))),
        };
        Ok(Answer::Value(value.and_then(Result::ok).unwrap_or(Value::Null)))
    }

    /// Runs `answer` on the app of `uri` at `position`, if the file is part of it.
    fn at<T>(
        &mut self,
        uri: &Uri,
        position: Position,
        answer: impl FnOnce(&Analysis, FileId, usize) -> Option<T>,
    ) -> Option<T> {
        let analysis = self.workspace.analysis(uri);
        let file = analysis.file_of(uri)?;
        answer(analysis, file, analysis.offset(file, position))
    }
}

fn params<T: DeserializeOwned>(request: &Request) -> Result<T, Failure> {
    serde_json::from_value(request.params.clone()).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}
