// Twin of fail/dynamodb_sort_template_alone.rs: beside the channel (the
// partition template `CHANNEL#{channel}`), a range on `sent_at` is the key
// condition `SK > MESSAGE#..` of one Query, ordered by the sort key.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway_dynamodb::DynamoDb;
use model::Message;

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let in_channel = Message::CHANNEL.eq("general").and(Message::SENT_AT.gt(5));
    let _ = db.all(Message::query().filter(in_channel).order_by(Message::SENT_AT.desc())).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
