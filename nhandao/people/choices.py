from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


# The 54 ethnic groups of Vietnam with the General Statistics Office's codes
# (Danh mục các dân tộc Việt Nam, QĐ 121-TCTK/PPCĐ).  Names as the GSO writes them.
ETHNICITIES = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Mông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
]


class RoleKind(models.TextChoices):
    MEMBER = "member", _("Hội viên")
    VOLUNTEER = "volunteer", _("Tình nguyện viên")
    COLLABORATOR = "collaborator", _("Cộng tác viên")
    YOUTH = "youth", _("Thanh thiếu niên Chữ thập đỏ")
    STAFF = "staff", _("Cán bộ Hội")


class RoleStatus(models.TextChoices):
    ACTIVE = "active", _("Đang sinh hoạt")
    SUSPENDED = "suspended", _("Tạm ngừng")
    LEFT = "left", _("Đã thôi")
    DECEASED = "deceased", _("Đã mất")


# Roles that still count (a person holds at most one current role of each kind).
CURRENT_STATUSES = (RoleStatus.ACTIVE, RoleStatus.SUSPENDED)


class YouthBand(models.TextChoices):
    YOUTH = "youth", _("Thanh niên Chữ thập đỏ")
    TEEN = "teen", _("Thiếu niên Chữ thập đỏ")


class StaffType(models.TextChoices):
    FULL_TIME = "full_time", _("Chuyên trách")
    PART_TIME = "part_time", _("Kiêm nhiệm")


class Availability(models.TextChoices):
    ANYTIME = "anytime", _("Bất cứ lúc nào, cả khi khẩn cấp")
    WEEKENDS = "weekends", _("Cuối tuần")
    EVENINGS = "evenings", _("Buổi tối")
    WEEKDAYS = "weekdays", _("Ngày thường")
    EMERGENCY = "emergency", _("Chỉ khi có thiên tai, khẩn cấp")


class ClubKind(models.TextChoices):
    CLUB = "club", _("Câu lạc bộ")
    RAPID_RESPONSE = "rapid_response", _("Đội xung kích")
    FIRST_AID = "first_aid", _("Đội sơ cấp cứu")
    DISASTER = "disaster", _("Đội ứng phó thảm họa")
    OTHER = "other", _("Khác")


class ClubRole(models.TextChoices):
    LEADER = "leader", _("Chủ nhiệm, đội trưởng")
    DEPUTY = "deputy", _("Phó chủ nhiệm, đội phó")
    MEMBER = "member", _("Thành viên")


class TrainingTopic(models.TextChoices):
    FIRST_AID = "first_aid", _("Sơ cấp cứu ban đầu")
    DISASTER = "disaster", _("Phòng ngừa, ứng phó thảm họa")
    HEALTH = "health", _("Chăm sóc sức khỏe dựa vào cộng đồng")
    BLOOD = "blood", _("Vận động hiến máu")
    SKILLS = "skills", _("Kỹ năng công tác Hội")
    OTHER = "other", _("Khác")


class AwardLevel(models.TextChoices):
    STATE = "state", _("Nhà nước")
    NATIONAL_SOCIETY = "national", _("Trung ương Hội")
    CITY = "city", _("Thành phố, tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Khác")
