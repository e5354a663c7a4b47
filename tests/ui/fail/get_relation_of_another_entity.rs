// A relation is read from rows of the entity it starts at.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

async fn run(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let todos = db.all(Todo::query().include(Todo::OWNER)).await?;
    let _ = todos[0].get(User::TODOS);
    Ok(())
}

fn main() {
    let _ = run;
}
