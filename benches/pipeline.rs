//! How the compiler scales: `cargo bench --bench pipeline` (release profile).
//!
//! For synthetic apps of 10, 100, 1,000 and 10,000 functions
//! (`tests/common/gen.rs`) it prints markdown tables: the median time of each
//! pipeline stage, called directly (parse, resolve, graph, validate, grants,
//! emit CloudFormation as one template, emit Terraform), of `check` end to
//! end, and of `lambdaform build` for Terraform and for both targets, each
//! build in a fresh process (`run_build`, as the binary calls it: read the
//! app, check, emit, split CloudFormation into nested stacks, copy the code
//! packages, write every file through a temporary one) into an empty output
//! folder on a memory file system (`/dev/shm`, where there is one), and for
//! both targets also again into the folder of its own previous output (as a
//! developer builds: the previous templates are read and replaced); the
//! peak memory and processor time (user and system, every thread) of those
//! processes (VmHWM from /proc, `getrusage`); the output sizes; and
//! the build's time over the time serde_json alone takes to print the same
//! output trees (the CloudFormation template, and the Terraform configuration
//! read back by hcl-rs as a JSON tree) plus the time writing the same files
//! alone takes, in a fresh process. Then it says which targets of issues
//! #8 and #13 hold, and what the machine charged for fresh memory before and
//! after the runs: on the project's VMs the first write to a page costs from
//! under 0.1 to over 2 ms per MB, by the host's state rather than the
//! compiler's, and a build's resident set is all first writes.
//!
//! A plain binary (`harness = false`) rather than criterion: the numbers
//! wanted are medians of a few runs of stages lasting milliseconds to
//! seconds, printed as one table, and whole builds in child processes;
//! criterion's statistics and plots would add a heavy dependency tree and
//! minutes of run time for no decision they change.
//!
//! `cargo bench --bench pipeline -- 1000` runs the given sizes only.
//! `cargo bench --bench pipeline -- --write-app 1000 DIR` writes the
//! 1,000-function app and its packages into `DIR` and stops, for profiling a
//! build with `--lambdaform-child-build all DIR/main.lf OUT` under callgrind
//! or perf.

#[path = "../tests/common/gen.rs"]
mod gen;

use lambdaform::check::{check, Input};
use lambdaform::cli::build::{run_build, Target};
use lambdaform::date::Date;
use lambdaform::emit::{self, Options};
use lambdaform::source::Sources;
use lambdaform::{grants, graph, resolve, stdlib, syntax, validate};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The day the generated apps are checked on: the runtime table's snapshot.
fn today() -> Date {
    Date::parse("2026-08-16").expect("a date")
}

/// The allocator the `lambdaform` binary uses (src/main.rs), so that stages
/// and child builds measure what users run.
#[global_allocator]
static ALLOCATOR: lambdaform::allocator::Mimalloc = lambdaform::allocator::Mimalloc;

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// The flag that makes this binary a child running one build, so that its
/// time is a whole process's and its peak memory that build's alone.
const CHILD: &str = "--lambdaform-child-build";

/// The flag that only writes an app and its packages (for profiling).
const WRITE_APP: &str = "--write-app";

/// The flag that makes this binary a child touching fresh memory
/// ([`touch_child`]).
const TOUCH: &str = "--lambdaform-child-touch";

/// The flag that makes this binary a child writing a build's output
/// again ([`write_child`]).
const WRITE: &str = "--lambdaform-child-write";

/// Megabytes a fresh-memory probe touches.
const TOUCH_MB: usize = 64;

/// An empty zip archive: what the code packages hold.
const EMPTY_ZIP: [u8; 22] = [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD) {
        child(&args[1..]);
        return;
    }
    if args.first().map(String::as_str) == Some(TOUCH) {
        touch_child();
        return;
    }
    if let [flag, from, to] = args.as_slice() {
        if flag == WRITE {
            write_child(Path::new(from), Path::new(to));
            return;
        }
    }
    if let [flag, n, dir, ..] = args.as_slice() {
        if flag == WRITE_APP {
            write_app(n.parse().expect("a number of functions"), Path::new(dir));
            return;
        }
    }
    // `cargo bench` passes `--bench`; other words are sizes.
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.replace(['_', ','], "").parse().ok()).collect();
    if sizes.is_empty() {
        sizes = SIZES.to_vec();
    }
    let root = scratch_root().join(format!("lambdaform-bench-{}", std::process::id()));
    let before = fresh_memory();
    let rows: Vec<Row> = sizes.iter().map(|&n| measure(n, &root.join(n.to_string()))).collect();
    let growth = growth_side_by_side(&rows, &root);
    let after = fresh_memory();
    let _ = std::fs::remove_dir_all(&root);
    report(&rows, &growth);
    report_machine(&rows, before, after);
}

/// What this machine charges for memory a process touches for the first
/// time, against touching it again: medians of five fresh processes, in
/// milliseconds per megabyte. On the project's VMs the first touch costs
/// tens to hundreds of times a second one, as the host has the memory at
/// hand or not, and a build's resident set is all first touches
/// (docs/performance.md).
#[derive(Clone, Copy)]
struct FreshMemory {
    first_ms_per_mb: f64,
    again_ms_per_mb: f64,
}

fn fresh_memory() -> FreshMemory {
    let exe = std::env::current_exe().expect("the bench binary");
    let mut firsts = Vec::new();
    let mut agains = Vec::new();
    for _ in 0..5 {
        let output = Command::new(&exe).arg(TOUCH).output().expect("run a touch child");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let (first, again) = stdout.trim().split_once(' ').expect("the child prints two times in ns");
        firsts.push(Duration::from_nanos(first.parse().expect("ns")));
        agains.push(Duration::from_nanos(again.parse().expect("ns")));
    }
    let per_mb = |d: Duration| d.as_secs_f64() * 1000.0 / TOUCH_MB as f64;
    FreshMemory { first_ms_per_mb: per_mb(median(firsts)), again_ms_per_mb: per_mb(median(agains)) }
}

/// The touch child: writes a byte to each page of a fresh block of
/// [`TOUCH_MB`], then to each again; prints both times in nanoseconds.
fn touch_child() {
    const PAGE: usize = 4096;
    let write_pages = |block: &mut [u8], value: u8| {
        for byte in block.iter_mut().step_by(PAGE) {
            *byte = value;
        }
        std::hint::black_box(block);
    };
    let start = Instant::now();
    let mut block = vec![0u8; TOUCH_MB << 20];
    write_pages(&mut block, 1);
    let first = start.elapsed();
    let start = Instant::now();
    write_pages(&mut block, 2);
    let again = start.elapsed();
    println!("{} {}", first.as_nanos(), again.as_nanos());
}

fn report_machine(rows: &[Row], before: FreshMemory, after: FreshMemory) {
    println!("\n### Machine: fresh memory\n");
    println!(
        "Writing a page a process has not touched before: {:.2} ms per MB before the runs, {:.2} after \
         (touching it again: {:.3} and {:.3}).",
        before.first_ms_per_mb, after.first_ms_per_mb, before.again_ms_per_mb, after.again_ms_per_mb
    );
    let first = (before.first_ms_per_mb + after.first_ms_per_mb) / 2.0;
    for r in rows.iter().filter(|r| r.n >= 1_000 && !r.build_all.refused) {
        let mb = r.build_all.peak_rss_kb as f64 / 1024.0;
        println!(
            "At {} functions `build all` holds {mb:.0} MB at its peak: at that rate about {:.0} ms of \
             processor time in first writes, shared by both cores.",
            thousands(r.n),
            mb * first
        );
    }
}

/// Where the apps and outputs go: a memory file system when the machine
/// has one. On this project's VMs, ext4 spends more time finding a free
/// inode after the previous run's files were deleted (`recently_deleted`)
/// than the build spends on the 4,000-function app's whole template
/// (docs/performance.md); that is the disk's cost, not the compiler's.
fn scratch_root() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// The medians for one app size.
struct Row {
    n: usize,
    source_bytes: usize,
    resources: usize,
    runs: usize,
    parse: Duration,
    resolve: Duration,
    graph: Duration,
    validate: Duration,
    grants: Duration,
    check: Duration,
    emit_cfn: Duration,
    emit_tf: Duration,
    print_cfn: Duration,
    print_tf: Duration,
    cfn_bytes: usize,
    build_tf: Build,
    build_all: Build,
    /// `build --target all` into the folder of its own previous output, as
    /// a developer builds again: the previous templates are read for their
    /// stack membership and the previous files replaced.
    build_all_again: Build,
    /// Writing the files `build --target all` writes, and nothing else.
    write_alone: Duration,
    /// Where the time of each build goes, stage by stage: Terraform's, then all.
    timelines: [Vec<Stage>; 2],
}

/// A stage of a build process as `LAMBDAFORM_TIMELINE` marks it: medians
/// of when it ended (since the process started its timeline), of what it
/// took of the wall time and of the processor time since the stage before
/// in the same process, and of the resident memory then.
struct Stage {
    name: String,
    end: Duration,
    took: Duration,
    processor: Duration,
    resident_mb: u64,
}

/// One timeline line's figures: when the stage ended and the processor
/// time used by then (or, once [`since`] the mark before, what the stage
/// took of each), the resident megabytes.
#[derive(Clone, Copy)]
struct Mark {
    end: Duration,
    processor: Duration,
    resident_mb: u64,
}

/// What the stage that ended at `mark` took of the wall and processor
/// times since the mark `before` of the same process.
fn since(mark: Mark, before: Mark) -> Mark {
    Mark {
        end: mark.end.saturating_sub(before.end),
        processor: mark.processor.saturating_sub(before.processor),
        resident_mb: mark.resident_mb,
    }
}

/// `lambdaform build` in fresh processes.
struct Build {
    runs: usize,
    /// The build refused the app (a template over 1 MB) and wrote nothing.
    refused: bool,
    time: Duration,
    /// The median processor time (user and system, every thread): on two
    /// cores a build takes at least half of it.
    processor: Duration,
    peak_rss_kb: u64,
    /// Bytes of CloudFormation (`template.json`, `stacks/*.json`) and Terraform written.
    cloudformation: usize,
    nested_stacks: usize,
    terraform: usize,
}

fn runs_for(n: usize) -> usize {
    match n {
        0..=100 => 21,
        101..=1_000 => 11,
        _ => 5,
    }
}

/// How many times longer a build of 10,000 functions takes than one of
/// 1,000, per target (`terraform`, and `all` where CloudFormation holds
/// the larger app): the two apps built in turn, one build of each a
/// round, each into an empty folder, and the medians compared. The
/// medians of each size's own builds are minutes apart, and on these VMs
/// the host moves in minutes: they once read 15.7× for Terraform where
/// builds side by side read 9.7× (docs/performance.md, thirty-third
/// session). Empty when a size was not measured.
fn growth_side_by_side(rows: &[Row], root: &Path) -> Vec<Growth> {
    let (Some(small), Some(large)) = (rows.iter().find(|r| r.n == 1_000), rows.iter().find(|r| r.n == 10_000)) else {
        return Vec::new();
    };
    let targets: &[&'static str] = if large.build_all.refused { &["terraform"] } else { &["terraform", "all"] };
    let runs = runs_for(large.n);
    let folder = |r: &Row| root.join(r.n.to_string());
    let (small, large) = (folder(small), folder(large));
    let time = |target: &str, folder: &Path| {
        builds(target, &folder.join("app").join("main.lf"), &folder.join("out"), 1, Folder::Empty).time
    };
    let mut growth = Vec::new();
    for &target in targets {
        let (mut times_small, mut times_large) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            times_small.push(time(target, &small));
            times_large.push(time(target, &large));
        }
        growth.push(Growth { target, runs, factor: ratio(median(times_large), median(times_small)) });
    }
    growth
}

/// A target's growth from 1,000 to 10,000 functions, timed side by side
/// ([`growth_side_by_side`]).
struct Growth {
    target: &'static str,
    runs: usize,
    factor: f64,
}

/// Writes the app of `n` functions as `dir/main.lf`, with its packages;
/// returns its path and text.
fn write_app(n: usize, dir: &Path) -> (PathBuf, String) {
    let text = gen::app(n);
    std::fs::create_dir_all(dir.join("build")).expect("temporary folder");
    let app_file = dir.join("main.lf");
    std::fs::write(&app_file, &text).expect("write the app");
    for package in gen::packages(n) {
        std::fs::write(dir.join(package), EMPTY_ZIP).expect("write a code package");
    }
    (app_file, text)
}

fn measure(n: usize, dir: &Path) -> Row {
    let (app_file, text) = write_app(n, &dir.join("app"));
    let options = Options { stage: "dev".into() };

    let mut sources = Sources::default();
    let (kinds, _) = stdlib::load(&mut sources);
    let file = sources.add("main.lf", text.clone());

    let runs = runs_for(n);
    let mut samples: Vec<[Duration; 10]> = Vec::new();
    let (mut cfn_bytes, mut resources) = (0, 0);
    // One warm-up run, then `runs` measured ones.
    for run in 0..=runs {
        let ((ast, parse_errors), t_parse) = time(|| syntax::parse(file, &text));
        assert!(parse_errors.is_empty(), "the generated app parses");
        let files = [ast];
        let ((model, errors), t_resolve) = time(|| resolve::resolve(&files, kinds.clone()));
        assert!(errors.is_empty(), "the generated app resolves");
        let ((graph, _), t_graph) = time(|| {
            let graph = graph::build(&model);
            let cycles = graph::cycles(&graph, &model);
            (graph, cycles)
        });
        let (diagnostics, t_validate) = time(|| validate::validate(&model, &graph, today()));
        assert!(diagnostics.iter().all(|d| !d.is_error()), "the generated app validates");
        let (_, t_grants) = time(|| grants::infer(&model, &graph));
        drop((files, model, graph, diagnostics));

        let input = vec![Input { name: "main.lf".into(), bytes: text.clone().into_bytes() }];
        let (checked, t_check) = time(|| check(input, today()));
        assert!(!checked.has_errors(), "the generated app checks");
        resources = checked.model.resources.len();
        let (cfn, t_cfn) = time(|| emit::cloudformation::emit(&checked, &options));
        let (tf, t_tf) = time(|| emit::terraform::emit(&checked, &options));
        drop(checked);

        let tree: serde_json::Value = serde_json::from_str(&cfn).expect("the template is JSON");
        let (printed, t_print) = time(|| serde_json::to_string_pretty(&tree).expect("prints"));
        assert_eq!(printed.len() + 1, cfn.len(), "serde_json prints the tree the emitter printed");
        drop(tree);
        // The Terraform configuration read back by hcl-rs as a JSON tree
        // (as hcl2json would), printed by serde_json: the floor for main.tf.
        let body: serde_json::Value = hcl::from_str(&tf).expect("main.tf is HCL");
        let (_, t_print_tf) = time(|| serde_json::to_string_pretty(&body).expect("prints"));
        drop(body);

        if run > 0 {
            samples
                .push([t_parse, t_resolve, t_graph, t_validate, t_grants, t_check, t_cfn, t_tf, t_print, t_print_tf]);
        }
        cfn_bytes = cfn.len();
    }
    let column = |i: usize| median(samples.iter().map(|s| s[i]).collect());
    // As many process builds as in-process runs: on a shared machine two
    // slow builds of five moved the 1,000-function median by 20 ms.
    let build_runs = runs;
    let out_dir = dir.join("out");
    let (build_tf, build_all) = (
        builds("terraform", &app_file, &out_dir, build_runs, Folder::Empty),
        builds("all", &app_file, &out_dir, build_runs, Folder::Empty),
    );
    let write_alone = writes(&out_dir, &dir.join("written"), build_runs);
    let timelines = ["terraform", "all"].map(|target| timeline(target, &app_file, &out_dir, build_runs));
    Row {
        n,
        source_bytes: text.len(),
        resources,
        runs,
        parse: column(0),
        resolve: column(1),
        graph: column(2),
        validate: column(3),
        grants: column(4),
        check: column(5),
        emit_cfn: column(6),
        emit_tf: column(7),
        print_cfn: column(8),
        print_tf: column(9),
        cfn_bytes,
        build_tf,
        build_all,
        write_alone,
        build_all_again: builds("all", &app_file, &out_dir, build_runs, Folder::Previous),
        timelines,
    }
}

/// `build --target TARGET` in fresh processes with the timeline on, each
/// into an empty folder (apart from the timed builds: reading the memory
/// at each mark costs a little): each stage's medians, in pipeline order.
fn timeline(target: &str, app_file: &Path, out_dir: &Path, runs: usize) -> Vec<Stage> {
    // Per stage, each process's mark and what the stage took in it.
    let mut marks: Vec<(String, Vec<(Mark, Mark)>)> = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out_dir);
        let output = child_build(target, app_file, out_dir)
            .env(lambdaform::cli::timeline::VARIABLE, "1")
            .output()
            .expect("run a child build");
        let mut before = Mark { end: Duration::ZERO, processor: Duration::ZERO, resident_mb: 0 };
        for line in String::from_utf8_lossy(&output.stderr).lines() {
            let Some((name, mark)) = timeline_line(line) else { continue };
            let figures = (mark, since(mark, before));
            before = mark;
            match marks.iter_mut().find(|(n, _)| *n == name) {
                Some((_, stage)) => stage.push(figures),
                None => marks.push((name, vec![figures])),
            }
        }
    }
    marks
        .into_iter()
        .map(|(name, marks)| {
            let mut residents: Vec<u64> = marks.iter().map(|(m, _)| m.resident_mb).collect();
            residents.sort_unstable();
            Stage {
                name,
                end: median(marks.iter().map(|(m, _)| m.end).collect()),
                took: median(marks.iter().map(|(_, took)| took.end).collect()),
                processor: median(marks.iter().map(|(_, took)| took.processor).collect()),
                resident_mb: residents[residents.len() / 2],
            }
        })
        .collect()
}

/// A line `timeline    12.73 ms wall    19.84 ms processor    34 MB  checked`:
/// its stage and figures.
fn timeline_line(line: &str) -> Option<(String, Mark)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let ["timeline", wall, "ms", "wall", processor, "ms", "processor", mb, "MB", stage @ ..] = fields.as_slice() else {
        return None;
    };
    let ms = |text: &str| text.parse::<f64>().ok().map(|ms| Duration::from_secs_f64(ms / 1000.0));
    let mark =
        Mark { end: ms(wall)?, processor: ms(processor).unwrap_or_default(), resident_mb: mb.parse().unwrap_or(0) };
    Some((stage.join(" "), mark))
}

/// This bench re-run as a child that builds `app_file` for `target` into
/// `out_dir` ([`child`]).
fn child_build(target: &str, app_file: &Path, out_dir: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the bench binary"));
    command.args([CHILD, target]).arg(app_file).arg(out_dir);
    command
}

/// What the output folder holds when a timed build starts.
#[derive(Clone, Copy, PartialEq)]
enum Folder {
    Empty,
    /// The output of the same build, made by an untimed build first.
    Previous,
}

/// `build --target TARGET` in fresh processes, each into an empty folder
/// or into the previous output: the median wall time (start-up and stdlib
/// loading included), the largest peak resident set, and what the last one
/// wrote.
fn builds(target: &str, app_file: &Path, out_dir: &Path, runs: usize, into: Folder) -> Build {
    let build = || {
        child_build(target, app_file, out_dir)
            // Timed without the timeline's marks, whatever the shell sets.
            .env_remove(lambdaform::cli::timeline::VARIABLE)
            .stderr(Stdio::null())
            .output()
            .expect("run a child build")
    };
    let _ = std::fs::remove_dir_all(out_dir);
    if into == Folder::Previous {
        build();
    }
    let mut times = Vec::new();
    let mut processor = Vec::new();
    let mut peak = 0;
    let mut refused = false;
    for _ in 0..runs {
        if into == Folder::Empty {
            let _ = std::fs::remove_dir_all(out_dir);
        }
        let start = Instant::now();
        let output = build();
        times.push(start.elapsed());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<&str> = stdout.split_whitespace().collect();
        let [hwm, micros, outcome] = fields[..] else {
            panic!("the child prints its VmHWM in kB, its processor time in µs and the outcome: {stdout}")
        };
        refused |= !output.status.success() || outcome == "refused";
        peak = peak.max(hwm.parse::<u64>().expect("the child prints its VmHWM in kB"));
        processor.push(Duration::from_micros(micros.parse().expect("the child prints its processor time in µs")));
    }
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let stacks: Vec<PathBuf> = std::fs::read_dir(out_dir.join("stacks"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    Build {
        runs,
        refused,
        time: median(times),
        processor: median(processor),
        peak_rss_kb: peak,
        cloudformation: size(&out_dir.join("template.json")) + stacks.iter().map(|p| size(p)).sum::<usize>(),
        nested_stacks: stacks.len(),
        terraform: size(&out_dir.join("main.tf")),
    }
}

/// The files of a build's output in `out_dir` written again into `to` by
/// fresh processes, each file created and written whole, on one thread,
/// and not synced: the median time, what writing the bytes alone costs
/// the machine (a fresh file's pages are fresh memory too).
fn writes(out_dir: &Path, to: &Path, runs: usize) -> Duration {
    let exe = std::env::current_exe().expect("the bench binary");
    let times = (0..runs).map(|_| {
        let _ = std::fs::remove_dir_all(to);
        let output = Command::new(&exe).arg(WRITE).args([out_dir, to]).output().expect("run a write child");
        let nanos = String::from_utf8_lossy(&output.stdout).trim().parse().expect("the child prints ns");
        Duration::from_nanos(nanos)
    });
    let time = median(times.collect());
    let _ = std::fs::remove_dir_all(to);
    time
}

/// The write child: reads every file the build wrote under `from` (its
/// templates, `main.tf`, the packages; not the manifest or the lock),
/// then times writing them all into `to` and prints the time in ns.
fn write_child(from: &Path, to: &Path) {
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(from.join(&folder)).expect("the build's output").flatten() {
            let (name, kind) = (entry.file_name(), entry.file_type().expect("a file type"));
            if name.to_string_lossy().starts_with(".lambdaform") {
                continue;
            }
            match kind.is_dir() {
                true => folders.push(folder.join(&name)),
                false => files.push((folder.join(&name), std::fs::read(entry.path()).expect("a written file"))),
            }
        }
    }
    let start = Instant::now();
    for (path, bytes) in &files {
        let path = to.join(path);
        std::fs::create_dir_all(path.parent().expect("inside `to`")).expect("a folder");
        std::fs::write(&path, bytes).expect("write a file");
    }
    println!("{}", start.elapsed().as_nanos());
}

/// The child: one `lambdaform build PATH --out DIR --target TARGET`, then
/// the process's peak resident set size in kB, its processor time in µs
/// and whether it built.
fn child(args: &[String]) {
    lambdaform::cli::timeline::start();
    let target = if args[0] == "terraform" { Target::Terraform } else { Target::All };
    let (path, out) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    // A build may refuse an app (LF4004: a root template over 1 MB); the
    // parent reports that beside the time it took.
    let built = run_build(&path, &out, target, "dev", today()) == std::process::ExitCode::SUCCESS;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!("{hwm} {} {}", processor_micros(), if built { "built" } else { "refused" });
}

/// The user and system time of this process so far, all threads, in µs.
#[cfg(unix)]
fn processor_micros() -> u64 {
    // SAFETY: `getrusage` fills the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

/// Elsewhere the bench does not know it.
#[cfg(not(unix))]
fn processor_micros() -> u64 {
    0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = std::hint::black_box(f());
    (value, start.elapsed())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn report(rows: &[Row], growth: &[Growth]) {
    println!("\n### Stages, in process (median)\n");
    println!(
        "| functions | resources | source | runs | parse | resolve | graph | validate | grants | **check** | emit CloudFormation | emit Terraform |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | **{}** | {} | {} |",
            thousands(r.n),
            thousands(r.resources),
            bytes(r.source_bytes),
            r.runs,
            ms(r.parse),
            ms(r.resolve),
            ms(r.graph),
            ms(r.validate),
            ms(r.grants),
            ms(r.check),
            ms(r.emit_cfn),
            ms(r.emit_tf),
        );
    }
    println!("\n### `lambdaform build`, one process each (median)\n");
    println!(
        "| functions | runs | build terraform | **build all** | processor time all | build all again | peak memory terraform / all | CloudFormation written | nested stacks | main.tf | one template | serde_json prints both | writing alone | build all ÷ (print + write) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let timed = |b: &Build| if b.refused { format!("{} (refused: LF4004)", ms(b.time)) } else { ms(b.time) };
    for r in rows {
        println!(
            "| {} | {} | {} | **{}** | {} | {} | {} / {} | {} | {} | {} | {} | {} | {} | {:.1}× |",
            thousands(r.n),
            r.build_all.runs,
            ms(r.build_tf.time),
            timed(&r.build_all),
            ms(r.build_all.processor),
            timed(&r.build_all_again),
            megabytes(r.build_tf.peak_rss_kb),
            megabytes(r.build_all.peak_rss_kb),
            bytes(r.build_all.cloudformation),
            r.build_all.nested_stacks,
            bytes(r.build_all.terraform),
            bytes(r.cfn_bytes),
            ms(r.print_both()),
            if r.build_all.refused { "–".to_string() } else { ms(r.write_alone) },
            ratio(r.build_all.time, r.print_both() + r.write_alone),
        );
    }
    report_timelines(rows);
    targets(rows, growth);
}

/// Each size's builds stage by stage: when each stage ended, what it took
/// of the wall time and of the processor's (every thread's), how many cores
/// that kept busy, and the memory resident then (medians over the
/// processes, each stage's times taken within its process).
fn report_timelines(rows: &[Row]) {
    println!("\n### Where a build's time goes, one process each (median, `LAMBDAFORM_TIMELINE=1`)\n");
    for r in rows {
        for (target, stages) in ["terraform", "all"].iter().zip(&r.timelines) {
            let refused = if *target == "all" && r.build_all.refused { " (refused: LF4004)" } else { "" };
            println!("`build --target {target}` at {} functions{refused}:\n", thousands(r.n));
            println!("| stage | ends at | took | processor | cores | resident |");
            println!("| --- | ---: | ---: | ---: | ---: | ---: |");
            for stage in stages {
                let cores = stage.processor.as_secs_f64() / stage.took.as_secs_f64().max(1e-9);
                println!(
                    "| {} | {} | {} | {} | {cores:.2} | {} MB |",
                    stage.name,
                    ms(stage.end),
                    ms(stage.took),
                    ms(stage.processor),
                    stage.resident_mb
                );
            }
            println!();
        }
    }
}

/// The targets of issues #8 and #13, for the sizes that were run.
fn targets(rows: &[Row], growth: &[Growth]) {
    let at = |n: usize| rows.iter().find(|r| r.n == n);
    let mut lines = Vec::new();
    let mut target = |holds: bool, text: String| lines.push(format!("- {} {text}", if holds { "✅" } else { "❌" }));
    if let Some(r) = at(1_000) {
        target(r.check < Duration::from_millis(30), format!("check at 1,000 functions < 30 ms: {}", ms(r.check)));
    }
    if let Some(r) = at(10_000) {
        target(r.check < Duration::from_millis(300), format!("check at 10,000 functions < 300 ms: {}", ms(r.check)));
        target(
            r.build_tf.time < Duration::from_secs(1),
            format!("Terraform build at 10,000 functions < 1 s: {}", ms(r.build_tf.time)),
        );
    }
    // Both targets count where CloudFormation could hold the app: a build
    // refused with LF4004 wrote nothing, so its time and memory say little.
    let largest = |kind: fn(&Row) -> &Build| rows.iter().filter(|r| !kind(r).refused).max_by_key(|r| r.n);
    for (what, kind) in [("terraform", (|r| &r.build_tf) as fn(&Row) -> &Build), ("all", |r| &r.build_all)] {
        if let Some(r) = largest(kind) {
            let (peak, n) = (megabytes(kind(r).peak_rss_kb), thousands(r.n));
            target(
                kind(r).peak_rss_kb < 500 * 1024,
                format!("peak memory < 500 MB, build {what}: {peak} at {n} functions"),
            );
        }
    }
    if let (Some(a), Some(b)) = (at(1_000), at(10_000)) {
        let growth = ratio(b.check, a.check);
        target(growth <= 11.0, format!("check grows at most 11× from 1,000 to 10,000 functions: {growth:.1}×"));
    }
    for Growth { target: built, runs, factor } in growth {
        target(
            *factor <= 11.0,
            format!(
                "build {built} grows at most 11× from 1,000 to 10,000 functions: {factor:.1}× (the two sizes built in turn, {runs} builds each)"
            ),
        );
    }
    // A refused build writes nothing: its time says nothing about writing.
    for r in rows.iter().filter(|r| r.n >= 1_000 && !r.build_all.refused) {
        let times = ratio(r.build_all.time, r.print_both());
        target(
            times <= 4.0,
            format!(
                "build all at most 4× serde_json printing both outputs, at {} functions: {times:.1}×",
                thousands(r.n)
            ),
        );
    }
    // Issue #13's speed point: the whole build next to printing alone.
    if let Some(r) = at(1_000) {
        let t = r.build_all.time;
        target(
            t <= Duration::from_millis(40),
            format!(
                "build all at 1,000 functions ≤ 40 ms: {} (serde_json printing the output alone {}, writing it alone {}; \
                 processor time {}, at least {} on two cores)",
                ms(t),
                ms(r.print_both()),
                ms(r.write_alone),
                ms(r.build_all.processor),
                ms(r.build_all.processor / 2)
            ),
        );
    }
    if let Some(r) = at(10_000) {
        let (t, peak) = (r.build_tf.time, r.build_tf.peak_rss_kb);
        let processor = r.build_tf.processor;
        target(
            t <= Duration::from_millis(400),
            format!(
                "build terraform at 10,000 functions ≤ 400 ms: {} (processor time {}, at least {} on two cores)",
                ms(t),
                ms(processor),
                ms(processor / 2)
            ),
        );
        target(
            peak <= 300 * 1024,
            format!("peak memory at 10,000 functions ≤ 300 MB, build terraform: {}", megabytes(peak)),
        );
    }
    println!("\n### Targets (issues #8 and #13)\n");
    for line in lines {
        println!("{line}");
    }
}

impl Row {
    /// serde_json printing what `build --target all` writes: the template
    /// and the Terraform configuration's tree.
    fn print_both(&self) -> Duration {
        self.print_cfn + self.print_tf
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    match ms {
        m if m >= 1000.0 => format!("{:.2} s", m / 1000.0),
        m if m >= 100.0 => format!("{m:.0} ms"),
        m if m >= 10.0 => format!("{m:.1} ms"),
        m => format!("{m:.2} ms"),
    }
}

fn megabytes(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

fn bytes(n: usize) -> String {
    match n as f64 {
        b if b >= 1024.0 * 1024.0 => format!("{:.1} MB", b / 1024.0 / 1024.0),
        b if b >= 1024.0 => format!("{:.0} KB", b / 1024.0),
        b => format!("{b} B"),
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
