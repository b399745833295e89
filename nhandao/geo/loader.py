"""Load the committed administrative-unit data into the database.

Re-runnable: rows are upserted by official code, so loading twice (or loading
a newer data file) never duplicates anything.  See scripts/build_geo_data.py
for where the data comes from.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from django.db import transaction

from nhandao.core.text import normalize

from .models import LegacyDistrict, LegacyProvince, LegacyWard, Province, Ward, WardConversion

DATA_FILE = Path(__file__).resolve().parent / "data" / "units.json.gz"
BATCH = 2000


def read_data(path: Path = DATA_FILE) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _upsert(model, rows, fields):
    model.objects.bulk_create(
        rows, batch_size=BATCH, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )


@transaction.atomic
def load(path: Path = DATA_FILE) -> dict[str, int]:
    data = read_data(path)
    p2 = lambda c: f"{c:02d}"  # noqa: E731
    d3 = lambda c: f"{c:03d}"  # noqa: E731
    w5 = lambda c: f"{c:05d}"  # noqa: E731
    common = ["name", "division_type", "codename", "search_key"]

    _upsert(
        Province,
        [
            Province(code=p2(c), name=n, division_type=t, codename=cn, phone_code=ph, search_key=normalize(n))
            for c, n, t, cn, ph in data["provinces"]
        ],
        [*common, "phone_code"],
    )
    _upsert(
        Ward,
        [
            Ward(code=w5(c), name=n, division_type=t, codename=cn, province_id=p2(p), search_key=normalize(n))
            for c, n, t, cn, p in data["wards"]
        ],
        [*common, "province"],
    )
    successor = dict(data["province_mapping"])
    _upsert(
        LegacyProvince,
        [
            LegacyProvince(
                code=p2(c),
                name=n,
                division_type=t,
                codename=cn,
                successor_id=p2(successor[c]) if c in successor else None,
                search_key=normalize(n),
            )
            for c, n, t, cn in data["legacy_provinces"]
        ],
        [*common, "successor"],
    )
    _upsert(
        LegacyDistrict,
        [
            LegacyDistrict(
                code=d3(c), name=n, division_type=t, codename=cn, province_id=p2(p), search_key=normalize(n)
            )
            for c, n, t, cn, p in data["legacy_districts"]
        ],
        [*common, "province"],
    )
    _upsert(
        LegacyWard,
        [
            LegacyWard(
                code=w5(c), name=n, division_type=t, codename=cn, district_id=d3(d), search_key=normalize(n)
            )
            for c, n, t, cn, d in data["legacy_wards"]
        ],
        [*common, "district"],
    )
    known_new = {w5(c) for c, *_ in data["wards"]}
    known_old = {w5(c) for c, *_ in data["legacy_wards"]}
    conversions = [
        WardConversion(old_id=w5(o), new_id=w5(n), partly=bool(part))
        for o, n, part in data["ward_mapping"]
        if w5(o) in known_old and w5(n) in known_new
    ]
    WardConversion.objects.bulk_create(
        conversions,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["old", "new"],
        update_fields=["partly"],
    )
    return {
        "provinces": Province.objects.count(),
        "wards": Ward.objects.count(),
        "legacy_provinces": LegacyProvince.objects.count(),
        "legacy_districts": LegacyDistrict.objects.count(),
        "legacy_wards": LegacyWard.objects.count(),
        "conversions": WardConversion.objects.count(),
    }


def ensure_loaded() -> None:
    """Load the data if the tables are empty (tests, first start)."""
    if not Ward.objects.exists():
        load()
