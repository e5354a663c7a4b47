// An upsert matches rows on a `Unique` column or a unique `IndexDef`.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Membership, User};

fn main() {
    let rows = [User::new("Ann", "ann@example.com")];
    let _ = User::upsert(&rows).on_conflict(User::EMAIL).update(User::NAME);
    let pairs: [Membership; 0] = [];
    let _ = Membership::upsert(&pairs).on_conflict(Membership::INDEXES[0]).ignore();
}
