//! The models shared by the behaviour suite, the benches and the doc
//! examples, implemented by hand as a user would. The todo app's entities
//! are the todo example's own (`examples/todo/model/`), groups the service
//! example's, messages the messages example's; the rest are the tests'.
#![allow(dead_code, unused_imports, missing_docs)]

#[path = "../../examples/todo/model/profile.rs"]
mod profile;
#[path = "../../examples/todo/model/relations.rs"]
mod relations;
#[path = "../../examples/todo/model/tag.rs"]
mod tag;
#[path = "../../examples/todo/model/todo.rs"]
mod todo;
#[path = "../../examples/todo/model/user.rs"]
mod user;

#[path = "../../examples/ledger/account.rs"]
mod account;
#[path = "../../examples/service/model/group.rs"]
mod group;
#[path = "../../examples/messages/message.rs"]
mod message;

mod card;
mod customer;
mod device;
mod enrollment;
mod file_entry;
mod fk_chain;
mod job;
mod kinds;
mod memo;
mod reading;
mod session;
mod sku;

pub use account::Account;
pub use card::{Card, Prefs};
pub use customer::{Address, Customer, Money};
pub use device::Device;
pub use enrollment::Enrollment;
pub use file_entry::FileEntry;
pub use fk_chain::{Author, Comment, Draft, Post};
pub use group::{Group, Membership};
pub use job::Job;
pub use kinds::Kinds;
pub use memo::Memo;
pub use message::Message;
pub use profile::Profile;
pub use reading::{Calibration, Level, RawTicket, Reading, Source, State, Ticket, Tier};
pub use relations::{TodoOwner, UserTodos};
pub use session::Session;
pub use sku::Sku;
pub use tag::Tag;
pub use todo::Todo;
pub use user::User;
