//! Reading files without leaving a folder. The app's `.lf` files and
//! packages are resolved (symbolic links followed) and must stay inside the
//! app folder's own resolved path; the output folder's files are read only
//! along plain folders, never through a link. Either way only a regular
//! file is opened: a folder, a named pipe or a device is refused from its
//! metadata before any `open`, and the file is opened without blocking and
//! without following a last link, then must be the very file checked, so
//! one swapped in after the check can neither hang the read nor lead
//! elsewhere.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::{File, FileType, OpenOptions};
use std::path::{Path, PathBuf};

/// Why a path is not read.
#[derive(Debug)]
pub enum Refusal {
    /// Nothing is there (or a link that leads nowhere).
    Missing,
    /// It resolves to this path, outside the folder.
    Outside(PathBuf),
    /// It is not a regular file but this (`a folder`, `a named pipe (FIFO)`).
    NotRegular(&'static str),
    /// A symbolic link stands where only plain folders and files may.
    Link(PathBuf),
    /// Something other than a folder (this) stands at this path on the way.
    NotFolder(PathBuf, &'static str),
    /// Anything else the system says (no permission, a loop of links).
    Unreadable(std::io::Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Missing => write!(f, "does not exist"),
            Refusal::Outside(target) => write!(f, "leads to {}, outside the folder", target.display()),
            Refusal::NotRegular(kind) => write!(f, "is {kind}, not a regular file"),
            Refusal::Link(path) => write!(f, "goes through {}, a symbolic link", path.display()),
            Refusal::NotFolder(path, kind) => {
                write!(f, "goes through {}, which is {kind}, not a folder", path.display())
            }
            Refusal::Unreadable(error) => write!(f, "cannot be read: {error}"),
        }
    }
}

/// A folder whose files may be read: its resolved path, and the resolved
/// path of each folder a file was looked for in.
pub struct Folder {
    root: PathBuf,
    resolved: RefCell<HashMap<PathBuf, PathBuf>>,
}

impl Folder {
    /// The folder at `path` (`""` is the current folder).
    pub fn new(path: &Path) -> std::io::Result<Folder> {
        Ok(Folder { root: std::fs::canonicalize(here_if_empty(path))?, resolved: RefCell::default() })
    }

    /// The regular file `path` leads to, if it is inside the folder.
    pub fn resolve(&self, path: &Path) -> Result<Found, Refusal> {
        let (real, metadata) = self.real(path)?;
        if !real.starts_with(&self.root) {
            return Err(Refusal::Outside(real));
        }
        let metadata = match metadata {
            Some(metadata) => metadata,
            None => std::fs::metadata(&real).map_err(Refusal::Unreadable)?,
        };
        if !metadata.is_file() {
            return Err(Refusal::NotRegular(kind_name(metadata.file_type())));
        }
        Ok(Found { real, identity: identity(&metadata), len: metadata.len() })
    }

    /// `path` with every link on it resolved, and its metadata when that
    /// was read on the way. The folder it is in is resolved once for all
    /// the files looked for there (an app's thousand packages in `build/`
    /// cost a thousand resolutions otherwise); only a name that is itself
    /// a link is resolved whole.
    fn real(&self, path: &Path) -> Result<(PathBuf, Option<std::fs::Metadata>), Refusal> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Ok((canonical(path)?, None));
        };
        let cached = self.resolved.borrow().get(parent).cloned();
        let folder = match cached {
            Some(folder) => folder,
            None => {
                let folder = canonical(here_if_empty(parent))?;
                self.resolved.borrow_mut().insert(parent.to_path_buf(), folder.clone());
                folder
            }
        };
        let real = folder.join(name);
        match std::fs::symlink_metadata(&real) {
            Ok(metadata) if metadata.file_type().is_symlink() => Ok((canonical(path)?, None)),
            Ok(metadata) => Ok((real, Some(metadata))),
            Err(e) => Err(refusal(e)),
        }
    }
}

/// `path`, or the current folder for `""` (a bare file name's parent).
fn here_if_empty(path: &Path) -> &Path {
    if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    }
}

/// `path` with every link on it resolved.
fn canonical(path: &Path) -> Result<PathBuf, Refusal> {
    std::fs::canonicalize(path).map_err(refusal)
}

fn refusal(error: std::io::Error) -> Refusal {
    match error.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Unreadable(error),
    }
}

/// A regular file found inside a folder, not kept open (an app may have
/// more packages than a process may open files at once).
pub struct Found {
    /// Its resolved path.
    pub real: PathBuf,
    identity: Option<(u64, u64)>,
    /// Its length when it was found: a hint (what is read is what
    /// [`Found::open`] opens).
    pub len: u64,
}

impl Found {
    /// Opens the file: no last link followed, no waiting for a writer, and
    /// it must still be the regular file that was found (a file swapped in
    /// since, or a folder on the way replaced by a link, is refused).
    pub fn open(&self) -> Result<File, Refusal> {
        let mut options = OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
        }
        let file = options.open(&self.real).map_err(Refusal::Unreadable)?;
        let metadata = file.metadata().map_err(Refusal::Unreadable)?;
        if !metadata.is_file() {
            return Err(Refusal::NotRegular(kind_name(metadata.file_type())));
        }
        if identity(&metadata) != self.identity {
            return Err(Refusal::Unreadable(std::io::Error::other("it was replaced while lambdaform ran")));
        }
        Ok(file)
    }

    /// Whether `metadata` is of this very file.
    pub fn is(&self, metadata: &std::fs::Metadata) -> bool {
        self.identity.is_some() && identity(metadata) == self.identity
    }
}

/// Device and inode, where the system has them.
fn identity(metadata: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}

/// What stands at `base/relative`, looked at without following links:
/// `None` when nothing does. Every folder on the way must be a plain
/// folder (or missing); `relative` must be plain names only.
pub fn plain_entry(base: &Path, relative: &str) -> Result<Option<FileType>, Refusal> {
    if !is_plain_relative(relative) {
        return Err(Refusal::Outside(base.join(relative)));
    }
    let mut path = base.to_path_buf();
    let mut names = Path::new(relative).components().peekable();
    while let Some(name) = names.next() {
        path.push(name);
        let kind = match std::fs::symlink_metadata(&path) {
            Ok(metadata) => metadata.file_type(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Refusal::Unreadable(e)),
        };
        if kind.is_symlink() {
            return Err(Refusal::Link(path));
        }
        if names.peek().is_none() {
            return Ok(Some(kind));
        }
        if !kind.is_dir() {
            return Err(Refusal::NotFolder(path, kind_name(kind)));
        }
    }
    Ok(None)
}

/// Reads `base/relative` along plain folders only (the output folder's
/// previous templates and manifest); `None` for anything else.
pub fn read_plain(base: &Path, relative: &str) -> Option<String> {
    read_plain_stamped(base, relative).0
}

/// [`read_plain`], and the file's [`Stamp`] as it was before the read.
pub fn read_plain_stamped(base: &Path, relative: &str) -> (Option<String>, Option<Stamp>) {
    let Some(metadata) = plain_metadata(base, relative) else { return (None, None) };
    let stamp = Some(Stamp::of(&metadata));
    if !metadata.is_file() {
        return (None, stamp);
    }
    let found = Found { real: base.join(relative), identity: identity(&metadata), len: metadata.len() };
    let mut text = String::new();
    let read = found.open().ok().and_then(|mut file| std::io::Read::read_to_string(&mut file, &mut text).ok());
    (read.map(|_| text), stamp)
}

/// The [`Stamp`] of `base/relative` now, looked at along plain folders
/// only; `None` when nothing (or a link) stands there.
pub fn stamp_plain(base: &Path, relative: &str) -> Option<Stamp> {
    plain_metadata(base, relative).map(|metadata| Stamp::of(&metadata))
}

fn plain_metadata(base: &Path, relative: &str) -> Option<std::fs::Metadata> {
    match plain_entry(base, relative) {
        Ok(Some(_)) => std::fs::symlink_metadata(base.join(relative)).ok(),
        _ => None,
    }
}

/// What a file was when it was looked at: which file, how long, and when
/// it was last written. A file replaced, rewritten or grown since has
/// another stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    identity: Option<(u64, u64)>,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Stamp {
        Stamp { identity: identity(metadata), len: metadata.len(), modified: metadata.modified().ok() }
    }

    /// The stamp as five numbers, to be recorded: the file's device and
    /// inode, its length, and the seconds and nanoseconds of its last
    /// write since 1970. `None` where the system does not tell them all:
    /// such a stamp is never recorded.
    pub fn to_numbers(&self) -> Option<[u64; 5]> {
        let (device, inode) = self.identity?;
        let since = self.modified?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some([device, inode, self.len, since.as_secs(), u64::from(since.subsec_nanos())])
    }

    /// A stamp recorded by [`Stamp::to_numbers`].
    pub fn from_numbers([device, inode, len, seconds, nanos]: [u64; 5]) -> Option<Stamp> {
        let nanos = u32::try_from(nanos).ok().filter(|n| *n < 1_000_000_000)?;
        let modified = std::time::UNIX_EPOCH.checked_add(std::time::Duration::new(seconds, nanos))?;
        Some(Stamp { identity: Some((device, inode)), len, modified: Some(modified) })
    }
}

/// `a/b.json`: one or more plain names joined by `/`; nothing that
/// climbs, roots, or names one file two ways (`.`, an empty name).
pub fn is_plain_relative(relative: &str) -> bool {
    !relative.contains('\\') && relative.split('/').all(|name| !name.is_empty() && name != "." && name != "..")
}

/// A file type in words, for messages.
pub fn kind_name(kind: FileType) -> &'static str {
    Kind::of(kind).words()
}

/// What stands at a path, as far as the output folder cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
    Fifo,
    Device,
    Socket,
    Other,
}

impl Kind {
    fn of(kind: FileType) -> Kind {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Kind::Fifo;
            }
            if kind.is_block_device() || kind.is_char_device() {
                return Kind::Device;
            }
            if kind.is_socket() {
                return Kind::Socket;
            }
        }
        if kind.is_dir() {
            Kind::Folder
        } else if kind.is_symlink() {
            Kind::Link
        } else if kind.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }

    /// The kind of a file whose `st_mode` is `mode`.
    #[cfg(unix)]
    pub fn of_mode(mode: rustix::fs::RawMode) -> Kind {
        use rustix::fs::FileType;
        match FileType::from_raw_mode(mode) {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Folder,
            FileType::Symlink => Kind::Link,
            FileType::Fifo => Kind::Fifo,
            FileType::CharacterDevice | FileType::BlockDevice => Kind::Device,
            FileType::Socket => Kind::Socket,
            _ => Kind::Other,
        }
    }

    /// The kind in words.
    pub fn words(self) -> &'static str {
        match self {
            Kind::File => "a file",
            Kind::Folder => "a folder",
            Kind::Link => "a symbolic link",
            Kind::Fifo => "a named pipe (FIFO)",
            Kind::Device => "a device",
            Kind::Socket => "a socket",
            Kind::Other => "not a regular file",
        }
    }
}
