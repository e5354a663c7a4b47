// `sum` and `avg` add numbers; `min` and `max` compare ordered values.
#[path = "../../model/mod.rs"]
mod model;

use keyway::{max, sum};
use model::Todo;

fn main() {
    let _ = sum(Todo::TITLE);
    let _ = max(Todo::DONE);
}
