//! TLS (`ssl-mode`, `ssl-ca`, `ssl-cert`, `ssl-key`) against the scratch
//! MariaDB of `scripts/mariadb_scratch`, URL checking, and how concurrency
//! errors (deadlocks, lock and statement timeouts) reach keyway's API.
//!
//! The scratch server's whereabouts come from the environment its `start`
//! exports (`KEYWAY_MARIADB_TLS_PORT`, `KEYWAY_MARIADB_CA`, ...); the
//! server without TLS is the main one (`KEYWAY_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306/test`). Encryption is judged from the
//! server's side: `Ssl_cipher` is non-empty on a TLS session.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use keyway::prelude::*;
use keyway::{Error, TableDef};
use keyway_mysql::{MySql, MySqlDriver, MySqlOptions};
use sqlx::{Executor, Row};

/// Where the scratch MariaDB with TLS is, from `scripts/mariadb_scratch start`.
struct Scratch {
    port: u16,
    ca: String,
    other_ca: String,
    client_cert: String,
    client_key: String,
}

fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!(
            "{name} is not set: the TLS tests need the scratch MariaDB with TLS. \
             Run ./scripts/test, which starts the scratch MariaDB, or start it yourself: \
             eval \"$(scripts/mariadb_scratch start)\""
        ),
    }
}

fn scratch() -> Scratch {
    let port = env("KEYWAY_MARIADB_TLS_PORT");
    Scratch {
        port: port
            .parse()
            .unwrap_or_else(|_| panic!("KEYWAY_MARIADB_TLS_PORT is not a port: {port:?}")),
        ca: env("KEYWAY_MARIADB_CA"),
        other_ca: env("KEYWAY_MARIADB_OTHER_CA"),
        client_cert: env("KEYWAY_MARIADB_CLIENT_CERT"),
        client_key: env("KEYWAY_MARIADB_CLIENT_KEY"),
    }
}

/// A URL query value (a path may hold `&`, `=` or spaces).
fn q(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl Scratch {
    /// `mysql://{login}@{host}:{port}/{database}{query}` on the scratch server.
    fn url(&self, login: &str, host: &str, database: &str, query: &str) -> String {
        format!("mysql://{login}@{host}:{}/{database}{query}", self.port)
    }

    /// root on 127.0.0.1, database test.
    fn root(&self, query: &str) -> String {
        self.url("root", "127.0.0.1", "test", query)
    }
}

/// The main MariaDB's URL (no TLS there), without its query.
fn main_url(query: &str) -> String {
    let url = std::env::var("KEYWAY_MYSQL_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306/test".into());
    let base = url.split_once('?').map_or(url.as_str(), |(base, _)| base);
    format!("{base}{query}")
}

async fn connect(url: &str) -> keyway::Result<Db<MySql>> {
    MySqlOptions::new(url)
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(20))
        .connect()
        .await
}

async fn connected(url: &str) -> Db<MySql> {
    connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to {url}: {e}"))
}

/// Asserts that connecting to `url` fails with `Error::Connection`, and
/// returns what it said.
async fn refused(url: &str) -> String {
    match connect(url).await {
        Err(Error::Connection(e)) => e.to_string(),
        Err(other) => panic!("{url}: expected Error::Connection, got {other:?}"),
        Ok(db) => panic!(
            "{url}: expected a refusal, but it connected (Ssl_cipher {:?})",
            cipher(&db).await
        ),
    }
}

/// One row of `SHOW ...` as (name, value).
async fn show(db: &Db<MySql>, sql: &str) -> String {
    let mut conn = db.executor().acquire().await.expect("a pooled connection");
    let row = sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.release();
    row.try_get::<String, _>(1)
        .or_else(|_| {
            row.try_get::<Vec<u8>, _>(1)
                .map(|b| String::from_utf8_lossy(&b).into())
        })
        .expect("the value of a SHOW row")
}

/// The session's cipher as the server sees it: empty in plaintext.
async fn cipher(db: &Db<MySql>) -> String {
    show(db, "SHOW SESSION STATUS LIKE 'Ssl_cipher'").await
}

async fn assert_encrypted(db: &Db<MySql>, what: &str) {
    let cipher = cipher(db).await;
    assert!(
        !cipher.is_empty(),
        "{what}: expected a TLS session, the server says plaintext"
    );
}

async fn assert_plaintext(db: &Db<MySql>, what: &str) {
    let cipher = cipher(db).await;
    assert!(
        cipher.is_empty(),
        "{what}: expected plaintext, got {cipher}"
    );
}

/// Whether the main server offers TLS (`have_ssl` is `YES`).
async fn main_has_tls(db: &Db<MySql>) -> bool {
    show(db, "SHOW VARIABLES LIKE 'have_ssl'").await == "YES"
}

// --- ssl-mode -------------------------------------------------------------

#[tokio::test]
async fn disabled_is_plaintext() {
    let s = scratch();
    let db = connected(&s.root("?ssl-mode=DISABLED")).await;
    assert_plaintext(&db, "DISABLED").await;
}

#[tokio::test]
async fn preferred_and_the_default_use_tls_when_the_server_offers_it() {
    let s = scratch();
    for query in ["?ssl-mode=PREFERRED", "?sslmode=preferred", ""] {
        let db = connected(&s.root(query)).await;
        assert_encrypted(&db, &format!("PREFERRED ({query:?})")).await;
    }
}

#[tokio::test]
async fn preferred_stays_plaintext_on_a_server_without_tls() {
    let db = connected(&main_url("?ssl-mode=PREFERRED")).await;
    if main_has_tls(&db).await {
        assert_encrypted(&db, "PREFERRED on the main server (have_ssl=YES)").await;
    } else {
        assert_plaintext(&db, "PREFERRED on the main server (have_ssl is not YES)").await;
    }
    let default = connected(&main_url("")).await;
    assert_eq!(cipher(&default).await, cipher(&db).await);
}

#[tokio::test]
async fn required_is_encrypted() {
    let s = scratch();
    let db = connected(&s.root("?ssl-mode=REQUIRED")).await;
    assert_encrypted(&db, "REQUIRED").await;
}

#[tokio::test]
async fn required_fails_on_a_server_without_tls() {
    let probe = connected(&main_url("?ssl-mode=DISABLED")).await;
    assert!(
        !main_has_tls(&probe).await,
        "the main server ({}) offers TLS (have_ssl=YES): this case needs a server without \
         TLS; point KEYWAY_MYSQL_URL at one",
        main_url("")
    );
    let said = refused(&main_url("?ssl-mode=REQUIRED")).await;
    assert!(said.contains("TLS"), "{said}");
}

// --- server certificate checks ----------------------------------------------

#[tokio::test]
async fn verify_ca_accepts_the_servers_ca_and_refuses_another() {
    let s = scratch();
    let ok = format!("?ssl-mode=VERIFY_CA&ssl-ca={}", q(&s.ca));
    let db = connected(&s.url("root", "localhost", "test", &ok)).await;
    assert_encrypted(&db, "VERIFY_CA with the server's CA").await;

    let other = format!("?ssl-mode=VERIFY_CA&ssl-ca={}", q(&s.other_ca));
    let said = refused(&s.url("root", "localhost", "test", &other)).await;
    assert!(said.contains("certificate"), "{said}");
    // Without ssl-ca only the built-in (public) roots are trusted.
    refused(&s.url("root", "localhost", "test", "?ssl-mode=VERIFY_CA")).await;
}

/// MySQL's VERIFY_CA does not check the host name, but sqlx 0.8.6 with
/// rustls >= 0.23.24 does (launchbadge/sqlx#3793, fixed after 0.8.6): its
/// "ignore a name mismatch" verifier matches only rustls' older error
/// variant. So VERIFY_CA to an address the certificate does not name is
/// refused today. When this test fails, sqlx has the fix: turn it into an
/// `ok` case and update the README's ssl-mode paragraph.
#[tokio::test]
async fn verify_ca_by_an_unnamed_address_is_refused_until_sqlx_fixes_it() {
    let s = scratch();
    let query = format!("?ssl-mode=VERIFY_CA&ssl-ca={}", q(&s.ca));
    let said = refused(&s.root(&query)).await;
    assert!(said.contains("not valid for name"), "{said}");
}

#[tokio::test]
async fn verify_identity_checks_the_name_in_the_certificate() {
    let s = scratch();
    let query = format!("?ssl-mode=VERIFY_IDENTITY&ssl-ca={}", q(&s.ca));
    let db = connected(&s.url("root", "localhost", "test", &query)).await;
    assert_encrypted(&db, "VERIFY_IDENTITY to localhost").await;
    // The certificate names localhost only, not 127.0.0.1.
    let said = refused(&s.root(&query)).await;
    assert!(said.contains("not valid for name"), "{said}");
    // Signed by a CA the client does not trust.
    let other = format!("?ssl-mode=VERIFY_IDENTITY&ssl-ca={}", q(&s.other_ca));
    refused(&s.url("root", "localhost", "test", &other)).await;
}

// --- users that require TLS or a client certificate -------------------------

#[tokio::test]
async fn a_user_requiring_ssl_needs_tls() {
    let s = scratch();
    let login = "keyway_tls:tls-secret";
    let said = refused(&s.url(login, "127.0.0.1", "test", "?ssl-mode=DISABLED")).await;
    assert!(said.contains("Access denied"), "{said}");
    let db = connected(&s.url(login, "127.0.0.1", "test", "?ssl-mode=REQUIRED")).await;
    assert_encrypted(&db, "keyway_tls with REQUIRED").await;
    let user = show(&db, "SELECT 'user', CURRENT_USER()").await;
    assert_eq!(user, "keyway_tls@%");
}

#[tokio::test]
async fn a_user_requiring_x509_needs_a_client_certificate() {
    let s = scratch();
    let said = refused(&s.url("keyway_x509", "127.0.0.1", "test", "?ssl-mode=REQUIRED")).await;
    assert!(said.contains("Access denied"), "{said}");
    let with_cert = format!(
        "?ssl-mode=REQUIRED&ssl-cert={}&ssl-key={}",
        q(&s.client_cert),
        q(&s.client_key)
    );
    let db = connected(&s.url("keyway_x509", "127.0.0.1", "test", &with_cert)).await;
    assert_encrypted(&db, "keyway_x509 with its certificate").await;
    let user = show(&db, "SELECT 'user', CURRENT_USER()").await;
    assert_eq!(user, "keyway_x509@%");
    // Also with the server verified.
    let verified = format!(
        "?ssl-mode=VERIFY_IDENTITY&ssl-ca={}&ssl-cert={}&ssl-key={}",
        q(&s.ca),
        q(&s.client_cert),
        q(&s.client_key)
    );
    connected(&s.url("keyway_x509", "localhost", "test", &verified)).await;
}

// --- the URL is checked -------------------------------------------------------

fn invalid_detail(result: keyway::Result<Db<MySql>>) -> String {
    match result {
        Err(Error::Invalid { what, detail }) => {
            assert_eq!(what, "MySQL URL");
            detail
        }
        Err(other) => panic!("expected Error::Invalid, got {other:?}"),
        Ok(_) => panic!("expected Error::Invalid, but it connected"),
    }
}

#[tokio::test]
async fn an_unknown_url_option_is_refused_by_name() {
    let s = scratch();
    let detail = invalid_detail(connect(&s.root("?ssl-mode=REQUIRED&sslmod=VERIFY_CA")).await);
    assert!(detail.contains("unknown option `sslmod`"), "{detail}");
    let detail = invalid_detail(connect(&s.root("?ssl_mode=REQUIRED")).await);
    assert!(detail.contains("`ssl_mode`"), "{detail}");
}

#[tokio::test]
async fn a_misplaced_or_broken_tls_option_is_refused() {
    let s = scratch();
    let ca = q(&s.ca);
    let cases = [
        (format!("?ssl-ca={ca}"), "only used by ssl-mode=VERIFY_CA"),
        (
            format!("?ssl-mode=REQUIRED&ssl-ca={ca}"),
            "ssl-mode is REQUIRED",
        ),
        (
            format!("?ssl-mode=DISABLED&ssl-ca={ca}"),
            "ssl-mode is DISABLED",
        ),
        ("?ssl-mode=VERIFY".into(), "unknown ssl-mode `VERIFY`"),
        ("?ssl-mode=REQUIRED&sslmode=DISABLED".into(), "given twice"),
        (format!("?ssl-cert={}", q(&s.client_cert)), "go together"),
        (
            "?ssl-mode=VERIFY_CA&ssl-ca=".into(),
            "`ssl-ca` has no value",
        ),
    ];
    for (query, expected) in cases {
        let detail = invalid_detail(connect(&s.root(&query)).await);
        assert!(detail.contains(expected), "{query}: {detail}");
    }
    // A CA file that does not exist: the connection fails, clearly.
    let missing = "?ssl-mode=VERIFY_CA&ssl-ca=/nonexistent/keyway-ca.crt";
    let said = refused(&s.url("root", "localhost", "test", missing)).await;
    assert!(!said.is_empty());
}

// --- concurrency errors through keyway's API ------------------------------------

/// A bank account, keyed by a given id (no `auto` column).
#[derive(Debug, Clone, PartialEq)]
struct Account {
    id: i64,
    balance: i64,
}

impl Account {
    const ID: Column<Account, i64, PrimaryKey> = Column::new("id");
    const BALANCE: Column<Account, i64> = Column::new("balance");
}

impl Entity for Account {
    type Key = i64;
    const TABLE: &'static str = "accounts";
    const COLUMNS: &'static [ColumnDef] = &[Account::ID.def(), Account::BALANCE.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Account::ID, &self.id);
        row.put(Account::BALANCE, &self.balance);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Account {
            id: row.get(Account::ID)?,
            balance: row.get(Account::BALANCE)?,
        })
    }
}

/// A fresh database on the scratch server with accounts 1 and 2, and its URL.
async fn accounts() -> (Db<MySql>, String) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let s = scratch();
    let name = format!(
        "keyway_tls_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = connected(&s.root("")).await;
    let mut conn = admin.executor().acquire().await.unwrap();
    conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    conn.release();
    let url = s.url("root", "127.0.0.1", &name, "");
    let db = connected(&url).await;
    db.create_schema::<Account>().await.unwrap();
    db.insert_many(&[Account { id: 1, balance: 0 }, Account { id: 2, balance: 0 }])
        .await
        .unwrap();
    (db, url)
}

/// Runs `sql` on a pooled connection of `db`, which then goes back to the
/// pool as it is: the next statement of a one-connection pool runs on it.
async fn on_the_connection(db: &Db<MySql>, sql: &str) {
    let mut conn = db.executor().acquire().await.unwrap();
    conn.execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.release();
}

/// The server's ids of `n` connections of the pool, taken at once.
async fn connection_ids(db: &Db<MySql>, n: usize) -> BTreeSet<u64> {
    let mut conns = Vec::new();
    let mut ids = BTreeSet::new();
    for _ in 0..n {
        let mut conn = db.executor().acquire().await.unwrap();
        let id: u64 = sqlx::query_scalar("SELECT CONNECTION_ID()")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        ids.insert(id);
        conns.push(conn);
    }
    conns.into_iter().for_each(|c| c.release());
    ids
}

const BOUND: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_deadlock_is_a_transaction_conflict_and_the_connection_stays_usable() {
    let (db, _) = accounts().await;
    let before = connection_ids(&db, 2).await;
    assert_eq!(before.len(), 2);

    let first = db.begin().await.unwrap();
    let second = db.begin().await.unwrap();
    // Each locks one row, then wants the other's.
    first
        .update(Account::update(1).set(Account::BALANCE, 10))
        .await
        .unwrap();
    second
        .update(Account::update(2).set(Account::BALANCE, 20))
        .await
        .unwrap();
    let crossed = futures::future::join(
        first.update(Account::update(2).set(Account::BALANCE, 11)),
        second.update(Account::update(1).set(Account::BALANCE, 21)),
    );
    let (a, b) = tokio::time::timeout(BOUND, crossed)
        .await
        .expect("the deadlock is detected within 30 s");
    let a_won = match (&a, &b) {
        (Ok(()), Err(Error::TransactionConflict { detail }))
        | (Err(Error::TransactionConflict { detail }), Ok(())) => {
            assert!(detail.contains("Deadlock"), "{detail}");
            a.is_ok()
        }
        other => panic!("expected one TransactionConflict and one success, got {other:?}"),
    };
    let conflict = a.as_ref().err().or(b.as_ref().err()).unwrap();
    assert!(conflict.is_retryable(), "a conflict is retryable");
    let (winner, loser) = if a_won {
        (first, second)
    } else {
        (second, first)
    };
    winner.commit().await.unwrap();
    // The server already rolled the loser back; rolling back again is fine.
    loser.rollback().await.unwrap();

    // Only the winner's writes are there.
    let one = db.get::<Account>(1).await.unwrap().balance;
    let two = db.get::<Account>(2).await.unwrap().balance;
    assert_eq!((one, two), if a_won { (10, 11) } else { (21, 20) });
    // Both connections went back to the pool, and are the same two.
    assert_eq!(db.executor().idle_connections(), 2);
    assert_eq!(connection_ids(&db, 2).await, before);
}

/// The same deadlock in raw SQL (`SELECT ... FOR UPDATE`) on pooled
/// connections, its error mapped as keyway maps a statement's errors.
#[tokio::test]
async fn a_deadlock_between_locking_reads_maps_to_a_transaction_conflict() {
    let (db, _) = accounts().await;
    let table = TableDef::of::<Account>();
    let mut a = db.executor().acquire().await.unwrap();
    let mut b = db.executor().acquire().await.unwrap();
    let lock = |id: i64| format!("SELECT balance FROM accounts WHERE id = {id} FOR UPDATE");
    a.execute("BEGIN").await.unwrap();
    b.execute("BEGIN").await.unwrap();
    a.execute(lock(1).as_str()).await.unwrap();
    b.execute(lock(2).as_str()).await.unwrap();
    let (sql_a, sql_b) = (lock(2), lock(1));
    let crossed = futures::future::join(a.execute(sql_a.as_str()), b.execute(sql_b.as_str()));
    let (ra, rb) = tokio::time::timeout(BOUND, crossed)
        .await
        .expect("the deadlock is detected within 30 s");
    let mapped = [ra, rb].map(|r| {
        r.map(drop)
            .map_err(|e| keyway_sql::map_error::<MySqlDriver>(e, &table))
    });
    let conflicts = mapped
        .iter()
        .filter(|r| matches!(r, Err(Error::TransactionConflict { .. })))
        .count();
    assert_eq!(conflicts, 1, "{mapped:?}");
    assert_eq!(mapped.iter().filter(|r| r.is_ok()).count(), 1, "{mapped:?}");
    // Both connections still answer.
    for conn in [&mut a, &mut b] {
        conn.execute("ROLLBACK").await.unwrap();
        let one: i64 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut **conn)
            .await
            .unwrap();
        assert_eq!(one, 1);
    }
    a.release();
    b.release();
}

/// MariaDB's snapshot isolation (innodb_snapshot_isolation, on by default in
/// newer releases): writing a row changed since the transaction's snapshot aborts
/// the transaction (ER_CHECKREAD) — a conflict to run again.
#[tokio::test]
async fn a_changed_snapshot_is_a_transaction_conflict() {
    let (db, url) = accounts().await;
    let single = MySqlOptions::new(&url)
        .max_connections(1)
        .connect()
        .await
        .unwrap();
    // Under REPEATABLE READ, the default.
    on_the_connection(&single, "SET SESSION innodb_snapshot_isolation = ON").await;
    let tx = single.begin().await.unwrap();
    // The snapshot is taken at the first read.
    assert_eq!(tx.get::<Account>(1).await.unwrap().balance, 0);
    db.update(Account::update(1).set(Account::BALANCE, 5))
        .await
        .unwrap();
    let err = tx
        .update(Account::update(1).set(Account::BALANCE, 1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TransactionConflict { .. }), "{err:?}");
    tx.rollback().await.unwrap();
    assert_eq!(single.get::<Account>(1).await.unwrap().balance, 5);
}

#[tokio::test]
async fn a_lock_wait_timeout_is_a_timeout() {
    let (db, url) = accounts().await;
    let holder = db.begin().await.unwrap();
    holder
        .update(Account::update(1).set(Account::BALANCE, 1))
        .await
        .unwrap();

    // A pool of one connection, which waits at most 1 s for a row lock.
    let waiter = MySqlOptions::new(&url)
        .max_connections(1)
        .connect()
        .await
        .unwrap();
    on_the_connection(&waiter, "SET SESSION innodb_lock_wait_timeout = 1").await;
    let started = Instant::now();
    let blocked = waiter.update(Account::update(1).set(Account::BALANCE, 2));
    let err = tokio::time::timeout(BOUND, blocked)
        .await
        .expect("bounded by innodb_lock_wait_timeout")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(m) if m.contains("Lock wait timeout")),
        "{err:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    // The pool still serves (a timed-out connection may be replaced).
    assert_eq!(waiter.get::<Account>(2).await.unwrap().balance, 0);

    // In a transaction only the statement is rolled back: it goes on.
    on_the_connection(&waiter, "SET SESSION innodb_lock_wait_timeout = 1").await;
    let tx = waiter.begin().await.unwrap();
    tx.update(Account::update(2).set(Account::BALANCE, 7))
        .await
        .unwrap();
    let err = tx
        .update(Account::update(1).set(Account::BALANCE, 2))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(!err.is_retryable());
    tx.commit().await.unwrap();
    holder.rollback().await.unwrap();
    assert_eq!(db.get::<Account>(2).await.unwrap().balance, 7);
    assert_eq!(db.get::<Account>(1).await.unwrap().balance, 0);
}

/// MariaDB's max_statement_time interrupting a statement (ER_STATEMENT_TIMEOUT,
/// 1969; MySQL's max_execution_time, 3024, maps the same way).
#[tokio::test]
async fn a_statement_timeout_is_a_timeout() {
    let (db, url) = accounts().await;
    let holder = db.begin().await.unwrap();
    holder
        .update(Account::update(1).set(Account::BALANCE, 1))
        .await
        .unwrap();
    let waiter = MySqlOptions::new(&url)
        .max_connections(1)
        .connect()
        .await
        .unwrap();
    on_the_connection(
        &waiter,
        "SET SESSION max_statement_time = 0.5, SESSION innodb_lock_wait_timeout = 30",
    )
    .await;
    let started = Instant::now();
    let blocked = waiter.update(Account::update(1).set(Account::BALANCE, 2));
    let err = tokio::time::timeout(BOUND, blocked)
        .await
        .expect("bounded by max_statement_time")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(m) if m.contains("max_statement_time")),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    holder.rollback().await.unwrap();
    assert_eq!(waiter.get::<Account>(1).await.unwrap().balance, 0);
}
