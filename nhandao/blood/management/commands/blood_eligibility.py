"""Ask the eligibility rules from the command line (for the people who check them).

    manage.py blood_eligibility --born 1990-05-17 --sex F --weight 48 \
        --history whole:2026-01-05,plasma:2026-03-01 --on 2026-04-01

First line: `eligible` or `not eligible until dd/mm/yyyy` (`not eligible` when no date
can be given), then the reasons, then the largest volume allowed.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nhandao.blood import eligibility


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Whether a person may give blood on a day, by Thông tư 26/2013/TT-BYT."

    def add_arguments(self, parser):
        parser.add_argument("--born", required=True, help="date of birth, YYYY-MM-DD")
        parser.add_argument("--sex", required=True, choices=["M", "F"])
        parser.add_argument("--weight", required=True, type=float, help="kg")
        parser.add_argument(
            "--history", default="", help="kind:YYYY-MM-DD,… (whole, red_cells, plasma, platelets)"
        )
        parser.add_argument("--deferred-until", default="", help="a deferral: the first day allowed again")
        parser.add_argument("--on", default="", help="the day asked about (default: today)")

    def handle(self, *args, **opts):
        try:
            history = eligibility.parse_history(opts["history"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        deferrals = []
        if opts["deferred_until"]:
            deferrals.append(eligibility.Deferral(_date(opts["deferred_until"]), "deferral"))
        on = _date(opts["on"]) if opts["on"] else dt.date.today()
        verdict = eligibility.assess(
            born=_date(opts["born"]),
            sex=opts["sex"],
            weight=opts["weight"],
            history=history,
            deferrals=deferrals,
            on=on,
        )
        self.stdout.write(verdict.headline())
        self.stdout.write(f"reason: {verdict.explanation()}")
        bag = verdict.largest_bag_ml
        if verdict.max_volume_ml:
            apheresis = (
                f"up to {verdict.max_apheresis_ml} ml in all" if verdict.apheresis else "no (under 50 kg)"
            )
            self.stdout.write(
                f"largest volume: {verdict.max_volume_ml} ml whole blood (largest bag {bag} ml); apheresis: {apheresis}"
            )
        else:
            self.stdout.write("largest volume: 0 ml (under the minimum weight)")
