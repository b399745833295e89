"""The demo-data framework behind `manage.py seed_demo`.

Each app may have a `seed.py` with `run(ctx: SeedContext)`; seed_demo calls
them in INSTALLED_APPS order inside one transaction.  Everything is drawn from
`ctx.rng`, seeded by --seed, so the same seed builds the same Hải Phòng.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

SCALES = {
    # small: seconds, what `make demo` uses; city: Hải Phòng's real size for benchmarks.
    # people_total: members, volunteers and staff (Hải Phòng's society reported ~272,000 in 2022).
    # beneficiary_households, humanitarian_addresses, help_records: the beneficiaries module
    # (city: ~30,000 households, 5,000 humanitarian addresses, 200,000 help records over five years).
    # blood_donors, blood_units_per_year: the blood module (Hải Phòng: ~31,000 units a year; five years).
    "small": {
        "branches_per_commune": 3,
        "groups_per_branch": 0,
        "people_total": 2400,
        "funds_donations": 1_500,
        "funds_years": 5,
        "beneficiary_households": 700,
        "humanitarian_addresses": 120,
        "help_records": 5000,
        "blood_donors": 1500,
        "blood_units_per_year": 500,
    },
    "city": {
        "branches_per_commune": 15,
        "groups_per_branch": 2,
        "people_total": 272000,
        "funds_donations": 200_000,
        "funds_years": 5,
        "beneficiary_households": 30000,
        "humanitarian_addresses": 5000,
        "help_records": 200000,
        "blood_donors": 120000,
        "blood_units_per_year": 31000,
    },
}

DEMO_PASSWORD = "nhandao-demo"

# For measuring one module at a scale without waiting for another: NHANDAO_SEED_OVERRIDE
# "funds_donations=2000,help_records=10000" replaces those figures of the chosen scale.
# Benchmarks only; the demo and the tests never set it.
OVERRIDE_ENV = "NHANDAO_SEED_OVERRIDE"


def scale_overrides() -> dict[str, int]:
    raw = os.environ.get(OVERRIDE_ENV, "").strip()
    if not raw:
        return {}
    result = {}
    for item in raw.split(","):
        key, _, value = item.partition("=")
        key = key.strip()
        if key not in SCALES["small"]:
            raise ValueError(
                f"{OVERRIDE_ENV}: unknown figure {key!r} (known: {', '.join(sorted(SCALES['small']))})"
            )
        result[key] = int(value)
    return result


@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


@dataclass
class SeedContext:
    scale: str
    seed: int
    stdout: Any
    # The demo day: today in Hải Phòng (the services' clock), not the machine's date.
    today: dt.date = field(default_factory=timezone.localdate)
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.params = {**SCALES[self.scale], **scale_overrides()}

    def sub_rng(self, name: str) -> random.Random:
        """An independent deterministic stream per module, so adding one module does
        not change what the others generate."""
        return random.Random(f"{self.seed}:{name}")

    def log(self, message: str) -> None:
        self.stdout.write(message)
