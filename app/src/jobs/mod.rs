//! Jobs: the work a company does for its customers.

pub mod api;
mod detail_page;
mod editor;
mod list_page;
mod my_jobs;
mod share_page;
mod types;
mod widgets;

pub use detail_page::JobDetailPage;
pub use editor::{EditJobPage, NewJobPage};
pub use list_page::AdminJobsPage;
pub use my_jobs::MyJobsPage;
pub use share_page::SharePage;
pub use types::*;
pub use widgets::{JobCard, StatusBadge};
