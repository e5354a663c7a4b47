#!/usr/bin/env python3
"""Runs the peer bench in rounds and prints each library's median over them.

Usage, from benches/peers:

    python3 rounds.py ROUNDS [criterion arguments, e.g. a filter]
    python3 rounds.py 7 '^postgresql/get_by_key'

It runs `cargo bench` with KEYWAY_PEERS_ROUNDS=ROUNDS (each round starts one
library later; see benches/peers/order.rs), then reads the estimates that
criterion wrote during this run under target/criterion. For every group it
prints each library's median time over the rounds (criterion's point
estimate per round), then keyway's ratio to each raw baseline (PostgreSQL:
raw sqlx and raw tokio-postgres; SQLite: raw rusqlite) and to Diesel, round
by round, and in how many rounds each ORM was the fastest ORM.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORMS = ("keyway", "diesel", "toasty", "sea_orm")
BASELINES = ("raw_sqlx", "raw_tokio_postgres", "raw_rusqlite")  # PostgreSQL (2), SQLite


def typical(estimates):
    """Criterion's reported time: the slope where it was fitted, else the mean."""
    slope = estimates.get("slope")
    return (slope or estimates["mean"])["point_estimate"]


def read_since(start):
    """{group: {round: {library: seconds}}} for every estimate written since start."""
    found = defaultdict(lambda: defaultdict(dict))
    for path in (HERE / "target" / "criterion").glob("**/new/benchmark.json"):
        estimates = path.with_name("estimates.json")
        if not estimates.exists() or estimates.stat().st_mtime < start:
            continue
        bench = json.loads(path.read_text())
        group, _, rnd = bench["group_id"].partition("/round-")
        found[group][int(rnd or 1)][bench["function_id"]] = (
            typical(json.loads(estimates.read_text())) * 1e-9
        )
    return found


def shown(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def report(found):
    for group in sorted(found):
        rounds = dict(sorted(found[group].items()))
        libraries = sorted({lib for r in rounds.values() for lib in r})
        print(f"\n## {group}: {len(rounds)} round(s)\n")
        print("| library | median | min | max |")
        print("|---|---|---|---|")
        for lib in libraries:
            times = [r[lib] for r in rounds.values() if lib in r]
            print(f"| {lib} | {shown(statistics.median(times))} | {shown(min(times))} | {shown(max(times))} |")
        for other in BASELINES + ("diesel",):
            ratios = [r["keyway"] / r[other] for r in rounds.values() if "keyway" in r and other in r]
            if ratios:
                each = ", ".join(f"{x:.2f}" for x in ratios)
                print(f"\nkeyway / {other}: median {statistics.median(ratios):.2f} (rounds 1, 2, ...: {each})")
        fastest = defaultdict(int)
        for r in rounds.values():
            present = [lib for lib in ORMS if lib in r]
            if present:
                fastest[min(present, key=r.get)] += 1
        if fastest:
            counts = ", ".join(f"{lib} {n}" for lib, n in sorted(fastest.items(), key=lambda x: -x[1]))
            print(f"\nfastest ORM: {counts} of {len(rounds)}")


def main():
    if len(sys.argv) < 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit(__doc__)
    start = time.time()
    env = dict(os.environ, KEYWAY_PEERS_ROUNDS=sys.argv[1])
    subprocess.run(["cargo", "bench", "--", *sys.argv[2:]], cwd=HERE, env=env, check=True)
    found = read_since(start)
    if not found:
        sys.exit("no benchmark ran: check the filter")
    report(found)


if __name__ == "__main__":
    main()
