"""The communes search lists (core.search): every commune-level unit, Hải Phòng's first
(`xa-phuong`), or Hải Phòng's only (`xa-phuong-hp`: the blood drives' venues)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from nhandao.core import search
from nhandao.core.text import normalize

from .models import Ward

HAI_PHONG = "31"


def _label(ward: Ward) -> str:
    return f"{ward.name}, {ward.province.name} ({ward.code})"


def communes(user, query: str, limit: int, province: str = "") -> list[tuple[str, str]]:
    qs = Ward.objects.select_related("province")
    if province:
        qs = qs.filter(province_id=province)
    if query.isdigit():
        qs = qs.filter(code__startswith=query)
    elif query:
        qs = qs.filter(search_key__contains=normalize(query))
    qs = qs.annotate(
        here=Case(When(province_id=HAI_PHONG, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("here", "name", "code")
    return [(w.code, _label(w)) for w in qs[:limit]]


def commune_label(user, value: str) -> str | None:
    ward = Ward.objects.select_related("province").filter(pk=value).first()
    return _label(ward) if ward else None


def hai_phong_communes(user, query: str, limit: int) -> list[tuple[str, str]]:
    return communes(user, query, limit, province=HAI_PHONG)


def hai_phong_commune_label(user, value: str) -> str | None:
    ward = Ward.objects.select_related("province").filter(pk=value, province_id=HAI_PHONG).first()
    return _label(ward) if ward else None


def register() -> None:
    search.register(search.SearchSource("xa-phuong", communes, commune_label))
    search.register(search.SearchSource("xa-phuong-hp", hai_phong_communes, hai_phong_commune_label))
