//! A ledger of accounts: writes that check before they change. Deposits
//! add to the balance in the database (no read, none lost when they run at
//! once), a withdrawal happens only if the balance covers it, and a change
//! made on a copy read earlier than someone else's is refused as a
//! conflict instead of overwriting theirs (the account's version column).
//! Writes that report a balance return the row as they left it
//! (`.returning()`), without a second read.
//!
//! Run: `cargo run --example ledger [URL]` — the URL (or
//! `KEYWAY_DATABASE_URL`) picks the database, `sqlite::memory:` by default.
//! The `Account` model, written by hand, is in `account.rs` beside this file.

mod account;

use account::Account;
use keyway::prelude::*;
use keyway::{Error, Executor};
use keyway_any::AnyBackend;

/// Takes `amount` out of the account if its balance covers it; returns the
/// account as the withdrawal left it.
async fn withdraw(db: &Db<AnyBackend>, id: i64, amount: i64) -> keyway::Result<Option<Account>> {
    let taken = db
        .update(
            Account::update(id)
                .increment(Account::BALANCE, -amount)
                .only_if(Account::BALANCE.ge(amount))
                .returning(),
        )
        .await;
    match taken {
        Ok(account) => Ok(Some(account)),
        Err(Error::ConditionFailed) => Ok(None),
        Err(other) => Err(other),
    }
}

#[tokio::main]
async fn main() -> keyway::Result<()> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("KEYWAY_DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite::memory:".into());
    let db = keyway_any::connect(&url).await?;
    println!("database: {}", db.executor().system());
    db.drop_schema::<Account>().await?;
    db.create_schema::<Account>().await?;

    let ann = db.create(Account::new("Ann", 100)).await?;
    println!(
        "opened account {} for {} with {} (version {})",
        ann.id, ann.owner, ann.balance, ann.version
    );

    // Ten deposits of 5 at once: each adds in the database.
    let deposits =
        (0..10).map(|_| db.update(Account::update(ann.id).increment(Account::BALANCE, 5)));
    futures::future::try_join_all(deposits).await?;
    let now = db.get::<Account>(ann.id).await?;
    println!(
        "after 10 deposits of 5: balance {} (version {})",
        now.balance, now.version
    );

    for amount in [120, 50, 100] {
        match withdraw(&db, ann.id, amount).await? {
            Some(after) => println!("withdraw {amount}: done; balance {}", after.balance),
            None => println!("withdraw {amount}: refused, the balance does not cover it"),
        }
    }

    // Two clerks read the account; both change it.
    let mut first = db.get::<Account>(ann.id).await?;
    let mut second = first.clone();
    first.owner = "Ann Smith".into();
    db.save(&first).await?;
    second.frozen = true;
    match db.save(&second).await {
        Err(Error::Conflict { entity }) => {
            println!("second clerk: conflict on {entity}, reading again");
            let mut fresh = db.get::<Account>(ann.id).await?;
            fresh.frozen = true;
            db.save(&fresh).await?;
        }
        other => other?,
    }
    let last = db.get::<Account>(ann.id).await?;
    println!(
        "account {}: owner {}, frozen {}, balance {}, version {}",
        last.id, last.owner, last.frozen, last.balance, last.version
    );

    // A stale version deletes nothing.
    let stale = db.delete(Account::delete(ann.id).if_version(1)).await;
    println!(
        "delete at version 1: {}",
        if matches!(stale, Err(Error::Conflict { .. })) {
            "conflict"
        } else {
            "unexpected"
        }
    );
    let closed = db
        .delete(Account::delete(ann.id).if_version(last.version).returning())
        .await?;
    println!(
        "delete at version {}: done, closed with balance {}",
        last.version, closed.balance
    );
    db.drop_schema::<Account>().await?;
    Ok(())
}
