import datetime as dt

from django.core.management import call_command

from nhandao.core.seeding import SeedContext
from nhandao.org.models import RoleAssignment, Unit, UnitKind, UnitSuccession
from nhandao.org.seed import _branch_specs


def test_seed_demo_builds_hai_phong(seeded_city, db, capsys):
    out = seeded_city.output
    city = Unit.objects.get(code="HP")
    assert city.name == "Hội Chữ thập đỏ thành phố Hải Phòng"
    communes = Unit.objects.active().filter(kind=UnitKind.COMMUNE, parent=city)
    assert communes.count() == 114
    assert communes.filter(ward__isnull=True).count() == 0
    assert communes.filter(ward__province_id="31").values("ward").distinct().count() == 114
    assert Unit.objects.active().filter(kind=UnitKind.BRANCH).count() >= 228
    # The former district society of Lê Chân, closed with its communes' successors.
    le_chan = Unit.objects.get(name="Hội Chữ thập đỏ quận Lê Chân")
    assert le_chan.valid_to == dt.date(2025, 6, 30)
    old_wards = le_chan.children.all()
    assert old_wards.count() >= 5 and all(w.valid_to == dt.date(2025, 6, 30) for w in old_wards)
    assert UnitSuccession.objects.filter(predecessor__in=old_wards).count() >= old_wards.count()
    new_le_chan = Unit.objects.get(name="Hội Chữ thập đỏ phường Lê Chân", valid_to__isnull=True)
    assert UnitSuccession.objects.filter(successor=new_le_chan).exists()
    # One demo login per role, printed.
    assert set(RoleAssignment.objects.values_list("role", flat=True)) >= {
        "city_admin",
        "unit_manager",
        "data_entry",
        "finance_officer",
        "finance_approver",
        "viewer",
        "inspector",
        "agency_reporter",
    }
    assert "quanly.lechan" in out and "nhandao-demo" in out
    # Running again changes nothing.
    count = Unit.objects.count()
    call_command("seed_demo", "--scale", "small")
    assert Unit.objects.count() == count
    assert "bỏ qua" in capsys.readouterr().out


def test_generated_names_are_deterministic_for_a_seed(geo):
    from nhandao.geo.models import Ward

    ward = Ward.objects.get(province_id="31", name="Xã An Hưng")
    a = _branch_specs(SeedContext("small", 7, None).sub_rng("org"), ward, 8)
    b = _branch_specs(SeedContext("small", 7, None).sub_rng("org"), ward, 8)
    c = _branch_specs(SeedContext("small", 8, None).sub_rng("org"), ward, 8)
    assert a == b
    assert a != c
