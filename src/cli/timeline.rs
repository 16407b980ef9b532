//! Where a command's time and memory go, stage by stage, for whoever asks
//! why a build is slow (and for `cargo bench --bench pipeline`): with the
//! environment variable `LAMBDAFORM_TIMELINE` set, each stage that ends
//! ([`crate::timeline`]) writes one line to stderr, the time since the
//! process started its timeline and the resident memory then (Linux; `-`
//! elsewhere):
//!
//! ```text
//! timeline   12.73 ms    34 MB  checked
//! ```
//!
//! A stage that runs on both cores ends when both have. Without the
//! variable, or in a process that never calls [`start`] (the tests), the
//! marks go nowhere.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The environment variable that turns the timeline on (any value but empty).
pub const VARIABLE: &str = "LAMBDAFORM_TIMELINE";

/// When the timeline started.
static ORIGIN: OnceLock<Instant> = OnceLock::new();

/// Starts the timeline now if [`VARIABLE`] is set.
pub fn start() {
    if std::env::var_os(VARIABLE).is_some_and(|v| !v.is_empty()) {
        ORIGIN.get_or_init(Instant::now);
        crate::timeline::observe(write);
    }
}

/// The end of `stage`, written to stderr.
fn write(stage: &str) {
    let Some(origin) = ORIGIN.get() else { return };
    let text = line(origin.elapsed(), resident_mb(), stage);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// One line of the timeline.
fn line(elapsed: Duration, resident_mb: Option<u64>, stage: &str) -> String {
    let ms = elapsed.as_secs_f64() * 1000.0;
    let resident = resident_mb.map_or_else(|| "-".to_string(), |mb| mb.to_string());
    format!("timeline {ms:8.2} ms {resident:>5} MB  {stage}\n")
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
            line(Duration::from_micros(12_730), Some(34), "checked"),
            "timeline    12.73 ms    34 MB  checked\n"
        );
        assert_eq!(line(Duration::from_secs(2), None, "written"), "timeline  2000.00 ms     - MB  written\n");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_says_how_much_memory_is_resident() {
        let mb = resident_mb().expect("/proc/self/status has VmRSS");
        assert!(mb > 0 && mb < 1 << 20, "{mb} MB");
    }
}
