//! The whole front half of the pipeline as one total function: source bytes
//! in, a (possibly partial) model, its graph and grants, and every
//! diagnostic out. The CLI and the
//! language server both call [`check`]; emitters run only on a result
//! without errors.

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::grants::Grants;
use crate::graph::Graph;
use crate::model::Model;
use crate::reparse::ParseCache;
use crate::source::{FileId, Sources, Span};
use crate::stdlib::Kinds;
use crate::{asl, grants, graph, resolve, stdlib, syntax, validate};
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

/// One app source file as read from disk or from an editor buffer.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

pub struct Checked {
    pub sources: Sources,
    /// The stdlib files come first; these are the app's own.
    pub app_files: Vec<FileId>,
    pub model: Model,
    /// The graph and grants of every resource and function that resolved,
    /// complete once there are no errors.
    pub graph: Graph,
    pub grants: Vec<Grants>,
    pub diagnostics: Vec<Diagnostic>,
    /// The syntax tree of each app file that could be read (for the
    /// language server: names under the cursor, outlines), shared with
    /// the [`ParseCache`] that holds it. Kept only by a check given a
    /// cache: no one else reads them, and at 10,000 functions they are a
    /// fifth of a check's memory.
    pub asts: Vec<(FileId, Arc<crate::ast::File>)>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and resolves one app made of `inputs`, judging what changes with
/// time (runtimes) on the day `today`. Files the app names (state machine
/// definitions) cannot be read: [`check_with`] reads them.
pub fn check(inputs: Vec<Input>, today: Date) -> Checked {
    check_with(inputs, today, &no_app_folder)
}

/// The reader of an app with no folder (an editor buffer): it reads nothing.
pub fn no_app_folder(_: &str) -> Result<(String, Vec<u8>), String> {
    Err("no app folder to read it from".into())
}

/// [`check`], reading the files the app names (state machine definitions,
/// by their path relative to the app folder) with `read`.
pub fn check_with(inputs: Vec<Input>, today: Date, read: asl::Reader) -> Checked {
    check_reusing(inputs, today, read, None)
}

/// [`check_with`], and what `beside` makes of the resolved model, run on
/// the other thread while this one builds the graph (which takes one
/// thread): the work of a command that reads the model alone, such as a
/// build's physical names and packages. It runs whether or not the app
/// has errors.
pub fn check_beside<T: Send>(
    inputs: Vec<Input>,
    today: Date,
    read: asl::Reader,
    beside: impl FnOnce(&Model) -> T + Send,
) -> (Checked, T) {
    check_inner(inputs, today, read, None, beside)
}

/// [`check_with`], taking the parse of each file whose text is unchanged
/// from `cache` (the language server's, kept between checks of one app)
/// and leaving this check's parses there.
pub fn check_reusing(inputs: Vec<Input>, today: Date, read: asl::Reader, cache: Option<&mut ParseCache>) -> Checked {
    check_inner(inputs, today, read, cache, |_| ()).0
}

/// [`check_reusing`], with [`check_beside`]'s work beside the graph.
fn check_inner<T: Send>(
    inputs: Vec<Input>,
    today: Date,
    read: asl::Reader,
    mut cache: Option<&mut ParseCache>,
    beside: impl FnOnce(&Model) -> T + Send,
) -> (Checked, T) {
    let (mut sources, kinds, mut diagnostics) = load_stdlib();
    let mut files = Vec::new();
    let mut app_files = Vec::new();
    let mut parsed = Vec::new();
    for input in inputs {
        let (text, bad_byte) = decode(input.bytes);
        let file = sources.add(input.name, text);
        app_files.push(file);
        if let Some(at) = bad_byte {
            diagnostics.push(invalid_utf8(file, at));
            continue;
        }
        let text = &sources.get(file).text;
        let (ast, parse_errors) = match cache.as_deref_mut() {
            Some(cache) => cache.parse(file, text),
            None => {
                let (ast, errors) = syntax::parse(file, text);
                (Arc::new(ast), errors)
            }
        };
        diagnostics.extend(parse_errors);
        parsed.push(file);
        files.push(ast);
    }
    crate::timeline::mark("parsed");
    let keep_asts = cache.is_some();
    if let Some(cache) = cache {
        cache.keep_only(&parsed);
    }
    let (mut model, resolve_errors) = resolve::resolve(&files, kinds);
    crate::timeline::mark("resolved");
    let refused = refused_literals(&diagnostics);
    diagnostics.extend(resolve_errors.into_iter().filter(|d| !refused.contains(&d.primary.span)));
    diagnostics.extend(asl::read(&mut model, &mut sources, read));
    // The graph and grants of every item that resolved, errors elsewhere
    // or not: an editor shows them mid-edit. Their own errors (a cycle, a
    // policy over its quota) hold for what resolved; the AWS rules judge
    // the app as a whole, so they wait until it has no errors.
    let resolved = !diagnostics.iter().any(Diagnostic::is_error);
    let (graph, aside) = crate::parallel::both(|| graph::build(&model), || beside(&model));
    crate::timeline::mark("graph");
    let (asts, unneeded) = match keep_asts {
        true => (parsed.into_iter().zip(files).collect(), Vec::new()),
        false => (Vec::new(), files),
    };
    let (cycles, rule_errors, grants, too_large) =
        rules_and_grants(&model, &graph, resolved.then_some(today), unneeded);
    diagnostics.extend(cycles);
    diagnostics.extend(rule_errors);
    diagnostics.extend(too_large);
    sort(&mut diagnostics);
    crate::timeline::mark("checked");
    (Checked { sources, app_files, model, graph, grants, diagnostics, asts }, aside)
}

/// A chunk's grants, and those over IAM's size limits.
type CheckedChunk = (Vec<Diagnostic>, Vec<Grants>);

/// Apps with at least this many resources judge the AWS rules on a second
/// thread: below it, the thread costs more than the rules (about ten
/// thousand instructions a resource).
const PARALLEL_FROM: usize = 64;

/// The graph's dependency cycles, the diagnostics of the AWS rules
/// (judged on the day `today`, if given), the grants, and the grants over
/// IAM's size limits, read from the model and graph alone; `unneeded` is
/// freed. In a large app the cycles are found, the rules judged and
/// `unneeded` freed on a second thread while this one infers the other
/// principals' grants; then both infer functions' grants, chunk by chunk,
/// until none is left. Each chunk's sizes are checked by the thread that
/// inferred it.
fn rules_and_grants(
    model: &Model,
    graph: &Graph,
    today: Option<Date>,
    unneeded: Vec<Arc<crate::ast::File>>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>, Vec<Grants>, Vec<Diagnostic>) {
    let rules = move || {
        drop(unneeded);
        let cycles = graph::cycles(graph, model);
        (cycles, today.map(|today| validate::validate(model, graph, today)).unwrap_or_default())
    };
    if model.resources.len() < PARALLEL_FROM {
        let (cycles, rule_errors) = rules();
        let grants = grants::infer(model, graph);
        let too_large = grants::limits::check(model, &grants);
        return (cycles, rule_errors, grants, too_large);
    }
    let chunks = &grants::Chunks::new(grants::Functions::of(model), FUNCTIONS_A_CHUNK);
    let infer = || -> Vec<(usize, CheckedChunk)> {
        chunks.infer(model, graph, |grants| (grants::limits::check(model, &grants), grants))
    };
    // The grants of the other principals (APIs, state machines...) are
    // inferred on this thread while the other judges the rules, then both
    // infer functions' chunks, so that neither thread waits.
    let others = || -> CheckedChunk {
        let others: Vec<Grants> = grants::others(model).collect();
        (grants::limits::check(model, &others), others)
    };
    let (((others_too_large, others), first), ((cycles, rule_errors), last)) =
        crate::parallel::both(|| (others(), infer()), move || (rules(), infer()));
    let (mut too_large, mut grants) = (Vec::new(), Vec::new());
    for (chunk_too_large, chunk) in grants::in_order([first, last]) {
        too_large.extend(chunk_too_large);
        grants.extend(chunk);
    }
    too_large.extend(others_too_large);
    grants.extend(others);
    (cycles, rule_errors, grants, too_large)
}

/// The functions whose grants a thread infers at a time: small enough that
/// the two threads finish together, large enough that taking one is rare.
const FUNCTIONS_A_CHUNK: usize = 32;

/// The standard library's sources, kinds and diagnostics.
type Stdlib = (Sources, Kinds, Vec<Diagnostic>);

/// The stdlib for a check: the one [`read_stdlib`] read for it, or a copy
/// of the one read once per process (a quarter of a check's time in a
/// debug build) for every check that asks.
fn load_stdlib() -> Stdlib {
    let prepared = PREPARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    prepared.unwrap_or_else(|| {
        let (sources, kinds, diagnostics) = stdlib();
        (sources.clone(), kinds.clone(), diagnostics.clone())
    })
}

/// Reads the standard library for the next check now rather than in it:
/// `build` and `check` of a large app do so while the pool's threads
/// start. That check takes it whole; copying the one kept for the
/// process's later checks took a third of a millisecond on one thread,
/// while the other had nothing to do.
pub fn read_stdlib() {
    let stdlib = read();
    *PREPARED.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(stdlib);
}

/// A stdlib read for the next check ([`read_stdlib`]), not yet taken.
static PREPARED: std::sync::Mutex<Option<Stdlib>> = std::sync::Mutex::new(None);

/// The stdlib read once per process, for checks none was read for.
fn stdlib() -> &'static Stdlib {
    static STDLIB: OnceLock<Stdlib> = OnceLock::new();
    STDLIB.get_or_init(read)
}

fn read() -> Stdlib {
    let mut sources = Sources::default();
    let (kinds, diagnostics) = stdlib::load(&mut sources);
    (sources, kinds, diagnostics)
}

/// Literals the parser refused (a number too large stands in as 0): the
/// resolver's complaints about the same span (out of range) only repeat them.
fn refused_literals(diagnostics: &[Diagnostic]) -> HashSet<Span> {
    diagnostics.iter().filter(|d| d.code == Code::NumberTooLarge).map(|d| d.primary.span).collect()
}

/// The text, and the offset of the first byte that is not UTF-8.
fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            (String::from_utf8_lossy(error.as_bytes()).into_owned(), Some(at))
        }
    }
}

fn invalid_utf8(file: FileId, at: usize) -> Diagnostic {
    // The lossy text holds U+FFFD where the bad bytes were: span all of it,
    // so the label ends on a char boundary.
    Diagnostic::new(
        Code::InvalidUtf8,
        Span::new(file, at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
        "this file is not valid UTF-8",
    )
    .label("first byte that is not UTF-8")
    .help("save the file as UTF-8")
}

/// Diagnostics in file and position order, so output is stable.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.file, a.primary.span.start, a.code).cmp(&(b.primary.span.file, b.primary.span.start, b.code))
    });
}

#[cfg(test)]
mod tests {
    use super::{check_beside, check_with, load_stdlib, no_app_folder, read_stdlib, stdlib, Input};
    use crate::date::Date;

    /// `beside` gets the resolved model, with every declared resource, and
    /// what it returns comes back beside a check like [`check_with`]'s,
    /// errors or not.
    #[test]
    fn work_beside_the_graph_reads_the_resolved_model() {
        let today = Date::from_unix_seconds(1_786_838_400);
        for source in ["queue jobs {}\nqueue jobs_dead {}\n", "queue jobs { visibility = nope }\n"] {
            let input = || vec![Input { name: "main.lf".into(), bytes: source.as_bytes().to_vec() }];
            let names = |model: &crate::model::Model| -> Vec<String> {
                model.resources.iter().map(|r| r.name.clone()).collect()
            };
            let (checked, aside) = check_beside(input(), today, &no_app_folder, names);
            assert_eq!(aside, names(&checked.model), "{source}");
            assert!(aside.iter().any(|name| name == "jobs"), "{source}: {aside:?}");
            assert_eq!(checked.has_errors(), source.contains("nope"), "{source}: {:?}", checked.diagnostics);
            let alone = check_with(input(), today, &no_app_folder);
            assert_eq!(format!("{:?}", checked.diagnostics), format!("{:?}", alone.diagnostics), "{source}");
        }
    }

    #[test]
    fn a_check_reads_the_same_stdlib_read_ahead_or_kept() {
        read_stdlib();
        let taken = load_stdlib();
        let copied = load_stdlib();
        let kept = stdlib();
        assert!(taken.0.iter().next().is_some() && !taken.1.all().is_empty(), "the stdlib has files and kinds");
        for read in [&taken, &copied] {
            assert_eq!(format!("{read:?}"), format!("{kept:?}"));
        }
    }
}
