// Twin of fail/value_of_another_type.rs: values of the column's type (and `&str`
// for text, `T` for `Option<T>`) are accepted.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

fn main() {
    let _ = User::query().filter(User::ID.eq(42));
    let _ = User::query().filter(User::NAME.eq("Ann")).filter(User::NAME.eq(String::from("Ann")));
    let _ = Todo::query().filter(Todo::NOTE.eq("x")).filter(Todo::NOTE.eq(None::<String>));
    let _ = User::update(1).set(User::NAME, "Anna");
}
