"""Registering cases, their members, categories and consents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import (
    BENEFICIARIES_EDIT,
    BENEFICIARIES_VIEW,
    PEOPLE_VIEW,
)
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import parse_phone
from nhandao.core.text import clean_spaces, normalize, title_name
from nhandao.org import access
from nhandao.org.models import Unit
from nhandao.people import identity
from nhandao.people import services as people_services
from nhandao.people.models import Person

from ..choices import (
    HEAD_RELATIONSHIPS,
    OPEN_STATUSES,
    CaseKind,
    CaseStatus,
    CategoryScope,
    ConsentPurpose,
    HelpStatus,
    Relationship,
)
from ..models import (
    Case,
    CaseCategory,
    CaseStep,
    Category,
    Commitment,
    Consent,
    HelpRecord,
    HelpRules,
    Member,
)
from ._common import (
    _actor_label,
    _check_visible,
    _not_future,
    _require_open,
    _today,
    _user,
    address_key,
    check_address,
)
from .stats import refresh_stats

HEAD_FIELDS = ("full_name", "sex", "date_of_birth", "birth_year", "cccd", "phone", "ethnicity", "occupation")


class DuplicateCaseSuspected(ValidationError):
    """A household that may already have a file.  `cases` lists them; `blocking` when the
    same person already heads an open household file (that one must be used or merged)."""

    def __init__(self, message, cases, *, blocking: bool):
        super().__init__(message)
        self.cases = cases
        self.blocking = blocking


class MemberElsewhere(ValidationError):
    """The person is a current member of another open household; `cases` lists them."""

    def __init__(self, message, cases):
        super().__init__(message)
        self.cases = cases


# Derived columns -------------------------------------------------------------------------
def case_keys(case: Case, head: Person | None, others: Iterable[Person] = ()) -> None:
    """Set the search and sort columns from the head and the other current members (no query)."""
    names = [head.full_name] if head else []
    phones = [case.phone] if case.phone else []
    for person in [head, *others] if head else list(others):
        if person is not head:
            names.append(person.full_name)
        if person.phone and person.phone not in phones:
            phones.append(person.phone)
    case.head_key = head.name_key if head else ""
    case.sort_key = head.sort_key if head else ""
    case.address_key = address_key(case.address_detail)
    text = " ".join(k for k in (normalize(" ".join(names)), " ".join(phones), case.address_key) if k)
    case.search_key = text[:600]


def refresh_case(case: Case, *, save: bool = True) -> Case:
    """Recompute the denormalised columns of one case from its rows."""
    members = list(
        Member.objects.filter(case=case, left_on__isnull=True).select_related("person").order_by("id")
    )
    head = case.head if case.head_id else None
    case_keys(case, head, [m.person for m in members if m.person_id != case.head_id])
    case.member_count = max(1, len(members))
    case.share_consent = Consent.objects.filter(
        case=case, purpose=ConsentPurpose.SHARE, withdrawn_on__isnull=True
    ).exists()
    case.last_help_on = HelpRecord.objects.filter(case=case, status=HelpStatus.VALID).aggregate(
        d=Max("date")
    )["d"]
    if save:
        case.save(
            update_fields=[
                "member_count",
                "head_key",
                "sort_key",
                "address_key",
                "search_key",
                "share_consent",
                "last_help_on",
                "updated_at",
            ]
        )
    return case


def _step(actor, case: Case, status: str, on: dt.date, reference: str = "", note: str = "") -> CaseStep:
    return CaseStep.objects.create(
        case=case,
        status=status,
        on=on,
        actor=_user(actor),
        actor_label=_actor_label(actor),
        reference=reference,
        note=note,
    )


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("unit", "commune", "head", "ward").get(pk=case.pk)


# Persons ----------------------------------------------------------------------------------
def _person_for(
    actor, unit: Unit, ward, address_detail: str, fields: dict, *, allow_duplicate: bool
) -> Person:
    """The Person a form describes: the registry's record holding that CCCD when there is one
    (the same human: a volunteer can be a beneficiary), otherwise a new record."""
    unknown = set(fields) - set(HEAD_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    number = identity.clean_id(fields.get("cccd"))
    if number and len(number) == 12:
        existing = Person.objects.filter(cccd=number).select_related("unit").first()
        if existing is not None:
            if existing.merged_into_id:
                existing = existing.merged_into
            if existing.name_key != normalize(title_name(fields.get("full_name") or "")):
                visible = bool(access.split_visible(actor, PEOPLE_VIEW, [existing]).visible)
                raise ValidationError(
                    {
                        "cccd": _("Số CCCD này đã thuộc hồ sơ “%(n)s”, khác họ tên vừa nhập.")
                        % {"n": existing.full_name}
                        if visible
                        else _("Số CCCD này đã thuộc một người khác họ tên vừa nhập (ở đơn vị khác).")
                    }
                )
            return existing
    return people_services.person_create(
        actor=actor,
        unit=unit,
        allow_duplicate=allow_duplicate,
        ward=ward,
        address_detail=address_detail,
        **fields,
    )


def _active_households_of(person_ids: Iterable[int], exclude_case: int | None = None):
    return (
        Case.objects.filter(
            kind=CaseKind.HOUSEHOLD,
            status__in=OPEN_STATUSES,
            merged_into__isnull=True,
            members__person_id__in=list(person_ids),
            members__left_on__isnull=True,
        )
        .exclude(pk=exclude_case)
        .select_related("unit", "commune", "head")
        .distinct()
    )


def household_duplicates(*, head: Person | None, full_name: str, ward, address_detail: str, exclude=None):
    """(blocking cases, similar cases): open household files headed by the same person, and files
    whose head has the same normalised name at the same normalised address (any commune)."""
    blocking = []
    if head is not None:
        blocking = list(
            Case.objects.filter(
                kind=CaseKind.HOUSEHOLD, status__in=OPEN_STATUSES, merged_into__isnull=True, head=head
            )
            .exclude(pk=exclude)
            .select_related("unit", "commune", "head")
        )
    name_key = normalize(title_name(full_name or ""))
    similar = []
    if name_key and ward is not None:
        akey = address_key(address_detail)
        for case in (
            Case.objects.filter(
                kind=CaseKind.HOUSEHOLD,
                status__in=OPEN_STATUSES,
                merged_into__isnull=True,
                head_key=name_key,
                ward=ward,
            )
            .exclude(pk=exclude)
            .select_related("unit", "commune", "head")[:20]
        ):
            if case in blocking:
                continue
            if not akey or not case.address_key or case.address_key == akey:
                similar.append(case)
    return blocking, similar


# Cases --------------------------------------------------------------------------------------
def _clean_case_fields(phone: str, circumstances: str, household_size: int | None = None) -> dict:
    out = {"circumstances": (circumstances or "").strip()[:2000], "household_size": household_size}
    if household_size is not None and not 1 <= household_size <= 50:
        raise ValidationError({"household_size": _("Số nhân khẩu phải từ 1 đến 50.")})
    try:
        out["phone"] = parse_phone(phone) or ""
    except CellError as exc:
        raise ValidationError({"phone": exc.message}) from None
    return out


@transaction.atomic
def case_create(
    *,
    actor,
    kind: str,
    ward,
    address_detail: str = "",
    phone: str = "",
    circumstances: str = "",
    household_size: int | None = None,
    unit: Unit | None = None,
    head: Person | None = None,
    head_fields: dict | None = None,
    categories: Iterable[dict] = (),
    allow_duplicate: bool = False,
    allow_other_household: bool = False,
) -> Case:
    """Register a household (its head becomes the first member) or an individual, as PROPOSED.

    `head` is an existing Person, or `head_fields` describe one (found by CCCD or created in
    the people registry).  `categories` are dicts for case_category_add.  A household whose
    head already heads an open file is refused (DuplicateCaseSuspected, blocking); one whose
    head has the same name at the same address needs allow_duplicate.
    """
    access.require(actor, BENEFICIARIES_EDIT)
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Loại hồ sơ không hợp lệ.")})
    commune, unit = check_address(actor, BENEFICIARIES_EDIT, ward, unit)
    access.require(actor, BENEFICIARIES_EDIT, unit, needs_unit=True)
    address_detail = clean_spaces(address_detail)[:200]
    fields = _clean_case_fields(phone, circumstances, household_size)
    if kind == CaseKind.INDIVIDUAL:
        fields["household_size"] = None
    if head is None and not head_fields:
        raise ValidationError({"full_name": _("Cần họ tên chủ hộ hoặc người được trợ giúp.")})
    if head is not None:
        if head.merged_into_id:
            head = head.merged_into
    elif head_fields.get("cccd"):
        number = identity.clean_id(head_fields["cccd"])
        found = Person.objects.filter(cccd=number).first() if len(number) == 12 else None
        if found is not None and found.name_key == normalize(title_name(head_fields.get("full_name") or "")):
            head = found
    if kind == CaseKind.HOUSEHOLD:
        full_name = head.full_name if head is not None else head_fields.get("full_name", "")
        blocking, similar = household_duplicates(
            head=head, full_name=full_name, ward=ward, address_detail=address_detail
        )
        if blocking:
            shown = access.split_visible(actor, BENEFICIARIES_VIEW, blocking)
            if shown.visible:
                found = shown.visible[0]
                message = _(
                    "%(n)s đã là chủ hộ trong hồ sơ %(c)s (%(u)s, %(s)s); không lập hồ sơ thứ hai."
                ) % {
                    "n": found.head.full_name,
                    "c": found.number,
                    "u": found.commune.name,
                    "s": found.get_status_display().lower(),
                }
            else:
                message = _(
                    "Người này đã là chủ hộ của một hồ sơ còn hiệu lực ở đơn vị ngoài phạm vi của bạn; "
                    "không lập hồ sơ thứ hai."
                )
            raise DuplicateCaseSuspected(message, blocking, blocking=True)
        if similar and not allow_duplicate:
            raise DuplicateCaseSuspected(
                _(
                    "Có thể hộ này đã có hồ sơ (cùng họ tên chủ hộ và địa chỉ): %(list)s. Hãy kiểm tra "
                    "trước khi lập hồ sơ mới."
                )
                % {"list": _cases_named(actor, similar)},
                similar,
                blocking=False,
            )
    elif head is not None:
        same = Case.objects.filter(
            kind=CaseKind.INDIVIDUAL, status__in=OPEN_STATUSES, merged_into__isnull=True, head=head
        ).select_related("commune")
        found = same.first()
        if found is not None:
            raise DuplicateCaseSuspected(
                _("%(n)s đã có hồ sơ cá nhân %(c)s (%(u)s); không lập hồ sơ thứ hai.")
                % {"n": head.full_name, "c": found.number, "u": found.commune.name}
                if access.split_visible(actor, BENEFICIARIES_VIEW, [found]).visible
                else _(
                    "Người này đã có hồ sơ cá nhân còn hiệu lực ở đơn vị ngoài phạm vi của bạn; "
                    "không lập hồ sơ thứ hai."
                ),
                [found],
                blocking=True,
            )
    if head is None:
        head = _person_for(
            actor, unit, ward, address_detail, dict(head_fields), allow_duplicate=allow_duplicate
        )
    if kind == CaseKind.HOUSEHOLD and not allow_other_household:
        elsewhere = list(_active_households_of([head.pk]))
        if elsewhere:
            raise MemberElsewhere(_member_elsewhere_message(actor, head, elsewhere), elsewhere)
    case = Case(
        kind=kind,
        unit=unit,
        commune=commune,
        head=head,
        ward=ward,
        address_detail=address_detail,
        created_by=_user(actor),
        **fields,
    )
    if not case.phone and head.phone:
        case.phone = head.phone
    case.full_clean(
        exclude=[
            "search_key",
            "sort_key",
            "head_key",
            "address_key",
            "head",
            "unit",
            "commune",
            "ward",
            "created_by",
            "confirmed_by",
            "merged_into",
        ]
    )
    case.save()
    Member.objects.create(
        case=case,
        person=head,
        relationship=Relationship.HEAD if kind == CaseKind.HOUSEHOLD else Relationship.SELF,
        joined_on=_today(),
    )
    _step(actor, case, CaseStatus.PROPOSED, _today())
    refresh_case(case)
    audit.record(actor=actor, action="beneficiaries.case.created", obj=case, changes=audit.created(case))
    for spec in categories:
        case_category_add(actor=actor, case=case, **spec)
    refresh_stats([unit.pk])
    return case


@transaction.atomic
def case_update(
    *,
    actor,
    case: Case,
    ward,
    address_detail: str = "",
    phone: str = "",
    circumstances: str = "",
    household_size: int | None = None,
    unit: Unit | None = None,
) -> Case:
    """Change the address, contact and circumstances.  Moving to another commune needs the
    actor's scope to cover both (the city transfers a file between communes)."""
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if unit is None:
        unit = case.unit if ward == case.ward else None
    commune, unit = check_address(actor, BENEFICIARIES_EDIT, ward, unit)
    fields = _clean_case_fields(phone, circumstances, household_size)
    tracked = ["unit", "commune", "ward", "address_detail", "phone", "circumstances", "household_size"]
    before = audit.snapshot(case, tracked)
    old_unit = case.unit_id
    case.unit, case.commune, case.ward = unit, commune, ward
    case.address_detail = clean_spaces(address_detail)[:200]
    case.phone, case.circumstances = fields["phone"], fields["circumstances"]
    case.household_size = fields["household_size"] if case.kind == CaseKind.HOUSEHOLD else None
    changes = audit.diff(before, audit.snapshot(case, tracked))
    if changes:
        case.save()
        if old_unit != unit.pk:
            HelpRecord.objects.filter(case=case).update(unit=unit)
            Commitment.objects.filter(case=case).update(unit=unit)
        refresh_case(case)
        audit.record(actor=actor, action="beneficiaries.case.updated", obj=case, changes=changes)
        refresh_stats({old_unit, unit.pk})
    return case


# Members ------------------------------------------------------------------------------------
def _cases_named(actor, cases: list[Case]) -> str:
    """ "HS-12 (phường Lê Chân), …" for files the actor may see; only a count for the others
    (found beyond the actor's scope on purpose: access.split_visible)."""
    shown = access.split_visible(actor, BENEFICIARIES_VIEW, cases)
    parts = [f"{c.number} ({c.commune.name})" for c in shown.visible]
    if shown.elsewhere:
        parts.append(_("%(n)s hồ sơ ở đơn vị ngoài phạm vi của bạn") % {"n": shown.elsewhere})
    return ", ".join(parts)


def _member_elsewhere_message(actor, person: Person, cases: list[Case]) -> str:
    return _(
        "%(n)s đang là thành viên của hộ khác còn hiệu lực: %(list)s. Một người chỉ nên thuộc một hộ; "
        "hãy cho người này rời hộ cũ, hoặc xác nhận để ghi nhận (hệ thống sẽ đánh dấu để kiểm tra)."
    ) % {"n": person.full_name, "list": _cases_named(actor, cases)}


@transaction.atomic
def member_add(
    *,
    actor,
    case: Case,
    relationship: str,
    person: Person | None = None,
    person_fields: dict | None = None,
    joined_on: dt.date | None = None,
    allow_other_household: bool = False,
    allow_duplicate: bool = False,
) -> Member:
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if case.kind != CaseKind.HOUSEHOLD:
        raise ValidationError(_("Hồ sơ cá nhân không có thành viên hộ."))
    if relationship not in Relationship.values or relationship in HEAD_RELATIONSHIPS:
        raise ValidationError(
            {"relationship": _("Chọn quan hệ với chủ hộ (muốn đổi chủ hộ, dùng “Đặt làm chủ hộ”).")}
        )
    _not_future(joined_on, "joined_on", _("Ngày vào hộ"))
    if person is None:
        if not person_fields:
            raise ValidationError({"full_name": _("Cần họ tên thành viên.")})
        number = identity.clean_id(person_fields.get("cccd"))
        found = Person.objects.filter(cccd=number).first() if len(number) == 12 else None
        if found is not None and found.name_key == normalize(
            title_name(person_fields.get("full_name") or "")
        ):
            person = found
    if person is not None and person.merged_into_id:
        person = person.merged_into
    if person is not None:
        if Member.objects.filter(case=case, person=person, left_on__isnull=True).exists():
            raise ValidationError(_("%(n)s đã là thành viên của hộ này.") % {"n": person.full_name})
        elsewhere = list(_active_households_of([person.pk], exclude_case=case.pk))
        if elsewhere and not allow_other_household:
            raise MemberElsewhere(_member_elsewhere_message(actor, person, elsewhere), elsewhere)
    else:
        person = _person_for(
            actor,
            case.unit,
            case.ward,
            case.address_detail,
            dict(person_fields),
            allow_duplicate=allow_duplicate,
        )
        elsewhere = list(_active_households_of([person.pk], exclude_case=case.pk))
        if elsewhere and not allow_other_household:
            raise MemberElsewhere(_member_elsewhere_message(actor, person, elsewhere), elsewhere)
    member = Member.objects.create(
        case=case, person=person, relationship=relationship, joined_on=joined_on or _today()
    )
    refresh_case(case)
    audit.record(
        actor=actor,
        action="beneficiaries.member.added",
        obj=member,
        object_repr=f"{person.full_name} ({member.get_relationship_display()})",
        changes={
            "person": {"before": None, "after": {"id": person.pk, "repr": person.full_name}},
            "relationship": {"before": None, "after": relationship},
        },
        data={"case": case.pk, "other_households": [c.pk for c in elsewhere]},
    )
    return member


@transaction.atomic
def member_leave(*, actor, member: Member, left_on: dt.date, reason: str) -> Member:
    member = Member.objects.select_for_update().select_related("case__unit", "person").get(pk=member.pk)
    case = member.case
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if member.left_on:
        raise ValidationError(_("Người này đã rời hộ."))
    if member.person_id == case.head_id:
        raise ValidationError(_("Đây là chủ hộ: hãy đặt người khác làm chủ hộ trước (hoặc đóng hồ sơ)."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Cần ghi lý do rời hộ.")})
    _not_future(left_on, "left_on", _("Ngày rời hộ"))
    member.left_on, member.left_reason = left_on, reason.strip()[:200]
    member.save(update_fields=["left_on", "left_reason"])
    refresh_case(case)
    audit.record(
        actor=actor,
        action="beneficiaries.member.left",
        obj=member,
        object_repr=member.person.full_name,
        changes={
            "left_on": {"before": None, "after": left_on},
            "left_reason": {"before": "", "after": reason},
        },
        data={"case": case.pk},
    )
    return member


@transaction.atomic
def member_set_head(*, actor, member: Member, previous_head_relationship: str = Relationship.OTHER) -> Case:
    """Make a member the head (the head died, moved, or the file named the wrong person)."""
    member = Member.objects.select_related("case", "person").get(pk=member.pk)
    case = _lock(member.case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if member.left_on or member.case_id != case.pk:
        raise ValidationError(_("Chỉ thành viên đang ở trong hộ mới làm chủ hộ được."))
    if member.person_id == case.head_id:
        return case
    if (
        previous_head_relationship in HEAD_RELATIONSHIPS
        or previous_head_relationship not in Relationship.values
    ):
        previous_head_relationship = Relationship.OTHER
    old_head = case.head
    Member.objects.filter(case=case, person=old_head, left_on__isnull=True).update(
        relationship=previous_head_relationship
    )
    member.relationship = Relationship.HEAD
    member.save(update_fields=["relationship"])
    case.head = member.person
    case.save(update_fields=["head", "updated_at"])
    refresh_case(case)
    audit.record(
        actor=actor,
        action="beneficiaries.case.head_changed",
        obj=case,
        changes={
            "head": {
                "before": {"id": old_head.pk, "repr": old_head.full_name},
                "after": {"id": member.person_id, "repr": member.person.full_name},
            }
        },
    )
    return case


# Categories ---------------------------------------------------------------------------------
@transaction.atomic
def case_category_add(
    *,
    actor,
    case: Case,
    category: Category,
    person: Person | None = None,
    evidence_number: str = "",
    evidence_year: int | None = None,
    evidence_issuer: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
) -> CaseCategory:
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    errors: dict[str, list[str]] = {}
    if not category.active:
        errors.setdefault("category", []).append(
            _("Diện “%(c)s” không còn được dùng.") % {"c": category.name}
        )
    if category.scope == CategoryScope.HOUSEHOLD and case.kind != CaseKind.HOUSEHOLD:
        errors.setdefault("category", []).append(
            _("Diện “%(c)s” chỉ áp dụng cho hộ gia đình.") % {"c": category.name}
        )
    if case.kind == CaseKind.INDIVIDUAL:
        person = case.head
    elif person is not None:
        if not Member.objects.filter(case=case, person=person, left_on__isnull=True).exists():
            errors.setdefault("person", []).append(_("Người này không phải thành viên của hộ."))
    elif category.scope == CategoryScope.PERSON:
        errors.setdefault("person", []).append(
            _("Diện “%(c)s” là diện của một người: chọn thành viên thuộc diện.") % {"c": category.name}
        )
    evidence_number = clean_spaces(evidence_number)[:80]
    if category.requires_evidence and not evidence_number:
        errors.setdefault("evidence_number", []).append(
            _("Diện “%(c)s” cần có %(e)s.")
            % {"c": category.name, "e": (category.evidence_label or _("số giấy tờ chứng minh")).lower()}
        )
    this_year = _today().year
    if evidence_year is not None and not 1975 <= evidence_year <= this_year + 1:
        errors.setdefault("evidence_year", []).append(_("Năm phải từ 1975 đến %(y)s.") % {"y": this_year + 1})
    elif category.requires_year and evidence_year is None:
        errors.setdefault("evidence_year", []).append(
            _("Diện “%(c)s” cần ghi năm của giấy tờ (danh sách được rà soát hằng năm).")
            % {"c": category.name}
        )
    if category.yearly and evidence_year:
        valid_from = valid_from or dt.date(evidence_year, 1, 1)
        valid_to = valid_to or dt.date(evidence_year, 12, 31)
    if valid_from and valid_to and valid_to < valid_from:
        errors.setdefault("valid_to", []).append(_("Ngày hết hiệu lực trước ngày bắt đầu."))
    if not errors:
        same = CaseCategory.objects.filter(case=case, category=category, evidence_year=evidence_year)
        same = same.filter(person=person) if person is not None else same.filter(person__isnull=True)
        if same.exists():
            message = (
                _("Hồ sơ đã có diện “%(c)s” năm %(y)s.") if evidence_year else _("Hồ sơ đã có diện “%(c)s”.")
            )
            errors.setdefault("category", []).append(message % {"c": category.name, "y": evidence_year})
    if errors:
        raise ValidationError(errors)
    item = CaseCategory.objects.create(
        case=case,
        category=category,
        person=person if case.kind == CaseKind.HOUSEHOLD else case.head,
        evidence_number=evidence_number,
        evidence_year=evidence_year,
        evidence_issuer=clean_spaces(evidence_issuer)[:150],
        valid_from=valid_from,
        valid_to=valid_to,
        note=clean_spaces(note)[:300],
    )
    audit.record(
        actor=actor,
        action="beneficiaries.category.added",
        obj=item,
        object_repr=category.name,
        changes=audit.created(item),
        data={"case": case.pk},
    )
    return item


@transaction.atomic
def case_category_end(*, actor, item: CaseCategory, valid_to: dt.date, note: str = "") -> CaseCategory:
    item = CaseCategory.objects.select_for_update().select_related("case__unit", "category").get(pk=item.pk)
    _check_visible(actor, item.case)
    access.require(actor, BENEFICIARIES_EDIT, item.case.unit, needs_unit=True)
    if item.valid_from and valid_to < item.valid_from:
        raise ValidationError({"valid_to": _("Ngày hết hiệu lực trước ngày bắt đầu.")})
    before = audit.snapshot(item, ["valid_to", "note"])
    item.valid_to = valid_to
    if note:
        item.note = clean_spaces(note)[:300]
    item.save(update_fields=["valid_to", "note"])
    audit.record(
        actor=actor,
        action="beneficiaries.category.ended",
        obj=item,
        object_repr=item.category.name,
        changes=audit.diff(before, audit.snapshot(item, ["valid_to", "note"])),
        data={"case": item.case_id},
    )
    return item


# Consent ------------------------------------------------------------------------------------
@transaction.atomic
def consent_record(
    *,
    actor,
    case: Case,
    purpose: str,
    given_on: dt.date,
    collected_by: str,
    form_version: str = "",
    person: Person | None = None,
) -> Consent:
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    if case.merged_into_id:
        _require_open(case)
    errors = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = _("Mục đích không hợp lệ.")
    if given_on is None:
        errors["given_on"] = _("Cần ngày đồng ý.")
    elif given_on > _today():
        errors["given_on"] = _("Ngày đồng ý không được ở tương lai.")
    if not (collected_by or "").strip():
        errors["collected_by"] = _("Cần ghi người lấy ý kiến.")
    person = person or case.head
    if not Member.objects.filter(case=case, person=person).exists():
        errors["person"] = _("Người đồng ý phải là thành viên của hộ.")
    if errors:
        raise ValidationError(errors)
    if Consent.objects.filter(case=case, person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError({"purpose": _("Đã có sự đồng ý này và chưa rút lại.")})
    consent = Consent.objects.create(
        case=case,
        person=person,
        purpose=purpose,
        given_on=given_on,
        form_version=clean_spaces(form_version)[:40] or HelpRules.current().consent_form_version,
        collected_by=clean_spaces(collected_by)[:150],
        recorded_by=_user(actor),
    )
    refresh_case(case)
    audit.record(
        actor=actor,
        action="beneficiaries.consent.given",
        obj=consent,
        changes=audit.created(consent),
        data={"case": case.pk},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: dt.date, note: str = "") -> Consent:
    consent = Consent.objects.select_for_update().select_related("case__unit").get(pk=consent.pk)
    _check_visible(actor, consent.case)
    access.require(actor, BENEFICIARIES_EDIT, consent.case.unit, needs_unit=True)
    if consent.withdrawn_on:
        raise ValidationError(_("Sự đồng ý này đã được rút lại."))
    if withdrawn_on is None or withdrawn_on > _today() or withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Ngày rút lại phải từ ngày đồng ý đến hôm nay.")})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = clean_spaces(note)[:300]
    consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
    refresh_case(consent.case)
    audit.record(
        actor=actor,
        action="beneficiaries.consent.withdrawn",
        obj=consent,
        changes={"withdrawn_on": {"before": None, "after": withdrawn_on}},
        data={"case": consent.case_id, "note": consent.withdrawal_note},
    )
    return consent
