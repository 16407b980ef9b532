//! The Lambda runtime table as data with dates (AWS-RULES.md §1b, snapshot
//! 2026-08-16): a runtime is an error once blocked, a warning once deprecated.

/// (identifier, deprecation date, block-update date), dates as `YYYY-MM-DD`.
/// An empty block date means "not announced".
pub const RUNTIMES: &[(&str, &str, &str)] = &[
    ("nodejs24.x", "2028-04-30", "2028-07-01"),
    ("nodejs22.x", "2027-04-30", "2027-07-01"),
    ("nodejs20.x", "2026-04-30", "2027-03-03"),
    ("nodejs18.x", "2025-09-01", "2027-03-03"),
    ("python3.14", "2029-06-30", ""),
    ("python3.13", "2029-06-30", ""),
    ("python3.12", "2028-10-31", ""),
    ("python3.11", "2027-06-30", ""),
    ("python3.10", "2026-10-31", "2027-03-03"),
    ("python3.9", "2025-12-15", "2027-03-03"),
    ("java25", "2029-06-30", ""),
    ("java21", "2029-06-30", ""),
    ("java17", "2027-06-30", ""),
    ("java11", "2027-06-30", ""),
    ("java8.al2", "2027-06-30", ""),
    ("java17.al2023", "2029-06-30", ""),
    ("java11.al2023", "2029-06-30", ""),
    ("java8.al2023", "2029-06-30", ""),
    ("dotnet10", "2028-11-14", ""),
    ("dotnet8", "2026-11-10", "2027-03-03"),
    ("ruby4.0", "2029-03-31", ""),
    ("ruby3.4", "2028-03-31", ""),
    ("ruby3.3", "2027-03-31", ""),
    ("ruby3.2", "2026-03-31", "2027-03-03"),
    ("provided.al2023", "2029-06-30", ""),
    ("provided.al2", "2026-07-31", "2027-03-03"),
    ("dotnet6", "2024-12-20", "2027-03-03"),
    ("python3.8", "2024-10-14", "2027-03-03"),
    ("nodejs16.x", "2024-06-12", "2027-03-03"),
    ("java8", "2024-01-08", "2027-03-03"),
    ("go1.x", "2024-01-08", "2027-03-03"),
    ("provided", "2024-01-08", "2027-03-03"),
    ("ruby2.7", "2023-12-07", "2027-03-03"),
    ("python3.7", "2023-12-04", "2027-03-03"),
    ("nodejs14.x", "2023-12-04", "2027-03-03"),
];

/// Runtimes Lambda no longer accepts at all.
pub const BLOCKED: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "python2.7",
    "python3.6",
    "ruby2.5",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet5.0",
    "dotnet7",
];

pub enum Status {
    Supported,
    Deprecated { since: &'static str, blocked: &'static str },
    Blocked,
    Unknown,
}

/// The status of `runtime` on `today` (`YYYY-MM-DD`).
pub fn status(runtime: &str, today: &str) -> Status {
    if BLOCKED.contains(&runtime) {
        return Status::Blocked;
    }
    let Some((_, deprecated, blocked)) = RUNTIMES.iter().find(|(id, _, _)| *id == runtime) else {
        return Status::Unknown;
    };
    if !blocked.is_empty() && today >= *blocked {
        Status::Blocked
    } else if today >= *deprecated {
        Status::Deprecated { since: deprecated, blocked }
    } else {
        Status::Supported
    }
}

/// Today's date in UTC as `YYYY-MM-DD` (civil-from-days, no dependency).
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
