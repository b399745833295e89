"""Targets of a movement from Excel: the file the movement's page exports, filled in and imported
through the shared import framework (office/imports: dry run by row and column, then all or nothing).

One row per commune and indicator.  Rows name the movement by its code and the unit by its code;
the file is imported into the unit that launched the movement.  Unknown units, closed units,
units outside the movement, indicators not in the movement, negative targets and duplicated rows are
refused with the row and the column named.  Importing the same file twice changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core import audit
from nhandao.core.access import MOVEMENTS_MANAGE
from nhandao.core.imports import Column, Importer, register
from nhandao.core.imports.parsers import choice, parse_int, text
from nhandao.org.models import Unit, UnitKind

from . import results, services
from .models import Movement, PeerGroup, Target, TargetMethod, UnitProfile
from .services import check_target


@register
class TargetImporter(Importer):
    key = "movements.targets"
    label = gettext_lazy("Chỉ tiêu phong trào giao cho các Hội CTĐ cấp xã")
    permission = MOVEMENTS_MANAGE
    target_kinds = (UnitKind.NATIONAL, UnitKind.PROVINCE, UnitKind.DISTRICT)
    description = gettext_lazy(
        "Mỗi dòng một chỉ tiêu của một đơn vị. Tải tệp từ trang phong trào (đã có sẵn các đơn vị và chỉ "
        "tiêu), ghi cột “Chỉ tiêu giao” rồi nhập vào đơn vị phát động phong trào."
    )
    columns = [
        Column("movement", gettext_lazy("Mã phong trào"), text(30), required=True, example="TNA-2027"),
        Column("unit_code", gettext_lazy("Mã đơn vị"), text(40), required=True, aliases=("Mã Hội",)),
        Column("unit_name", gettext_lazy("Tên đơn vị"), text(200), width=36),
        Column("indicator", gettext_lazy("Mã chỉ tiêu"), text(80), required=True, width=28),
        Column("indicator_label", gettext_lazy("Chỉ tiêu"), text(200), width=36),
        Column("value", gettext_lazy("Chỉ tiêu giao"), parse_int, required=True, aliases=("Chỉ tiêu năm",)),
    ]

    def natural_key(self, row):
        return (
            row.values.get("movement", "").upper(),
            row.values.get("unit_code", "").upper(),
            row.values.get("indicator"),
        )

    def duplicate_message(self, row, first):
        return _("Dòng trùng: đơn vị và chỉ tiêu này đã có ở dòng %(n)s.") % {"n": first}

    def validate(self, rows):
        codes = {(r.values.get("movement") or "").upper() for r in rows}
        movements = {
            m.code.upper(): m
            for m in Movement.objects.filter(
                unit=self.unit, code__in=[c for c in codes if c]
            ).prefetch_related("indicators")
        }
        # Codes as typed and upper-cased (Excel users retype "hp-lc").
        wanted = {(r.values.get("unit_code") or "") for r in rows}
        units = {
            u.code.upper(): u for u in Unit.objects.filter(code__in=wanted | {w.upper() for w in wanted})
        }
        existing = {
            (t.movement_id, t.unit_id, t.indicator): t.value
            for t in Target.objects.filter(movement__in=movements.values())
        }
        for row in rows:
            v = row.values
            movement = movements.get((v.get("movement") or "").upper())
            if v.get("movement") and movement is None:
                row.error(
                    "movement",
                    _("Không có phong trào mã %(c)s do đơn vị này phát động.") % {"c": v["movement"]},
                )
                continue
            unit = units.get((v.get("unit_code") or "").upper())
            if v.get("unit_code") and unit is None:
                row.error("unit_code", _("Không có đơn vị mã %(c)s.") % {"c": v["unit_code"]})
            if movement is None or (unit is None and v.get("unit_code")):
                continue
            for column, message in check_target(movement, unit, v.get("indicator"), v.get("value")).items():
                row.error({"unit": "unit_code"}.get(column, column), message)
            row.data.update(movement=movement, unit=unit)
            if row.ok and existing.get((movement.pk, unit.pk, v["indicator"])) == v["value"]:
                row.existing = True  # the same target is already there

    def commit(self, rows, batch):
        written = []
        for row in rows:
            movement, unit, v = row.data["movement"], row.data["unit"], row.values
            target, _created = Target.objects.update_or_create(
                movement=movement,
                unit=unit,
                indicator=v["indicator"],
                defaults={"value": v["value"], "method": TargetMethod.IMPORT},
            )
            written.append(target)
        created = audit.record_many(
            actor=self.actor,
            action="movements.target.imported",
            objects=written,
            label=lambda t: f"{t.unit_id} {t.indicator}",
            changes=lambda t: {"value": {"new": t.value}},
            data={"import_batch": batch.pk},
        )
        return {"created": created, "existing": len(rows) - len(written)}


PEER_GROUPS = {
    **{str(label): value for value, label in PeerGroup.choices},
    **{v: v for v in PeerGroup.values},
}


@register
class ProfileImporter(Importer):
    """Peer groups and population of the units under the importing unit (the city's communes and
    branches; a commune's school and enterprise branches): the file the peer groups page exports,
    filled in.  A blank group follows the tree; a blank population clears it."""

    key = "movements.profiles"
    slug = "khoi-thi-dua"
    label = gettext_lazy("Khối thi đua và dân số của các đơn vị")
    permission = MOVEMENTS_MANAGE
    target_kinds = (UnitKind.NATIONAL, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
    description = gettext_lazy(
        "Mỗi dòng một đơn vị cấp dưới. Tải tệp từ trang khối thi đua, sửa cột “Khối thi đua” hoặc "
        "“Dân số” rồi nhập vào đơn vị cấp trên của các đơn vị đó."
    )
    columns = [
        Column("unit_code", gettext_lazy("Mã đơn vị"), text(40), required=True, example="HP-LC"),
        Column("unit_name", gettext_lazy("Tên đơn vị"), text(200), width=40),
        Column(
            "peer_group",
            gettext_lazy("Khối thi đua"),
            choice(PEER_GROUPS, gettext_lazy("khối thi đua")),
            width=26,
            example="Hội CTĐ phường",
        ),
        Column("population", gettext_lazy("Dân số"), parse_int, example="45000"),
    ]

    def natural_key(self, row):
        return ((row.values.get("unit_code") or "").upper(),)

    def duplicate_message(self, row, first):
        return _("Dòng trùng: đơn vị này đã có ở dòng %(n)s.") % {"n": first}

    def validate(self, rows):
        wanted = {(r.values.get("unit_code") or "") for r in rows}
        units = {
            u.code.upper(): u
            for u in Unit.objects.filter(code__in=wanted | {w.upper() for w in wanted}).select_related(
                "ward", "movement_profile"
            )
        }
        for row in rows:
            v = row.values
            unit = units.get((v.get("unit_code") or "").upper())
            if v.get("unit_code") and (
                unit is None or unit.pk == self.unit.pk or not unit.path.startswith(self.unit.path)
            ):
                row.error(
                    "unit_code",
                    _("Không có đơn vị mã %(c)s dưới %(u)s.") % {"c": v["unit_code"], "u": self.unit},
                )
                continue
            if unit is None:
                continue
            for column, message in services.check_profile(
                unit, v.get("peer_group") or "", v.get("population")
            ).items():
                row.error({"unit": "unit_code"}.get(column, column), message)
            group = v.get("peer_group") or ""
            if group == results.default_peer_group(unit):
                group = ""  # stored blank: the unit follows the tree
            row.data.update(unit=unit, peer_group=group)
            profile = getattr(unit, "movement_profile", None)
            now = (profile.peer_group, profile.population) if profile else ("", None)
            if row.ok and now == (group, v.get("population")):
                row.existing = True  # nothing to change

    def commit(self, rows, batch):
        written = []
        for row in rows:
            if row.existing:
                continue  # unchanged: no write, no event
            unit = row.data["unit"]
            before = getattr(unit, "movement_profile", None)
            old = (before.peer_group, before.population) if before else ("", None)
            profile, _created = UnitProfile.objects.update_or_create(
                unit=unit,
                defaults={"peer_group": row.data["peer_group"], "population": row.values.get("population")},
            )
            written.append((profile, old))
        olds = {p.pk: old for p, old in written}
        created = audit.record_many(
            actor=self.actor,
            action="movements.profile.imported",
            objects=[p for p, _old in written],
            label=lambda p: str(p.unit_id),
            changes=lambda p: audit.diff(
                dict(zip(("peer_group", "population"), olds[p.pk], strict=True)),
                {"peer_group": p.peer_group, "population": p.population},
            ),
            data={"import_batch": batch.pk},
        )
        return {"created": created, "existing": len(rows) - len(written)}
