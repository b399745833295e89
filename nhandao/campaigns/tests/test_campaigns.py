"""Campaigns: creation with a reference code, Decree 93 disclosure, visibility, totals equal to the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nhandao.campaigns import selectors, services
from nhandao.campaigns.models import Campaign, CampaignKind, CampaignStatus
from nhandao.core import refcodes
from nhandao.core.models import AuditEvent
from nhandao.funds import services as fund_services
from nhandao.funds.models import Channel, Entry
from nhandao.funds.public import (
    campaign_totals,
    public_disbursements,
    public_entries,
    public_gifts,
    resolve_reference,
)
from nhandao.funds.services import GoodsLine


def today():
    return timezone.localdate()


def _appeal(world, **kw):
    kw.setdefault("starts_on", today() - dt.timedelta(days=5))
    kw.setdefault("ends_on", today() + dt.timedelta(days=30))
    return services.campaign_create(
        actor=world.city_admin, unit=world.city, name="Bão số 3", kind=CampaignKind.APPEAL, **kw
    )


def test_a_campaign_gets_a_unique_reference_code_with_a_check_character(world):
    campaign = _appeal(world)
    assert refcodes.is_valid(campaign.code)
    assert resolve_reference(campaign.code) == campaign
    assert campaign.restricted and campaign.status == CampaignStatus.DRAFT
    assert AuditEvent.objects.filter(action="campaigns.campaign.created", object_id=str(campaign.pk)).exists()


def test_an_appeal_collects_for_at_most_90_days(world):
    with pytest.raises(ValidationError, match="quá 90 ngày"):
        _appeal(world, starts_on=today(), ends_on=today() + dt.timedelta(days=90))
    assert _appeal(world, starts_on=today(), ends_on=today() + dt.timedelta(days=89))


def test_an_appeal_needs_an_end_date(world):
    with pytest.raises(ValidationError, match="ngày kết thúc"):
        _appeal(world, ends_on=None)


def test_only_unit_managers_and_admins_launch_campaigns(world):
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            actor=world.finance_officer_a, unit=world.commune_a, name="X", kind="movement", starts_on=today()
        )
    campaign = services.campaign_create(
        actor=world.manager_a, unit=world.commune_a, name="Áo ấm", kind="movement", starts_on=today()
    )
    assert not campaign.restricted
    with pytest.raises(PermissionDenied):
        services.campaign_open(actor=world.manager_b, campaign=campaign)


def test_the_mobilisation_document_must_be_a_pdf(world, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    campaign = _appeal(world)
    with pytest.raises(ValidationError, match="tệp PDF"):
        services.campaign_update(
            actor=world.city_admin,
            campaign=campaign,
            mobilisation_document=SimpleUploadedFile("a.pdf", b"<html>"),
        )
    services.campaign_update(
        actor=world.city_admin,
        campaign=campaign,
        mobilisation_document=SimpleUploadedFile("a.pdf", b"%PDF-1.4 appeal"),
        eligibility="Hộ có nhà bị sập",
        support_level="20.000.000 đồng mỗi hộ",
    )
    campaign.refresh_from_db()
    assert campaign.mobilisation_document.name.endswith(".pdf")
    # A draft's document is private; once open and public, anyone may download it (Decree 93).
    client = world.client()
    assert client.get(f"/cuoc-van-dong/{campaign.pk}/van-ban.pdf").status_code == 404
    services.campaign_open(actor=world.city_admin, campaign=campaign)
    assert client.get(f"/cuoc-van-dong/{campaign.pk}/van-ban.pdf").status_code == 200


def test_communes_see_the_citys_open_campaigns_but_not_its_drafts(world):
    draft = _appeal(world)
    live = services.campaign_open(actor=world.city_admin, campaign=_appeal(world))
    visible = set(selectors.campaigns_visible(world.finance_officer_a))
    assert live in visible and draft not in visible
    local_b = services.campaign_create(
        actor=world.manager_b,
        unit=world.commune_b,
        name="Riêng Ngô Quyền",
        kind="movement",
        starts_on=today(),
    )
    services.campaign_open(actor=world.manager_b, campaign=local_b)
    assert local_b not in set(selectors.campaigns_visible(world.finance_officer_a))
    client = world.client(world.viewer_a)
    assert client.get(f"/cuoc-van-dong/{local_b.pk}/").status_code == 404
    assert client.get(f"/cuoc-van-dong/{draft.pk}/").status_code == 404
    assert client.get(f"/cuoc-van-dong/{live.pk}/").status_code == 200


def test_campaign_pages_refuse_anonymous_and_other_communes(world):
    local_b = services.campaign_create(
        actor=world.manager_b,
        unit=world.commune_b,
        name="Riêng Ngô Quyền",
        kind="movement",
        starts_on=today(),
    )
    for url in ["/cuoc-van-dong/", "/cuoc-van-dong/them/", f"/cuoc-van-dong/{local_b.pk}/"]:
        response = world.client().get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    client = world.client(world.manager_a)
    for url in [f"/cuoc-van-dong/{local_b.pk}/", f"/cuoc-van-dong/{local_b.pk}/sua/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/cuoc-van-dong/{local_b.pk}/mo/").status_code == 404
    assert world.client(world.agency_reporter).get("/cuoc-van-dong/").status_code == 403


def test_the_campaign_list_is_bounded_in_queries(world, django_assert_max_num_queries):
    for i in range(15):
        services.campaign_create(
            actor=world.city_admin,
            unit=world.city,
            name=f"Cuộc vận động {i}",
            kind="movement",
            starts_on=today(),
        )
    client = world.client(world.city_admin)
    client.get("/")
    with django_assert_max_num_queries(10):
        assert client.get("/cuoc-van-dong/").status_code == 200


def test_a_manager_launches_and_runs_a_campaign_through_the_pages(world):
    client = world.client(world.manager_a)
    response = client.post(
        "/cuoc-van-dong/them/",
        {
            "unit": world.commune_a.pk,
            "name": "Áo ấm cho em",
            "kind": "movement",
            "content_area": "1",
            "starts_on": today().strftime("%d/%m/%Y"),
            "goal": "50.000.000",
            "is_public": "on",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.goal == 50_000_000
    client.post(f"/cuoc-van-dong/{campaign.pk}/mo/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    client.post(
        f"/cuoc-van-dong/{campaign.pk}/sua/",
        {"name": "Áo ấm cho em 2026", "content_area": "1", "eligibility": "Học sinh nghèo"},
    )
    campaign.refresh_from_db()
    assert (campaign.name, campaign.eligibility) == ("Áo ấm cho em 2026", "Học sinh nghèo")
    client.post(f"/cuoc-van-dong/{campaign.pk}/ket-thuc/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


# Totals equal ledger sums, and what the portal may publish ----------------------------------------------------
@pytest.fixture
def active_appeal(world):
    campaign = services.campaign_open(actor=world.city_admin, campaign=_appeal(world))
    record = fund_services.donation_record
    record(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        campaign=campaign,
        channel=Channel.CASH,
        amount=3_000_000,
        received_on=today(),
        donor_name="Nguyễn Thị Mai",
        display="anonymous",
    )
    record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.CASH,
        amount=10_000_000,
        received_on=today(),
        donor_name="Trần Văn Bình",
        display="initials",
    )
    record(
        actor=world.city_admin,
        unit=world.city,
        campaign=campaign,
        channel=Channel.IN_KIND,
        received_on=today(),
        donor_name="Siêu thị",
        items=[GoodsLine("Gạo", "kg", 100, 1_500_000)],
    )
    city_fund = fund_services.fund_for(actor=None, unit=world.city, campaign=campaign)
    transfer = fund_services.disbursement_draft(
        actor=world.city_admin,
        fund=city_fund,
        kind="transfer",
        amount=4_000_000,
        purpose="Chuyển về Lê Chân",
        destination_unit=world.commune_a,
    )
    approver = _city_approver(world)
    fund_services.disbursement_approve(actor=approver, disbursement=transfer)
    commune_fund = fund_services.fund_for(actor=None, unit=world.commune_a, campaign=campaign)
    payment = fund_services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=commune_fund,
        kind="payment",
        amount=2_500_000,
        purpose="Hỗ trợ hộ có nhà bị tốc mái",
        help_kind="relief",
        households=5,
        payee_name="Lê Thị Hoa",
        payee_account="0123456789",
    )
    fund_services.disbursement_approve(actor=world.finance_approver_a, disbursement=payment)
    issue = fund_services.disbursement_draft(
        actor=world.city_admin,
        fund=city_fund,
        kind="goods_issue",
        items=[("gao|kg", 40)],
        purpose="Phát gạo",
        help_kind="relief",
    )
    fund_services.disbursement_approve(actor=approver, disbursement=issue)
    return campaign


def _city_approver(world):
    from nhandao.accounts.models import User
    from nhandao.core.access import Role
    from nhandao.org import services as org_services

    user = User.objects.create(username="approver_city", full_name="Duyệt chi thành phố")
    org_services.role_assign(actor=None, user=user, unit=world.city, role=Role.FINANCE_APPROVER)
    return user


def test_campaign_totals_equal_the_sums_of_the_ledger(world, active_appeal):
    totals = campaign_totals(active_appeal)
    entries = Entry.objects.filter(campaign=active_appeal)
    by_kind = {}
    for e in entries.select_related("account"):
        by_kind[e.account.kind] = by_kind.get(e.account.kind, 0) + e.amount
    assert totals.raised_money == -by_kind["income"] == 13_000_000
    assert totals.raised_goods == 1_500_000
    assert totals.spent_money == 2_500_000 and totals.spent_goods == 600_000
    assert totals.transferred == 4_000_000
    assert totals.balance_money == by_kind["cash"] == 13_000_000 - 2_500_000
    assert totals.balance_goods == 900_000
    assert totals.gifts == 3
    assert totals.raised - totals.spent == totals.balance_money + totals.balance_goods


def test_public_gifts_never_carry_a_hidden_name(world, active_appeal):
    rows = list(public_gifts(active_appeal))
    assert {r["public_name"] for r in rows} == {"Nhà hảo tâm", "T.V.B.", "Siêu thị"}
    assert all(
        set(r) == {"id", "received_on", "public_name", "amount", "channel", "currency", "unit__name"}
        for r in rows
    )
    assert [r["public_name"] for r in public_gifts(active_appeal, query="nguyen thi mai")] == []
    assert len(public_gifts(active_appeal, query="tvb")) == 0
    assert len(public_gifts(active_appeal, amount=10_000_000)) == 1


def test_public_disbursements_carry_no_payee(world, active_appeal):
    rows = list(public_disbursements(active_appeal))
    assert len(rows) == 3
    text = str(rows)
    assert "Lê Thị Hoa" not in text and "0123456789" not in text
    assert any(
        r["households"] == 5 and r["recipient_unit__name"] == "Hội Chữ thập đỏ phường Lê Chân" for r in rows
    )


def test_public_entries_recompute_to_the_campaign_digest(world, active_appeal):
    from nhandao.funds import ledger

    previous = ledger.GENESIS
    rows = list(public_entries(active_appeal))
    for r in rows:
        canonical = ledger.entry_canonical(
            r["number"],
            r["posting_id"],
            r["posting__digest"],
            r["fund_id"],
            r["account_id"],
            r["amount"],
            r["campaign_id"],
            r["item"],
            r["quantity"],
            r["value_date"],
            r["posted_at"],
        )
        previous = ledger.chain(previous, canonical)
        assert previous == r["campaign_hash"]
    # Changing a published amount makes the recomputation fail.
    tampered = dict(rows[0], amount=rows[0]["amount"] + 1)
    canonical = ledger.entry_canonical(
        tampered["number"],
        tampered["posting_id"],
        tampered["posting__digest"],
        tampered["fund_id"],
        tampered["account_id"],
        tampered["amount"],
        tampered["campaign_id"],
        tampered["item"],
        tampered["quantity"],
        tampered["value_date"],
        tampered["posted_at"],
    )
    assert ledger.chain(ledger.GENESIS, canonical) != rows[0]["campaign_hash"]


def test_the_campaign_page_shows_the_ledger_totals(world, active_appeal):
    body = world.client(world.city_admin).get(f"/cuoc-van-dong/{active_appeal.pk}/").content.decode()
    assert "13.000.000 ₫" in body and "Nghị định 93/2021" in body
    own = world.client(world.viewer_a).get(f"/cuoc-van-dong/{active_appeal.pk}/").content.decode()
    assert "Trong phạm vi đơn vị của bạn" in own


def test_totals_for_a_period_count_its_flows_and_the_balance_at_its_end(world, active_appeal):
    later = today() + dt.timedelta(days=1)
    assert campaign_totals(active_appeal, date_from=later).raised_money == 0
    assert campaign_totals(active_appeal, date_from=later).balance_money == 10_500_000
    before = today() - dt.timedelta(days=1)
    assert campaign_totals(active_appeal, date_to=before).raised_money == 0
    assert campaign_totals(active_appeal, date_from=today(), date_to=today()).raised_money == 13_000_000
    body = (
        world.client(world.city_admin)
        .get(f"/cuoc-van-dong/{active_appeal.pk}/", {"date_from": later.strftime("%d/%m/%Y")})
        .content.decode()
    )
    assert "Số nhận, số chi trong kỳ đã chọn" in body
