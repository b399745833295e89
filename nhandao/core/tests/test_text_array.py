"""core.bulk.text_array: many strings sent as one parameter and split by the server, or as a
list when a value would not survive the split."""

import pytest
from django.db import connection

from nhandao.core import bulk

VALUES = [
    ["fp:0a1b", "ref:FT24250123456789:C", "ref:FT24250123456789:C#2"],
    ["", "a", ""],
    ["x"],
    [""],  # one empty string: a split of "" gives no element, so it goes as a list
    ["has\x1fseparator", "b"],  # the separator inside a value: as a list
    ["Nguyễn Văn An", "đồng bào, bão số 3"],
]


@pytest.mark.parametrize("values", VALUES)
def test_the_form_chosen(values):
    sql, param = bulk.text_array(values)
    if values in ([""], ["has\x1fseparator", "b"]):
        assert (sql, param) == ("%s::text[]", values)
    else:
        assert sql == "string_to_array(%s, chr(31))" and param == "\x1f".join(values)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="fetch_all is PostgreSQL's")
@pytest.mark.parametrize("values", VALUES)
def test_the_server_gets_exactly_the_values_in_order(values):
    sql, param = bulk.text_array(values)
    rows = bulk.fetch_all(f"SELECT v, n FROM unnest({sql}) WITH ORDINALITY AS t(v, n) ORDER BY n", [param])
    assert [v for v, _n in rows] == values
