//! Reliability on every backend: random values of every type round-trip
//! exactly, and a bounded concurrent soak ends with exactly what was
//! acknowledged. Only keyed access and explicit scans, so DynamoDB runs it too.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use keyway::prelude::*;
use keyway::{Backend, Error};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRng, TestRunner};

use super::Limits;
use super::limits::{is_negative_zero, same_kinds};
use crate::model::{Kinds, User};

fn text(limits: Limits, key: bool) -> impl Strategy<Value = String> {
    let any = proptest::prop_oneof![
        proptest::string::string_regex(".{0,24}").expect("regex"),
        proptest::string::string_regex("[\\x00-\\x7f'\";%_\\\\-]{0,24}").expect("regex"),
        proptest::strategy::Just("x".repeat(1_000)),
    ];
    any.prop_filter("the backend cannot store it", move |s| {
        if key {
            !s.is_empty() && limits.key_fits(s)
        } else {
            limits.text_fits(s)
        }
    })
}

/// Any double the backend stores, and -0.0 whether it does or not (a row
/// holding one it cannot store must be refused, see `random_round_trips`).
fn double(limits: Limits) -> impl Strategy<Value = f64> {
    proptest::prop_oneof![
        proptest::num::f64::ANY,
        proptest::strategy::Just(f64::MAX),
        proptest::strategy::Just(f64::MIN_POSITIVE),
        proptest::strategy::Just(-0.0),
    ]
    .prop_filter("the backend cannot store it", move |v| {
        limits.float_fits(*v) || is_negative_zero(*v)
    })
}

/// Any single the backend stores, and -0.0 whether it does or not.
fn single(limits: Limits) -> impl Strategy<Value = f32> {
    proptest::prop_oneof![
        proptest::prelude::any::<f32>(),
        proptest::strategy::Just(-0.0f32),
    ]
    .prop_filter("the backend cannot store it", move |v| {
        limits.float_fits(f64::from(*v)) || is_negative_zero(f64::from(*v))
    })
}

fn kinds(limits: Limits) -> impl Strategy<Value = Kinds> {
    use proptest::prelude::any;
    let ints = (
        any::<bool>(),
        any::<i16>(),
        any::<i32>(),
        any::<i64>(),
        any::<u32>(),
        0..=i64::MAX as u64,
        any::<i8>(),
        any::<u8>(),
        any::<u16>(),
    );
    let floats = (
        single(limits),
        double(limits),
        proptest::option::of(double(limits)),
    );
    let texts = (
        text(limits, true),
        text(limits, false),
        proptest::option::of(text(limits, false)),
    );
    let bytes = (
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16)),
        proptest::option::of(any::<i64>()),
    );
    (ints, floats, texts, bytes).prop_map(|(i, f, t, b)| Kinds {
        key: t.0,
        flag: i.0,
        small: i.1,
        medium: i.2,
        large: i.3,
        unsigned: i.4,
        huge: i.5,
        single: f.0,
        double: f.1,
        text: t.1,
        bytes: b.0,
        maybe_int: b.2,
        maybe_text: t.2,
        maybe_bytes: b.1,
        maybe_double: f.2,
        tiny: i.6,
        octet: i.7,
        word: i.8,
    })
}

/// 48 random batches of rows of every type: inserted, read back by key and by
/// scan filter, saved with changes: every value comes back bit for bit (-0.0
/// with its sign). A row holding a -0.0 the backend cannot store is refused
/// with `Error::OutOfRange` naming its column, and nothing of it is written.
pub async fn random_round_trips<B: Backend>(db: &Db<B>, limits: &Limits) {
    db.create_schema::<Kinds>().await.unwrap();
    let strategy = proptest::collection::vec(kinds(*limits), 1..6);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    for case in 0..48 {
        let mut rows = strategy.new_tree(&mut runner).expect("generate").current();
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        rows.dedup_by(|a, b| a.key == b.key);
        let (rows, refused): (Vec<Kinds>, Vec<Kinds>) =
            rows.into_iter().partition(|r| limits.kinds_fit(r));
        for row in &refused {
            match db.insert(row).await {
                Err(Error::OutOfRange {
                    entity: "Kinds",
                    column,
                    ..
                }) if ["single", "double_", "maybe_double"].contains(&column.as_str()) => {}
                other => panic!("case {case}: {row:?} should be refused, got {other:?}"),
            }
            let found = db.find::<Kinds>(row.key.clone()).await.unwrap();
            assert!(found.is_none(), "case {case}: a refused row was written");
        }
        if rows.is_empty() {
            continue;
        }
        db.insert_many(&rows)
            .await
            .unwrap_or_else(|e| panic!("case {case}: insert {rows:?}: {e}"));
        for row in &rows {
            let got = db.get::<Kinds>(row.key.clone()).await.unwrap();
            assert!(
                same_kinds(&got, row),
                "case {case}: wrote {row:?}, read {got:?}"
            );
            let found: Vec<String> = db
                .all(
                    Kinds::query()
                        .scan()
                        .filter(Kinds::LARGE.eq(row.large))
                        .select(Kinds::KEY),
                )
                .await
                .unwrap();
            assert!(
                found.contains(&row.key),
                "case {case}: the scan filter missed {}",
                row.key
            );
            let changed = Kinds {
                text: format!("{}.", row.text),
                maybe_int: None,
                flag: !row.flag,
                ..row.clone()
            };
            db.save(&changed).await.unwrap();
            assert!(
                same_kinds(&db.get::<Kinds>(row.key.clone()).await.unwrap(), &changed),
                "case {case}: save"
            );
            db.delete(Kinds::delete(row.key.clone())).await.unwrap();
        }
    }
    assert_eq!(db.count(Kinds::query().scan()).await.unwrap(), 0);
}

/// What one task believes, from the acknowledgements it got, and what it
/// cannot know: writes that failed with an error other than a refusal may or
/// may not have happened.
#[derive(Default)]
struct Belief {
    acked: HashMap<i64, String>,
    uncertain_ids: HashSet<i64>,
    uncertain_emails: HashSet<String>,
    refused: usize,
    failed: Vec<String>,
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

async fn worker<B: Backend>(db: Db<B>, task: usize, ops: usize) -> Belief {
    let mut rng = Lcg(task as u64 + 1);
    let mut me = Belief::default();
    for op in 0..ops {
        let existing: Vec<i64> = me.acked.keys().copied().collect();
        let pick = |rng: &mut Lcg| existing[rng.next(existing.len())];
        match rng.next(10) {
            0..=3 => {
                let name = format!("t{task}-{op}");
                let email = format!("{task}.{op}@soak.test");
                match db.insert(&User::new(&name, &email)).await {
                    Ok(id) => {
                        assert!(
                            me.acked.insert(id, name).is_none(),
                            "key {id} handed out twice"
                        );
                    }
                    Err(e) => {
                        me.failed.push(format!("insert: {e}"));
                        me.uncertain_emails.insert(email);
                    }
                }
            }
            4 | 5 if !existing.is_empty() => {
                let id = pick(&mut rng);
                let name = format!("t{task}-{op}-renamed");
                match db
                    .update(User::update(id).set(User::NAME, name.as_str()))
                    .await
                {
                    Ok(()) => {
                        me.acked.insert(id, name);
                    }
                    Err(e) => {
                        me.failed.push(format!("update: {e}"));
                        me.acked.remove(&id);
                        me.uncertain_ids.insert(id);
                    }
                }
            }
            6 if !existing.is_empty() => {
                let id = pick(&mut rng);
                let deleted = db.delete(User::delete(id)).await;
                me.acked.remove(&id);
                if let Err(e) = deleted {
                    me.failed.push(format!("delete: {e}"));
                    me.uncertain_ids.insert(id);
                }
            }
            7 if op > 0 => {
                // Often a duplicate of the previous insert's email: refused, nothing changes.
                let email = format!("{task}.{}@soak.test", op - 1);
                match db.insert(&User::new("dup", &email)).await {
                    Err(Error::UniqueViolation { .. }) => me.refused += 1,
                    Ok(id) => {
                        me.acked.insert(id, "dup".into());
                    }
                    Err(e) => {
                        me.failed.push(format!("duplicate insert: {e}"));
                        me.uncertain_emails.insert(email);
                    }
                }
            }
            _ if !existing.is_empty() => {
                let id = pick(&mut rng);
                match db.get::<User>(id).await {
                    Ok(got) => assert_eq!(
                        got.name, me.acked[&id],
                        "read of {id} differs from what was acknowledged"
                    ),
                    Err(e) => me.failed.push(format!("get: {e}")),
                }
            }
            _ => {}
        }
    }
    me
}

/// Runs `tasks` x `ops` mixed operations concurrently, then checks the final
/// table against every acknowledgement: each acknowledged row is there with
/// its last acknowledged name, no row is there that no write could explain,
/// no email twice, no task hung. At most `max_failed` operations may fail
/// with an error (their effect is then accepted either way).
pub async fn soak<B: Backend>(db: &Db<B>, tasks: usize, ops: usize, max_failed: usize) {
    db.create_schema::<User>().await.unwrap();
    let handles: Vec<_> = (0..tasks)
        .map(|t| tokio::spawn(worker(db.clone(), t, ops)))
        .collect();
    let mut all = Belief::default();
    for h in handles {
        let me = tokio::time::timeout(Duration::from_secs(600), h)
            .await
            .expect("a soak task hung")
            .expect("a soak task panicked");
        for (id, name) in me.acked {
            assert!(
                all.acked.insert(id, name).is_none(),
                "key {id} acknowledged to two tasks"
            );
        }
        all.uncertain_ids.extend(me.uncertain_ids);
        all.uncertain_emails.extend(me.uncertain_emails);
        all.refused += me.refused;
        all.failed.extend(me.failed);
    }
    assert!(
        all.failed.len() <= max_failed,
        "{} operations failed: {:?}",
        all.failed.len(),
        &all.failed[..all.failed.len().min(5)]
    );
    let rows: Vec<User> = db.all(User::query().scan()).await.unwrap();
    let mut emails = HashSet::new();
    for row in &rows {
        assert!(
            emails.insert(row.email.clone()),
            "email {} stored twice",
            row.email
        );
        match all.acked.get(&row.id) {
            Some(name) => assert_eq!(&row.name, name, "row {} lost its acknowledged name", row.id),
            None => assert!(
                all.uncertain_ids.contains(&row.id) || all.uncertain_emails.contains(&row.email),
                "row {row:?} was never acknowledged"
            ),
        }
    }
    let present: HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let lost: Vec<&i64> = all
        .acked
        .keys()
        .filter(|id| !present.contains(id))
        .collect();
    assert!(lost.is_empty(), "acknowledged rows lost: {lost:?}");
    assert!(all.refused > 0, "the duplicate inserts were exercised");
}

/// The soak at the size every backend runs: 8 tasks x 2,000 operations, none
/// of which may fail.
pub async fn soak_8_tasks_x_2000_ops<B: Backend>(db: &Db<B>, _: &Limits) {
    soak(db, 8, 2_000, 0).await;
}
