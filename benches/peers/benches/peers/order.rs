//! The order in which a group's libraries run, rotated from round to round.
//!
//! Criterion times one library after another, and a shared machine drifts
//! during a run: another process starts, the server's caches warm, a core
//! is taken away for a while. A library that always runs first, or always
//! last, carries that drift in every group. With `KEYWAY_PEERS_ROUNDS=n`
//! every selected group runs `n` times, round after round, and each round
//! starts one library later than the one before, so that with `n` at least
//! the number of libraries each of them runs first once. Rounds after the
//! first are named `<group>/round-<k>`. `rounds.py` runs a bench of several
//! rounds and prints each library's median over them.

use criterion::{Bencher, BenchmarkGroup, measurement::WallTime};

/// How many rounds to run: `KEYWAY_PEERS_ROUNDS`, or 1.
pub fn rounds() -> usize {
    match std::env::var("KEYWAY_PEERS_ROUNDS") {
        Err(_) => 1,
        Ok(n) => match n.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => panic!(
                "KEYWAY_PEERS_ROUNDS must be a whole number of rounds, at least 1; it is {n:?}"
            ),
        },
    }
}

/// The name of group `base` in round `round` (counted from 0).
pub fn group_name(base: &str, round: usize) -> String {
    match round {
        0 => base.to_string(),
        _ => format!("{base}/round-{}", round + 1),
    }
}

/// Benchmarks every library of `libraries` in group `g`, starting `round`
/// places into the list; `bench` runs the named library's benchmark.
pub fn run(
    g: &mut BenchmarkGroup<'_, WallTime>,
    libraries: &[&'static str],
    round: usize,
    mut bench: impl FnMut(&'static str, &mut Bencher<'_, WallTime>),
) {
    let n = libraries.len();
    for i in 0..n {
        let library = libraries[(i + round) % n];
        g.bench_function(library, |b| bench(library, b));
    }
}
