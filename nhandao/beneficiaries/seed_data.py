"""The tables the demo seed draws from: Tết dates, sponsors, campaigns and everyday help."""

from __future__ import annotations

import datetime as dt

from nhandao.core.choices import ContentArea
from nhandao.core.demo_names import ENTERPRISES

from .choices import HelpKind, SourceType

# Lunar New Year's Day (Tết Nguyên đán), Vietnam; Tết Nhân ái gifts are given in the weeks before.
TET = {
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
}
YAGI = dt.date(2024, 9, 7)
SPONSOR_ORGS = [
    *ENTERPRISES,
    "Ngân hàng TMCP Ngoại thương chi nhánh Hải Phòng",
    "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Hải Phòng",
    "Cảng Hải Phòng",
    "Công ty Điện lực Hải Phòng",
    "Bệnh viện Hữu nghị Việt Tiệp",
    "Trường Đại học Hàng hải Việt Nam",
    "Câu lạc bộ Doanh nhân trẻ Hải Phòng",
    "Chùa Dư Hàng",
    "Giáo xứ Hải Phòng",
    "Công ty Cổ phần Nhiệt điện Hải Phòng",
    "Công ty TNHH LG Electronics Việt Nam Hải Phòng",
    "Hội Doanh nghiệp nữ Hải Phòng",
]


# what: (kind, values, description, source type, source, campaign, content area)
CAMPAIGNS = {
    "tet": (
        HelpKind.GIFT,
        [500_000, 500_000, 700_000, 1_000_000],
        "Quà Tết trị giá {value}.000 đồng",
        SourceType.CAMPAIGN,
        "Chương trình Tết Nhân ái",
        "Tết Nhân ái {year}",
        ContentArea.RELIEF,
    ),
    "may": (
        HelpKind.GOODS,
        [300_000, 500_000],
        "Gạo, mì, dầu ăn",
        SourceType.CAMPAIGN,
        "Tháng Nhân đạo",
        "Tháng Nhân đạo {year}",
        ContentArea.RELIEF,
    ),
    "school": (
        HelpKind.SCHOLARSHIP,
        [1_000_000, 2_000_000],
        "Học bổng và đồ dùng học tập năm học mới",
        SourceType.FUND,
        "Quỹ Nhân đạo thành phố",
        "Tiếp sức đến trường {year}",
        ContentArea.RELIEF,
    ),
    "yagi": (
        HelpKind.EMERGENCY,
        [1_000_000, 2_000_000, 3_000_000],
        "Tiền mặt và nhu yếu phẩm khắc phục hậu quả bão số 3 (Yagi)",
        SourceType.FUND,
        "Quỹ cứu trợ bão số 3",
        "Cứu trợ bão Yagi 2024",
        ContentArea.DISASTER,
    ),
}
# what: (weight, kind, values, description, source type, source, content area)
EVERYDAY = {
    "visit": (
        50,
        HelpKind.CASH,
        [500_000, 1_000_000],
        "Thăm hỏi, hỗ trợ lúc ốm đau",
        SourceType.UNIT,
        "Hội Chữ thập đỏ",
        ContentArea.RELIEF,
    ),
    "clinic": (
        25,
        HelpKind.HEALTH,
        [200_000, 500_000],
        "Khám bệnh, cấp thuốc miễn phí",
        SourceType.UNIT,
        "Đoàn khám bệnh nhân đạo",
        ContentArea.COMMUNITY_HEALTH,
    ),
    "rice": (
        18,
        HelpKind.GOODS,
        [300_000, 400_000],
        "Gạo và nhu yếu phẩm",
        SourceType.OTHER,
        "Nhà hảo tâm",
        ContentArea.RELIEF,
    ),
    "cow": (
        5.5,
        HelpKind.LIVELIHOOD,
        [15_000_000, 18_000_000, 20_000_000],
        "Bò giống sinh sản",
        SourceType.FUND,
        "Quỹ Nhân đạo thành phố",
        ContentArea.RELIEF,
    ),
    "house": (
        1.5,
        HelpKind.HOUSE,
        [50_000_000, 70_000_000],
        "Xây nhà nhân đạo",
        SourceType.FUND,
        "Quỹ Nhân đạo thành phố",
        ContentArea.RELIEF,
    ),
}
