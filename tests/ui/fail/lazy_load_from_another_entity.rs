// A relation loads from a row of the entity it starts at.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

async fn run(db: &Db<keyway_sqlite::Sqlite>, todo: &Todo) -> keyway::Result<()> {
    let _ = User::TODOS.load(todo, db).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
