//! What a table's block says besides its attributes: `index NAME { key =
//! "...", sort = "..." }`, its global secondary indexes, each checked
//! against the `table` kind's `index` block.

use super::Scope;
use crate::ast::{Body, Ident, Statement};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{TableBody, TableIndex};
use crate::stdlib::KindDef;

/// DynamoDB's shortest index name.
const MIN_INDEX_NAME: usize = 3;

impl Scope<'_> {
    pub(super) fn table_body(&mut self, kind: &KindDef, body: &Body) -> TableBody {
        let mut table = TableBody::default();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { .. } => {}
                Statement::Nested { kind: block, name, body } if block.text == "index" => {
                    if let Some(index) = self.index(kind, &table, block, name.as_ref(), body) {
                        table.indexes.push(index);
                    }
                }
                other => self.misplaced(other, "table"),
            }
        }
        table
    }

    fn index(
        &mut self,
        kind: &KindDef,
        table: &TableBody,
        block: &Ident,
        name: Option<&Ident>,
        body: &Body,
    ) -> Option<TableIndex> {
        let Some(name) = name else {
            self.diagnostics.push(
                Diagnostic::new(Code::BadTableIndex, block.span, "this index has no name").label("name missing").help(
                    "write `index NAME { key = \"...\" }`: DynamoDB and the code that queries it call it by NAME",
                ),
            );
            return None;
        };
        self.check_name(name);
        if name.text.len() < MIN_INDEX_NAME {
            self.diagnostics.push(
                Diagnostic::new(Code::BadTableIndex, name.span, format!("the index name `{}` is too short", name.text))
                    .label(format!("{} characters", name.text.len()))
                    .help(format!(
                        "DynamoDB needs at least {MIN_INDEX_NAME} characters in an index name, such as `by_tag`"
                    )),
            );
        }
        if let Some(first) = table.indexes.iter().find(|i| i.name == name.text) {
            self.diagnostics.push(
                Diagnostic::new(Code::BadTableIndex, name.span, format!("the index `{}` is declared twice", name.text))
                    .label("declared again here")
                    .secondary(first.name_span, "first declared here")
                    .help("rename one of them"),
            );
            return None;
        }
        let def = kind.block("index")?;
        let assignments = self.block_assignments(body, def);
        let span = block.span.to(body.span);
        let attrs = self.attrs(&def.attributes, assignments.into_iter(), "index block", block.span.to(name.span));
        Some(TableIndex { name: name.text.clone(), name_span: name.span, attrs, span })
    }
}
