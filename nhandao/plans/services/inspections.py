"""Inspection and supervision (issue 14, point 8).

The year's inspection plan lists the inspections (which unit, when, by whom, which areas) and the
checklist they answer.  An inspection's record answers the checklist items of its areas, states
the findings and makes recommendations, each with a deadline and a responsible unit; the unit
answers each recommendation, and the inspectors follow it up until they close it.

The inspector role writes only here (plans.inspect); the answers of the inspected unit need
plans.report on it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.core import audit
from nhandao.core.access import PLANS_INSPECT, PLANS_REPORT
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import Unit

from ..models import (
    FollowUpKind,
    Inspection,
    InspectionArea,
    InspectionPlan,
    InspectionStatus,
    Recommendation,
    RecommendationNote,
    RecommendationStatus,
)

RESULTS = {"ok": gettext_lazy("Đạt"), "not_ok": gettext_lazy("Chưa đạt"), "na": gettext_lazy("Không áp dụng")}

DEFAULT_CHECKLIST = [
    {
        "area": "organisation",
        "text": "Ban Chấp hành, Ban Thường vụ được kiện toàn; quy chế làm việc được ban hành.",
    },
    {"area": "organisation", "text": "Chi hội, tổ Hội được sắp xếp sau khi hợp nhất đơn vị hành chính."},
    {
        "area": "members",
        "text": "Danh sách hội viên, tình nguyện viên được cập nhật; hội phí thu, nộp đúng quy định.",
    },
    {"area": "members", "text": "Hội viên mới được kết nạp và cấp thẻ theo Điều lệ."},
    {"area": "finance", "text": "Sổ sách kế toán, chứng từ thu chi đầy đủ; quỹ được sử dụng đúng mục đích."},
    {"area": "finance", "text": "Tiền, hàng vận động được công khai kết quả tiếp nhận và phân bổ."},
    {"area": "help", "text": "Trợ giúp đúng đối tượng, có hồ sơ và danh sách ký nhận."},
    {"area": "help", "text": "Địa chỉ nhân đạo được theo dõi, trợ giúp thường xuyên."},
    {"area": "reporting", "text": "Báo cáo sơ kết, tổng kết được gửi đúng hạn, số liệu khớp với sổ sách."},
]


def _inspect(actor, unit: Unit | None = None) -> None:
    if unit is None:
        access.require(actor, PLANS_INSPECT, everywhere=True)
    else:
        access.require(actor, PLANS_INSPECT, unit)


def _by(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def clean_checklist(items) -> list[dict]:
    result = []
    for i, item in enumerate(items or [], start=1):
        area, text = str(item.get("area", "")), clean_spaces(item.get("text", ""))
        if area not in InspectionArea.values:
            raise ValidationError(
                {
                    "checklist": _("Mục %(i)s của danh mục kiểm tra: nội dung “%(a)s” không hợp lệ.")
                    % {"i": i, "a": area}
                }
            )
        if text:
            result.append({"area": area, "text": text})
    if not result:
        raise ValidationError({"checklist": _("Danh mục kiểm tra phải có ít nhất một mục.")})
    return result


@transaction.atomic
def inspection_plan_create(*, actor, year: int, title: str = "", checklist=None) -> InspectionPlan:
    _inspect(actor)
    if InspectionPlan.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Năm %(y)s đã có kế hoạch kiểm tra.") % {"y": year}})
    plan = InspectionPlan.objects.create(
        year=year,
        title=clean_spaces(title) or _("Kế hoạch kiểm tra, giám sát năm %(y)s") % {"y": year},
        checklist=clean_checklist(DEFAULT_CHECKLIST if checklist is None else checklist),
        created_by=_by(actor),
    )
    audit.record(actor=actor, action="plans.inspection_plan.created", obj=plan, changes=audit.created(plan))
    return plan


@transaction.atomic
def checklist_set(*, actor, plan: InspectionPlan, checklist) -> InspectionPlan:
    """Configure the checklist; the records already made keep the items they answered."""
    _inspect(actor)
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    before = plan.checklist
    plan.checklist = clean_checklist(checklist)
    plan.save(update_fields=["checklist"])
    audit.record(
        actor=actor,
        action="plans.inspection_plan.checklist",
        obj=plan,
        changes={"checklist": {"before": before, "after": plan.checklist}},
    )
    return plan


def _areas(areas) -> list[str]:
    areas = [str(a) for a in areas or []]
    bad = [a for a in areas if a not in InspectionArea.values]
    if bad or not areas:
        raise ValidationError(
            {"areas": _("Hãy chọn nội dung kiểm tra (tổ chức, hội viên, tài chính, trợ giúp, báo cáo).")}
        )
    return [a for a in InspectionArea.values if a in areas]


@transaction.atomic
def inspection_schedule(
    *, actor, plan: InspectionPlan, unit: Unit, starts_on: dt.date, ends_on: dt.date, inspectors: str, areas
) -> Inspection:
    """Put an inspection of `unit` in the year's plan."""
    _inspect(actor, unit)
    if not unit.is_active(starts_on):
        raise ValidationError({"unit": _("Đơn vị được kiểm tra đã giải thể hoặc sáp nhập.")})
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc kiểm tra phải từ ngày bắt đầu trở đi.")})
    if starts_on.year != plan.year or ends_on.year != plan.year:
        raise ValidationError(
            {"starts_on": _("Cuộc kiểm tra phải diễn ra trong năm %(y)s của kế hoạch.") % {"y": plan.year}}
        )
    inspectors = clean_spaces(inspectors)
    if not inspectors:
        raise ValidationError({"inspectors": _("Hãy ghi thành phần đoàn kiểm tra.")})
    inspection = Inspection.objects.create(
        plan=plan,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        inspectors=inspectors[:300],
        areas=_areas(areas),
    )
    audit.record(
        actor=actor, action="plans.inspection.scheduled", obj=inspection, changes=audit.created(inspection)
    )
    return inspection


def checklist_of(inspection: Inspection) -> list[tuple[int, dict]]:
    """The plan's checklist items that concern the inspection's areas, with their index."""
    return [(i, item) for i, item in enumerate(inspection.plan.checklist) if item["area"] in inspection.areas]


@transaction.atomic
def inspection_record(
    *, actor, inspection: Inspection, answers: dict, findings: str, recorded_on: dt.date
) -> Inspection:
    """The record: each checklist item of the inspection's areas answered (ok, not_ok, na, with a
    note), and the findings.  `answers` maps the item's index to (result, note)."""
    _inspect(actor, inspection.unit)
    inspection = Inspection.objects.select_for_update().select_related("plan", "unit").get(pk=inspection.pk)
    if inspection.status == InspectionStatus.RECORDED:
        raise ValidationError(_("Cuộc kiểm tra đã có biên bản."))
    if recorded_on is None or recorded_on < inspection.starts_on:
        raise ValidationError(
            {
                "recorded_on": _("Ngày lập biên bản phải từ ngày bắt đầu kiểm tra (%(d)s) trở đi.")
                % {"d": inspection.starts_on.strftime("%d/%m/%Y")}
            }
        )
    rows = []
    for i, item in checklist_of(inspection):
        result, note = answers.get(i, ("", ""))
        if result not in RESULTS:
            raise ValidationError(
                {"answers": _("Chưa đánh giá mục “%(t)s” của danh mục kiểm tra.") % {"t": item["text"][:80]}}
            )
        rows.append({**item, "result": result, "note": clean_spaces(note)})
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("Hãy ghi kết quả kiểm tra và những tồn tại.")})
    inspection.answers, inspection.findings = rows, findings
    inspection.recorded_on, inspection.recorded_by = recorded_on, _by(actor)
    inspection.status = InspectionStatus.RECORDED
    inspection.save(update_fields=["answers", "findings", "recorded_on", "recorded_by", "status"])
    audit.record(
        actor=actor,
        action="plans.inspection.recorded",
        obj=inspection,
        changes={"status": {"before": "planned", "after": "recorded"}},
        data={"not_ok": sum(1 for r in rows if r["result"] == "not_ok")},
    )
    return inspection


@transaction.atomic
def recommendation_add(
    *, actor, inspection: Inspection, text: str, deadline: dt.date, unit: Unit | None = None, area: str = ""
) -> Recommendation:
    """A recommendation of the record, for the inspected unit or one of its units below."""
    _inspect(actor, inspection.unit)
    inspection = Inspection.objects.select_related("unit").get(pk=inspection.pk)
    if inspection.status != InspectionStatus.RECORDED:
        raise ValidationError(_("Hãy lập biên bản kiểm tra trước khi ghi kiến nghị."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung kiến nghị.")})
    if deadline is None or deadline <= inspection.recorded_on:
        raise ValidationError(
            {
                "deadline": _("Thời hạn thực hiện kiến nghị phải sau ngày lập biên bản (%(d)s).")
                % {"d": inspection.recorded_on.strftime("%d/%m/%Y")}
            }
        )
    unit = unit or inspection.unit
    if not unit.path.startswith(inspection.unit.path):
        raise ValidationError(
            {
                "unit": _("Đơn vị thực hiện kiến nghị phải là %(u)s hoặc đơn vị trực thuộc.")
                % {"u": inspection.unit.name}
            }
        )
    if area and area not in InspectionArea.values:
        raise ValidationError({"area": _("Nội dung kiểm tra không hợp lệ.")})
    rec = Recommendation.objects.create(
        inspection=inspection, text=text, deadline=deadline, unit=unit, area=area
    )
    audit.record(actor=actor, action="plans.recommendation.added", obj=rec, changes=audit.created(rec))
    return rec


def _note(actor, rec: Recommendation, kind: str, text: str, now) -> RecommendationNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung.")})
    return RecommendationNote.objects.create(recommendation=rec, kind=kind, text=text, by=_by(actor), at=now)


@transaction.atomic
def recommendation_answer(
    *, actor, recommendation: Recommendation, text: str, now=None
) -> RecommendationNote:
    """The responsible unit says what it did."""
    access.require(actor, PLANS_REPORT, recommendation.unit)
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if rec.status == RecommendationStatus.CLOSED:
        raise ValidationError(_("Kiến nghị đã kết thúc theo dõi."))
    note = _note(actor, rec, FollowUpKind.ANSWER, text, now or timezone.now())
    before = rec.status
    rec.status = RecommendationStatus.ANSWERED
    rec.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="plans.recommendation.answered",
        obj=rec,
        changes={"status": {"before": before, "after": rec.status}},
        data={"note": note.pk},
    )
    return note


@transaction.atomic
def recommendation_follow_up(
    *, actor, recommendation: Recommendation, text: str, close: bool = False, now=None
) -> RecommendationNote:
    """The inspectors' follow-up; `close` ends it."""
    _inspect(actor, recommendation.unit)
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if rec.status == RecommendationStatus.CLOSED:
        raise ValidationError(_("Kiến nghị đã kết thúc theo dõi."))
    now = now or timezone.now()
    note = _note(actor, rec, FollowUpKind.CLOSE if close else FollowUpKind.FOLLOW_UP, text, now)
    before = rec.status
    if close:
        rec.status, rec.closed_at = RecommendationStatus.CLOSED, now
        rec.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor,
        action="plans.recommendation.closed" if close else "plans.recommendation.followed_up",
        obj=rec,
        changes={"status": {"before": before, "after": rec.status}} if close else {},
        data={"note": note.pk},
    )
    return note
