//! The output folder held open. Its plain folders are opened by name from
//! the folder above, without following a link (`O_DIRECTORY |
//! O_NOFOLLOW`), each once; every file is then looked at, moved in,
//! linked out or removed by its name in the open folder that holds it
//! (`fstatat`, `renameat`, `linkat`, `unlinkat`). A folder swapped for a
//! link after it was looked at is never followed: whoever can write to
//! the output folder cannot turn a build's moves or removals to a place
//! outside it, as they could between a check of a path and its use.

use super::super::confine::{Kind, Refusal};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};
use rustix::io::Errno;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

/// A folder and the folders inside it reached so far, open.
pub struct OpenFolder {
    path: PathBuf,
    root: OwnedFd,
    /// Each folder opened inside, by its path from the root (`build`,
    /// `stacks`).
    folders: RefCell<HashMap<String, OwnedFd>>,
}

/// The flags a folder of the output is opened with.
fn folder_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

impl OpenFolder {
    /// Opens the folder at `path` (which the user named: it may be reached
    /// through links).
    pub fn open(path: &Path) -> io::Result<OpenFolder> {
        let root = rustix::fs::open(path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(OpenFolder { path: path.to_path_buf(), root, folders: RefCell::default() })
    }

    /// What stands at `relative`, a link refused: `None` when nothing
    /// does, or a folder on the way is missing.
    pub fn entry(&self, relative: &str) -> Result<Option<Kind>, Refusal> {
        let (folder, name) = split(relative);
        self.in_folder(folder, false, |fd| match rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(Kind::of_mode(stat.st_mode))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(Refusal::Unreadable(e.into())),
        })
        .and_then(|found| match found.flatten() {
            Some(Kind::Link) => Err(Refusal::Link(self.path.join(relative))),
            found => Ok(found),
        })
    }

    /// Makes the missing folders `relative` is in.
    pub fn make_folders(&self, relative: &str) -> Result<(), Refusal> {
        self.in_folder(split(relative).0, true, |_| Ok(())).map(drop)
    }

    /// Moves the file at `from` (a path of the build's own) to `relative`,
    /// over what is there; its folder must exist.
    pub fn move_in(&self, from: &Path, relative: &str) -> io::Result<()> {
        let (folder, name) = split(relative);
        self.at(folder, |fd| rustix::fs::renameat(CWD, from, fd, name))
    }

    /// Links the file at `relative` to `to` (a path of the build's own).
    pub fn link_out(&self, relative: &str, to: &Path) -> io::Result<()> {
        let (folder, name) = split(relative);
        self.at(folder, |fd| rustix::fs::linkat(fd, name, CWD, to, AtFlags::empty()))
    }

    /// Opens the file at `relative` for reading, not through a link.
    pub fn open_file(&self, relative: &str) -> io::Result<std::fs::File> {
        let (folder, name) = split(relative);
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        self.at(folder, |fd| rustix::fs::openat(fd, name, flags, Mode::empty())).map(std::fs::File::from)
    }

    /// The names of the files in the folder `folder`, if it is there.
    pub fn files(&self, folder: &str) -> Vec<String> {
        let listed = self.in_folder(folder, false, |fd| {
            let entries = rustix::fs::Dir::read_from(fd).map_err(|e| Refusal::Unreadable(e.into()))?;
            let files = entries.filter_map(Result::ok).filter(|entry| match entry.file_type() {
                FileType::RegularFile => true,
                FileType::Unknown => rustix::fs::statat(fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                    .is_ok_and(|stat| Kind::of_mode(stat.st_mode) == Kind::File),
                _ => false,
            });
            Ok(files.filter_map(|entry| entry.file_name().to_str().ok().map(str::to_string)).collect())
        });
        listed.ok().flatten().unwrap_or_default()
    }

    /// Removes the file at `relative`.
    pub fn remove_file(&self, relative: &str) -> io::Result<()> {
        let (folder, name) = split(relative);
        self.at(folder, |fd| rustix::fs::unlinkat(fd, name, AtFlags::empty()))
    }

    /// Removes the empty folder at `relative`, and forgets it.
    pub fn remove_folder(&self, relative: &str) -> io::Result<()> {
        let (folder, name) = split(relative);
        self.at(folder, |fd| rustix::fs::unlinkat(fd, name, AtFlags::REMOVEDIR))?;
        let inside = format!("{relative}/");
        self.folders.borrow_mut().retain(|open, _| open != relative && !open.starts_with(&inside));
        Ok(())
    }

    /// `op` on the open folder `folder`, which must exist.
    fn at<T>(&self, folder: &str, op: impl FnOnce(BorrowedFd) -> Result<T, Errno>) -> io::Result<T> {
        let done = self.in_folder(folder, false, |fd| op(fd).map_err(|e| Refusal::Unreadable(e.into())));
        match done {
            Ok(Some(done)) => Ok(done),
            Ok(None) => Err(io::Error::from(io::ErrorKind::NotFound)),
            Err(Refusal::Unreadable(e)) => Err(e),
            Err(refusal) => Err(io::Error::other(refusal.to_string())),
        }
    }

    /// `op` on the open folder `folder` (`""` is the root), opened along
    /// plain folders and made where missing if `make`: `None` when a
    /// folder is missing and not made.
    fn in_folder<T>(
        &self,
        folder: &str,
        make: bool,
        op: impl FnOnce(BorrowedFd) -> Result<T, Refusal>,
    ) -> Result<Option<T>, Refusal> {
        if folder.is_empty() {
            return op(self.root.as_fd()).map(Some);
        }
        if !self.folders.borrow().contains_key(folder) && !self.open_folders(folder, make)? {
            return Ok(None);
        }
        let folders = self.folders.borrow();
        let fd = folders.get(folder).map(AsFd::as_fd).ok_or(Refusal::Missing)?;
        op(fd).map(Some)
    }

    /// Opens each folder on the way to `folder` not open yet; false when
    /// one is missing and not made.
    fn open_folders(&self, folder: &str, make: bool) -> Result<bool, Refusal> {
        let mut end: usize = 0;
        for name in folder.split('/') {
            let above = &folder[..end.saturating_sub(1)];
            end += name.len() + 1;
            let here = &folder[..end - 1];
            if self.folders.borrow().contains_key(here) {
                continue;
            }
            let opened = self.in_folder(above, false, |fd| self.open_one(fd, name, here, make))?;
            let Some(opened) = opened.flatten() else { return Ok(false) };
            self.folders.borrow_mut().insert(here.to_string(), opened);
        }
        Ok(true)
    }

    /// Opens the folder `name` of `above` (at `here`), made if missing and
    /// `make`; `None` when missing and not made.
    fn open_one(&self, above: BorrowedFd, name: &str, here: &str, make: bool) -> Result<Option<OwnedFd>, Refusal> {
        match rustix::fs::openat(above, name, folder_flags(), Mode::empty()) {
            Ok(fd) => return Ok(Some(fd)),
            Err(Errno::NOENT) if make => {}
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(self.not_a_folder(above, name, here, e)),
        }
        match rustix::fs::mkdirat(above, name, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(Refusal::Unreadable(e.into())),
        }
        rustix::fs::openat(above, name, folder_flags(), Mode::empty())
            .map(Some)
            .map_err(|e| self.not_a_folder(above, name, here, e))
    }

    /// Why `name` of `above` did not open as a folder.
    fn not_a_folder(&self, above: BorrowedFd, name: &str, here: &str, error: Errno) -> Refusal {
        match rustix::fs::statat(above, name, AtFlags::SYMLINK_NOFOLLOW).map(|stat| Kind::of_mode(stat.st_mode)) {
            Ok(Kind::Link) => Refusal::Link(self.path.join(here)),
            Ok(Kind::Folder) | Err(_) => Refusal::Unreadable(error.into()),
            Ok(kind) => Refusal::NotFolder(self.path.join(here), kind.words()),
        }
    }
}

/// `a/b/c.zip` as its folder `a/b` and its name `c.zip`.
fn split(relative: &str) -> (&str, &str) {
    relative.rsplit_once('/').unwrap_or(("", relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lambdaform-open-folder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    /// The output folder's `build/` swapped for a link to a folder outside
    /// once it was looked at: the move and the removal act in the folder
    /// that was looked at, and leave the one outside as it was. Paths
    /// (`std::fs::rename(from, out/build/new.zip)`) would follow the link.
    #[test]
    fn a_folder_swapped_for_a_link_after_it_was_looked_at_is_not_followed() {
        let base = scratch("swap");
        let (out, outside) = (base.join("out"), base.join("outside"));
        std::fs::create_dir_all(out.join("build")).expect("build folder");
        std::fs::create_dir_all(&outside).expect("outside folder");
        std::fs::write(out.join("build/gone.zip"), "mine").expect("own file");
        std::fs::write(outside.join("gone.zip"), "theirs").expect("their file");
        std::fs::write(base.join("new.zip"), "new").expect("staged file");
        let folder = OpenFolder::open(&out).expect("opens");
        assert!(matches!(folder.entry("build/gone.zip"), Ok(Some(Kind::File))));

        std::fs::rename(out.join("build"), base.join("moved-away")).expect("swap");
        std::os::unix::fs::symlink(&outside, out.join("build")).expect("link");
        folder.move_in(&base.join("new.zip"), "build/new.zip").expect("moved");
        folder.remove_file("build/gone.zip").expect("removed");

        assert!(!outside.join("new.zip").exists(), "moved through the link");
        assert_eq!(std::fs::read_to_string(outside.join("gone.zip")).ok().as_deref(), Some("theirs"));
        assert_eq!(std::fs::read_to_string(base.join("moved-away/new.zip")).ok().as_deref(), Some("new"));
        assert!(!base.join("moved-away/gone.zip").exists());
        let _ = std::fs::remove_dir_all(&base);
    }

    /// A folder not looked at yet that is a link, or a file, is refused by
    /// name, and never made through.
    #[test]
    fn links_and_files_on_the_way_are_refused() {
        let base = scratch("refused");
        let out = base.join("out");
        std::fs::create_dir_all(&out).expect("out");
        std::os::unix::fs::symlink(&base, out.join("stacks")).expect("link");
        std::fs::write(out.join("build"), "a file").expect("file");
        let folder = OpenFolder::open(&out).expect("opens");
        assert!(matches!(folder.entry("stacks/Stack01.json"), Err(Refusal::Link(link)) if link.ends_with("stacks")));
        assert!(matches!(folder.make_folders("stacks/Stack01.json"), Err(Refusal::Link(_))));
        assert!(matches!(folder.make_folders("build/a.zip"), Err(Refusal::NotFolder(_, "a file"))));
        assert!(matches!(folder.entry("stacks"), Err(Refusal::Link(_))));
        assert!(matches!(folder.entry("missing/a.zip"), Ok(None)));
        folder.make_folders("deep/er/a.zip").expect("made");
        assert!(out.join("deep/er").is_dir() && !base.join("er").exists());
        let _ = std::fs::remove_dir_all(&base);
    }
}
