// Twin of fail/duplicate_relation_slot.rs: relations with distinct slots are
// included together, at the top and nested, in any order.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

async fn run(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let q = User::query()
        .include(User::PROFILE)
        .include(User::TODOS.include(Todo::TAGS).include(Todo::OWNER))
        .include(User::MEMBERSHIPS);
    let users = db.all(q).await?;
    let _ = users.first().map(|u| (u.get(User::TODOS).len(), u.get(User::PROFILE).is_some()));
    Ok(())
}

fn main() {
    let _ = run;
}
