//! Open documents and the apps they belong to. An app is every `.lf` file
//! of a folder, the open buffers overriding what is on disk; a document
//! that is not a `.lf` file on disk is an app of its own. Each app keeps
//! its last `check` result while one of its documents is open, and is
//! forgotten when the last one closes. Documents change whole or by UTF-16
//! ranges; positions convert here between byte offsets and LSP's UTF-16
//! line/character pairs.

use crate::check::{check_reusing, no_app_folder, Checked, Input};
use crate::date::Date;
use crate::reparse::ParseCache;
use crate::source::{FileId, SourceFile, Span, BYTE_ORDER_MARK};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Which app a document belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AppKey {
    Folder(PathBuf),
    /// The document's URI.
    Buffer(String),
}

/// An open document: its text as the editor has it.
pub struct Document {
    pub uri: Uri,
    pub text: String,
    /// The editor sent bytes that are not UTF-8, read as U+FFFD: the
    /// document is checked as the bytes it holds (LF0003) and not formatted.
    pub invalid_utf8: bool,
}

impl Document {
    pub fn new(uri: Uri, text: String, lossy: bool) -> Document {
        let invalid_utf8 = lossy && text.contains(char::REPLACEMENT_CHARACTER);
        Document { uri, text, invalid_utf8 }
    }

    /// Applies one change: the whole text, or a range in UTF-16 positions.
    /// `lossy`: the message that carried it was not UTF-8.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent, lossy: bool) {
        match change.range {
            None => {
                self.text = change.text;
                self.invalid_utf8 = lossy;
            }
            Some(range) => {
                let start = offset_utf16(&self.text, range.start.line as usize, range.start.character as usize);
                let end = offset_utf16(&self.text, range.end.line as usize, range.end.character as usize).max(start);
                self.text.replace_range(start..end, &change.text);
                self.invalid_utf8 |= lossy;
            }
        }
        self.invalid_utf8 &= self.text.contains(char::REPLACEMENT_CHARACTER);
    }

    /// The bytes `check` reads: where the editor's bytes were not UTF-8,
    /// a byte that is not either, so that `check` reports LF0003 there
    /// and reads the same text back.
    fn bytes(&self) -> Vec<u8> {
        if !self.invalid_utf8 {
            return self.text.clone().into_bytes();
        }
        let mut out = Vec::with_capacity(self.text.len());
        for c in self.text.chars() {
            match c {
                char::REPLACEMENT_CHARACTER => out.push(0xFF),
                c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        out
    }
}

/// The byte offset of a 0-based line and UTF-16 column of `text`, as
/// [`SourceFile::offset_utf16`] finds it (clamped to the line), reading
/// only the text before it: indexing every line of a large document to
/// apply one edit cost more than parsing the edited item.
fn offset_utf16(text: &str, line: usize, column: usize) -> usize {
    let start = match line {
        0 if text.starts_with(BYTE_ORDER_MARK) => BYTE_ORDER_MARK.len_utf8(),
        0 => 0,
        _ => text.match_indices('\n').nth(line - 1).map_or(text.len(), |(i, _)| i + 1),
    };
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= column || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// One checked app.
pub struct Analysis {
    pub checked: Checked,
    /// The URI of each app file in `checked`.
    pub uris: Vec<(FileId, Uri)>,
    /// The URIs last sent a non-empty list of diagnostics.
    pub published: HashSet<String>,
    /// The parse of each file, reused by the next check where its text
    /// has not changed.
    cache: ParseCache,
}

impl Analysis {
    pub fn file_of(&self, uri: &Uri) -> Option<FileId> {
        self.uris.iter().find(|(_, u)| u == uri).map(|(f, _)| *f)
    }

    pub fn uri_of(&self, file: FileId) -> Option<&Uri> {
        self.uris.iter().find(|(f, _)| *f == file).map(|(_, u)| u)
    }

    pub fn source(&self, file: FileId) -> &SourceFile {
        self.checked.sources.get(file)
    }

    /// The LSP range of a span (UTF-16 columns, 0-based).
    pub fn range(&self, span: Span) -> Range {
        let file = self.source(span.file);
        Range::new(position(file, span.start as usize), position(file, span.end as usize))
    }

    /// The byte offset of an LSP position in `file`.
    pub fn offset(&self, file: FileId, position: Position) -> usize {
        self.source(file).offset_utf16(position.line as usize, position.character as usize)
    }
}

/// The LSP position of a byte offset.
pub fn position(file: &SourceFile, byte: usize) -> Position {
    let p = file.position_utf16(byte);
    Position::new(p.line.saturating_sub(1) as u32, p.column.saturating_sub(1) as u32)
}

#[derive(Default)]
pub struct Workspace {
    /// Open documents, by URI.
    pub documents: HashMap<String, Document>,
    pub apps: HashMap<AppKey, Analysis>,
    /// The day to judge runtimes on; the clock's when not pinned.
    pub today: Option<Date>,
    /// Results replaced by a newer check, freed once its diagnostics are
    /// sent ([`Workspace::free_replaced`]).
    pub replaced: Vec<Analysis>,
}

impl Workspace {
    pub fn key(uri: &Uri) -> AppKey {
        match uri_to_path(uri) {
            Some(path) if path.extension().is_some_and(|x| x == "lf") => match path.parent() {
                Some(folder) => AppKey::Folder(folder.to_path_buf()),
                None => AppKey::Buffer(uri.as_str().to_string()),
            },
            _ => AppKey::Buffer(uri.as_str().to_string()),
        }
    }

    /// Checks the app again, reusing the parse of its unchanged files;
    /// the URIs it had published to are kept so that stale diagnostics
    /// can be cleared. The previous result is kept until the diagnostics
    /// are sent: freeing it is a tenth of a change's time at 1,000
    /// functions. (Freed on another thread, it cost three times as many
    /// instructions: mimalloc frees across threads the slow way.)
    pub fn analyze(&mut self, key: &AppKey) -> &mut Analysis {
        let (uris, inputs): (Vec<Uri>, Vec<Input>) = self.inputs(key).into_iter().unzip();
        let today = self.today.unwrap_or_else(crate::cli::clock_today);
        let mut previous = self.apps.remove(key);
        let (published, mut cache) = match previous.as_mut() {
            Some(a) => {
                // The cache's trees are then its own: an edited file's
                // unchanged items are moved into its new tree, not copied.
                a.checked.asts.clear();
                (std::mem::take(&mut a.published), std::mem::take(&mut a.cache))
            }
            None => Default::default(),
        };
        let checked = match key {
            AppKey::Folder(folder) => check_reusing(inputs, today, &crate::cli::app_files(folder), Some(&mut cache)),
            AppKey::Buffer(_) => check_reusing(inputs, today, &no_app_folder, Some(&mut cache)),
        };
        self.replaced.extend(previous);
        let mut uris: Vec<(FileId, Uri)> = checked.app_files.iter().copied().zip(uris).collect();
        // State machine definitions, read from disk: their diagnostics go to their files.
        let definitions = checked.model.resources.iter().filter_map(|r| r.machine.as_ref()?.definition.as_ref());
        for definition in definitions {
            let path = PathBuf::from(&checked.sources.get(definition.file).name);
            uris.extend(path_to_uri(&path).map(|uri| (definition.file, uri)));
        }
        self.apps.entry(key.clone()).or_insert(Analysis { checked, uris, published, cache })
    }

    /// The app's analysis, checking it first if it never was.
    pub fn analysis(&mut self, uri: &Uri) -> &Analysis {
        let key = Workspace::key(uri);
        if self.apps.get(&key).is_none_or(|a| a.file_of(uri).is_none()) {
            return self.analyze(&key);
        }
        &self.apps[&key]
    }

    /// Frees the results that newer checks replaced.
    pub fn free_replaced(&mut self) {
        self.replaced.clear();
    }

    /// What is held: the number of open documents and each app's folder
    /// (or buffer URI), sorted.
    pub fn status(&self) -> serde_json::Value {
        let mut apps: Vec<String> = self
            .apps
            .keys()
            .map(|key| match key {
                AppKey::Folder(folder) => folder.display().to_string(),
                AppKey::Buffer(uri) => uri.clone(),
            })
            .collect();
        apps.sort();
        serde_json::json!({ "documents": self.documents.len(), "apps": apps })
    }

    /// Forgets every app none of whose documents is open, and returns the
    /// URIs they had published diagnostics to: nothing would update those
    /// any more, so they are cleared.
    pub fn forget_closed(&mut self) -> Vec<Uri> {
        let open: HashSet<AppKey> = self.documents.values().map(|d| Workspace::key(&d.uri)).collect();
        let closed: Vec<AppKey> = self.apps.keys().filter(|key| !open.contains(*key)).cloned().collect();
        let mut stale: Vec<Uri> = closed
            .iter()
            .filter_map(|key| self.apps.remove(key))
            .flat_map(|app| app.published)
            .filter_map(|uri| Uri::from_str(&uri).ok())
            .collect();
        stale.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        stale
    }

    fn inputs(&self, key: &AppKey) -> Vec<(Uri, Input)> {
        let folder = match key {
            AppKey::Buffer(uri) => {
                let Some(document) = self.documents.get(uri) else { return Vec::new() };
                return vec![(document.uri.clone(), Input { name: uri.clone(), bytes: document.bytes() })];
            }
            AppKey::Folder(folder) => folder,
        };
        // Open documents of this folder, by path.
        let open: HashMap<PathBuf, &Document> = self
            .documents
            .values()
            .filter_map(|document| uri_to_path(&document.uri).map(|p| (p, document)))
            .filter(|(p, _)| p.parent() == Some(folder.as_path()) && p.extension().is_some_and(|x| x == "lf"))
            .collect();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "lf") && p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        paths.extend(open.keys().filter(|p| !p.exists()).cloned());
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|path| {
                let (uri, bytes) = match open.get(&path) {
                    Some(document) => (document.uri.clone(), document.bytes()),
                    None => (path_to_uri(&path)?, std::fs::read(&path).ok()?),
                };
                Some((uri, Input { name: path.display().to_string(), bytes }))
            })
            .collect()
    }
}

/// The path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`.
    let path = &rest[rest.find('/')?..];
    let decoded = percent_decode(path)?;
    // `/C:/x` on Windows.
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() > 2 && bytes[0] == b'/' && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edits_offsets_are_those_of_the_documents_line_index() {
        let texts = ["", "a", "queue jobs {}\n", "\u{feff}ab\r\ncd\n", "é𝄞x\n\ny\u{2028}z", "\n\n\n"];
        for text in texts {
            let file = SourceFile::new("", text);
            for line in 0..6 {
                for column in 0..8 {
                    assert_eq!(
                        offset_utf16(text, line, column),
                        file.offset_utf16(line, column),
                        "{text:?} {line}:{column}"
                    );
                }
            }
        }
    }
}
