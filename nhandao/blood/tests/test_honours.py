"""Honours: who reached a band in a year, the XLSX for the ceremony (audited), in scope only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from nhandao.blood import selectors
from nhandao.blood.models import Donation, Donor
from nhandao.core.models import AuditEvent
from nhandao.people.models import Person

pytestmark = pytest.mark.django_db


def donor_with(world, unit, name, days: list[dt.date]) -> Donor:
    person = Person(full_name=name, unit=unit, sex="M", date_of_birth=dt.date(1980, 1, 1))
    person.refresh_keys()
    person.save()
    donor = Donor.objects.create(person=person, unit=unit, blood_group="O+")
    for i, day in enumerate(days):
        Donation.objects.create(
            donor=donor,
            unit=unit,
            donated_on=day,
            kind="whole",
            volume_ml=350,
            bag_number=f"{name[:3]}{day}{i}",
        )
    return donor


def test_a_band_is_reached_in_the_year_the_count_crosses_it(world):
    days = [dt.date(2021 + i // 3, 1 + 4 * (i % 3), 5) for i in range(10)]  # 3 a year: 2021..2024
    donor = donor_with(world, world.commune_a, "Ngô Văn Mười", days)
    first = donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 6, 1)])
    assert [(h.donor, h.band) for h in selectors.honours(world.manager_a, 2022)] == [(donor, 5)]
    found = {(h.donor, h.band) for h in selectors.honours(world.manager_a, 2024)}
    assert found == {(donor, 10), (first, 1)}
    assert selectors.honours(world.manager_a, 2023) == []
    assert selectors.honours(world.manager_b, 2024) == []


def test_the_honours_xlsx_is_audited_and_only_for_exporters(world):
    donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 6, 1)])
    url = reverse("blood:honours")
    assert world.client(world.viewer_a).get(url, {"nam": 2024, "dinh-dang": "xlsx"}).status_code == 403
    response = world.client(world.manager_a).get(url, {"nam": 2024, "dinh-dang": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "Lý Thị Một" in cells
    assert AuditEvent.objects.filter(action="core.export", object_type="blood.honours").exists()
    page = world.client(world.viewer_a).get(url, {"nam": 2024}).content.decode()
    assert "Lý Thị Một" in page
    assert "Lý Thị Một" not in world.client(world.manager_b).get(url, {"nam": 2024}).content.decode()


def test_statistics_count_units_new_and_repeat_deferrals_and_groups_in_scope(
    world, django_assert_max_num_queries
):
    from nhandao.blood.models import Deferral

    donor_with(
        world,
        world.commune_a,
        "Ngô Văn Mười",
        [dt.date(2023, 5, 1), dt.date(2024, 3, 1), dt.date(2024, 7, 1)],
    )
    donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 3, 9)])
    donor_with(world, world.commune_b, "Ở Nơi Khác", [dt.date(2024, 3, 9)])
    donor = Donor.objects.get(person__full_name="Lý Thị Một")
    for i in range(6):
        Deferral.objects.create(
            donor=donor, unit=world.commune_a, on=dt.date(2024, 2, 1 + i), reason="Huyết áp cao"
        )
    Deferral.objects.create(donor=donor, unit=world.commune_a, on=dt.date(2024, 2, 20), reason="Hiếm gặp Zqx")
    stats = selectors.statistics(world.manager_a, 2024)
    march = stats.months[2]
    assert (march["units"], march["new"], march["repeat"]) == (2, 1, 1)
    assert stats.total == 3 and stats.deferrals == 7
    assert stats.reasons == [("Huyết áp cao", 6), ("", 1)]  # the single reason is grouped
    assert stats.groups == [("O+", 2)]
    client = world.client(world.viewer_a)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("blood:statistics"), {"nam": 2024}).content.decode()
    assert "Hiếm gặp Zqx" not in page and "Huyết áp cao" in page


def test_targets_are_set_by_the_city_and_results_roll_up_the_tree(world):
    from django.core.exceptions import PermissionDenied

    from nhandao.blood import services

    donor_with(world, world.branch_a, "Ngô Văn Mười", [dt.date(2024, 3, 1), dt.date(2024, 7, 1)])
    with pytest.raises(PermissionDenied):
        services.target_set(actor=world.manager_a, unit=world.commune_a, year=2024, units=10)
    response = world.client(world.city_admin).post(
        reverse("blood:target_set"), {"nam": 2024, "unit": world.commune_a.pk, "units": 10}
    )
    assert response.status_code == 302
    rows = selectors.targets(world.viewer_a, 2024)
    assert [(r["unit"], r["target"], r["done"], r["percent"]) for r in rows] == [(world.commune_a, 10, 2, 20)]
    assert selectors.targets(world.manager_b, 2024) == []


def test_the_honours_docx_is_in_the_decree_30_layout_audited_and_scoped(world):
    from docx import Document

    donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 6, 1)])
    donor_with(world, world.commune_b, "Ở Nơi Khác", [dt.date(2024, 6, 1)])
    url = reverse("blood:honours")
    assert world.client(world.viewer_a).get(url, {"nam": 2024, "dinh-dang": "docx"}).status_code == 403
    response = world.client(world.manager_a).get(url, {"nam": 2024, "dinh-dang": "docx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    head = "\n".join(cells[:2])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in head
    # The unit's name too long for one line of its column: two balanced lines, no lone word.
    assert "HỘI CHỮ THẬP ĐỎ\nPHƯỜNG LÊ CHÂN\n" in head
    assert "DANH SÁCH" in text and "1. Hiến máu lần đầu (1 người)" in text
    assert "Lý Thị Một" in cells and "1980" in cells and "Ở Nơi Khác" not in cells
    event = AuditEvent.objects.get(action="core.export", object_type="blood.honours")
    assert event.data["format"] == "docx" and event.data["rows"] == 1


def test_awarding_writes_the_awards_register_once_and_only_in_scope(world):
    from nhandao.people.models import Award

    days = [dt.date(2024, 1 + i, 5) for i in range(5)]
    five = donor_with(world, world.commune_a, "Ngô Văn Năm", days)
    donor_with(world, world.commune_b, "Ở Nơi Khác", [dt.date(2024, 6, 1)])
    url = reverse("blood:honours")
    form = {"nam": 2024, "awarded_on": "01/12/2026", "level": "city", "decision_number": "12/QĐ-BCĐ"}
    form["unit"] = world.commune_a.pk
    assert world.client(world.viewer_a).post(url, form).status_code == 403
    assert world.client(world.manager_b).post(url, form).status_code == 403  # another unit's honours
    response = world.client(world.manager_a).post(url, form)
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.person, award.title, award.decision_number) == (
        five.person,
        "Hiến máu tình nguyện 5 lần",
        "12/QĐ-BCĐ",
    )
    assert AuditEvent.objects.filter(action="people.award.added").count() == 1
    world.client(world.manager_a).post(url, form)  # again: nothing new
    assert Award.objects.count() == 1


def test_awarding_with_a_date_in_the_future_writes_nothing(world):
    from nhandao.blood import services
    from nhandao.people.models import Award

    donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 6, 1)])
    with pytest.raises(ValidationError):
        services.honours_award(actor=world.manager_a, year=2024, awarded_on=dt.date(2999, 1, 1), level="city")
    assert not Award.objects.exists()


def test_the_blood_indicators_are_registered_and_count_the_subtree(world):
    from nhandao.blood.models import Deferral, Target
    from nhandao.core import indicators

    donor_with(world, world.branch_a, "Ngô Văn Mười", [dt.date(2023, 5, 1), dt.date(2024, 3, 1)])
    donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 3, 9)])
    donor_with(world, world.commune_b, "Ở Nơi Khác", [dt.date(2024, 3, 9)])
    Deferral.objects.create(
        donor=Donor.objects.get(person__full_name="Lý Thị Một"),
        unit=world.commune_a,
        on=dt.date(2024, 4, 1),
        reason="x",
    )
    Target.objects.create(unit=world.commune_a, year=2024, units=40)
    values = indicators.compute_all(world.commune_a, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert values["blood.units"] == 2 and values["blood.units_target"] == 40
    assert values["blood.donors_new"] == 1 and values["blood.donors_repeat"] == 1
    assert values["blood.deferrals"] == 1 and values["blood.deferral_rate"] == 33
    assert values["blood.group_o"] == 2 and values["blood.group_a"] == 0
    assert indicators.get("blood.units").area == "4"


def test_the_statistics_page_draws_svg_charts_without_inline_style(world):
    donor_with(world, world.commune_a, "Lý Thị Một", [dt.date(2024, 6, 1)])
    page = world.client(world.viewer_a).get(reverse("blood:statistics"), {"nam": 2024}).content.decode()
    assert page.count('<svg class="chart"') >= 2
    assert "style=" not in page.split("<main", 1)[-1]
    assert 'class="repeat"' in page and 'class="new"' in page


def test_targets_round_trip_through_excel_for_the_city_only(world):
    from openpyxl import Workbook

    from nhandao.blood.models import Target
    from nhandao.office.imports import services as imports

    response = world.client(world.city_admin).get(
        reverse("blood:statistics"), {"nam": 2026, "dinh-dang": "xlsx"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    header = next(r for r in rows if r and r[0] == "Mã đơn vị")
    assert header[:4] == ["Mã đơn vị", "Đơn vị", "Năm", "Chỉ tiêu (đơn vị máu)"]
    assert any(r[0] == world.commune_a.code for r in rows)
    out = Workbook()
    out.active.append(header[:4])
    out.active.append([world.commune_a.code, world.commune_a.name, 2026, 120])
    data = io.BytesIO()
    out.save(data)

    def run(actor):
        return imports.import_check(
            actor=actor, kind="blood.targets", unit=world.city, data=data.getvalue(), filename="chi-tieu.xlsx"
        )

    batch = run(world.city_admin)
    assert batch.rows_invalid == 0
    imports.import_commit(actor=world.city_admin, batch=batch)
    assert Target.objects.get(unit=world.commune_a, year=2026).units == 120
    assert AuditEvent.objects.filter(action="blood.target.set").count() == 1
    assert run(world.city_admin).report["changes"] == 0  # the same file again: nothing new
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(world.manager_a)
