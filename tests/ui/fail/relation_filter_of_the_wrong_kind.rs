// `any` / `none` / `all` test the rows of a has-many or has-one relation;
// `is` tests a belongs-to relation's one parent. Each on the other kind
// does not compile, with a message naming the right one.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::TODOS.is(Todo::DONE.eq(true));
    let _ = Todo::OWNER.any(User::NAME.eq("Ann"));
}
