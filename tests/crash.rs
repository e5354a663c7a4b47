//! Both embedded engines, SQLite and Turso, survive a process killed with
//! SIGKILL in the middle of a write transaction. A child process (this
//! test binary, running its ignored `crash_child` test) writes batches of
//! rows, each batch in one transaction and acknowledged on its stdout once
//! committed, and is killed, repeatedly: while it holds a transaction half
//! written, and at whatever point it has reached. Afterwards the file
//! opens, holds every acknowledged batch whole, none of the interrupted
//! one, and no batch in part.

mod model;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use keyway::prelude::*;
use model::User;

/// Rows per batch (one transaction).
const ROWS: u64 = 40;
/// How long a child may take to reach the point it is killed at.
const DEADLINE: Duration = Duration::from_secs(60);

fn user(batch: u64, i: u64) -> User {
    User::new(&format!("b{batch}"), &format!("b{batch}-{i}@example.com"))
}

/// The child: from batch `KEYWAY_CRASH_FIRST` on, each batch in a
/// transaction; at batch `KEYWAY_CRASH_HOLD` it stops half way and waits
/// to be killed.
#[tokio::test]
#[ignore = "the child process of the crash tests, which run it"]
async fn crash_child() {
    let url = std::env::var("KEYWAY_CRASH_URL").expect("KEYWAY_CRASH_URL");
    let first: u64 = std::env::var("KEYWAY_CRASH_FIRST")
        .unwrap()
        .parse()
        .unwrap();
    let hold: Option<u64> = std::env::var("KEYWAY_CRASH_HOLD")
        .ok()
        .map(|h| h.parse().unwrap());
    let db = keyway_any::connect(&url).await.unwrap();
    db.create_schema::<User>().await.unwrap();
    let mut out = std::io::stdout();
    for batch in first..first + 10_000 {
        let tx = db.begin().await.unwrap();
        let rows: Vec<User> = (0..ROWS).map(|i| user(batch, i)).collect();
        let (front, back) = rows.split_at(rows.len() / 2);
        tx.insert_many(front).await.unwrap();
        if hold == Some(batch) {
            writeln!(out, "holding {batch}").unwrap();
            out.flush().unwrap();
            tokio::time::sleep(DEADLINE).await;
            panic!("the child was not killed");
        }
        tx.insert_many(back).await.unwrap();
        tx.commit().await.unwrap();
        writeln!(out, "acked {batch}").unwrap();
        out.flush().unwrap();
    }
}

/// How a round ends the child.
#[derive(Clone, Copy)]
enum Kill {
    /// While it holds batch `first + n` half written.
    Holding(u64),
    /// Once it acknowledged `n` batches, wherever it is then.
    AfterAcks(u64),
}

/// Runs the child on `url` from batch `first`, kills it as `kill` says,
/// and returns the batches it acknowledged.
fn round(url: &str, first: u64, kill: Kill) -> Vec<u64> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--ignored", "--nocapture"])
        .env("KEYWAY_CRASH_URL", url)
        .env("KEYWAY_CRASH_FIRST", first.to_string())
        .envs(match kill {
            Kill::Holding(n) => Some(("KEYWAY_CRASH_HOLD", (first + n).to_string())),
            Kill::AfterAcks(_) => None,
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the test binary runs again as the child");
    let stdout = child.stdout.take().unwrap();
    let (lines, read) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut acked = Vec::new();
    loop {
        let line = match read.recv_timeout(DEADLINE) {
            Ok(line) => line,
            Err(e) => {
                let _ = child.kill();
                panic!("the child stopped before it was killed ({e}), acked {acked:?}");
            }
        };
        if let Some(n) = line.strip_prefix("acked ") {
            acked.push(n.parse().unwrap());
        }
        let now = match kill {
            Kill::Holding(n) => line == format!("holding {}", first + n),
            Kill::AfterAcks(n) => acked.len() as u64 == n,
        };
        if now {
            break;
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    // Acknowledgements already written before the kill count too.
    while let Ok(line) = read.recv_timeout(Duration::from_millis(200)) {
        if let Some(n) = line.strip_prefix("acked ") {
            acked.push(n.parse().unwrap());
        }
    }
    acked
}

/// How many rows of each batch the database holds.
async fn batches(url: &str) -> std::collections::BTreeMap<u64, u64> {
    let db = keyway_any::connect(url).await.expect("the file opens");
    let users = db.all(User::query().scan()).await.expect("the rows read");
    let mut count = std::collections::BTreeMap::new();
    for u in users {
        let batch = u.name.strip_prefix('b').unwrap().parse().unwrap();
        *count.entry(batch).or_insert(0) += 1;
    }
    count
}

async fn survives_kills(url: &str) {
    let mut first = 0;
    let mut acknowledged = Vec::new();
    let kills = [
        Kill::Holding(0),
        Kill::AfterAcks(1),
        Kill::Holding(2),
        Kill::AfterAcks(3),
        Kill::Holding(1),
        Kill::AfterAcks(2),
    ];
    for kill in kills {
        let acked = round(url, first, kill);
        let counts = batches(url).await;
        acknowledged.extend(&acked);
        for batch in &acknowledged {
            assert_eq!(counts.get(batch), Some(&ROWS), "acknowledged batch {batch}");
        }
        if let Kill::Holding(n) = kill {
            assert_eq!(counts.get(&(first + n)), None, "the interrupted batch");
        }
        for (batch, rows) in &counts {
            assert_eq!(*rows, ROWS, "batch {batch} is whole or absent");
        }
        first = counts
            .keys()
            .max()
            .map_or(first, |b| b + 1)
            .max(first + 100);
    }
}

/// A file of its own, removed (with its journals) when dropped.
struct TempFile(String);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal", "-log"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0));
        }
    }
}

fn temp_file(engine: &str) -> TempFile {
    let path =
        std::env::temp_dir().join(format!("keyway-crash-{engine}-{}.db", std::process::id()));
    TempFile(path.display().to_string())
}

#[tokio::test]
async fn sqlite_survives_sigkill_mid_transaction() {
    let file = temp_file("sqlite");
    survives_kills(&format!("sqlite://{}", file.0)).await;
}

#[tokio::test]
async fn turso_survives_sigkill_mid_transaction() {
    let file = temp_file("turso");
    survives_kills(&format!("turso://{}", file.0)).await;
}
