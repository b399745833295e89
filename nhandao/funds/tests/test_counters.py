"""What the unit page and the dashboard show about the fund, and to whom."""

from .conftest import give, pay


def test_the_unit_page_shows_the_fund_balance_and_waiting_drafts_to_finance_users(world, fund_a):
    give(world.finance_officer_a, fund_a, 3_000_000)
    pay(world, fund_a, 1_000_000, approve=False)
    body = world.client(world.finance_approver_a).get(f"/don-vi/{world.commune_a.pk}/").content.decode()
    assert "Số dư quỹ" in body and "3.000.000 ₫" in body
    assert "Khoản chi chờ duyệt" in body


def test_users_without_the_fund_permission_see_no_fund_counters(world, fund_a):
    give(world.finance_officer_a, fund_a, 3_000_000)
    url = f"/don-vi/{world.commune_a.pk}/"
    assert "Số dư quỹ" in world.client(world.finance_officer_a).get(url).content.decode()
    response = world.client(world.entry_a).get(url)
    assert response.status_code == 200 and "Số dư quỹ" not in response.content.decode()


def test_the_menu_offers_the_fund_only_to_those_who_may_see_it(world):
    assert "/quy/" in world.client(world.viewer_a).get("/").content.decode()
    assert "/quy/" not in world.client(world.entry_a).get("/").content.decode()
    assert "/cuoc-van-dong/" in world.client(world.entry_a).get("/").content.decode()
