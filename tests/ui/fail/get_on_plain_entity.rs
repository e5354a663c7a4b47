// A row from a query without includes has no relation loaded: reading one
// says so, and names the fix.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Todo, User};

async fn run(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let users = db.all(User::query()).await?;
    let _todos: &[Todo] = users[0].get(User::TODOS);
    Ok(())
}

fn main() {
    let _ = run;
}
