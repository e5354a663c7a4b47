//! Behind pgbouncer in transaction mode (two server connections shared by
//! every client): with `pooler=transaction` no statement is named, so two
//! applications reading two tables interleaved each get their own rows.

use keyway::prelude::*;
use keyway_postgres::{Postgres, PostgresOptions};

use crate::model::{Kinds, User};
use crate::pg_scratch::{pgbouncer_port, plain_port};

async fn pool(port: &str, max: u32) -> Db<Postgres> {
    PostgresOptions::new(format!(
        "postgres://postgres@127.0.0.1:{port}/test?pooler=transaction&sslmode=disable"
    ))
    .max_connections(max)
    .connect()
    .await
    .expect("connect through pgbouncer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_applications_behind_a_transaction_pooler_read_their_own_tables() {
    // The tables, created directly on the server behind pgbouncer.
    let direct = pool(&plain_port(), 1).await;
    let mut conn = direct.executor().acquire().await.unwrap();
    conn.batch_execute("DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS kinds")
        .await
        .unwrap();
    conn.release();
    direct.create_schema::<User>().await.unwrap();
    direct.create_schema::<Kinds>().await.unwrap();
    let users: Vec<User> = (0..5)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@bouncer.test")))
        .collect();
    direct.insert_many(&users).await.unwrap();
    let kinds: Vec<Kinds> = (0..5).map(|i| Kinds::sample(&format!("k{i}"))).collect();
    direct.insert_many(&kinds).await.unwrap();

    // Two applications, each with a pool of its own through pgbouncer.
    let (first, second) = (
        pool(&pgbouncer_port(), 3).await,
        pool(&pgbouncer_port(), 3).await,
    );
    let mut tasks = Vec::new();
    for round in 0..30 {
        let (first, second) = (first.clone(), second.clone());
        tasks.push(tokio::spawn(async move {
            let users = first.all(User::query().order_by(User::ID.asc())).await?;
            assert_eq!(users.len(), 5, "round {round}");
            assert!(users.iter().all(|u| u.email.ends_with("@bouncer.test")));
            let kinds = second
                .all(Kinds::query().order_by(Kinds::KEY.asc()))
                .await?;
            assert_eq!(kinds.len(), 5, "round {round}");
            assert_eq!(kinds[0], Kinds::sample("k0"));
            let one = first.get::<User>(users[round % 5].id).await?;
            assert_eq!(one.name, format!("u{}", round % 5));
            let key = format!("k{}", round % 5);
            assert_eq!(second.get::<Kinds>(key.clone()).await?, Kinds::sample(&key));
            Ok::<(), keyway::Error>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    // A transaction holds one server connection to its end.
    let tx = first.begin().await.unwrap();
    let id = tx
        .insert(&User::new("tx", "tx@bouncer.test"))
        .await
        .unwrap();
    assert_eq!(tx.get::<User>(id).await.unwrap().name, "tx");
    tx.commit().await.unwrap();
    assert_eq!(second.count(User::query()).await.unwrap(), 6);
    // Nothing was left prepared on the server.
    let mut conn = direct.executor().acquire().await.unwrap();
    conn.batch_execute("DROP TABLE users; DROP TABLE kinds")
        .await
        .unwrap();
    conn.release();
}
