// `path` and `has_key` on a JSON document column; `contains` on a list column.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Reading;

fn main() {
    let _ = Reading::query().scan().filter(Reading::META.path(["labels", "color"]).eq("red"));
    let _ = Reading::query().scan().filter(Reading::META.has_key("labels"));
    let _ = Reading::query().scan().filter(Reading::TAGS.contains("red".to_owned()));
}
