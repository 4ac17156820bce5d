//! Time tracking types shared by the browser and the server, one file per area:
//! work logs and their listing, the entry form and its validation, approvals,
//! contracts and reports.

mod approvals;
mod contracts;
mod entries;
mod logs;
mod reports;

pub use approvals::*;
pub use contracts::*;
pub use entries::*;
pub use logs::*;
pub use reports::*;

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn form() -> LogForm {
        LogForm {
            job_id: Uuid::nil().to_string(),
            date: "2026-11-03".into(),
            start: "09:00".into(),
            end: "11:30".into(),
            duration: String::new(),
            break_minutes: "15".into(),
            description: "Fixed the pump".into(),
            billable: true,
        }
    }

    #[test]
    fn a_valid_entry_has_its_span() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.span_minutes(), 150);
        assert_eq!(valid.break_minutes, 15);
    }

    #[test]
    fn end_before_start_names_the_end() {
        let errors = LogForm { end: "08:00".into(), ..form() }.validate().unwrap_err();
        assert_eq!(errors[0].field, "end");
    }

    #[test]
    fn durations_parse_in_several_forms() {
        assert_eq!(parse_duration("1:30"), Ok(90));
        assert_eq!(parse_duration("1.5"), Ok(90));
        assert_eq!(parse_duration("1,25"), Ok(75));
        assert_eq!(parse_duration("45m"), Ok(45));
        assert_eq!(parse_duration("2h"), Ok(120));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("25").is_err());
        assert!(parse_duration("NaN").is_err());
    }

    #[test]
    fn a_break_as_long_as_the_work_is_refused() {
        let errors = LogForm { break_minutes: "150".into(), ..form() }.validate().unwrap_err();
        assert_eq!(errors[0].field, "break_minutes");
    }

    #[test]
    fn budget_levels() {
        assert_eq!(BudgetLevel::of(79, 100), BudgetLevel::Ok);
        assert_eq!(BudgetLevel::of(80, 100), BudgetLevel::Warning);
        assert_eq!(BudgetLevel::of(100, 100), BudgetLevel::Exceeded);
    }

    #[test]
    fn months_parse() {
        assert_eq!(parse_month("2026-03"), Ok((2026, 3)));
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("march").is_err());
    }

    #[test]
    fn minutes_format() {
        assert_eq!(format_minutes(125), "2:05");
        assert_eq!(format_elapsed(3725), "1:02:05");
    }
}
