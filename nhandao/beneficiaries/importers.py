"""Importing households from the lists communes already keep (the poor-household list first).

A commune's list looks like this: a few title rows ("UBND XÃ …", "DANH SÁCH HỘ
NGHÈO NĂM 2025", "(Kèm theo Quyết định số 245/QĐ-UBND ngày 20/12/2024 …)"),
then one header row and one row per household head, sometimes followed by the
household's members (a "Quan hệ với chủ hộ" column says which).  Headers are
matched without case or diacritics; only the name is required.  What the
title says is used when the rows do not: the list's year, its category (hộ
nghèo / hộ cận nghèo) and the decision number that is the evidence for every
household on it.

Matching (re-importing the same file creates nothing):
- a head with a CCCD is that person (the registry's record: one identity); the
  household is the open file that person heads;
- otherwise the open file whose head has the same normalised name at the same
  address.  A household found in another commune is refused (it must be
  transferred or merged there), never duplicated.
An existing household only gains what it lacks: this year's category, members.
New files start as PROPOSED: the review and the commune's confirmation are
recorded afterwards (one by one, or for a selection from the list).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core import audit
from nhandao.core.access import BENEFICIARIES_IMPORT, BENEFICIARIES_VIEW
from nhandao.core.bulk import insert_many
from nhandao.core.imports import Column, Importer, register
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import (
    choice,
    parse_bool,
    parse_date_or_year,
    parse_int,
    parse_name,
    parse_phone,
    text,
    text_of,
)
from nhandao.core.text import normalize
from nhandao.geo.selectors import resolve_address
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind
from nhandao.people import identity
from nhandao.people.importers import SEX, parse_id, split_address
from nhandao.people.models import Person

from .choices import HEAD_RELATIONSHIPS, OPEN_STATUSES, CaseKind, CaseStatus, Relationship
from .import_words import CATEGORY_WORDS, RELATIONSHIPS
from .models import Case, CaseCategory, CaseStep, Category, Member
from .services import address_key, commune_of, commune_of_ward, refresh_case
from .services.cases import case_keys
from .services.stats import refresh_stats

POVERTY = ("ho-ngheo", "ho-can-ngheo")
_DECISION = re.compile(
    r"quy[eế]t\s+đ[iị]nh\s+s[oố]\s*:?\s*([0-9][0-9A-Za-zĐđ/\-.]*[0-9A-Za-zĐđ])", re.IGNORECASE
)


def parse_year(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = parse_int(value)
    except CellError:
        raise CellError(_("“%(v)s” không phải năm.") % {"v": text_of(value)}) from None
    if year is None or not 1975 <= year <= 2100:
        raise CellError(_("“%(v)s” không phải năm.") % {"v": text_of(value)})
    return year


def parse_mark(value):
    """An 'x' (or 'có', '1', '✓') in a column such as “Hộ nghèo”."""
    try:
        return parse_bool(value)
    except CellError:
        raise CellError(_("Ghi “x” nếu thuộc diện này, để trống nếu không.")) from None


@register
class HouseholdImporter(Importer):
    key = "beneficiaries.household"
    slug = "ho-gia-dinh"
    label = gettext_lazy("Hộ nghèo, hộ cận nghèo và đối tượng trợ giúp")
    permission = BENEFICIARIES_IMPORT
    target_kinds = (UnitKind.COMMUNE, UnitKind.BRANCH)
    description = gettext_lazy(
        "Danh sách hộ do xã, phường ban hành (hộ nghèo, cận nghèo, …): mỗi dòng một chủ hộ, có thể kèm các "
        "dòng thành viên ngay dưới (cột “Quan hệ với chủ hộ”). Năm, diện và số quyết định ghi ở tiêu đề được "
        "dùng cho mọi dòng. Hồ sơ mới ở trạng thái đề xuất; nhập lại cùng tệp không tạo thêm hồ sơ."
    )
    columns = [
        Column(
            "full_name",
            gettext_lazy("Họ và tên"),
            parse_name,
            required=True,
            aliases=(
                "Họ và tên chủ hộ",
                "Họ tên chủ hộ",
                "Chủ hộ",
                "Tên chủ hộ",
                "Họ tên",
                "Họ và tên thành viên",
                "Họ và tên người được trợ giúp",
            ),
            help=gettext_lazy("Chủ hộ (hoặc thành viên, nếu có cột “Quan hệ với chủ hộ”)."),
            example="Nguyễn Văn Hùng",
            width=26,
        ),
        Column(
            "relationship",
            gettext_lazy("Quan hệ với chủ hộ"),
            choice(RELATIONSHIPS, "quan hệ với chủ hộ"),
            aliases=("Quan hệ", "QH với chủ hộ", "Quan hệ với CH", "Quan hệ chủ hộ"),
            help=gettext_lazy("Chủ hộ, Vợ, Chồng, Con, Bố, Mẹ, Cháu, …; để trống nghĩa là chủ hộ."),
            example="Chủ hộ",
            width=12,
        ),
        Column(
            "dob",
            gettext_lazy("Năm sinh"),
            parse_date_or_year,
            aliases=("Ngày sinh", "Ngày tháng năm sinh", "NS", "Sinh năm", "Ngày, tháng, năm sinh"),
            example="1958",
            width=12,
        ),
        Column(
            "sex", gettext_lazy("Giới tính"), choice(SEX, "giới tính"), aliases=("Nam/Nữ", "GT", "Nam, nữ")
        ),
        Column(
            "id_number",
            gettext_lazy("Số CCCD"),
            parse_id,
            aliases=("CCCD", "Số CCCD/CMND", "CCCD/CMND", "CMND", "Số định danh", "Số định danh cá nhân"),
            example="031058000123",
            sensitive=True,
        ),
        Column(
            "phone",
            gettext_lazy("Điện thoại"),
            parse_phone,
            aliases=("Số điện thoại", "SĐT", "SDT", "ĐT"),
            width=14,
        ),
        Column(
            "address",
            gettext_lazy("Địa chỉ"),
            text(300),
            aliases=(
                "Thôn, tổ dân phố",
                "Thôn/Tổ dân phố",
                "Thôn/Tổ",
                "Thôn",
                "Tổ dân phố",
                "Thôn, xóm",
                "Nơi ở",
                "Địa chỉ thường trú",
                "Nơi cư trú",
            ),
            example="Tổ dân phố số 3",
            width=30,
        ),
        Column(
            "ward",
            gettext_lazy("Xã, phường"),
            text(200),
            aliases=("Phường/xã", "Xã/phường", "Phường, xã"),
            help=gettext_lazy("Để trống: xã, phường của đơn vị nhập."),
        ),
        Column(
            "category",
            gettext_lazy("Phân loại"),
            text(300),
            aliases=("Loại hộ", "Diện", "Phân loại hộ", "Diện hộ"),
            help=gettext_lazy("Hộ nghèo, Hộ cận nghèo, … (để trống: theo tiêu đề danh sách)."),
            example="Hộ nghèo",
        ),
        Column(
            "poor",
            gettext_lazy("Hộ nghèo"),
            parse_mark,
            aliases=("HN",),
            help=gettext_lazy("Ghi “x”."),
            width=8,
        ),
        Column(
            "near_poor",
            gettext_lazy("Hộ cận nghèo"),
            parse_mark,
            aliases=("HCN", "Cận nghèo"),
            help=gettext_lazy("Ghi “x”."),
            width=8,
        ),
        Column(
            "other",
            gettext_lazy("Đối tượng"),
            text(300),
            aliases=(
                "Thuộc đối tượng",
                "Diện chính sách",
                "Đối tượng chính sách",
                "Diện đối tượng",
                "Đối tượng khác",
            ),
            help=gettext_lazy("Người có công, BTXH, khuyết tật, … cách nhau dấu phẩy."),
        ),
        Column(
            "certificate",
            gettext_lazy("Số giấy chứng nhận"),
            text(80),
            aliases=("Số GCN", "Số giấy CN", "Mã hộ", "Mã số hộ", "Số sổ", "Số giấy chứng nhận hộ nghèo"),
            help=gettext_lazy("Để trống: dùng số quyết định ghi ở tiêu đề."),
        ),
        Column(
            "year",
            gettext_lazy("Năm"),
            parse_year,
            aliases=("Năm công nhận", "Năm rà soát", "Năm xét"),
            help=gettext_lazy("Để trống: năm ghi ở tiêu đề (“… NĂM 2025”)."),
            width=8,
        ),
        Column(
            "size",
            gettext_lazy("Số nhân khẩu"),
            parse_int,
            aliases=("Số khẩu", "Nhân khẩu", "Số người trong hộ", "Số NK"),
            width=8,
        ),
        Column(
            "circumstances",
            gettext_lazy("Hoàn cảnh"),
            text(500),
            aliases=("Hoàn cảnh gia đình", "Nguyên nhân nghèo", "Lý do"),
            width=30,
        ),
        Column("note", gettext_lazy("Ghi chú"), text(300)),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.today = dt.date.today()
        self.commune = _commune_of(self.unit)
        self.title_year: int | None = None
        self.title_decision = ""
        self.title_category: Category | None = None
        categories = {c.code: c for c in Category.objects.filter(active=True)}
        self.categories = categories
        self.words: dict[str, Category] = {}
        for category in categories.values():
            self.words[normalize(category.name)] = category
            self.words[normalize(category.code.replace("-", " "))] = category
        for code, words in CATEGORY_WORDS.items():
            if code in categories:
                for word in words:
                    self.words.setdefault(normalize(word), categories[code])
        self._addresses: dict[str, object] = {}

    # Reading -------------------------------------------------------------------------------
    def parse(self, table):
        header_row, _mapping, _unknown = self.locate_header(table)
        title = " ".join(
            str(c)
            for number, cells in table.rows
            if number < header_row
            for c in cells
            if c not in (None, "")
        )
        self._read_title(title)
        rows, info = super().parse(table)
        has_relationship = "relationship" in info["columns"]
        head = None
        for row in rows:
            relationship = row.values.get("relationship")
            if not has_relationship or relationship in (None, *HEAD_RELATIONSHIPS):
                head = row
                row.data["role"] = "head"
                continue
            row.data["role"] = "member"
            row.data["head"] = head
            if head is None:
                row.error("relationship", _("Dòng thành viên nhưng phía trên chưa có dòng chủ hộ."))
        info["title"] = title[:300]
        return rows, info

    def _read_title(self, title: str) -> None:
        key = normalize(title)
        # "DANH SÁCH HỘ NGHÈO NĂM 2025"; not "ngày 20 tháng 12 năm 2024" of a signature line.
        found = re.search(r"danh sach[^()]*?\bnam (\d{4})", key)
        if found is None:
            for match in re.finditer(r"\bnam (\d{4})", key):
                if "thang" not in key[max(0, match.start() - 10) : match.start()]:
                    found = match
                    break
        if found:
            self.title_year = int(found.group(1))
        decision = _DECISION.search(title)
        if decision:
            self.title_decision = decision.group(1)
        near = "can ngheo" in key
        poor = re.search(r"(?<!can )ngheo", key) is not None
        if near and not poor:
            self.title_category = self.categories.get("ho-can-ngheo")
        elif poor and not near:
            self.title_category = self.categories.get("ho-ngheo")

    def natural_key(self, row):
        if row.data.get("role") == "member":
            head = row.data.get("head")
            if head is None:
                return None
            dob = row.values.get("dob")
            return (
                "member",
                self._head_key(head),
                normalize(row.values["full_name"]),
                dob.year if dob else None,
            )
        return self._head_key(row)

    def _head_key(self, row):
        v = row.values
        if v.get("id_number") and len(v["id_number"]) == 12:
            return ("cccd", v["id_number"])
        dob = v.get("dob")
        return (
            "name",
            normalize(v.get("full_name")),
            dob.year if dob else None,
            address_key(v.get("address") or ""),
        )

    def duplicate_message(self, row, first):
        if row.data.get("role") == "member":
            return _("Thành viên trùng với dòng %(n)s của cùng hộ.") % {"n": first}
        return _("Hộ trùng với dòng %(n)s (cùng CCCD, hoặc cùng họ tên, năm sinh và địa chỉ chủ hộ).") % {
            "n": first
        }

    # Validation ----------------------------------------------------------------------------
    def resolve(self, text: str):
        if text not in self._addresses:
            province = self.commune.ward.province_id if self.commune.ward_id else None
            self._addresses[text] = resolve_address(text, province)
        return self._addresses[text]

    def validate(self, rows):
        if self.commune.ward_id is None:
            for row in rows:
                row.error("", _("Đơn vị nhập không gắn với xã, phường nào; hãy nhập vào Hội cấp xã."))
            return
        for row in rows:
            if row.ok and row.data["role"] == "head":
                self._check_head(row)
        for row in rows:
            if row.data.get("role") == "member":
                head = row.data.get("head")
                if head is not None and not head.ok and row.ok:
                    row.error(
                        "full_name",
                        _("Dòng chủ hộ (dòng %(n)s) có lỗi; sửa dòng đó trước.") % {"n": head.number},
                    )
                elif row.ok:
                    self._check_person(row)
                    extras = self._words(row, "category") + self._words(row, "other")
                    row.data["categories"] = self._extra_specs(
                        row, list(dict.fromkeys(extras)), household=False
                    )
        self._match(rows)

    def _words(self, row, column) -> list[Category]:
        found: list[Category] = []
        unknown: list[str] = []
        for part in re.split(r"[,;/\n+]", row.values.get(column) or ""):
            if not part.strip():
                continue
            category = self.words.get(normalize(part))
            if category is None:
                unknown.append(part.strip())
            elif category not in found:
                found.append(category)
        if unknown:
            row.warn(column, _("Diện chưa có trong danh mục, bỏ qua: %(v)s.") % {"v": ", ".join(unknown)})
        return found

    @staticmethod
    def _spec(category, who, evidence="", year=None):
        yearly = category.requires_year or category.yearly
        return (category, who, evidence, year if yearly else None)

    def _extra_specs(self, row, extras, *, household: bool):
        """Other categories named in the row: recorded unless they need evidence the list lacks."""
        specs = []
        for category in extras:
            if category.requires_evidence:
                row.warn(
                    "other",
                    _(
                        "Diện “%(c)s” cần %(e)s, danh sách không có: chưa ghi nhận diện này, hãy bổ sung trên hồ sơ."
                    )
                    % {"c": category.name, "e": (category.evidence_label or "giấy tờ").lower()},
                )
            elif not household and category.scope == "household":
                row.warn("other", _("Diện “%(c)s” là diện của hộ; ghi ở dòng chủ hộ.") % {"c": category.name})
            else:
                who = "self" if not household else ("head" if category.scope == "person" else None)
                specs.append(self._spec(category, who))
        return specs

    def _check_person(self, row):
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

    def _check_head(self, row):
        v = row.values
        self._check_person(row)
        # Address: the commune's own ward unless the row names another (current or old name).
        detail, ward_text = v.get("address") or "", v.get("ward") or ""
        if detail and not ward_text:
            detail, ward_text = split_address(detail)
        row.data["address_detail"] = detail[:200]
        ward = self.commune.ward
        if ward_text:
            match = self.resolve(ward_text)
            if not match.ok:
                row.error("ward", match.problem)
                return
            ward = match.ward
            row.data["old_address"] = match.legacy is not None or bool(match.note)
            if commune_of_ward(ward) != self.commune:
                row.error(
                    "ward",
                    _("%(w)s không thuộc %(c)s; hộ phải do Hội cấp xã nơi hộ ở nhập.")
                    % {"w": ward.name, "c": self.commune.name},
                )
                return
        row.data["ward"] = ward
        # Categories: the row's words and "x" marks; the list's title when the row names no poverty
        # category; the "Đối tượng" column adds the household's other categories.
        main = self._words(row, "category")
        for column, code in (("poor", "ho-ngheo"), ("near_poor", "ho-can-ngheo")):
            if v.get(column) and code in self.categories and self.categories[code] not in main:
                main.append(self.categories[code])
        if self.title_category is not None and not any(c.code in POVERTY for c in main):
            main.insert(0, self.title_category)
        extras = [c for c in self._words(row, "other") if c not in main]
        if not main and not extras:
            row.error(
                "category",
                _(
                    "Không rõ diện của hộ: ghi cột “Phân loại” (hộ nghèo, hộ cận nghèo, …) hoặc ghi ở tiêu đề."
                ),
            )
        year = v.get("year") or self.title_year
        evidence = (v.get("certificate") or self.title_decision or "")[:80]
        specs = []
        for category in main:
            if (category.requires_year or category.yearly) and not year:
                row.error(
                    "year",
                    _(
                        "Diện “%(c)s” cần năm: thêm cột “Năm” hoặc ghi ở tiêu đề (ví dụ “DANH SÁCH HỘ NGHÈO NĂM 2025”)."
                    )
                    % {"c": category.name},
                )
            if category.requires_evidence and not evidence:
                row.error(
                    "certificate",
                    _("Diện “%(c)s” cần %(e)s: ghi cột “Số giấy chứng nhận”, hoặc số quyết định ở tiêu đề.")
                    % {"c": category.name, "e": (category.evidence_label or "số giấy tờ").lower()},
                )
            specs.append(self._spec(category, "head" if category.scope == "person" else None, evidence, year))
        specs.extend(self._extra_specs(row, extras, household=True))
        row.data["categories"] = specs
        size = v.get("size")
        if size is not None and not 1 <= size <= 50:
            row.error("size", _("Số nhân khẩu phải từ 1 đến 50."))

    def _match(self, rows):
        heads = [r for r in rows if r.ok and r.data["role"] == "head"]
        members = [r for r in rows if r.ok and r.data["role"] == "member"]
        numbers = {
            r.values["id_number"] for r in heads + members if len(r.values.get("id_number") or "") == 12
        }
        by_cccd: dict[str, Person] = {}
        numbers_list = list(numbers)
        for start in range(0, len(numbers_list), 5000):
            for p in Person.objects.filter(cccd__in=numbers_list[start : start + 5000]).select_related(
                "merged_into"
            ):
                by_cccd[p.cccd] = p.merged_into or p
        self.by_cccd = by_cccd
        head_ids = [p.pk for p in by_cccd.values()]
        open_cases = Case.objects.filter(
            status__in=OPEN_STATUSES, merged_into__isnull=True, kind=CaseKind.HOUSEHOLD
        )
        by_head: dict[int, Case] = {}
        for start in range(0, len(head_ids), 5000):
            for c in open_cases.filter(head_id__in=head_ids[start : start + 5000]).select_related(
                "unit", "commune"
            ):
                by_head[c.head_id] = c
        names = list({normalize(r.values["full_name"]) for r in heads})
        by_name: dict[tuple, list[Case]] = defaultdict(list)
        for start in range(0, len(names), 5000):
            for c in open_cases.filter(head_key__in=names[start : start + 5000]).select_related(
                "unit", "commune", "head"
            ):
                by_name[(c.head_key, c.ward_id)].append(c)
        # People without a CCCD found again by name, birth and ward (exact), to reuse the record.
        self.by_person_name: dict[tuple, int] = {}
        person_names = list({normalize(r.values["full_name"]) for r in heads + members})
        for start in range(0, len(person_names), 5000):
            for pk, key, year in (
                Person.objects.live()
                .filter(name_key__in=person_names[start : start + 5000], ward=self.commune.ward)
                .values_list("pk", "name_key", "birth_year")
            ):
                self.by_person_name.setdefault((key, year), pk)
        for row in heads:
            v = row.values
            number = v.get("id_number")
            found_case = None
            if number and len(number) == 12 and number in by_cccd:
                person = by_cccd[number]
                if person.name_key != normalize(v["full_name"]):
                    row.error("id_number", _("Số CCCD này đã thuộc một người khác họ tên trong tệp."))
                    continue
                row.data["person_id"] = person.pk
                found_case = by_head.get(person.pk)
            if found_case is None:
                akey = address_key(row.data.get("address_detail", ""))
                dob = v.get("dob")
                for c in by_name.get((normalize(v["full_name"]), row.data["ward"].pk), []):
                    same_birth = dob is None or c.head.birth_year in (None, dob.year)
                    if same_birth and (not akey or not c.address_key or c.address_key == akey):
                        found_case = c
                        break
            if found_case is not None:
                if found_case.commune_id != self.commune.pk:
                    # Found beyond the importer's scope on purpose: named only to those who may see it.
                    if access.split_visible(self.actor, BENEFICIARIES_VIEW, [found_case]).visible:
                        message = _(
                            "Hộ này đã có hồ sơ %(n)s tại %(c)s; không nhập trùng (đề nghị Hội cấp trên chuyển "
                            "hoặc hợp nhất hồ sơ)."
                        ) % {"n": found_case.number, "c": found_case.commune.name}
                    else:
                        message = _(
                            "Hộ này đã có hồ sơ ở đơn vị ngoài phạm vi của bạn; không nhập trùng (đề nghị Hội "
                            "cấp trên chuyển hoặc hợp nhất hồ sơ)."
                        )
                    row.error("full_name", message)
                    continue
                row.existing = found_case.pk
                row.data["existing_head_id"] = found_case.head_id
        self._plan_existing([r for r in heads if r.ok and r.existing], members)

    def _plan_existing(self, heads, members):
        """What an existing household gains: categories it lacks for the year, members it lacks."""
        ids = [r.existing for r in heads]
        have_categories = defaultdict(set)
        have_members = defaultdict(set)
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            for case_id, category_id, year in CaseCategory.objects.filter(case_id__in=chunk).values_list(
                "case_id", "category_id", "evidence_year"
            ):
                have_categories[case_id].add((category_id, year))
            for case_id, key, year in Member.objects.filter(
                case_id__in=chunk, left_on__isnull=True
            ).values_list("case_id", "person__name_key", "person__birth_year"):
                have_members[case_id].add((key, year))
        for row in heads:
            row.data["new_categories"] = [
                spec
                for spec in row.data["categories"]
                if (spec[0].pk, spec[3]) not in have_categories[row.existing]
            ]
        for row in members:
            head = row.data["head"]
            if head.existing:
                dob = row.values.get("dob")
                key = (normalize(row.values["full_name"]), dob.year if dob else None)
                row.data["already"] = key in have_members[head.existing] or (
                    key[1] is None and any(k == key[0] for k, _y in have_members[head.existing])
                )
                if row.data["already"]:
                    row.existing = head.existing  # counted as already there, not as new

    def summary(self, rows):
        valid = [r for r in rows if r.ok]
        heads = [r for r in valid if r.data["role"] == "head"]
        new_members = [r for r in valid if r.data["role"] == "member" and not r.data.get("already")]
        gaining = {r.number for r in heads if r.existing and r.data.get("new_categories")}
        gaining |= {r.data["head"].number for r in new_members if r.data["head"].existing}
        new_households = sum(1 for r in heads if r.existing is None)
        return {
            str(_("Hộ mới")): new_households,
            str(_("Hộ đã có, được bổ sung diện hoặc thành viên")): len(gaining),
            str(_("Thành viên sẽ thêm")): len(new_members),
            str(_("Địa chỉ cũ đã chuyển sang xã, phường mới")): sum(
                1 for r in heads if r.data.get("old_address")
            ),
            "changes": new_households + len(gaining),
        }

    # Commit ------------------------------------------------------------------------------------
    def commit(self, rows, batch):
        today = self.today
        unit = self.unit
        heads = [r for r in rows if r.data["role"] == "head"]
        members = [
            r for r in rows if r.data["role"] == "member" and r.data["head"].ok and not r.data.get("already")
        ]
        # Persons: reuse the registry's record (CCCD, or exact name + birth year in the ward), else create.
        new_people: list[Person] = []

        def person_for(row, ward, detail):
            v = row.values
            number = v.get("id_number") or ""
            if len(number) == 12 and number in self.by_cccd:
                return self.by_cccd[number].pk
            dob = v.get("dob")
            if len(number) != 12:
                found = self.by_person_name.get((normalize(v["full_name"]), dob.year if dob else None))
                if found:
                    return found
            person = Person(
                full_name=v["full_name"],
                sex=v.get("sex") or "",
                date_of_birth=dob.date if dob else None,
                birth_year=dob.year if dob else None,
                cccd=number if len(number) == 12 else None,
                legacy_id_number=number if len(number) == 9 else "",
                phone=v.get("phone") or "",
                ward=ward,
                address_detail=detail,
                unit=unit,
                import_batch=batch.pk,
            )
            person.refresh_keys()
            new_people.append(person)
            return person

        for row in heads:
            if row.existing is None:
                row.data["head_person"] = row.data.get("person_id") or person_for(
                    row, row.data["ward"], row.data["address_detail"]
                )
        for row in members:
            head = row.data["head"]
            ward = head.data.get("ward") or self.commune.ward
            row.data["person"] = person_for(row, ward, head.data.get("address_detail", ""))
        insert_many(Person, new_people)

        def pk_of(value):
            return value.pk if isinstance(value, Person) else value

        people = {p.pk: p for p in new_people}
        missing = set()
        for row in heads:
            if row.existing is None:
                missing.add(pk_of(row.data["head_person"]))
        for row in members:
            missing.add(pk_of(row.data["person"]))
        missing -= set(people)
        people.update(Person.objects.in_bulk(list(missing)))
        # Cases.
        cases: list[Case] = []
        for row in heads:
            if row.existing is not None:
                continue
            v = row.values
            head = people[pk_of(row.data["head_person"])]
            case = Case(
                kind=CaseKind.HOUSEHOLD,
                status=CaseStatus.PROPOSED,
                unit=unit,
                commune=self.commune,
                head=head,
                ward=row.data["ward"],
                address_detail=row.data["address_detail"],
                phone=v.get("phone") or head.phone,
                circumstances=v.get("circumstances") or v.get("note") or "",
                household_size=v.get("size"),
                import_batch=batch.pk,
                created_by=self.actor if getattr(self.actor, "is_authenticated", False) else None,
            )
            row.data["case"] = case
            cases.append(case)
        insert_many(Case, cases)
        for row in heads:
            row.data["case_id"] = row.existing or row.data["case"].pk
        # Members: every new head, and the new members of new or existing households.
        member_rows = [
            Member(
                case=r.data["case"],
                person=people[r.data["case"].head_id],
                relationship=Relationship.HEAD,
                joined_on=today,
            )
            for r in heads
            if r.existing is None
        ]
        others_by_case: dict[int, list[Person]] = defaultdict(list)
        for row in members:
            case_id = row.data["head"].data["case_id"]
            person = people[pk_of(row.data["person"])]
            member_rows.append(
                Member(
                    case_id=case_id, person=person, relationship=row.values["relationship"], joined_on=today
                )
            )
            others_by_case[case_id].append(person)
        insert_many(Member, member_rows)
        # Categories with the list's evidence (the household's, its head's, a member's).
        items = []
        note = str(_("Nhập từ danh sách (lô %(n)s)") % {"n": batch.pk})
        issuer = str(_("UBND %(w)s") % {"w": self.commune.ward.name})

        def category_row(case_id, spec, person_id):
            category, _who, evidence, year = spec
            return CaseCategory(
                case_id=case_id,
                category=category,
                person_id=person_id,
                evidence_number=evidence,
                evidence_year=year,
                evidence_issuer=issuer if evidence else "",
                valid_from=dt.date(year, 1, 1) if category.yearly and year else None,
                valid_to=dt.date(year, 12, 31) if category.yearly and year else None,
                note=note,
            )

        for row in heads:
            specs = row.data["categories"] if row.existing is None else row.data.get("new_categories", [])
            head_id = row.data["case"].head_id if row.existing is None else row.data["existing_head_id"]
            for spec in specs:
                items.append(category_row(row.data["case_id"], spec, head_id if spec[1] else None))
        for row in members:
            for spec in row.data.get("categories", []):
                items.append(category_row(row.data["head"].data["case_id"], spec, pk_of(row.data["person"])))
        insert_many(CaseCategory, items)
        label = self.actor.get_full_name() if getattr(self.actor, "is_authenticated", False) else "hệ thống"
        insert_many(
            CaseStep,
            [
                CaseStep(
                    case=c,
                    status=CaseStatus.PROPOSED,
                    on=today,
                    actor=c.created_by,
                    actor_label=label,
                    note=str(_("Nhập từ danh sách (lô %(n)s)") % {"n": batch.pk}),
                )
                for c in cases
            ],
        )
        # Derived columns of the new cases, then of the existing ones that gained members.
        for case in cases:
            case_keys(case, people[case.head_id], others_by_case.get(case.pk, []))
            case.member_count = 1 + len(others_by_case.get(case.pk, []))
        Case.objects.bulk_update(
            cases, ["head_key", "sort_key", "address_key", "search_key", "member_count"], batch_size=2000
        )

        for case in Case.objects.filter(
            pk__in=[cid for cid in others_by_case if cid not in {c.pk for c in cases}]
        ):
            refresh_case(case)
        data = {"import_batch": batch.pk}
        created = audit.record_many(
            actor=self.actor,
            action="beneficiaries.case.created",
            objects=cases,
            label=lambda c: c.number,
            changes=lambda c: {
                "kind": {"before": None, "after": c.kind},
                "head": {"before": None, "after": c.head_id},
                "ward": {"before": None, "after": c.ward_id},
            },
            data=data,
            unit=unit,
        )
        audit.record_many(
            actor=self.actor,
            action="people.person.created",
            objects=new_people,
            changes=lambda p: audit.created(p),
            data=data,
        )
        audit.record_many(
            actor=self.actor,
            action="beneficiaries.category.added",
            objects=items,
            label=lambda i: i.category.name,
            changes=lambda i: {
                "category": {"before": None, "after": i.category.code},
                "evidence_year": {"before": None, "after": i.evidence_year},
            },
            data=data,
            unit=unit,
        )
        refresh_stats([unit.pk])
        return {
            "created": created,
            "people_created": len(new_people),
            "members_added": len(member_rows) - len(cases),
            "categories_added": len(items),
            "existing": sum(1 for r in heads if r.existing),
        }


def _commune_of(unit: Unit) -> Unit:
    return commune_of(unit)
