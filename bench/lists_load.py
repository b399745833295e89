"""Benchmark: the signed-in lists under load, through gunicorn (issue 15, point 10).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/lists_load.py \\
        [--keep] [--clients 20] [--seconds 20] [--workers 3] [--threads 1] [--only people]

1. Builds a throwaway PostgreSQL database (`nhandao_bench_lists`, or --db; dropped at the end
   unless --keep; with --keep an existing one is reused) at city scale without the hour of
   `seed_demo --scale city`: the small city, grown with COPY to ~272,000 people, ~30,000
   beneficiary households and ~200,000 donations (bench/_city.py; ~8 minutes on 2 cores).
2. Signs in --clients sessions (the city administrator, the city's accountant and commune
   officers of Lê Chân and Ngô Quyền, past the second factor where the role needs one), starts
   gunicorn with --workers (sync, or gthread with --threads > 1) on a free port, and for each
   list runs the clients concurrently for --seconds (threads, http.client, each client with its
   own session cookie) over typical filters and pages: the people list, the beneficiary
   households (cases), the donations.
3. Prints per list: requests, errors, req/s, p50 and p95 latency, the CPU time per request of
   the gunicorn workers ("web") and of the PostgreSQL processes serving them ("db"), user +
   system read from /proc (it depends on the machine's load much less than the latency does:
   2 cores / (web + db) is the throughput an idle machine could reach), and the load average
   before and after.

Target (issue 15): ≥ 60 requests/s and p95 < 400 ms for each list at 20 clients.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from _city import DB_NAME, build
from _db import ROOT, free_port, percentile, server_url, signed_in, throwaway, with_name

TICKS = os.sysconf("SC_CLK_TCK")


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) of each process still running."""
    result = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        result[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return result


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes running at the second (a process
    that ended in between is left out: a lower bound)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []


def backends(dbname: str) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (the workers' connections)."""
    import psycopg

    with psycopg.connect(with_name(server_url(), "postgres"), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [dbname]
        ).fetchall()
    return [r[0] for r in rows]


def sessions(clients: int) -> dict[str, list[str]]:
    """Session cookies per list: who opens it (a mix of the city's and communes' officers)."""
    from django.test import Client

    cookies: dict[str, str] = {}

    def cookie(username: str, n: int) -> str:
        key = f"{username}#{n}"
        if key not in cookies:
            c = signed_in(Client(), username)
            cookies[key] = c.cookies["sessionid"].value
        return cookies[key]

    people = ["admin.thanhpho", "quanly.lechan", "nhaplieu.lechan", "quanly.ngoquyen", "nhaplieu.ngoquyen"]
    money = ["admin.thanhpho", "ketoan.thanhpho", "ketoan.lechan", "quanly.lechan", "quanly.ngoquyen"]
    return {
        "people": [cookie(people[i % len(people)], i) for i in range(clients)],
        "cases": [cookie(people[i % len(people)], i) for i in range(clients)],
        "donations": [cookie(money[i % len(money)], i) for i in range(clients)],
    }


def paths() -> dict[str, list[str]]:
    """Typical pages and filters of each list (each officer sees them within their own scope)."""
    from nhandao.funds.models import Fund

    funds = list(Fund.objects.order_by("id").values_list("pk", flat=True)[:4])
    return {
        "people": [f"/nguoi/?page={p}" for p in range(1, 6)]
        + [
            "/nguoi/?vai-tro=volunteer&tuoi=16-30",
            "/nguoi/?vai-tro=member&hoi-phi=unpaid",
            "/nguoi/?vai-tro=member&page=2",
            "/nguoi/?vai-tro=member&tuoi=31-45",
        ],
        "cases": [f"/doi-tuong/?page={p}" for p in range(1, 6)]
        + [
            "/doi-tuong/?dien=ho-ngheo&trang-thai=helpable",
            "/doi-tuong/?trang-thai=helpable&chua-tro-giup=12",
            "/doi-tuong/?dien=ho-can-ngheo&page=2",
        ],
        "donations": [f"/ung-ho/?page={p}" for p in range(1, 6)]
        + [f"/ung-ho/?fund={pk}" for pk in funds]
        + ["/ung-ho/?channel=bank", "/ung-ho/?date_from=01/01/2026&date_to=30/06/2026"],
    }


def run_load(port: int, urls: list[str], cookies: list[str], seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(seed: int, cookie: str) -> None:
        rng = random.Random(seed)
        mine, bad = [], []
        headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={cookie}"}
        while time.perf_counter() < stop:
            url = urls[rng.randrange(len(urls))]
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    bad.append(f"{response.status} {url}")
            except OSError as exc:
                bad.append(f"{exc} {url}")
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(i, c)) for i, c in enumerate(cookies)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "n": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.5) * 1000 if latencies else 0.0,
        "p95": percentile(latencies, 0.95) * 1000 if latencies else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="above 1: gunicorn's gthread workers")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    parser.add_argument("--db", default=DB_NAME, help="the throwaway database's name")
    parser.add_argument("--only", action="append", choices=["people", "cases", "donations"])
    parser.add_argument("--build-only", action="store_true", help="build (or find) the database and stop")
    args = parser.parse_args()

    with throwaway(args.db, keep=args.keep) as existed:
        build(existed)
        if args.build_only:
            return
        cookies = sessions(args.clients)
        urls = paths()
        from django.db import connections

        connections.close_all()
        port = free_port()
        env = dict(os.environ)
        env.update({"HTTPS": "false", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"})
        command = [
            sys.executable, "-m", "gunicorn", "nhandao.wsgi:application",
            "--workers", str(args.workers), "--threads", str(args.threads),
            "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning",
        ]  # fmt: skip
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            for _ in range(150):
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    c.request("GET", "/minh-bach/ping/", headers={"Host": "127.0.0.1"})
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            kind = "sync" if args.threads == 1 else f"gthread ({args.threads} threads)"
            print(
                f"gunicorn {args.workers} {kind} workers, {args.clients} signed-in clients, "
                f"{args.seconds:.0f} s per list"
            )
            names = args.only or ["people", "cases", "donations"]
            # Warm up: every worker imports, connects and renders each list once or more.
            for name in names:
                run_load(port, urls[name], cookies[name], 3)
            print(
                f"{'list':<11}{'requests':>9}{'errors':>7}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}"
                f"{'web cpu':>9}{'db cpu':>9}  load before → after   (cpu: ms per request)"
            )
            for name in names:
                before = cpu_seconds(children(server.pid))
                db_before, load_before = cpu_seconds(backends(args.db)), loadavg()
                r = run_load(port, urls[name], cookies[name], args.seconds)
                n = max(r["n"], 1)
                cpu = cpu_spent(before, cpu_seconds(children(server.pid))) / n * 1000
                db_cpu = cpu_spent(db_before, cpu_seconds(backends(args.db))) / n * 1000
                print(
                    f"{name:<11}{r['n']:>9,}{len(r['errors']):>7}{r['rps']:>7.1f}{r['p50']:>8.0f}{r['p95']:>8.0f}"
                    f"{cpu:>9.1f}{db_cpu:>9.1f}  {load_before} → {loadavg()}"
                )
                for e in sorted(set(r["errors"]))[:5]:
                    print(f"    error: {e}")
            print("target: ≥ 60 req/s and p95 < 400 ms per list")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
