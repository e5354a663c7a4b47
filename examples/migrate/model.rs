//! The app's model in two versions, each written by hand. The code of a
//! real app holds only its current version; the example keeps both to
//! move a database from one to the other and back.

pub mod v1;
pub mod v2;
