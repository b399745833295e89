"""Issue 14, points 7–9: the difficulties and proposals register, inspection and supervision, the
leaders' dashboards; and the section II content form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nhandao.core.access import INSPECTOR_WRITES, ROLE_PERMISSIONS, WRITE_PERMISSIONS, Role
from nhandao.core.models import AuditEvent
from nhandao.plans import selectors, services
from nhandao.plans.models import (
    Inspection,
    Issue,
    IssueResponse,
    IssueStatus,
    PlanContent,
    Recommendation,
    RecommendationStatus,
    RespondentKind,
)


def _society(rnd, unit):
    return rnd.reports.get(kind=RespondentKind.SOCIETY, unit=unit)


def _submit(report, actor, difficulty="Thiếu kinh phí hoạt động", proposal="Đề nghị hỗ trợ kinh phí"):
    first = report.entries.order_by("duty__order").first()
    values = {e.duty_id: {"status": "done", "done": "Đã thực hiện"} for e in report.entries.all()}
    values[first.duty_id].update({"difficulties": difficulty, "proposals": proposal})
    services.report_save(actor=actor, report=report, entries=values)
    return services.report_submit(actor=actor, report=report)


@pytest.fixture
def raised(pw, opened):
    """Lê Chân's and Ngô Quyền's society reports submitted, each with a difficulty and a proposal."""
    a = _society(opened, pw.w.commune_a)
    b = _society(opened, pw.w.commune_b)
    _submit(a, pw.w.manager_a)
    _submit(b, pw.w.manager_b, difficulty="Chưa có trụ sở Ngô Quyền")
    return a, b


# 7. Difficulties and proposals -------------------------------------------------------------------


def test_each_difficulty_and_proposal_of_a_submitted_report_is_addressed_to_so_noi_vu(pw, raised):
    a, _b = raised
    issues = list(Issue.objects.filter(report=a).order_by("kind"))
    assert [(i.kind, i.text) for i in issues] == [
        ("difficulty", "Thiếu kinh phí hoạt động"),
        ("proposal", "Đề nghị hỗ trợ kinh phí"),
    ]
    assert {i.agency for i in issues} == {pw.agencies["SNV"]}
    assert {i.status for i in issues} == {IssueStatus.OPEN}
    assert AuditEvent.objects.filter(action="plans.issue.raised").count() == 4


def test_a_returned_and_resubmitted_report_does_not_raise_the_same_item_twice(pw, raised):
    a, _b = raised
    services.report_decide(actor=pw.w.city_admin, report=a, accept=False, comment="Bổ sung")
    _submit(a, pw.w.manager_a, proposal="Đề nghị tập huấn cán bộ")
    texts = sorted(Issue.objects.filter(report=a).values_list("text", flat=True))
    assert texts == ["Thiếu kinh phí hoạt động", "Đề nghị hỗ trợ kinh phí", "Đề nghị tập huấn cán bộ"]


def test_the_addressed_agency_answers_and_resolves_its_items(pw, raised):
    issue = Issue.objects.get(report=raised[0], kind="proposal")
    client = pw.w.client(pw.reporter_snv)
    assert client.get(reverse("plans:issue", args=[issue.pk])).status_code == 200
    response = client.post(
        reverse("plans:issue_respond", args=[issue.pk]),
        {"text": "Đã báo cáo UBND thành phố", "resolves": "on"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED and issue.resolved_at is not None
    answer = issue.responses.get()
    assert answer.agency == pw.agencies["SNV"] and answer.by == pw.reporter_snv
    with pytest.raises(ValidationError, match="đã được giải quyết"):
        services.issue_respond(actor=pw.reporter_snv, issue=issue, text="Thêm")
    assert AuditEvent.objects.filter(action="plans.issue.answered", object_id=str(issue.pk)).count() == 1


def test_another_agencys_reporter_neither_sees_nor_answers_the_items(pw, raised):
    issue = Issue.objects.filter(report=raised[0]).first()
    client = pw.w.client(pw.w.agency_reporter)  # Sở Y tế
    assert client.get(reverse("plans:issue", args=[issue.pk])).status_code == 404
    assert client.post(reverse("plans:issue_respond", args=[issue.pk]), {"text": "x"}).status_code == 404
    assert not selectors.issues_visible(pw.w.agency_reporter).exists()
    with pytest.raises(PermissionDenied):
        services.issue_respond(actor=pw.w.agency_reporter, issue=issue, text="x")
    assert IssueResponse.objects.count() == 0


def test_a_commune_sees_its_own_items_only_and_does_not_answer_them(pw, raised):
    a, b = raised
    mine, theirs = Issue.objects.filter(report=a).first(), Issue.objects.filter(report=b).first()
    client = pw.w.client(pw.w.manager_a)
    assert client.get(reverse("plans:issue", args=[mine.pk])).status_code == 200
    for name in ("plans:issue", "plans:issue_respond", "plans:issue_address"):
        assert client.post(reverse(name, args=[theirs.pk]), {"text": "x"}).status_code == 404, name
    assert client.post(reverse("plans:issue_respond", args=[mine.pk]), {"text": "x"}).status_code == 404
    page = client.get(reverse("plans:issues")).content.decode()
    assert "Thiếu kinh phí hoạt động" in page and "Ngô Quyền" not in page
    assert IssueResponse.objects.count() == 0


def test_the_committee_reporter_of_one_commune_does_not_see_another_communes_items(pw, opened):
    committee_b = opened.reports.get(kind=RespondentKind.COMMITTEE, unit=pw.w.commune_b)
    services.report_save(
        actor=None,
        report=committee_b,
        entries={
            e.duty_id: {"status": "done", "difficulties": "Khó khăn B"} for e in committee_b.entries.all()
        },
    )
    services.report_submit(actor=None, report=committee_b)
    issue = Issue.objects.filter(report=committee_b).first()
    services.issue_address(actor=pw.w.city_admin, issue=issue, agency=pw.committee)
    client = pw.w.client(pw.committee_reporter_a)
    assert client.get(reverse("plans:issue", args=[issue.pk])).status_code == 404


def test_the_city_addresses_an_item_to_another_agency_but_not_to_a_closed_one(pw, raised):
    issue = Issue.objects.filter(report=raised[0], kind="proposal").get()
    with pytest.raises(ValidationError, match="đã ngừng hoạt động"):
        services.issue_address(actor=pw.w.city_admin, issue=issue, agency=pw.agencies["SKHDT"])
    with pytest.raises(PermissionDenied):
        services.issue_address(actor=pw.reporter_snv, issue=issue, agency=pw.agencies["STC"])
    issue.refresh_from_db()
    assert issue.agency == pw.agencies["SNV"]
    services.issue_address(actor=pw.w.city_admin, issue=issue, agency=pw.agencies["STC"])
    assert not selectors.issues_visible(pw.reporter_snv).filter(pk=issue.pk).exists()


def test_an_empty_answer_is_refused_and_nothing_is_written(pw, raised):
    issue = Issue.objects.filter(report=raised[0]).first()
    with pytest.raises(ValidationError, match="nội dung trả lời"):
        services.issue_respond(actor=pw.reporter_snv, issue=issue, text="  ")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and IssueResponse.objects.count() == 0


def test_the_register_lists_per_agency_and_per_round(pw, raised, opened, django_assert_max_num_queries):
    client = pw.w.client(pw.w.city_admin)
    snv = pw.agencies["SNV"].pk
    with django_assert_max_num_queries(25):
        page = client.get(reverse("plans:issues"), {"dot": opened.pk, "co-quan": snv, "trang-thai": "open"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chưa có trụ sở Ngô Quyền" in body and "Sở Nội vụ" in body
    counts = selectors.issue_counts(pw.w.city_admin, round_id=opened.pk)
    assert counts == [{"agency_id": snv, "name": "Sở Nội vụ", "open": 4, "answered": 0, "resolved": 0}]
    assert client.get(reverse("plans:issues"), {"co-quan": "x"}).status_code == 404


# 8. Inspection and supervision ---------------------------------------------------------------------


def test_the_inspector_writes_inspection_records_only():
    inspector = ROLE_PERMISSIONS[Role.INSPECTOR]
    assert not (inspector & WRITE_PERMISSIONS)
    assert inspector & INSPECTOR_WRITES == {"plans.inspect"}


@pytest.fixture
def inspected(pw):
    w = pw.w
    plan = services.inspection_plan_create(actor=w.inspector, year=2025)
    inspection = services.inspection_schedule(
        actor=w.inspector,
        plan=plan,
        unit=w.commune_b,
        starts_on=dt.date(2025, 9, 8),
        ends_on=dt.date(2025, 9, 9),
        inspectors="Nguyễn Văn Khải",
        areas=["finance", "reporting"],
    )
    answers = {i: ("not_ok", "Thiếu chứng từ") for i, _item in services.checklist_of(inspection)}
    services.inspection_record(
        actor=w.inspector,
        inspection=inspection,
        answers=answers,
        findings="Sổ quỹ chưa khớp",
        recorded_on=dt.date(2025, 9, 10),
    )
    rec = services.recommendation_add(
        actor=w.inspector,
        inspection=inspection,
        text="Bổ sung chứng từ chi Ngô Quyền",
        deadline=dt.date(2025, 10, 31),
        area="finance",
    )
    return plan, inspection, rec


def test_an_inspection_is_planned_recorded_against_its_checklist_and_recommends(pw, inspected):
    plan, inspection, rec = inspected
    inspection.refresh_from_db()
    assert [a["area"] for a in inspection.answers] == ["finance", "finance", "reporting"]
    assert {a["result"] for a in inspection.answers} == {"not_ok"}
    assert rec.unit == pw.w.commune_b and rec.is_overdue
    actions = set(AuditEvent.objects.filter(action__startswith="plans.").values_list("action", flat=True))
    assert {
        "plans.inspection_plan.created",
        "plans.inspection.scheduled",
        "plans.inspection.recorded",
    } <= actions


def test_a_changed_checklist_does_not_rewrite_the_records_made(pw, inspected):
    plan, inspection, _rec = inspected
    services.checklist_set(
        actor=pw.w.inspector, plan=plan, checklist=[{"area": "finance", "text": "Mục mới"}]
    )
    inspection.refresh_from_db()
    assert len(inspection.answers) == 3 and "Mục mới" not in [a["text"] for a in inspection.answers]


def test_the_unit_answers_and_the_inspector_follows_up_until_closed(pw, inspected):
    _plan, _inspection, rec = inspected
    client = pw.w.client(pw.w.manager_b)
    assert (
        client.post(reverse("plans:recommendation_answer", args=[rec.pk]), {"text": "Đã bổ sung"}).status_code
        == 302
    )
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.ANSWERED
    assert (
        client.post(reverse("plans:recommendation_follow_up", args=[rec.pk]), {"text": "x"}).status_code
        == 403
    )
    inspector = pw.w.client(pw.w.inspector)
    inspector.post(
        reverse("plans:recommendation_follow_up", args=[rec.pk]), {"text": "Đã kiểm tra lại", "close": "on"}
    )
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED and not rec.is_overdue
    with pytest.raises(ValidationError, match="kết thúc theo dõi"):
        services.recommendation_answer(actor=pw.w.manager_b, recommendation=rec, text="Thêm")
    assert [n.kind for n in rec.notes.all()] == ["answer", "close"]


def test_another_commune_neither_sees_nor_answers_the_inspection(pw, inspected):
    _plan, inspection, rec = inspected
    client = pw.w.client(pw.w.manager_a)
    for name, pk in (
        ("plans:inspection", inspection.pk),
        ("plans:inspection_record", inspection.pk),
        ("plans:recommendation_create", inspection.pk),
        ("plans:recommendation", rec.pk),
        ("plans:recommendation_answer", rec.pk),
        ("plans:recommendation_follow_up", rec.pk),
    ):
        assert client.post(reverse(name, args=[pk]), {"text": "x"}).status_code == 404, name
    assert not rec.notes.exists()
    assert "Ngô Quyền" not in client.get(reverse("plans:recommendations")).content.decode()


def test_a_commune_and_an_agency_reporter_cannot_write_inspection_records(pw, inspected):
    plan, inspection, rec = inspected
    with pytest.raises(PermissionDenied):
        services.recommendation_add(
            actor=pw.w.manager_b, inspection=inspection, text="x", deadline=dt.date(2025, 12, 1)
        )
    with pytest.raises(PermissionDenied):
        services.recommendation_follow_up(actor=pw.w.manager_b, recommendation=rec, text="x", close=True)
    assert (
        pw.w.client(pw.w.manager_b).get(reverse("plans:inspection_create", args=[plan.pk])).status_code == 403
    )
    reporter = pw.w.client(pw.reporter_snv)
    assert reporter.get(reverse("plans:inspection", args=[inspection.pk])).status_code == 404
    assert reporter.get(reverse("plans:inspection_plans")).status_code == 403


def test_an_inspector_of_one_commune_cannot_inspect_another(pw):
    plan = services.inspection_plan_create(actor=None, year=2025)
    with pytest.raises(PermissionDenied):
        services.inspection_schedule(
            actor=pw.w.inspector_a,
            plan=plan,
            unit=pw.w.commune_b,
            starts_on=dt.date(2025, 9, 8),
            ends_on=dt.date(2025, 9, 9),
            inspectors="X",
            areas=["finance"],
        )
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ends_on": dt.date(2025, 9, 1)}, "Ngày kết thúc kiểm tra"),
        ({"starts_on": dt.date(2026, 1, 5), "ends_on": dt.date(2026, 1, 6)}, "trong năm 2025"),
        ({"areas": []}, "Hãy chọn nội dung kiểm tra"),
        ({"areas": ["weather"]}, "Hãy chọn nội dung kiểm tra"),
        ({"inspectors": " "}, "thành phần đoàn kiểm tra"),
    ],
)
def test_a_bad_inspection_is_refused_and_nothing_is_written(pw, change, message):
    plan = services.inspection_plan_create(actor=None, year=2025)
    data = {
        "unit": pw.w.commune_b,
        "starts_on": dt.date(2025, 9, 8),
        "ends_on": dt.date(2025, 9, 9),
        "inspectors": "Nguyễn Văn Khải",
        "areas": ["finance"],
    }
    data.update(change)
    with pytest.raises(ValidationError, match=message):
        services.inspection_schedule(actor=pw.w.inspector, plan=plan, **data)
    assert not Inspection.objects.exists()


def test_a_record_with_an_unanswered_item_or_before_the_inspection_is_refused(pw):
    plan = services.inspection_plan_create(actor=None, year=2025)
    inspection = services.inspection_schedule(
        actor=None,
        plan=plan,
        unit=pw.w.commune_b,
        starts_on=dt.date(2025, 9, 8),
        ends_on=dt.date(2025, 9, 9),
        inspectors="X",
        areas=["finance"],
    )
    with pytest.raises(ValidationError, match="Chưa đánh giá mục"):
        services.inspection_record(
            actor=pw.w.inspector,
            inspection=inspection,
            answers={},
            findings="x",
            recorded_on=dt.date(2025, 9, 9),
        )
    answers = {i: ("ok", "") for i, _item in services.checklist_of(inspection)}
    with pytest.raises(ValidationError, match="Ngày lập biên bản"):
        services.inspection_record(
            actor=pw.w.inspector,
            inspection=inspection,
            answers=answers,
            findings="x",
            recorded_on=dt.date(2025, 9, 1),
        )
    with pytest.raises(ValidationError, match="lập biên bản kiểm tra trước"):
        services.recommendation_add(
            actor=pw.w.inspector, inspection=inspection, text="x", deadline=dt.date(2025, 12, 1)
        )
    inspection.refresh_from_db()
    assert inspection.status == "planned" and inspection.answers == []


def test_a_recommendation_due_before_the_record_or_for_another_unit_is_refused(pw, inspected):
    _plan, inspection, _rec = inspected
    with pytest.raises(ValidationError, match="phải sau ngày lập biên bản"):
        services.recommendation_add(
            actor=pw.w.inspector, inspection=inspection, text="x", deadline=dt.date(2025, 9, 1)
        )
    with pytest.raises(ValidationError, match="hoặc đơn vị trực thuộc"):
        services.recommendation_add(
            actor=pw.w.inspector,
            inspection=inspection,
            text="x",
            deadline=dt.date(2025, 12, 1),
            unit=pw.w.commune_a,
        )
    assert Recommendation.objects.count() == 1


def test_overdue_recommendations_are_on_the_board_and_the_dashboard(pw, opened, inspected):
    board = pw.w.client(pw.w.city_admin).get(reverse("plans:round", args=[opened.pk])).content.decode()
    assert "Bổ sung chứng từ chi Ngô Quyền" in board
    dash = pw.w.client(pw.w.manager_b).get(reverse("plans:dashboard")).content.decode()
    assert "Bổ sung chứng từ chi Ngô Quyền" in dash
    other = pw.w.client(pw.w.manager_a).get(reverse("plans:dashboard")).content.decode()
    assert "Bổ sung chứng từ chi Ngô Quyền" not in other


def test_the_inspection_pages_answer_for_the_inspector(pw, inspected, django_assert_max_num_queries):
    plan, inspection, rec = inspected
    client = pw.w.client(pw.w.inspector)
    for url in (
        reverse("plans:inspection_plans"),
        reverse("plans:inspection_plan", args=[plan.pk]),
        reverse("plans:inspection", args=[inspection.pk]),
        reverse("plans:recommendation", args=[rec.pk]),
        reverse("plans:recommendations") + "?qua-han=1",
        reverse("plans:inspection_create", args=[plan.pk]),
        reverse("plans:checklist_edit", args=[plan.pk]),
    ):
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200, url


def test_the_inspection_form_schedules_an_inspection(pw):
    plan = services.inspection_plan_create(actor=None, year=2025)
    client = pw.w.client(pw.w.inspector)
    response = client.post(
        reverse("plans:inspection_create", args=[plan.pk]),
        {
            "unit": pw.w.commune_a.pk,
            "starts_on": "06/10/2025",
            "ends_on": "07/10/2025",
            "inspectors": "Đoàn Ban Kiểm tra",
            "areas": ["members", "help"],
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.get().areas == ["members", "help"]


# 9. Dashboards ------------------------------------------------------------------------------------


def _no_inline(html: str) -> None:
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_city_dashboard_shows_trends_progress_and_open_items(
    pw, opened, raised, django_assert_max_num_queries
):
    client = pw.w.client(pw.w.city_admin)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("plans:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bảng điều hành của thành phố" in html and opened.name in html
    assert '<svg class="progress-svg"' in html and '<svg class="trend"' in html
    assert "2/" in html  # two of the round's reports submitted
    _no_inline(html)


def test_the_commune_dashboard_is_its_own(pw, opened, raised):
    html = pw.w.client(pw.w.manager_a).get(reverse("plans:dashboard")).content.decode()
    assert "Bảng điều hành của xã, phường" in html
    assert "Chưa có trụ sở Ngô Quyền" not in html and "Thiếu kinh phí hoạt động" in html
    _no_inline(html)


def test_the_agency_dashboard_shows_its_duties_and_the_items_addressed_to_it(pw, opened, raised):
    html = pw.w.client(pw.reporter_snv).get(reverse("plans:dashboard")).content.decode()
    assert "Bảng điều hành của cơ quan" in html
    assert "Chưa có trụ sở Ngô Quyền" in html  # addressed to Sở Nội vụ
    other = pw.w.client(pw.w.agency_reporter).get(reverse("plans:dashboard")).content.decode()
    assert "Chưa có trụ sở Ngô Quyền" not in other
    _no_inline(html)


def test_people_without_a_plans_role_get_no_dashboard(pw):
    assert pw.w.client(pw.w.nobody).get(reverse("plans:dashboard")).status_code == 403


def test_the_trend_is_drawn_from_the_values():
    from nhandao.plans.dashboard import PAD, H, Trend, _draw

    t = _draw(Trend("x", False, [("06/2025", 0), ("12/2025", 10)]))
    assert t.dots[0][1] == H - PAD and t.dots[1][1] == PAD and t.change == 10


# Section II content form ---------------------------------------------------------------------------


def test_the_city_adds_and_edits_section_ii_items_with_their_content_areas(pw):
    client = pw.w.client(pw.w.city_admin)
    url = reverse("plans:content_create", args=[pw.plan.pk])
    response = client.post(url, {"number": "5", "letter": "e", "text": "Nội dung mới", "areas": ["1", "6"]})
    assert response.status_code == 302
    item = PlanContent.objects.get(plan=pw.plan, number="5", letter="e")
    assert item.parent.number == "5" and item.areas == ["1", "6"]
    client.post(reverse("plans:content_edit", args=[item.pk]), {"text": "Nội dung sửa", "areas": ["2"]})
    item.refresh_from_db()
    assert (item.text, item.areas) == ("Nội dung sửa", ["2"])
    assert AuditEvent.objects.filter(action="plans.content.changed", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"number": "5", "letter": "z"}, "Điểm phải là một chữ cái"),
        ({"number": "năm", "letter": ""}, "Số mục phải là số"),
        ({"number": "5", "letter": "a"}, "đã có mục 5a"),
        ({"number": "9", "letter": "a"}, "Chưa có mục 9"),
    ],
)
def test_a_bad_section_ii_item_is_refused(pw, data, message):
    before = PlanContent.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.content_add(actor=pw.w.city_admin, plan=pw.plan, text="x", **data)
    assert PlanContent.objects.count() == before


def test_only_the_city_edits_the_plans_contents(pw):
    item = pw.plan.contents.first()
    client = pw.w.client(pw.w.manager_a)
    assert client.post(reverse("plans:content_edit", args=[item.pk]), {"text": "x"}).status_code == 403
    assert client.get(reverse("plans:content_create", args=[pw.plan.pk])).status_code == 403
    assert pw.w.client(pw.w.nobody).get(reverse("plans:content_edit", args=[item.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.content_update(actor=pw.w.inspector, content=item, text="x")
