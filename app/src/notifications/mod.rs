//! Notifications: the bell and live stream, the notification centre, email
//! settings, the outbox for admins, invitations, and the account-email pages.

mod account_pages;
pub mod api;
mod bell;
mod invitations;
mod outbox_page;
mod pages;
mod types;

pub use account_pages::{
    login_path, AcceptInvitationPage, CheckEmailPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage,
};
pub use bell::{
    provide_live_notifications, use_live_notifications, LiveNotifications, NotificationBell, NotificationToast,
};
pub use invitations::InvitationsSection;
pub use outbox_page::OutboxPage;
pub use pages::{EmailSettingsSection, NotificationsPage, UnsubscribePage};
pub use types::*;
