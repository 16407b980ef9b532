//! Where a command's time and memory go, stage by stage, for whoever asks
//! why a build is slow (and for `cargo bench --bench pipeline`): with the
//! environment variable `LAMBDAFORM_TIMELINE` set, each stage that ends
//! ([`crate::timeline`]) writes one line to stderr: the wall time since
//! the process started its timeline, the processor time all its threads
//! have used since then (Unix; `-` elsewhere), and the resident memory
//! (Linux; `-` elsewhere):
//!
//! ```text
//! timeline    12.73 ms wall    19.84 ms processor    34 MB  checked
//! ```
//!
//! A stage that runs on both cores ends when both have. What a stage
//! took of the processor over what it took of the wall is how many cores
//! it kept busy: where a build leaves one idle. Without the
//! variable, or in a process that never calls [`start`] (the tests), the
//! marks go nowhere.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The environment variable that turns the timeline on (any value but empty).
pub const VARIABLE: &str = "LAMBDAFORM_TIMELINE";

/// When the timeline started, and the processor time used by then.
static ORIGIN: OnceLock<(Instant, Option<Duration>)> = OnceLock::new();

/// Starts the timeline now if [`VARIABLE`] is set.
pub fn start() {
    if std::env::var_os(VARIABLE).is_some_and(|v| !v.is_empty()) {
        ORIGIN.get_or_init(|| (Instant::now(), processor_time()));
        crate::timeline::observe(write);
    }
}

/// The end of `stage`, written to stderr.
fn write(stage: &str) {
    let Some((origin, processor_then)) = ORIGIN.get() else { return };
    let processor = processor_time().zip(*processor_then).map(|(now, then)| now.saturating_sub(then));
    let text = line(origin.elapsed(), processor, resident_mb(), stage);
    #[cfg(feature = "count-allocations")]
    let text = text + &allocations(crate::allocator::counts::now(), stage);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// One line of the timeline.
fn line(elapsed: Duration, processor: Option<Duration>, resident_mb: Option<u64>, stage: &str) -> String {
    let ms = |time: Duration| format!("{:8.2}", time.as_secs_f64() * 1000.0);
    let processor = processor.map_or_else(|| format!("{:>8}", "-"), ms);
    let resident = resident_mb.map_or_else(|| "-".to_string(), |mb| mb.to_string());
    format!("timeline {} ms wall {processor} ms processor {resident:>5} MB  {stage}\n", ms(elapsed))
}

/// The processor time of every thread of the process, those ended too,
/// since it started.
#[cfg(unix)]
fn processor_time() -> Option<Duration> {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid timespec the call writes.
    let read = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    let seconds = u64::try_from(now.tv_sec).ok()?;
    let nanos = u32::try_from(now.tv_nsec).ok()?;
    (read == 0).then(|| Duration::new(seconds, nanos))
}

#[cfg(not(unix))]
fn processor_time() -> Option<Duration> {
    None
}

/// What the allocator handed out by the end of `stage` (the
/// `count-allocations` feature), on a line of its own that readers of the
/// timeline's lines pass over: `allocations   531217 calls    66.7 MB
/// allocated    29.9 MB live  layer`.
#[cfg(feature = "count-allocations")]
fn allocations((calls, bytes, live): (u64, u64, u64), stage: &str) -> String {
    let mb = |bytes: u64| bytes as f64 / 1e6;
    format!("allocations {calls:8} calls {:8.1} MB allocated {:7.1} MB live  {stage}\n", mb(bytes), mb(live))
}

/// The process's resident memory in MB (`VmRSS`), where the system says.
fn resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = status.lines().find_map(|line| line.strip_prefix("VmRSS:"))?.split_whitespace().next()?;
    kb.parse::<u64>().ok().map(|kb| kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_gives_the_time_the_memory_and_the_stage() {
        assert_eq!(
            line(Duration::from_micros(12_730), Some(Duration::from_micros(19_840)), Some(34), "checked"),
            "timeline    12.73 ms wall    19.84 ms processor    34 MB  checked\n"
        );
        assert_eq!(
            line(Duration::from_secs(2), None, None, "written"),
            "timeline  2000.00 ms wall        - ms processor     - MB  written\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_processor_time_goes_on_as_the_process_works() {
        let before = processor_time().expect("the process's clock");
        // Five milliseconds of work on this thread: the process's clock
        // counts them (a little less where the machine takes the core away).
        let start = std::time::Instant::now();
        let mut sum = 0u64;
        while start.elapsed() < Duration::from_millis(5) {
            sum = std::hint::black_box(sum.wrapping_add(1));
        }
        let worked = processor_time().expect("the process's clock") - before;
        assert!(worked >= Duration::from_millis(1), "{worked:?} after {sum} rounds");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_says_how_much_memory_is_resident() {
        let mb = resident_mb().expect("/proc/self/status has VmRSS");
        assert!(mb > 0 && mb < 1 << 20, "{mb} MB");
    }
}
