"""The seeded categories and rules (also created by migration 0002; re-created after a flush).

Categories are data: a city administrator adds, renames or retires them on the
settings page.  Sources for the defaults: poverty standard Decree 07/2021/NĐ-CP
(through 2026; Decree 351/2025/NĐ-CP from 2027), social protection Decree
20/2021/NĐ-CP, the Ordinance on people with meritorious services (02/2020).
"""

from __future__ import annotations

from .models import Category, HelpRules

# code, name, scope, sensitive, requires_evidence, evidence_label, requires_year, yearly, description
CATEGORIES = [
    (
        "ho-ngheo",
        "Hộ nghèo",
        "household",
        False,
        True,
        "Số giấy chứng nhận hộ nghèo",
        True,
        True,
        "Chuẩn nghèo theo Nghị định 07/2021/NĐ-CP (đến hết năm 2026); Nghị định 351/2025/NĐ-CP từ năm 2027.",
    ),
    (
        "ho-can-ngheo",
        "Hộ cận nghèo",
        "household",
        False,
        True,
        "Số giấy chứng nhận hộ cận nghèo",
        True,
        True,
        "Chuẩn cận nghèo theo Nghị định 07/2021/NĐ-CP (đến hết năm 2026); Nghị định 351/2025/NĐ-CP từ năm 2027.",
    ),
    (
        "nguoi-co-cong",
        "Người có công, gia đình chính sách",
        "both",
        False,
        True,
        "Số quyết định công nhận, trợ cấp",
        False,
        False,
        "Pháp lệnh Ưu đãi người có công với cách mạng 2020.",
    ),
    (
        "bao-tro-xa-hoi",
        "Đối tượng bảo trợ xã hội",
        "person",
        False,
        True,
        "Số quyết định hưởng trợ cấp xã hội hằng tháng",
        False,
        False,
        "Nghị định 20/2021/NĐ-CP.",
    ),
    ("cao-tuoi-co-don", "Người cao tuổi cô đơn", "person", False, False, "", False, False, ""),
    (
        "khuyet-tat",
        "Người khuyết tật",
        "person",
        True,
        True,
        "Số giấy xác nhận khuyết tật",
        False,
        False,
        "",
    ),
    ("tre-mo-coi", "Trẻ mồ côi, trẻ có hoàn cảnh đặc biệt", "person", False, False, "", False, False, ""),
    (
        "chat-doc-da-cam",
        "Nạn nhân chất độc da cam",
        "person",
        True,
        True,
        "Số quyết định hưởng chế độ",
        False,
        False,
        "",
    ),
    (
        "benh-hiem-ngheo",
        "Người mắc bệnh hiểm nghèo",
        "person",
        True,
        False,
        "Giấy ra viện, tóm tắt bệnh án",
        False,
        False,
        "",
    ),
    ("rui-ro", "Người gặp rủi ro, bất hạnh", "both", False, False, "", False, False, ""),
    ("thien-tai", "Bị ảnh hưởng thiên tai", "household", False, False, "Đợt thiên tai", False, False, ""),
]


def ensure_lookups() -> None:
    for order, (code, name, scope, sensitive, evidence, label, year, yearly, description) in enumerate(
        CATEGORIES, start=1
    ):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "scope": scope,
                "sensitive": sensitive,
                "requires_evidence": evidence,
                "evidence_label": label,
                "requires_year": year,
                "yearly": yearly,
                "description": description,
                "order": order * 10,
            },
        )
    if not HelpRules.objects.exists():
        HelpRules.objects.create()
