"""Importing people from real, messy spreadsheets: dry run, report, one transaction, idempotent."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.models import AuditEvent, ImportBatch
from nhandao.office.imports import services as imports
from nhandao.people.importers import PersonImporter
from nhandao.people.models import Person, PersonRole

from .helpers import person, xlsx

HEADER = ["HO VA TEN", "ngày sinh", "Giới Tính", "Số CCCD/CMND", "SĐT", "Địa chỉ", "Vai trò", "Chi hội"]


def messy_file() -> bytes:
    return xlsx(
        [
            [
                "NGUYỄN THỊ MINH ANH",
                "05/03/1962",
                "nữ",
                "031162000123",
                "0912 345 678",
                "Số 12 Lạch Tray, Phường Hàng Kênh, Quận Lê Chân",
                "Hội viên, TNV",
                "Tổ dân phố số 1",
            ],
            ["trần văn bình", "5/3/62", "Nam", "", "+84 987.654.321", "Phường Lê Chân", "HV", ""],
            [None, None, None, None, None, None, None, None],
            ["Lê Thị Cúc", 1958, "Nữ", "", "84912000333", "Phường Cát Dài, Quận Lê Chân", "", ""],
            ["Phạm Đức Dũng", 33000, "Nam", 31090000456, "912000444", "Xã An Hưng", "Cộng tác viên", ""],
        ],
        header=HEADER,
    )


def check(user, world, data, unit=None, name="danh-sach.xlsx"):
    return imports.import_check(
        actor=user, kind=PersonImporter.key, unit=unit or world.commune_a, data=data, filename=name
    )


def test_the_dry_run_reports_and_writes_nothing(world):
    batch = check(world.entry_a, world, messy_file())
    assert batch.status == ImportBatch.Status.CHECKED, batch.message
    assert (batch.rows_total, batch.rows_valid, batch.rows_new) == (4, 4, 4)
    assert not Person.objects.exists()
    problems = {(p["row"], p["column"]): p for p in batch.report["problems"]}
    # The old address without a single successor is flagged, not guessed.
    cat_dai = problems[(5, "Xã, phường")]
    assert cat_dai["level"] == "warning" and "Cát Dài" in cat_dai["message"]


def test_committing_creates_people_roles_and_audit_in_one_go(world):
    batch = check(world.entry_a, world, messy_file())
    imports.import_commit(actor=world.entry_a, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and batch.content is None
    anh = Person.objects.get(full_name="Nguyễn Thị Minh Anh")
    assert (
        anh.date_of_birth == dt.date(1962, 3, 5) and anh.phone == "0912345678" and anh.cccd == "031162000123"
    )
    assert anh.unit == world.branch_a  # the chi hội named in the row
    assert anh.ward.name == "Phường Lê Chân"  # Hàng Kênh (Lê Chân district) is now phường Lê Chân
    assert anh.address_detail == "Số 12 Lạch Tray"
    assert set(anh.roles.values_list("kind", flat=True)) == {"member", "volunteer"}
    assert anh.roles.get(kind="member").card_token
    binh = Person.objects.get(full_name="Trần Văn Bình")
    assert binh.date_of_birth == dt.date(1962, 3, 5) and binh.phone == "0987654321"
    cuc = Person.objects.get(full_name="Lê Thị Cúc")
    assert cuc.birth_year == 1958 and cuc.date_of_birth is None and cuc.ward is None
    assert "Cát Dài" in cuc.address_detail
    dung = Person.objects.get(full_name="Phạm Đức Dũng")
    assert (
        dung.date_of_birth == dt.date(1990, 5, 7)
        and dung.cccd == "031090000456"
        and dung.phone == "0912000444"
    )
    assert AuditEvent.objects.filter(action="people.person.created", data__import_batch=batch.pk).count() == 4
    assert AuditEvent.objects.filter(action="core.import.committed", object_id=str(batch.pk)).exists()


def test_reimporting_the_same_file_creates_nothing_new(world):
    # One file, uploaded twice (building it twice would stamp two different
    # modification times into the workbook, i.e. two different files).
    data = messy_file()
    first = check(world.entry_a, world, data)
    imports.import_commit(actor=world.entry_a, batch=first)
    again = check(world.entry_a, world, data)
    assert again.rows_new == 0 and again.rows_existing == 4
    assert "đã được nhập" in again.message
    assert not again.can_commit
    with pytest.raises(ValidationError):
        imports.import_commit(actor=world.entry_a, batch=again)
    assert Person.objects.count() == 4 and PersonRole.objects.count() == 5


def test_a_row_matching_an_existing_person_adds_only_the_missing_role(world):
    existing = person(
        world.commune_a,
        "Nguyễn Thị Minh Anh",
        cccd="031162000123",
        sex="F",
        date_of_birth=dt.date(1962, 3, 5),
    )
    batch = check(
        world.entry_a,
        world,
        xlsx([["Nguyễn Thị Minh Anh", "031162000123", "TNV"]], header=["Họ và tên", "CCCD", "Vai trò"]),
    )
    assert batch.rows_existing == 1 and batch.report["changes"] == 1
    imports.import_commit(actor=world.entry_a, batch=batch)
    assert Person.objects.count() == 1
    assert set(existing.roles.values_list("kind", flat=True)) == {"member", "volunteer"}


BAD = [
    ["Hoàng Văn Em", "12/08/1985", "Nam", "031185000999", "0912000555", "", "", ""],  # CCCD says a woman
    ["Đỗ Thị Gấm", "31/02/1990", "Nữ", "", "0912000666", "", "", ""],  # no 31 February
    ["Vũ Văn Hải", "1991", "Nam", "", "12345", "", "", ""],  # bad phone
    ["Ngô Thị Ích", "1970", "Nữ", "", "0912000777", "", "", "Chi hội không có"],  # unknown branch
    ["Ngô Thị Ích", "1970", "Nữ", "", "0912000777", "", "", ""],  # same as the row above
    ["Bùi Văn Khoa", "01/01/1980", "Nam", "", "0912000888", "", "", ""],  # fine
]


def test_every_bad_row_is_reported_by_row_and_column_in_vietnamese(world):
    batch = check(world.entry_a, world, xlsx(BAD, header=HEADER))
    by_row = {}
    for p in batch.report["problems"]:
        by_row.setdefault(p["row"], []).append(p)
    assert "giới tính ghi là nam" in by_row[2][0]["message"] and by_row[2][0]["column"] == "Số CCCD"
    assert by_row[2][0]["value"] == "0311••••••99"  # ID numbers are masked in reports
    assert "không có thật" in by_row[3][0]["message"] and by_row[3][0]["cell"] == "B3"
    assert "Số điện thoại" in by_row[4][0]["message"]
    assert "Không có chi hội “Chi hội không có”" in by_row[5][0]["message"]
    assert "Trùng với dòng 5" in by_row[6][0]["message"]
    assert batch.rows_invalid == 5 and batch.rows_valid == 1


def test_a_file_with_errors_is_not_committed_unless_the_user_skips_the_bad_rows(world):
    batch = check(world.entry_a, world, xlsx(BAD, header=HEADER))
    with pytest.raises(ValidationError) as exc:
        imports.import_commit(actor=world.entry_a, batch=batch)
    assert "5 dòng lỗi" in exc.value.messages[0]
    assert not Person.objects.exists()
    imports.import_commit(actor=world.entry_a, batch=batch, skip_errors=True)
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Bùi Văn Khoa"]


def test_the_commit_is_all_or_nothing(world, monkeypatch):
    batch = check(world.entry_a, world, messy_file())
    original = PersonImporter.commit

    def failing(self, rows, batch):
        original(self, rows, batch)
        raise RuntimeError("disk full")

    monkeypatch.setattr(PersonImporter, "commit", failing)
    # The commit runs as a background job: the failure is the job's, told in Vietnamese.
    with pytest.raises(ValidationError, match="Lỗi hệ thống"):
        imports.import_commit(actor=world.entry_a, batch=batch)
    assert not Person.objects.exists() and not PersonRole.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.CHECKED


def test_a_user_of_commune_b_cannot_import_into_commune_a(world):
    with pytest.raises(PermissionDenied):
        check(world.user_b, world, messy_file())
    assert not ImportBatch.objects.exists()


def test_viewers_and_inspectors_cannot_import(world):
    for user in (world.viewer_a, world.inspector_a):
        with pytest.raises(PermissionDenied):
            check(user, world, messy_file())


def test_a_cccd_kept_by_another_commune_is_an_error_without_details(world):
    person(world.commune_b, "Lý Thị Mai", cccd="031162000123", sex="F", date_of_birth=dt.date(1962, 3, 5))
    batch = check(world.entry_a, world, xlsx([["Lý Thị Mai", "031162000123"]], header=["Họ và tên", "CCCD"]))
    message = batch.report["problems"][0]["message"]
    assert "đơn vị khác quản lý" in message and "Ngô Quyền" not in message


def test_a_similar_existing_person_is_flagged_as_a_likely_duplicate(world):
    earlier = person(world.commune_a, "Trịnh Văn Lâm", date_of_birth=dt.date(1975, 6, 1), phone="0912000999")
    batch = check(
        world.entry_a,
        world,
        xlsx(
            [["Trịnh Văn Lâm", "01/06/1975", "0987000999"]], header=["Họ và tên", "Ngày sinh", "Điện thoại"]
        ),
    )
    assert batch.rows_new == 1
    warning = batch.report["problems"][0]
    assert warning["level"] == "warning" and str(earlier.pk) in warning["message"]


def test_ages_are_checked_against_the_roles(world):
    young = dt.date.today().replace(year=dt.date.today().year - 14).strftime("%d/%m/%Y")
    batch = check(
        world.entry_a,
        world,
        xlsx([["Mai Văn Nhỏ", young, "TNV"]], header=["Họ và tên", "Ngày sinh", "Vai trò"]),
    )
    assert "18 tuổi" in batch.report["problems"][0]["message"]


def test_a_csv_with_bom_imports_like_excel(world):
    text = "\ufeffHọ và tên,Ngày sinh,Điện thoại\r\nĐINH THỊ OANH,02/02/1988,0912 111 222\r\n"
    batch = check(world.entry_a, world, text.encode("utf-8"), name="ds.csv")
    imports.import_commit(actor=world.entry_a, batch=batch)
    assert Person.objects.get().full_name == "Đinh Thị Oanh"


def test_a_refused_file_is_recorded_with_its_reason(world):
    batch = check(world.entry_a, world, b"%PDF-1.7 scanned list", name="ds.pdf")
    assert batch.status == ImportBatch.Status.REFUSED and "PDF" in batch.message
    assert batch.content is None
    assert AuditEvent.objects.filter(action="core.import.refused").exists()
