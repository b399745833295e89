"""The collection centre's results list through the shared import framework."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nhandao.blood.models import Donation, Donor
from nhandao.core.models import ImportBatch
from nhandao.office.imports import services as imports
from nhandao.people import services as people_services
from nhandao.people.models import Person

from .conftest import make_drive, register

pytestmark = pytest.mark.django_db

HEADER = "Số đợt hiến máu,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Điện thoại,Nhóm máu,Số túi máu,Loại,Thể tích (ml)\n"


def csv(drive, *lines) -> bytes:
    return (HEADER + "".join(f"{drive.pk}," + line + "\n" for line in lines)).encode()


def check(world, data, unit=None):
    return imports.import_check(
        actor=world.entry_a, kind="blood.results", unit=unit or world.commune_a, data=data, filename="kq.csv"
    )


def test_a_dry_run_reports_row_and_column_errors_and_writes_nothing(world, drive):
    data = (
        HEADER
        + f"{drive.pk},Nguyễn Văn An,01/02/1990,Nam,,0912111222,O+,VT-1,Máu toàn phần,300\n"
        + "99999,Trần Thị Bình,03/04/1992,Nữ,,0912111333,A+,VT-2,Máu toàn phần,350\n"
    ).encode()
    batch = check(world, data)
    assert batch.rows_invalid == 2
    messages = {(p["row"], p["message"]) for p in batch.report["problems"]}
    assert (2, "Thể tích máu toàn phần là 250, 350 hoặc 450 ml.") in messages
    assert (3, "Không có đợt hiến máu số 99999 trong đơn vị này.") in messages
    with pytest.raises(ValidationError):
        imports.import_commit(actor=world.entry_a, batch=batch)
    assert not Donation.objects.exists() and not Person.objects.exists()


def test_donors_are_matched_by_id_then_phone_then_name_and_birth_and_new_ones_created(world, drive):
    by_phone = people_services.person_create(
        actor=world.entry_a, unit=world.commune_a, full_name="Lê Văn Cường", phone="0912000333"
    )
    by_birth = people_services.person_create(
        actor=world.entry_a,
        unit=world.commune_a,
        full_name="Phạm Thị Dung",
        date_of_birth=dt.date(1993, 5, 6),
    )
    registered, _ = register(drive, name="Hoàng Văn Em", phone="0912000444", born=dt.date(1991, 1, 1))
    data = csv(
        drive,
        "Lê Văn Cường,,Nam,,0912 000 333,B+,VT-11,Máu toàn phần,350",
        "Phạm Thị Dung,06/05/1993,Nữ,,,,VT-12,Máu toàn phần,250",
        "Hoàng Văn Em,01/01/1991,Nam,,0912000444,O+,VT-13,Tiểu cầu,",
        "Đỗ Thị Giang,07/07/1997,Nữ,,0912000555,A+,VT-14,Máu toàn phần,350",
        "Đỗ Thị Giang,07/07/1997,Nữ,,0912000555,A+,VT-15,Huyết tương,",
    )
    batch = check(world, data)
    assert batch.rows_invalid == 0, batch.report["problems"]
    assert batch.report["summary"]["new_people"] == 1
    imports.import_commit(actor=world.entry_a, batch=batch)
    assert Donation.objects.get(bag_number="VT-11").donor.person == by_phone
    assert Donation.objects.get(bag_number="VT-12").donor.person == by_birth
    assert Donation.objects.get(bag_number="VT-13").donor == registered.donor
    giang = Donor.objects.get(person__full_name="Đỗ Thị Giang")
    assert giang.donation_count == 2 and giang.blood_group == "A+"
    assert Donor.objects.get(person=by_phone).blood_group == "B+"


def test_importing_the_same_file_twice_writes_nothing_new(world, drive):
    data = csv(drive, "Đỗ Thị Giang,07/07/1997,Nữ,,0912000555,A+,VT-14,Máu toàn phần,350")
    imports.import_commit(actor=world.entry_a, batch=check(world, data))
    again = check(world, data)
    assert again.rows_existing == 1 and again.rows_new == 0
    with pytest.raises(ValidationError, match="Không có dữ liệu mới"):
        imports.import_commit(actor=world.entry_a, batch=again)
    assert Donation.objects.count() == 1 and Person.objects.count() == 1


def test_a_bag_of_another_person_and_a_drive_of_another_unit_are_refused(world, drive):
    imports.import_commit(
        actor=world.entry_a,
        batch=check(world, csv(drive, "Đỗ Thị Giang,07/07/1997,Nữ,,0912000555,A+,VT-14,Máu toàn phần,350")),
    )
    other = make_drive(world, unit=world.commune_b)
    data = csv(drive, "Vũ Văn Hải,01/01/1990,Nam,,0912000666,,VT-14,Máu toàn phần,350") + (
        f"{other.pk},Vũ Văn Hải,01/01/1990,Nam,,0912000666,,VT-99,Máu toàn phần,350\n".encode()
    )
    batch = check(world, data)
    messages = [p["message"] for p in batch.report["problems"]]
    assert "Số túi máu VT-14 đã được ghi cho một người khác." in messages
    assert f"Không có đợt hiến máu số {other.pk} trong đơn vị này." in messages


def test_only_those_allowed_import_into_their_unit(world, drive):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.import_check(
            actor=world.user_b, kind="blood.results", unit=world.commune_a, data=csv(drive), filename="kq.csv"
        )
    assert not ImportBatch.objects.exists()
