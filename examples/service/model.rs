//! The service's model: the todo example's entities (`examples/todo/model/`),
//! the messages example's `Message`, and groups of users joined through
//! memberships (`model/group.rs`), all implemented by hand.
#![allow(dead_code, unused_imports)]

#[path = "../todo/model/profile.rs"]
mod profile;
#[path = "../todo/model/relations.rs"]
mod relations;
#[path = "../todo/model/tag.rs"]
mod tag;
#[path = "../todo/model/todo.rs"]
mod todo;
#[path = "../todo/model/user.rs"]
mod user;

mod group;
#[path = "../messages/message.rs"]
mod message;

pub use group::{Group, Membership};
pub use message::Message;
pub use profile::Profile;
pub use tag::Tag;
pub use todo::Todo;
pub use user::User;
