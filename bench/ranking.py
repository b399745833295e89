"""Benchmark: the city's emulation ranking over its 114 commune-level societies, uncached (issue 19).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a database seeded by seed_demo> \\
        .venv/bin/python bench/ranking.py [--runs 5]

Computes `movements.results.standings` (every competitor of the city's latest criteria: the 114
communes and the school and enterprise branches, each criterion's indicator over each unit's
subtree, the manual scores, the ranks) --runs times in process, no cache, and prints the median and
the slowest time with the number of units and queries.  Target: under 500 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from nhandao.movements import results
    from nhandao.movements.models import Scheme

    scheme = Scheme.objects.filter(unit__parent__isnull=True).order_by("-year").first()
    if scheme is None:
        raise SystemExit("no emulation criteria: run `manage.py seed_demo` on this database first")
    timings, units, queries = [], 0, 0
    for _ in range(args.runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = results.standings(scheme)
            timings.append((time.perf_counter() - started) * 1000)
        units, queries = len(rows), len(captured)
    communes = sum(1 for r in rows if r.unit.kind == "commune")
    print(
        f"ranking {scheme.name}: {units} units ({communes} communes), {len(scheme.criteria.all())} criteria, "
        f"{queries} queries; median {statistics.median(timings):.0f} ms, slowest {max(timings):.0f} ms "
        f"(target < 500 ms)"
    )


if __name__ == "__main__":
    main()
