"""No portal URL, with any parameter, shows private data; published totals equal the ledger."""

from __future__ import annotations

import io
import re
import zipfile

from django.urls import URLPattern, URLResolver, get_resolver

from nhandao.funds.models import AccountKind, Donation, Entry, RecordStatus
from nhandao.funds.public import campaign_totals

from .conftest import PRIVATE_VALUES

_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _portal_routes() -> list[str]:
    """Every route of the portal's URLconf (P2's open-data URLs included), as route templates."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                routes.append(prefix + str(p.pattern))

    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and getattr(p.urlconf_module, "__name__", "") == "nhandao.portal.urls":
            walk(p.url_patterns, str(p.pattern))
    return [r for r in routes if r.startswith("minh-bach/")]


def _fill(route: str, portal) -> list[str]:
    values = {
        "code": [portal.campaign.code, portal.bank_gift.verify_code, portal.anonymous_gift.verify_code],
        "lang": ["vi"],
    }

    def one(index: int) -> str:
        def sub(m):
            converter, name = m.group(1) or "str", m.group(2)
            if converter == "int":
                return str(portal.campaign.pk)
            if converter == "path":
                return portal.campaign.code
            options = values.get(name, [portal.campaign.code])
            return options[min(index, len(options) - 1)]

        return "/" + _PARAM.sub(sub, route)

    return sorted({one(i) for i in range(3)})


def _texts(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX and other zip downloads: look inside
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if content.startswith(b"%PDF"):
        return content.decode("latin-1")  # fpdf subsets fonts; text is in content streams
    return content.decode("utf-8", "replace")


def test_no_portal_response_shows_a_private_value(client, portal):
    routes = _portal_routes()
    assert len(routes) >= 10
    seen_ok = 0
    for route in routes:
        for url in _fill(route, portal):
            for params in ({}, {"page": "2"}, {"so_tien": "2000000"}, {"tai_khoan": "433"}):
                response = client.get(url, params)
                assert response.status_code < 500, url
                if response.status_code != 200:
                    continue
                seen_ok += 1
                text = _texts(response)
                for value in PRIVATE_VALUES + ["Người Của Chiến Dịch Kín", "Chiến dịch nội bộ"]:
                    assert value not in text, (url, params, value)
    assert seen_ok >= 30


def test_the_pdf_report_carries_no_private_value(client, portal):
    from nhandao.portal import report

    r = report.build(portal.campaign)
    text = repr(r.__dict__) + repr(r.distribution) + repr(r.goods) + repr(r.by_unit)
    for value in PRIVATE_VALUES:
        assert value not in text


def test_published_totals_equal_the_ledger(client, portal):
    campaign = portal.campaign
    sums: dict[str, int] = {}
    for kind, amount in Entry.objects.filter(campaign=campaign).values_list("account__kind", "amount"):
        sums[kind] = sums.get(kind, 0) + amount
    totals = campaign_totals(campaign)
    assert totals.raised_money == -sums[AccountKind.INCOME] == 16_200_000
    assert totals.raised_goods == -sums[AccountKind.INCOME_GOODS]
    assert totals.spent_money == sums[AccountKind.EXPENSE]
    assert totals.spent_goods == sums[AccountKind.GOODS_ISSUED]
    assert totals.balance_money == sums.get(AccountKind.CASH, 0) + sums.get(AccountKind.BANK, 0)
    assert totals.gifts == Donation.objects.filter(campaign=campaign, status=RecordStatus.POSTED).count()
    from nhandao.core.formatting import money

    body = client.get(f"/minh-bach/chien-dich/{campaign.code}/").content.decode()
    for value in (totals.raised_money, totals.raised_goods, totals.spent, totals.balance_money):
        assert money(value) in body
    # The search's totals over everything equal what the ledger received (money and goods valued).
    body = client.get(f"/minh-bach/chien-dich/{campaign.code}/ung-ho/").content.decode()
    assert f"tổng cộng {money(totals.raised)}" in body
