// Twin of fail/filter_of_another_entity.rs: each query filters on its own columns.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().filter(User::NAME.eq("x"));
    let _ = Todo::query().filter(Todo::TITLE.eq("x"));
}
