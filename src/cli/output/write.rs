//! Writing the new files of a build into its staging folder: what each
//! file holds ([`Contents`]), written on two threads, the largest first,
//! each file's writeback started as it is written and every file synced
//! once all are.

use crate::cli::confine::Found;
use std::fs::{File, OpenOptions};
use std::io::{IoSlice, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// What a file of the output set holds.
pub enum Contents<'a> {
    Bytes(Vec<u8>),
    /// Texts written one after another (`main.tf`, printed in parts).
    Parts(Vec<Vec<u8>>),
    /// A text printed straight into the new, empty file (`main.tf` of
    /// `--target terraform`), at any offsets (the file is open for
    /// reading too).
    Printed(Box<Printer<'a>>),
    /// A package, found where the app keeps it.
    Copy(Found),
}

/// What prints a file's text into it.
pub type Printer<'a> = dyn FnOnce(&File) -> std::io::Result<()> + Send + 'a;

/// A file is where Terraform prints `main.tf` at offsets.
impl crate::emit::terraform::Sink for File {
    fn write_all_at(&self, bytes: &[u8], at: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(self, bytes, at)
    }
}

/// Writes every file as [`write_new`] does, on two threads that each take
/// the next file as they are free, the largest first so that they end
/// together (`main.tf` is a quarter of a large build's bytes), then syncs
/// them all: writing is copying into the page cache, which two cores do
/// side by side (a large build writes a 45 MB `main.tf` and a thousand
/// packages). Each file's writing back to disk starts as soon as it is
/// written ([`start_writeback`]) and every file is synced once all are
/// written, so the disk works on all of them while the rest are written,
/// and the syncs mostly find their data there: on ext4, a sync as each
/// file was written cost a build at 1,000 functions about a journal commit
/// per file (141.7 against 121.9 ms, median of 11 interleaved builds into
/// `/tmp`; no change on `/dev/shm`). Each file is closed once written and
/// opened again to be synced (on both threads), so a build never holds
/// more than four open.
/// The folders are made first, each once: a thousand packages in one
/// folder asked for it a thousand times. The error of the first file in
/// `files` that failed.
pub(super) fn write_all_new(files: Vec<(PathBuf, Contents)>) -> Result<(), String> {
    make_folders(files.iter().map(|(path, _)| path.as_path()))?;
    let mut jobs: Vec<(u64, usize, PathBuf, Contents)> =
        files.into_iter().enumerate().map(|(i, (path, contents))| (weight(&contents), i, path, contents)).collect();
    jobs.sort_by_key(|(weight, i, ..)| (std::cmp::Reverse(*weight), *i));
    // Each file's place in `files`, and the file until a thread takes it.
    let jobs: Vec<(usize, Mutex<Option<Staged>>)> =
        jobs.into_iter().map(|(_, i, path, contents)| (i, Mutex::new(Some((path, contents))))).collect();
    let mut written = crate::parallel::in_turn(&jobs, 1, |(i, slot)| {
        let (path, contents) = slot.lock().unwrap_or_else(PoisonError::into_inner).take()?;
        Some(match write_in_place(&path, contents) {
            Ok(file) => {
                start_writeback(&file);
                (*i, Ok(path))
            }
            Err(error) => (*i, Err(error)),
        })
    });
    written.sort_unstable_by_key(|file| file.as_ref().map(|(i, _)| *i));
    let written: Vec<PathBuf> = written.into_iter().flatten().map(|(_, file)| file).collect::<Result<_, _>>()?;
    // On both threads too: a thousand packages are three thousand calls.
    let synced = crate::parallel::in_turn(&written, SYNCS_PER_TURN, |path| {
        // Opened for writing: Windows syncs nothing through a read-only handle.
        let synced = OpenOptions::new().write(true).open(path).and_then(|file| file.sync_all());
        synced.map_err(|e| format!("cannot write {}: {e}", path.display()))
    });
    synced.into_iter().collect()
}

/// Files a thread syncs before it looks for more.
const SYNCS_PER_TURN: usize = 32;

/// A file to write: where, and what.
type Staged<'a> = (PathBuf, Contents<'a>);

/// The bytes a file of the output holds, for the order files are written
/// in: a printed `main.tf` is the whole configuration, the largest.
fn weight(contents: &Contents) -> u64 {
    match contents {
        Contents::Bytes(bytes) => bytes.len() as u64,
        Contents::Parts(parts) => parts.iter().map(|part| part.len() as u64).sum(),
        Contents::Printed(_) => u64::MAX,
        Contents::Copy(package) => package.len,
    }
}

/// Asks the system to start writing `file`'s data to disk without waiting
/// for it (Linux's `sync_file_range`); elsewhere the final sync does it
/// all. Only a hint: a failure shows in the sync that follows.
fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the call reads no memory of this process; it takes a
        // descriptor that `file` keeps open for its duration, and numbers.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Creates `path` (which must not exist) and its folders inside a staging
/// folder and writes `contents`; the caller syncs the file.
pub(super) fn write_new(path: &Path, contents: Contents) -> Result<File, String> {
    make_folders(std::iter::once(path))?;
    write_in_place(path, contents)
}

/// Makes the folders of every path inside a staging folder, each once.
fn make_folders<'p>(paths: impl Iterator<Item = &'p Path>) -> Result<(), String> {
    let folders: std::collections::BTreeSet<&Path> = paths.filter_map(Path::parent).collect();
    for folder in folders {
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot write {}: {e}", folder.display()))?;
    }
    Ok(())
}

/// Creates `path` (which must not exist) in a folder made already and
/// writes `contents`; the caller syncs the file.
fn write_in_place(path: &Path, contents: Contents) -> Result<File, String> {
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut file = OpenOptions::new().read(true).write(true).create_new(true).open(path).map_err(failed)?;
    match contents {
        Contents::Bytes(bytes) => file.write_all(&bytes).map_err(failed)?,
        Contents::Parts(parts) => write_parts(&mut file, &parts).map_err(failed)?,
        Contents::Printed(print) => print(&file).map_err(failed)?,
        Contents::Copy(package) => {
            let source =
                package.open().map_err(|refusal| format!("cannot copy {}: it {refusal}", package.real.display()))?;
            copy(source, &mut file).map_err(failed)?;
        }
    }
    Ok(file)
}

/// Copies `source` to its end into `target`. On Linux the kernel copies
/// (`sendfile`), in two calls for a package of up to a gigabyte: `io::copy`
/// asked for both files' metadata three times and tried `copy_file_range`
/// first, which fails from the app's disk to another file system, so a
/// thousand packages cost four thousand calls more.
fn copy(mut source: File, target: &mut File) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        /// The most one call copies (Linux copies at most 2 GB minus a page).
        const MOST: usize = 1 << 30;
        loop {
            // SAFETY: both descriptors stay open for the call (the files
            // are borrowed); a null offset reads from the source's own.
            let copied = unsafe { libc::sendfile(target.as_raw_fd(), source.as_raw_fd(), std::ptr::null_mut(), MOST) };
            match copied {
                0 => return Ok(()),
                1.. => {}
                _ => match std::io::Error::last_os_error() {
                    e if e.kind() == std::io::ErrorKind::Interrupted => {}
                    // A file system sendfile cannot write: copy as elsewhere.
                    e if e.raw_os_error() == Some(libc::EINVAL) => break,
                    e => return Err(e),
                },
            }
        }
    }
    std::io::copy(&mut source, target).map(drop)
}

/// Texts one after another, as few writes as the system allows: a nested
/// template is hundreds of parts.
fn write_parts(file: &mut File, parts: &[Vec<u8>]) -> std::io::Result<()> {
    /// At most as many slices per write as Linux takes (`IOV_MAX`).
    const SLICES: usize = 1024;
    for batch in parts.chunks(SLICES) {
        let mut slices: Vec<IoSlice> = batch.iter().map(|part| IoSlice::new(part)).collect();
        let mut rest = &mut slices[..];
        IoSlice::advance_slices(&mut rest, 0);
        while !rest.is_empty() {
            match file.write_vectored(rest) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(written) => IoSlice::advance_slices(&mut rest, written),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}
