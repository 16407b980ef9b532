//! Parse results kept from one check of an app to the next (the language
//! server keeps one per app): a file whose id and text are those it had
//! last time is not parsed again. Parsing reads nothing but the file's id
//! and text, so a result reused under the same id and the same text is the
//! one parsing would give; the text is compared whole, never by hash.

use crate::ast::File;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax;
use std::collections::HashMap;
use std::sync::Arc;

/// The last parse of each app file, by id.
#[derive(Default)]
pub struct ParseCache {
    files: HashMap<FileId, Parsed>,
}

struct Parsed {
    text: String,
    ast: Arc<File>,
    errors: Vec<Diagnostic>,
}

impl ParseCache {
    /// The syntax tree and syntax errors of `text` as file `file`: the
    /// kept ones when the text is unchanged, else parsed now and kept.
    pub fn parse(&mut self, file: FileId, text: &str) -> (Arc<File>, Vec<Diagnostic>) {
        if let Some(parsed) = self.files.get(&file).filter(|p| p.text == text) {
            return (parsed.ast.clone(), parsed.errors.clone());
        }
        let (ast, errors) = syntax::parse(file, text);
        let ast = Arc::new(ast);
        self.files.insert(file, Parsed { text: text.to_string(), ast: ast.clone(), errors: errors.clone() });
        (ast, errors)
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
        assert_eq!(ast, Arc::new(syntax::parse(file(), "topic alerts {}\n").0));
    }
}
