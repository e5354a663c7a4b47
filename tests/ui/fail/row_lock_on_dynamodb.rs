// DynamoDB has no row locks: `for_update` does not compile against it, even
// in a transaction (a conditional write or a version does that work there).
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::Transaction;
use keyway_dynamodb::DynamoDb;
use model::Job;

async fn run(tx: &Db<Transaction<DynamoDb>>) -> keyway::Result<()> {
    let _ = tx.first(Job::query().filter(Job::ID.eq(1)).for_update()).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
