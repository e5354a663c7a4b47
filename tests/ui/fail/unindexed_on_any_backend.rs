// The backend chosen at run time runs only what every backend can: an
// unindexed filter does not compile against it.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_any::AnyBackend;
use model::User;

async fn run(db: &Db<AnyBackend>) -> keyway::Result<()> {
    let _ = db.all(User::query().filter(User::NAME.eq("Ann"))).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
