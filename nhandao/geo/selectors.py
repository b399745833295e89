"""Reads of administrative units: lookup by name and translation of old addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from nhandao.core.text import normalize

from . import history
from .models import LegacyDistrict, LegacyWard, Ward

_WARD_PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ")
_DISTRICT_PREFIXES = ("quan ", "huyen ", "thi xa ", "thanh pho ", "tp ", "tp. ")
_ABBREV = [
    (re.compile(r"^p\.?\s*(?=\w)"), "phuong "),
    (re.compile(r"^x\.?\s*(?=\w)"), "xa "),
    (re.compile(r"^tt\.?\s*(?=\w)"), "thi tran "),
    (re.compile(r"^q\.?\s*(?=\w)"), "quan "),
    (re.compile(r"^h\.?\s*(?=\w)"), "huyen "),
]


def _strip_prefix(key: str, prefixes) -> str:
    for prefix in prefixes:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _expand(part: str) -> str:
    key = normalize(part)
    if key.startswith(("phuong", "xa ", "quan", "huyen", "thi ", "thanh ", "dac ")):
        return key
    for pattern, replacement in _ABBREV:
        if pattern.match(key):
            return pattern.sub(replacement, key, count=1)
    return key


@dataclass
class AddressMatch:
    """The current commune-level unit an address text resolves to, if unambiguous."""

    ward: Ward | None = None
    candidates: list[Ward] = field(default_factory=list)
    legacy: LegacyWard | None = None
    problem: str = ""
    note: str = ""  # how an old name was translated (shown to the user as a notice)

    @property
    def ok(self) -> bool:
        return self.ward is not None


def current_wards(province_code: str | None = None):
    return Ward.objects.filter(province_id=province_code or settings.NHANDAO_DEFAULT_PROVINCE_CODE)


def resolve_address(text: str, province_code: str | None = None) -> AddressMatch:
    """Map "Phường Cát Dài, Quận Lê Chân" or "Xã An Hưng" to a current unit.

    A current unit name is tried first; otherwise the pre-2025 commune (narrowed
    by its old district when given) is translated with the official mapping.
    The result is a unit only when exactly one candidate remains; otherwise the
    candidates are returned so the caller can ask the user.
    """
    province_code = province_code or settings.NHANDAO_DEFAULT_PROVINCE_CODE
    parts = [p for p in (_expand(p) for p in re.split(r"[,;\-–]", text or "")) if p]
    if not parts:
        return AddressMatch(problem=_("Thiếu địa chỉ."))
    ward_part = next((p for p in parts if p.startswith(_WARD_PREFIXES)), parts[0])
    district_part = next((p for p in parts if p.startswith(_DISTRICT_PREFIXES)), None)
    ward_key = _strip_prefix(ward_part, _WARD_PREFIXES)
    kind = next((p.strip() for p in _WARD_PREFIXES if ward_part.startswith(p)), None)

    if district_part is None:
        current = [
            w
            for w in current_wards(province_code).filter(search_key__endswith=ward_key)
            if _strip_prefix(w.search_key, _WARD_PREFIXES) == ward_key
            and (kind is None or w.search_key.startswith(kind))
        ]
        if len(current) == 1:
            return AddressMatch(ward=current[0])
        if len(current) > 1:
            return AddressMatch(candidates=current, problem=_("Có nhiều đơn vị cùng tên; cần ghi rõ."))

    legacy = LegacyWard.objects.filter(
        district__province__successor_id=province_code, search_key__endswith=ward_key
    ).select_related("district")
    legacy = [
        w
        for w in legacy
        if _strip_prefix(w.search_key, _WARD_PREFIXES) == ward_key
        and (kind is None or w.search_key.startswith(kind))
    ]
    if district_part is not None:
        district_key = _strip_prefix(district_part, _DISTRICT_PREFIXES)
        legacy = [
            w for w in legacy if _strip_prefix(w.district.search_key, _DISTRICT_PREFIXES) == district_key
        ]
    if not legacy:
        earlier = _resolve_earlier(ward_key, kind, district_part, province_code)
        if earlier is not None:
            return earlier
        return AddressMatch(problem=_("Không tìm thấy đơn vị hành chính “%(text)s”.") % {"text": text})
    if len(legacy) > 1:
        return AddressMatch(
            problem=_("Có nhiều xã, phường cũ tên “%(text)s”; cần ghi rõ quận, huyện.") % {"text": text}
        )
    old = legacy[0]
    successors = list(old.successors.all())
    if len(successors) == 1:
        return AddressMatch(ward=successors[0], legacy=old)
    return AddressMatch(
        legacy=old,
        candidates=successors,
        problem=_("%(old)s (%(district)s) nay thuộc nhiều đơn vị: %(names)s; cần chọn một.")
        % {"old": old.name, "district": old.district.name, "names": ", ".join(w.name for w in successors)},
    )


def _resolve_earlier(ward_key: str, kind: str | None, district_part: str | None, province_code: str):
    """Communes merged before the 30/06/2025 snapshot (see geo.history)."""
    district_key = _strip_prefix(district_part, _DISTRICT_PREFIXES) if district_part else None
    matches = [
        c
        for c in history.EARLIER_CHANGES
        if c.province == province_code
        and _strip_prefix(normalize(c.name), _WARD_PREFIXES) == ward_key
        and (kind is None or normalize(c.name).startswith(kind))
        and (district_key is None or _strip_prefix(normalize(c.district), _DISTRICT_PREFIXES) == district_key)
    ]
    if not matches:
        return None
    if len(matches) > 1:
        return AddressMatch(problem=_("Có nhiều xã, phường cũ cùng tên; cần ghi rõ quận, huyện."))
    change = matches[0]
    district = LegacyDistrict.objects.filter(
        province__successor_id=province_code, search_key=normalize(change.district)
    ).first()
    if district is None:
        return None
    olds = LegacyWard.objects.filter(district=district)
    if change.successors:
        olds = olds.filter(search_key__in=[normalize(n) for n in change.successors])
    current = sorted(
        {w for old in olds.prefetch_related("successors") for w in old.successors.all()}, key=lambda w: w.code
    )
    when = change.ended.strftime("%d/%m/%Y")
    if len(current) == 1:
        return AddressMatch(
            ward=current[0],
            note=_("%(old)s (%(district)s) đã sáp nhập từ %(when)s (%(act)s); nay thuộc %(new)s.")
            % {
                "old": change.name,
                "district": change.district,
                "when": when,
                "act": change.act,
                "new": current[0].name,
            },
        )
    return AddressMatch(
        candidates=current,
        problem=_(
            "%(old)s (%(district)s) đã sáp nhập từ %(when)s (%(act)s); nay thuộc một trong các đơn vị: "
            "%(names)s. Cần chọn một."
        )
        % {
            "old": change.name,
            "district": change.district,
            "when": when,
            "act": change.act,
            "names": ", ".join(w.name for w in current),
        },
    )


def legacy_districts(province_code: str | None = None):
    return LegacyDistrict.objects.filter(
        province__successor_id=province_code or settings.NHANDAO_DEFAULT_PROVINCE_CODE
    )
