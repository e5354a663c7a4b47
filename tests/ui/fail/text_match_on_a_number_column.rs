// `starts_with`, `ends_with`, `like` and their `_ignore_case` forms match
// text columns only.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Todo;

fn main() {
    let _ = Todo::query().scan().filter(Todo::PRIORITY.starts_with("1"));
}
