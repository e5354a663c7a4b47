//! The todo app's model, implemented by hand: one file per entity, each
//! with its struct, its column handles and its `Entity` impl, and the
//! relations between them as zero-sized types.
//!
//! | entity | table | key | relations |
//! | --- | --- | --- | --- |
//! | [`User`] | `users` | `id`, generated | `TODOS` (has many), `PROFILE` (has one) |
//! | [`Todo`] | `todos` | `id`, generated | `OWNER` (belongs to), `TAGS` (has many) |
//! | [`Tag`] | `tags` | `id`, generated | `TODO` (belongs to, nullable) |
//! | [`Profile`] | `profiles` | `user_id` | `USER` (belongs to) |
//! | [`Account`] | `accounts` | `id`, a UUID keyway generates | |
//!
//! The program uses part of the model; the rest (the reverse relations) is
//! there as a real application would have it.
#![allow(dead_code, unused_imports)]

mod account;
mod profile;
mod relations;
mod tag;
mod todo;
mod user;

pub use account::{Account, Plan, Settings};
pub use profile::{Profile, ProfileUser, UserProfile};
pub use relations::{TodoOwner, UserTodos};
pub use tag::{Tag, TagTodo, TodoTags};
pub use todo::Todo;
pub use user::User;
