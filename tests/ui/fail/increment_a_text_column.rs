// `increment` adds to a number column only (i32, i64 or f64, not optional).
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Account, Todo};

fn main() {
    let _ = Account::update(1).increment(Account::OWNER, "more".to_owned());
    let _ = Todo::update(1).increment(Todo::NOTE, None);
}
