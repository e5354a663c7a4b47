#!/usr/bin/env python3
"""Compile-time cost of keyway's typed includes.

Writes two throwaway crates against keyway (path dependencies) with the same
20 entities and the same 30 relations, implemented by hand as a user would:

* ``with_includes``: one query per entity that includes every relation of the
  entity and, below each, the relations of the related entity (``--depth``
  levels in all, 2 by default; never straight back), and reads every one of
  them with ``Loaded::get``;
* ``no_includes``: the same entities, relations and queries, without the
  includes (each row's own fields are read instead).

Then it measures ``cargo check`` of each crate: the dependencies are built
once (shared target dir), and every measured run touches only the generated
crate's ``src/lib.rs``. The best of ``--runs`` runs is reported.

    python3 benches/compile_cost/generate.py             # generate and measure
    python3 benches/compile_cost/generate.py --depth 4   # deeper nesting
    python3 benches/compile_cost/generate.py --no-measure

Output goes to ``target/compile_cost`` (git-ignored) unless ``--out`` says
otherwise.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENTITIES = 20
# Entities 1..=15 each belong to a parent, (i - 1) // 2: a binary tree of 16
# entities, four of them (16..=19) standing alone. Every link is declared in
# both directions (HasMany on the parent, BelongsTo on the child): 30 relations.
LINKED = 15


def parent(i: int) -> int | None:
    return (i - 1) // 2 if 1 <= i <= LINKED else None


def children(i: int) -> list[int]:
    return [c for c in (2 * i + 1, 2 * i + 2) if c <= LINKED]


def relations(i: int) -> list[tuple[str, str, int, str]]:
    """(handle, marker type, target entity, kind) for each relation of E{i},
    in slot order."""
    out = []
    for c in children(i):
        out.append((f"C{c}", f"E{i}C{c}", c, "HasMany"))
    p = parent(i)
    if p is not None:
        out.append(("PARENT", f"E{i}Parent", p, "BelongsTo"))
    return out


def total_relations() -> int:
    return sum(len(relations(i)) for i in range(ENTITIES))


def entity(i: int) -> str:
    p = parent(i)
    fields = ["    pub id: i64,", "    pub name: String,"]
    consts = [
        f'    pub const ID: Column<E{i}, i64, PrimaryKey> = Column::new("id").auto();',
        f'    pub const NAME: Column<E{i}, String> = Column::new("name");',
    ]
    defs = [f"E{i}::ID.def()", f"E{i}::NAME.def()"]
    writes = [f"        row.put(E{i}::ID, &self.id);", f"        row.put(E{i}::NAME, &self.name);"]
    reads = [f"            id: row.get(E{i}::ID)?,", f"            name: row.get(E{i}::NAME)?,"]
    fks = ""
    if p is not None:
        fields.append("    pub parent_id: i64,")
        consts.append(
            f'    pub const PARENT_ID: Column<E{i}, i64, Secondary> = Column::new("parent_id");'
        )
        defs.append(f"E{i}::PARENT_ID.def()")
        writes.append(f"        row.put(E{i}::PARENT_ID, &self.parent_id);")
        reads.append(f"            parent_id: row.get(E{i}::PARENT_ID)?,")
        fks = (
            "    const FOREIGN_KEYS: &'static [ForeignKeyDef] =\n"
            f"        &[ForeignKeyDef::new(E{i}::PARENT_ID, E{p}::ID)];\n"
        )
    for handle, marker, _, _ in relations(i):
        consts.append(f"    pub const {handle}: {marker} = {marker};")
    nl = "\n"
    return f"""
/// Entity number {i}.
#[derive(Debug, Clone, PartialEq)]
pub struct E{i} {{
{nl.join(fields)}
}}

impl E{i} {{
{nl.join(consts)}
}}

impl Entity for E{i} {{
    type Key = i64;
    const TABLE: &'static str = "e{i}";
    const COLUMNS: &'static [ColumnDef] = &[{", ".join(defs)}];
{fks}    fn key(&self) -> i64 {{
        self.id
    }}
    fn write(&self, row: &mut impl RowWriter<Self>) {{
{nl.join(writes)}
    }}
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {{
        Ok(E{i} {{
{nl.join(reads)}
        }})
    }}
}}
"""


def relation_impls(i: int) -> str:
    out = []
    for slot, (_, marker, target, kind) in enumerate(relations(i)):
        # The foreign key lives on the child: the target of a HasMany, the
        # source of a BelongsTo.
        child = target if kind == "HasMany" else i
        out.append(
            f"""
/// {kind} from `E{i}` to `E{target}`.
#[derive(Debug, Clone, Copy)]
pub struct {marker};

impl Relation for {marker} {{
    type From = E{i};
    type To = E{target};
    type Slot = typenum::U{slot};
    type Link = {kind}<Column<E{child}, i64, Secondary>>;
    const LINK: Self::Link = {kind}(E{child}::PARENT_ID);
}}
"""
        )
    return "".join(out)


def include_tree(i: int, came_from: int | None, depth: int, var: str) -> tuple[list[str], list[str]]:
    """The include arguments for a query over E{i} (every relation of E{i}
    except the one leading back to `came_from`, nested `depth` levels deep),
    and the statements that read each of them from `var` with `get`."""
    includes, reads = [], []
    for handle, _, target, kind in relations(i):
        if target == came_from:
            continue
        x = f"x{depth}"
        nested, inner = ([], [])
        if depth > 1:
            nested, inner = include_tree(target, i, depth - 1, x)
        inc = f"E{i}::{handle}" + "".join(f".include({n})" for n in nested)
        includes.append(inc)
        body = " ".join(inner) if inner else f"n += {x}.name.len();"
        if kind == "HasMany":
            reads.append(f"for {x} in {var}.get(E{i}::{handle}) {{ {body} }}")
        else:
            reads.append(f"{{ let {x} = {var}.get(E{i}::{handle}); {body} }}")
    return includes, reads


def query_fn(i: int, includes: bool, depth: int) -> str:
    if includes and relations(i):
        incs, reads = include_tree(i, None, depth, "row")
        query = f"E{i}::query()" + "".join(f".include({inc})" for inc in incs)
        body = "\n        ".join(reads)
    else:
        query = f"E{i}::query()"
        body = "n += row.name.len();"
    return f"""
/// Reads every `E{i}`{" with what it relates to" if includes else ""}.
pub async fn load_e{i}(db: &Db<Sqlite>) -> Result<usize> {{
    let rows = db.all({query}).await?;
    let mut n = 0;
    for row in &rows {{
        {body}
    }}
    Ok(n)
}}
"""


def lib_rs(includes: bool, depth: int) -> str:
    parts = [
        "//! Generated by benches/compile_cost/generate.py: do not edit.\n",
        "#![allow(clippy::all)]\n\n",
        "use keyway::prelude::*;\n",
        "use keyway::typenum;\n",
        "use keyway_sqlite::Sqlite;\n",
    ]
    for i in range(ENTITIES):
        parts.append(entity(i))
    for i in range(ENTITIES):
        parts.append(relation_impls(i))
    for i in range(ENTITIES):
        parts.append(query_fn(i, includes, depth))
    return "".join(parts)


def cargo_toml(name: str) -> str:
    return f"""[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

# Its own root: not part of keyway's workspace.
[workspace]

[dependencies]
keyway = {{ path = "{ROOT}" }}
keyway-sqlite = {{ path = "{ROOT / "backends" / "sqlite"}" }}
"""


VARIANTS = {"with_includes": True, "no_includes": False}


def generate(out: Path, depth: int) -> None:
    assert total_relations() == 30, total_relations()
    for name, includes in VARIANTS.items():
        crate = out / name
        (crate / "src").mkdir(parents=True, exist_ok=True)
        (crate / "Cargo.toml").write_text(cargo_toml(name.replace("_", "-")))
        (crate / "src" / "lib.rs").write_text(lib_rs(includes, depth))


def cargo_check(crate: Path, target: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, cargo and rustc) of one
    `cargo check`. CPU time is the steadier of the two on a busy machine."""
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        ["cargo", "check", "--quiet"],
        cwd=crate,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(out: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Best (lowest) wall and CPU time of each variant, and of a `cargo check`
    with nothing to do (cargo's own cost)."""
    target = out / "target"
    # Warm: dependencies (keyway, keyway-sqlite, sqlx, ...) built once.
    for name in VARIANTS:
        cargo_check(out / name, target)

    def best_of(name: str, crate: Path, touch: bool) -> tuple[float, float]:
        times = []
        for _ in range(runs):
            if touch:
                (crate / "src" / "lib.rs").touch()
            times.append(cargo_check(crate, target))
        print(
            f"{name}: " + ", ".join(f"{w:.2f}s wall / {c:.2f}s cpu" for w, c in times),
            file=sys.stderr,
        )
        return min(w for w, _ in times), min(c for _, c in times)

    best = {"noop": best_of("nothing to check", out / "no_includes", touch=False)}
    for name in VARIANTS:
        best[name] = best_of(name, out / name, touch=True)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "compile_cost")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--depth",
        type=int,
        default=2,
        help="levels of includes per query: 1 = the entity's own relations, "
        "2 = and the relations below them (the default), ...",
    )
    ap.add_argument("--no-measure", action="store_true")
    args = ap.parse_args()
    generate(args.out, args.depth)
    print(
        f"generated {ENTITIES} entities, {total_relations()} relations, "
        f"include depth {args.depth}, in {args.out}",
        file=sys.stderr,
    )
    if args.no_measure:
        return
    best = measure(args.out, args.runs)
    (nw, nc), (ww, wc), (zw, zc) = best["no_includes"], best["with_includes"], best["noop"]
    print(f"| best of {args.runs} | wall | CPU | CPU minus cargo's own ({zc:.3f} s) |")
    print("|---|---|---|---|")
    print(f"| no includes | {nw:.3f} s | {nc:.3f} s | {nc - zc:.3f} s |")
    print(f"| includes, depth {args.depth} | {ww:.3f} s | {wc:.3f} s | {wc - zc:.3f} s |")
    print(f"| ratio | {ww / nw:.2f} | {wc / nc:.2f} | {(wc - zc) / (nc - zc):.2f} |")


if __name__ == "__main__":
    main()
