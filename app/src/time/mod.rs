//! Time tracking: timers and entries for workers, approvals for customers,
//! logs, contracts and reports for admins.

pub mod api;
mod approvals_page;
mod contracts_page;
mod entry_page;
mod logs_page;
mod my_time;
mod reports_page;
mod server_timer_bar;
mod timer_bar;
mod types;
mod waiting;
mod widgets;

pub use approvals_page::ApprovalsPage;
pub use contracts_page::ContractsPage;
pub use entry_page::EntryPage;
pub use logs_page::LogsPage;
pub use my_time::MyTimePage;
pub use reports_page::ReportsPage;
pub use server_timer_bar::ServerTimerBar;
pub use timer_bar::{provide_timer_state, use_timer_state, TimerBar, TimerState};
pub use types::*;
pub use waiting::{provide_waiting_badge, waiting_changed, WaitingBadge};
pub use widgets::{BudgetMeter, DayChart, RankChart};
