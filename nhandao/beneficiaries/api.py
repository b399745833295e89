"""What other modules (the humanitarian fund first) may call: a small, stable surface.

The fund pays only cases the commune has confirmed, and every payment to a
person is an act of help that belongs in the case's record:

    from nhandao.beneficiaries import api

    refusal = api.case_help_refusal(case)          # None, or why not (Vietnamese)
    if refusal is None:
        record = api.help_record_create(
            actor=user, case=case, date=paid_on, kind="cash", value=amount,
            description="Chi hỗ trợ từ Quỹ Nhân đạo", delivering_unit=unit,
            source_type="fund", source=fund.name, source_ref=f"funds.disbursement:{d.pk}",
            duplicate_reason="",                       # or the officer's reason, see below
        )

`help_record_create` raises ValidationError (Vietnamese, by field) when the case
is not confirmed or a value is wrong, and DoubleHelpSuspected (a ValidationError
with `.earlier`, the earlier records from any unit) when the recipient already
received the same kind of help in the configured window or in the same
campaign; call it again with `duplicate_reason` to go on (the reason is
stored).  `source_ref` ("funds.<model>:<pk>", indexed) is the place for the
fund's own record until a foreign key replaces it; `help_records_for_source`
finds the records of one.  A payment cancelled in the fund is cancelled here
with `help_record_cancel` (never deleted).  Nothing in this module imports the
fund.

A module that decides access itself (the fund: its approver holds funds.approve,
not beneficiaries.edit) calls `help_record_create(actor=None, recorded_by=user, …)`
and `help_record_cancel(actor=None, cancelled_by=user, …)`.  `case_labels(user,
cases)` says how another module may show a case to a user (file number always,
name only where the register would show it), and `register_source_link(prefix,
resolver)` lets that module turn its `source_ref`s into links on the case page.

`case_create` registers a household where another module meets it (relief: at a distribution
point), with the register's own duplicate check (DuplicateCaseSuspected: `blocking` when the head
already heads an open file, otherwise similar name and address, passed with allow_duplicate=True
once the officer has checked); the file is PROPOSED until the commune confirms it.
`has_publication_consent(case)` and `publication_consent_q()` say whether the case's head agreed to a
story about them being published (stories).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, OuterRef, QuerySet

from nhandao.core.access import BENEFICIARIES_VIEW
from nhandao.org import access

from .choices import ConsentPurpose
from .models import Case, Consent, HelpRecord
from .selectors import eligible_cases, local_communes
from .services import (
    DoubleHelpSuspected,
    DuplicateCaseSuspected,
    case_can_receive_help,
    case_create,
    case_help_refusal,
    earlier_help,
    help_record_cancel,
    help_record_create,
)


def help_records_for_source(source_ref: str) -> QuerySet[HelpRecord]:
    """The help records made for one record of another module (e.g. "funds.disbursement:42")."""
    return HelpRecord.objects.filter(source_ref=source_ref).select_related("case").order_by("date", "id")


@dataclass(frozen=True)
class CaseLabel:
    """How another module may show a case to one user."""

    pk: int
    number: str
    url: str  # "" when the user may not open the case
    name: str  # "" when the register would not show the name to this user
    commune: str


class CaseFacts(NamedTuple):
    """The few columns of a case that decide how it is shown (see case_labels)."""

    pk: int
    unit_path: str | None
    commune_id: int | None
    commune_name: str
    share_consent: bool
    head_name: str

    @classmethod
    def of(cls, case: Case) -> CaseFacts:
        return cls(
            case.pk,
            case.unit.path,
            case.commune_id,
            case.commune.name,
            case.share_consent,
            case.head.full_name,
        )


def case_fact_fields(prefix: str = "") -> list[str]:
    """The value paths of CaseFacts from a query whose rows reach the case through `prefix`
    (e.g. "case__"): `.values_list(*case_fact_fields("case__"), ...)` reads a long list without
    building five model instances per row."""
    names = ["id", "unit__path", "commune_id", "commune__name", "share_consent", "head__full_name"]
    return [prefix + n for n in names]


def case_labels(user, cases: Iterable[Case]) -> dict[int, CaseLabel]:
    """Case pk -> CaseLabel.  The file number is not personal and is always given; the link
    needs beneficiaries.view on the case's unit, the head's name also the case's commune or
    the household's consent to share (as on the register's own pages).  Pass cases with
    `head`, `unit` and `commune` selected: no query beyond the user's cached roles."""
    return case_labels_of_facts(user, (CaseFacts.of(case) for case in cases))


def case_labels_of_facts(user, facts: Iterable[CaseFacts]) -> dict[int, CaseLabel]:
    """case_labels from rows read with case_fact_fields (the one rule, for lists of thousands)."""
    local = local_communes(user)
    scope = access.scope(user, BENEFICIARIES_VIEW)  # once: a distribution list labels 5,000 cases
    url = Case.url_maker()
    out = {}
    for f in facts:
        may_view = scope.allows_path(f.unit_path)
        details = may_view and (f.share_consent or f.commune_id in local)
        out[f.pk] = CaseLabel(
            pk=f.pk,
            number=Case.number_of(f.pk),
            url=url(f.pk) if may_view else "",
            name=f.head_name if details else "",
            commune=f.commune_name,
        )
    return out


# source_ref prefix ("funds.disbursement") -> resolver(user, [pk, ...]) -> {pk: url}
SourceResolver = Callable[[object, list[int]], dict[int, str]]
_SOURCE_LINKS: dict[str, SourceResolver] = {}


def register_source_link(prefix: str, resolver: SourceResolver) -> None:
    """Let another module link its records from help records (called from its AppConfig.ready);
    the resolver returns URLs only for the records the user may see."""
    _SOURCE_LINKS[prefix] = resolver


def source_links(user, refs: Iterable[str]) -> dict[str, str]:
    """source_ref -> URL for the refs whose owner module lets this user open them (one call
    per prefix, whatever the number of refs)."""
    by_prefix: dict[str, list[int]] = {}
    for ref in refs:
        prefix, _sep, pk = (ref or "").partition(":")
        if prefix in _SOURCE_LINKS and pk.isdigit():
            by_prefix.setdefault(prefix, []).append(int(pk))
    out = {}
    for prefix, pks in by_prefix.items():
        for pk, url in _SOURCE_LINKS[prefix](user, sorted(set(pks))).items():
            out[f"{prefix}:{pk}"] = url
    return out


__all__ = [
    "Case",
    "CaseLabel",
    "DoubleHelpSuspected",
    "DuplicateCaseSuspected",
    "case_can_receive_help",
    "case_help_refusal",
    "case_create",
    "case_labels",
    "case_labels_of_facts",
    "case_fact_fields",
    "CaseFacts",
    "earlier_help",
    "eligible_cases",
    "help_record_cancel",
    "help_record_create",
    "help_records_for_source",
    "register_source_link",
    "source_links",
]


def publication_consent_q(case_field: str = "case"):
    """A Q on a model with a foreign key `case_field` to Case: the case's head has a consent to
    publication in force (stories about a beneficiary are published only with it, and leave the
    public site the day it is withdrawn)."""
    return Exists(
        Consent.objects.filter(
            case=OuterRef(case_field),
            person=OuterRef(f"{case_field}__head"),
            purpose=ConsentPurpose.PUBLISH,
            withdrawn_on__isnull=True,
        )
    )


def has_publication_consent(case: Case) -> bool:
    """The head of the case agreed to publication of their story and has not withdrawn it."""
    return Consent.objects.filter(
        case=case, person_id=case.head_id, purpose=ConsentPurpose.PUBLISH, withdrawn_on__isnull=True
    ).exists()
