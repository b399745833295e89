"""Build nhandao/geo/data/units.json.gz from the `vietnam-provinces` package.

The administrative units (34 provinces and 3,321 commune-level units since
01/07/2025), the pre-2025 units (63 provinces, 696 districts, ~10,050 communes)
and the official old -> new commune mapping come from the PyPI package
`vietnam-provinces` by Nguyễn Hồng Quân (GPL-3.0-or-later), whose data is taken
from the General Statistics Office and the official conversion tables.

Only its 2026.x releases carry the legacy units and the mapping, and they
declare Python >= 3.12, although they import on 3.11.  So that a plain set-up
on Python 3.11 reproduces the data, we commit the generated file and keep this
script to regenerate it:

    python3 -m venv /tmp/vp
    /tmp/vp/bin/pip install --ignore-requires-python vietnam-provinces==2026.9.0
    /tmp/vp/bin/python scripts/build_geo_data.py

The output is deterministic (sorted, no timestamps) so regenerating with the
same package version produces the same bytes.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import vietnam_provinces
from vietnam_provinces import Province, Ward
from vietnam_provinces import legacy as L
from vietnam_provinces._province_conversion_2025 import NEW_TO_OLD as PROVINCE_NEW_TO_OLD
from vietnam_provinces._ward_conversion_2025 import EFFECTIVE_DATE, OLD_TO_NEW

OUT = Path(__file__).resolve().parent.parent / "nhandao" / "geo" / "data" / "units.json.gz"


def main() -> None:
    data = {
        "source": {
            "package": "vietnam-provinces",
            "version": vietnam_provinces.__version__,
            "data_version": vietnam_provinces.__data_version__,
            "license": "GPL-3.0-or-later",
            "url": "https://pypi.org/project/vietnam-provinces/",
            "effective_date": EFFECTIVE_DATE,
        },
        "provinces": sorted(
            [p.code.value, p.name, str(p.division_type.value), p.codename, p.phone_code]
            for p in Province.iter_all()
        ),
        "wards": sorted(
            [w.code.value, w.name, str(w.division_type.value), w.codename, w.province_code.value]
            for w in Ward.iter_all()
        ),
        "legacy_provinces": sorted(
            [p.code.value, p.name, str(p.division_type.value), p.codename] for p in L.Province.iter_all()
        ),
        "legacy_districts": sorted(
            [d.code.value, d.name, str(d.division_type.value), d.codename, d.province_code.value]
            for d in L.District.iter_all()
        ),
        "legacy_wards": sorted(
            [w.code.value, w.name, str(w.division_type.value), w.codename, w.district_code.value]
            for w in L.Ward.iter_all()
        ),
        # [old ward code, new ward code, old ward only partly merged into the new one]
        "ward_mapping": sorted(
            [old, new.code, entry.old_ward.is_partly_merged]
            for old, entry in OLD_TO_NEW.items()
            for new in entry.new_wards
        ),
        # [old province code, new province code]
        "province_mapping": sorted(
            [old.code, new] for new, entry in PROVINCE_NEW_TO_OLD.items() for old in entry.old_provinces
        ),
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(raw)
    print(f"wrote {OUT} ({len(raw):,} bytes raw)")
    for key in ("provinces", "wards", "legacy_provinces", "legacy_districts", "legacy_wards", "ward_mapping"):
        print(f"  {key}: {len(data[key]):,}")


if __name__ == "__main__":
    main()
