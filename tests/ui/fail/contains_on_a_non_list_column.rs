// `contains` looks for an element of a list column only.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

fn main() {
    let _ = User::query().scan().filter(User::NAME.contains("Ann".to_owned()));
}
