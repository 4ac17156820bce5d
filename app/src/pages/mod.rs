//! Pages that are not part of a feature module yet.

mod home;
mod landing;
mod placeholders;

pub use home::{Dashboard, RoleHome};
pub use landing::Landing;
pub use placeholders::{AdminJobs, CustomerJobs, WorkerJobs};
