from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryKind(models.TextChoices):
    NEWS = "news", _("Tin bài")
    GOOD_DEED = "good_deed", _("Gương người tốt, việc thiện")


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    IN_REVIEW = "in_review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã đăng")
    WITHDRAWN = "withdrawn", _("Đã gỡ")
