"""Importing the poor-household list a commune issues, as it really looks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nhandao.beneficiaries.models import Case, CaseCategory, Member
from nhandao.core.models import ImportBatch
from nhandao.office.imports import services as import_services
from nhandao.people.models import Person
from nhandao.people.tests.helpers import person as registry_person

from .helpers import make_case, xlsx

TITLE = [
    ["ỦY BAN NHÂN DÂN", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["PHƯỜNG LÊ CHÂN", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
    [None, None, None, None, None, "Lê Chân, ngày 20 tháng 12 năm 2025"],
    ["DANH SÁCH HỘ NGHÈO NĂM 2026"],
    ["(Kèm theo Quyết định số 245/QĐ-UBND ngày 20/12/2025 của UBND phường Lê Chân)"],
    [],
]
HEADER = [
    "STT",
    "Họ và tên chủ hộ",
    "Quan hệ với chủ hộ",
    "Năm sinh",
    "Giới tính",
    "Số CCCD",
    "Thôn, tổ dân phố",
    "Số nhân khẩu",
    "Đối tượng",
    "SĐT",
    "Ghi chú",
]


def poor_list(extra_rows=()) -> bytes:
    rows = [
        [
            1,
            "NGUYỄN VĂN HÙNG",
            "Chủ hộ",
            1958,
            "Nam",
            "031058000123",
            "Tổ dân phố số 3",
            4,
            "Người có công",
            "0912 345 678",
            "",
        ],
        [None, "Trần Thị Lan", "Vợ", 1960, "Nữ", None, None, None, None, None, None],
        [None, "nguyễn văn an", "con", "05/09/2012", "nam", None, None, None, "trẻ mồ côi", None, None],
        # Excel dropped the CCCD's leading zero; "CH" for chủ hộ; two more categories, one needing a paper.
        [
            2,
            "lê thị mai",
            "CH",
            "15/3/1975",
            "nữ",
            31175000456,
            "TDP số 5",
            2,
            "BTXH; cao tuổi cô đơn",
            "84 987 654 321",
            "",
        ],
        [3, "Phạm Văn Sai", "Chủ hộ", "31/02/1980", "Nam", None, "Tổ 7", 3, None, None, None],
        [
            4,
            "Đỗ Văn Tư",
            None,
            1970,
            "Nam",
            "031070000999",
            "Số 3 Lạch Tray, Phường Ngô Quyền",
            1,
            None,
            None,
            None,
        ],
        [None, "Đỗ Thị Con", "Con", 2001, "Nữ", None, None, None, None, None, None],
        [
            5,
            "Vũ Thị Năm",
            None,
            1949,
            "Nữ",
            None,
            "Số 12, Phường Hàng Kênh, Quận Lê Chân",
            1,
            None,
            None,
            None,
        ],
        *extra_rows,
    ]
    return xlsx(rows, title_rows=TITLE, header=HEADER)


def check(world, data, user=None, name="ds-ho-ngheo-2026.xlsx"):
    return import_services.import_check(
        actor=user or world.entry_a,
        kind="beneficiaries.household",
        unit=world.commune_a,
        data=data,
        filename=name,
    )


def problems(batch):
    return [(p["row"], p["column"], p["message"], p["level"]) for p in batch.report["problems"]]


def test_the_dry_run_reads_the_title_and_lists_every_problem_by_row(world):
    batch = check(world, poor_list())
    assert batch.status == "checked", batch.message
    report = batch.report
    assert report["header_row"] == 7 and "DANH SÁCH HỘ NGHÈO NĂM 2026" in report["title"]
    found = problems(batch)
    assert (12, "Năm sinh", "Ngày “31/02/1980” không có thật.", "error") in found
    bad_ward = [p for p in found if p[0] == 13]
    assert (
        bad_ward
        and bad_ward[0][1] == "Xã, phường"
        and "không thuộc Hội Chữ thập đỏ phường Lê Chân" in bad_ward[0][2]
    )
    # The member of a refused household is refused with it, pointing at the head's row.
    assert any(p[0] == 14 and "Dòng chủ hộ (dòng 13) có lỗi" in p[2] for p in found)
    # A category that needs a paper the list does not give is a warning, not an error.
    assert any(p[0] == 11 and p[3] == "warning" and "Đối tượng bảo trợ xã hội" in p[2] for p in found)
    assert report["rows_total"] == 8 and report["rows_invalid"] == 3
    assert report["summary"]["Hộ mới"] == 3 and report["summary"]["Thành viên sẽ thêm"] == 2
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    # The CCCD is masked in the report.
    assert not any("031175000456" in str(p["value"]) for p in report["problems"])


def test_errors_refuse_the_whole_file_unless_skipped(world):
    batch = check(world, poor_list())
    with pytest.raises(ValidationError, match="3 dòng lỗi"):
        import_services.import_commit(actor=world.entry_a, batch=batch)
    assert Case.objects.count() == 0
    import_services.import_commit(actor=world.entry_a, batch=batch, skip_errors=True)
    assert Case.objects.count() == 3


def test_the_committed_households_carry_the_lists_year_decision_members_and_categories(world):
    volunteer = registry_person(
        world.branch_a,
        "Lê Thị Mai",
        role="volunteer",
        cccd="031175000456",
        sex="F",
        date_of_birth=dt.date(1975, 3, 15),
    )
    batch = check(world, poor_list())
    import_services.import_commit(actor=world.entry_a, batch=batch, skip_errors=True)
    hung = Case.objects.get(head__full_name="Nguyễn Văn Hùng")
    assert hung.status == "proposed" and hung.household_size == 4 and hung.phone == "0912345678"
    assert hung.address_detail == "Tổ dân phố số 3" and hung.ward == world.commune_a.ward
    assert set(Member.objects.filter(case=hung).values_list("person__full_name", "relationship")) == {
        ("Nguyễn Văn Hùng", "head"),
        ("Trần Thị Lan", "spouse"),
        ("Nguyễn Văn An", "child"),
    }
    poor = CaseCategory.objects.get(case=hung, category__code="ho-ngheo")
    assert (poor.evidence_number, poor.evidence_year, poor.valid_to) == (
        "245/QĐ-UBND",
        2026,
        dt.date(2026, 12, 31),
    )
    assert (
        CaseCategory.objects.get(case=hung, category__code="tre-mo-coi").person.full_name == "Nguyễn Văn An"
    )
    # The same human as the registry's volunteer: no second record.
    mai = Case.objects.get(head=volunteer)
    assert set(mai.categories.values_list("category__code", flat=True)) == {"ho-ngheo", "cao-tuoi-co-don"}
    assert Person.objects.filter(cccd="031175000456").count() == 1
    # An old address (before the 2025 merger) lands in today's ward.
    assert Case.objects.get(head__full_name="Vũ Thị Năm").ward == world.commune_a.ward
    assert ImportBatch.objects.get(pk=batch.pk).result["created"] == 3


def test_importing_the_same_file_again_creates_nothing(world):
    # The same bytes (openpyxl stamps the time into a workbook, so build it once).
    data = poor_list()
    import_services.import_commit(actor=world.entry_a, batch=check(world, data), skip_errors=True)
    counts = (
        Case.objects.count(),
        Person.objects.count(),
        CaseCategory.objects.count(),
        Member.objects.count(),
    )
    again = check(world, data)
    assert again.report["rows_new"] == 0 and again.report["changes"] == 0
    assert "đã được nhập" in again.message
    with pytest.raises(ValidationError, match="Không có dữ liệu mới"):
        import_services.import_commit(actor=world.entry_a, batch=again, skip_errors=True)
    assert (
        Case.objects.count(),
        Person.objects.count(),
        CaseCategory.objects.count(),
        Member.objects.count(),
    ) == counts


def test_next_years_list_adds_the_new_year_to_the_same_households(world):
    import_services.import_commit(actor=world.entry_a, batch=check(world, poor_list()), skip_errors=True)
    data = xlsx(
        [
            [
                1,
                "Nguyễn Văn Hùng",
                "Chủ hộ",
                1958,
                "Nam",
                "031058000123",
                "Tổ dân phố số 3",
                4,
                None,
                None,
                None,
            ]
        ],
        title_rows=[["DANH SÁCH HỘ CẬN NGHÈO NĂM 2027"], ["Kèm theo Quyết định số 12/QĐ-UBND"]],
        header=HEADER,
    )
    batch = check(world, data, name="can-ngheo-2027.xlsx")
    assert batch.report["rows_existing"] == 1 and batch.report["changes"] == 1
    import_services.import_commit(actor=world.entry_a, batch=batch)
    hung = Case.objects.get(head__full_name="Nguyễn Văn Hùng")
    assert set(hung.categories.values_list("category__code", "evidence_year")) >= {
        ("ho-ngheo", 2026),
        ("ho-can-ngheo", 2027),
    }
    assert Case.objects.count() == 3


def test_a_household_already_filed_in_another_commune_is_refused_without_naming_the_file(world):
    other = make_case(
        world.commune_b, "Nguyễn Văn Hùng", cccd="031058000123", date_of_birth=dt.date(1958, 6, 1)
    )
    row_8 = [p[2] for p in problems(check(world, poor_list())) if p[0] == 8]
    assert any("đã có hồ sơ ở đơn vị ngoài phạm vi của bạn" in text for text in row_8)
    assert not any(world.commune_b.name in text or other.number in text for text in row_8)


def test_a_household_filed_in_another_commune_is_named_to_the_city(world):
    other = make_case(
        world.commune_b, "Nguyễn Văn Hùng", cccd="031058000123", date_of_birth=dt.date(1958, 6, 1)
    )
    row_8 = [p[2] for p in problems(check(world, poor_list(), user=world.city_admin)) if p[0] == 8]
    assert any(other.number in text and world.commune_b.name in text for text in row_8)


def test_a_list_without_year_nor_decision_says_what_is_missing(world):
    data = xlsx(
        [["Lý Văn Thiếu", 1966, "Hộ nghèo"]],
        header=["Họ tên chủ hộ", "Năm sinh", "Phân loại"],
    )
    batch = check(world, data)
    messages = [p[2] for p in problems(batch)]
    assert any("cần năm" in m for m in messages) and any("Số giấy chứng nhận" in m for m in messages)


def test_users_of_another_commune_cannot_import_into_it_and_viewers_cannot_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        check(world, poor_list(), user=world.user_b)
    with pytest.raises(PermissionDenied):
        check(world, poor_list(), user=world.viewer_a)
