"""The steps every merge page shares (a person, a beneficiary case…): find the other record in the
user's scope, list the fields on which the two disagree, and on a confirmed POST merge, taking
from the other record the fields the user ticked.  The view keeps what is its own (the getter,
the service, the template, what it may show of each record)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from .forms import apply_errors


@dataclass
class MergeStep:
    other: object | None = None
    # (field name, label, value on the kept record, value on the other)
    conflicts: list[tuple[str, str, object, object]] | None = None
    merged: bool = False


def merge_step(
    request,
    form,
    keep,
    *,
    get_other: Callable[[object], object],
    conflicts_of: Callable[[object, object], Iterable[str]],
    choosable: Iterable[str],
    merge: Callable[[object, list[str]], object],
) -> MergeStep:
    """`form` has a field `other`; `get_other(value)` fetches it in scope (Http404 outside);
    `merge(other, take_from_removed)` is the app's merge service."""
    if not form.is_valid():
        return MergeStep()
    try:
        other = get_other(form.cleaned_data["other"])
    except Http404:
        other = None
    if other is None or other.merged_into_id or other.pk == keep.pk:
        form.add_error("other", _("Không có hồ sơ số này trong phạm vi của bạn."))
        return MergeStep()
    meta = type(keep)._meta
    conflicts = [
        (name, meta.get_field(name).verbose_name, getattr(keep, name), getattr(other, name))
        for name in conflicts_of(keep, other)
    ]
    if request.method == "POST" and request.POST.get("confirm") == "1":
        take = [name for name in choosable if request.POST.get(f"take_{name}") == "other"]
        try:
            merge(other, take)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return MergeStep(other, conflicts, merged=True)
    return MergeStep(other, conflicts)
