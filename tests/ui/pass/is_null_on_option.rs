// Twin of fail/is_null_on_non_option.rs: an `Option` column accepts `is_null`.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Todo;

fn main() {
    let _ = Todo::query().filter(Todo::NOTE.is_null());
    let _ = Todo::query().filter(Todo::NOTE.is_not_null());
}
