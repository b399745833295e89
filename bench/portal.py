"""Benchmark: the public transparency portal under load (issue 7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/portal.py \\
        [--gifts 1000000] [--clients 32] [--seconds 10] [--workers 4] [--keep] [--cache redis|local|off]

1. Creates a throwaway PostgreSQL database (`nhandao_bench_portal`, or --db; dropped
   at the end unless --keep; with --keep an existing one is reused), a city unit and
   twenty communes, the benchmark appeal, ten smaller public campaigns, one kept off
   the portal, and loads N gifts: 60 % into the appeal, 2 % into each other campaign,
   18 % into the general funds of the city and the communes (see MAIN_SHARE …).
   The gifts are built from the real statement lines in /work/shared/data/statements/
   (amounts, senders' names as the bank wrote them, masked accounts, memos), cycled
   with their dates spread over 90 days and one display choice in five anonymous,
   one in ten initials.  Rows go in with COPY (core.bulk) and the ledger's own
   batch path (`ledger.post_ids`): the hash chains (global and the campaign's) are
   valid for every inserted gift (`manage.py verify_ledger` passes), but the bench
   data skips what the per-gift service adds around it (audit events, pledge
   matching): it is bench-only data in a throwaway database.
2. Starts gunicorn (sync workers) on 127.0.0.1 and, for each scenario, runs 32
   client threads (http.client, one connection per request: gunicorn's sync worker
   closes it) for --seconds; prints p50 / p95 latency and requests per second.
   Scenarios: a minimal constant view (/minh-bach/ping/, the ceiling), the
   campaign page, gift search by name fragment, by exact amount, by date range,
   the receipt check, and the one search across every public campaign and the
   units' general funds ("all: …": name, amount, dates, account digits).  Searches
   vary their parameters (hundreds of different fragments, amounts, ranges) so that
   the cache is not all that is measured.
   The cache is production's: Redis shared by the workers (--cache redis, the
   default when Redis answers on 127.0.0.1:6379; its database 9 is emptied first,
   so every path's first visit is a miss); --cache local is each worker's own
   memory (the setting without CACHE_URL); --cache off (PORTAL_CACHE_SECONDS=0)
   measures the database paths alone.

Before the HTTP load, `--direct N` times the one search's database work in process
(selector calls, no HTTP, no page cache) for N parameter sets per scenario.

Targets (issue 7, issue 13 point 12): p95 < 100 ms for every search; campaign page
throughput at least half the minimal view's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from _db import ROOT, free_port, percentile, throwaway

DB_NAME = "nhandao_bench_portal"
STATEMENTS = Path(os.environ.get("NHANDAO_STATEMENTS", "/work/shared/data/statements"))
BATCH = 20_000


def real_lines() -> list[tuple[int, str, str, str]]:
    """(amount, sender name, sender account as printed, memo) of every credit line of the real statements."""
    from nhandao.banking import memo, statements

    result = []
    for path in sorted(STATEMENTS.glob("*")):
        if path.suffix.lower() not in {".psv", ".csv", ".xlsx", ".xls", ".txt"}:
            continue
        try:
            st = statements.read(path.read_bytes(), path.name)
        except Exception as exc:  # a file the reader refuses is skipped, and said so
            print(f"  skipped {path.name}: {exc}")
            continue
        for line in st.lines:
            if line.amount <= 0:
                continue
            name = line.counterparty_name or memo.analyse(line.description).counterparty_name or ""
            result.append((line.amount, name.strip(), line.counterparty_account, line.description[:500]))
    if not result:
        raise SystemExit(f"no statement lines found in {STATEMENTS}")
    return result


# Where the gifts go (shares of --gifts): the benchmark appeal most; ten smaller public campaigns
# of the city and communes; one campaign kept off the portal (its gifts must cost the public
# search nothing); the general funds of the city and twenty communes.
MAIN_SHARE = 0.60
OTHER_CAMPAIGNS = 10
OTHER_SHARE = 0.02  # each
PRIVATE_SHARE = 0.02
CITY_GENERAL_SHARE = 0.06
COMMUNES = 20
COMMUNE_GENERAL_SHARE = 0.006  # each


@dataclass
class Place:
    unit: object
    campaign: object | None
    bank_account: object
    share: float


def setup_world() -> tuple[object, list[Place]]:
    from nhandao.campaigns import services as campaigns
    from nhandao.campaigns.models import CampaignKind
    from nhandao.funds import services as funds
    from nhandao.funds.models import Channel
    from nhandao.geo import loader
    from nhandao.org import services as org
    from nhandao.org.models import UnitKind

    loader.ensure_loaded()
    today = dt.date.today()
    city = org.unit_create(
        actor=None,
        name="Hội Chữ thập đỏ thành phố Hải Phòng",
        kind=UnitKind.PROVINCE,
        code="HP",
        province="31",
        valid_from=dt.date(2000, 1, 1),
    )
    communes = [
        org.unit_create(
            actor=None,
            name=f"Hội Chữ thập đỏ phường Bench {i + 1:02d}",
            kind=UnitKind.COMMUNE,
            parent=city,
            valid_from=dt.date(2000, 1, 1),
        )
        for i in range(COMMUNES)
    ]

    def bank(unit, number: str, campaign=None):
        return funds.bank_account_create(
            actor=None,
            unit=unit,
            bank_name="BIDV",
            bank_bin="970418",
            account_number=number,
            holder="HOI CHU THAP DO",
            campaign=campaign,
        )

    def campaign_of(unit, name: str, *, is_public: bool = True):
        campaign = campaigns.campaign_create(
            actor=None,
            unit=unit,
            name=name,
            kind=CampaignKind.MOVEMENT,
            starts_on=today - dt.timedelta(days=90),
            eligibility="Hộ có nhà bị sập, hư hỏng nặng.",
            support_level="5.000.000 đồng mỗi hộ.",
            distribution_method="Chuyển khoản qua Hội cấp xã.",
            is_public=is_public,
        )
        return campaigns.campaign_open(actor=None, campaign=campaign)

    def first_gift(unit, campaign, bank_account, ref: str) -> None:
        # One gift through the service opens the fund and its ledger accounts.
        funds.donation_record(
            actor=None,
            unit=unit,
            campaign=campaign,
            channel=Channel.BANK,
            bank_account=bank_account,
            amount=100_000,
            received_on=today - dt.timedelta(days=90),
            external_ref=ref,
            donor_name="NGUYEN THI MAI",
            display="full",
        )

    main = campaign_of(city, "Ủng hộ đồng bào bị thiệt hại do bão (benchmark)")
    places = [Place(city, main, bank(city, "1261122666", main), MAIN_SHARE)]
    for i in range(OTHER_CAMPAIGNS):
        unit = city if i % 2 == 0 else communes[i]
        campaign = campaign_of(unit, f"Cuộc vận động thứ {i + 2} (bench)")
        places.append(Place(unit, campaign, bank(unit, f"12611227{i:02d}", campaign), OTHER_SHARE))
    private = campaign_of(city, "Cuộc vận động nội bộ (bench)", is_public=False)
    places.append(Place(city, private, bank(city, "1261122799", private), PRIVATE_SHARE))
    places.append(Place(city, None, bank(city, "1261122800"), CITY_GENERAL_SHARE))
    for i, commune in enumerate(communes):
        places.append(Place(commune, None, bank(commune, f"12611229{i:02d}"), COMMUNE_GENERAL_SHARE))
    for i, place in enumerate(places):
        first_gift(place.unit, place.campaign, place.bank_account, f"BENCH-FIRST-{i}")
    return main, places


def load_gifts(n: int, places: list[Place]) -> None:
    """Spread n gifts over the places by their shares (the last place takes what rounding leaves)."""
    counts = [int(n * p.share) for p in places]
    counts[0] += n - sum(counts)
    first = 0
    for place, count in zip(places, counts, strict=True):
        load_place(count, place, first)
        first += count
    from django.db import connection

    from nhandao.funds.services import public_names_rebuild

    names = sum(public_names_rebuild(c) for c in {p.campaign for p in places})
    print(f"  {names:,} distinct public names")
    with connection.cursor() as cur:
        for table in ("funds_donation", "funds_entry", "funds_posting", "funds_publicname"):
            cur.execute(f"VACUUM ANALYZE {table}")  # visibility map: index-only counts


def load_place(n: int, place: Place, first: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from nhandao.core import bulk
    from nhandao.core.text import search_key
    from nhandao.funds import ledger
    from nhandao.funds.models import Account, AccountKind, Display, Donation, Fund, PostingKind
    from nhandao.funds.services.donations import DonationRow, public_name

    lines = real_lines()
    campaign, bank_account = place.campaign, place.bank_account
    where = campaign.code if campaign is not None else f"quỹ chung {place.unit.name}"
    # As funds.fund_for: a restricted campaign's own fund, else the unit's general fund (tagged).
    if campaign is not None and campaign.restricted:
        fund = Fund.objects.get(unit=place.unit, campaign=campaign)
    else:
        fund = Fund.objects.get(unit=place.unit, kind="general")
    bank = Account.objects.get(fund=fund, kind=AccountKind.BANK, bank_account=bank_account)
    income = Account.objects.get(fund=fund, kind=AccountKind.INCOME)
    campaign_id = campaign.pk if campaign is not None else None
    first_day = dt.date.today() - dt.timedelta(days=89)
    rng = random.Random(7 + first)
    start_number = Donation.objects.filter(unit=place.unit).count() + 1
    now = timezone.now()
    done = 0
    started = time.perf_counter()
    while done < n:
        size = min(BATCH, n - done)
        rows, meta = [], []
        for k in range(done, done + size):
            amount, name, account, memo_text = lines[(first + k) % len(lines)]
            roll = rng.random()
            display = Display.ANONYMOUS if roll < 0.2 else Display.INITIALS if roll < 0.3 else Display.FULL
            shown = public_name(name, display)[:200] if name else "Nhà hảo tâm"
            day = first_day + dt.timedelta(days=(k * 89) // max(n - 1, 1))
            number = start_number + k
            ref = f"BENCH{first + k:010d}"
            rows.append(
                DonationRow(
                    unit_id=place.unit.pk,
                    fund_id=fund.pk,
                    campaign_id=campaign_id,
                    account_id=bank.pk,
                    channel="bank",
                    bank_account_id=bank_account.pk,
                    donor_id=None,
                    donor_name=name[:200],
                    display=display,
                    public_name=shown,
                    public_key=search_key(shown)[:200],
                    amount=amount,
                    currency="VND",
                    original_amount=None,
                    exchange_rate=None,
                    received_on=day,
                    external_ref=ref,
                    counterparty_name=name[:200],
                    counterparty_account=account[:40],
                    memo=memo_text,
                    pledge_id=None,
                    note="",
                    late_reason="",
                    receipt_year=day.year,
                    receipt_number=number,
                    verify_code=f"B{first + k:011d}",
                    status="posted",
                    recorded_by_id=None,
                    recorded_at=now,
                    search_key=search_key(name, shown if shown != name else "", ref)[:400],
                )
            )
            meta.append((amount, day, number))
        with transaction.atomic():
            ids = bulk.insert_returning_ids(DonationRow, rows)
            specs = [
                ledger.PostingSpec(
                    kind=PostingKind.DONATION,
                    unit_id=place.unit.pk,
                    value_date=day,
                    description=f"Ủng hộ {where}",
                    lines=[ledger.Line(bank, amount, campaign_id), ledger.Line(income, -amount, campaign_id)],
                    voucher=f"BN{day.year}-{number:06d}",
                    donation_id=pk,
                )
                for pk, (amount, day, number) in zip(ids, meta, strict=True)
            ]
            ledger.post_ids(specs)
        done += size
        rate = done / (time.perf_counter() - started)
        print(f"\r  {where}: loaded {done:,} gifts ({rate:,.0f}/s)", end="", flush=True)
    print()


def _redis_cache_url() -> str | None:
    """Redis database 9 on the machine, emptied (so the run starts cold), or None if Redis is not there."""
    try:
        import redis
    except ImportError:
        return None
    client = redis.Redis(host="127.0.0.1", port=6379, db=9, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.RedisError:
        return None
    return "rediscache://127.0.0.1:6379/9"


# Load generation ------------------------------------------------------------------------------
def run_load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    misses = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        bad = missed = 0
        while time.perf_counter() < stop:
            path = paths[rng.randrange(len(paths))]
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                missed += response.getheader("X-Portal-Cache") != "hit"
                conn.close()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            misses[0] += missed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "n": len(latencies),
        "errors": errors[0],
        "computed": misses[0],
        "p50": percentile(latencies, 0.5) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "rps": len(latencies) / elapsed,
    }


def scenarios(campaign, n_gifts: int) -> dict[str, list[str]]:
    from nhandao.core.text import normalize
    from nhandao.funds.models import Donation

    rng = random.Random(11)
    code = campaign.code
    base = f"/minh-bach/chien-dich/{code}/ung-ho/"
    names = [normalize(name) for _a, name, _c, _m in real_lines() if name]
    fragments = set()
    for name in rng.sample(names, min(len(names), 400)):
        words = name.split()
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            fragments.add(" ".join(words[i : i + 2]))
        elif words:
            fragments.add(words[0])
    amounts = sorted({a for a, _n, _c, _m in real_lines()})
    today = dt.date.today()
    ranges = []
    for _ in range(300):
        start = today - dt.timedelta(days=rng.randrange(1, 89))
        end = start + dt.timedelta(days=rng.randrange(0, 3))
        ranges.append((start, end))
    codes = list(
        Donation.objects.filter(campaign=campaign).order_by("?").values_list("verify_code", flat=True)[:500]
    )
    everywhere = "/minh-bach/tra-cuu/"
    return {
        "ping (ceiling)": ["/minh-bach/ping/"],
        "campaign page": [f"/minh-bach/chien-dich/{code}/"],
        "search: name fragment": [f"{base}?q={f.replace(' ', '+')}" for f in sorted(fragments)],
        "search: amount": [f"{base}?so_tien={a}" for a in rng.sample(amounts, min(300, len(amounts)))],
        "search: date range": [f"{base}?tu_ngay={a:%d/%m/%Y}&den_ngay={b:%d/%m/%Y}" for a, b in ranges],
        "receipt check": [f"/minh-bach/bien-nhan/{c}/" for c in codes],
        # The one search across every public campaign and the units' general funds.
        "all: name fragment": [f"{everywhere}?q={f.replace(' ', '+')}" for f in sorted(fragments)],
        "all: amount": [f"{everywhere}?so_tien={a}" for a in rng.sample(amounts, min(300, len(amounts)))],
        "all: date range": [f"{everywhere}?tu_ngay={a:%d/%m/%Y}&den_ngay={b:%d/%m/%Y}" for a, b in ranges],
        "all: account digits": [f"{everywhere}?tai_khoan={n:03d}" for n in rng.sample(range(1000), 300)],
    }


def direct(paths: dict[str, list[str]], limit: int) -> None:
    """The one search's database work alone (selector calls in this process: no HTTP, no page
    cache; the places read once, as the view keeps them per ledger version), each scenario's
    parameter sets once, then p50 / p95 per scenario."""
    from urllib.parse import parse_qs, urlsplit

    from nhandao.funds import public as funds
    from nhandao.portal import forms, views

    places = funds.public_gift_places()  # the view keeps them per ledger version
    print(f"{'direct (no HTTP, no cache)':<28}{'searches':>10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for label, ps in paths.items():
        if not label.startswith("all:"):
            continue
        times = []
        for path in ps[:limit]:
            params = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
            t0 = time.perf_counter()
            q = forms.everywhere_query(params)
            campaign_ids, fund_ids = places.scope(
                campaign_code=q.campaign_code, fund_id=q.fund_id, unit_id=q.unit
            )
            found = funds.public_gift_search_everywhere(
                cap=views.COUNT_CAP, campaign_ids=campaign_ids, fund_ids=fund_ids, **q.gifts.filters
            )
            funds.public_found_gifts(found.ids[: views.GIFTS_PAGE_SIZE])
            times.append(time.perf_counter() - t0)
        print(
            f"{label:<28}{len(times):>10}{percentile(times, 0.5) * 1000:>9.1f}{percentile(times, 0.95) * 1000:>9.1f}"
            f"{max(times) * 1000:>9.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gifts", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (above 1: gunicorn's gthread workers)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    parser.add_argument(
        "--cache",
        choices=["redis", "local", "off"],
        default=None,
        help="redis (shared, the default when Redis answers), local (per worker) or off (the database alone)",
    )
    parser.add_argument("--db", default=DB_NAME, help="the throwaway database's name")
    parser.add_argument("--load-only", action="store_true", help="seed (or find) the gifts and stop")
    parser.add_argument(
        "--only", action="append", help="scenarios whose label starts with this (repeatable), e.g. 'all:'"
    )
    parser.add_argument(
        "--direct",
        type=int,
        default=300,
        help="first N parameter sets of each one-search scenario, timed in process (0: skip)",
    )
    parser.add_argument("--direct-only", action="store_true", help="the in-process timings, no HTTP load")
    args = parser.parse_args()
    cache_url = ""
    if args.cache in (None, "redis"):
        cache_url = _redis_cache_url()
        if cache_url is None:
            if args.cache == "redis":
                raise SystemExit("Redis does not answer on 127.0.0.1:6379")
            args.cache, cache_url = "local", ""
        else:
            args.cache = "redis"

    with throwaway(args.db, keep=args.keep):
        from django.core.management import call_command

        from nhandao.campaigns.models import Campaign
        from nhandao.funds.models import Donation

        call_command("migrate", verbosity=0)
        campaign = Campaign.objects.filter(name__endswith="(benchmark)").first()
        have = Donation.objects.filter(campaign=campaign).count() if campaign else 0
        if campaign is None:
            t0 = time.perf_counter()
            campaign, places = setup_world()
            load_gifts(args.gifts, places)
            print(f"load: {args.gifts:,} gifts in {time.perf_counter() - t0:.0f} s")
            have = Donation.objects.filter(campaign=campaign).count()
        else:
            print(f"reusing {args.db}: {have:,} gifts in campaign {campaign.code}")
        everywhere = Donation.objects.count()
        print(f"{everywhere:,} gifts in all")
        if args.load_only:
            return
        paths = scenarios(campaign, have)
        if args.only:
            paths = {
                k: v for k, v in paths.items() if k.startswith(tuple(args.only)) or k == "ping (ceiling)"
            }
        if args.direct:
            direct(paths, args.direct)
            if args.direct_only:
                return
        from django.db import connections

        connections.close_all()

        port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "HTTPS": "false",
                "DEBUG": "false",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "PORTAL_CACHE_SECONDS": "0" if args.cache == "off" else env.get("PORTAL_CACHE_SECONDS", "60"),
                "LOG_LEVEL": "WARNING",
            }
        )
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "nhandao.wsgi:application",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
        if cache_url:
            env["CACHE_URL"] = cache_url
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            for _ in range(100):
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    c.request("GET", "/minh-bach/ping/")
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            print(
                f"gunicorn {args.workers} {'sync' if args.threads == 1 else f'gthread ({args.threads} threads)'} workers, {args.clients} clients, {args.seconds:.0f} s per scenario, "
                f"cache {args.cache}, {have:,} gifts in the benchmark campaign, {everywhere:,} in all"
            )
            # Warm up: every worker imports and connects; every path is seen once.
            run_load(port, [p for ps in paths.values() for p in ps[:20]], args.clients, 3)
            print(
                f"{'scenario':<24}{'requests':>10}{'computed':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}"
            )
            results = {}
            for label, ps in paths.items():
                r = run_load(port, ps, args.clients, args.seconds)
                results[label] = r
                print(
                    f"{label:<24}{r['n']:>10,}{r['computed']:>10,}{r['errors']:>8}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                    f"{r['rps']:>9.0f}"
                )
            ceiling = results["ping (ceiling)"]["rps"]
            if "campaign page" in results:
                page = results["campaign page"]["rps"]
                print(f"campaign page throughput / minimal view: {page / ceiling:.2f} (target ≥ 0.5)")
            worst = max(r["p95"] for k, r in results.items() if k.startswith(("search", "all:")))
            print(f"worst search p95: {worst:.1f} ms (target < 100 ms)")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
