"""Access exports and deletion: the person is forgotten everywhere, the ledger stays intact."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.core.models import AuditEvent
from nhandao.funds import ledger
from nhandao.funds import services as funds_services
from nhandao.funds.models import Donation, Donor, PublicName
from nhandao.funds.services import CaseShare
from nhandao.funds.tests.conftest import give
from nhandao.messaging import services as messaging_services
from nhandao.messaging.models import Consent as MessagingConsent
from nhandao.people.models import Person
from nhandao.privacy import services
from nhandao.privacy.models import RequestStatus


@pytest.fixture
def fund_a(world):
    import datetime as dt

    return funds_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )


@pytest.fixture
def donor_a(world, person_a):
    return funds_services.donor_create(
        actor=world.finance_officer_a,
        unit=world.commune_a,
        kind="person",
        person=person_a,
        name=person_a.full_name,
        phone="0912345678",
        address="Số 12 Lạch Tray",
    )


def erase(world, person):
    req = services.request_file(actor=world.manager_a, person=person, kind="deletion")
    return services.request_erase(actor=world.manager_a, request=req)


def test_the_access_export_gathers_every_app_and_is_audited(world, person_a, fund_a, donor_a):
    give(world.finance_officer_a, fund_a, 2_000_000, donor=donor_a, donor_name=person_a.full_name)
    req = services.request_file(actor=world.entry_a, person=person_a, kind="access")
    response = world.client(world.entry_a).get(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/du-lieu.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person_id"] == person_a.pk
    profile = data["sources"]["people"]["sections"][0]["rows"]
    assert {"Số CCCD": "031180000123"} in profile
    gifts = data["sources"]["funds"]["sections"][1]["rows"]
    assert gifts[0]["Số tiền (đồng)"] == "2000000"
    assert AuditEvent.objects.filter(action="privacy.request.exported", object_id=str(req.pk)).exists()
    req.refresh_from_db()
    assert req.status == RequestStatus.DONE


def test_the_access_export_as_pdf(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="access")
    response = world.client(world.entry_a).get(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/du-lieu.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_deletion_pseudonymises_the_person(world, person_a):
    erase(world, person_a)
    person = Person.objects.get(pk=person_a.pk)
    assert person.full_name == f"Người đã xoá #{person.pk}"
    assert (
        person.cccd is None
        and person.phone == ""
        and person.date_of_birth is None
        and person.address_detail == ""
    )
    assert "hong" not in person.search_key


def test_shredding_a_donor_keeps_amounts_and_the_ledger_intact(world, person_a, fund_a, donor_a):
    gift = give(world.finance_officer_a, fund_a, 2_000_000, donor=donor_a, donor_name=person_a.full_name)
    erase(world, person_a)
    gift = Donation.objects.get(pk=gift.pk)
    assert gift.amount == 2_000_000
    assert gift.donor_name == f"Người đã xoá #{person_a.pk}" and gift.public_name == "Nhà hảo tâm"
    assert Donor.objects.get(pk=donor_a.pk).phone == ""
    assert not PublicName.objects.filter(key__contains="hong").exists()
    report = ledger.verify()
    assert report.ok, report.first_error


def test_deletion_is_refused_while_a_payment_for_the_person_is_in_draft(world, fund_a):
    give(world.finance_officer_a, fund_a, 10_000_000)
    case = make_case(world.commune_a, "Vũ Thị Lan")
    funds_services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=fund_a,
        kind="payment",
        purpose="Hỗ trợ hộ khó khăn",
        help_kind="cash",
        cases=[CaseShare(case, 100_000)],
    )
    req = services.request_file(actor=world.manager_a, person=case.head, kind="deletion")
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        services.request_erase(actor=world.manager_a, request=req)
    assert Person.objects.get(pk=case.head_id).full_name == "Vũ Thị Lan"
    req.refresh_from_db()
    assert req.status == RequestStatus.RECEIVED
    assert not AuditEvent.objects.filter(action="privacy.person.shredded").exists()


def test_the_page_explains_why_a_deletion_waits(world, fund_a):
    give(world.finance_officer_a, fund_a, 10_000_000)
    case = make_case(world.commune_a, "Vũ Thị Lan")
    funds_services.disbursement_draft(
        actor=world.finance_officer_a,
        fund=fund_a,
        kind="payment",
        purpose="Hỗ trợ hộ khó khăn",
        help_kind="cash",
        cases=[CaseShare(case, 100_000)],
    )
    req = services.request_file(actor=world.manager_a, person=case.head, kind="deletion")
    client = world.client(world.manager_a)
    response = client.post(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/xu-ly/", {"action": "erase"}, follow=True)
    assert "Chưa thể xoá dữ liệu của người này" in response.content.decode()


def test_data_entry_may_not_carry_out_a_deletion(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="deletion")
    response = world.client(world.entry_a).post(
        f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/xu-ly/", {"action": "erase"}
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=person_a.pk).full_name == "Phạm Thị Hồng"


def test_withdrawal_marks_messaging_consents_withdrawn(world, person_a):
    messaging_services.consent_record(
        actor=None, channel="sms", purpose="*", granted=True, source="staff", person=person_a
    )
    req = services.request_file(actor=world.manager_a, person=person_a, kind="withdrawal")
    services.request_withdraw(actor=world.manager_a, request=req)
    assert not MessagingConsent.objects.get(person=person_a).granted
    req.refresh_from_db()
    assert req.status == RequestStatus.DONE
    assert AuditEvent.objects.filter(action="privacy.consents.withdrawn").exists()
