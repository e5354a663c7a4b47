// Row locks run inside a transaction on PostgreSQL or MySQL only: SQLite
// locks the whole database for a write transaction, and `for_update` does
// not compile against it.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::Transaction;
use keyway_sqlite::Sqlite;
use model::Job;

async fn run(tx: &Db<Transaction<Sqlite>>) -> keyway::Result<()> {
    let _ = tx.first(Job::query().filter(Job::ID.eq(1)).for_update()).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
