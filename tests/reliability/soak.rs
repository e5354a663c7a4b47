//! A bounded soak: concurrent tasks run mixed writes and reads; afterwards the
//! table must hold exactly what was acknowledged (nothing lost, nothing
//! duplicated), and no task may hang.

use std::collections::HashMap;
use std::time::Duration;

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::User;

/// What one task believes, from the acknowledgements it got.
type Acked = HashMap<i64, String>;

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

async fn worker<B: Backend>(db: Db<B>, task: u64, ops: usize) -> Result<(Acked, usize)> {
    let mut rng = Lcg(task + 1);
    let mut mine: Acked = HashMap::new();
    let mut refused = 0;
    for op in 0..ops {
        let pick = rng.next(10);
        let existing: Vec<i64> = mine.keys().copied().collect();
        match pick {
            0..=3 => {
                let name = format!("t{task}-{op}");
                let id = db
                    .insert(&User::new(&name, &format!("{task}.{op}@soak.test")))
                    .await?;
                if mine.insert(id, name).is_some() {
                    return Err(Error::Invalid {
                        what: "soak",
                        detail: format!("key {id} handed out twice"),
                    });
                }
            }
            4..=5 if !existing.is_empty() => {
                let id = existing[rng.next(existing.len() as u64) as usize];
                let name = format!("t{task}-{op}-renamed");
                db.update(User::update(id).set(User::NAME, name.as_str()))
                    .await?;
                mine.insert(id, name);
            }
            6 if !existing.is_empty() => {
                let id = existing[rng.next(existing.len() as u64) as usize];
                db.delete(User::delete(id)).await?;
                mine.remove(&id);
            }
            7 if op > 0 => {
                // Often a duplicate of the previous insert's email: refused, nothing changes.
                {
                    let dup = db
                        .insert(&User::new("dup", &format!("{task}.{}@soak.test", op - 1)))
                        .await;
                    match dup {
                        Err(Error::UniqueViolation { .. }) => refused += 1,
                        Ok(id) => {
                            mine.insert(id, "dup".into());
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            _ if !existing.is_empty() => {
                let id = existing[rng.next(existing.len() as u64) as usize];
                let got = db.get::<User>(id).await?;
                if got.name != mine[&id] {
                    return Err(Error::Invalid {
                        what: "soak",
                        detail: format!(
                            "read {:?} for {id}, acknowledged {:?}",
                            got.name, mine[&id]
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    Ok((mine, refused))
}

/// Runs `tasks` x `ops` mixed operations and checks the final table against
/// every acknowledgement.
pub async fn soak<B: Backend>(db: &Db<B>, tasks: u64, ops: usize) {
    db.create_schema::<User>().await.unwrap();
    let handles: Vec<_> = (0..tasks)
        .map(|t| tokio::spawn(worker(db.clone(), t, ops)))
        .collect();
    let mut expected: Acked = HashMap::new();
    let mut refused = 0;
    for h in handles {
        let (mine, r) = tokio::time::timeout(Duration::from_secs(300), h)
            .await
            .expect("a soak task hung")
            .expect("a soak task panicked")
            .expect("a soak operation failed");
        refused += r;
        for (id, name) in mine {
            assert!(
                expected.insert(id, name).is_none(),
                "key {id} acknowledged to two tasks"
            );
        }
    }
    let rows: Vec<User> = db.all(User::query().scan()).await.unwrap();
    let actual: Acked = rows.into_iter().map(|u| (u.id, u.name)).collect();
    assert_eq!(
        actual.len(),
        expected.len(),
        "row count differs from what was acknowledged"
    );
    assert_eq!(actual, expected);
    assert!(refused > 0, "the duplicate inserts were exercised");
}
