//! Parse results kept from one check of an app to the next (the language
//! server keeps one per app): a file whose id and text are those it had
//! last time is not parsed again. Parsing reads nothing but the file's id
//! and text, so a result reused under the same id and the same text is the
//! one parsing would give; the text is compared whole, never by hash. A
//! file whose text changed is parsed again item by item
//! ([`syntax::Parse::edited`]): only the items an edit touched are read.

use crate::ast::File;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::Parse;
use std::collections::HashMap;
use std::sync::Arc;

/// The last parse of each app file, by id.
#[derive(Default)]
pub struct ParseCache {
    files: HashMap<FileId, Parsed>,
}

struct Parsed {
    text: String,
    parse: Parse,
}

impl ParseCache {
    /// The syntax tree and syntax errors of `text` as file `file`: the
    /// kept ones when the text is unchanged, else parsed now and kept.
    pub fn parse(&mut self, file: FileId, text: &str) -> (Arc<File>, Vec<Diagnostic>) {
        let parsed = match self.files.remove(&file) {
            Some(old) if old.text == text => old,
            Some(old) => Parsed { parse: old.parse.edited(file, &old.text, text), text: text.to_string() },
            None => Parsed { parse: Parse::new(file, text), text: text.to_string() },
        };
        let kept = (parsed.parse.ast.clone(), parsed.parse.errors.clone());
        self.files.insert(file, parsed);
        kept
    }

    /// Forgets every file but `files` (those of the last check).
    pub fn keep_only(&mut self, files: &[FileId]) {
        self.files.retain(|file, _| files.contains(file));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn file() -> FileId {
        Sources::default().add("main.lf", "")
    }

    #[test]
    fn an_unchanged_text_is_not_parsed_again() {
        let mut cache = ParseCache::default();
        let (first, _) = cache.parse(file(), "queue jobs {}\n");
        let (second, _) = cache.parse(file(), "queue jobs {}\n");
        assert!(Arc::ptr_eq(&first, &second));
    }

    #[test]
    fn a_changed_text_is_parsed_again() {
        let mut cache = ParseCache::default();
        let (_, errors) = cache.parse(file(), "queue jobs {}\n");
        assert!(errors.is_empty());
        let (ast, errors) = cache.parse(file(), "queue jobs {\n");
        assert!(!errors.is_empty(), "the unclosed block is reported: {ast:?}");
        let (ast, errors) = cache.parse(file(), "topic alerts {}\n");
        assert!(errors.is_empty());
        assert_eq!(ast, Arc::new(crate::syntax::parse(file(), "topic alerts {}\n").0));
    }
}
