"""Demo data for the portal: every public campaign discloses what Decree 93 requires.

The campaigns' seed fills the Yagi appeal and the Tết campaigns; here the others
get a mobilisation reference, eligibility, support level and distribution method
where they have none, and each public campaign a small generated mobilisation
document (PDF) so the portal's "Xem văn bản" link works.  Deterministic: no
randomness, texts depend on the campaign only.

fpdf2 is imported inside `_document`: only seeding needs it.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile

from nhandao.campaigns import selectors, services
from nhandao.campaigns.models import CampaignKind
from nhandao.core import fonts
from nhandao.core.formatting import date as fmt_date

logging.getLogger("fontTools").setLevel(logging.WARNING)

DEFAULTS = {
    CampaignKind.APPEAL: {
        "eligibility": "Hộ gia đình bị thiệt hại về người và nhà ở trên địa bàn bị ảnh hưởng.",
        "support_level": "Theo mức thiệt hại, do Ban vận động cấp xã xét duyệt và công khai.",
        "distribution_method": "Chuyển khoản hoặc trao trực tiếp tại trụ sở Hội cấp xã, có biên bản.",
    },
    CampaignKind.MOVEMENT: {
        "eligibility": "Người cao tuổi cô đơn, người khuyết tật, trẻ em có hoàn cảnh đặc biệt, hộ nghèo.",
        "support_level": "Quà hoặc tiền mặt từ 300.000 đồng đến 2.000.000 đồng mỗi suất.",
        "distribution_method": "Trao tại trụ sở Hội cấp xã hoặc tận nhà đối với người không đi lại được.",
    },
    CampaignKind.PROGRAMME: {
        "eligibility": "Đối tượng theo danh sách được Hội cấp xã rà soát, niêm yết công khai.",
        "support_level": "Theo kế hoạch của chương trình.",
        "distribution_method": "Theo kế hoạch của chương trình, báo cáo công khai sau mỗi đợt.",
    },
}


def _document(campaign) -> bytes:
    from fpdf import FPDF

    doc = FPDF(format="A4", unit="mm")
    doc.add_font("Sans", "", fonts.path("DejaVuSans.ttf"))
    doc.add_page()
    doc.set_font("Sans", "", 12)
    text = (
        f"{campaign.unit.name.upper()}\n\n{campaign.mobilisation_reference}\n\n"
        f"LỜI KÊU GỌI\n{campaign.name}\n\n{campaign.description}\n\n"
        f"Thời gian tiếp nhận: từ {fmt_date(campaign.starts_on)}"
        f"{' đến ' + fmt_date(campaign.ends_on) if campaign.ends_on else ''}.\n"
        f"Ghi mã {campaign.code} trong nội dung chuyển khoản.\n\n(Văn bản mẫu của dữ liệu demo.)"
    )
    doc.multi_cell(0, 6, text)
    return bytes(doc.output())


def run(ctx) -> None:
    n = 0
    for campaign in selectors.public_campaigns():
        fields = {}
        for key, value in DEFAULTS.get(campaign.kind, DEFAULTS[CampaignKind.PROGRAMME]).items():
            if not getattr(campaign, key):
                fields[key] = value
        if not campaign.mobilisation_reference:
            fields["mobilisation_reference"] = (
                f"Kế hoạch số {campaign.pk:02d}/KH-CTĐ ngày {fmt_date(campaign.starts_on)} (dữ liệu mẫu)"
            )
        document = None
        if not campaign.mobilisation_document:
            campaign.mobilisation_reference = fields.get(
                "mobilisation_reference", campaign.mobilisation_reference
            )
            document = ContentFile(_document(campaign), name="van-ban.pdf")
        if fields or document is not None:
            services.campaign_update(actor=None, campaign=campaign, mobilisation_document=document, **fields)
            n += 1
    ctx.log(f"  portal: {n} cuộc vận động công khai đủ thông tin theo Nghị định 93")
