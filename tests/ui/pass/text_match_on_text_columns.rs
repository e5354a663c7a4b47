// The twin of `fail/text_match_on_a_number_column.rs`: text matching on a
// `String` and an `Option<String>` column.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Todo;

fn main() {
    let _ = Todo::query()
        .filter(Todo::TITLE.starts_with("fix").or(Todo::TITLE.like_ignore_case("%BUG%")))
        .filter(Todo::NOTE.contains("call").and(Todo::NOTE.ends_with_ignore_case("PM")));
}
