"""One public gift search across every public campaign and the units' general funds: the campaign
search's privacy (names as donors chose, three characters of an account), its diacritics-blind
names and its cap, with a criterion required and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nhandao.funds.models import Fund, FundKind, PublicName

URL = "/minh-bach/tra-cuu/"


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, (params, response.status_code)
    return response.content.decode()


def rows(body: str) -> str:
    return body.split("<tbody>")[1].split("</tbody>")[0]


@pytest.fixture
def general_gifts(world, portal):
    """Two gifts outside any campaign: one to a commune's general fund, one anonymous by bank to the city's."""
    from nhandao.funds import services as funds
    from nhandao.funds.models import Channel

    today = timezone.localdate()
    city_account = funds.bank_account_create(
        actor=world.city_admin,
        unit=world.city,
        bank_name="BIDV",
        bank_bin="970418",
        account_number="1261122666",
        holder="HOI CHU THAP DO TP HAI PHONG",
    )
    named = funds.donation_record(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        channel=Channel.CASH,
        amount=1_234_000,
        received_on=today - dt.timedelta(days=1),
        donor_name="Nguyễn Văn Đức",
        display="full",
    )
    hidden = funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        channel=Channel.BANK,
        bank_account=city_account,
        amount=800_000,
        received_on=today - dt.timedelta(days=4),
        external_ref="FT24777000222",
        counterparty_name="DANG VAN GIAU",
        counterparty_account="0621000400334",
        memo="UNG HO QUY DANG VAN GIAU 0912000111",
        donor_name="Đặng Văn Giấu",
        display="anonymous",
    )
    return named, hidden


def test_a_name_finds_gifts_in_a_campaign_and_in_a_units_general_fund(client, portal, general_gifts):
    body = get(client, q="nguyen")
    # The campaign's two "Nguyễn Thị Mai" and the commune fund's "Nguyễn Văn Đức".
    assert "3 khoản ủng hộ, tổng cộng 2.434.000 ₫" in body
    assert "Nguyễn Văn Đức" in body and "Nguyễn Thị Mai" in body and "NGUYEN THI MAI" in body
    assert portal.campaign.name in rows(body) and "Quỹ nhân đạo" in rows(body)
    assert f'href="/minh-bach/chien-dich/{portal.campaign.code}/"' in rows(body)


def test_names_are_found_without_diacritics_and_with_d_for_đ(client, portal, general_gifts):
    for typed in ("duc", "Đức", "ĐỨC", "nguyen van duc"):
        body = get(client, q=typed)
        assert "1 khoản ủng hộ, tổng cộng 1.234.000 ₫" in body, typed


def test_donors_appear_as_they_chose_and_nothing_private_shows(client, portal, general_gifts):
    body = get(client, so_tien="800.000")
    assert "1 khoản ủng hộ, tổng cộng 800.000 ₫" in body
    assert "Nhà hảo tâm" in rows(body) and "•••334" in rows(body)
    for private in ("Đặng Văn Giấu", "DANG VAN GIAU", "0621000400334", "FT24777000222", "0912000111"):
        assert private not in body
    assert "0 khoản" in get(client, q="giau")  # an anonymous donor's real name finds nothing
    assert "1 khoản ủng hộ" in get(client, ma="FT24777000222")  # the bank reference, typed, finds it
    assert "1 khoản ủng hộ" in get(client, tai_khoan="334")


def test_a_campaign_off_the_portal_is_never_searched(client, portal, general_gifts):
    assert "0 khoản" in get(client, so_tien="4444444")
    assert "0 khoản" in get(client, q="chien dich kin")
    body = get(client, noi=portal.private_campaign.code)
    assert "0 khoản" in body and "Người Của Chiến Dịch Kín" not in body
    assert "Chiến dịch nội bộ" not in body and "Dự thảo chưa công bố" not in body  # not offered either


def test_the_search_narrows_to_a_campaign_a_fund_a_unit_dates_and_amount(
    client, world, portal, general_gifts
):
    commune_fund = Fund.objects.get(unit=world.commune_a, kind=FundKind.GENERAL)
    assert "2 khoản ủng hộ, tổng cộng 1.200.000 ₫" in get(client, q="nguyen", noi=portal.campaign.code)
    body = get(client, q="nguyen", noi=f"quy-{commune_fund.pk}")
    assert "1 khoản ủng hộ, tổng cộng 1.234.000 ₫" in body
    # A unit: the campaigns it launched and its general fund (Lê Chân launched none).
    assert "1 khoản ủng hộ, tổng cộng 1.234.000 ₫" in get(client, don_vi=world.commune_a.pk)
    day = timezone.localdate() - dt.timedelta(days=1)
    body = get(client, tu_ngay=day.strftime("%d/%m/%Y"), den_ngay=day.strftime("%d/%m/%Y"))
    assert "2 khoản ủng hộ, tổng cộng 11.234.000 ₫" in body  # T.V.B.'s 10,000,000 and Đức's
    assert "1 khoản ủng hộ, tổng cộng 10.000.000 ₫" in get(client, so_tien="10000000")


def test_without_a_criterion_the_page_asks_for_one_and_lists_nothing(client, portal, general_gifts):
    body = get(client)
    assert "Hãy nhập tên (ít nhất 3 chữ cái)" in body and "<tbody>" not in body
    body = get(client, q="ng")  # too short: refused with a message, and nothing else to search by
    assert "Tên: hãy nhập ít nhất 3 chữ cái." in body and "<tbody>" not in body
    body = get(client, noi="<b>", don_vi="x", so_tien="-5")
    assert "Nơi nhận: lựa chọn không hợp lệ." in body and "Đơn vị: lựa chọn không hợp lệ." in body
    assert "<tbody>" not in body
    assert "0 khoản" in get(client, noi="quy-999999")  # an unknown fund: nothing, not an error


def test_results_are_paginated_at_the_same_few_queries_for_any_page(
    client, portal, general_gifts, monkeypatch, django_assert_max_num_queries
):
    from nhandao.portal import views

    monkeypatch.setattr(views, "GIFTS_PAGE_SIZE", 2)
    since = (timezone.localdate() - dt.timedelta(days=30)).strftime("%d/%m/%Y")
    seen = []
    for page in ("1", "2", "3", "4"):
        # ledger version (2), public campaigns and general funds (once per ledger version), the
        # scan, the page's rows
        with django_assert_max_num_queries(6):
            body = get(client, tu_ngay=since, page=page)
        assert "8 khoản ủng hộ, tổng cộng 19.734.000 ₫" in body  # everything found, not the page
        assert rows(body).count("<tr>") == 2
        seen.append(rows(body))
    assert len(set(seen)) == 4
    with django_assert_max_num_queries(7):  # and the names containing the fragment
        get(client, q="nguyen", page="2")


def test_the_general_funds_public_names_are_counted_with_their_gifts(world, portal, general_gifts):
    from nhandao.funds import services as funds

    named, hidden = general_gifts
    general = dict(PublicName.objects.filter(campaign=None).values_list("key", "gifts"))
    assert general == {"nguyen van duc": 1, "nha hao tam": 1}
    funds.donation_set_display(actor=world.city_admin, donation=hidden, display="full")
    general = dict(PublicName.objects.filter(campaign=None).values_list("key", "gifts"))
    assert general["dang van giau"] == 1
    assert funds.public_names_rebuild(None) == 2  # only the names gifts carry now


def test_the_portal_pages_link_to_the_one_search(client, world, portal):
    for url in ("/minh-bach/", f"/minh-bach/chien-dich/{portal.campaign.code}/", "/minh-bach/quy/"):
        assert (
            'href="/minh-bach/tra-cuu/' in client.get(url).content.decode()
            or 'action="/minh-bach/tra-cuu/"' in client.get(url).content.decode()
        ), url
    body = client.get(f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/").content.decode()
    assert 'href="/minh-bach/tra-cuu/"' in body
