// A loaded row offers only the relations its query included.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

async fn run(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let users = db.all(User::query().include(User::TODOS)).await?;
    let _ = users[0].get(User::PROFILE);
    Ok(())
}

fn main() {
    let _ = run;
}
