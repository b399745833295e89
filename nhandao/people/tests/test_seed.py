"""Demo people: realistic, consistent, deterministic; the counters see them."""

from nhandao.people import identity, selectors
from nhandao.people.models import Person, PersonRole


def test_seed_demo_builds_people_whose_ids_agree_with_birth_and_sex(seeded_city, db):
    # The registry's people (donors registered by the fund module may live anywhere).
    people = list(Person.objects.filter(roles__isnull=False).distinct().select_related("ward", "unit"))
    assert len(people) >= 2000
    with_cccd = [p for p in people if p.cccd]
    assert len(with_cccd) > len(people) * 0.7
    for p in with_cccd:
        assert (
            identity.cccd_problems(p.cccd, sex=p.sex, birth_year=p.birth_year, date_of_birth=p.date_of_birth)
            == []
        )
    assert all(p.ward and p.ward.province_id == "31" for p in people)
    assert all(len(p.phone) == 10 for p in people if p.phone)
    assert {"member", "volunteer", "staff", "youth"} <= set(PersonRole.objects.values_list("kind", flat=True))
    # Counters see them, rolled up to the city.
    from nhandao.org.models import Unit

    stats = selectors.subtree_stats(Unit.objects.get(code="HP"))
    assert stats["members"] == PersonRole.objects.filter(kind="member", status="active").count()
    assert stats["clubs"] > 0
