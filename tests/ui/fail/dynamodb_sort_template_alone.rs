// A single-table layout keeps filters typed by their columns: `Message`
// lives in the shared table `app` with the sort key template
// `MESSAGE#{sent_at}`, and a range on `sent_at` is a key condition only
// beside the partition it sorts within. Alone it is `Unindexed`, and does
// not compile against DynamoDB.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::Message;

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(Message::query().filter(Message::SENT_AT.gt(5))).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
