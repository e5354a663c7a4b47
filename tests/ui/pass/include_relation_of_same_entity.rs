// Twin of fail/include_relation_of_another_entity.rs: a further relation is
// reached by nesting it under one that starts at the queried entity.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().include(User::TODOS.include(Todo::TAGS));
    let _ = Todo::query().include(Todo::TAGS).include(Todo::OWNER);
}
