//! The models shared by the behaviour suite, the benches and the examples'
//! tests: implemented by hand, as a user would.
#![allow(dead_code, unused_imports, missing_docs)]

mod kinds;
mod message;
mod todo;
mod user;

pub use kinds::Kinds;
pub use message::Message;
pub use todo::Todo;
pub use user::User;
