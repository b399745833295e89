"""The queue's long actions run as background jobs: deciding every line that matches a search,
and matching the whole queue again ("Đối chiếu lại", which once answered a server error
although it posted the lines).  The page folds its filters away, has a select-all box and says
each reason once."""

import datetime as dt

import pytest
from django.urls import reverse

from nhandao.banking import services
from nhandao.banking.models import AssignmentRule, LineStatus, RuleTarget, StatementLine
from nhandao.banking.services.matching import Target
from nhandao.core.models import AuditEvent, Job
from nhandao.funds import ledger
from nhandao.funds.models import Donation

from . import samples
from .conftest import import_file

pytestmark = pytest.mark.django_db


def unplaced(n: int):
    start = dt.datetime(2024, 9, 10, 8)
    return [
        samples.Txn(start + dt.timedelta(minutes=i), 100_000 + i, f"NGUYEN VAN {i} ung ho mien bac", f"R{i}")
        for i in range(n)
    ] + [samples.Txn(start + dt.timedelta(hours=5), 50_000, "lai tien gui thang 9", "LAI")]


@pytest.fixture
def queued(world, vcb):
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(unplaced(30)))
    assert StatementLine.objects.filter(status=LineStatus.QUEUED).count() == 31
    return vcb


def test_assigning_every_line_matching_a_search_runs_as_a_job_and_posts_each_line_once(world, queued, yagi):
    client = world.client(world.city_admin)
    url = reverse("banking:queue", args=[queued.pk]) + "?q=ung+ho+mien+bac"
    response = client.post(url, {"scope": "search", "target": RuleTarget.CAMPAIGN, "campaign": yagi.pk})
    assert response.status_code == 302
    job = Job.objects.get(kind="banking.lines_assign")
    assert (job.status, job.result["posted"], job.result["lines"]) == (Job.Status.SUCCEEDED, 30, 30)
    assert StatementLine.objects.filter(status=LineStatus.POSTED).count() == 30
    assert Donation.objects.filter(campaign=yagi).count() == 30
    assert AuditEvent.objects.filter(action="banking.lines.assigned", data__job=job.pk).exists()
    # Run again (a job resumed after its worker died): nothing is posted twice.
    job.attempts = 2
    services.queue._assign_work(job, _NoProgress(), queued.pk, "ung ho mien bac", "", _spec(yagi))
    assert Donation.objects.filter(campaign=yagi).count() == 30
    assert ledger.verify().ok


class _NoProgress:
    def stage(self, *a, **k):
        pass

    def advance(self, *a, **k):
        pass


def _spec(campaign):
    return {
        "kind": RuleTarget.CAMPAIGN,
        "campaign": campaign.pk,
        "pledge": None,
        "not_donation": "",
        "rule": None,
    }


def test_a_search_wide_assignment_can_be_remembered_as_a_rule(world, queued):
    job = services.lines_assign_start(
        actor=world.city_admin,
        bank_account=queued,
        query="lai tien gui",
        direction="",
        target=Target(RuleTarget.NOT_DONATION, not_donation="interest"),
        remember=True,
    )
    assert job.status == Job.Status.SUCCEEDED and job.result["excluded"] == 1
    rule = AssignmentRule.objects.get(query="lai tien gui")
    assert rule.times_applied == 1


def test_the_rematch_button_answers_with_a_redirect_and_posts_what_a_new_rule_places(world, queued, yagi):
    services.rule_create(
        actor=world.city_admin,
        bank_account=queued,
        query="ung ho mien bac",
        target=Target(RuleTarget.CAMPAIGN, campaign=yagi),
    )
    response = world.client(world.city_admin).post(reverse("banking:rematch", args=[queued.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("banking:queue", args=[queued.pk])
    assert StatementLine.objects.filter(status=LineStatus.POSTED).count() == 30
    assert AuditEvent.objects.filter(action="banking.queue.rematched").count() == 1
    assert Job.objects.get(kind="banking.queue_rematch").status == Job.Status.SUCCEEDED


def test_the_queue_page_says_each_reason_once_and_has_a_select_all_box(
    world, queued, django_assert_max_num_queries
):
    client = world.client(world.city_admin)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("banking:queue", args=[queued.pk])).content.decode()
    assert page.count("Không có mã tham chiếu trong nội dung chuyển khoản.") == 1
    assert "data-select-all" in page and "<details" in page


def test_the_queue_jobs_refuse_a_user_of_another_commune(world, queued):
    client = world.client(world.manager_b)
    assert client.post(reverse("banking:rematch", args=[queued.pk])).status_code == 404
    assert not Job.objects.filter(kind="banking.queue_rematch").exists()
