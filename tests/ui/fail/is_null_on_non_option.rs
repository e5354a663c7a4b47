// `is_null` is only offered on columns that can hold NULL.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

fn main() {
    let _ = User::query().filter(User::NAME.is_null());
}
