//! A calendar day (`YYYY-MM-DD`) as plain data: the day the runtime table
//! is read for. It is an input of `check` like the sources: the caller
//! (`cli`, `lsp`) takes it from `--today`, `LAMBDAFORM_TODAY` or the clock;
//! nothing below them reads the clock.

use std::fmt;

/// One day; ordered as the calendar is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// `2026-08-16`: four digits, two, two, a day the calendar has.
    pub fn parse(text: &str) -> Result<Date, String> {
        let invalid = || format!("`{text}` is not a date written YYYY-MM-DD");
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return Err(invalid());
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().map_err(|_| invalid());
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month as u8) as u16 {
            return Err(format!("`{text}` is not a day of the calendar"));
        }
        Ok(Date { year, month: month as u8, day: day as u8 })
    }

    /// The UTC day `seconds` after 1970-01-01 (civil-from-days).
    pub fn from_unix_seconds(seconds: u64) -> Date {
        let days = (seconds / 86_400) as i64 + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date { year: year.clamp(0, 9999) as u16, month: month as u8, day: day as u8 }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn parses_days_of_the_calendar_only() {
        assert_eq!(Date::parse("2026-08-16").map(|d| d.to_string()), Ok("2026-08-16".to_string()));
        assert!(Date::parse("2028-02-29").is_ok(), "a leap day");
        for bad in ["2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-8-16", "20260816", "2026-08-16 "] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        assert!(Date::parse("2026-08-16") < Date::parse("2027-01-01"));
    }

    #[test]
    fn counts_days_from_the_epoch() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_seconds(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix_seconds(1_786_838_400).to_string(), "2026-08-16");
    }
}
