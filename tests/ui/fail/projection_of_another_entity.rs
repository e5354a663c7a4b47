// `.select(..)` takes only the queried entity's columns.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().select((User::NAME, Todo::TITLE));
}
