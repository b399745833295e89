"""Pages of the bank accounts: scope (another commune answers 404, anonymous users go to login),
the upload → check → commit flow with its progress, and bounded queries on list pages."""

import datetime as dt

import pytest
from django.urls import reverse

from nhandao.banking.models import LineStatus, StatementImport, StatementLine

from . import samples
from .conftest import bank_account, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def account_a(world):
    return bank_account(world, world.commune_a, bin="970436", number="0011001234567", name="Vietcombank")


@pytest.fixture
def imported(world, account_a):
    txns = [
        samples.Txn(
            dt.datetime(2025, 7, 2, 8) + dt.timedelta(hours=i), 100_000 + i, f"ung ho dong bao {i}", f"R{i}"
        )
        for i in range(12)
    ]
    return import_file(world.finance_officer_a, account_a, samples.vietcombank_xlsx(txns))


def urls(account, imp, line, campaign=None):
    result = [
        reverse("banking:account", args=[account.pk]),
        reverse("banking:upload", args=[account.pk]),
        reverse("banking:queue", args=[account.pk]),
        reverse("banking:rules", args=[account.pk]),
        reverse("banking:reconcile", args=[account.pk]),
        reverse("banking:account_vietqr", args=[account.pk]),
        reverse("banking:account_vietqr_png", args=[account.pk]),
        reverse("banking:import", args=[imp.pk]),
        reverse("banking:line", args=[line.pk]),
    ]
    return result


def test_every_page_of_an_account_answers_404_to_a_user_of_another_commune(world, account_a, imported):
    line = StatementLine.objects.first()
    client = world.client(world.manager_b)
    for url in urls(account_a, imported, line):
        assert client.get(url).status_code == 404, url


def test_every_page_sends_anonymous_users_to_login(world, account_a, imported):
    line = StatementLine.objects.first()
    client = world.client()
    for url in [*urls(account_a, imported, line), reverse("funds:bank_accounts")]:
        response = client.get(url)
        assert (
            response.status_code == 302
            and "/dang-nhap/" in response["Location"]
            or "login" in response["Location"]
        ), url


def test_posting_views_refuse_another_commune(world, account_a, imported):
    client = world.client(world.manager_b)
    for url in [
        reverse("banking:import_commit", args=[imported.pk]),
        reverse("banking:import_discard", args=[imported.pk]),
        reverse("banking:rematch", args=[account_a.pk]),
    ]:
        assert client.post(url).status_code == 404, url


def test_a_viewer_without_banking_permission_sees_no_statements(world, account_a):
    """The list of accounts opens with funds.view (test_account_pages.py); statements need banking.view."""
    client = world.client(world.viewer_a)
    assert client.get(reverse("banking:account", args=[account_a.pk])).status_code == 404
    assert client.get(reverse("banking:queue", args=[account_a.pk])).status_code == 404
    assert client.get(reverse("banking:mappings")).status_code == 403


def test_an_approver_sees_the_queue_but_cannot_upload(world, account_a, imported):
    client = world.client(world.finance_approver_a)
    assert client.get(reverse("banking:queue", args=[account_a.pk])).status_code == 200
    assert client.get(reverse("banking:upload", args=[account_a.pk])).status_code == 403


def test_upload_shows_what_was_read_then_commit_imports(world, account_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client(world.finance_officer_a)
    data = samples.vietcombank_xlsx(samples.sample_txns(start=dt.datetime(2025, 7, 2, 8)))
    response = client.post(
        reverse("banking:upload", args=[account_a.pk]), {"file": SimpleUploadedFile("sk.xlsx", data)}
    )
    imp = StatementImport.objects.get()
    assert response.status_code == 302 and response["Location"] == imp.get_absolute_url()
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "Nhập 12 dòng mới và ghi sổ" in page and "0011001234567" in page
    client.post(reverse("banking:import_commit", args=[imp.pk]))
    assert StatementLine.objects.filter(bank_account=account_a).count() == 12


def test_the_progress_of_a_running_import_is_shown_and_polled(world, account_a):
    from nhandao.core import jobs

    imp = StatementImport.objects.create(
        bank_account=account_a,
        unit=account_a.unit,
        status="importing",
        file_name="a.xlsx",
        file_sha256="0" * 64,
    )
    imp.job = jobs.create(
        actor=world.finance_officer_a,
        kind="banking.statement_import",
        label="Nhập",
        unit=account_a.unit,
        permission="banking.view",
    )
    imp.save()
    client = world.client(world.finance_officer_a)
    page = client.get(imp.get_absolute_url()).content.decode()
    assert f'hx-get="{reverse("office:job_progress", args=[imp.job.pk])}?reload=1"' in page
    assert client.get(reverse("office:job", args=[imp.job.pk])).status_code == 200
    assert world.client(world.manager_b).get(reverse("office:job", args=[imp.job.pk])).status_code == 404


def test_the_queue_assigns_every_line_matching_a_search(world, account_a, imported):
    from nhandao.banking.models import RuleTarget

    client = world.client(world.finance_officer_a)
    url = reverse("banking:queue", args=[account_a.pk]) + "?q=dong+bao+1"
    response = client.post(
        url,
        {"target": RuleTarget.NOT_DONATION, "not_donation": "refund", "scope": "search", "remember": "on"},
    )
    assert response.status_code == 302
    excluded = StatementLine.objects.filter(status=LineStatus.EXCLUDED)
    assert sorted(line.description for line in excluded) == [
        "ung ho dong bao 1",
        "ung ho dong bao 10",
        "ung ho dong bao 11",
    ]


@pytest.mark.parametrize("name", ["queue", "account", "rules", "reconcile"])
def test_list_pages_run_a_bounded_number_of_queries(
    world, account_a, imported, django_assert_max_num_queries, name
):
    client = world.client(world.finance_officer_a)
    url = reverse(f"banking:{name}", args=[account_a.pk])
    # The reconciliation page also says who may lock and why not yet (a constant 4 more queries).
    with django_assert_max_num_queries(35):
        assert client.get(url).status_code == 200


def test_the_account_list_and_import_page_run_a_bounded_number_of_queries(
    world, imported, django_assert_max_num_queries
):
    client = world.client(world.finance_officer_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("funds:bank_accounts")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(imported.get_absolute_url()).status_code == 200


def test_campaign_and_pledge_qr_pages_are_scoped(world, account_a):
    from nhandao.campaigns import services as campaign_services

    campaign = campaign_services.campaign_create(
        actor=world.manager_a,
        unit=world.commune_a,
        name="Áo ấm",
        kind="movement",
        starts_on=dt.date(2025, 7, 1),
    )
    url = reverse("banking:campaign_vietqr", args=[campaign.pk])
    page = world.client(world.finance_officer_a).get(url).content.decode()
    assert f"UNG HO {campaign.code}" in page and "<svg" in page
    assert world.client(world.manager_b).get(url).status_code == 404
    png = world.client(world.finance_officer_a).get(
        reverse("banking:campaign_vietqr_png", args=[campaign.pk, account_a.pk])
    )
    assert png["Content-Type"] == "image/png"


def test_a_dynamic_code_carries_the_amount_and_a_unique_reference(world, account_a):
    from nhandao.banking import vietqr
    from nhandao.banking.models import QRReference

    client = world.client(world.finance_officer_a)
    response = client.post(reverse("banking:account_vietqr", args=[account_a.pk]), {"amount": "500000"})
    qr = QRReference.objects.get()
    assert response["Location"] == reverse("banking:reference_vietqr", args=[qr.reference])
    from nhandao.banking.services import qrcodes

    parsed = vietqr.parse(qrcodes.code_of_reference(qr).payload)
    assert (parsed.dynamic, parsed.amount) == (True, 500_000) and qr.reference in parsed.purpose
    assert world.client(world.manager_b).get(response["Location"]).status_code == 404
