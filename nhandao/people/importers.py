"""Importing people from the spreadsheets communes keep today.

One row per person.  Columns are matched by header without case or diacritics
(see the aliases); only "Họ và tên" is required.  A row describes a person and
the roles they hold in the target unit (or in the chi hội named in the row).

Matching (so that re-importing a file creates nothing new):
- a row with a CCCD is the person holding that CCCD;
- otherwise the person with the same normalised name, the same date of birth
  (or birth year when either side only has the year) and the same phone.
A row that only resembles an existing record (same name and birth date but
another phone, or same name and phone but another birth date) is imported as a
new person and flagged as a likely duplicate for a manager to merge.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core import audit
from nhandao.core.access import PEOPLE_IMPORT, PEOPLE_VIEW
from nhandao.core.bulk import insert_many
from nhandao.core.imports import Column, Importer, register
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import (
    choice,
    multi,
    parse_date_or_year,
    parse_email,
    parse_name,
    parse_phone,
    text,
    text_of,
)
from nhandao.core.text import normalize
from nhandao.geo.selectors import resolve_address
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind

from . import identity
from .choices import CURRENT_STATUSES, ETHNICITIES, RoleKind, RoleStatus, Sex, StaffType, YouthBand
from .models import PeopleRules, Person, PersonRole, Skill, new_card_token
from .services.roles import age_problem, youth_band_for
from .services.stats import refresh_stats

SEX = {
    "Nam": Sex.MALE,
    "Nữ": Sex.FEMALE,
    "nu": Sex.FEMALE,
    "M": Sex.MALE,
    "F": Sex.FEMALE,
    "Male": Sex.MALE,
    "Female": Sex.FEMALE,
}

# (kind, youth band, staff type)
ROLES = {
    "Hội viên": (RoleKind.MEMBER, "", ""),
    "HV": (RoleKind.MEMBER, "", ""),
    "Tình nguyện viên": (RoleKind.VOLUNTEER, "", ""),
    "TNV": (RoleKind.VOLUNTEER, "", ""),
    "Cộng tác viên": (RoleKind.COLLABORATOR, "", ""),
    "CTV": (RoleKind.COLLABORATOR, "", ""),
    "Thanh niên CTĐ": (RoleKind.YOUTH, YouthBand.YOUTH, ""),
    "Thanh niên Chữ thập đỏ": (RoleKind.YOUTH, YouthBand.YOUTH, ""),
    "Thanh niên": (RoleKind.YOUTH, YouthBand.YOUTH, ""),
    "Thiếu niên CTĐ": (RoleKind.YOUTH, YouthBand.TEEN, ""),
    "Thiếu niên Chữ thập đỏ": (RoleKind.YOUTH, YouthBand.TEEN, ""),
    "Thiếu niên": (RoleKind.YOUTH, YouthBand.TEEN, ""),
    "Cán bộ chuyên trách": (RoleKind.STAFF, "", StaffType.FULL_TIME),
    "Chuyên trách": (RoleKind.STAFF, "", StaffType.FULL_TIME),
    "Cán bộ kiêm nhiệm": (RoleKind.STAFF, "", StaffType.PART_TIME),
    "Kiêm nhiệm": (RoleKind.STAFF, "", StaffType.PART_TIME),
}

_ETHNICITY_ALIASES = {
    "Khmer": "05",
    "Khơ me": "05",
    "H'Mông": "08",
    "Hmông": "08",
    "Mèo": "08",
    "Ê Đê": "12",
    "Bana": "13",
}
ETHNICITY = (
    {name: code for code, name in ETHNICITIES} | {code: code for code, _n in ETHNICITIES} | _ETHNICITY_ALIASES
)

_WARD_WORDS = ("phuong ", "xa ", "thi tran ", "dac khu ", "p.", "p ", "x.", "tt.", "tt ")


def parse_id(value):
    raw = text_of(value)
    if not raw:
        return None
    number = identity.clean_id(value)
    if not number.isdigit() or len(number) not in (9, 12):
        raise CellError(_("Số “%(v)s” không phải CCCD (12 chữ số) hay CMND (9 chữ số).") % {"v": raw})
    return number


def split_address(value: str) -> tuple[str, str]:
    """'Số 12 Lạch Tray, Phường Cát Dài, Quận Lê Chân' -> ('Số 12 Lạch Tray', 'Phường Cát Dài, Quận Lê Chân')."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    for index, part in enumerate(parts):
        if normalize(part).startswith(_WARD_WORDS):
            return ", ".join(parts[:index]), ", ".join(parts[index:])
    return value, ""


@register
class PersonImporter(Importer):
    key = "people.person"
    slug = "nguoi"
    label = gettext_lazy("Hội viên, tình nguyện viên, cộng tác viên, cán bộ")
    permission = PEOPLE_IMPORT
    target_kinds = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.BRANCH)
    description = gettext_lazy(
        "Mỗi dòng một người. Nếu không có cột “Vai trò”, mọi người được ghi là hội viên. Nhập lại cùng tệp "
        "không tạo thêm hồ sơ: người đã có (cùng CCCD, hoặc cùng họ tên, ngày sinh và điện thoại) được giữ nguyên."
    )
    columns = [
        Column(
            "full_name",
            gettext_lazy("Họ và tên"),
            parse_name,
            required=True,
            aliases=("Họ tên", "Họ và tên hội viên", "Tên hội viên", "Họ và tên người"),
            help=gettext_lazy("Họ trước, tên sau. Chữ in hoa được tự chuyển."),
            example="Nguyễn Thị Minh Anh",
            width=26,
        ),
        Column(
            "dob",
            gettext_lazy("Ngày sinh"),
            parse_date_or_year,
            aliases=("Ngày tháng năm sinh", "Năm sinh", "Sinh ngày", "NS", "Ngày, tháng, năm sinh"),
            help=gettext_lazy("ngày/tháng/năm (05/03/1962 hoặc 5/3/62), hoặc chỉ năm (1962)."),
            example="05/03/1962",
        ),
        Column(
            "sex",
            gettext_lazy("Giới tính"),
            choice(SEX, "giới tính"),
            aliases=("Nam/Nữ", "Nam, nữ", "Phái", "GT"),
            help=gettext_lazy("Nam hoặc Nữ."),
            example="Nữ",
            width=10,
        ),
        Column(
            "id_number",
            gettext_lazy("Số CCCD"),
            parse_id,
            aliases=(
                "CCCD",
                "Số CCCD/CMND",
                "CCCD/CMND",
                "CMND",
                "Số CMND",
                "Số định danh",
                "Căn cước công dân",
                "Số căn cước",
            ),
            help=gettext_lazy("12 chữ số (CMND cũ 9 chữ số). Phải khớp giới tính và năm sinh."),
            example="031185000123",
            sensitive=True,
        ),
        Column(
            "phone",
            gettext_lazy("Điện thoại"),
            parse_phone,
            aliases=("Số điện thoại", "SĐT", "SDT", "ĐT", "Di động", "Điện thoại di động"),
            help=gettext_lazy("0912 345 678, +84 912 345 678 đều được."),
            example="0912345678",
            width=14,
        ),
        Column(
            "email",
            gettext_lazy("Thư điện tử"),
            parse_email,
            aliases=("Email", "E-mail", "Thư điện tử (email)"),
        ),
        Column(
            "ethnicity",
            gettext_lazy("Dân tộc"),
            choice(ETHNICITY, "dân tộc"),
            help=gettext_lazy("Theo danh mục 54 dân tộc."),
            example="Kinh",
            width=10,
        ),
        Column(
            "address",
            gettext_lazy("Địa chỉ"),
            text(300),
            aliases=(
                "Nơi ở",
                "Nơi ở hiện nay",
                "Địa chỉ thường trú",
                "Nơi cư trú",
                "Quê quán, địa chỉ",
                "Số nhà, đường, thôn, tổ",
            ),
            help=gettext_lazy(
                "Số nhà, đường hoặc thôn, tổ; có thể ghi cả xã, phường (kể cả tên cũ trước 2025)."
            ),
            example="Số 12 Lạch Tray, Phường Cát Dài, Quận Lê Chân",
            width=40,
        ),
        Column(
            "ward",
            gettext_lazy("Xã, phường"),
            text(200),
            aliases=("Phường/xã", "Xã/phường", "Phường, xã", "Xã phường", "Phường xã"),
            help=gettext_lazy("Tên hiện nay hoặc tên cũ kèm quận, huyện cũ: “Phường Cát Dài, Quận Lê Chân”."),
            example="Phường Lê Chân",
            width=26,
        ),
        Column("occupation", gettext_lazy("Nghề nghiệp"), text(100), aliases=("Nghề", "Công việc")),
        Column(
            "workplace",
            gettext_lazy("Nơi làm việc, học tập"),
            text(200),
            aliases=("Nơi công tác", "Đơn vị công tác", "Nơi làm việc", "Trường", "Cơ quan"),
            width=26,
        ),
        Column(
            "roles",
            gettext_lazy("Vai trò"),
            multi(choice(ROLES, "vai trò")),
            aliases=("Đối tượng", "Loại", "Là"),
            help=gettext_lazy(
                "Hội viên, Tình nguyện viên (TNV), Cộng tác viên (CTV), Thanh niên CTĐ, Thiếu niên CTĐ, Cán bộ chuyên trách, Cán bộ kiêm nhiệm; nhiều vai trò cách nhau dấu phẩy."
            ),
            example="Hội viên, TNV",
            width=22,
        ),
        Column(
            "branch",
            gettext_lazy("Chi hội"),
            text(200),
            aliases=("Chi hội, tổ hội", "Sinh hoạt tại chi hội", "Tên chi hội"),
            help=gettext_lazy("Tên chi hội trực thuộc đơn vị nhập (để trống: đơn vị nhập)."),
            example="Chi hội tổ dân phố số 1",
            width=26,
        ),
        Column(
            "joined",
            gettext_lazy("Ngày vào Hội"),
            parse_date_or_year,
            aliases=("Ngày kết nạp", "Năm vào Hội", "Ngày tham gia", "Ngày vào hội"),
            help=gettext_lazy("ngày/tháng/năm hoặc chỉ năm."),
            example="2015",
        ),
        Column(
            "card_number",
            gettext_lazy("Số thẻ hội viên"),
            text(30),
            aliases=("Số thẻ", "Mã thẻ", "Số thẻ HV"),
            help=gettext_lazy("Để trống để hệ thống tự cấp."),
        ),
        Column(
            "position",
            gettext_lazy("Chức vụ"),
            text(120),
            aliases=("Chức danh",),
            help=gettext_lazy("Với cán bộ Hội."),
        ),
        Column(
            "skills",
            gettext_lazy("Kỹ năng"),
            multi(text(100)),
            aliases=("Kỹ năng, chuyên môn", "Chuyên môn"),
            help=gettext_lazy("Sơ cấp cứu, Bơi lội, Lái xe, … cách nhau dấu phẩy."),
        ),
        Column("note", gettext_lazy("Ghi chú"), text(300)),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rules = PeopleRules.current()
        self.today = dt.date.today()
        self._addresses: dict[str, object] = {}
        self._branches: dict[str, Unit] | None = None
        self._skills = {normalize(s.name): s for s in Skill.objects.all()}

    # Helpers -------------------------------------------------------------------
    def branches(self) -> dict[str, Unit]:
        if self._branches is None:
            table: dict[str, Unit] = {}
            for unit in (
                Unit.objects.active().filter(path__startswith=self.unit.path).exclude(pk=self.unit.pk)
            ):
                key = normalize(unit.name)
                table.setdefault(key, unit)
                for prefix in ("chi hoi ", "to hoi "):
                    if key.startswith(prefix):
                        table.setdefault(key[len(prefix) :], unit)
                table.setdefault(normalize(unit.code), unit)
            self._branches = table
        return self._branches

    def resolve(self, text: str):
        if text not in self._addresses:
            province = self.unit.ward.province_id if self.unit.ward_id else None
            self._addresses[text] = resolve_address(text, province)
        return self._addresses[text]

    def natural_key(self, row):
        values = row.values
        if values.get("id_number") and len(values["id_number"]) == 12:
            return ("cccd", values["id_number"])
        dob = values.get("dob")
        return ("name", normalize(values["full_name"]), str(dob) if dob else "", values.get("phone") or "")

    def duplicate_message(self, row, first):
        if row.key and row.key[0] == "cccd":
            return _("Số CCCD trùng với dòng %(n)s.") % {"n": first}
        return _("Trùng với dòng %(n)s (cùng họ tên, ngày sinh và điện thoại).") % {"n": first}

    # Validation ----------------------------------------------------------------
    def validate(self, rows):
        self._check_rows(rows)
        self._match_existing(rows)
        self._check_cards(rows)

    def _check_rows(self, rows):
        for row in rows:
            if not row.ok:
                continue
            v = row.values
            dob = v.get("dob")
            if dob is not None and (dob.year > self.today.year or (dob.date and dob.date > self.today)):
                row.error("dob", _("Ngày sinh ở tương lai."))
            number = v.get("id_number")
            if number and len(number) == 12:
                for problem in identity.cccd_problems(
                    number,
                    sex=v.get("sex") or "",
                    birth_year=dob.year if dob else None,
                    date_of_birth=dob.date if dob else None,
                ):
                    row.error("id_number", problem)
            # Where the person belongs: the chi hội named in the row, or the unit imported into.
            unit = self.unit
            if v.get("branch"):
                unit = self.branches().get(normalize(v["branch"]))
                if unit is None:
                    unit = self.branches().get(normalize(v["branch"]).removeprefix("chi hoi "))
                if unit is None:
                    row.error(
                        "branch",
                        _("Không có chi hội “%(v)s” trực thuộc %(u)s.")
                        % {"v": v["branch"], "u": self.unit.name},
                    )
                    unit = self.unit
            row.data["unit"] = unit
            # Address: current or pre-2025 names, mapped to today's commune-level unit.
            detail, ward_text = v.get("address") or "", v.get("ward") or ""
            if detail and not ward_text:
                detail, ward_text = split_address(detail)
            elif ward_text and detail:
                extra, _w = split_address(detail)
                detail = extra or detail
            row.data["address_detail"] = detail[:200]
            row.data["ward"] = None
            if ward_text:
                match = self.resolve(ward_text)
                if match.ok:
                    row.data["ward"] = match.ward
                    # An unambiguous old name is simply translated (counted in the summary).
                    row.data["old_address"] = match.legacy is not None or bool(match.note)
                else:
                    row.warn(
                        "ward",
                        _("%(problem)s Địa chỉ được giữ nguyên, chưa gắn xã, phường.")
                        % {"problem": match.problem},
                    )
                    row.data["address_detail"] = ", ".join(p for p in (detail, ward_text) if p)[:200]
            # Roles and ages.
            roles = v.get("roles") or [(RoleKind.MEMBER, "", "")]
            kinds = {}
            for kind, band, staff in roles:
                if kind in kinds:
                    continue
                if kind == RoleKind.YOUTH and not band:
                    band = youth_band_for(self._age(dob), self.rules)
                kinds[kind] = (band, staff)
                problem = self._age_problem(dob, kind, band)
                if problem:
                    row.error("roles", problem)
            row.data["roles"] = kinds
            skills, unknown = [], []
            for name in v.get("skills") or []:
                skill = self._skills.get(normalize(name))
                (skills if skill else unknown).append(skill or name)
            row.data["skills"] = skills
            if unknown:
                row.warn(
                    "skills", _("Kỹ năng chưa có trong danh mục, bỏ qua: %(v)s.") % {"v": ", ".join(unknown)}
                )

    def _age(self, dob):
        if dob is None:
            return None
        if dob.date:
            d = dob.date
            return self.today.year - d.year - ((self.today.month, self.today.day) < (d.month, d.day))
        return self.today.year - dob.year

    def _age_problem(self, dob, kind, band):
        return age_problem(self._age(dob), kind, band, self.rules)

    def _match_existing(self, rows):
        valid = [r for r in rows if r.ok]
        scope = access.scope(self.actor, PEOPLE_VIEW) if self.actor is not None else None
        cccds = [
            r.values["id_number"]
            for r in valid
            if r.values.get("id_number") and len(r.values["id_number"]) == 12
        ]
        by_cccd = {}
        for start in range(0, len(cccds), 5000):
            chunk = cccds[start : start + 5000]
            for p in Person.objects.filter(cccd__in=chunk).select_related("unit"):
                by_cccd[p.cccd] = p
        names = list({normalize(r.values["full_name"]) for r in valid})
        by_name = defaultdict(list)
        base = Person.objects.live()
        if scope is not None and not scope.everything:
            base = scope.filter(base)
        for start in range(0, len(names), 5000):
            chunk = names[start : start + 5000]
            # Tuples, not model instances: common names match thousands of records at city scale.
            for p in base.filter(name_key__in=chunk).values_list(
                "pk", "name_key", "date_of_birth", "birth_year", "phone", "cccd", named=True
            ):
                by_name[p.name_key].append(p)
        for row in valid:
            v = row.values
            number = v.get("id_number")
            if number and len(number) == 12:
                found = by_cccd.get(number)
                if found is not None:
                    if scope is not None and not scope.allows(found.unit):
                        row.error(
                            "id_number",
                            _(
                                "Số CCCD này đã có trong hồ sơ do đơn vị khác quản lý; hãy liên hệ Hội cấp trên để chuyển hồ sơ."
                            ),
                        )
                    elif found.merged_into_id:
                        row.existing = found.merged_into_id
                    elif found.name_key != normalize(v["full_name"]):
                        row.error(
                            "id_number",
                            _("Số CCCD này đã thuộc hồ sơ “%(n)s”, khác họ tên trong tệp.")
                            % {"n": found.full_name},
                        )
                    else:
                        row.existing = found.pk
                    continue
            dob = v.get("dob")
            phone = v.get("phone") or ""
            exact, similar = None, []
            for p in by_name.get(normalize(v["full_name"]), []):
                if number and len(number) == 12 and p.cccd and p.cccd != number:
                    continue  # another person with the same name
                same_birth = dob is not None and (
                    (dob.date is not None and p.date_of_birth == dob.date)
                    or ((dob.date is None or p.date_of_birth is None) and p.birth_year == dob.year)
                )
                same_phone = bool(phone) and p.phone == phone
                if (same_birth or dob is None and p.birth_year is None) and (p.phone == phone):
                    exact = p
                    break
                if same_birth or same_phone:
                    similar.append(p)
            if exact is not None and not (number and exact.cccd and exact.cccd != number):
                row.existing = exact.pk
            elif similar:
                row.warn(
                    "full_name",
                    _(
                        "Có thể trùng với hồ sơ đã có (mã %(ids)s): cùng họ tên và ngày sinh hoặc điện thoại. Vẫn tạo hồ sơ mới; người quản lý có thể hợp nhất sau."
                    )
                    % {"ids": ", ".join(str(p.pk) for p in similar[:5])},
                )
        self._check_existing_roles([r for r in valid if r.existing])

    def _check_existing_roles(self, rows):
        ids = [r.existing for r in rows]
        current = defaultdict(dict)
        for start in range(0, len(ids), 5000):
            for person_id, kind, unit_id in PersonRole.objects.filter(
                person_id__in=ids[start : start + 5000], status__in=CURRENT_STATUSES
            ).values_list("person_id", "kind", "unit_id"):
                current[person_id][kind] = unit_id
        for row in rows:
            held = current.get(row.existing, {})
            new = {}
            for kind, extra in row.data["roles"].items():
                if kind in held:
                    if held[kind] != row.data["unit"].pk:
                        row.warn(
                            "roles",
                            _("Người này đang là %(r)s ở đơn vị khác; giữ nguyên.")
                            % {"r": RoleKind(kind).label.lower()},
                        )
                    continue
                new[kind] = extra
            row.data["new_roles"] = new

    def _check_cards(self, rows):
        wanted = {}
        for row in rows:
            number = (row.values.get("card_number") or "").upper()
            if (
                not row.ok
                or not number
                or RoleKind.MEMBER not in row.data.get("new_roles", row.data.get("roles", {}))
            ):
                continue
            if number in wanted:
                row.error("card_number", _("Số thẻ trùng với dòng %(n)s.") % {"n": wanted[number]})
            else:
                wanted[number] = row.number
        taken = set()
        numbers = list(wanted)
        for start in range(0, len(numbers), 5000):
            taken |= set(
                PersonRole.objects.filter(card_number__in=numbers[start : start + 5000]).values_list(
                    "card_number", flat=True
                )
            )
        for row in rows:
            number = (row.values.get("card_number") or "").upper()
            if row.ok and number in taken and wanted.get(number) == row.number:
                row.error("card_number", _("Số thẻ “%(n)s” đã được cấp cho người khác.") % {"n": number})

    def summary(self, rows):
        valid = [r for r in rows if r.ok]
        new_roles = sum(len(r.data.get("new_roles", r.data.get("roles", {}))) for r in valid)
        updates = sum(1 for r in valid if r.existing and r.data.get("new_roles"))
        return {
            str(_("Vai trò sẽ thêm")): new_roles,
            str(_("Địa chỉ cũ đã chuyển sang xã, phường mới")): sum(
                1 for r in valid if r.data.get("old_address")
            ),
            "changes": sum(1 for r in valid if r.existing is None) + updates,
        }

    # Commit ---------------------------------------------------------------------
    def commit(self, rows, batch):
        today = self.today
        new_rows = [r for r in rows if r.existing is None]
        people = []
        for row in new_rows:
            v, d = row.values, row.data
            dob = v.get("dob")
            number = v.get("id_number") or ""
            person = Person(
                full_name=v["full_name"],
                sex=v.get("sex") or "",
                date_of_birth=dob.date if dob else None,
                birth_year=dob.year if dob else None,
                cccd=number if len(number) == 12 else None,
                legacy_id_number=number if len(number) == 9 else "",
                phone=v.get("phone") or "",
                email=v.get("email") or "",
                ethnicity=v.get("ethnicity") or "",
                ward=d["ward"],
                address_detail=d["address_detail"],
                occupation=v.get("occupation") or "",
                workplace=v.get("workplace") or "",
                note=v.get("note") or "",
                unit=d["unit"],
                import_batch=batch.pk,
            )
            person.refresh_keys()
            people.append(person)
            row.data["person"] = person
            row.data["new_roles"] = d["roles"]
        insert_many(Person, people)
        Through = Person.skills.through
        Through.objects.bulk_create(
            [
                Through(person_id=r.data["person"].pk, skill_id=s.pk)
                for r in new_rows
                for s in r.data["skills"]
            ],
            batch_size=5000,
        )
        for row in rows:
            if row.existing is not None:
                row.data["person_id"] = row.existing
            else:
                row.data["person_id"] = row.data["person"].pk
        roles = []
        counters: dict[int, int] = {}
        for row in rows:
            joined = row.values.get("joined")
            started = (joined.date or dt.date(joined.year, 1, 1)) if joined else today
            unit = row.data["unit"]
            for kind, (band, staff) in row.data.get("new_roles", {}).items():
                role = PersonRole(
                    person_id=row.data["person_id"],
                    unit=unit,
                    kind=kind,
                    status=RoleStatus.ACTIVE,
                    started_on=min(started, today),
                    youth_band=band if kind == RoleKind.YOUTH else "",
                    staff_type=(staff or StaffType.PART_TIME) if kind == RoleKind.STAFF else "",
                    position=(row.values.get("position") or "") if kind == RoleKind.STAFF else "",
                )
                if kind == RoleKind.MEMBER:
                    role.card_number = (row.values.get("card_number") or "").upper() or self._next_card(
                        unit, counters
                    )
                    role.card_token = new_card_token()
                    role.card_issued_on = role.started_on
                roles.append(role)
        insert_many(PersonRole, roles)
        data = {"import_batch": batch.pk}
        created = audit.record_many(
            actor=self.actor,
            action="people.person.created",
            objects=people,
            changes=lambda p: audit.created(p),
            data=data,
        )
        labels = {kind: str(RoleKind(kind).label) for kind in RoleKind.values}
        audit.record_many(
            actor=self.actor,
            action="people.role.added",
            objects=roles,
            label=lambda r: labels[r.kind],
            changes=lambda r: {
                "kind": {"before": None, "after": r.kind},
                "person": {"before": None, "after": r.person_id},
            },
            data=data,
        )
        refresh_stats({r.unit_id for r in roles} | {p.unit_id for p in people})
        return {"created": created, "roles_added": len(roles), "existing": len(rows) - len(new_rows)}

    def _next_card(self, unit: Unit, counters: dict[int, int]) -> str:
        base = unit.code.replace(".", "-")
        if unit.pk not in counters:
            taken = PersonRole.objects.filter(card_number__startswith=f"{base}-").values_list(
                "card_number", flat=True
            )
            highest = 0
            for number in taken:
                tail = number[len(base) + 1 :]
                if tail.isdigit():
                    highest = max(highest, int(tail))
            counters[unit.pk] = highest
        counters[unit.pk] += 1
        return f"{base}-{counters[unit.pk]:05d}"
