import datetime as dt

import pytest
from django.template import Context, Template

from nhandao.core import formatting


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "0 ₫"),
        (5, "5 ₫"),
        (1000, "1.000 ₫"),
        (1250000, "1.250.000 ₫"),
        (-20000, "-20.000 ₫"),
        (135055960736, "135.055.960.736 ₫"),
    ],
)
def test_money_in_whole_dong(amount, shown):
    assert formatting.money(amount) == shown


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        formatting.money(1.5)


def test_numbers_use_dot_thousands():
    assert formatting.number(272000) == "272.000"


def test_dates_are_day_month_year():
    assert formatting.date(dt.date(2025, 6, 30)) == "30/06/2025"
    assert formatting.date(dt.date(2026, 2, 5)) == "05/02/2026"


def test_parse_date_accepts_vietnamese_order():
    assert formatting.parse_date("5/2/2026") == dt.date(2026, 2, 5)
    assert formatting.parse_date("30-06-2025") == dt.date(2025, 6, 30)
    with pytest.raises(ValueError):
        formatting.parse_date("2025/30/06")


def test_template_filters_are_builtin():
    out = Template("{{ a|money }}|{{ n|number }}|{{ d|vndate }}").render(
        Context({"a": 1250000, "n": 114, "d": dt.date(2025, 7, 1)})
    )
    assert out == "1.250.000 ₫|114|01/07/2025"


def test_money_filter_ignores_garbage():
    assert Template("{{ a|money }}").render(Context({"a": "abc"})) == ""
