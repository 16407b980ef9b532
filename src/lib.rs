//! Lambdaform: a compiler from Lambdaform apps to CloudFormation and Terraform,
//! with every IAM grant inferred from the wiring. The modules follow the
//! pipeline: source → syntax → ast → resolve (with stdlib) → model → graph →
//! grants and validate → deploy (what gets deployed, decided once) → emit
//! (its two printers) → plan.

pub mod allocator;
pub mod asl;
pub mod ast;
pub mod check;
pub mod cli;
pub mod date;
pub mod deploy;
pub mod diagnostic;
pub mod emit;
pub mod explain;
pub mod format;
pub mod grants;
pub mod graph;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod plan;
pub mod reparse;
pub mod resolve;
pub mod source;
pub mod stdlib;
pub mod syntax;
pub mod timeline;
pub mod validate;
