"""Demo campaigns of the Hải Phòng Red Cross over five years.

The Typhoon Yagi appeal of September 2024 (restricted), Tết Nhân ái every
lunar new year, Tháng Nhân đạo every May, the "Mỗi tổ chức, cá nhân gắn với một
địa chỉ nhân đạo" programme, and a commune's own drive.  The funds seed records
gifts into them in time order and closes those that have ended.  Reference
numbers of documents are illustrative, not real ones.
"""

from __future__ import annotations

import datetime as dt

from nhandao.core.choices import ContentArea
from nhandao.core.seeding import SeedContext

from . import services
from .models import CampaignKind

# Lunar new year (Tết) days and the year's name (Vietnam's calendar, UTC+7).
TET = [
    (dt.date(2022, 2, 1), "Nhâm Dần"),
    (dt.date(2023, 1, 22), "Quý Mão"),
    (dt.date(2024, 2, 10), "Giáp Thìn"),
    (dt.date(2025, 1, 29), "Ất Tỵ"),
    (dt.date(2026, 2, 17), "Bính Ngọ"),
    (dt.date(2027, 2, 6), "Đinh Mùi"),
]
THEMES = {
    2022: "Chung tay vì cộng đồng",
    2023: "Hành trình nhân ái",
    2024: "Vì sức khỏe cộng đồng",
    2025: "Mỗi tổ chức, cá nhân gắn với một địa chỉ nhân đạo",
    2026: "Chung tay hỗ trợ người khó khăn",
}


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("campaigns")
    city = ctx.data["city"]
    made = {}

    made["yagi"] = services.campaign_create(
        actor=None,
        unit=city,
        name="Ủng hộ đồng bào bị thiệt hại do bão số 3 (Yagi) năm 2024",
        kind=CampaignKind.APPEAL,
        content_area=ContentArea.DISASTER,
        starts_on=dt.date(2024, 9, 8),
        ends_on=dt.date(2024, 11, 30),
        distribution_ends_on=dt.date(2024, 12, 20),
        goal=30_000_000_000,
        description=(
            "Bão số 3 (Yagi) đổ bộ Hải Phòng ngày 07/09/2024, gây thiệt hại nặng về người, nhà cửa, "
            "cây trồng và cơ sở hạ tầng. Hội Chữ thập đỏ thành phố kêu gọi các tổ chức, cá nhân ủng hộ "
            "để hỗ trợ các hộ gia đình bị thiệt hại."
        ),
        mobilisation_reference="Lời kêu gọi số 15/LKG-CTĐ ngày 08/09/2024 (dữ liệu mẫu)",
        eligibility=(
            "Hộ gia đình có người chết, mất tích, bị thương; hộ có nhà bị sập, hư hỏng nặng; "
            "hộ nghèo, cận nghèo bị thiệt hại về sinh kế."
        ),
        support_level=(
            "Hộ có người chết, mất tích: 10.000.000 đồng; hộ có nhà sập: 20.000.000 đồng; "
            "hộ có nhà hư hỏng nặng: 5.000.000 đồng; hộ nghèo bị thiệt hại: 2.000.000 đồng và nhu yếu phẩm."
        ),
        distribution_method=(
            "Hội Chữ thập đỏ các quận, huyện, xã, phường lập danh sách có xác nhận của chính quyền địa phương, "
            "niêm yết công khai; trao trực tiếp hoặc chuyển khoản đến hộ gia đình trước ngày 20/12/2024."
        ),
        rng=rng,
    )
    for tet, year_name in TET:
        start = dt.date(tet.year - 1, 12, 1)
        end = tet + dt.timedelta(days=15)
        made[f"tet{tet.year}"] = services.campaign_create(
            actor=None,
            unit=city,
            name=f"Tết Nhân ái Xuân {year_name} {tet.year}",
            kind=CampaignKind.MOVEMENT,
            content_area=ContentArea.RELIEF,
            starts_on=start,
            ends_on=end,
            goal=12_000_000_000,
            description="Vận động quà Tết cho hộ nghèo, người có hoàn cảnh khó khăn (mỗi suất quà từ 500.000 đồng).",
            eligibility="Hộ nghèo, hộ cận nghèo, người cao tuổi cô đơn, trẻ em mồ côi, người khuyết tật.",
            support_level="Mỗi suất quà trị giá từ 500.000 đồng (tiền mặt và hiện vật).",
            distribution_method="Trao trực tiếp tại Hội Chữ thập đỏ xã, phường trước Tết.",
            rng=rng,
        )
    for year, theme in THEMES.items():
        made[f"month{year}"] = services.campaign_create(
            actor=None,
            unit=city,
            name=f"Tháng Nhân đạo {year}: {theme}",
            kind=CampaignKind.MOVEMENT,
            content_area=ContentArea.RELIEF,
            starts_on=dt.date(year, 5, 1),
            ends_on=dt.date(year, 5, 31),
            goal=6_000_000_000,
            description="Cao điểm từ ngày 08/5 đến 19/5 hằng năm.",
            rng=rng,
        )
    made["address"] = services.campaign_create(
        actor=None,
        unit=city,
        name="Mỗi tổ chức, cá nhân gắn với một địa chỉ nhân đạo",
        kind=CampaignKind.PROGRAMME,
        content_area=ContentArea.RELIEF,
        starts_on=dt.date(2021, 12, 1),
        description="Kết nối nhà tài trợ với địa chỉ nhân đạo cụ thể, hỗ trợ lâu dài và theo dõi kết quả.",
        rng=rng,
    )
    made["warm"] = services.campaign_create(
        actor=None,
        unit=ctx.data["commune_a"],
        name="Áo ấm cho em phường Lê Chân",
        kind=CampaignKind.MOVEMENT,
        content_area=ContentArea.RELIEF,
        starts_on=dt.date(2025, 10, 1),
        description="Quyên góp áo ấm, chăn cho học sinh có hoàn cảnh khó khăn.",
        rng=rng,
    )
    ctx.data["campaigns"] = made
    ctx.log(f"  campaigns: {len(made)} cuộc vận động")
