// Twin of fail/dynamodb_unindexed_filter.rs: a filter on the key or an
// indexed column compiles against DynamoDB, with any other condition beside it.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::{Todo, User};

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(User::query().filter(User::EMAIL.eq("ann@example.com"))).await?;
    let _ = db.all(Todo::query().filter(Todo::OWNER_ID.eq(1).and(Todo::DONE.eq(false)))).await?;
    let _ = db.count(User::query().filter(User::ID.in_list([1, 2]))).await?;
    db.delete(Todo::query().filter(Todo::OWNER_ID.eq(1)).delete()).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
