"""The pages of payments for help to people: drafting with cases, approval, the detail and case pages."""

from __future__ import annotations

import pytest

from nhandao.beneficiaries.models import HelpRecord
from nhandao.beneficiaries.tests.helpers import give as give_help
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.core.access import BENEFICIARIES_VIEW, ROLE_PERMISSIONS, Role
from nhandao.funds import services
from nhandao.funds.models import Disbursement, DisbursementStatus
from nhandao.funds.services import CaseShare

from .conftest import give, today


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


@pytest.fixture
def funded(world, fund_a):
    give(world.finance_officer_a, fund_a, 10_000_000)
    return fund_a


def form_data(rows, amount="", **extra):
    data = {
        "kind": "payment",
        "purpose": "Hỗ trợ hộ khó khăn dịp Tết",
        "value_date": today().strftime("%d/%m/%Y"),
        "amount": amount,
        "help_kind": "cash",
        "goods-TOTAL_FORMS": "0",
        "goods-INITIAL_FORMS": "0",
        "cases-TOTAL_FORMS": str(len(rows)),
        "cases-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        code, money, *reason = row
        data[f"cases-{i}-case"] = code
        data[f"cases-{i}-amount"] = money
        data[f"cases-{i}-duplicate_reason"] = reason[0] if reason else ""
    data.update(extra)
    return data


def approved(world, fund, cases, **kw):
    d = services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=fund,
        kind="payment",
        purpose="Hỗ trợ hộ khó khăn",
        help_kind="cash",
        cases=[CaseShare(c, 100_000) for c in cases],
    )
    return services.disbursement_approve(actor=world.finance_approver_a, disbursement=d)


def test_the_officer_drafts_a_payment_to_cases_on_the_page(world, funded):
    one, two = make_case(world.commune_a, "Vũ Thị Lan"), make_case(world.commune_a)
    officer = world.client(world.finance_officer_a)
    page = officer.get(f"/chi/them/?fund={funded.pk}").content.decode()
    assert one.number in page and "Vũ Thị Lan" in page  # the picker offers eligible cases
    response = officer.post(
        f"/chi/them/?fund={funded.pk}",
        form_data([(one.number, "1.500.000"), (str(two.pk), "500.000")]),
    )
    d = Disbursement.objects.get()
    assert response.status_code == 302 and d.amount == 2_000_000
    assert [(link.case, link.amount) for link in d.cases.all()] == [(one, 1_500_000), (two, 500_000)]


def test_an_unconfirmed_case_is_refused_on_the_page_with_its_number(world, funded):
    proposed = make_case(world.commune_a, status="proposed")
    response = world.client(world.finance_officer_a).post(
        f"/chi/them/?fund={funded.pk}", form_data([(proposed.number, "100.000")])
    )
    page = response.content.decode()
    assert response.status_code == 200 and proposed.number in page and "chưa được xã xác nhận" in page
    assert not Disbursement.objects.exists()


def test_a_mistyped_case_code_is_named(world, funded):
    response = world.client(world.finance_officer_a).post(
        f"/chi/them/?fund={funded.pk}", form_data([("HS-12a", "100.000")])
    )
    assert "Mã hồ sơ “HS-12a” không hợp lệ" in response.content.decode()


def test_a_user_of_another_unit_cannot_pick_its_cases(world, funded):
    other = make_case(world.commune_b, "Đỗ Văn Khác")
    response = world.client(world.finance_officer_a).post(
        f"/chi/them/?fund={funded.pk}", form_data([(other.number, "100.000")])
    )
    page = response.content.decode()
    assert f"không có hồ sơ {other.number} trong phạm vi của bạn" in page
    assert "Đỗ Văn Khác" not in page and not Disbursement.objects.exists()
    # Nor can they open commune A's drafting page or its payments.
    d = approved(world, funded, [make_case(world.commune_a)])
    outsider = world.client(world.manager_b)
    assert outsider.get(f"/chi/them/?fund={funded.pk}").status_code in (403, 404)
    assert outsider.get(f"/chi/{d.pk}/").status_code == 404


def test_double_help_shows_the_earlier_help_and_asks_a_reason_at_drafting(world, funded):
    case = make_case(world.commune_a)
    give_help(case, world.commune_b, kind="cash", days_ago=3, value=700_000, source="Quỹ xã bên")
    officer = world.client(world.finance_officer_a)
    page = officer.post(
        f"/chi/them/?fund={funded.pk}", form_data([(case.number, "100.000")])
    ).content.decode()
    assert "Đã được trợ giúp cùng hình thức gần đây" in page
    assert "700.000 ₫" in page and world.commune_b.name in page
    assert not Disbursement.objects.exists()
    response = officer.post(
        f"/chi/them/?fund={funded.pk}", form_data([(case.number, "100.000", "Gia đình có người ốm nặng")])
    )
    assert response.status_code == 302
    assert Disbursement.objects.get().cases.get().duplicate_reason == "Gia đình có người ốm nặng"


def test_the_approval_page_asks_a_reason_for_double_help_found_at_approval(world, funded):
    case = make_case(world.commune_a)
    d = services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=funded,
        kind="payment",
        purpose="Hỗ trợ",
        help_kind="cash",
        cases=[CaseShare(case, 300_000)],
    )
    give_help(case, world.commune_a, kind="cash", value=250_000)
    approver = world.client(world.finance_approver_a)
    response = approver.post(f"/chi/{d.pk}/duyet/", {"note": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "250.000 ₫" in page and f'name="ly-do-{case.pk}"' in page
    d.refresh_from_db()
    assert d.status == DisbursementStatus.DRAFT
    response = approver.post(f"/chi/{d.pk}/duyet/", {f"ly-do-{case.pk}": "Hỗ trợ thêm theo chỉ đạo"})
    d.refresh_from_db()
    assert response.status_code == 302 and d.status == DisbursementStatus.APPROVED
    assert d.cases.get().help_record.duplicate_reason == "Hỗ trợ thêm theo chỉ đạo"


def test_reversal_through_the_page_cancels_the_help(world, funded):
    d = approved(world, funded, [make_case(world.commune_a)])
    world.client(world.city_admin).post(f"/chi/{d.pk}/huy/", {"reason": "Chi nhầm đối tượng"})
    assert HelpRecord.objects.get().status == "cancelled"


def test_the_detail_page_names_cases_only_for_those_who_may_see_them(world, funded, monkeypatch):
    case = make_case(world.commune_a, "Hoàng Thị Nhận")
    d = approved(world, funded, [case])
    page = world.client(world.finance_officer_a).get(f"/chi/{d.pk}/").content.decode()
    assert "Hoàng Thị Nhận" in page and case.get_absolute_url() in page
    # A finance role without beneficiaries.view sees the file number and count only.
    perms = set(ROLE_PERMISSIONS[Role.FINANCE_OFFICER]) - {BENEFICIARIES_VIEW}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.FINANCE_OFFICER, perms)
    page = world.client(world.finance_officer_a).get(f"/chi/{d.pk}/").content.decode()
    assert case.number in page and "Hỗ trợ 1 hồ sơ" in page
    assert "Hoàng Thị Nhận" not in page and case.get_absolute_url() not in page


def test_a_city_officer_sees_names_only_of_cases_that_consented_to_sharing(world, city_fund):
    from nhandao.org import services as org_services

    officer = _city_officer(world, org_services)
    give(world.city_admin, city_fund, 1_000_000)
    shared = make_case(world.commune_a, "Lê Văn Đồng Ý")
    private = make_case(world.commune_a, "Lê Văn Kín", consent=False)
    d = services.disbursement_draft(
        actor=officer,
        fund=city_fund,
        kind="payment",
        purpose="Hỗ trợ",
        help_kind="cash",
        cases=[CaseShare(shared, 100_000), CaseShare(private, 100_000)],
    )
    page = world.client(officer).get(f"/chi/{d.pk}/").content.decode()
    assert "Lê Văn Đồng Ý" in page and "Lê Văn Kín" not in page and private.number in page


def _city_officer(world, org_services):
    from conftest import make_user

    user = make_user("ketoan_tp")
    org_services.role_assign(
        actor=None, user=user, unit=world.city, role=Role.FINANCE_OFFICER, valid_from=today()
    )
    return user


@pytest.mark.parametrize("n", [1, 8])
def test_the_pages_use_a_bounded_number_of_queries(world, funded, n, django_assert_max_num_queries):
    cases = [make_case(world.commune_a) for _ in range(n)]
    d = approved(world, funded, cases)
    officer = world.client(world.finance_officer_a)
    officer.get("/")
    with django_assert_max_num_queries(12):
        assert officer.get(f"/chi/{d.pk}/").status_code == 200
    # 18 + 4, the same for 1 case and for 8: the scope's unit ids, read once per request
    # (org.access), and one count for each of the form's unit lists, which become search lists
    # when longer than core.forms.LONG_LIST.
    with django_assert_max_num_queries(22):
        assert officer.get(f"/chi/them/?fund={funded.pk}").status_code == 200
    manager = world.client(world.manager_a)
    manager.get("/")
    # 20 + 4: the case page shows sensitive data and records one audited read event per view
    # (core.audit.record_read: savepoint, "already read this hour?" check, insert, release),
    # a constant cost independent of n.
    with django_assert_max_num_queries(24):
        assert manager.get(cases[0].get_absolute_url()).status_code == 200


def test_the_case_page_links_the_fund_help_to_the_payment_for_those_who_see_the_fund(world, funded):
    case = make_case(world.commune_a)
    d = approved(world, funded, [case])
    page = world.client(world.manager_a).get(case.get_absolute_url()).content.decode()
    assert f'href="/chi/{d.pk}/"' in page and funded.name in page
    # Data entry holds no fund permission: the source is named, not linked.
    page = world.client(world.entry_a).get(case.get_absolute_url()).content.decode()
    assert funded.name in page and f'href="/chi/{d.pk}/"' not in page
    record = d.cases.get().help_record
    page = world.client(world.manager_a).get(record.get_absolute_url()).content.decode()
    assert f'href="/chi/{d.pk}/"' in page and "Hủy lần trợ giúp" not in page


def test_double_help_given_by_another_commune_is_only_counted_on_the_drafting_page(world, funded):
    from nhandao.beneficiaries import services as beneficiary_services

    child = make_case(world.commune_b, "Cù Văn Hai", kind="individual")
    household = make_case(world.commune_a, "Cù Văn Một")
    beneficiary_services.member_add(
        actor=None, case=household, relationship="child", person=child.head, allow_other_household=True
    )
    give_help(child, world.commune_b, kind="cash", days_ago=3, value=765_000, source="Quỹ phường Ngô Quyền")
    page = (
        world.client(world.finance_officer_a)
        .post(f"/chi/them/?fund={funded.pk}", form_data([(household.number, "100.000")]))
        .content.decode()
    )
    assert "Đã được trợ giúp cùng hình thức gần đây" in page and not Disbursement.objects.exists()
    for secret in ("765.000", "Quỹ phường Ngô Quyền", world.commune_b.name, child.number):
        assert secret not in page, secret
    assert "1 lần trợ giúp ở đơn vị ngoài phạm vi của bạn" in page
