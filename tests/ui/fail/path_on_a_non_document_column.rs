// `path` reaches into JSON document columns only.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

fn main() {
    let _ = User::query().scan().filter(User::NAME.path(["theme"]).eq("dark"));
}
