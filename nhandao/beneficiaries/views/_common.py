"""Helpers shared by the beneficiary pages: access checks, picking units and people."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from nhandao.core.access import BENEFICIARIES_VIEW
from nhandao.geo.selectors import resolve_address
from nhandao.org import access
from nhandao.org.models import UnitKind
from nhandao.people import identity
from nhandao.people import selectors as people_selectors

from .. import selectors, services

CASE_UNIT_KINDS = (UnitKind.COMMUNE, UnitKind.BRANCH)
DELIVERING_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.BRANCH, UnitKind.GROUP)


def unit_from_query(request, perm=BENEFICIARIES_VIEW):
    raw = request.GET.get("don-vi", "")
    if raw:
        return access.get_unit_or_404(request.user, raw, perm)
    homes = list(access.home_units(request.user, perm)[:2])
    return homes[0] if len(homes) == 1 else None


def ward_from(text, province=None):
    """The current commune-level unit typed in a form (current or old names)."""
    if not text:
        return None, _("Cần xã, phường nơi ở.")

    match = resolve_address(text, province)
    if match.ok:
        return match.ward, ""
    return None, match.problem


def pick_people(user, tokens: list[str]):
    """Volunteers typed as record numbers or phones, in the user's people scope."""
    qs = people_selectors.visible_people(user)
    found, problems = [], []
    for token in tokens:
        digits = "".join(ch for ch in token if ch.isdigit())
        person = None
        if digits and len(digits) <= 9 and not token.startswith("0"):
            person = qs.filter(pk=int(digits)).first()
        elif digits:
            matches = list(qs.filter(phone=digits)[:2])
            if len(matches) == 1:
                person = matches[0]
            elif len(digits) in (11, 12):
                person = qs.filter(cccd=identity.clean_id(digits)).first()
        if person is None:
            problems.append(token)
        else:
            found.append(person)
    if problems:
        raise ValidationError(
            {
                "volunteers": _("Không tìm thấy đúng một người với: %(v)s (trong phạm vi của bạn).")
                % {"v": ", ".join(problems)}
            }
        )
    return found


def form_page(request, title, form, case=None, back=None, extra=None, template="beneficiaries/form.html"):
    context = {
        "title": title,
        "form": form,
        "case": case,
        "back": back or (case.get_absolute_url() if case else ""),
    }
    context.update(extra or {})
    return render(request, template, context)


def log_outside_view(user, case, what="file", restricted=False):
    """Every view of a full case file by a user outside the case's commune is audited."""
    if not selectors.is_local(user, case):
        services.case_file_viewed(actor=user, case=case, what=what, restricted=restricted)
