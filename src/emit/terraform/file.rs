//! `main.tf` printed straight into its file (`build --target terraform`):
//! the configuration after the head is cut into pieces of a few dozen
//! functions, which the two threads take in turn; each prints a piece into
//! a buffer it reuses and writes it at its offset as soon as the pieces
//! before it are placed. The text is never held whole in memory (45 MB
//! at 10,000 functions, every page of it fresh), and writing it overlaps
//! printing.
//! The bytes are those of [`super::emit`].

use super::text::Text;
use super::{functions, head, outputs, write, Ctx, Options};
use crate::check::Checked;
use crate::deploy;
use crate::deploy::triggers::Index;
use crate::grants::Grants;
use crate::model::Resource;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

/// Functions per piece: small enough that a buffer stays in the cache
/// and neither thread waits long for the other's piece.
const FUNCTIONS_PER_PIECE: usize = 32;
/// The app's other resources per piece (about sixteen weigh a function).
const OTHERS_PER_PIECE: usize = 16 * FUNCTIONS_PER_PIECE;
/// The room a thread's buffer starts with.
const BUFFER: usize = 1 << 20;

/// A file written at offsets (the emitter does no I/O of its own: `cli`
/// gives it the file).
pub trait Sink: Sync {
    fn write_all_at(&self, bytes: &[u8], at: u64) -> io::Result<()>;
}

/// Prints the configuration of a checked app into `file`, which is new
/// and empty, as [`super::emit`] would print it. `triggers` is the app's
/// trigger index (`deploy::triggers::Index::new`), which `build` makes
/// while it looks for the code packages.
pub fn write_file(checked: &Checked, options: &Options, triggers: &Index, file: &dyn Sink) -> io::Result<()> {
    let ctx = Ctx::new(checked, options, triggers);
    let head = head(&ctx);
    file.write_all_at(head.as_bytes(), 0)?;
    let others = others(&ctx);
    let pieces = pieces(&others, &checked.grants);
    let placed = Placed::new(head.len() as u64);
    let next = AtomicUsize::new(0);
    let work = || -> io::Result<()> {
        let abandon = Abandon { placed: &placed, finished: false };
        let mut buffer = String::with_capacity(BUFFER);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else { break };
            let mut text = Text::reusing(buffer);
            piece.print(&ctx, &mut text);
            buffer = text.finish();
            let Some(at) = placed.place(i, &buffer) else { break };
            write_part(file, &buffer, at)?;
        }
        abandon.finish();
        Ok(())
    };
    // The app's own resources and the outputs, last in the file, print
    // first on the other thread and are written once all else is placed.
    let (here, (last, there)) = crate::parallel::both(work, || {
        let mut text = Text::default();
        write(&ctx, &mut text, &deploy::made_for_app(&ctx.scope()));
        outputs(&ctx, &mut text);
        (text.finish(), work())
    });
    here.and(there)?;
    write_part(file, &last, placed.end())
}

/// A part after the head: a blank line, then its text (nothing for an
/// empty one), as `text::join` puts it.
fn write_part(file: &dyn Sink, text: &str, at: u64) -> io::Result<()> {
    if !text.is_empty() {
        file.write_all_at(b"\n", at)?;
        file.write_all_at(text.as_bytes(), at + 1)?;
    }
    Ok(())
}

fn part_len(text: &str) -> u64 {
    if text.is_empty() {
        0
    } else {
        text.len() as u64 + 1
    }
}

/// The model's resources that are not functions, which the first pieces
/// print.
pub(super) fn others<'a>(ctx: &Ctx<'a>) -> Vec<&'a Resource> {
    ctx.model.resources.iter().filter(|r| r.function.is_none()).collect()
}

/// The pieces of the configuration after the head and before the app's
/// own resources and the outputs, in the order of the file.
pub(super) fn pieces<'a>(others: &'a [&'a Resource], grants: &'a [Grants]) -> Vec<Piece<'a>> {
    let mut pieces: Vec<Piece> = others.chunks(OTHERS_PER_PIECE).map(Piece::Others).collect();
    pieces.extend(grants.chunks(FUNCTIONS_PER_PIECE).map(Piece::Functions));
    pieces
}

/// A piece of the configuration, in the order of the file.
pub(super) enum Piece<'a> {
    Others(&'a [&'a Resource]),
    Functions(&'a [Grants]),
}

impl Piece<'_> {
    pub(super) fn print(&self, ctx: &Ctx, text: &mut Text) {
        match self {
            Piece::Others(resources) => {
                for resource in *resources {
                    write(ctx, text, &deploy::made_for(&ctx.scope(), resource));
                }
            }
            Piece::Functions(grants) => functions(ctx, text, grants),
        }
    }
}

/// Where the pieces go: how many are placed, and where the last ends.
struct Placed {
    state: Mutex<Place>,
    turn: Condvar,
}

struct Place {
    pieces: usize,
    end: u64,
    /// A thread stopped before placing its piece: the rest waits no more.
    abandoned: bool,
}

impl Placed {
    fn new(start: u64) -> Placed {
        Placed { state: Mutex::new(Place { pieces: 0, end: start, abandoned: false }), turn: Condvar::new() }
    }

    /// The offset of piece `i` printed as `text`, once every piece before
    /// it is placed; `None` when a thread gave up.
    fn place(&self, i: usize, text: &str) -> Option<u64> {
        let mut place = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while place.pieces != i && !place.abandoned {
            place = self.turn.wait(place).unwrap_or_else(PoisonError::into_inner);
        }
        if place.abandoned {
            return None;
        }
        let at = place.end;
        place.end += part_len(text);
        place.pieces += 1;
        self.turn.notify_all();
        Some(at)
    }

    fn end(&self) -> u64 {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).end
    }
}

/// Tells the other thread to wait no more when this one stops early (an
/// error or a panic), since its pieces will never be placed.
struct Abandon<'a> {
    placed: &'a Placed,
    finished: bool,
}

impl Abandon<'_> {
    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.placed.state.lock().unwrap_or_else(PoisonError::into_inner).abandoned = true;
            self.placed.turn.notify_all();
        }
    }
}
