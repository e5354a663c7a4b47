// An update sets a column only to a value of its own type.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Todo;

fn main() {
    let _ = Todo::update(1).set(Todo::DONE, "yes");
}
