// `contains` looks for an element of a list column or a substring of a
// text column only.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Todo;

fn main() {
    let _ = Todo::query().scan().filter(Todo::PRIORITY.contains(1i16));
}
