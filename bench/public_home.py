"""Benchmark: the public home page (issue 19, point 6) at city scale, with the portal's cache.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/public_home.py \\
        [--stories 3000] [--requests 500] [--keep]

Builds a throwaway PostgreSQL database (`nhandao_bench_public_home`) with the city and its 114
commune-level societies, `--stories` published stories spread over two years (each with an image:
a few real re-encoded JPEGs shared by the rows), 30 open public campaigns of the city and the
communes, and 60 upcoming blood drives.  Then it requests "/" anonymously through Django's test
client (the whole stack: middleware, the portal's cache decorator, the registered front sections)
and prints p50/p95: first with the cache (locmem, as one worker; a story published or a ledger
posting changes the key), then without it (PORTAL_CACHE_SECONDS=0: every section computed), and
the other public pages of the front (/tin-tuc/, a story, /bao-chi/, the Atom feed) with the cache.

Target: p95 < 50 ms with the cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _db import percentile, throwaway


def measure(client, label, urls, n):
    times = []
    for i in range(n):
        url = urls[i % len(urls)]
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    p95 = percentile(times, 0.95)
    print(
        f"{label:<40} n={n}  p50 {percentile(times, 0.5):6.1f} ms  p95 {p95:6.1f} ms  max {max(times):6.1f} ms"
    )
    return p95


def build(n_stories: int) -> None:
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.utils import timezone
    from PIL import Image

    from nhandao.blood import services as blood
    from nhandao.blood.models import CollectionCentre
    from nhandao.campaigns import services as campaigns
    from nhandao.geo import loader
    from nhandao.geo.models import Ward
    from nhandao.org import services as org
    from nhandao.org.models import UnitKind
    from nhandao.stories import images
    from nhandao.stories.models import Story, StoryImage

    loader.ensure_loaded()
    rng = random.Random(19)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        city = org.unit_create(
            actor=None, name="Hội Chữ thập đỏ thành phố Hải Phòng", kind=UnitKind.PROVINCE, code="HP",
            province="31", valid_from=dt.date(2000, 1, 1),
        )  # fmt: skip
        wards = list(Ward.objects.filter(province_id="31").order_by("code"))
        communes = [
            org.unit_create(
                actor=None,
                parent=city,
                name=f"Hội Chữ thập đỏ {w.name}",
                kind=UnitKind.COMMUNE,
                code=f"HP-{i:03d}",
                ward=w,
                valid_from=dt.date(2025, 7, 1),
            )  # fmt: skip
            for i, w in enumerate(wards)
        ]
        files = []
        for k in range(6):
            raw = io.BytesIO()
            Image.new("RGB", (1600, 1000), (40 * k, 20, 200 - 30 * k)).save(raw, format="JPEG")
            processed = images.process(ContentFile(raw.getvalue(), name="a.jpg"))
            files.append((default_storage.save(f"stories/bench/{k}.jpg", processed.content), processed))
        stories = Story.objects.bulk_create(
            [
                Story(
                    unit=rng.choice(communes + [city]),
                    kind=rng.choice(["news", "good_deed"]),
                    title=f"Tin bài số {i}: trao quà Tết Nhân ái",
                    summary="Hội trao quà cho hộ nghèo, người cao tuổi cô đơn.",
                    body="<p>Nội dung bài viết.</p>" * 5,
                    tags=rng.choice(["Tết Nhân ái", "hiến máu", "Tháng Nhân đạo, nhà nhân đạo"]),
                    status="published",
                    published_at=now - dt.timedelta(minutes=i * 350),
                )
                for i in range(n_stories)
            ],
            batch_size=1000,
        )
        StoryImage.objects.bulk_create(
            [
                StoryImage(
                    story=s, file=files[i % 6][0], width=files[i % 6][1].width, height=files[i % 6][1].height
                )
                for i, s in enumerate(stories)
            ],
            batch_size=1000,
        )
        for i in range(30):
            c = campaigns.campaign_create(
                actor=None, unit=city if i < 6 else communes[i * 3], name=f"Tết Nhân ái {2026 + i % 2} – đợt {i}",
                kind="movement", starts_on=today - dt.timedelta(days=i), goal=1_000_000_000,
            )  # fmt: skip
            campaigns.campaign_open(actor=None, campaign=c)
        centre = CollectionCentre.objects.first()
        for i in range(60):
            blood.drive_create(
                actor=None, unit=communes[i], name=f"Chủ nhật Đỏ {i}", venue="Nhà văn hóa", address="Số 1",
                ward=wards[i], date=today + dt.timedelta(days=1 + i % 40), starts_at=dt.time(7),
                ends_at=dt.time(11), centre=centre, capacity_per_hour=30, target_units=100,
            )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()
    with throwaway("nhandao_bench_public_home", keep=args.keep) as existed:
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        settings.MEDIA_ROOT = "/tmp/nhandao-bench-public-home-media"
        if not existed:
            build(args.stories)
        from nhandao.campaigns.models import Campaign
        from nhandao.org.models import Unit
        from nhandao.stories.models import Story

        story = Story.objects.order_by("-published_at").first()
        print(
            f"{Unit.objects.count()} units, {Story.objects.count():,} published stories, "
            f"{Campaign.objects.count()} campaigns"
        )
        client = Client()
        body = client.get("/").content.decode()
        shown = body.count('class="front-section"')
        print(f"home page: {len(body):,} bytes, {shown} sections")
        cache.clear()
        settings.NHANDAO_PORTAL_CACHE_SECONDS = 60
        p95 = measure(client, "/ (cached)", ["/"], args.requests)
        settings.NHANDAO_PORTAL_CACHE_SECONDS = 0
        measure(client, "/ (no cache: every section computed)", ["/"], max(50, args.requests // 5))
        settings.NHANDAO_PORTAL_CACHE_SECONDS = 60
        for url in ["/tin-tuc/", f"/tin-tuc/{story.pk}/", "/bao-chi/", "/tin-tuc/atom.xml"]:
            measure(client, f"{url} (cached)", [url], max(50, args.requests // 5))
        print(f"target p95 < 50 ms with the cache: {'met' if p95 < 50 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
