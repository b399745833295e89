"""Lookups shared by several modules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentArea(models.TextChoices):
    """The seven content areas of the Law on Red Cross Activities (11/2008/QH12, Art. 4 ff.).

    Every activity, campaign, help record and report line is tagged with one.
    """

    RELIEF = "1", _("Cứu trợ khẩn cấp và trợ giúp nhân đạo")
    COMMUNITY_HEALTH = "2", _("Chăm sóc sức khỏe dựa vào cộng đồng")
    FIRST_AID = "3", _("Sơ cấp cứu ban đầu")
    DONATION = "4", _("Hiến máu, hiến mô, bộ phận cơ thể người và hiến xác")
    TRACING = "5", _("Tìm kiếm tin tức thân nhân thất lạc")
    DISSEMINATION = "6", _("Tuyên truyền các giá trị nhân đạo")
    DISASTER = "7", _("Tham gia phòng ngừa, ứng phó thảm họa")
