// `.include(..)` takes relations that start at the queried entity.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().include(Todo::TAGS);
}
