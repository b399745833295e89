"""The collection centre's list of a drive's results, imported after the drive.

One row per bag.  Rows name their drive by its number (as the drive's page shows it),
and the drive must belong to the unit the file is imported into.  Donors are matched
in the registry by ID number, then by phone with the same name, then by name and date
of birth; people not found are created (a donor need not be a member).  A bag already
recorded for the same person is left as it is, so importing the same file twice writes
nothing new; a bag recorded for another person is an error.  All or nothing: the
shared import framework (office/imports) runs the dry run and the commit.
"""

from __future__ import annotations

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core import audit
from nhandao.core.access import BLOOD_IMPORT, BLOOD_MANAGE
from nhandao.core.bulk import insert_many
from nhandao.core.imports import Column, Importer, register
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import choice, parse_date, parse_int, parse_name, parse_phone, text, text_of
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind
from nhandao.people import identity
from nhandao.people.models import Person

from .choices import BloodGroup, DonationKind
from .models import Donation, Donor, Drive, Target
from .services import VOLUMES_ML, target_set

SEX = {"Nam": "M", "Nữ": "F", "nu": "F", "M": "M", "F": "F"}
KINDS = {
    "Máu toàn phần": DonationKind.WHOLE,
    "Toàn phần": DonationKind.WHOLE,
    "whole": DonationKind.WHOLE,
    "Hồng cầu": DonationKind.RED_CELLS,
    "Khối hồng cầu": DonationKind.RED_CELLS,
    "Huyết tương": DonationKind.PLASMA,
    "Tiểu cầu": DonationKind.PLATELETS,
}
GROUPS = {label: value for value, label in BloodGroup.choices} | {v: v for v in BloodGroup.values}


def parse_drive(value):
    raw = text_of(value).lstrip("#")
    if not raw:
        return None
    if not raw.isdigit():
        raise CellError(_("“%(v)s” không phải số đợt hiến máu.") % {"v": text_of(value)})
    return int(raw)


def parse_id(value):
    raw = text_of(value)
    if not raw:
        return None
    number = identity.clean_id(value)
    if not number.isdigit() or len(number) != 12:
        raise CellError(_("Số CCCD “%(v)s” phải có đúng 12 chữ số.") % {"v": raw})
    return number


@register
class DonationResultImporter(Importer):
    key = "blood.results"
    slug = "ket-qua-hien-mau"
    label = gettext_lazy("Kết quả hiến máu của cơ sở tiếp nhận máu")
    permission = BLOOD_IMPORT
    target_kinds = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
    description = gettext_lazy(
        "Mỗi dòng một túi máu của một đợt hiến máu thuộc đơn vị. Người hiến được tìm theo số CCCD, rồi số điện "
        "thoại và họ tên, rồi họ tên và ngày sinh; người chưa có được tạo mới. Nhập lại cùng tệp không ghi thêm gì."
    )
    columns = [
        Column(
            "drive", gettext_lazy("Số đợt hiến máu"), parse_drive, required=True, aliases=("Đợt", "Mã đợt")
        ),
        Column(
            "full_name", gettext_lazy("Họ và tên"), parse_name, required=True, aliases=("Họ tên",), width=26
        ),
        Column("dob", gettext_lazy("Ngày sinh"), parse_date, aliases=("Sinh ngày",)),
        Column("sex", gettext_lazy("Giới tính"), choice(SEX, gettext_lazy("giới tính"))),
        Column("cccd", gettext_lazy("Số CCCD"), parse_id, aliases=("CCCD",), sensitive=True),
        Column("phone", gettext_lazy("Điện thoại"), parse_phone, aliases=("Số điện thoại", "SĐT")),
        Column("blood_group", gettext_lazy("Nhóm máu"), choice(GROUPS, gettext_lazy("nhóm máu"))),
        Column(
            "bag_number", gettext_lazy("Số túi máu"), text(30), required=True, aliases=("Mã túi", "Số túi")
        ),
        Column("kind", gettext_lazy("Loại"), choice(KINDS, gettext_lazy("loại hiến"))),
        Column("volume_ml", gettext_lazy("Thể tích (ml)"), parse_int, aliases=("Thể tích", "ml")),
    ]

    def natural_key(self, row):
        bag = row.values.get("bag_number")
        return (bag.upper(),) if bag else None

    def validate(self, rows):
        drive_ids = {r.values.get("drive") for r in rows if r.values.get("drive")}
        drives = {
            d.pk: d
            for d in Drive.objects.filter(
                pk__in=drive_ids, unit__path__startswith=self.unit.path
            ).select_related("unit")
        }
        bags = {r.values["bag_number"].upper() for r in rows if r.values.get("bag_number")}
        taken = dict(
            Donation.objects.filter(bag_number__in=bags).values_list("bag_number", "donor__person_id")
        )
        cccds = {r.values["cccd"] for r in rows if r.values.get("cccd")}
        by_cccd = dict(Person.objects.live().filter(cccd__in=cccds).values_list("cccd", "pk"))
        phones = {r.values["phone"] for r in rows if r.values.get("phone")}
        by_phone: dict[tuple[str, str], int] = {}
        for pk, phone, name_key in (
            Person.objects.live().filter(phone__in=phones).values_list("pk", "phone", "name_key")
        ):
            by_phone.setdefault((phone, name_key), pk)
        names = {
            normalize(r.values["full_name"])
            for r in rows
            if r.values.get("full_name") and r.values.get("dob")
        }
        by_birth: dict[tuple[str, object], int] = {}
        for pk, name_key, dob in (
            Person.objects.live().filter(name_key__in=names).values_list("pk", "name_key", "date_of_birth")
        ):
            by_birth.setdefault((name_key, dob), pk)
        for row in rows:
            v = row.values
            drive = drives.get(v.get("drive"))
            if v.get("drive") and drive is None:
                row.error("drive", _("Không có đợt hiến máu số %(n)s trong đơn vị này.") % {"n": v["drive"]})
            row.data["drive"] = drive
            kind = v.get("kind") or DonationKind.WHOLE
            row.data["kind"] = kind
            if kind == DonationKind.WHOLE:
                if v.get("volume_ml") not in VOLUMES_ML:
                    row.error("volume_ml", _("Thể tích máu toàn phần là 250, 350 hoặc 450 ml."))
            elif v.get("volume_ml"):
                row.warn("volume_ml", _("Hiến gạn tách: thể tích không được ghi."))
            name_key = normalize(v.get("full_name") or "")
            person = None
            if v.get("cccd"):
                person = by_cccd.get(v["cccd"])
            if person is None and v.get("phone"):
                person = by_phone.get((v["phone"], name_key))
            if person is None and v.get("dob"):
                person = by_birth.get((name_key, v["dob"]))
            row.data["person_id"] = person
            bag = (v.get("bag_number") or "").upper()
            if bag in taken:
                if person is not None and taken[bag] == person:
                    row.existing = bag  # already imported: nothing to write
                else:
                    row.error(
                        "bag_number", _("Số túi máu %(b)s đã được ghi cho một người khác.") % {"b": bag}
                    )
            if person is None and not v.get("dob") and not v.get("phone") and not v.get("cccd"):
                row.error("dob", _("Người mới cần ngày sinh, số điện thoại hoặc số CCCD để nhận ra lần sau."))

    def summary(self, rows):
        new_people = {
            self._identity(r) for r in rows if r.ok and r.existing is None and r.data["person_id"] is None
        }
        return {"new_people": len(new_people)}

    @staticmethod
    def _identity(row) -> tuple:
        v = row.values
        return (v.get("cccd") or "", v.get("phone") or "", normalize(v.get("full_name") or ""), v.get("dob"))

    def commit(self, rows, batch):
        new_rows = [r for r in rows if r.existing is None]
        # People: one new Person per identity in the file (a person may give twice in one list).
        fresh: dict[tuple, Person] = {}
        for row in new_rows:
            if row.data["person_id"] is not None:
                continue
            ident = self._identity(row)
            if ident not in fresh:
                v = row.values
                person = Person(
                    full_name=v["full_name"],
                    sex=v.get("sex") or "",
                    date_of_birth=v.get("dob"),
                    cccd=v.get("cccd") or None,
                    phone=v.get("phone") or "",
                    unit=row.data["drive"].unit,
                    import_batch=batch.pk,
                )
                person.refresh_keys()
                fresh[ident] = person
            row.data["new_person"] = fresh[ident]
        insert_many(Person, list(fresh.values()))
        for row in new_rows:
            if row.data["person_id"] is None:
                row.data["person_id"] = row.data["new_person"].pk
        person_ids = {r.data["person_id"] for r in new_rows}
        donors = {d.person_id: d for d in Donor.objects.filter(person_id__in=person_ids)}
        new_donors = []
        for row in new_rows:
            pid = row.data["person_id"]
            if pid not in donors:
                donors[pid] = Donor(
                    person_id=pid,
                    unit=row.data["drive"].unit,
                    blood_group=row.values.get("blood_group") or "",
                )
                new_donors.append(donors[pid])
        insert_many(Donor, new_donors)
        for row in new_rows:
            donor = donors[row.data["person_id"]]
            if row.values.get("blood_group") and not donor.blood_group and donor not in new_donors:
                Donor.objects.filter(pk=donor.pk, blood_group="").update(
                    blood_group=row.values["blood_group"]
                )
        donations = [
            Donation(
                donor=donors[r.data["person_id"]],
                unit=r.data["drive"].unit,
                drive=r.data["drive"],
                donated_on=r.data["drive"].date,
                kind=r.data["kind"],
                volume_ml=r.values.get("volume_ml") if r.data["kind"] == DonationKind.WHOLE else None,
                bag_number=r.values["bag_number"].upper(),
            )
            for r in new_rows
        ]
        insert_many(Donation, donations)
        _refresh_donors({d.donor_id for d in donations})
        data = {"import_batch": batch.pk}
        audit.record_many(actor=self.actor, action="blood.donor.created", objects=new_donors, data=data)
        created = audit.record_many(
            actor=self.actor,
            action="blood.donation.recorded",
            objects=donations,
            label=lambda d: d.bag_number,
            changes=lambda d: audit.created(d),
            data=data,
        )
        return {
            "created": created,
            "new_people": len(fresh),
            "new_donors": len(new_donors),
            "existing": len(rows) - len(new_rows),
        }


def _refresh_donors(donor_ids: set[int]) -> None:
    """The derived columns of the donors an import touched, in three queries."""
    stats = {
        row["donor_id"]: row
        for row in Donation.objects.filter(donor_id__in=donor_ids)
        .values("donor_id")
        .annotate(n=Count("id"), last=Max("donated_on"))
    }
    lasts = dict(
        Donation.objects.filter(donor_id__in=donor_ids)
        .order_by("donor_id", "donated_on", "id")
        .values_list("donor_id", "kind")
    )  # the last kind per donor wins in the dict
    donors = list(Donor.objects.filter(pk__in=donor_ids))
    for donor in donors:
        donor.donation_count = stats[donor.pk]["n"]
        donor.last_donation_on = stats[donor.pk]["last"]
        donor.last_kind = lasts.get(donor.pk, "")
    Donor.objects.bulk_update(donors, ["donation_count", "last_donation_on", "last_kind"], batch_size=2000)


def parse_year(value):
    year = parse_int(value)
    if year is None:
        return None
    if not 2000 <= year <= 2100:
        raise CellError(_("Năm “%(v)s” không hợp lệ.") % {"v": text_of(value)})
    return year


@register
class TargetImporter(Importer):
    """The steering committee's yearly targets, from the XLSX the statistics page exports (the
    round trip: download, fill the "Chỉ tiêu" column, import).  Units are named by their code and
    must be in the unit imported into; only the city (BLOOD_MANAGE everywhere) may set targets.
    A row equal to the target already set writes nothing; a changed one goes through
    services.target_set (audited)."""

    key = "blood.targets"
    label = gettext_lazy("Chỉ tiêu hiến máu năm")
    permission = BLOOD_MANAGE
    target_kinds = (UnitKind.PROVINCE,)
    description = gettext_lazy(
        "Mỗi dòng một đơn vị (theo mã đơn vị) và năm, với chỉ tiêu đơn vị máu. Tải tệp mẫu từ trang Thống kê "
        "hiến máu, điền cột Chỉ tiêu rồi nhập lại; chỉ Ban chỉ đạo thành phố được giao chỉ tiêu."
    )
    columns = [
        Column("unit_code", gettext_lazy("Mã đơn vị"), text(40), required=True, aliases=("Mã",)),
        Column("unit_name", gettext_lazy("Đơn vị"), text(200)),
        Column("year", gettext_lazy("Năm"), parse_year, required=True),
        Column(
            "units", gettext_lazy("Chỉ tiêu (đơn vị máu)"), parse_int, required=True, aliases=("Chỉ tiêu",)
        ),
    ]

    def natural_key(self, row):
        v = row.values
        return (v.get("unit_code"), v.get("year")) if v.get("unit_code") and v.get("year") else None

    def validate(self, rows):

        city = self.actor is None or access.scope(self.actor, BLOOD_MANAGE).everything
        codes = {r.values["unit_code"] for r in rows if r.values.get("unit_code")}
        units = {u.code: u for u in Unit.objects.filter(code__in=codes, path__startswith=self.unit.path)}
        current = {(t.unit_id, t.year): t for t in Target.objects.filter(unit__in=list(units.values()))}
        for row in rows:
            v = row.values
            if not city:
                row.error("units", _("Chỉ Ban chỉ đạo thành phố được giao chỉ tiêu hiến máu."))
                continue
            unit = units.get(v.get("unit_code"))
            if v.get("unit_code") and unit is None:
                row.error(
                    "unit_code", _("Không có đơn vị mã %(c)s trong đơn vị này.") % {"c": v["unit_code"]}
                )
                continue
            if v.get("units") is not None and v["units"] < 0:
                row.error("units", _("Chỉ tiêu phải là số không âm."))
                continue
            if v.get("year") and v["year"] > timezone.localdate().year + 1:
                row.error("year", _("Chỉ giao chỉ tiêu đến năm sau."))
                continue
            row.data["unit"] = unit
            found = current.get((unit.pk, v.get("year"))) if unit else None
            if found is not None and found.units == v.get("units"):
                row.existing = found.pk

    def commit(self, rows, batch):

        written = 0
        for row in rows:
            if row.existing is not None:
                continue
            target_set(
                actor=self.actor, unit=row.data["unit"], year=row.values["year"], units=row.values["units"]
            )
            written += 1
        return {"created": written}
