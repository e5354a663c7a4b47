// Twin of fail/dynamodb_order_by_plain_column.rs and
// fail/ordered_include_on_any_backend.rs: orders by key columns compile on
// DynamoDB and on the portable handle, for queries and includes alike; SQL
// backends order by any column.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_any::AnyBackend;
use keyway_dynamodb::DynamoDb;
use model::{Message, Todo, User};

async fn dynamodb(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(Todo::query().filter(Todo::OWNER_ID.eq(1)).order_by(Todo::ID.desc())).await?;
    let _ = db.all(Message::query().filter(Message::CHANNEL.eq("c")).order_by(Message::SENT_AT.desc())).await?;
    Ok(())
}

async fn any(db: &Db<AnyBackend>) -> keyway::Result<()> {
    let q = User::query()
        .filter(User::ID.eq(1))
        .order_by(User::ID.asc())
        .include(User::TODOS.order_by(Todo::ID.desc()));
    let _ = db.all(q).await?;
    Ok(())
}

async fn sqlite(db: &Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
    let q = User::query().order_by(User::NAME.asc()).include(User::TODOS.order_by(Todo::TITLE.asc()));
    let _ = db.all(q).await?;
    Ok(())
}

fn main() {
    let _ = (dynamodb, any, sqlite);
}
