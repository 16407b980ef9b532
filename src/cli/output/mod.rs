//! The output folder of `build`: a lock against a concurrent build, a
//! manifest of the files the last build wrote, and the replacement of that
//! set as a whole.
//!
//! A build stages every file in a fresh folder `.lambdaform-build-XXXXXX`
//! inside the output folder (a random name made by `mkdir`, readable by
//! its owner only; files created exclusively there and synced, so nothing
//! planted in the folder is ever followed), and marks the staged set
//! complete by renaming its `new/` to `ready/`. Only then does it move each
//! file into place with one rename, keeping a hard link to the file it
//! replaces: a rename that fails puts back every file moved so far, so the
//! folder holds the previous set again. After the moves it removes the
//! files the previous manifest lists and this build no longer writes, and
//! moves its own manifest in last. POSIX cannot replace several files at
//! once: a build killed during the moves leaves old and new files mixed
//! until the next build into the folder, which first completes the moves
//! from `ready/`; a build killed before leaves only its staging folder,
//! which the next build removes.
//!
//! A split build also leaves a record of its stack membership
//! ([`RECORD`], `cli::stacks`), made once its files are staged from their
//! stamps, moved in after them and before the manifest, and removed by a
//! build that leaves none.
//!
//! Nothing is written through a symbolic link or into a folder that is one:
//! every path inside the output folder must be plain folders and files.
//! The output folder and its folders are held open ([`folder`]), and every
//! look, move and removal there names a file of an open folder, so a
//! folder swapped for a link after it was checked leads nowhere.

mod folder;
mod write;

pub use write::Contents;

use super::confine::{is_plain_relative, kind_name, plain_entry, read_plain, stamp_plain, Kind, Refusal, Stamp};
use folder::OpenFolder;
use std::collections::BTreeSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use write::{write_all_new, write_new};

/// The list of files the last build wrote, inside the output folder.
pub const MANIFEST: &str = ".lambdaform-manifest.json";
const MANIFEST_VERSION: u64 = 1;
/// The record of a split build's stack membership, inside the output
/// folder: bookkeeping, like the manifest, never in it.
pub const RECORD: &str = ".lambdaform-stacks.json";
/// The lock file a build holds while it reads and writes the folder.
pub const LOCK: &str = ".lambdaform.lock";
/// The name of every staging folder starts so.
pub const STAGE_PREFIX: &str = ".lambdaform-build-";
const NEW: &str = "new";
const READY: &str = "ready";
const OLD: &str = "old";

/// What makes the [`RECORD`] from the stamps of the new files once they
/// are staged, given how to stamp one by its path in the set (`None` where
/// none is written). A rename keeps a file's stamp, so the record
/// describes the files as they stand in the output folder after the moves.
pub type Recorder = Box<dyn FnOnce(&dyn Fn(&str) -> Option<Stamp>) -> String + Send>;

/// What a replacement did, as paths inside the output folder.
pub struct Replaced {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// An output folder this process holds the lock of, open: every file is
/// looked at, moved in and removed through it (`folder`).
pub struct OutputFolder {
    dir: PathBuf,
    _lock: File,
    folder: OpenFolder,
    /// Moves a staged file into place (a seam for the tests of failures).
    rename: fn(&OpenFolder, &Path, &str) -> std::io::Result<()>,
}

impl OutputFolder {
    /// Creates `dir` if needed and takes its lock; while another build
    /// holds it, says so and waits.
    pub fn lock(dir: &Path) -> Result<OutputFolder, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(LOCK);
        let file = open_lock(dir).map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!("waiting for another build into {} to finish (it holds {})", dir.display(), path.display());
                file.lock().map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
            }
            Err(TryLockError::Error(e)) => return Err(format!("cannot lock {}: {e}", path.display())),
        }
        let folder = OpenFolder::open(dir).map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
        Ok(OutputFolder { dir: dir.to_path_buf(), _lock: file, folder, rename: OpenFolder::move_in })
    }

    /// Completes the moves of a build killed while making them, and
    /// removes the staging folders of builds killed before.
    pub fn recover(&self) -> Result<(), String> {
        for stage in self.stages() {
            if matches!(plain_entry(&stage, READY), Ok(Some(kind)) if kind.is_dir()) {
                eprintln!("completing the interrupted build into {}", self.dir.display());
                self.commit(&stage, &[], None)?;
            } else {
                std::fs::remove_dir_all(&stage).map_err(|e| format!("cannot remove {}: {e}", stage.display()))?;
            }
        }
        Ok(())
    }

    /// A file of the folder, read along plain folders only.
    pub fn read(&self, relative: &str) -> Option<String> {
        read_plain(&self.dir, relative)
    }

    /// Replaces the previous set with `files`: every path is checked and
    /// every file staged before the first one is moved into place. The
    /// previous build's files that are not in `files` are removed, except
    /// those in `keep` (packages the outputs name that do not exist yet).
    /// `record` makes the [`RECORD`] the folder is left with, if any.
    pub fn replace(
        &self,
        files: Vec<(String, Contents)>,
        keep: &[String],
        record: Option<Recorder>,
    ) -> Result<Replaced, String> {
        let previous = self.manifest();
        self.check_target(MANIFEST)?;
        self.check_target(RECORD)?;
        let mut staged = Vec::new();
        let mut in_place = Vec::new();
        for (relative, contents) in files {
            let existing = self.check_target(&relative)?;
            if existing && is_same_file(&contents, &self.dir.join(&relative)) {
                in_place.push(relative);
            } else {
                staged.push((relative, contents));
            }
        }
        let written: BTreeSet<String> = staged.iter().map(|(relative, _)| relative.clone()).collect();
        let mut owned = written.clone();
        owned.extend(previous.iter().filter(|file| keep.contains(file)).cloned());
        let stage = self.stage(staged, &owned, record)?;
        crate::timeline::mark("staged");
        let replaced = self.commit(&stage, &in_place, Some(&written))?;
        self.remove_old_temporaries(owned.iter().chain(&previous));
        Ok(replaced)
    }

    /// The files the previous build recorded as its own; empty when there
    /// is no manifest, or one of another version.
    fn manifest(&self) -> BTreeSet<String> {
        self.read(MANIFEST).and_then(|text| parse_manifest(&text)).unwrap_or_default()
    }

    /// Refuses a path that is not absent or a plain file along plain
    /// folders; says whether a file is there.
    fn check_target(&self, relative: &str) -> Result<bool, String> {
        let path = self.dir.join(relative);
        match self.folder.entry(relative) {
            Ok(None) => Ok(false),
            Ok(Some(Kind::File)) => Ok(true),
            Ok(Some(kind)) => Err(format!(
                "{} is {}: build writes only files there; remove it or build into another --out",
                path.display(),
                kind.words()
            )),
            Err(refusal) => Err(refused(&path, refusal)),
        }
    }

    /// Writes `files`, `record`'s record of them and the manifest `owned`
    /// into a new staging folder, then marks it complete; returns the
    /// folder.
    fn stage(
        &self,
        files: Vec<(String, Contents)>,
        owned: &BTreeSet<String>,
        record: Option<Recorder>,
    ) -> Result<PathBuf, String> {
        let stage = tempfile::Builder::new()
            .prefix(STAGE_PREFIX)
            .tempdir_in(&self.dir)
            .map_err(|e| format!("cannot create a staging folder in {}: {e}", self.dir.display()))?;
        let new = stage.path().join(NEW);
        write_all_new(files.into_iter().map(|(relative, contents)| (new.join(relative), contents)).collect())?;
        if let Some(record) = record {
            let text = record(&|relative| stamp_plain(&new, relative));
            let path = new.join(RECORD);
            let file = write_new(&path, Contents::Bytes(text.into_bytes()))?;
            file.sync_all().map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        let manifest = new.join(MANIFEST);
        let file = write_new(&manifest, Contents::Bytes(manifest_json(owned).into_bytes()))?;
        file.sync_all().map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
        let ready = stage.path().join(READY);
        std::fs::rename(&new, &ready).map_err(|e| format!("cannot write {}: {e}", ready.display()))?;
        Ok(stage.keep())
    }

    /// Moves the staged files of `stage` still in `ready/` into place (all
    /// or, after a failure, none), removes the previous build's files that
    /// the staged manifest does not list (nor `spare`), moves the manifest
    /// in and removes `stage`. A stage without a manifest this version
    /// reads is only removed. `staged` lists the files this process staged
    /// (the others the manifest lists are kept, not written); a stage left
    /// by a killed build is looked into for what is still there.
    fn commit(&self, stage: &Path, spare: &[String], staged: Option<&BTreeSet<String>>) -> Result<Replaced, String> {
        let ready = stage.join(READY);
        let Some(owned) = read_plain(&ready, MANIFEST).and_then(|text| parse_manifest(&text)) else {
            let _ = std::fs::remove_dir_all(stage);
            return Ok(Replaced { written: Vec::new(), removed: Vec::new() });
        };
        // Packages and nested stacks first, the templates that name them last.
        let depth = |file: &&String| file.matches('/').count();
        let mut order: Vec<&String> = owned.iter().filter(|file| staged.is_none_or(|s| s.contains(*file))).collect();
        order.sort_by_key(|file| std::cmp::Reverse(depth(file)));
        let mut moved = Vec::new();
        for group in order.chunk_by(|a, b| depth(a) == depth(b)) {
            let (moved_now, failure) = self.move_group(stage, group, staged.is_none());
            moved.extend(moved_now);
            if let Some(message) = failure {
                if self.put_back(stage, &moved) {
                    let _ = std::fs::remove_dir_all(stage);
                    return Err(format!("{message}; the previous output was put back"));
                }
                return Err(format!("{message}; putting the previous output back failed too: build again"));
            }
        }
        let removed = self.remove_stale(&owned, spare);
        self.move_record_in(&ready)?;
        self.check_target(MANIFEST)?;
        self.folder
            .move_in(&ready.join(MANIFEST), MANIFEST)
            .map_err(|e| format!("cannot write {}: {e}", self.dir.join(MANIFEST).display()))?;
        let _ = std::fs::remove_dir_all(stage);
        Ok(Replaced { written: moved.into_iter().map(|relative| self.dir.join(relative)).collect(), removed })
    }

    /// Moves in the staged files of `group`, all as deep in folders, one
    /// after another until one fails: the files moved, in `group`'s
    /// order, and the failure's message, if any. With `look`, a file no
    /// longer in `ready/` is passed over. On one thread: a rename takes
    /// the locks of both folders (and, between folders, the file system's
    /// one rename lock), so a second thread only waited on them, and the
    /// moves took 1.8 against 1.0 ms at 1,000 functions, 13.6 against 5.9
    /// at 10,000 (`benches/stages.py`, the `written` stage).
    fn move_group<'g>(&self, stage: &Path, group: &[&'g String], look: bool) -> (Vec<&'g String>, Option<String>) {
        let ready = stage.join(READY);
        let mut moved = Vec::new();
        for relative in group {
            if look && !matches!(plain_entry(&ready, relative), Ok(Some(kind)) if kind.is_file()) {
                continue; // moved by the killed build, or kept without being written
            }
            match self.move_in(stage, relative) {
                Ok(()) => moved.push(*relative),
                Err(message) => return (moved, Some(message)),
            }
        }
        (moved, None)
    }

    /// Moves the staged [`RECORD`] in, or removes the folder's when none
    /// was staged: a record whose templates are gone would never be
    /// trusted, but it would stay.
    fn move_record_in(&self, ready: &Path) -> Result<(), String> {
        let record = self.dir.join(RECORD);
        let existing = self.check_target(RECORD)?;
        if matches!(plain_entry(ready, RECORD), Ok(Some(kind)) if kind.is_file()) {
            return self
                .folder
                .move_in(&ready.join(RECORD), RECORD)
                .map_err(|e| format!("cannot write {}: {e}", record.display()));
        }
        if existing {
            let _ = self.folder.remove_file(RECORD);
        }
        Ok(())
    }

    /// Renames one staged file over its target, after making the folders
    /// on its way and keeping a link to the file it replaces in `old/`.
    fn move_in(&self, stage: &Path, relative: &str) -> Result<(), String> {
        let target = self.dir.join(relative);
        self.folder.make_folders(relative).map_err(|refusal| refused(&target, refusal))?;
        if self.check_target(relative)? {
            let backup = stage.join(OLD).join(relative);
            let kept = backup
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| self.folder.link_out(relative, &backup).or_else(|_| self.copy_out(relative, &backup)));
            kept.map_err(|e| format!("cannot keep a copy of {}: {e}", target.display()))?;
        }
        (self.rename)(&self.folder, &stage.join(READY).join(relative), relative)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))
    }

    /// Copies the file at `relative` to `to` in the staging folder, where
    /// it cannot be linked (or a killed build linked it already).
    fn copy_out(&self, relative: &str, to: &Path) -> std::io::Result<()> {
        let mut from = self.folder.open_file(relative)?;
        std::io::copy(&mut from, &mut File::create(to)?).map(drop)
    }

    /// Undoes the moves of a failed commit, last first: the kept file
    /// goes back, or the new one is removed. False if any step failed.
    fn put_back(&self, stage: &Path, moved: &[&String]) -> bool {
        let mut whole = true;
        for relative in moved.iter().rev() {
            let backup = stage.join(OLD).join(relative);
            let undone = if backup.exists() {
                self.folder.move_in(&backup, relative)
            } else {
                self.folder.remove_file(relative)
            };
            whole &= undone.is_ok();
        }
        whole
    }

    /// Removes the files the previous manifest lists that `owned` and
    /// `spare` do not, and the folders that leaves empty; never through
    /// a link.
    fn remove_stale(&self, owned: &BTreeSet<String>, spare: &[String]) -> Vec<PathBuf> {
        let mut removed = Vec::new();
        for relative in self.manifest() {
            if owned.contains(&relative) || spare.contains(&relative) {
                continue;
            }
            if !matches!(self.folder.entry(&relative), Ok(Some(Kind::File)))
                || self.folder.remove_file(&relative).is_err()
            {
                continue;
            }
            removed.push(self.dir.join(&relative));
            let mut folder = relative.as_str();
            while let Some((above, _)) = folder.rsplit_once('/') {
                if self.folder.remove_folder(above).is_err() {
                    break;
                }
                folder = above;
            }
        }
        removed
    }

    /// The staging folders of builds that did not finish.
    fn stages(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut stages: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(STAGE_PREFIX))
            .filter(|e| e.file_type().is_ok_and(|kind| kind.is_dir()))
            .map(|e| e.path())
            .collect();
        stages.sort();
        stages
    }

    /// Removes what builds of Lambdaform before the staging folder left
    /// when killed: `.NAME.tmp-PID` beside an output, in the folders of
    /// `files`.
    fn remove_old_temporaries<'a>(&self, files: impl Iterator<Item = &'a String>) {
        let mut folders: BTreeSet<String> = BTreeSet::from([String::new()]);
        folders.extend(files.filter_map(|file| file.rsplit_once('/').map(|(folder, _)| folder.to_string())));
        for folder in folders {
            for name in self.folder.files(&folder).into_iter().filter(|name| is_old_temporary(name)) {
                let _ = self.folder.remove_file(&if folder.is_empty() { name } else { format!("{folder}/{name}") });
            }
        }
    }
}

/// Why `path` is not written, for whoever named `--out`.
fn refused(path: &Path, refusal: Refusal) -> String {
    match refusal {
        Refusal::Link(link) => format!(
            "{} is a symbolic link: build never writes through one (it would write outside the output folder); remove it or build into another --out",
            link.display()
        ),
        Refusal::NotFolder(folder, kind) => format!(
            "{} is {kind}, where build needs a folder; remove it or build into another --out",
            folder.display()
        ),
        refusal => format!("cannot write {}: it {refusal}", path.display()),
    }
}

/// Opens (creating) the lock file of `dir`: a plain file, never a link.
fn open_lock(dir: &Path) -> std::io::Result<File> {
    match plain_entry(dir, LOCK) {
        Ok(None) => {}
        Ok(Some(kind)) if kind.is_file() => {}
        Ok(Some(kind)) => return Err(std::io::Error::other(format!("it is {}; remove it", kind_name(kind)))),
        Err(refusal) => return Err(std::io::Error::other(format!("it {refusal}; remove it"))),
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(dir.join(LOCK))?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file; remove it"));
    }
    Ok(file)
}

/// Whether a package is already the file at its place in the output
/// folder (the output folder is the app's): then it is not copied, nor
/// ever removed as the build's own.
fn is_same_file(contents: &Contents, target: &Path) -> bool {
    match (contents, std::fs::symlink_metadata(target)) {
        (Contents::Copy(package), Ok(existing)) => package.is(&existing),
        _ => false,
    }
}

fn manifest_json(files: &BTreeSet<String>) -> String {
    let manifest = serde_json::json!({
        "version": MANIFEST_VERSION,
        "about": "the files `lambdaform build` wrote here; the next build removes those it no longer writes, and no other",
        "files": files,
    });
    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
}

/// The manifest's files a build may own: plain relative paths of
/// templates, Terraform files and packages, never Lambdaform's own
/// bookkeeping; anything else in it is ignored. `None` for a manifest of
/// another version, or not one.
fn parse_manifest(text: &str) -> Option<BTreeSet<String>> {
    let manifest = serde_json::from_str::<serde_json::Value>(text).ok()?;
    if manifest["version"].as_u64() != Some(MANIFEST_VERSION) {
        return None;
    }
    let files = manifest["files"].as_array()?;
    Some(files.iter().filter_map(|file| file.as_str()).filter(|file| may_own(file)).map(str::to_string).collect())
}

fn may_own(file: &str) -> bool {
    let extension = Path::new(file).extension().and_then(|x| x.to_str()).unwrap_or_default();
    is_plain_relative(file)
        && matches!(extension, "json" | "tf" | "zip" | "jar")
        && !file.split('/').any(|name| name.starts_with(".lambdaform"))
}

/// `.template.json.tmp-1234`: the temporary files of earlier builds.
fn is_old_temporary(name: &str) -> bool {
    let Some((file, pid)) = name.strip_prefix('.').and_then(|rest| rest.rsplit_once(".tmp-")) else { return false };
    !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && may_own(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lambdaform-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn set(template: &str, main: &str) -> Vec<(String, Contents<'static>)> {
        vec![
            ("template.json".to_string(), Contents::Bytes(template.into())),
            ("main.tf".to_string(), Contents::Bytes(main.into())),
        ]
    }

    fn read(dir: &Path, file: &str) -> String {
        std::fs::read_to_string(dir.join(file)).unwrap_or_default()
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let entries = std::fs::read_dir(dir).expect("folder").filter_map(Result::ok);
        entries.map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(STAGE_PREFIX)).collect()
    }

    fn fails_on_template(folder: &OpenFolder, from: &Path, to: &str) -> std::io::Result<()> {
        if to == "template.json" {
            return Err(std::io::Error::other("injected"));
        }
        folder.move_in(from, to)
    }

    fn dies_on_template(folder: &OpenFolder, from: &Path, to: &str) -> std::io::Result<()> {
        assert!(to != "template.json", "killed");
        folder.move_in(from, to)
    }

    #[test]
    fn a_failed_rename_puts_the_previous_set_back() {
        let dir = scratch("rollback");
        OutputFolder::lock(&dir).expect("lock").replace(set("old t", "old m"), &[], None).expect("first");
        let mut output = OutputFolder::lock(&dir).expect("lock");
        output.rename = fails_on_template;
        let mut files = set("new t", "new m");
        files.push(("build/new.zip".into(), Contents::Bytes("new".into())));
        let error = output.replace(files, &[], None).err().expect("fails");
        assert!(error.contains("template.json") && error.contains("put back"), "{error}");
        assert_eq!((read(&dir, "template.json"), read(&dir, "main.tf")), ("old t".into(), "old m".into()));
        assert!(!dir.join("build/new.zip").exists());
        assert!(!read(&dir, MANIFEST).contains("new.zip"));
        assert!(leftovers(&dir).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_build_killed_while_moving_is_completed_by_the_next() {
        let dir = scratch("roll_forward");
        let mut files = set("old t", "old m");
        files.push(("build/gone.zip".into(), Contents::Bytes("gone".into())));
        OutputFolder::lock(&dir).expect("lock").replace(files, &[], None).expect("first");
        let killed = std::panic::catch_unwind(|| {
            let mut output = OutputFolder::lock(&dir).expect("lock");
            output.rename = dies_on_template;
            output.replace(set("new t", "new m"), &[], None)
        });
        assert!(killed.is_err());
        assert_eq!((read(&dir, "template.json"), read(&dir, "main.tf")), ("old t".into(), "new m".into()), "mixed");
        assert_eq!(leftovers(&dir).len(), 1);
        OutputFolder::lock(&dir).expect("lock").recover().expect("recovers");
        assert_eq!((read(&dir, "template.json"), read(&dir, "main.tf")), ("new t".into(), "new m".into()));
        assert!(!dir.join("build/gone.zip").exists() && !dir.join("build").exists(), "stale file and folder removed");
        assert!(leftovers(&dir).is_empty());
        assert!(read(&dir, MANIFEST).contains("\"main.tf\""));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_manifest_never_names_what_a_build_cannot_own() {
        let text = r#"{"version": 1, "files": ["../x.json", "/etc/x.zip", "main.lf", "stacks/Stack01.json",
            ".lambdaform.lock", "a/./b.zip", "build\\a.zip", "build/a.zip", "main.tf"]}"#;
        let owned: Vec<String> = parse_manifest(text).expect("a manifest").into_iter().collect();
        assert_eq!(owned, ["build/a.zip", "main.tf", "stacks/Stack01.json"]);
        assert!(parse_manifest(r#"{"version": 2, "files": ["main.tf"]}"#).is_none());
        assert!(is_old_temporary(".main.tf.tmp-4242") && is_old_temporary(".f.zip.tmp-1"));
        assert!(!is_old_temporary(".main.lf.tmp-4242") && !is_old_temporary(".main.tf.tmp-x"));
    }
}
