// A column compares only with values of its own type.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

fn main() {
    let _ = User::query().filter(User::ID.eq("42"));
}
