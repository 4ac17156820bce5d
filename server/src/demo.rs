//! Demo data: two companies with admins, workers, customers (with logins),
//! statuses, jobs in every state, tasks and notes — created through the same
//! services the app uses, so it obeys every rule real data does.

use crate::auth::{service, ClientInfo, CurrentUser};
use crate::config::Environment;
use crate::state::AppState;
use anyhow::{bail, Context};
use app::auth::{Role, SignUpForm};
use app::customers::CustomerForm;
use app::jobs::{JobForm, NoteForm};
use app::statuses::StatusForm;
use app::users::NewUserForm;
use chrono::{Duration, Utc};
use chrono_tz::Tz;

/// Printed with the logins; demo data is refused in production.
pub const DEMO_PASSWORD: &str = "demo-fieldbook-2026";

pub struct DemoLogin {
    pub company: String,
    pub login_url: String,
    pub role: Role,
    pub name: String,
    pub email: String,
}

struct Customer {
    name: &'static str,
    email: &'static str,
    phone: &'static str,
    address: &'static str,
    /// A customer login linked to this record.
    login: Option<(&'static str, &'static str)>,
}

struct Job {
    title: &'static str,
    description: &'static str,
    customer: usize,
    worker: Option<usize>,
    status: &'static str,
    /// Days from today (company calendar) and start time; None = not scheduled.
    when: Option<(i64, &'static str)>,
    tasks: &'static [&'static str],
    /// How many of the tasks are ticked (by the worker).
    ticked: usize,
    /// (text, visible to the customer, written by the worker)
    notes: &'static [(&'static str, bool, bool)],
    archived: bool,
}

struct Company {
    name: &'static str,
    slug: &'static str,
    timezone: &'static str,
    admin: (&'static str, &'static str),
    workers: &'static [(&'static str, &'static str)],
    /// Extra statuses beyond the defaults: (name, colour, kind).
    statuses: &'static [(&'static str, &'static str, &'static str)],
    customers: &'static [Customer],
    jobs: &'static [Job],
}

const NORTHWIND: Company = Company {
    name: "Northwind Plumbing & Heating",
    slug: "northwind",
    timezone: "Europe/Berlin",
    admin: ("Alice Meyer", "alice@northwind.example"),
    workers: &[("Walter Brandt", "walter@northwind.example"), ("Wanda Keller", "wanda@northwind.example")],
    statuses: &[("Waiting for parts", "#9333ea", "IN_PROGRESS")],
    customers: &[
        Customer {
            name: "Harbour Café",
            email: "owner@harbourcafe.example",
            phone: "+49 40 555 0101",
            address: "Kaistraße 4, 20457 Hamburg",
            login: Some(("Carla Jensen", "carla@harbourcafe.example")),
        },
        Customer {
            name: "Greenfield Primary School",
            email: "facilities@greenfield.example",
            phone: "+49 40 555 0199",
            address: "Schulweg 12, 22085 Hamburg",
            login: Some(("Gregor Falk", "gregor@greenfield.example")),
        },
        Customer {
            name: "Ingrid Olsen",
            email: "ingrid.olsen@example.com",
            phone: "+49 170 555 0123",
            address: "Lindenallee 7, 22303 Hamburg",
            login: None,
        },
    ],
    jobs: &[
        Job {
            title: "Replace leaking espresso machine valve",
            description: "The water inlet valve under the counter drips. Café opens at 07:30; come before or after the morning rush.",
            customer: 0,
            worker: Some(0),
            status: "In progress",
            when: Some((0, "09:00")),
            tasks: &["Shut off the water supply", "Replace the inlet valve", "Pressure test", "Clean up the counter area"],
            ticked: 2,
            notes: &[
                ("Parts are in the van. Key is with the barista.", false, false),
                ("We'll be done before lunch; the machine stays off until the test passes.", true, true),
            ],
            archived: false,
        },
        Job {
            title: "Annual boiler service",
            description: "Gas boiler in the basement, service log on the wall. Check the flue and the expansion vessel.",
            customer: 1,
            worker: Some(0),
            status: "Scheduled",
            when: Some((0, "13:30")),
            tasks: &["Check flue gas", "Inspect expansion vessel", "Fill in the service log"],
            ticked: 0,
            notes: &[("Caretaker Mr. Falk opens the basement.", true, false)],
            archived: false,
        },
        Job {
            title: "Install outdoor tap",
            description: "New frost-proof tap on the garden side, next to the terrace door.",
            customer: 2,
            worker: Some(1),
            status: "Scheduled",
            when: Some((2, "10:00")),
            tasks: &["Drill through the wall", "Fit the frost-proof tap", "Seal and test"],
            ticked: 0,
            notes: &[],
            archived: false,
        },
        Job {
            title: "Radiators cold in classroom 3",
            description: "Two radiators stay cold. Probably air in the system or a stuck thermostat valve.",
            customer: 1,
            worker: Some(1),
            status: "Waiting for parts",
            when: Some((-1, "08:00")),
            tasks: &["Bleed the radiators", "Check thermostat valves", "Replace the faulty valve head"],
            ticked: 2,
            notes: &[
                ("Valve head for a Danfoss RA-N ordered, arrives Thursday.", false, true),
                ("We are waiting for a replacement part; the room is usable with the other radiator.", true, true),
            ],
            archived: false,
        },
        Job {
            title: "Quote for bathroom renovation",
            description: "Customer wants a walk-in shower instead of the bath. Measure up and prepare a quote.",
            customer: 2,
            worker: None,
            status: "New",
            when: None,
            tasks: &[],
            ticked: 0,
            notes: &[("She prefers visits after 16:00.", false, false)],
            archived: false,
        },
        Job {
            title: "Descale water heater",
            description: "Undersink water heater in the café kitchen.",
            customer: 0,
            worker: Some(0),
            status: "Done",
            when: Some((-6, "15:00")),
            tasks: &["Descale the heating element", "Replace the anode"],
            ticked: 2,
            notes: &[("All done, works as new.", true, true)],
            archived: false,
        },
        Job {
            title: "Fix dripping tap in staff room",
            description: "",
            customer: 1,
            worker: Some(1),
            status: "Done",
            when: Some((-20, "09:00")),
            tasks: &["Replace the cartridge"],
            ticked: 1,
            notes: &[],
            archived: true,
        },
    ],
};

const BRIGHT_SPARKS: Company = Company {
    name: "Bright Sparks Electrical",
    slug: "brightsparks",
    timezone: "America/New_York",
    admin: ("Bob Carter", "bob@brightsparks.example"),
    workers: &[("Eli Turner", "eli@brightsparks.example")],
    statuses: &[],
    customers: &[Customer {
        name: "Maple Street Bakery",
        email: "hello@maplebakery.example",
        phone: "+1 212 555 0147",
        address: "81 Maple St, Brooklyn, NY",
        login: Some(("Mia Lopez", "mia@maplebakery.example")),
    }],
    jobs: &[
        Job {
            title: "Rewire walk-in cooler",
            description: "Cooler trips the breaker twice a week.",
            customer: 0,
            worker: Some(0),
            status: "In progress",
            when: Some((0, "07:00")),
            tasks: &["Measure load", "Install dedicated circuit", "Label the panel"],
            ticked: 1,
            notes: &[("Panel is behind the flour sacks.", false, true)],
            archived: false,
        },
        Job {
            title: "Add outlets behind the counter",
            description: "Two double outlets for the new display fridge.",
            customer: 0,
            worker: Some(0),
            status: "Scheduled",
            when: Some((3, "14:00")),
            tasks: &["Run cable", "Mount outlets"],
            ticked: 0,
            notes: &[],
            archived: false,
        },
        Job {
            title: "Replace emergency exit sign",
            description: "",
            customer: 0,
            worker: None,
            status: "Done",
            when: Some((-10, "10:00")),
            tasks: &[],
            ticked: 0,
            notes: &[],
            archived: false,
        },
    ],
};

/// Seeds both demo companies; refuses in production or when they already exist.
pub async fn seed(state: &AppState) -> anyhow::Result<Vec<DemoLogin>> {
    if state.settings.environment == Environment::Production {
        bail!("demo data is not loaded in production (its passwords are public)");
    }
    let mut logins = Vec::new();
    for plan in [&NORTHWIND, &BRIGHT_SPARKS] {
        if service::company_by_slug(&state.pool, plan.slug).await?.is_some() {
            bail!("the demo company '{}' already exists; demo data was loaded before", plan.slug);
        }
        seed_company(state, plan, &mut logins).await.with_context(|| format!("seeding {}", plan.name))?;
    }
    Ok(logins)
}

async fn seed_company(state: &AppState, plan: &Company, logins: &mut Vec<DemoLogin>) -> anyhow::Result<()> {
    let login_url = format!("{}/{}/login", state.settings.base_url.trim_end_matches('/'), plan.slug);
    let mut login = |role: Role, name: &str, email: &str| {
        logins.push(DemoLogin {
            company: plan.name.into(),
            login_url: login_url.clone(),
            role,
            name: name.into(),
            email: email.into(),
        })
    };
    let client = ClientInfo { ip: None, user_agent: Some("Fieldbook demo data".into()) };
    let (admin_session, _) = crate::onboarding::sign_up(
        state,
        SignUpForm {
            company_name: plan.name.into(),
            slug: plan.slug.into(),
            timezone: plan.timezone.into(),
            admin_name: plan.admin.0.into(),
            email: plan.admin.1.into(),
            password: DEMO_PASSWORD.into(),
        },
        &client,
    )
    .await?;
    login(Role::Admin, plan.admin.0, plan.admin.1);
    let company_id = admin_session.company.id;
    crate::account_emails::verification::trust_address(&state.pool, company_id, admin_session.user_id).await?;
    let admin = CurrentUser::trusted(admin_session.user_id, company_id, Role::Admin);

    let mut workers = Vec::new();
    for (name, email) in plan.workers {
        let user = crate::users::create(state, &admin, user_form(name, email, "WORKER", ""), None).await?;
        workers.push(CurrentUser::trusted(user.id, company_id, Role::Worker));
        login(Role::Worker, name, email);
    }
    for (name, colour, kind) in plan.statuses {
        crate::statuses::create(
            state,
            &admin,
            StatusForm { name: (*name).into(), colour: (*colour).into(), kind: (*kind).into() },
        )
        .await?;
    }
    let statuses = crate::statuses::list(state, &admin).await?;
    let status_id = |name: &str| statuses.iter().find(|s| s.name == name).map(|s| s.id).context("unknown status");

    let mut customers = Vec::new();
    for c in plan.customers {
        let record = crate::customers::create(
            state,
            &admin,
            CustomerForm {
                name: c.name.into(),
                email: c.email.into(),
                phone: c.phone.into(),
                address: c.address.into(),
            },
            None,
        )
        .await?;
        if let Some((name, email)) = c.login {
            crate::users::create(state, &admin, user_form(name, email, "CUSTOMER", &record.id.to_string()), None)
                .await?;
            login(Role::Customer, name, email);
        }
        customers.push(record.id);
    }

    let tz: Tz = plan.timezone.parse().context("demo timezone")?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    for job in plan.jobs {
        let (date, time) = job
            .when
            .map(|(days, time)| ((today + Duration::days(days)).format("%Y-%m-%d").to_string(), time.to_string()))
            .unwrap_or_default();
        let created = crate::jobs::create(
            state,
            &admin,
            JobForm {
                customer_id: customers[job.customer].to_string(),
                title: job.title.into(),
                description: job.description.into(),
                scheduled_date: date,
                scheduled_time: time,
                worker_id: job.worker.map(|w| workers[w].user_id().to_string()).unwrap_or_default(),
                status_id: status_id("New")?.to_string(),
                tasks: job.tasks.iter().map(|t| t.to_string()).collect(),
                version: None,
            },
            None,
        )
        .await?;
        // Field work as the assigned worker would do it, so the history reads true.
        let actor = job.worker.map(|w| &workers[w]).unwrap_or(&admin);
        for task in created.tasks.iter().take(job.ticked) {
            crate::jobs::set_task_completed(state, actor, created.id, task.id, true, None).await?;
        }
        for (body, for_customer, by_worker) in job.notes {
            let author = if *by_worker { actor } else { &admin };
            let visibility = if *for_customer { "CUSTOMER" } else { "INTERNAL" };
            crate::jobs::add_note(
                state,
                author,
                created.id,
                NoteForm { body: (*body).into(), visibility: visibility.into() },
                None,
            )
            .await?;
        }
        if job.status != "New" {
            crate::jobs::change_status(state, actor, created.id, status_id(job.status)?, None).await?;
        }
        if job.archived {
            crate::jobs::set_archived(state, &admin, created.id, true).await?;
        }
    }
    seed_time(state, &admin, &workers, today).await
}

const DEMO_WORK: [&str; 6] = [
    "Replaced the worn seals and tested under pressure",
    "Travel, then diagnosed the fault with the customer",
    "Installed the new unit and cleaned up",
    "Routine inspection; photos in the job notes",
    "Waited for parts, then fitted them",
    "Final check and handover to the customer",
];

/// A week of time for each worker with a job: approved, declined, waiting and draft
/// entries, and a monthly contract for the first worker, all through the services.
async fn seed_time(
    state: &AppState,
    admin: &CurrentUser,
    workers: &[CurrentUser],
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use app::time::{ContractForm, LogForm};
    for (index, worker) in workers.iter().enumerate() {
        let mine = crate::time::entries::mine(state, worker).await?;
        let Some(job) = mine.jobs.first() else { continue };
        if index == 0 {
            let customer_id = crate::jobs::get(state, admin, job.id).await?.customer.id;
            let start = (today - Duration::days(62)).format("%Y-%m-01").to_string();
            let form = ContractForm {
                title: "Monthly maintenance".into(),
                worker_id: worker.user_id().to_string(),
                customer_id: customer_id.to_string(),
                budget_hours: "20".into(),
                period: "MONTHLY".into(),
                starts_on: start,
                ends_on: String::new(),
            };
            crate::time::contracts::create(state, admin, form).await?;
        }
        let days: i64 = if index == 0 { 6 } else { 4 };
        for day in (1..=days).rev() {
            let form = LogForm {
                job_id: job.id.to_string(),
                date: (today - Duration::days(day)).format("%Y-%m-%d").to_string(),
                start: if index == 0 { "08:00".into() } else { "08:30".into() },
                end: "11:30".into(),
                duration: String::new(),
                break_minutes: "15".into(),
                description: DEMO_WORK[(day as usize + index) % DEMO_WORK.len()].into(),
                billable: day != 4,
            };
            let log = crate::time::entries::create(state, worker, form, None).await?;
            if day == 1 {
                continue; // Left as a draft.
            }
            crate::time::entries::submit(state, worker, vec![log.id], None).await?;
            match (index, day) {
                (_, 2) => {} // Waiting for the customer.
                (0, 3) => {
                    let reason = "Please log the travel time as a separate entry.".to_string();
                    crate::time::approvals::decide(state, admin, vec![log.id], false, reason, None).await?;
                }
                _ => {
                    crate::time::approvals::decide(state, admin, vec![log.id], true, String::new(), None).await?;
                }
            }
        }
    }
    Ok(())
}

fn user_form(name: &str, email: &str, role: &str, customer_id: &str) -> NewUserForm {
    NewUserForm {
        name: name.into(),
        email: email.into(),
        role: role.into(),
        password: DEMO_PASSWORD.into(),
        customer_id: customer_id.into(),
    }
}
