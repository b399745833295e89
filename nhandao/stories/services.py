"""Every write of stories and school reports: permission on the unit, Vietnamese messages by field,
one transaction, one audit event.

The workflow: a writer of the unit (stories.write) drafts and sends for review; the city's
communication officer (stories.review) publishes or returns with a note, and withdraws a published
story with a reason.  A story naming a beneficiary (its `case`) is refused unless the case's head
consented to publication, when it is written and again when it is published.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.beneficiaries import api as beneficiaries
from nhandao.core import audit
from nhandao.core.access import SCHOOLS_REPORT, STORIES_REVIEW, STORIES_WRITE
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import BranchType, Unit

from . import images, sanitize
from .choices import StoryKind, StoryStatus
from .models import SchoolReport, Story, StoryImage

STORY_FIELDS = ("kind", "title", "summary", "body", "tags", "case")
MAX_IMAGES = 12


def _clean_story(story: Story) -> None:
    errors = {}
    story.title = clean_spaces(story.title or "")
    story.summary = clean_spaces(story.summary or "")
    story.body = sanitize.clean_html(story.body or "")
    story.tags = ", ".join(
        dict.fromkeys(t for t in (clean_spaces(x) for x in (story.tags or "").split(",")) if t)
    )
    if not story.title:
        errors["title"] = _("Cần tiêu đề.")
    if not story.summary:
        errors["summary"] = _("Cần tóm tắt (hiện khi chia sẻ lên Zalo, Facebook).")
    if not sanitize.plain_text(story.body):
        errors["body"] = _("Cần nội dung bài.")
    if story.kind not in StoryKind.values:
        errors["kind"] = _("Loại bài không hợp lệ.")
    if story.unit_id and story.unit.valid_to and story.unit.valid_to < timezone.localdate():
        errors["unit"] = _("Đơn vị “%(u)s” đã giải thể hoặc sáp nhập.") % {"u": story.unit.name}
    if story.case_id and not beneficiaries.has_publication_consent(story.case):
        errors["case"] = _(
            "Người được nêu trong bài (hồ sơ số %(n)s) chưa đồng ý công bố câu chuyện, hình ảnh: "
            "hãy ghi nhận sự đồng ý “Công bố câu chuyện, hình ảnh” trong hồ sơ trước."
        ) % {"n": story.case_id}
    if errors:
        raise ValidationError(errors)
    story.full_clean(exclude=["author", "reviewer"])


@transaction.atomic
def story_create(*, actor, unit: Unit, **fields) -> Story:
    access.require(actor, STORIES_WRITE, unit, needs_unit=True)
    unknown = set(fields) - set(STORY_FIELDS)
    if unknown:
        raise ValueError(f"unknown story fields: {sorted(unknown)}")
    story = Story(unit=unit, author=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    _clean_story(story)
    story.save()
    audit.record(actor=actor, action="stories.story.created", obj=story, changes=audit.created(story))
    return story


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update(of=("self",)).select_related("unit", "case").get(pk=story.pk)


@transaction.atomic
def story_update(*, actor, story: Story, **fields) -> Story:
    story = _lock(story)
    access.require(actor, STORIES_WRITE, story.unit, needs_unit=True)
    unknown = set(fields) - set(STORY_FIELDS)
    if unknown:
        raise ValueError(f"unknown story fields: {sorted(unknown)}")
    if story.status != StoryStatus.DRAFT:
        raise ValidationError(_("Chỉ sửa được bài đang là bản nháp."))
    before = audit.snapshot(story, STORY_FIELDS)
    for key, value in fields.items():
        setattr(story, key, value)
    _clean_story(story)
    story.save()
    audit.record(
        actor=actor,
        action="stories.story.updated",
        obj=story,
        changes=audit.diff(before, audit.snapshot(story, STORY_FIELDS)),
    )
    return story


def _move(actor, story: Story, perm: str, allowed_from: tuple[str, ...], to: str) -> tuple[Story, str]:
    story = _lock(story)
    access.require(actor, perm, story.unit, needs_unit=True)
    if story.status not in allowed_from:
        raise ValidationError(
            _("Bài đang ở trạng thái “%(s)s”: không thực hiện được thao tác này.")
            % {"s": story.get_status_display()}
        )
    before = story.status
    story.status = to
    return story, before


@transaction.atomic
def story_submit(*, actor, story: Story) -> Story:
    story, before = _move(actor, story, STORIES_WRITE, (StoryStatus.DRAFT,), StoryStatus.IN_REVIEW)
    _clean_story(story)
    story.save()
    audit.record(
        actor=actor, action="stories.story.submitted", obj=story, changes={"status": [before, story.status]}
    )
    return story


@transaction.atomic
def story_publish(*, actor, story: Story, note: str = "") -> Story:
    story, before = _move(actor, story, STORIES_REVIEW, (StoryStatus.IN_REVIEW,), StoryStatus.PUBLISHED)
    if actor is not None and story.author_id and story.author_id == actor.pk:
        raise ValidationError(_("Người viết bài không tự duyệt bài của mình."))
    _clean_story(story)  # consent is checked again: it may have been withdrawn since
    story.reviewer = actor if getattr(actor, "is_authenticated", False) else None
    story.review_note = clean_spaces(note)[:500]
    story.published_at = timezone.now()
    story.withdrawn_at = None
    story.save()
    audit.record(
        actor=actor, action="stories.story.published", obj=story, changes={"status": [before, story.status]}
    )
    return story


@transaction.atomic
def story_return(*, actor, story: Story, note: str) -> Story:
    note = clean_spaces(note or "")[:500]
    if not note:
        raise ValidationError({"note": _("Cần ghi ý kiến để người viết sửa bài.")})
    story, before = _move(actor, story, STORIES_REVIEW, (StoryStatus.IN_REVIEW,), StoryStatus.DRAFT)
    story.reviewer = actor if getattr(actor, "is_authenticated", False) else None
    story.review_note = note
    story.save()
    audit.record(
        actor=actor,
        action="stories.story.returned",
        obj=story,
        changes={"status": [before, story.status]},
        data={"note": note},
    )
    return story


@transaction.atomic
def story_withdraw(*, actor, story: Story, note: str) -> Story:
    note = clean_spaces(note or "")[:500]
    if not note:
        raise ValidationError({"note": _("Cần ghi lý do gỡ bài.")})
    story, before = _move(actor, story, STORIES_REVIEW, (StoryStatus.PUBLISHED,), StoryStatus.WITHDRAWN)
    story.review_note = note
    story.withdrawn_at = timezone.now()
    story.save()
    audit.record(
        actor=actor,
        action="stories.story.withdrawn",
        obj=story,
        changes={"status": [before, story.status]},
        data={"note": note},
    )
    return story


@transaction.atomic
def story_redraft(*, actor, story: Story) -> Story:
    """A withdrawn story back to draft, to be corrected and sent for review again."""
    story, before = _move(actor, story, STORIES_WRITE, (StoryStatus.WITHDRAWN,), StoryStatus.DRAFT)
    story.save()
    audit.record(
        actor=actor, action="stories.story.redrafted", obj=story, changes={"status": [before, story.status]}
    )
    return story


@transaction.atomic
def image_add(*, actor, story: Story, upload, caption: str = "") -> StoryImage:
    story = _lock(story)
    access.require(actor, STORIES_WRITE, story.unit, needs_unit=True)
    if story.status != StoryStatus.DRAFT:
        raise ValidationError(_("Chỉ thêm ảnh vào bài đang là bản nháp."))
    if story.images.count() >= MAX_IMAGES:
        raise ValidationError({"image": _("Mỗi bài có tối đa %(n)s ảnh.") % {"n": MAX_IMAGES}})
    processed = images.process(upload)
    image = StoryImage(
        story=story,
        caption=clean_spaces(caption or "")[:200],
        width=processed.width,
        height=processed.height,
        size=processed.size,
        position=story.images.count(),
    )
    image.file.save("image.jpg", processed.content, save=False)
    # A rollback after this point leaves an orphan file in the storage, never a row without its file.
    image.save()
    audit.record(
        actor=actor,
        action="stories.image.added",
        obj=image,
        data={"story": story.pk, "width": image.width, "height": image.height, "bytes": image.size},
    )
    return image


@transaction.atomic
def image_remove(*, actor, image: StoryImage) -> None:
    story = _lock(image.story)
    access.require(actor, STORIES_WRITE, story.unit, needs_unit=True)
    if story.status != StoryStatus.DRAFT:
        raise ValidationError(_("Chỉ bỏ ảnh khỏi bài đang là bản nháp."))
    name = image.file.name
    audit.record(actor=actor, action="stories.image.removed", obj=image, data={"story": story.pk})
    image.delete()
    transaction.on_commit(lambda: image.file.storage.delete(name))


# School reports --------------------------------------------------------------------------------
REPORT_FIELDS = (
    "pupils",
    "youth_members",
    "new_members",
    "activities",
    "first_aid_trained",
    "pupils_helped",
    "value_raised",
    "note",
)


@transaction.atomic
def school_report_save(*, actor, unit: Unit, school_year: str, **fields) -> SchoolReport:
    """Create or replace a school branch's report for a school year."""
    access.require(actor, SCHOOLS_REPORT, unit, needs_unit=True)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"unknown report fields: {sorted(unknown)}")
    errors = {}
    if unit.branch_type != BranchType.SCHOOL:
        errors["unit"] = _("“%(u)s” không phải là chi hội trường học.") % {"u": unit.name}
    elif unit.valid_to and unit.valid_to < timezone.localdate():
        errors["unit"] = _("Chi hội “%(u)s” đã giải thể hoặc sáp nhập.") % {"u": unit.name}
    for key in REPORT_FIELDS[:-1]:
        value = fields.get(key)
        if value is not None and value < 0:
            errors[key] = _("Không được là số âm.")
    pupils, youth = fields.get("pupils") or 0, fields.get("youth_members") or 0
    if pupils and youth > pupils:
        errors["youth_members"] = _("Số hội viên (%(y)s) lớn hơn số học sinh của trường (%(p)s).") % {
            "y": youth,
            "p": pupils,
        }
    if errors:
        raise ValidationError(errors)
    report = SchoolReport.objects.select_for_update().filter(unit=unit, school_year=school_year).first()
    created = report is None
    if created:
        report = SchoolReport(unit=unit, school_year=school_year)
    before = audit.snapshot(report, REPORT_FIELDS)
    for key, value in fields.items():
        setattr(report, key, value if value is not None else 0)
    report.note = clean_spaces(report.note or "")
    report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    report.full_clean(exclude=["submitted_by"])
    report.save()
    audit.record(
        actor=actor,
        action="stories.school_report.created" if created else "stories.school_report.updated",
        obj=report,
        changes=audit.created(report)
        if created
        else audit.diff(before, audit.snapshot(report, REPORT_FIELDS)),
    )
    return report
