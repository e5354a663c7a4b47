//! The models shared by the behaviour suite, the benches and the doc
//! examples, implemented by hand as a user would. The todo app's entities
//! are the todo example's own (`examples/todo/model/`), groups the service
//! example's, messages the messages example's; the rest are the tests'.
#![allow(dead_code, unused_imports, missing_docs)]

use keyway::Layout;

/// Whether the tests' own entities live in the shared table `app` on
/// DynamoDB, as the examples' entities always do: in the test binary
/// `dynamodb_single_table` (whose crate name begins this module's path),
/// so that the whole suite runs there with every entity in one table.
/// Elsewhere they keep tables of their own (the SQL backends ignore
/// layouts either way).
pub const SINGLE_TABLE: bool = starts_with(module_path!(), "dynamodb_single_table");

const fn starts_with(text: &str, prefix: &str) -> bool {
    let (text, prefix) = (text.as_bytes(), prefix.as_bytes());
    if text.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if text[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `layout` in the single-table test binary, `None` elsewhere.
pub const fn shared(layout: Layout) -> Option<Layout> {
    if SINGLE_TABLE { Some(layout) } else { None }
}

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
