// Twin of fail/get_unloaded_relation.rs and fail/get_relation_of_another_entity.rs:
// every included relation, nested ones too, is readable; other ones load lazily.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Profile, Tag, Todo, User};

async fn run(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let users = db.all(User::query().include(User::TODOS.include(Todo::TAGS)).include(User::PROFILE)).await?;
    let todos: &[keyway::Loaded<Todo, _>] = users[0].get(User::TODOS);
    let _tags: &[Tag] = todos[0].get(Todo::TAGS);
    let _profile: Option<&Profile> = users[0].get(User::PROFILE);
    let plain: User = db.get(1).await?;
    let _lazy: Vec<Todo> = User::TODOS.load(&plain, db).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
