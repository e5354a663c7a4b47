//! Messages keyed by (channel, sent_at): a composite partition + sort key that
//! reads naturally on DynamoDB (one Query per page) and on SQL (a primary-key
//! range scan), with cursor pagination on the sort key.
//!
//! Run: `cargo run --example messages [URL]` — the URL (or
//! `KEYWAY_DATABASE_URL`) picks the database, `sqlite::memory:` by default.
//! The `Message` model, written by hand, is in `message.rs` beside this file.

mod message;

use keyway::Executor;
use keyway::prelude::*;
use keyway_any::AnyBackend;
use message::Message;

/// One page of a channel, oldest first, after the cursor (a `sent_at`).
async fn page(
    db: &Db<AnyBackend>,
    channel: &str,
    after: i64,
    size: u64,
) -> keyway::Result<Vec<Message>> {
    db.all(
        Message::query()
            .filter(Message::CHANNEL.eq(channel).and(Message::SENT_AT.gt(after)))
            .order_by(Message::SENT_AT.asc())
            .limit(size),
    )
    .await
}

#[tokio::main]
async fn main() -> keyway::Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("KEYWAY_DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite::memory:".into());
    let db = keyway_any::connect(&url).await?;
    println!("database: {}", db.executor().system());
    db.drop_schema::<Message>().await?;
    db.create_schema::<Message>().await?;

    let mut posts = Vec::new();
    for t in 1..=25 {
        posts.push(Message {
            channel: "general".into(),
            sent_at: 1_000 + t,
            body: format!("general #{t}"),
        });
    }
    for t in 1..=5 {
        posts.push(Message {
            channel: "random".into(),
            sent_at: 2_000 + t,
            body: format!("random #{t}"),
        });
    }
    db.insert_many(&posts).await?;
    println!("posted {} messages in 2 channels", posts.len());

    let latest: Vec<String> = db
        .all(
            Message::query()
                .filter(Message::CHANNEL.eq("general"))
                .order_by(Message::SENT_AT.desc())
                .limit(3)
                .select(Message::BODY),
        )
        .await?;
    println!("latest in general: {latest:?}");

    let mut cursor = 0;
    let mut pages = 0;
    loop {
        let rows = page(&db, "general", cursor, 10).await?;
        let Some(last) = rows.last() else { break };
        pages += 1;
        println!(
            "page {pages}: {} .. {} ({} messages)",
            rows[0].body,
            last.body,
            rows.len()
        );
        cursor = last.sent_at;
    }

    let one = db.get::<Message>(("random".to_string(), 2_003)).await?;
    println!("by key (random, 2003): {}", one.body);
    db.update(
        Message::update(("random".to_string(), 2_003)).set(Message::BODY, "random #3 (edited)"),
    )
    .await?;
    db.delete(Message::delete(("random".to_string(), 2_001)))
        .await?;
    let random: Vec<String> = db
        .all(
            Message::query()
                .filter(Message::CHANNEL.eq("random"))
                .select(Message::BODY),
        )
        .await?;
    println!("random after an edit and a delete: {random:?}");
    for channel in ["general", "random"] {
        let n = db
            .count(Message::query().filter(Message::CHANNEL.eq(channel)))
            .await?;
        println!("{channel}: {n} messages");
    }
    db.drop_schema::<Message>().await?;
    Ok(())
}
