// A filter through a relation whose related filter is unindexed (`none`,
// `all`, or `any` / `is` on a plain column) is `Joined`: DynamoDB would have
// to search the related table, so it does not compile there, not even
// beside an indexed condition, until the query says `.scan()`.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::{Todo, User};

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let idle = User::TODOS.none(Todo::DONE.eq(false));
    let _ = db.all(User::query().filter(idle)).await?;
    let busy = User::EMAIL.eq("ann@example.com").and(User::TODOS.any(Todo::DONE.eq(false)));
    let _ = db.all(User::query().filter(busy)).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
