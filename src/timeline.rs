//! The ends of the pipeline's stages, told to whoever asked: `check` and
//! `build` mark each stage as it ends (parsed, resolved, graph, checked,
//! then the build's own), and `cli::timeline` writes them out when the
//! user sets `LAMBDAFORM_TIMELINE`. Nothing observes the marks otherwise,
//! and then a mark costs one load of a value set once.

use std::sync::OnceLock;

/// What is told of each stage's end: its name.
pub type Observer = fn(&str);

static OBSERVER: OnceLock<Observer> = OnceLock::new();

/// Tells `observer` of every stage that ends from now on (the first
/// observer stays).
pub fn observe(observer: Observer) {
    let _ = OBSERVER.set(observer);
}

/// The end of `stage`.
pub fn mark(stage: &str) {
    if let Some(observer) = OBSERVER.get() {
        observer(stage);
    }
}
