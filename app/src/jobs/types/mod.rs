//! Job types shared by the browser and the server, one file per area: the list and
//! its filters, the job form and its validation, a job's page (tasks, notes,
//! history), and share links.

mod detail;
mod form;
mod list;
mod share;

pub use detail::*;
pub use form::*;
pub use list::*;
pub use share::*;

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn form() -> JobForm {
        JobForm {
            customer_id: Uuid::new_v4().to_string(),
            title: "Fix the gate".into(),
            status_id: Uuid::new_v4().to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_job_is_valid_and_unscheduled() {
        let valid = form().validate().unwrap();
        assert_eq!((valid.scheduled, valid.worker_id, valid.tasks.len()), (None, None, 0));
    }

    #[test]
    fn dates_and_times_are_checked_and_a_date_alone_means_eight_oclock() {
        let mut f = form();
        f.scheduled_date = "2026-05-14".into();
        let (date, time) = f.validate().unwrap().scheduled.unwrap();
        assert_eq!((date.to_string(), time.to_string()), ("2026-05-14".into(), "08:00:00".into()));

        for (date, time, field) in [
            ("2026-02-30", "", "scheduled_date"),
            ("14/05/2026", "", "scheduled_date"),
            ("1999-12-31", "", "scheduled_date"),
            ("2026-05-14", "25:00", "scheduled_time"),
            ("", "09:00", "scheduled_time"),
        ] {
            let mut f = form();
            f.scheduled_date = date.into();
            f.scheduled_time = time.into();
            let errors = f.validate().unwrap_err();
            assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), [field], "{date} {time}");
        }
    }

    #[test]
    fn bad_input_names_every_field() {
        let f = JobForm {
            customer_id: "nope".into(),
            title: " ".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            worker_id: "nobody".into(),
            status_id: "".into(),
            tasks: vec!["ok".into(), "t".repeat(TASK_TITLE_MAX + 1)],
            ..Default::default()
        };
        let fields: Vec<_> = f.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["customer_id", "title", "description", "worker_id", "status_id", "tasks"]);
    }

    #[test]
    fn list_filters_round_trip_through_the_url() {
        let query = JobListQuery {
            status: Some(Uuid::new_v4()),
            archived: true,
            search: "gate & fence".into(),
            sort: JobSort::Title,
            ..Default::default()
        };
        let qs = query.to_query_string();
        assert!(qs.contains("q=gate%20%26%20fence"));
        let params: Vec<(String, String)> = qs[1..]
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_string(), v.replace("%20", " ").replace("%26", "&"))
            })
            .collect();
        let back = JobListQuery::from_params(|k| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
        assert_eq!(back, query);
        assert_eq!(JobListQuery::default().to_query_string(), "");
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn cursors_survive_keys_with_the_separator() {
        let cursor = JobCursor { key: "fix ~ fence".into(), id: Uuid::new_v4() };
        assert_eq!(JobCursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(JobCursor::decode("no-id"), None);
    }

    #[test]
    fn searches_split_into_lowercase_words() {
        assert_eq!(search_words("  Boiler-SERVICE, boiler 2026 "), ["boiler", "service", "2026"]);
        assert_eq!(search_words("100%_"), ["100"]);
        assert!(search_words("%_ -").is_empty());
    }

    #[test]
    fn share_days_default_and_bounds() {
        assert_eq!(parse_share_days(""), Ok(30));
        assert_eq!(parse_share_days("7"), Ok(7));
        assert!(parse_share_days("0").is_err());
        assert!(parse_share_days("366").is_err());
        assert!(parse_share_days("soon").is_err());
    }
}
