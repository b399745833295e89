"""Fixed vocabularies of the beneficiary register (categories themselves are data: see Category)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    HOUSEHOLD = "household", _("Hộ gia đình")
    INDIVIDUAL = "individual", _("Cá nhân")


class CaseStatus(models.TextChoices):
    """proposed → reviewed in the community → confirmed by the commune → active → closed."""

    PROPOSED = "proposed", _("Đề xuất")
    REVIEWED = "reviewed", _("Đã bình xét tại cộng đồng")
    CONFIRMED = "confirmed", _("Đã được xã xác nhận")
    ACTIVE = "active", _("Đang trợ giúp")
    CLOSED = "closed", _("Đã đóng hồ sơ")


# The fund and the help records rely on this: only these cases may receive help.
HELPABLE_STATUSES = (CaseStatus.CONFIRMED, CaseStatus.ACTIVE)
OPEN_STATUSES = (CaseStatus.PROPOSED, CaseStatus.REVIEWED, CaseStatus.CONFIRMED, CaseStatus.ACTIVE)


class CloseReason(models.TextChoices):
    IMPROVED = "improved", _("Hoàn cảnh đã cải thiện")
    MOVED = "moved", _("Chuyển nơi ở")
    DECEASED = "deceased", _("Đã mất")
    NOT_APPROVED = "not_approved", _("Không được bình xét, xác nhận")
    MERGED = "merged", _("Trùng hồ sơ, đã hợp nhất")
    OTHER = "other", _("Lý do khác")


class Relationship(models.TextChoices):
    HEAD = "head", _("Chủ hộ")
    SELF = "self", _("Bản thân")
    SPOUSE = "spouse", _("Vợ, chồng")
    CHILD = "child", _("Con")
    PARENT = "parent", _("Bố, mẹ")
    GRANDCHILD = "grandchild", _("Cháu")
    GRANDPARENT = "grandparent", _("Ông, bà")
    SIBLING = "sibling", _("Anh, chị, em")
    CHILD_IN_LAW = "child_in_law", _("Con dâu, con rể")
    OTHER = "other", _("Khác")


HEAD_RELATIONSHIPS = (Relationship.HEAD, Relationship.SELF)


class CategoryScope(models.TextChoices):
    HOUSEHOLD = "household", _("Hộ gia đình")
    PERSON = "person", _("Cá nhân")
    BOTH = "both", _("Hộ hoặc cá nhân")


class ConsentPurpose(models.TextChoices):
    """What the person agreed to.  SHARE gates every export and any sharing beyond the commune."""

    PROCESS = "process", _("Lưu giữ, xử lý thông tin để xét và theo dõi trợ giúp")
    SHARE = "share", _("Chia sẻ thông tin với Hội cấp trên, nhà tài trợ và trong danh sách báo cáo")
    PHOTOS = "photos", _("Chụp ảnh khi trao, lưu làm minh chứng")
    # A story about the person (news, good deeds) published on the public site and given to the press.
    PUBLISH = "publish", _("Công bố câu chuyện, hình ảnh trên trang công khai và báo chí")


class HelpKind(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    GOODS = "goods", _("Hàng hóa, nhu yếu phẩm")
    GIFT = "gift", _("Quà tặng")
    HEALTH = "health", _("Chăm sóc sức khỏe")
    SCHOLARSHIP = "scholarship", _("Học bổng")
    LIVELIHOOD = "livelihood", _("Sinh kế (bò giống, thuyền, vốn)")
    HOUSE = "house", _("Nhà nhân đạo")
    EMERGENCY = "emergency", _("Cứu trợ khẩn cấp")


class SourceType(models.TextChoices):
    SPONSOR = "sponsor", _("Nhà tài trợ")
    CAMPAIGN = "campaign", _("Cuộc vận động")
    FUND = "fund", _("Quỹ nhân đạo")
    UNIT = "unit", _("Hội Chữ thập đỏ")
    OTHER = "other", _("Khác")


class HelpStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    CANCELLED = "cancelled", _("Đã hủy")


class SponsorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
    PERSON = "person", _("Cá nhân")
    UNIT = "unit", _("Đơn vị Hội Chữ thập đỏ")


class CommitmentKind(models.TextChoices):
    CASH_MONTHLY = "cash", _("Tiền hằng tháng")
    GOODS = "goods", _("Hàng hóa, nhu yếu phẩm")
    TUITION = "tuition", _("Học phí, học bổng")
    MEDICAL = "medical", _("Chi phí khám, chữa bệnh")
    HOUSE = "house", _("Xây, sửa nhà")
    OTHER = "other", _("Khác")


# The kind of help a delivery against a commitment records.
COMMITMENT_HELP_KIND = {
    CommitmentKind.CASH_MONTHLY: HelpKind.CASH,
    CommitmentKind.GOODS: HelpKind.GOODS,
    CommitmentKind.TUITION: HelpKind.SCHOLARSHIP,
    CommitmentKind.MEDICAL: HelpKind.HEALTH,
    CommitmentKind.HOUSE: HelpKind.HOUSE,
    CommitmentKind.OTHER: HelpKind.GOODS,
}


class Period(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    TERM = "term", _("Mỗi học kỳ")
    YEARLY = "yearly", _("Hằng năm")
    ONCE = "once", _("Một lần")


PERIOD_DAYS = {
    Period.MONTHLY: 31,
    Period.QUARTERLY: 92,
    Period.TERM: 183,
    Period.YEARLY: 366,
    Period.ONCE: None,
}


class CommitmentStatus(models.TextChoices):
    ACTIVE = "active", _("Đang thực hiện")
    ENDED = "ended", _("Đã kết thúc")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Ảnh trao tặng")
    RECEIPT = "receipt", _("Biên nhận có chữ ký")
    OTHER = "other", _("Giấy tờ khác")
