// An upsert matches rows on a unique index: a plain column is not one.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

fn main() {
    let rows = [User::new("Ann", "ann@example.com")];
    let _ = User::upsert(&rows).on_conflict(User::NAME);
}
