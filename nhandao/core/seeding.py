"""The demo-data framework behind `manage.py seed_demo`.

Each app may have a `seed.py` with `run(ctx: SeedContext)`; seed_demo calls
them in INSTALLED_APPS order inside one transaction.  Everything is drawn from
`ctx.rng`, seeded by --seed, so the same seed builds the same Hải Phòng.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

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
    today: dt.date = field(default_factory=dt.date.today)
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.params = SCALES[self.scale]

    def sub_rng(self, name: str) -> random.Random:
        """An independent deterministic stream per module, so adding one module does
        not change what the others generate."""
        return random.Random(f"{self.seed}:{name}")

    def log(self, message: str) -> None:
        self.stdout.write(message)
