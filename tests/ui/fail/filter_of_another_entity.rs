// A query over `User` cannot be filtered by a column of `Todo`.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().filter(Todo::TITLE.eq("x"));
}
