"""The blood module's choices: donation kinds, blood groups, statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DonationKind(models.TextChoices):
    # Thông tư 26/2013/TT-BYT Điều 6: whole blood and red cells by apheresis share the 12-week
    # interval; plasma and platelets by apheresis the 2-week one.
    WHOLE = "whole", _("Máu toàn phần")
    RED_CELLS = "red_cells", _("Khối hồng cầu (gạn tách)")
    PLASMA = "plasma", _("Huyết tương (gạn tách)")
    PLATELETS = "platelets", _("Tiểu cầu (gạn tách)")


class BloodGroup(models.TextChoices):
    O_POS = "O+", "O Rh+"
    A_POS = "A+", "A Rh+"
    B_POS = "B+", "B Rh+"
    AB_POS = "AB+", "AB Rh+"
    O_NEG = "O-", "O Rh−"
    A_NEG = "A-", "A Rh−"
    B_NEG = "B-", "B Rh−"
    AB_NEG = "AB-", "AB Rh−"


RARE_GROUPS = {BloodGroup.O_NEG, BloodGroup.A_NEG, BloodGroup.B_NEG, BloodGroup.AB_NEG}


class DriveStatus(models.TextChoices):
    PLANNED = "planned", _("Đã lên kế hoạch")
    CANCELLED = "cancelled", _("Đã hủy")
    DONE = "done", _("Đã kết thúc")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    CANCELLED = "cancelled", _("Đã hủy")
    CHECKED_IN = "checked_in", _("Đã đến")


class ScreeningResult(models.TextChoices):
    ACCEPTED = "accepted", _("Đủ điều kiện")
    DEFERRED = "deferred", _("Tạm hoãn")


class NoticeReason(models.TextChoices):
    CANCELLED = "cancelled", _("Đợt hiến máu bị hủy")
    MOVED = "moved", _("Đợt hiến máu đổi thời gian, địa điểm")


class PledgePurpose(models.TextChoices):
    # Luật Hiến, lấy, ghép mô, bộ phận cơ thể người và hiến, lấy xác 2006: consent per purpose.
    TISSUE = "tissue", _("Hiến mô (giác mạc, da, xương…)")
    ORGANS = "organs", _("Hiến bộ phận cơ thể sau khi chết hoặc chết não")
    BODY = "body", _("Hiến xác cho nghiên cứu, giảng dạy y học")
