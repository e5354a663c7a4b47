//! The models shared by the behaviour suite, the benches and the examples:
//! implemented by hand, as a user would.
#![allow(dead_code, unused_imports, missing_docs)]

mod enrollment;
mod fk_chain;
mod graph;
mod kinds;
mod message;
mod relations;
mod todo;
mod user;

pub use enrollment::Enrollment;
pub use fk_chain::{Author, Comment, Draft, Post};
pub use graph::{Group, Membership, Profile, Tag};
pub use kinds::Kinds;
pub use message::Message;
pub use relations::{TodoOwner, UserTodos};
pub use todo::Todo;
pub use user::User;
