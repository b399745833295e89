"""Pages read by ids first (core.pagination.rows_by_ids) are the pages a plain slice gives."""

import pytest
from django.test import RequestFactory

from nhandao.core.models import AuditEvent
from nhandao.core.pagination import paginate, rows_by_ids


@pytest.fixture
def events(db):
    AuditEvent.objects.bulk_create(
        AuditEvent(action="x", object_type="t", object_id=str(i), object_repr=f"r{i % 7}") for i in range(123)
    )
    return AuditEvent.objects.filter(object_type="t").order_by("object_repr", "-id")


@pytest.mark.parametrize("page", ["1", "2", "3", "99", "x"])
def test_each_page_is_the_slice_a_plain_paginator_gives(events, page, django_assert_num_queries):
    request = RequestFactory().get("/", {"page": page})
    plain = paginate(request, events, per_page=50, cap=2000)
    with django_assert_num_queries(3):  # the capped count, the page's ids, its rows
        first = paginate(request, events, per_page=50, cap=2000, ids_first=True)
        rows = list(first.object_list)
    assert [e.pk for e in rows] == [e.pk for e in plain.object_list]
    assert first.number == plain.number and first.paginator.count == plain.paginator.count == 123


def test_rows_keep_the_querysets_columns_and_order(events):
    rows = rows_by_ids(events.only("id", "object_repr"), 10, 20)
    assert [e.pk for e in rows] == [e.pk for e in list(events)[10:20]]
    assert all("action" in e.get_deferred_fields() for e in rows)
    assert rows_by_ids(events, 500, 550) == []
