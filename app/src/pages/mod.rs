//! Pages that are not part of a feature module yet.

mod home;
mod landing;

pub use home::{Dashboard, RoleHome};
pub use landing::Landing;
