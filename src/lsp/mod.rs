//! The language server (`lambdaform lsp`): LSP over stdio with
//! `lsp-server`, a thin adapter over `check`. Every open and change checks
//! the whole app folder again (`workspace`) and publishes its diagnostics
//! (`diagnostics`); requests read the last result: hover, completion,
//! definition, references, outline (`hover`, `completion` with `context`,
//! `navigation` with `index`) and formatting (`formatting`). A request it
//! cannot answer gets a null result; a panic in one is caught and answered
//! the same way, so the session goes on. The only module that uses
//! `lsp_types`.

mod completion;
mod context;
mod diagnostics;
mod formatting;
mod hover;
mod index;
mod navigation;
mod workspace;

pub use diagnostics::DEFAULT_CODES_URL;

use crate::date::Date;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CompletionOptions, CompletionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, HoverParams, HoverProviderCapability,
    InitializeParams, OneOf, Position, PositionEncodingKind, PublishDiagnosticsParams, ReferenceParams,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use workspace::{Analysis, AppKey, Document, Workspace};

/// Runs the server on stdin and stdout until the client says `exit`;
/// runtimes are judged on `today`, or on the clock's day of each check.
pub fn run(today: Option<Date>) -> ExitCode {
    let (connection, io_threads) = Connection::stdio();
    if let Err(message) = serve(&connection, today) {
        eprintln!("lambdaform lsp: {message}");
        return ExitCode::from(1);
    }
    drop(connection);
    match io_threads.join() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lambdaform lsp: {error}");
            ExitCode::from(1)
        }
    }
}

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection, today: Option<Date>) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let codes_url = params
        .initialization_options
        .as_ref()
        .and_then(|options| options.get("codesUrl"))
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_CODES_URL)
        .to_string();
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "lambdaform", "version": env!("CARGO_PKG_VERSION") },
    });
    // Answered directly rather than with `initialize_finish`, which ends the
    // session if anything but `initialized` comes next.
    send(connection, Response::new_ok(id, result).into())?;
    let mut server = Server { workspace: Workspace { today, ..Workspace::default() }, codes_url };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                send(connection, server.request(request).into())?;
            }
            Message::Notification(notification) if notification.method == "exit" => return Ok(()),
            Message::Notification(notification) => {
                for params in server.notification(notification) {
                    let publish = Notification::new(PublishDiagnostics::METHOD.into(), params);
                    send(connection, publish.into())?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) -> Result<(), String> {
    connection.sender.send(message).map_err(|e| format!("the client went away: {e}"))
}

/// A request that cannot be answered as asked.
type Failure = (ErrorCode, String);

struct Server {
    workspace: Workspace,
    codes_url: String,
}

impl Server {
    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match catch_unwind(AssertUnwindSafe(|| self.answer(&request))) {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => {
                eprintln!("lambdaform lsp: {} failed; answered null", request.method);
                Response::new_ok(id, Value::Null)
            }
        }
    }

    fn answer(&mut self, request: &Request) -> Result<Value, Failure> {
        let value = match request.method.as_str() {
            HoverRequest::METHOD => {
                let p: HoverParams = params(request)?;
                let at = p.text_document_position_params;
                self.at(&at.text_document.uri, at.position, hover::hover).map(serde_json::to_value)
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(request)?;
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
            Formatting::METHOD => {
                let p: DocumentFormattingParams = params(request)?;
                let document = self.workspace.documents.get(p.text_document.uri.as_str());
                document.and_then(|d| formatting::formatting(&d.text)).map(serde_json::to_value)
            }
            other => return Err((ErrorCode::MethodNotFound, format!("lambdaform lsp does not handle {other}"))),
        };
        Ok(value.and_then(Result::ok).unwrap_or(Value::Null))
    }

    /// Runs `answer` on the app of `uri` at `position`, if the file is part of it.
    fn at<T>(
        &mut self,
        uri: &Uri,
        position: Position,
        answer: impl FnOnce(&Analysis, crate::source::FileId, usize) -> Option<T>,
    ) -> Option<T> {
        let analysis = self.workspace.analysis(uri);
        let file = analysis.file_of(uri)?;
        answer(analysis, file, analysis.offset(file, position))
    }

    fn notification(&mut self, notification: Notification) -> Vec<PublishDiagnosticsParams> {
        let method = notification.method.clone();
        catch_unwind(AssertUnwindSafe(|| self.notify(notification))).unwrap_or_else(|_| {
            eprintln!("lambdaform lsp: {method} failed");
            Vec::new()
        })
    }

    /// Updates the documents and checks the app the document belongs to.
    fn notify(&mut self, notification: Notification) -> Vec<PublishDiagnosticsParams> {
        let documents = &mut self.workspace.documents;
        let uri = match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = parse::<DidOpenTextDocumentParams>(notification.params) else { return Vec::new() };
                let uri = p.text_document.uri;
                documents.insert(uri.as_str().to_string(), Document { uri: uri.clone(), text: p.text_document.text });
                uri
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = parse::<DidChangeTextDocumentParams>(notification.params) else { return Vec::new() };
                let uri = p.text_document.uri;
                let document = documents
                    .entry(uri.as_str().to_string())
                    .or_insert_with(|| Document { uri: uri.clone(), text: String::new() });
                for change in p.content_changes {
                    apply(&mut document.text, change);
                }
                uri
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = parse::<DidCloseTextDocumentParams>(notification.params) else { return Vec::new() };
                let uri = p.text_document.uri;
                documents.remove(uri.as_str());
                let key = Workspace::key(&uri);
                if let AppKey::Buffer(_) = &key {
                    // A buffer that is not a file: its app goes with it.
                    let had = self.workspace.apps.remove(&key).is_some_and(|a| !a.published.is_empty());
                    let clear = PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None };
                    return if had { vec![clear] } else { Vec::new() };
                }
                uri
            }
            DidSaveTextDocument::METHOD => {
                let Some(p) = parse::<DidSaveTextDocumentParams>(notification.params) else { return Vec::new() };
                p.text_document.uri
            }
            _ => return Vec::new(),
        };
        let open: HashSet<String> = self.workspace.documents.keys().cloned().collect();
        let analysis = self.workspace.analyze(&Workspace::key(&uri));
        diagnostics::to_publish(analysis, |uri| open.contains(uri), &self.codes_url)
    }
}

fn params<T: DeserializeOwned>(request: &Request) -> Result<T, Failure> {
    serde_json::from_value(request.params.clone()).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn parse<T: DeserializeOwned>(params: Value) -> Option<T> {
    serde_json::from_value(params).ok()
}

/// Applies one change: the whole text, or (if a client sends one anyway)
/// a range in UTF-16 positions.
fn apply(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let file = crate::source::SourceFile::new("", text.as_str());
    let start = file.offset_utf16(range.start.line as usize, range.start.character as usize);
    let end = file.offset_utf16(range.end.line as usize, range.end.character as usize).max(start);
    text.replace_range(start..end, &change.text);
}
