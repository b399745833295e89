"""Every read of the privacy module, scoped by who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from nhandao.core.access import PRIVACY_HANDLE, PRIVACY_VIEW, TRACING_VIEW
from nhandao.org import access
from nhandao.people.models import Person

from .models import SubjectRequest, TracingCase


def requests_visible(user) -> QuerySet[SubjectRequest]:
    return access.in_scope(
        user, PRIVACY_VIEW, SubjectRequest.objects.select_related("unit", "person", "owner")
    )


def request_get(user, pk) -> SubjectRequest:
    return access.get_in_scope(
        user, PRIVACY_VIEW, SubjectRequest.objects.select_related("unit", "person", "owner"), pk
    )


def person_for_request(user, pk) -> Person:
    """A person of the registry the officer may file a request for; 404 outside the scope."""
    return access.get_in_scope(user, PRIVACY_HANDLE, Person.objects.select_related("unit"), pk)


def tracing_visible(user) -> QuerySet[TracingCase]:
    """Need-to-know: only the unit's tracing officers hold tracing.view (not its manager)."""
    return access.in_scope(user, TRACING_VIEW, TracingCase.objects.select_related("unit"))


def tracing_get(user, pk) -> TracingCase:
    return access.get_in_scope(user, TRACING_VIEW, TracingCase.objects.select_related("unit"), pk)
