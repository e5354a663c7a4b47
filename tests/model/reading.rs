// A sensor reading holding every value type beyond the scalars, keyed by a
// UUID (partition) and an instant (sort key).
use keyway::prelude::*;
use keyway::{Enum, Json, Numeric, PartitionKey};
use rust_decimal::Decimal;
use uuid::Uuid;

/// How serious a reading is: stored as text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    Info,
    Warning,
    Alarm,
}

impl Enum for Level {
    type Repr = &'static str;
    const VARIANTS: &'static [(Self, &'static str)] = &[
        (Level::Info, "info"),
        (Level::Warning, "warning"),
        (Level::Alarm, "alarm"),
    ];
}

/// A reading's source: stored as an integer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    Manual,
    Probe,
}

impl Enum for Source {
    type Repr = i32;
    const VARIANTS: &'static [(Self, i32)] = &[(Source::Manual, 1), (Source::Probe, 2)];
}

/// A typed JSON document.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Calibration {
    pub offset: f64,
    pub labels: Vec<String>,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub sensor: Uuid,
    pub at: jiff::Timestamp,
    pub day: jiff::civil::Date,
    pub local: jiff::civil::DateTime,
    pub time: jiff::civil::Time,
    pub logged: chrono::DateTime<chrono::Utc>,
    pub logged_day: chrono::NaiveDate,
    pub logged_local: chrono::NaiveDateTime,
    pub logged_time: chrono::NaiveTime,
    pub price: Decimal,
    pub exact: Numeric,
    pub level: Level,
    pub source: Source,
    pub meta: serde_json::Value,
    pub calibration: Json<Calibration>,
    pub checked_at: Option<jiff::Timestamp>,
    pub batch: Option<Uuid>,
    pub tags: Vec<String>,
    pub counts: Vec<i32>,
    pub seen: Vec<jiff::Timestamp>,
    pub refs: Vec<Uuid>,
    pub flags: Vec<bool>,
    pub ratios: Vec<f64>,
}

impl Reading {
    pub const SENSOR: Column<Reading, Uuid, PartitionKey> = Column::new("sensor");
    pub const AT: Column<Reading, jiff::Timestamp, SortKey> = Column::new("at");
    pub const DAY: Column<Reading, jiff::civil::Date> = Column::new("day");
    pub const LOCAL: Column<Reading, jiff::civil::DateTime> = Column::new("local");
    pub const TIME: Column<Reading, jiff::civil::Time> = Column::new("time_of_day");
    pub const LOGGED: Column<Reading, chrono::DateTime<chrono::Utc>> = Column::new("logged");
    pub const LOGGED_DAY: Column<Reading, chrono::NaiveDate> = Column::new("logged_day");
    pub const LOGGED_LOCAL: Column<Reading, chrono::NaiveDateTime> = Column::new("logged_local");
    pub const LOGGED_TIME: Column<Reading, chrono::NaiveTime> = Column::new("logged_time");
    pub const PRICE: Column<Reading, Decimal> = Column::new("price").decimal(12, 2);
    pub const EXACT: Column<Reading, Numeric> = Column::new("exact").decimal(18, 6);
    pub const LEVEL: Column<Reading, Level> = Column::new("level");
    pub const SOURCE: Column<Reading, Source> = Column::new("source");
    pub const META: Column<Reading, serde_json::Value> = Column::new("meta");
    pub const CALIBRATION: Column<Reading, Json<Calibration>> = Column::new("calibration");
    pub const CHECKED_AT: Column<Reading, Option<jiff::Timestamp>> = Column::new("checked_at");
    pub const BATCH: Column<Reading, Option<Uuid>> = Column::new("batch");
    pub const TAGS: Column<Reading, Vec<String>> = Column::new("tags");
    pub const COUNTS: Column<Reading, Vec<i32>> = Column::new("counts");
    pub const SEEN: Column<Reading, Vec<jiff::Timestamp>> = Column::new("seen");
    pub const REFS: Column<Reading, Vec<Uuid>> = Column::new("refs");
    pub const FLAGS: Column<Reading, Vec<bool>> = Column::new("flags");
    pub const RATIOS: Column<Reading, Vec<f64>> = Column::new("ratios");

    /// A reading of `sensor` at `at` microseconds past 2026-01-01T00:00Z,
    /// with ordinary values.
    pub fn sample(sensor: Uuid, micros: i64) -> Self {
        let at = jiff::Timestamp::from_microsecond(1_767_225_600_000_000 + micros).unwrap();
        Reading {
            sensor,
            at,
            day: jiff::civil::date(2026, 2, 28),
            local: jiff::civil::date(2026, 3, 29).at(2, 30, 0, 123_456_000),
            time: jiff::civil::time(23, 59, 59, 999_999_000),
            logged: chrono::DateTime::from_timestamp_micros(-1).unwrap(),
            logged_day: chrono::NaiveDate::from_ymd_opt(1969, 12, 31).unwrap(),
            logged_local: chrono::NaiveDate::from_ymd_opt(2000, 2, 29)
                .unwrap()
                .and_hms_micro_opt(12, 0, 0, 1)
                .unwrap(),
            logged_time: chrono::NaiveTime::from_hms_micro_opt(0, 0, 0, 1).unwrap(),
            price: Decimal::new(-1999, 2),
            exact: Numeric::parse("123456789012.345678").unwrap(),
            level: Level::Warning,
            source: Source::Probe,
            meta: serde_json::json!({
                "labels": {"color": "red", "size": 3},
                "tags": ["a", "b"],
                "ratio": 0.25,
                "big": 9007199254740993u64,
                "none": null,
                "empty": "",
            }),
            calibration: Json(Calibration {
                offset: -1.5,
                labels: vec!["x".into(), "".into()],
                by: None,
            }),
            checked_at: None,
            batch: Some(Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef)),
            tags: vec!["red".into(), "".into(), "quote \" and 'apostrophe'".into()],
            counts: vec![-1, 0, i32::MAX],
            seen: vec![at],
            refs: vec![sensor],
            flags: vec![true, false],
            ratios: vec![0.1, -2.5e-7],
        }
    }
}

impl Entity for Reading {
    type Key = (Uuid, jiff::Timestamp);
    const TABLE: &'static str = "readings";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Reading").key("SENSOR#{sensor}", "AT#{at}"));
    const COLUMNS: &'static [ColumnDef] = &[
        Reading::SENSOR.def(),
        Reading::AT.def(),
        Reading::DAY.def(),
        Reading::LOCAL.def(),
        Reading::TIME.def(),
        Reading::LOGGED.def(),
        Reading::LOGGED_DAY.def(),
        Reading::LOGGED_LOCAL.def(),
        Reading::LOGGED_TIME.def(),
        Reading::PRICE.def(),
        Reading::EXACT.def(),
        Reading::LEVEL.def(),
        Reading::SOURCE.def(),
        Reading::META.def(),
        Reading::CALIBRATION.def(),
        Reading::CHECKED_AT.def(),
        Reading::BATCH.def(),
        Reading::TAGS.def(),
        Reading::COUNTS.def(),
        Reading::SEEN.def(),
        Reading::REFS.def(),
        Reading::FLAGS.def(),
        Reading::RATIOS.def(),
    ];

    fn key(&self) -> Self::Key {
        (self.sensor, self.at)
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Reading::SENSOR, &self.sensor);
        row.put(Reading::AT, &self.at);
        row.put(Reading::DAY, &self.day);
        row.put(Reading::LOCAL, &self.local);
        row.put(Reading::TIME, &self.time);
        row.put(Reading::LOGGED, &self.logged);
        row.put(Reading::LOGGED_DAY, &self.logged_day);
        row.put(Reading::LOGGED_LOCAL, &self.logged_local);
        row.put(Reading::LOGGED_TIME, &self.logged_time);
        row.put(Reading::PRICE, &self.price);
        row.put(Reading::EXACT, &self.exact);
        row.put(Reading::LEVEL, &self.level);
        row.put(Reading::SOURCE, &self.source);
        row.put(Reading::META, &self.meta);
        row.put(Reading::CALIBRATION, &self.calibration);
        row.put(Reading::CHECKED_AT, &self.checked_at);
        row.put(Reading::BATCH, &self.batch);
        row.put(Reading::TAGS, &self.tags);
        row.put(Reading::COUNTS, &self.counts);
        row.put(Reading::SEEN, &self.seen);
        row.put(Reading::REFS, &self.refs);
        row.put(Reading::FLAGS, &self.flags);
        row.put(Reading::RATIOS, &self.ratios);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Reading {
            sensor: row.get(Reading::SENSOR)?,
            at: row.get(Reading::AT)?,
            day: row.get(Reading::DAY)?,
            local: row.get(Reading::LOCAL)?,
            time: row.get(Reading::TIME)?,
            logged: row.get(Reading::LOGGED)?,
            logged_day: row.get(Reading::LOGGED_DAY)?,
            logged_local: row.get(Reading::LOGGED_LOCAL)?,
            logged_time: row.get(Reading::LOGGED_TIME)?,
            price: row.get(Reading::PRICE)?,
            exact: row.get(Reading::EXACT)?,
            level: row.get(Reading::LEVEL)?,
            source: row.get(Reading::SOURCE)?,
            meta: row.get(Reading::META)?,
            calibration: row.get(Reading::CALIBRATION)?,
            checked_at: row.get(Reading::CHECKED_AT)?,
            batch: row.get(Reading::BATCH)?,
            tags: row.get(Reading::TAGS)?,
            counts: row.get(Reading::COUNTS)?,
            seen: row.get(Reading::SEEN)?,
            refs: row.get(Reading::REFS)?,
            flags: row.get(Reading::FLAGS)?,
            ratios: row.get(Reading::RATIOS)?,
        })
    }
}

/// A ticket's state, stored as text; `Lost` is missing from `VARIANTS` on
/// purpose (a variant keyway cannot store).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum State {
    Open,
    Closed,
    Lost,
}

impl Enum for State {
    type Repr = &'static str;
    const VARIANTS: &'static [(Self, &'static str)] =
        &[(State::Open, "open"), (State::Closed, "closed")];
}

/// A ticket's tier, stored as an integer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tier {
    Free,
    Paid,
}

impl Enum for Tier {
    type Repr = i64;
    const VARIANTS: &'static [(Self, i64)] = &[(Tier::Free, 0), (Tier::Paid, 10)];
}

/// Enums in a table that [`RawTicket`] also writes, with any value.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: i64,
    pub state: State,
    pub tier: Tier,
}

impl Ticket {
    pub const ID: Column<Ticket, i64, PrimaryKey> = Column::new("id");
    pub const STATE: Column<Ticket, State> = Column::new("state");
    pub const TIER: Column<Ticket, Tier> = Column::new("tier");
}

impl Entity for Ticket {
    type Key = i64;
    const TABLE: &'static str = "tickets";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Ticket").key("TICKET#{id}", "TICKET"));
    const COLUMNS: &'static [ColumnDef] =
        &[Ticket::ID.def(), Ticket::STATE.def(), Ticket::TIER.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Ticket::ID, &self.id);
        row.put(Ticket::STATE, &self.state);
        row.put(Ticket::TIER, &self.tier);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Ticket {
            id: row.get(Ticket::ID)?,
            state: row.get(Ticket::STATE)?,
            tier: row.get(Ticket::TIER)?,
        })
    }
}

/// The `tickets` table seen without its enums, as another program writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTicket {
    pub id: i64,
    pub state: String,
    pub tier: i64,
}

impl RawTicket {
    pub const ID: Column<RawTicket, i64, PrimaryKey> = Column::new("id");
    pub const STATE: Column<RawTicket, String> = Column::new("state");
    pub const TIER: Column<RawTicket, i64> = Column::new("tier");
}

impl Entity for RawTicket {
    type Key = i64;
    const TABLE: &'static str = "tickets";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Ticket").key("TICKET#{id}", "TICKET"));
    const COLUMNS: &'static [ColumnDef] = &[
        RawTicket::ID.def(),
        RawTicket::STATE.def(),
        RawTicket::TIER.def(),
    ];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(RawTicket::ID, &self.id);
        row.put(RawTicket::STATE, &self.state);
        row.put(RawTicket::TIER, &self.tier);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(RawTicket {
            id: row.get(RawTicket::ID)?,
            state: row.get(RawTicket::STATE)?,
            tier: row.get(RawTicket::TIER)?,
        })
    }
}
