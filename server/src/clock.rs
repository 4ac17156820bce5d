//! Timezones, month ranges and the date labels pages and emails show. A leaf: it
//! knows chrono and the IANA names, nothing of the database or the viewer.
//!
//! Times are stored in UTC. Calendars (which day a job is on, which month a log
//! belongs to) follow the company's timezone; labels a person reads follow theirs.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A stored timezone name chrono does not know. The schema only admits names
/// PostgreSQL knows and the forms only offer names both know, so this is a bug to
/// report, never a reason to read times in UTC instead.
#[derive(Debug, thiserror::Error)]
#[error("unknown timezone {0:?} in the database")]
pub struct UnknownTimezone(pub String);

/// The timezone stored under `name`.
pub fn timezone(name: &str) -> Result<Tz, UnknownTimezone> {
    name.parse().map_err(|_| UnknownTimezone(name.to_string()))
}

/// A local date and time in `tz` as UTC. A wall-clock time inside a daylight-saving
/// gap does not exist; it is moved forward by the gap (02:30 becomes 03:30).
pub fn local_to_utc(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    (0..4)
        .find_map(|hours| tz.from_local_datetime(&(local + Duration::hours(hours))).earliest())
        .map(|dt| dt.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The first instant of `day` in `tz` and of the day after, as UTC.
pub fn day_range(tz: Tz, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (local_to_utc(tz, day, NaiveTime::MIN), local_to_utc(tz, day + Duration::days(1), NaiveTime::MIN))
}

/// Today's date in `tz`.
pub fn today(tz: Tz) -> NaiveDate {
    Utc::now().with_timezone(&tz).date_naive()
}

/// First instant of the month and of the next one, in `tz`, as UTC. Daylight-saving
/// changes move the UTC offset of the two ends, never the calendar month.
pub fn month_range(tz: Tz, year: i32, month: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap_or_default();
    (local_to_utc(tz, first, NaiveTime::MIN), local_to_utc(tz, next, NaiveTime::MIN))
}

/// The calendar month (first day) that `at` falls in, in `tz`.
pub fn month_of(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    let local = at.with_timezone(&tz).date_naive();
    local.with_day(1).unwrap_or(local)
}

/// "November 2026".
pub fn month_label(first: NaiveDate) -> String {
    first.format("%B %Y").to_string()
}

/// "Mon 3 Nov 2026".
pub fn date_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y").to_string()
}

/// "3 Nov 2026, 14:05": when something happened.
pub fn at_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%-d %b %Y, %H:%M").to_string()
}

/// "Tue 5 May 2026, 09:30": when something is planned (a job's visit, an expiry).
pub fn schedule_label(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string()
}

/// "09:00–11:30" ("09:00–now" while running).
pub fn time_label(start: DateTime<Utc>, end: Option<DateTime<Utc>>, tz: Tz) -> String {
    let start_local = start.with_timezone(&tz);
    match end {
        Some(end) => {
            let end_local = end.with_timezone(&tz);
            let next_day = if end_local.date_naive() != start_local.date_naive() { " (+1 day)" } else { "" };
            format!("{}–{}{next_day}", start_local.format("%H:%M"), end_local.format("%H:%M"))
        }
        None => format!("{}–now", start_local.format("%H:%M")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Tz {
        timezone("Europe/Berlin").unwrap()
    }

    #[test]
    fn an_unknown_name_is_an_error_not_utc() {
        assert!(timezone("Mars/Olympus_Mons").is_err());
        assert!(timezone("").is_err());
        assert_eq!(timezone("UTC").unwrap(), chrono_tz::UTC);
    }

    #[test]
    fn local_times_become_utc_across_daylight_saving() {
        let at = |d: &str, t: &str| {
            local_to_utc(
                berlin(),
                NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
                NaiveTime::parse_from_str(t, "%H:%M").unwrap(),
            )
            .to_rfc3339()
        };
        assert_eq!(at("2026-01-15", "09:00"), "2026-01-15T08:00:00+00:00");
        assert_eq!(at("2026-07-15", "09:00"), "2026-07-15T07:00:00+00:00");
        // 02:30 on 29 March 2026 does not exist in Berlin: the clock jumps to 03:00.
        assert_eq!(at("2026-03-29", "02:30"), "2026-03-29T01:30:00+00:00");
    }

    #[test]
    fn berlin_months_follow_daylight_saving() {
        // March 2026: starts in CET (+1), ends in CEST (+2).
        let (from, to) = month_range(berlin(), 2026, 3);
        assert_eq!(from.to_rfc3339(), "2026-02-28T23:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-03-31T22:00:00+00:00");
        // October 2026: starts in CEST, ends in CET.
        let (from, to) = month_range(berlin(), 2026, 10);
        assert_eq!(from.to_rfc3339(), "2026-09-30T22:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-10-31T23:00:00+00:00");
    }

    #[test]
    fn new_york_months_follow_daylight_saving() {
        let tz = timezone("America/New_York").unwrap();
        let (from, to) = month_range(tz, 2026, 11);
        assert_eq!(from.to_rfc3339(), "2026-11-01T04:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-01T05:00:00+00:00");
        let (from, _) = month_range(tz, 2026, 12);
        assert_eq!(from.to_rfc3339(), "2026-12-01T05:00:00+00:00");
    }

    #[test]
    fn the_month_of_an_instant_is_local() {
        let tz = timezone("America/New_York").unwrap();
        let at: DateTime<Utc> = "2026-12-01T03:00:00Z".parse().unwrap();
        assert_eq!(month_of(at, tz), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    }

    #[test]
    fn a_day_across_the_autumn_change_has_25_hours() {
        let (from, to) = day_range(berlin(), NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!((to - from).num_hours(), 25);
    }

    #[test]
    fn labels_read_in_the_given_timezone() {
        let at: DateTime<Utc> = "2026-05-05T07:30:00Z".parse().unwrap();
        assert_eq!(schedule_label(at, berlin()), "Tue 5 May 2026, 09:30");
        assert_eq!(at_label(at, berlin()), "5 May 2026, 09:30");
        assert_eq!(date_label(at, berlin()), "Tue 5 May 2026");
        let end: DateTime<Utc> = "2026-05-05T23:00:00Z".parse().unwrap();
        assert_eq!(time_label(at, Some(end), berlin()), "09:30–01:00 (+1 day)");
    }
}
