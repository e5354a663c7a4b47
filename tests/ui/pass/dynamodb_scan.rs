// Twin of fail/dynamodb_unindexed_filter.rs: `.scan()` is the explicit opt-in
// to read a whole table, filtered by any column.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::User;

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(User::query().scan().filter(User::NAME.eq("Ann"))).await?;
    let _ = db.count(User::query().scan()).await?;
    db.update(User::query().scan().filter(User::NAME.eq("Ann")).update().set(User::NAME, "Anna")).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
