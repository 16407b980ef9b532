//! The Lambda runtime table as data with dates (AWS-RULES.md §1b, and AWS's
//! "Deprecated runtimes" table for the days creation is blocked), judged on
//! the day `check` is given: a runtime is an error once Lambda refuses new
//! functions on it, a warning once deprecated. The families and the runtime
//! of each family to suggest are data too.

use crate::date::Date;

/// One managed runtime; dates are `YYYY-MM-DD`, empty when not announced.
pub struct Runtime {
    pub id: &'static str,
    /// No more patches or support; functions may still be created.
    pub deprecated: &'static str,
    /// Lambda refuses new functions on it (AWS's "Block function create").
    pub create_blocked: &'static str,
    /// Lambda refuses updates too (AWS's "Block function update").
    pub update_blocked: &'static str,
}

const fn runtime(
    id: &'static str,
    deprecated: &'static str,
    create_blocked: &'static str,
    update_blocked: &'static str,
) -> Runtime {
    Runtime { id, deprecated, create_blocked, update_blocked }
}

/// Newest first within each family, as the suggestions read it. Creation
/// block dates: AWS's table as cfn-lint issue #4531 (nodejs20.x), AWS
/// re:Post (python3.9, both 2026) and cfn-lint's LmbdRuntimeLifecycle.json
/// (the 2024 blocks) quote it; where none is quoted the update block stands.
pub const RUNTIMES: &[Runtime] = &[
    runtime("nodejs24.x", "2028-04-30", "", "2028-07-01"),
    runtime("nodejs22.x", "2027-04-30", "", "2027-07-01"),
    runtime("nodejs20.x", "2026-04-30", "2027-02-01", "2027-03-03"),
    runtime("nodejs18.x", "2025-09-01", "", "2027-03-03"),
    runtime("nodejs16.x", "2024-06-12", "", "2027-03-03"),
    runtime("nodejs14.x", "2023-12-04", "2024-01-09", "2027-03-03"),
    runtime("python3.14", "2029-06-30", "", ""),
    runtime("python3.13", "2029-06-30", "", ""),
    runtime("python3.12", "2028-10-31", "", ""),
    runtime("python3.11", "2027-06-30", "", ""),
    runtime("python3.10", "2026-10-31", "", "2027-03-03"),
    runtime("python3.9", "2025-12-15", "2027-02-01", "2027-03-03"),
    runtime("python3.8", "2024-10-14", "", "2027-03-03"),
    runtime("python3.7", "2023-12-04", "2024-01-09", "2027-03-03"),
    runtime("java25", "2029-06-30", "", ""),
    runtime("java21", "2029-06-30", "", ""),
    runtime("java17.al2023", "2029-06-30", "", ""),
    runtime("java11.al2023", "2029-06-30", "", ""),
    runtime("java8.al2023", "2029-06-30", "", ""),
    runtime("java17", "2027-06-30", "", ""),
    runtime("java11", "2027-06-30", "", ""),
    runtime("java8.al2", "2027-06-30", "", ""),
    runtime("java8", "2024-01-08", "2024-02-08", "2027-03-03"),
    runtime("dotnet10", "2028-11-14", "", ""),
    runtime("dotnet8", "2026-11-10", "", "2027-03-03"),
    runtime("dotnet6", "2024-12-20", "", "2027-03-03"),
    runtime("ruby4.0", "2029-03-31", "", ""),
    runtime("ruby3.4", "2028-03-31", "", ""),
    runtime("ruby3.3", "2027-03-31", "", ""),
    runtime("ruby3.2", "2026-03-31", "", "2027-03-03"),
    runtime("ruby2.7", "2023-12-07", "2024-01-09", "2027-03-03"),
    runtime("provided.al2023", "2029-06-30", "", ""),
    runtime("provided.al2", "2026-07-31", "", "2027-03-03"),
    runtime("provided", "2024-01-08", "2024-02-08", "2027-03-03"),
    runtime("go1.x", "2024-01-08", "2024-02-08", "2027-03-03"),
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

/// A runtime identifier's family: the word before its version, with the
/// runtimes that run a language on an OS-only runtime mapped to `provided`
/// (Go), and .NET Core to `dotnet`.
pub fn family(runtime: &str) -> &str {
    let word = runtime.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
    match word {
        "go" => "provided",
        "dotnetcore" => "dotnet",
        other => other,
    }
}

/// The oldest release of the Terraform AWS provider (`hashicorp/aws`) whose
/// `aws_lambda_function` accepts each runtime of [`RUNTIMES`]. The provider checks `runtime` against the runtimes of the AWS SDK
/// it is built with, so an older release fails `terraform validate`
/// ("expected runtime to be one of [...]"); the Terraform output's
/// `required_providers` asks for the newest of these among the app's
/// runtimes. "5.0", the oldest release the output targets, already takes
/// the runtimes marked so.
///
/// From terraform-provider-aws `CHANGELOG.md` ("resource/aws_lambda_function:
/// Add support for `X` `runtime` value") unless noted:
/// - ruby3.2 5.2.0 (#31842); python3.11 5.11.0 (#32729); nodejs20.x and
///   provided.al2023 5.26.0 (#34401); java21 and python3.12 5.27.0 (#34476,
///   #34533); ruby3.3 5.44.0 (#36751).
/// - python3.13 5.76.0 and nodejs22.x 5.77.0: the first releases after the
///   SDK listed them (2024-11-11, 2024-11-20), both documented by #40277;
///   5.75.1 still rejects python3.13 (#40107). The CHANGELOG sections
///   themselves were not seen.
/// - ruby3.4 5.93.0: it needs the SDK of 2025-03-19, brought in by #41963
///   after 5.92.0 (#42051; entry #42052).
/// - nodejs24.x 6.19.0, java25 and python3.14 6.20.0: the releases #45024
///   tested and documented.
/// - dotnet10 6.27.0: the first release with the SDK of 2025-12-11 (#45864).
/// - dotnet8 has no entry. The SDK listed it from 2024-02-20; 5.75.1 is the
///   oldest release seen accepting it (its error message in #40107 lists it).
/// - `None`: no release is known to accept it: ruby4.0 (SDK of 2026-04-22;
///   #47841 adds its entry without naming the release) and the java*.al2023
///   runtimes (released 2026-07-31).
///
/// Provider 5.100.0 rejects exactly the runtimes named here after it or
/// `None`; `tests/emit_terraform.rs` checks that against the local provider
/// where one is installed.
pub const TERRAFORM_AWS_PROVIDER: &[(&str, Option<&str>)] = &[
    ("nodejs24.x", Some("6.19.0")),
    ("nodejs22.x", Some("5.77.0")),
    ("nodejs20.x", Some("5.26.0")),
    ("nodejs18.x", Some("5.0")),
    ("python3.14", Some("6.20.0")),
    ("python3.13", Some("5.76.0")),
    ("python3.12", Some("5.27.0")),
    ("python3.11", Some("5.11.0")),
    ("python3.10", Some("5.0")),
    ("python3.9", Some("5.0")),
    ("java25", Some("6.20.0")),
    ("java21", Some("5.27.0")),
    ("java17", Some("5.0")),
    ("java11", Some("5.0")),
    ("java8.al2", Some("5.0")),
    ("java17.al2023", None),
    ("java11.al2023", None),
    ("java8.al2023", None),
    ("dotnet10", Some("6.27.0")),
    ("dotnet8", Some("5.75.1")),
    ("ruby4.0", None),
    ("ruby3.4", Some("5.93.0")),
    ("ruby3.3", Some("5.44.0")),
    ("ruby3.2", Some("5.2.0")),
    ("provided.al2023", Some("5.26.0")),
    ("provided.al2", Some("5.0")),
    ("dotnet6", Some("5.0")),
    ("python3.8", Some("5.0")),
    ("nodejs16.x", Some("5.0")),
    ("java8", Some("5.0")),
    ("go1.x", Some("5.0")),
    ("provided", Some("5.0")),
    ("ruby2.7", Some("5.0")),
    ("python3.7", Some("5.0")),
    ("nodejs14.x", Some("5.0")),
];

/// The runtimes Lambda offers SnapStart on: "Java 11 and later, Python
/// 3.12 and later, .NET 8 and later"; not other managed runtimes, OS-only
/// runtimes or container images (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html,
/// "Supported features and limitations"; Python and .NET since November
/// 2024). The `java*.al2023` runtimes run Java 11 and 17 too. The one
/// place that says which runtime has it: the rule (LF3075), its help and
/// the reference read it here.
pub const SNAPSTART: &[&str] = &[
    "java25",
    "java21",
    "java17.al2023",
    "java11.al2023",
    "java17",
    "java11",
    "python3.14",
    "python3.13",
    "python3.12",
    "dotnet10",
    "dotnet8",
];

/// Whether Lambda offers SnapStart on `runtime`.
pub fn snapstart(runtime: &str) -> bool {
    SNAPSTART.contains(&runtime)
}

/// Whether `runtime` is an identifier Lambda has had (a layer may list
/// runtimes Lambda no longer takes for new functions).
pub fn is_known(runtime: &str) -> bool {
    RUNTIMES.iter().any(|r| r.id == runtime) || BLOCKED.contains(&runtime)
}

pub enum Status {
    Supported,
    /// The block days ("" when not announced) say what comes next.
    Deprecated {
        since: &'static str,
        create_blocked: &'static str,
        update_blocked: &'static str,
    },
    /// Lambda refuses new functions on it (since the day, if the table has one).
    Blocked {
        since: Option<&'static str>,
    },
    Unknown,
}

/// The status of `runtime` on `today`.
pub fn status(runtime: &str, today: Date) -> Status {
    if BLOCKED.contains(&runtime) {
        return Status::Blocked { since: None };
    }
    let Some(entry) = RUNTIMES.iter().find(|r| r.id == runtime) else {
        return Status::Unknown;
    };
    // An empty day is none: not parsed (its error would be formatted).
    let reached = |day: &'static str| !day.is_empty() && Date::parse(day).is_ok_and(|day| today >= day);
    if let Some(since) = [entry.create_blocked, entry.update_blocked].into_iter().find(|day| reached(day)) {
        Status::Blocked { since: Some(since) }
    } else if reached(entry.deprecated) {
        Status::Deprecated {
            since: entry.deprecated,
            create_blocked: entry.create_blocked,
            update_blocked: entry.update_blocked,
        }
    } else {
        Status::Supported
    }
}

/// The runtime to suggest instead of `runtime` on `today`: the newest of
/// its family that is supported, else the newest Lambda still accepts;
/// `None` for a family Lambda does not have.
pub fn suggestion(runtime: &str, today: Date) -> Option<&'static str> {
    let family = family(runtime);
    let members = || RUNTIMES.iter().filter(|r| self::family(r.id) == family);
    members()
        .find(|r| matches!(status(r.id, today), Status::Supported))
        .or_else(|| members().find(|r| matches!(status(r.id, today), Status::Deprecated { .. })))
        .map(|r| r.id)
}

/// One runtime per family that is supported on `today`, for a runtime
/// whose family is unknown.
pub fn one_per_family(today: Date) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for entry in RUNTIMES {
        let new_family = out.iter().all(|id| family(id) != family(entry.id));
        if new_family {
            out.extend(suggestion(entry.id, today));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapstart_runtimes_are_runtimes_of_the_table() {
        for id in SNAPSTART {
            assert!(RUNTIMES.iter().any(|r| r.id == *id), "{id} is not in RUNTIMES");
        }
        assert!(snapstart("java21") && snapstart("python3.12") && snapstart("dotnet8"));
        assert!(!snapstart("java8.al2") && !snapstart("python3.11") && !snapstart("nodejs22.x"));
    }

    fn day(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    #[test]
    fn every_date_in_the_table_is_a_day() {
        for r in RUNTIMES {
            for date in [r.deprecated, r.create_blocked, r.update_blocked].into_iter().filter(|d| !d.is_empty()) {
                assert!(Date::parse(date).is_ok(), "{}: {date}", r.id);
            }
            let order = [r.deprecated, r.create_blocked, r.update_blocked];
            let dates: Vec<&str> = order.into_iter().filter(|d| !d.is_empty()).collect();
            assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{}: deprecated, create block, update block", r.id);
        }
    }

    #[test]
    fn creation_blocks_count_from_their_day() {
        assert!(matches!(status("ruby2.7", day("2024-01-08")), Status::Deprecated { .. }));
        assert!(matches!(status("ruby2.7", day("2024-01-09")), Status::Blocked { since: Some("2024-01-09") }));
        assert!(matches!(status("python3.9", day("2027-01-31")), Status::Deprecated { .. }));
        assert!(matches!(status("python3.9", day("2027-02-01")), Status::Blocked { .. }));
        assert!(matches!(status("python3.12", day("2026-08-16")), Status::Supported));
    }

    #[test]
    fn suggestions_stay_in_the_family() {
        let today = day("2026-08-16");
        for (runtime, family) in [
            ("nodejs18.x", "nodejs"),
            ("nodejs", "nodejs"),
            ("python3.7", "python"),
            ("ruby2.7", "ruby"),
            ("java8", "java"),
            ("dotnetcore3.1", "dotnet"),
            ("go1.x", "provided"),
            ("provided", "provided"),
            ("python3.21", "python"),
        ] {
            let suggested = suggestion(runtime, today).unwrap_or_else(|| panic!("{runtime}: a suggestion"));
            assert!(suggested.starts_with(family), "{runtime} → {suggested}");
            assert!(matches!(status(suggested, today), Status::Supported), "{suggested} is supported");
        }
        assert_eq!(suggestion("nodejs18.x", today), Some("nodejs24.x"));
        assert_eq!(suggestion("cobol1.0", today), None);
        assert_eq!(one_per_family(today).len(), 6, "{:?}", one_per_family(today));
    }

    /// A runtime added to the table must say which provider release takes
    /// it, or the Terraform output would ask for a provider that rejects it.
    #[test]
    fn every_runtime_names_its_terraform_provider() {
        let mut runtimes: Vec<&str> = RUNTIMES.iter().map(|r| r.id).collect();
        let mut named: Vec<&str> = TERRAFORM_AWS_PROVIDER.iter().map(|(id, _)| *id).collect();
        runtimes.sort_unstable();
        named.sort_unstable();
        assert_eq!(runtimes, named, "RUNTIMES and TERRAFORM_AWS_PROVIDER list the same runtimes");
        for (id, version) in TERRAFORM_AWS_PROVIDER {
            if let Some(version) = version {
                let parts: Vec<&str> = version.split('.').collect();
                assert!(
                    (2..=3).contains(&parts.len()) && parts.iter().all(|p| p.parse::<u32>().is_ok()),
                    "{id}: `{version}` is not a release number"
                );
            }
        }
    }
}
