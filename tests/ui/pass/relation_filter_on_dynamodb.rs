// The twin of `fail/relation_filter_on_dynamodb.rs`: `any` with an indexed
// filter, and `is` with an indexed filter over an indexed foreign key, are
// `Indexed` (DynamoDB finds the related rows through the index, then the
// rows by key or index); anything else runs once the query says `.scan()`.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::{Todo, User};

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(User::query().filter(User::TODOS.any(Todo::ID.eq(1)))).await?;
    let of_ann = Todo::OWNER.is(User::EMAIL.eq("ann@example.com"));
    let _ = db.all(Todo::query().filter(of_ann)).await?;
    let idle = User::TODOS.none(Todo::DONE.eq(false));
    let _ = db.all(User::query().filter(idle).scan()).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
