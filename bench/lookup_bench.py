"""Benchmark the "wie doet wat?" lookup against a hand-written SQL query on city-scale data.

    .venv/bin/python -m bench.generate          # once: bench/city.sqlite
    .venv/bin/python -m bench.lookup_bench      # p50/p95 of raw SQL, and of the lookup service
    .venv/bin/python -m bench.lookup_bench --db-url postgresql+psycopg://postgres@127.0.0.1/mt_bench

``--check`` first verifies the raw query against a brute-force answer computed in Python.
The lookup service (``coordinator.directory.lookup.lookup``) is timed when it exists; see
:func:`make_lookup_call` for the signatures it understands.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from bench.generate import DEFAULT_URL, GROUPS, LANGUAGES, TODAY, TOPICS, make_app
from bench.raw_lookup import raw_lookup
from coordinator.extensions import db

Timings = tuple[list[float], list[float]]


def make_queries(n: int, seed: int) -> list[dict]:
    """Mostly wijken (as an opbouwwerker asks), some stadsdelen and the city; half with a language."""
    rng = random.Random(seed)
    by_kind: dict[str, list[str]] = {}
    for slug, kind in db.session.execute(sa.text("SELECT slug, kind FROM areas ORDER BY id")):
        by_kind.setdefault(kind, []).append(slug)
    queries = []
    for _ in range(n):
        kind = rng.choices(["wijk", "stadsdeel", "stad"], [7, 2, 1])[0]
        queries.append(
            {
                "topic": rng.choice(TOPICS),
                "target_group": rng.choice(GROUPS[:-1]),
                "area": rng.choice(by_kind[kind]),
                "language": rng.choice(LANGUAGES) if rng.random() < 0.5 else None,
            }
        )
    return queries


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], max(samples)


def time_it(fn: Callable[[dict], object], queries: list[dict], warmup: int = 20) -> Timings:
    """Wall-clock and CPU milliseconds per query (CPU time is steadier on a busy machine)."""
    for q in queries[:warmup]:
        fn(q)
    wall, cpu = [], []
    for q in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(q)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _ids(sql: str, params: dict | None = None) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(sa.text(sql), params or {})]


def brute_force(q: dict, today: date) -> tuple[set[int], set[int]]:
    """The same answer from plain Python over whole tables (slow, obviously right)."""
    parent = dict(_ids("SELECT id, parent_id FROM areas"))
    area_id = {slug: i for i, slug in _ids("SELECT id, slug FROM areas")}
    topic_id = {slug: i for i, slug in _ids("SELECT id, slug FROM topics")}[q["topic"]]
    group_id = dict((slug, i) for i, slug in _ids("SELECT id, slug FROM target_groups"))
    lineage, node = set(), area_id[q["area"]]
    while node is not None:
        lineage.add(node)
        node = parent[node]
    groups = {group_id[q["target_group"]], group_id["iedereen"]}
    with_topic = {r for r, t in _ids("SELECT * FROM responsibility_topics") if t == topic_id}
    with_group = {r for r, g in _ids("SELECT * FROM responsibility_target_groups") if g in groups}
    in_area = {r for r, a in _ids("SELECT * FROM responsibility_areas") if a in lineage}
    handles, not_handles = set(), set()
    for rid, h, vf, vu in _ids("SELECT id, handles, valid_from, valid_until FROM responsibilities"):
        vf = date.fromisoformat(vf) if isinstance(vf, str) else vf
        vu = date.fromisoformat(vu) if isinstance(vu, str) else vu
        valid = (vf is None or vf <= today) and (vu is None or vu >= today)
        if valid and rid in with_topic and rid in with_group and rid in in_area:
            (handles if h else not_handles).add(rid)
    return handles, not_handles


def make_lookup_call(module: object) -> Callable[[dict], object]:
    """Adapt to the service's signature.

    The directory branch's ``lookup(LookupQuery(topic, target_group, area, language), viewer,
    today=…)`` is called as a beheerder (like the baseline: no visibility filtering). Otherwise
    ``lookup`` is called with the slugs as keywords matched by name.
    """
    lookup = module.lookup
    query_type = getattr(module, "LookupQuery", None)
    if query_type is not None:
        viewer = importlib.import_module("coordinator.directory.visibility").Viewer(
            authenticated=True, admin=True
        )
        return lambda q: lookup(query_type(**q), viewer, today=TODAY)
    aliases = {"topic": "topic", "target_group": "target_group", "group": "target_group"}
    aliases |= {"area": "area", "language": "language", "lang": "language"}
    names = {}
    for name in inspect.signature(lookup).parameters:
        key = aliases.get(name) or next((v for k, v in aliases.items() if name.startswith(k)), None)
        if key:
            names[name] = key
    return lambda q: lookup(**{name: q[key] for name, key in names.items()})


def report(results: dict[str, Timings], sizes: list[int], n: int) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database: {db.engine.dialect.name}, {n} queries, handles per answer: "
        f"median {statistics.median(sizes):.0f}, max {max(sizes)}; load average {load:.1f}"
    )
    for name, (wall, cpu) in results.items():
        p50, p95, worst = percentiles(wall)
        c50, c95, _worst = percentiles(cpu)
        print(
            f"{name:>15}: wall p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {worst:6.2f} ms"
            f"  | cpu p50 {c50:6.2f} ms  p95 {c95:6.2f} ms"
        )
    if len(results) == 2:
        service = percentiles(results["lookup service"][0])[1]
        ratio = service / percentiles(results["raw SQL"][0])[1]
        print(f"lookup p95 / raw p95 = {ratio:.2f} (target <= 2, and p95 <= 30 ms on SQLite)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="verify raw SQL against brute force")
    args = parser.parse_args()

    app = make_app(args.db_url)
    with app.app_context():
        queries = make_queries(args.queries, args.seed)
        connection = db.session.connection()

        def raw(q: dict) -> dict:
            return raw_lookup(connection, today=TODAY, **q)

        if args.check:
            for q in queries[:25]:
                answer = raw(q)
                got = ({e.id for e in answer["handles"]}, {e.id for e in answer["does_not_handle"]})
                assert got == brute_force(q, TODAY), q
            print("raw SQL agrees with the brute-force answer on 25 queries")

        sizes = [len(raw(q)["handles"]) for q in queries]
        results = {"raw SQL": time_it(raw, queries)}
        try:
            module = importlib.import_module("coordinator.directory.lookup")
        except ImportError:
            print("coordinator.directory.lookup not found: timing the raw SQL only")
        else:
            results["lookup service"] = time_it(make_lookup_call(module), queries)
        report(results, sizes, len(queries))


if __name__ == "__main__":
    main()
