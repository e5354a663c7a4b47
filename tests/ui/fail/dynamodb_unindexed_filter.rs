// DynamoDB runs only queries that reach their items through a key or an
// index: a filter on a plain column does not compile against it.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::User;

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(User::query().filter(User::NAME.eq("Ann"))).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
