//! What a block may hold besides its attributes: the nested blocks of
//! attributes only (`async`, `usage_plan`, `index`), and the statements
//! that stand in a block that does not take them.

use super::{a, article, closest_key, Scope};
use crate::ast::{Body, Ident, Statement, Value};
use crate::diagnostic::{listed, Code, Diagnostic};
use crate::stdlib::BlockDef;

impl Scope<'_> {
    /// The assignments of a nested block that holds attributes only (an
    /// `async`, `usage_plan` or `index` block); any other statement is
    /// misplaced, and the help names the block's attributes.
    pub(super) fn block_assignments<'b>(&mut self, body: &'b Body, block: &BlockDef) -> Vec<(&'b Ident, &'b Value)> {
        let mut assignments = Vec::new();
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } => assignments.push((name, value)),
                other => {
                    let names: Vec<String> = block.attributes.iter().map(|a| format!("`{}`", a.name)).collect();
                    let help = format!("write {}", listed(&names, "or"));
                    let message = format!("{} `{}` block holds attributes only", article(&block.name), block.name);
                    self.diagnostics.push(
                        Diagnostic::new(Code::MisplacedStatement, other.span(), message)
                            .label("not allowed here")
                            .help(help),
                    );
                }
            }
        }
        assignments
    }

    pub(crate) fn misplaced(&mut self, statement: &Statement, owner: &str) {
        let kinds = self.kinds;
        let blocks: Vec<&str> =
            kinds.get(owner).map(|k| k.blocks.iter().map(|b| b.name.as_str()).collect()).unwrap_or_default();
        let mut d = Diagnostic::new(
            Code::MisplacedStatement,
            statement.span(),
            format!("this statement cannot stand in {} block", a(owner)),
        )
        .label("not allowed here");
        // A block of another name where the kind declares blocks: the one
        // it most likely is (`global_secondary_index` for `index`).
        let meant = match statement {
            Statement::Nested { kind, .. } => blocks
                .iter()
                .copied()
                .find(|b| kind.text.contains(b))
                .or_else(|| closest_key(&kind.text, &blocks))
                .map(|b| (kind.span, b)),
            _ => None,
        };
        d = match meant {
            Some((span, block)) => {
                d.help(format!("{} block declares `{block} NAME {{ ... }}`", a(owner))).replace_with(span, block)
            }
            None => d.help(format!(
                "{} block holds {}; verbs, triggers, mounts, `allow` and `async` belong in a function",
                a(owner),
                holds(&blocks)
            )),
        };
        self.diagnostics.push(d);
    }
}

/// What a block of a kind holds: its attributes, and its kind's blocks.
fn holds(blocks: &[&str]) -> String {
    if blocks.is_empty() {
        return "`name = value` attributes only".into();
    }
    let parts: Vec<String> = std::iter::once("`name = value` attributes".to_string())
        .chain(blocks.iter().map(|b| format!("`{b} NAME {{ ... }}`")))
        .collect();
    format!("{} blocks", listed(&parts, "and"))
}
