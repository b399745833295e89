"""Old addresses of communes merged before the 30/06/2025 snapshot."""

import datetime as dt

from nhandao.geo import history
from nhandao.geo.selectors import resolve_address


def test_the_issue_example_is_flagged_with_its_candidates_not_guessed(geo):
    match = resolve_address("Phường Cát Dài, Quận Lê Chân")
    assert not match.ok
    assert {w.name for w in match.candidates} == {"Phường Lê Chân", "Phường An Biên"}
    assert "01/01/2025" in match.problem and "1232/NQ-UBTVQH15" in match.problem


def test_abbreviations_and_missing_districts_still_find_the_old_commune(geo):
    assert "Cát Dài" in resolve_address("P. Cát Dài").problem
    assert "Cát Dài" in resolve_address("phuong cat dai, q. le chan").problem


def test_a_known_successor_maps_the_old_address_unambiguously(geo, monkeypatch):
    change = history.EarlierChange(
        "31", "Phường Trại Cau", "Quận Lê Chân", dt.date(2025, 1, 1), "test", successors=("Phường Hàng Kênh",)
    )
    monkeypatch.setattr(
        history,
        "EARLIER_CHANGES",
        [c for c in history.EARLIER_CHANGES if c.name != "Phường Trại Cau"] + [change],
    )
    match = resolve_address("Phường Trại Cau, Quận Lê Chân")
    assert match.ok and match.ward.name == "Phường Lê Chân"
    assert "nay thuộc Phường Lê Chân" in match.note


def test_the_snapshot_mapping_still_wins_for_communes_that_existed_on_30_06_2025(geo):
    match = resolve_address("Phường Hàng Kênh, Quận Lê Chân")
    assert match.ok and match.ward.name == "Phường Lê Chân" and match.legacy is not None


def test_every_entry_names_a_real_former_district(geo):
    from nhandao.core.text import normalize
    from nhandao.geo.models import LegacyDistrict

    districts = set(LegacyDistrict.objects.filter(province_id="31").values_list("search_key", flat=True))
    for change in history.EARLIER_CHANGES:
        assert normalize(change.district) in districts, change
        assert change.verified is False or change.successors
