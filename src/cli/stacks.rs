//! The stack membership of an output folder: which nested stack holds each
//! CloudFormation logical id there, so that a build into the folder keeps
//! every resource in the stack it is deployed in.
//!
//! A split build records the membership it decided beside its templates
//! ([`RECORD`]), with the stamp (device, inode, length, time of last
//! write) of each template as it wrote it. The next build into the folder
//! trusts the record only while every template it names still has that
//! stamp; otherwise (a template edited, replaced or gone, no record,
//! another version) it reads the templates themselves
//! (`split::previous_stacks`). The record is the folder's bookkeeping, as
//! the manifest is: its stamps differ from build to build, the templates
//! do not. At 1,000 functions the templates are 12 MB and reading them
//! took longer than the check it runs beside; the record is a few hundred
//! kB. A template rewritten in place to the same length within the file
//! system's clock tick of the build (a few milliseconds) keeps its stamp:
//! only a program racing the build could do that, and the check after the
//! lock (`Previous::now`) rests on stamps the same way.

use super::confine::{read_plain, read_plain_stamped, stamp_plain, Stamp};
use super::output::{Recorder, RECORD};
use crate::emit::cloudformation::split::text::Writer;
use crate::emit::cloudformation::split::{is_template, previous_stacks, ROOT_TEMPLATE as ROOT};
use crate::emit::{Membership, PartedFiles, Stacks};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

const VERSION: u64 = 1;

/// The nested stack of each logical id in the CloudFormation output
/// already in a folder (empty when there is none or it is one template),
/// and the stamp of each file it was read from. Read along plain folders
/// only, never through a link.
pub struct Previous {
    stacks: Stacks,
    read: Vec<(String, Option<Stamp>)>,
}

impl Previous {
    /// The membership the folder's record gives, while its templates are
    /// as recorded, else the one its templates give.
    pub fn read(dir: &Path) -> Previous {
        Previous::recorded(dir).unwrap_or_else(|| Previous::scanned(dir))
    }

    /// The membership the folder holds now, its lock held: this one if
    /// none of the files it was read from changed since (it was read
    /// before the lock was taken, while the app was checked), else read
    /// again.
    pub fn now(self, dir: &Path) -> Stacks {
        if self.read.iter().all(|(relative, stamp)| stamp_plain(dir, relative) == *stamp) {
            self.stacks
        } else {
            Previous::read(dir).stacks
        }
    }

    fn recorded(dir: &Path) -> Option<Previous> {
        let record: Record = serde_json::from_str(&read_plain(dir, RECORD)?).ok()?;
        if record.version != VERSION || !record.templates.contains_key(ROOT) {
            return None;
        }
        let mut read = Vec::with_capacity(record.templates.len());
        for (relative, numbers) in record.templates {
            let stamp = Stamp::from_numbers(numbers)?;
            if stamp_plain(dir, &relative).as_ref() != Some(&stamp) {
                return None;
            }
            read.push((relative, Some(stamp)));
        }
        let stacks =
            record.stacks.into_iter().flat_map(|(stack, ids)| ids.into_iter().map(move |id| (id, stack.clone())));
        Some(Previous { stacks: stacks.collect(), read })
    }

    fn scanned(dir: &Path) -> Previous {
        let read = Mutex::new(Vec::new());
        let file = |relative: &str| {
            let (text, stamp) = read_plain_stamped(dir, relative);
            read.lock().unwrap_or_else(PoisonError::into_inner).push((relative.to_string(), stamp));
            text
        };
        let stacks = file(ROOT).map(|root| previous_stacks(&root, &file)).unwrap_or_default();
        Previous { stacks, read: read.into_inner().unwrap_or_else(PoisonError::into_inner) }
    }
}

/// What a split build records beside its templates: the logical ids of
/// each nested stack, and the stamp of each template of `files` once
/// staged; `None` for an output of one template, which a later build reads
/// whole anyway.
pub fn record(membership: Membership, files: &PartedFiles) -> Option<Recorder> {
    if membership.is_empty() {
        return None;
    }
    let templates: Vec<String> = files.iter().map(|(name, _)| name).filter(|name| is_template(name)).cloned().collect();
    Some(Box::new(move |stamp| {
        let stamps: Option<Vec<(&str, [u64; 5])>> =
            templates.iter().map(|name| Some((name.as_str(), stamp(name)?.to_numbers()?))).collect();
        // A template without a stamp leaves a record no build trusts.
        record_text(&stamps.unwrap_or_default(), &membership)
    }))
}

/// `{"version": 1, "about": ..., "templates": {PATH: STAMP, ...}, "stacks":
/// [[STACK, [ID, ...]], ...]}` on one line, written by the templates' own
/// JSON writer: thousands of ids, each a copy (serde_json's writer spent
/// half a percent of a build on them).
fn record_text(stamps: &[(&str, [u64; 5])], membership: &Membership) -> String {
    let ids: usize = membership.iter().flat_map(|(_, ids)| ids).map(|id| id.len() + 3).sum();
    let mut out = Vec::with_capacity(ids + 64 * membership.len() + 128 * stamps.len() + 64);
    let mut w = Writer::compact(&mut out);
    let mut first = true;
    w.open(b'{');
    w.key(&mut first, 0, "version");
    w.raw(itoa::Buffer::new().format(VERSION).as_bytes());
    w.key(&mut first, 0, "about");
    w.string(ABOUT);
    w.key(&mut first, 0, "templates");
    write_stamps(&mut w, stamps);
    w.key(&mut first, 0, "stacks");
    write_stacks(&mut w, membership);
    w.close(false, 0, b'}');
    String::from_utf8(out).unwrap_or_default()
}

/// `{PATH: [DEVICE, INODE, LENGTH, SECONDS, NANOSECONDS], ...}`.
fn write_stamps(w: &mut Writer, stamps: &[(&str, [u64; 5])]) {
    let mut first = true;
    w.open(b'{');
    for (path, numbers) in stamps {
        w.key(&mut first, 1, path);
        let numbers: Vec<String> = numbers.iter().map(u64::to_string).collect();
        w.raw(format!("[{}]", numbers.join(",")).as_bytes());
    }
    w.close(first, 1, b'}');
}

/// `[[STACK, [ID, ...]], ...]`.
fn write_stacks(w: &mut Writer, membership: &Membership) {
    w.raw(b"[");
    for (n, (stack, ids)) in membership.iter().enumerate() {
        w.raw(if n > 0 { b",[" } else { b"[" });
        w.string(stack);
        w.raw(b",[");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                w.raw(b",");
            }
            w.string(id);
        }
        w.raw(b"]]");
    }
    w.raw(b"]");
}

const ABOUT: &str = "the nested stack of each resource as the last `lambdaform build` split them, and the stamp of each template it wrote; the next build reads the templates themselves unless every stamp still holds";

/// A record, as read.
#[derive(Deserialize)]
struct Record {
    version: u64,
    /// Each template by its path in the folder, and its stamp.
    templates: BTreeMap<String, [u64; 5]>,
    /// Each nested stack, and the logical ids it holds.
    stacks: Membership,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lambdaform-stacks-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("stacks")).expect("a scratch folder");
        dir
    }

    /// A root naming one nested stack, and that stack holding `ids`.
    fn split_output(dir: &Path, ids: &[&str]) {
        let root = r#"{"Resources": {"Stack01": {"Type": "AWS::CloudFormation::Stack",
            "Properties": {"TemplateURL": "stacks/Stack01.json"}}}}"#;
        std::fs::write(dir.join("template.json"), root).expect("the root");
        let resources: Vec<String> = ids.iter().map(|id| format!("\"{id}\": {{}}")).collect();
        let nested = format!("{{\"Resources\": {{{}}}}}", resources.join(", "));
        std::fs::write(dir.join("stacks/Stack01.json"), nested).expect("the nested template");
    }

    fn membership(ids: &[&str], stack: &str) -> Stacks {
        ids.iter().map(|id| (id.to_string(), stack.to_string())).collect()
    }

    /// Writes the record of `stacks` for the folder's two templates, as
    /// `build` does once they are staged, stamping them with `stamp`.
    fn write_record(dir: &Path, stacks: Stacks, stamp: &dyn Fn(&str) -> Option<Stamp>) {
        let templates = ["template.json", "stacks/Stack01.json"];
        let files: PartedFiles = templates.iter().map(|name| (name.to_string(), Vec::new())).collect();
        let mut membership = Membership::new();
        for (id, stack) in stacks {
            membership.push((stack, vec![id]));
        }
        let recorder = record(membership, &files).expect("a split output is recorded");
        std::fs::write(dir.join(RECORD), recorder(stamp)).expect("the record");
    }

    #[test]
    fn the_membership_read_during_the_check_holds_while_the_folder_is_unchanged() {
        let dir = scratch("unchanged");
        split_output(&dir, &["Orders"]);
        let early = Previous::read(&dir);
        assert_eq!(early.stacks, membership(&["Orders"], "Stack01"));
        assert_eq!(early.now(&dir), membership(&["Orders"], "Stack01"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_changed_after_the_early_read_is_read_again() {
        let dir = scratch("changed");
        split_output(&dir, &["Orders"]);
        let early = Previous::read(&dir);
        // Another build replaced the output before this one took the lock.
        split_output(&dir, &["Orders", "Payments"]);
        assert_eq!(early.now(&dir), membership(&["Orders", "Payments"], "Stack01"));
        // And one removed it.
        let early = Previous::read(&dir);
        std::fs::remove_file(dir.join("template.json")).expect("removed");
        assert_eq!(early.now(&dir), Stacks::new());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The record here says `Stack02` where the templates say `Stack01`,
    /// so that which one was read shows.
    #[test]
    fn the_record_is_trusted_while_every_template_has_its_stamp() {
        let dir = scratch("recorded");
        split_output(&dir, &["Orders"]);
        write_record(&dir, membership(&["Orders"], "Stack02"), &|relative| stamp_plain(&dir, relative));
        let early = Previous::read(&dir);
        assert_eq!(early.stacks, membership(&["Orders"], "Stack02"), "the record is read");
        assert_eq!(early.now(&dir), membership(&["Orders"], "Stack02"));
        // A nested template written since: the templates are read.
        split_output(&dir, &["Orders", "Payments"]);
        assert_eq!(Previous::read(&dir).stacks, membership(&["Orders", "Payments"], "Stack01"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_record_without_every_stamp_or_in_another_version_is_not_trusted() {
        let dir = scratch("untrusted");
        split_output(&dir, &["Orders"]);
        let scanned = membership(&["Orders"], "Stack01");
        write_record(&dir, membership(&["Orders"], "Stack02"), &|_| None);
        assert_eq!(Previous::read(&dir).stacks, scanned, "no template stamped");
        write_record(&dir, membership(&["Orders"], "Stack02"), &|relative| {
            (relative == "template.json").then(|| stamp_plain(&dir, relative)).flatten()
        });
        assert_eq!(Previous::read(&dir).stacks, scanned, "a nested template not stamped");
        write_record(&dir, membership(&["Orders"], "Stack02"), &|relative| stamp_plain(&dir, relative));
        assert_eq!(Previous::read(&dir).stacks, membership(&["Orders"], "Stack02"), "trusted as written");
        let text = std::fs::read_to_string(dir.join(RECORD)).expect("the record");
        std::fs::write(dir.join(RECORD), text.replace("\"version\":1", "\"version\":2")).expect("rewritten");
        assert_eq!(Previous::read(&dir).stacks, scanned, "another version");
        std::fs::write(dir.join(RECORD), "{not json").expect("rewritten");
        assert_eq!(Previous::read(&dir).stacks, scanned, "not a record");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_stamp_reads_back_as_it_was_recorded() {
        let dir = scratch("numbers");
        split_output(&dir, &["Orders"]);
        let stamp = stamp_plain(&dir, "template.json").expect("a stamp");
        let numbers = stamp.to_numbers().expect("a stamp of this system");
        assert_eq!(Stamp::from_numbers(numbers), Some(stamp));
        assert_eq!(Stamp::from_numbers([1, 2, 3, 4, 1_000_000_000]), None, "nanoseconds past a second");
        assert_eq!(Stamp::from_numbers([1, 2, 3, u64::MAX, 0]), None, "a time past the clock's");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_record_reads_back_as_it_was_written() {
        let membership = vec![("Stack01".to_string(), vec!["Orders".to_string(), "Odd\"Id\\".to_string()])];
        let text = record_text(&[("template.json", [1, 2, 3, 4, u64::MAX])], &membership);
        let record: Record = serde_json::from_str(&text).expect("a record is JSON");
        assert_eq!(record.version, VERSION);
        assert_eq!(record.templates, BTreeMap::from([("template.json".to_string(), [1, 2, 3, 4, u64::MAX])]));
        assert_eq!(record.stacks, membership);
        let empty: Record = serde_json::from_str(&record_text(&[], &Membership::new())).expect("JSON");
        assert!(empty.templates.is_empty() && empty.stacks.is_empty());
    }

    #[test]
    fn one_template_leaves_no_record() {
        let files: PartedFiles = vec![("template.json".to_string(), Vec::new())];
        assert!(record(Membership::new(), &files).is_none());
    }
}
