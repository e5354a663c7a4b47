// The backend chosen at run time serves only the orders every backend can:
// an include ordered by a column outside the key does not compile against it.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_any::AnyBackend;
use model::{Todo, User};

async fn run(db: &Db<AnyBackend>) -> keyway::Result<()> {
    let q = User::query()
        .filter(User::ID.eq(1))
        .include(User::TODOS.order_by(Todo::TITLE.asc()));
    let _ = db.all(q).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
