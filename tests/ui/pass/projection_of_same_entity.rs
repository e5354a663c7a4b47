// Twin of fail/projection_of_another_entity.rs and fail/update_value_of_another_type.rs.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().select((User::NAME, User::EMAIL));
    let _ = Todo::update(1).set(Todo::DONE, true);
}
