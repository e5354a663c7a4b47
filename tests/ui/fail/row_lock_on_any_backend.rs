// The backend chosen at run time may be SQLite or DynamoDB, which have no
// row locks: `for_update` does not compile against it.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::Transaction;
use keyway_any::AnyBackend;
use model::Job;

async fn run(tx: &Db<Transaction<AnyBackend>>) -> keyway::Result<()> {
    let _ = tx.first(Job::query().filter(Job::ID.eq(1)).for_share()).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
