// A row lock lasts until its transaction ends: on a pool it would end with
// the statement, so `for_update` compiles only inside a transaction.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_postgres::Postgres;
use model::Job;

async fn run(db: &Db<Postgres>) -> keyway::Result<()> {
    let _ = db.first(Job::query().filter(Job::ID.eq(1)).for_update()).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
