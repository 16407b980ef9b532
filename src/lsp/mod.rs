//! The language server (`lambdaform lsp`): LSP over stdio (framing read
//! by `transport`, messages typed by `lsp-server`), a thin adapter over
//! `check`. This file holds the session (initialize, shutdown, exit), the
//! capabilities, and the document notifications: every open and change
//! (incremental, in UTF-16 ranges) checks the whole app folder again
//! (`workspace`; the previous result is freed after the diagnostics are
//! written) and publishes its diagnostics (`diagnostics`); so do
//! changes to the folder's files on disk, which the server asks the client
//! to watch. An app is forgotten when its last document closes. Requests
//! (`requests`) read the last result; the last semantic tokens sent for
//! each document are kept for delta requests (`tokens_delta`) and answered
//! as JSON text written from their integers (`tokens_json`). A request it cannot answer gets a
//! null result; a panic in one is caught and answered the same way, and a
//! message it cannot read gets an error response, so the session goes on.
//! The only module that uses `lsp_types`.

mod actions;
mod commands;
mod completion;
mod context;
mod diagnostics;
mod formatting;
mod hints;
mod hover;
mod index;
mod inputs;
mod lens;
mod navigation;
mod rename;
mod requests;
mod tokens;
mod tokens_delta;
mod tokens_json;
mod transport;
mod workspace;

pub use diagnostics::DEFAULT_CODES_URL;

use crate::date::Date;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Initialized, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions, CompletionOptions,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, ExecuteCommandOptions,
    FileSystemWatcher, FoldingRangeProviderCapability, GlobPattern, HoverProviderCapability, InitializeParams, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, Registration, RegistrationParams, RenameOptions,
    SemanticTokensFullOptions, SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use requests::Answer;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use transport::Incoming;
use workspace::{AppKey, Document, Workspace};

/// Runs the server on stdin and stdout until the client says `exit` (or
/// closes stdin). Nothing the client sends ends it: a message that cannot
/// be read gets an error response (`transport`). Runtimes are judged on
/// `today`, or on the clock's day of each check.
pub fn run(today: Option<Date>) -> ExitCode {
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout().lock();
    let mut session = Session { today, ..Session::default() };
    loop {
        let incoming = match transport::read(&mut input) {
            Ok(Some(incoming)) => incoming,
            Ok(None) => return ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("lambdaform lsp: cannot read stdin: {error}");
                return ExitCode::from(1);
            }
        };
        let exit = session.handle(incoming);
        for body in session.outbox.drain(..) {
            if let Err(error) = transport::write(&mut output, &body) {
                eprintln!("lambdaform lsp: the client went away: {error}");
                return ExitCode::from(1);
            }
        }
        if let Some(code) = exit {
            return code;
        }
        if let Some(server) = session.server.as_mut() {
            server.workspace.free_replaced();
        }
    }
}

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
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
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                ..SemanticTokensOptions::default()
            },
        )),
        document_highlight_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: commands::ALL.iter().map(|c| c.to_string()).collect(),
            ..ExecuteCommandOptions::default()
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The session's state around the server: before `initialize`, running,
/// after `shutdown`; and what is to be sent.
#[derive(Default)]
struct Session {
    /// The day given with `--today` or `LAMBDAFORM_TODAY`.
    today: Option<Date>,
    server: Option<Server>,
    shutting_down: bool,
    /// The JSON text of each message to send.
    outbox: Vec<String>,
}

impl Session {
    /// Handles one message; `Some` when the process should end with that code.
    fn handle(&mut self, incoming: Incoming) -> Option<ExitCode> {
        let (message, lossy) = match incoming {
            Incoming::Message { message, lossy } => (message, lossy),
            Incoming::Malformed { id, code, reason } => {
                eprintln!("lambdaform lsp: {reason}");
                self.outbox.extend(serde_json::to_string(&transport::error_response(id, code, &reason)).ok());
                return None;
            }
        };
        match message {
            Message::Request(request) => {
                let reply = self.request(request);
                self.outbox.extend(reply);
            }
            Message::Notification(notification) if notification.method == "exit" => {
                return Some(if self.shutting_down { ExitCode::SUCCESS } else { ExitCode::from(1) });
            }
            Message::Notification(notification) => {
                if let Some(server) = self.server.as_mut().filter(|_| !self.shutting_down) {
                    server.notification(notification, lossy);
                }
            }
            Message::Response(response) => {
                if let Err(error) = response.response_result {
                    eprintln!("lambdaform lsp: the client refused request {}: {}", response.id, error.message);
                }
            }
        }
        if let Some(server) = self.server.as_mut() {
            self.outbox.extend(server.outbox.drain(..).filter_map(text));
        }
        None
    }

    /// The reply to `request`, as JSON text.
    fn request(&mut self, request: Request) -> Option<String> {
        let id = request.id.clone();
        let refuse = |code: ErrorCode, message: &str| text(Response::new_err(id.clone(), code as i32, message.into()));
        match (request.method.as_str(), self.server.as_mut()) {
            ("initialize", None) => {
                let params: InitializeParams = serde_json::from_value(request.params).unwrap_or_default();
                let (server, result) = Server::new(params, self.today);
                self.server = Some(server);
                text(Response::new_ok(id, result))
            }
            ("initialize", Some(_)) => refuse(ErrorCode::InvalidRequest, "the server is already initialized"),
            (_, None) => refuse(ErrorCode::ServerNotInitialized, "the server is not initialized yet"),
            (_, Some(_)) if self.shutting_down => refuse(ErrorCode::InvalidRequest, "the server is shutting down"),
            ("shutdown", Some(_)) => {
                self.shutting_down = true;
                text(Response::new_ok(id, Value::Null))
            }
            (_, Some(server)) => server.request(request),
        }
    }
}

/// A message's JSON text, printed from its `Value`, with the
/// `"jsonrpc": "2.0"` member JSON-RPC requires of every message
/// (lsp_server's `Message` serializes without it).
fn text(message: impl Into<Message>) -> Option<String> {
    let Value::Object(fields) = serde_json::to_value(message.into()).ok()? else { return None };
    let mut value = serde_json::Map::with_capacity(fields.len() + 1);
    value.insert("jsonrpc".into(), "2.0".into());
    value.extend(fields);
    serde_json::to_string(&value).ok()
}

struct Server {
    workspace: Workspace,
    codes_url: String,
    /// The client can register a file watcher dynamically.
    dynamic_watch: bool,
    /// The last semantic tokens sent for each document.
    tokens: tokens_delta::Sent,
    /// Notifications and requests for the client.
    outbox: Vec<Message>,
}

impl Server {
    /// The server for a client's `initialize`, and the result to answer it with.
    fn new(params: InitializeParams, today: Option<Date>) -> (Server, Value) {
        let codes_url = params
            .initialization_options
            .as_ref()
            .and_then(|options| options.get("codesUrl"))
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_CODES_URL)
            .to_string();
        let dynamic_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let result = serde_json::json!({
            "capabilities": capabilities(),
            "serverInfo": { "name": "lambdaform", "version": env!("CARGO_PKG_VERSION") },
        });
        let workspace = Workspace { today, ..Workspace::default() };
        let server = Server { workspace, codes_url, dynamic_watch, tokens: Default::default(), outbox: Vec::new() };
        (server, result)
    }

    /// The reply to `request`, as JSON text.
    fn request(&mut self, request: Request) -> Option<String> {
        let id = request.id.clone();
        let reply = match catch_unwind(AssertUnwindSafe(|| self.answer(&request))) {
            Ok(Ok(Answer::Value(value))) => text(Response::new_ok(id, value)),
            Ok(Ok(Answer::Text(result))) => Some(transport::response(&id, &result)),
            Ok(Err((code, message))) => text(Response::new_err(id, code as i32, message)),
            Err(_) => {
                eprintln!("lambdaform lsp: {} failed; answered null", request.method);
                text(Response::new_ok(id, Value::Null))
            }
        };
        self.forget_closed();
        reply
    }

    fn notification(&mut self, notification: Notification, lossy: bool) {
        let method = notification.method.clone();
        let published = catch_unwind(AssertUnwindSafe(|| self.notify(notification, lossy))).unwrap_or_else(|_| {
            eprintln!("lambdaform lsp: {method} failed");
            Vec::new()
        });
        self.publish(published);
        self.forget_closed();
    }

    /// Drops the apps with no open document, clearing what they published.
    fn forget_closed(&mut self) {
        let stale = self.workspace.forget_closed();
        self.publish(stale.into_iter().map(|uri| PublishDiagnosticsParams {
            uri,
            diagnostics: Vec::new(),
            version: None,
        }));
    }

    fn publish(&mut self, lists: impl IntoIterator<Item = PublishDiagnosticsParams>) {
        for params in lists {
            self.outbox.push(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
        }
    }

    /// Updates the documents and checks the apps they belong to.
    fn notify(&mut self, notification: Notification, lossy: bool) -> Vec<PublishDiagnosticsParams> {
        let documents = &mut self.workspace.documents;
        let uri = match notification.method.as_str() {
            Initialized::METHOD => {
                self.watch_files();
                return Vec::new();
            }
            DidOpenTextDocument::METHOD => {
                let Some(p) = parse::<DidOpenTextDocumentParams>(notification.params) else { return Vec::new() };
                let uri = p.text_document.uri;
                documents.insert(uri.as_str().to_string(), Document::new(uri.clone(), p.text_document.text, lossy));
                uri
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = parse::<DidChangeTextDocumentParams>(notification.params) else { return Vec::new() };
                let uri = p.text_document.uri;
                let document = documents
                    .entry(uri.as_str().to_string())
                    .or_insert_with(|| Document::new(uri.clone(), String::new(), false));
                for change in p.content_changes {
                    document.apply(change, lossy);
                }
                uri
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = parse::<DidCloseTextDocumentParams>(notification.params) else { return Vec::new() };
                let uri = p.text_document.uri;
                documents.remove(uri.as_str());
                self.tokens.forget(uri.as_str());
                if matches!(Workspace::key(&uri), AppKey::Buffer(_)) {
                    return Vec::new(); // its app is forgotten with it
                }
                uri
            }
            DidSaveTextDocument::METHOD => {
                let Some(p) = parse::<DidSaveTextDocumentParams>(notification.params) else { return Vec::new() };
                p.text_document.uri
            }
            DidChangeWatchedFiles::METHOD => {
                let Some(p) = parse::<DidChangeWatchedFilesParams>(notification.params) else { return Vec::new() };
                return self.files_changed(p.changes.into_iter().map(|change| change.uri));
            }
            _ => return Vec::new(),
        };
        self.check(&Workspace::key(&uri))
    }

    /// Checks an app again and returns the diagnostics to publish.
    fn check(&mut self, key: &AppKey) -> Vec<PublishDiagnosticsParams> {
        let open: HashSet<String> = self.workspace.documents.keys().cloned().collect();
        let analysis = self.workspace.analyze(key);
        diagnostics::to_publish(analysis, |uri| open.contains(uri), &self.codes_url)
    }

    /// Files another program changed, created or deleted: the apps still
    /// held that they belong to are checked again.
    fn files_changed(&mut self, uris: impl Iterator<Item = Uri>) -> Vec<PublishDiagnosticsParams> {
        let mut keys: Vec<AppKey> = uris.map(|uri| Workspace::key(&uri)).collect();
        keys.retain(|key| self.workspace.apps.contains_key(key));
        keys.sort_by_key(|key| format!("{key:?}"));
        keys.dedup();
        keys.iter().flat_map(|key| self.check(key)).collect()
    }

    /// Asks the client to report changes to `.lf` files on disk, if it
    /// can register that dynamically.
    fn watch_files(&mut self) {
        if !self.dynamic_watch {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher { glob_pattern: GlobPattern::String("**/*.lf".into()), kind: None }],
        };
        let registration = Registration {
            id: "lambdaform-watch-lf".into(),
            method: DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let params = RegistrationParams { registrations: vec![registration] };
        let request = Request::new("lambdaform-watch".to_string().into(), RegisterCapability::METHOD.into(), params);
        self.outbox.push(request.into());
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Option<T> {
    serde_json::from_value(params).ok()
}
