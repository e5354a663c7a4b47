//! Marshalling throughput: entities to DynamoDB items and back, keyway
//! (`keyway_dynamodb::to_item` / `from_item`, driven by the hand-written
//! `Entity` impl) against a hand-written `HashMap<String, AttributeValue>`
//! conversion, in the same criterion groups. No server is involved.
//!
//! Run with `cargo bench --bench dynamodb_marshal`; results are in `BENCHMARKS.md`.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use criterion::{Criterion, Throughput};

// The shared models (their module allows what the bench leaves unused).
#[path = "../tests/model/mod.rs"]
mod model;

use model::Todo;

/// Items per iteration.
const ITEMS: usize = 1_000;

type Item = HashMap<String, AttributeValue>;

fn todos() -> Vec<Todo> {
    (0..ITEMS as i64)
        .map(|i| Todo {
            id: i + 1,
            owner_id: i % 37,
            title: format!("todo number {i}"),
            done: i % 3 == 0,
            priority: (i % 5) as i16,
            note: (i % 2 == 0).then(|| format!("note {i}")),
        })
        .collect()
}

/// The baseline: what one writes by hand without an ORM.
fn hand_to_item(t: &Todo) -> Item {
    let mut m = HashMap::with_capacity(6);
    m.insert("id".to_owned(), AttributeValue::N(t.id.to_string()));
    m.insert(
        "owner_id".to_owned(),
        AttributeValue::N(t.owner_id.to_string()),
    );
    m.insert("title".to_owned(), AttributeValue::S(t.title.clone()));
    m.insert("done".to_owned(), AttributeValue::Bool(t.done));
    m.insert(
        "priority".to_owned(),
        AttributeValue::N(t.priority.to_string()),
    );
    if let Some(note) = &t.note {
        m.insert("note".to_owned(), AttributeValue::S(note.clone()));
    }
    m
}

fn hand_number<T: std::str::FromStr>(m: &mut Item, k: &str) -> Result<T, String> {
    match m.remove(k) {
        Some(AttributeValue::N(n)) => n.parse().map_err(|_| format!("{k}: bad number {n}")),
        other => Err(format!("{k}: expected a number, got {other:?}")),
    }
}

fn hand_string(m: &mut Item, k: &str) -> Result<Option<String>, String> {
    match m.remove(k) {
        Some(AttributeValue::S(s)) => Ok(Some(s)),
        None | Some(AttributeValue::Null(_)) => Ok(None),
        other => Err(format!("{k}: expected a string, got {other:?}")),
    }
}

fn hand_from_item(mut m: Item) -> Result<Todo, String> {
    Ok(Todo {
        id: hand_number(&mut m, "id")?,
        owner_id: hand_number(&mut m, "owner_id")?,
        title: hand_string(&mut m, "title")?.ok_or("title: missing")?,
        done: match m.remove("done") {
            Some(AttributeValue::Bool(b)) => b,
            other => return Err(format!("done: expected a bool, got {other:?}")),
        },
        priority: hand_number(&mut m, "priority")?,
        note: hand_string(&mut m, "note")?,
    })
}

fn to_items(c: &mut Criterion) {
    let todos = todos();
    let mut group = c.benchmark_group("dynamodb_to_item");
    group.throughput(Throughput::Elements(ITEMS as u64));
    // The items are dropped outside the timed region, on both sides.
    group.bench_function("keyway", |b| {
        b.iter_with_large_drop(|| {
            todos
                .iter()
                .map(|t| keyway_dynamodb::to_item(t).expect("marshal"))
                .collect::<Vec<Item>>()
        })
    });
    group.bench_function("hand_written", |b| {
        b.iter_with_large_drop(|| todos.iter().map(hand_to_item).collect::<Vec<Item>>())
    });
    group.finish();
}

fn from_items(c: &mut Criterion) {
    let items: Vec<Item> = todos().iter().map(hand_to_item).collect();
    assert_eq!(
        keyway_dynamodb::from_item::<Todo>(items[2].clone()).expect("unmarshal"),
        hand_from_item(items[2].clone()).expect("unmarshal")
    );
    let mut group = c.benchmark_group("dynamodb_from_item");
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.bench_function("keyway", |b| {
        b.iter_batched(
            || items.clone(),
            |items| {
                let todos: Vec<Todo> = items
                    .into_iter()
                    .map(|i| keyway_dynamodb::from_item(i).expect("unmarshal"))
                    .collect();
                black_box(todos)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("hand_written", |b| {
        b.iter_batched(
            || items.clone(),
            |items| {
                let todos: Vec<Todo> = items
                    .into_iter()
                    .map(|i| hand_from_item(i).expect("unmarshal"))
                    .collect();
                black_box(todos)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn time_to_items(todos: &[Todo], keyway: bool) -> Duration {
    let start = Instant::now();
    let out: Vec<Item> = if keyway {
        todos
            .iter()
            .map(|t| keyway_dynamodb::to_item(t).expect("marshal"))
            .collect()
    } else {
        todos.iter().map(hand_to_item).collect()
    };
    let took = start.elapsed();
    black_box(out);
    took
}

fn time_from_items(items: &[Item], keyway: bool) -> Duration {
    let input = items.to_vec();
    let start = Instant::now();
    let out: Vec<Todo> = if keyway {
        input
            .into_iter()
            .map(|i| keyway_dynamodb::from_item(i).expect("unmarshal"))
            .collect()
    } else {
        input
            .into_iter()
            .map(|i| hand_from_item(i).expect("unmarshal"))
            .collect()
    };
    let took = start.elapsed();
    black_box(out);
    took
}

/// keyway / hand-written time, each side's fastest of 400 runs taken in
/// A-B-B-A order: the machine's other load only ever adds time, and the order
/// evens out what one side's frees cost the next side's allocations.
fn interleaved_ratios() {
    let todos = todos();
    let items: Vec<Item> = todos.iter().map(hand_to_item).collect();
    let mut best = [Duration::MAX; 4];
    for _ in 0..200 {
        for keyway in [true, false, false, true] {
            let i = usize::from(!keyway);
            best[i] = best[i].min(time_to_items(&todos, keyway));
            best[2 + i] = best[2 + i].min(time_from_items(&items, keyway));
        }
    }
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "fastest of 400 interleaved runs of {ITEMS} items: to_item keyway {:?} / hand_written {:?} = {:.3}; from_item keyway {:?} / hand_written {:?} = {:.3}",
        best[0],
        best[1],
        ratio(best[0], best[1]),
        best[2],
        best[3],
        ratio(best[2], best[3]),
    );
}

fn main() {
    if std::env::args().any(|a| a == "--profile-to") {
        let todos = todos();
        for _ in 0..3000 {
            black_box(time_to_items(&todos, true));
        }
        return;
    }
    if std::env::args().any(|a| a == "--profile-from") {
        let items: Vec<Item> = todos().iter().map(hand_to_item).collect();
        for _ in 0..3000 {
            black_box(time_from_items(&items, true));
        }
        return;
    }
    if std::env::args().any(|a| a == "--ratios") {
        interleaved_ratios();
        return;
    }
    let mut c = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    to_items(&mut c);
    from_items(&mut c);
    c.final_summary();
}
