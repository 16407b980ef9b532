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

/// The oldest release of the Terraform AWS provider (`hashicorp/aws`) whose
/// `aws_lambda_function` accepts each runtime of [`RUNTIMES`], in the same
/// order. The provider checks `runtime` against the runtimes of the AWS SDK
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A runtime added to the table must say which provider release takes
    /// it, or the Terraform output would ask for a provider that rejects it.
    #[test]
    fn every_runtime_names_its_terraform_provider() {
        let runtimes: Vec<&str> = RUNTIMES.iter().map(|(id, _, _)| *id).collect();
        let named: Vec<&str> = TERRAFORM_AWS_PROVIDER.iter().map(|(id, _)| *id).collect();
        assert_eq!(runtimes, named, "RUNTIMES and TERRAFORM_AWS_PROVIDER list the same runtimes, in the same order");
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
