//! The behaviour suite and MySQL / MariaDB-specific cases, each test on a
//! database of its own (`KEYWAY_MYSQL_URL`, default `mysql://root@127.0.0.1:3306/test`).

mod model;
mod suite;

use keyway::Error;
use keyway::prelude::*;
use keyway_mysql::{MySql, MySqlKeys, MySqlOptions, MySqlSettings};
use model::{Kinds, User};
use sqlx::{Connection, Executor, MySqlConnection};
use suite::Limits;
use suite::scratch::{Scratch, authority, unique_name, url_from_env, via, with_database};
use suite::tcp_proxy::TcpProxy;
use suite::uniform_errors::{self, raw_sql};

/// MySQL cannot store NaN or the infinities, reads -0.0 back as 0.0, and
/// indexes text as `VARCHAR(255)`.
const LIMITS: Limits = Limits {
    key_text_chars: Some(255),
    float_infinity: false,
    float_nan: false,
    negative_zero: false,
    ..Limits::NONE
};

fn url() -> String {
    url_from_env("KEYWAY_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")
}

async fn admin(url: &str) -> MySqlConnection {
    MySqlConnection::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "MySQL / MariaDB at {url} cannot be reached ({e}): start it (./scripts/test does) \
             or point KEYWAY_MYSQL_URL at a server"
        )
    })
}

async fn create_database(name: &str) {
    admin(&url())
        .await
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create the test database");
}

/// A fresh database, dropped when the returned `Db` is.
async fn open_with(settings: MySqlSettings, max_connections: u32) -> Scratch<MySql> {
    open_with_options(|o| o.max_connections(max_connections).settings(settings)).await
}

/// A fresh database, opened with the options `tune` makes of the defaults.
async fn open_with_options(tune: impl FnOnce(MySqlOptions) -> MySqlOptions) -> Scratch<MySql> {
    let url = url();
    let name = unique_name();
    create_database(&name).await;
    let db = tune(MySqlOptions::new(with_database(&url, &name)))
        .connect()
        .await
        .expect("connect to the test database");
    scratch(db, name)
}

/// `db` on the database `name`, which is dropped with it.
fn scratch(db: Db<MySql>, name: String) -> Scratch<MySql> {
    let url = url();
    Scratch::new(
        db,
        Box::pin(async move {
            // End the pool's connections first (and any transaction a failed
            // test left open), so that nothing holds a lock on the tables.
            // A connection the pool opens meanwhile can still hold one: the
            // drop waits 10 s at most for its lock, then the connections are
            // ended again, three times at most (never an unbounded wait).
            let mut admin = admin(&url).await;
            let _ = admin.execute("SET SESSION lock_wait_timeout = 10").await;
            for _ in 0..3 {
                let ids: Vec<u64> = sqlx::query_scalar(
                    "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()",
                )
                .bind(&name)
                .fetch_all(&mut admin)
                .await
                .unwrap_or_default();
                for id in ids {
                    let _ = admin.execute(format!("KILL {id}").as_str()).await;
                }
                let drop = format!("DROP DATABASE IF EXISTS {name}");
                if admin.execute(drop.as_str()).await.is_ok() {
                    break;
                }
            }
        }),
    )
}

async fn open() -> Scratch<MySql> {
    open_with(MySqlSettings::default(), 4).await
}

/// A fresh database reached through a fault-injecting proxy (one connection,
/// a 2 s acquire timeout), the same database reached directly, and the proxy.
async fn open_faulty() -> (Scratch<MySql>, Db<MySql>, TcpProxy) {
    let url = url();
    let proxy = TcpProxy::start(authority(&url)).await;
    let name = unique_name();
    create_database(&name).await;
    let at = with_database(&url, &name);
    let sep = if at.contains('?') { '&' } else { '?' };
    let db = MySqlOptions::new(format!("{}{sep}ssl-mode=DISABLED", via(&at, &proxy.addr())))
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect()
        .await
        .expect("connect through the proxy");
    let direct = MySqlOptions::new(at)
        .connect()
        .await
        .expect("connect to the test database");
    (scratch(db, name), direct, proxy)
}

keyway_sql_suite!(open(), LIMITS);
keyway_indexed_suite!(open());
keyway_fault_suite!(open_faulty());
keyway_pool_suite!(open_with_options);

#[tokio::test]
async fn not_null_violation() {
    let db = open().await;
    uniform_errors::not_null_violation(
        &db,
        "CREATE TABLE todos (id BIGINT AUTO_INCREMENT PRIMARY KEY, owner_id BIGINT NOT NULL, \
         title LONGTEXT NOT NULL, done BOOLEAN NOT NULL, priority SMALLINT NOT NULL, \
         note LONGTEXT NOT NULL)",
        raw_sql(db.executor()),
    )
    .await;
}

#[tokio::test]
async fn decode_mismatch() {
    let db = open().await;
    uniform_errors::decode_mismatch(
        &db,
        "CREATE TABLE todos (id BIGINT AUTO_INCREMENT PRIMARY KEY, owner_id BIGINT NOT NULL, \
         title LONGTEXT NOT NULL, done VARCHAR(8) NOT NULL, priority SMALLINT NOT NULL, \
         note LONGTEXT)",
        raw_sql(db.executor()),
    )
    .await;
}

#[tokio::test]
async fn lost_connection_is_a_connection_error() {
    let db = open_with(MySqlSettings::default(), 1).await;
    let session = async || -> u64 {
        let mut conn = db.executor().acquire().await.unwrap();
        let id = sqlx::query_scalar("SELECT CONNECTION_ID()")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        conn.release();
        id
    };
    let kill = async |id: u64| {
        let kill = format!("KILL {id}");
        admin(&url()).await.execute(kill.as_str()).await.unwrap();
    };
    uniform_errors::lost_connection(&db, session, kill).await;
}

#[tokio::test]
async fn unreachable_server_is_a_connection_error() {
    let err = MySqlOptions::new("mysql://root@127.0.0.1:1/test")
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    let err = MySql::connect("mysql://[bad").await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
}

#[tokio::test]
async fn mariadb_is_detected_and_returns_keys() {
    let db = open().await;
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(&mut *db.executor().acquire().await.unwrap())
        .await
        .unwrap();
    if version.contains("MariaDB") {
        assert_eq!(db.executor().driver().keys(), MySqlKeys::Returning);
    } else {
        assert_ne!(db.executor().driver().keys(), MySqlKeys::Returning);
    }
}

/// Every strategy returns each row's own key, in row order, across batches.
#[tokio::test]
async fn every_key_strategy_returns_the_right_keys() {
    for keys in [
        MySqlKeys::Returning,
        MySqlKeys::Consecutive { increment: 1 },
        MySqlKeys::OneByOne,
    ] {
        let db = open_with(MySqlSettings::default().keys(keys), 2).await;
        db.create_schema::<User>().await.unwrap();
        let first = db
            .insert(&User::new("first", "first@x.test"))
            .await
            .unwrap();
        let n = if keys == MySqlKeys::OneByOne {
            500
        } else {
            40_000
        };
        let users: Vec<User> = (0..n)
            .map(|i| User::new(&format!("u{i}"), &format!("{i}@x.test")))
            .collect();
        let ids = db.insert_many(&users).await.unwrap();
        assert_eq!(ids.len(), n, "{keys:?}");
        for i in [0, 1, n / 2, n - 1] {
            assert_eq!(db.get::<User>(ids[i]).await.unwrap().name, format!("u{i}"));
        }
        assert!(ids.iter().all(|&id| id > first));
        // A failed batch leaves nothing behind, whatever the strategy.
        let bad = [User::new("a", "a@x.test"), User::new("b", "first@x.test")];
        assert!(matches!(
            db.insert_many(&bad).await,
            Err(Error::UniqueViolation { .. })
        ));
        assert_eq!(db.count(User::query()).await.unwrap(), n as u64 + 1);
        // A table without an `auto` key takes whole batches whatever the strategy.
        db.create_schema::<Kinds>().await.unwrap();
        let kinds: Vec<Kinds> = (0..3).map(|i| Kinds::sample(&format!("k{i}"))).collect();
        let keys = db.insert_many(&kinds).await.unwrap();
        assert_eq!(keys, ["k0", "k1", "k2"]);
        assert_eq!(db.count(Kinds::query()).await.unwrap(), 3);
    }
}

/// `UPDATE` reports the rows it matched, not only those it changed, so an
/// update by key that writes the same value is no `NotFound`.
#[tokio::test]
async fn update_counts_matched_rows() {
    let db = open().await;
    db.create_schema::<User>().await.unwrap();
    let id = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    db.update(User::update(id).set(User::NAME, "Ann"))
        .await
        .unwrap();
    let same = db
        .update(
            User::query()
                .filter(User::NAME.eq("Ann"))
                .update()
                .set(User::NAME, "Ann"),
        )
        .await
        .unwrap();
    assert_eq!(same, 1);
    let missing = db
        .update(User::update(id + 1).set(User::NAME, "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );
}

#[tokio::test]
async fn u64_above_i64_max_round_trips() {
    let db = open().await;
    db.create_schema::<Kinds>().await.unwrap();
    let k = Kinds {
        huge: u64::MAX,
        ..Kinds::sample("max")
    };
    db.insert(&k).await.unwrap();
    assert_eq!(db.get::<Kinds>("max".to_string()).await.unwrap(), k);
    let found: Vec<String> = db
        .all(
            Kinds::query()
                .filter(Kinds::HUGE.gt(i64::MAX as u64))
                .select(Kinds::KEY),
        )
        .await
        .unwrap();
    assert_eq!(found, ["max"]);
}

#[test]
fn database_is_replaced_in_the_url() {
    assert_eq!(
        with_database("mysql://root@h:1/test", "x"),
        "mysql://root@h:1/x"
    );
    assert_eq!(with_database("mysql://root@h:1", "x"), "mysql://root@h:1/x");
    assert_eq!(
        with_database("mysql://u:p@h/test?ssl-mode=disabled", "x"),
        "mysql://u:p@h/x?ssl-mode=disabled"
    );
}

/// Changes made behind keyway's back are listed by the drift check.
#[tokio::test]
async fn drift_behind_keywords_back() {
    let db = open().await;
    suite::schema_drift::changes_behind_keywords_back_are_listed(
        &db,
        raw_sql(db.executor()),
        &[
            "ALTER TABLE users ADD COLUMN nick LONGTEXT",
            "ALTER TABLE users MODIFY name VARCHAR(80) NULL",
            "ALTER TABLE users DROP INDEX users_email_key",
            "ALTER TABLE todos DROP FOREIGN KEY todos_owner_id_fkey",
            "CREATE INDEX todos_title_idx ON todos (title(20))",
        ],
        &[
            "`users.name` is varchar(80), declared longtext",
            "`users.name` admits NULL, declared NOT NULL",
            "`users` has column `nick`, which is not declared",
            "`users` has no unique index `users_email_key` (email)",
            "`todos` has index `todos_title_idx` (title), which is not declared",
            "`todos` has no foreign key `owner_id` -> `users.id` on delete restrict",
        ],
    )
    .await;
}

/// Without `DELETE .. RETURNING` (MySQL 8; here MariaDB told to keep to
/// what MySQL has), deletes return their rows as updates do on both: the
/// rows locked, read and written in one transaction (a savepoint inside an
/// open one). The same checks as with `RETURNING`.
#[tokio::test]
async fn writes_return_rows_without_returning() {
    let settings = || MySqlSettings::default().keys(MySqlKeys::OneByOne);
    let db = open_with(settings(), 4).await;
    assert!(!keyway_sql::Driver::returns_written(
        db.executor().driver(),
        true
    ));
    suite::returning::returned_rows_equal_a_fresh_read(&db).await;
    let db = open_with(settings(), 4).await;
    suite::returning::returning_keeps_the_errors_of_writes_by_key(&db).await;
    let db = open_with(settings(), 4).await;
    suite::returning::returning_in_transactions(&db).await;
    let db = open_with(settings(), 4).await;
    suite::returning::concurrent_returning_is_exact(&db).await;
}

/// Workers taking jobs with `for_update().skip_locked()` never take the
/// same one.
#[tokio::test]
async fn job_queue_workers_never_take_the_same_job() {
    let db = open().await;
    suite::row_locks::workers_never_take_the_same_job(&db).await;
}

/// `nowait` fails at once on a locked row, `skip_locked` leaves it out,
/// shared locks are shared.
#[tokio::test]
async fn row_locks_wait_skip_or_fail() {
    let db = open().await;
    suite::row_locks::locks_wait_skip_or_fail(&db).await;
}

/// A checked row stays share-locked until the checking transaction ends.
#[tokio::test]
async fn checks_share_lock_the_row() {
    let db = open().await;
    suite::checks::checks_share_lock_the_row(&db).await;
}
