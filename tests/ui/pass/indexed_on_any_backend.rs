// Twin of fail/unindexed_on_any_backend.rs: keys, indexes, indexed relations
// and explicit scans compile on the backend chosen at run time.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_any::AnyBackend;
use model::{Todo, User};

async fn run(db: &Db<AnyBackend>) -> keyway::Result<()> {
    let _ = db.all(User::query().filter(User::EMAIL.eq("ann@example.com"))).await?;
    let _ = db.all(User::query().filter(User::ID.eq(1)).filter(User::NAME.eq("Ann"))).await?;
    let _ = db.all(User::query().scan().filter(User::NAME.eq("Ann"))).await?;
    let _ = db.all(Todo::query().filter(Todo::OWNER_ID.eq(1)).include(Todo::OWNER)).await?;
    let _ = db.all(User::query().scan().include(User::TODOS)).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
