//! `fetch_1000` of rows holding the value types behind keyway's cargo
//! features (a `jiff::Timestamp`, a `uuid::Uuid`, a `rust_decimal::Decimal`
//! in a `DECIMAL(12, 2)` column, a `Json<T>` document), keyway against a
//! hand-written raw-driver baseline in the same criterion group, on SQLite
//! and PostgreSQL.
//!
//! Groups `typed_fetch_1000/sqlite` and `typed_fetch_1000/postgres`, ids
//! `keyway` (`db.all(Event::query())`) and `raw` (the same `SELECT` written
//! by hand against the driver keyway wraps, each value decoded as a careful
//! program without an ORM would):
//!
//! * SQLite: rusqlite 0.39 (re-exported by keyway-sqlite) on the connection
//!   keyway's pool holds (`with_connection`, as `benches/sqlite.rs`): a
//!   cached prepared statement; INTEGER microseconds through
//!   `Timestamp::from_microsecond`, the 16-byte BLOB through
//!   `Uuid::from_slice`, the INTEGER of cents through `Decimal::new(v, 2)`,
//!   the TEXT through `serde_json::from_str`.
//! * PostgreSQL: tokio-postgres (re-exported by keyway-postgres) on the
//!   connection of keyway's pool (`acquire`, then `PgConn::client`; the pool
//!   holds one connection, so both sides use the same one and the raw
//!   side's statement, prepared once, stays valid): `client.query` of the
//!   prepared statement, then each row mapped. The workspace builds
//!   postgres-types with none of its `with-*` features, so no `FromSql` of
//!   tokio-postgres reads these types; the bench decodes the binary values
//!   by hand in small `FromSql` wrappers, as postgres-protocol does
//!   (`timestamptz` as big-endian microseconds since 2000-01-01, `uuid` as
//!   16 bytes, `NUMERIC` as base-10000 digits, `jsonb` as a version byte and
//!   the text, parsed with `serde_json::from_slice`).
//!
//! Both sides read the 1,000 rows seeded once per backend and must give
//! equal `Vec<Event>`s (checked once, outside the timed loop).
//!
//! Run with `cargo bench --bench typed_values` (server at
//! `KEYWAY_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! the bench works in a schema of its own and drops it); results are in
//! `BENCHMARKS.md`.

use std::error::Error as StdError;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use keyway::prelude::*;
use keyway::{Backend, Json, Supports, Unindexed};
use keyway_postgres::tokio_postgres::types::{FromSql, Type};
use keyway_postgres::tokio_postgres::{Row as PgRow, Statement};
use keyway_postgres::{Postgres, PostgresOptions, PostgresSettings};
use keyway_sqlite::Sqlite;
use keyway_sqlite::rusqlite::{self, Connection};
use rust_decimal::Decimal;
use sqlx::{Connection as _, Executor as _, PgConnection};
use tokio::runtime::Runtime;
use uuid::Uuid;

/// Rows read per iteration.
const ROWS: usize = 1_000;

/// The statement both sides send (keyway's own text for `Event::query()`).
const SELECT: &str = r#"SELECT "id", "at", "ref_id", "price", "meta" FROM "bench_events""#;

/// An event's JSON document: a short string, a flag and two short tags.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Meta {
    label: String,
    urgent: bool,
    tags: Vec<String>,
}

/// One row of every feature-gated value type.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    id: i64,
    at: jiff::Timestamp,
    ref_id: Uuid,
    price: Decimal,
    meta: Json<Meta>,
}

impl Event {
    const ID: Column<Event, i64, PrimaryKey> = Column::new("id");
    const AT: Column<Event, jiff::Timestamp> = Column::new("at");
    const REF_ID: Column<Event, Uuid> = Column::new("ref_id");
    const PRICE: Column<Event, Decimal> = Column::new("price").decimal(12, 2);
    const META: Column<Event, Json<Meta>> = Column::new("meta");
}

impl Entity for Event {
    type Key = i64;
    const TABLE: &'static str = "bench_events";
    const COLUMNS: &'static [ColumnDef] = &[
        Event::ID.def(),
        Event::AT.def(),
        Event::REF_ID.def(),
        Event::PRICE.def(),
        Event::META.def(),
    ];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Event::ID, &self.id);
        row.put(Event::AT, &self.at);
        row.put(Event::REF_ID, &self.ref_id);
        row.put(Event::PRICE, &self.price);
        row.put(Event::META, &self.meta);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Event {
            id: row.get(Event::ID)?,
            at: row.get(Event::AT)?,
            ref_id: row.get(Event::REF_ID)?,
            price: row.get(Event::PRICE)?,
            meta: row.get(Event::META)?,
        })
    }
}

/// The seeded rows: instants a second and some microseconds apart from
/// 2026-01-01T00:00Z, distinct UUIDs, prices of both signs with cents.
fn events() -> Vec<Event> {
    (1..=ROWS as i64)
        .map(|i| Event {
            id: i,
            at: jiff::Timestamp::from_microsecond(1_767_225_600_000_000 + i * 1_000_537)
                .expect("an instant jiff holds"),
            ref_id: Uuid::from_u128(
                0x0193_0000_7000_8000_0000_0000_0000_0000 | ((i as u128) << 32) | i as u128,
            ),
            price: Decimal::new((i * 7_919) % 2_000_000 - 500_000, 2),
            meta: Json(Meta {
                label: format!("event {i}"),
                urgent: i % 3 == 0,
                tags: vec!["alpha".into(), "beta".into()],
            }),
        })
        .collect()
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A decoding failure of the raw side, for the driver's error types.
fn failed(e: impl StdError + Send + Sync + 'static) -> Box<dyn StdError + Send + Sync> {
    Box::new(e)
}

// ---- SQLite ---------------------------------------------------------------

/// One row, decoded by hand from SQLite's storage classes.
fn sqlite_event(row: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    use rusqlite::types::Type as Sql;
    let conversion = |i, ty, e| rusqlite::Error::FromSqlConversionFailure(i, ty, e);
    let micros: i64 = row.get(1)?;
    let ref_id = row.get_ref(2)?.as_blob()?;
    let cents: i64 = row.get(3)?;
    let meta = row.get_ref(4)?.as_str()?;
    Ok(Event {
        id: row.get(0)?,
        at: jiff::Timestamp::from_microsecond(micros)
            .map_err(|e| conversion(1, Sql::Integer, failed(e)))?,
        ref_id: Uuid::from_slice(ref_id).map_err(|e| conversion(2, Sql::Blob, failed(e)))?,
        price: Decimal::new(cents, 2),
        meta: Json(serde_json::from_str(meta).map_err(|e| conversion(4, Sql::Text, failed(e)))?),
    })
}

/// Every event, by hand with rusqlite on the pool's connection.
async fn sqlite_raw(db: &Db<Sqlite>) -> Vec<Event> {
    db.executor()
        .with_connection(|conn: &Connection| {
            conn.prepare_cached(SELECT)?
                .query_map([], sqlite_event)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await
        .expect("a pooled connection")
        .expect("raw rusqlite")
}

fn sqlite(c: &mut Criterion, rt: &Runtime) {
    let seeded = events();
    let db = rt.block_on(async {
        let db = Sqlite::memory().await.expect("open in-memory SQLite");
        db.create_schema::<Event>()
            .await
            .expect("create bench_events");
        db.insert_many(&seeded).await.expect("seed");
        db
    });
    fetch_group(c, rt, "sqlite", &db, &seeded, "raw_rusqlite", || {
        sqlite_raw(&db)
    });
}

/// Checks that keyway and the raw baseline (`raw`, named `raw_id`) both
/// read back what was seeded, then times both in the group
/// `typed_fetch_1000/{backend}`.
fn fetch_group<B: Backend + Supports<Unindexed>, F: Future<Output = Vec<Event>>>(
    c: &mut Criterion,
    rt: &Runtime,
    backend: &str,
    db: &Db<B>,
    seeded: &[Event],
    raw_id: &str,
    raw: impl Fn() -> F,
) {
    let (keyway, from_raw) = rt.block_on(async {
        let keyway = db.all(Event::query()).await.expect("all");
        (keyway, raw().await)
    });
    assert_eq!(keyway, seeded, "keyway reads back what was seeded");
    assert_eq!(from_raw, keyway, "{raw_id} and keyway read the same events");

    let mut group = c.benchmark_group(format!("typed_fetch_1000/{backend}"));
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| async {
            let all = db.all(Event::query()).await.expect("all");
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.bench_function(raw_id, |b| {
        b.to_async(rt).iter(|| async {
            let all = raw().await;
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.finish();
}

// ---- PostgreSQL -----------------------------------------------------------

type Decoded<T> = std::result::Result<T, Box<dyn StdError + Sync + Send>>;

/// Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// A `timestamptz`: big-endian microseconds since 2000-01-01.
struct PgTimestamp(jiff::Timestamp);

impl<'a> FromSql<'a> for PgTimestamp {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Decoded<Self> {
        let micros = i64::from_be_bytes(raw.try_into().map_err(|_| "a timestamptz is 8 bytes")?);
        let unix = micros
            .checked_add(PG_EPOCH_MICROS)
            .ok_or("timestamptz out of range")?;
        Ok(PgTimestamp(jiff::Timestamp::from_microsecond(unix)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMPTZ
    }
}

/// A `uuid`: its 16 bytes.
struct PgUuid(Uuid);

impl<'a> FromSql<'a> for PgUuid {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Decoded<Self> {
        Ok(PgUuid(Uuid::from_slice(raw)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::UUID
    }
}

/// A `NUMERIC`: digit count, weight, sign and display scale (16 bits each),
/// then base-10000 digits, the first worth 10000^weight.
struct PgDecimal(Decimal);

impl<'a> FromSql<'a> for PgDecimal {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Decoded<Self> {
        let word = |i: usize| -> Decoded<u16> {
            let pair = raw.get(2 * i..2 * i + 2).ok_or("truncated NUMERIC")?;
            Ok(u16::from_be_bytes([pair[0], pair[1]]))
        };
        let (ndigits, weight, sign, scale) = (word(0)? as i16, word(1)? as i16, word(2)?, word(3)?);
        if sign != 0x0000 && sign != 0x4000 {
            return Err("NaN or infinite NUMERIC".into());
        }
        // The digits as one integer, then brought to the display scale: it
        // counts 4 × (ndigits - 1 - weight) decimal places.
        let mut digits: i128 = 0;
        for i in 0..ndigits.max(0) as usize {
            let digit = i128::from(word(4 + i)?);
            digits = digits
                .checked_mul(10_000)
                .and_then(|d| d.checked_add(digit))
                .ok_or("NUMERIC beyond 96 bits")?;
        }
        let places = 4 * (i32::from(ndigits) - 1 - i32::from(weight));
        let shift = i32::from(scale) - places;
        let mantissa = if digits == 0 {
            0
        } else if shift >= 0 {
            10i128
                .checked_pow(shift as u32)
                .and_then(|p| digits.checked_mul(p))
                .ok_or("NUMERIC beyond 96 bits")?
        } else {
            // Digits below the display scale are zeros PostgreSQL kept.
            digits / 10i128.pow((-shift) as u32)
        };
        let mantissa = if sign == 0x4000 { -mantissa } else { mantissa };
        Ok(PgDecimal(Decimal::try_from_i128_with_scale(
            mantissa,
            u32::from(scale),
        )?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// A `jsonb` document: format version 1, then the JSON text.
struct PgJson<T>(T);

impl<'a, T: serde::Deserialize<'a>> FromSql<'a> for PgJson<T> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Decoded<Self> {
        match raw.split_first() {
            Some((1, json)) => Ok(PgJson(serde_json::from_slice(json)?)),
            _ => Err("a jsonb value of an unknown format version".into()),
        }
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::JSONB
    }
}

/// One row, each column through its `FromSql`.
fn pg_event(row: &PgRow) -> std::result::Result<Event, keyway_postgres::tokio_postgres::Error> {
    Ok(Event {
        id: row.try_get(0)?,
        at: row.try_get::<_, PgTimestamp>(1)?.0,
        ref_id: row.try_get::<_, PgUuid>(2)?.0,
        price: row.try_get::<_, PgDecimal>(3)?.0,
        meta: Json(row.try_get::<_, PgJson<Meta>>(4)?.0),
    })
}

/// Every event, by hand with tokio-postgres on the pool's connection.
async fn pg_raw(db: &Db<Postgres>, statement: &Statement) -> Vec<Event> {
    let conn = db.executor().acquire().await.expect("a pooled connection");
    let rows = conn
        .client()
        .query(statement, &[])
        .await
        .expect("raw select");
    conn.release();
    rows.iter()
        .map(pg_event)
        .collect::<std::result::Result<_, _>>()
        .expect("raw decode")
}

fn postgres(c: &mut Criterion, rt: &Runtime) {
    let url = std::env::var("KEYWAY_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("kw_bench_typed_{}", std::process::id());
    let admin = async || {
        PgConnection::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {url} cannot be reached: {e}"))
    };
    let seeded = events();
    let (db, statement) = rt.block_on(async {
        let create = format!("CREATE SCHEMA {schema}");
        admin()
            .await
            .execute(create.as_str())
            .await
            .expect("create the bench schema");
        // One connection: keyway's statements and the raw side's run on it.
        let db = PostgresOptions::new(&url)
            .max_connections(1)
            .settings(PostgresSettings::default().search_path(schema.clone()))
            .connect()
            .await
            .expect("connect");
        db.create_schema::<Event>()
            .await
            .expect("create bench_events");
        db.insert_many(&seeded).await.expect("seed");
        let conn = db.executor().acquire().await.expect("a pooled connection");
        let statement = conn.client().prepare(SELECT).await.expect("prepare");
        let tls: bool = conn
            .client()
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .expect("the connection's TLS state")
            .get(0);
        eprintln!(
            "typed_fetch_1000/postgres: one connection, {}",
            if tls { "TLS" } else { "plain TCP" }
        );
        conn.release();
        (db, statement)
    });
    fetch_group(
        c,
        rt,
        "postgres",
        &db,
        &seeded,
        "raw_tokio_postgres",
        || pg_raw(&db, &statement),
    );

    rt.block_on(async {
        db.executor().close().await;
        let drop = format!("DROP SCHEMA {schema} CASCADE");
        admin()
            .await
            .execute(drop.as_str())
            .await
            .expect("drop the bench schema");
    });
}

fn main() {
    let rt = runtime();
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    sqlite(&mut c, &rt);
    postgres(&mut c, &rt);
    c.final_summary();
}
