"""How another module shows a case: the label of a Case and of its facts read as plain rows agree."""

from __future__ import annotations

from nhandao.beneficiaries import api
from nhandao.beneficiaries.models import Case

from .helpers import make_case


def test_labels_from_plain_rows_follow_the_same_rule_as_labels_from_cases(world):
    cases = [
        make_case(world.commune_a, "Lê Thị Chung", consent=False),
        make_case(world.commune_b, "Ngô Văn Quyền", consent=False),
        make_case(world.commune_b, "Ngô Thị Đồng Ý", consent=True),
    ]
    queryset = Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk")
    for user in (world.entry_a, world.city_admin, world.manager_b):
        from_cases = api.case_labels(user, queryset.select_related("head", "unit", "commune"))
        rows = queryset.values_list(*api.case_fact_fields())
        from_rows = api.case_labels_of_facts(user, (api.CaseFacts(*row) for row in rows))
        assert from_rows == from_cases
        for case in cases:
            assert from_rows[case.pk].number == case.number
            if from_rows[case.pk].url:
                assert from_rows[case.pk].url == case.get_absolute_url()
    # The commune's own officer sees its household's name but not another commune's without consent.
    labels = api.case_labels(world.entry_a, queryset.select_related("head", "unit", "commune"))
    assert labels[cases[0].pk].name == "Lê Thị Chung"
    assert labels[cases[1].pk].name == "" and labels[cases[1].pk].url == ""
