// Two relations of one entity with the same `Slot` cannot be included in one
// query: the error names both.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::typenum::U0;
use model::{Todo, User};

/// A second relation from `User` to `Todo`, declared with `User::TODOS`'s slot.
#[derive(Debug, Clone, Copy)]
pub struct UserTasks;

impl Relation for UserTasks {
    type From = User;
    type To = Todo;
    type Slot = U0; // already taken by `UserTodos`
    type Link = HasMany<Column<Todo, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Todo::OWNER_ID);
}

async fn run(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let _ = db.all(User::query().include(User::TODOS).include(UserTasks)).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
