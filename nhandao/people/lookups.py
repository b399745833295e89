"""The seeded lookups (also created by migration 0003; re-created after a flush)."""

from __future__ import annotations

from .models import PeopleRules, Skill, TrainingCourse

SKILLS = [
    ("so-cap-cuu", "Sơ cấp cứu"),
    ("y-te", "Y tế, điều dưỡng"),
    ("boi-loi", "Bơi lội, cứu đuối"),
    ("lai-xe", "Lái xe"),
    ("tam-ly", "Hỗ trợ tâm lý"),
    ("hau-can", "Hậu cần, kho"),
    ("truyen-thong", "Truyền thông, chụp ảnh"),
    ("cong-nghe", "Công nghệ thông tin"),
    ("ngoai-ngu", "Ngoại ngữ"),
    ("nau-an", "Nấu ăn"),
    ("xay-dung", "Xây dựng, sửa chữa nhà"),
    ("van-dong-hien-mau", "Vận động hiến máu"),
    ("tim-kiem-than-nhan", "Tìm kiếm tin tức thân nhân"),
    ("ung-pho-thien-tai", "Ứng phó thiên tai"),
]

COURSES = [
    ("Sơ cấp cứu ban đầu cơ bản", "first_aid", 24),
    ("Sơ cấp cứu nâng cao (đội sơ cấp cứu)", "first_aid", 24),
    ("Ứng phó thảm họa dựa vào cộng đồng", "disaster", 36),
    ("Đội ứng phó thảm họa cấp xã", "disaster", 36),
    ("Chăm sóc sức khỏe dựa vào cộng đồng", "health", None),
    ("Tuyên truyền, vận động hiến máu tình nguyện", "blood", None),
    ("Nghiệp vụ công tác Hội cho cán bộ cơ sở", "skills", None),
]


def ensure_lookups() -> None:
    for code, name in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name})
    for name, topic, months in COURSES:
        TrainingCourse.objects.get_or_create(name=name, defaults={"topic": topic, "validity_months": months})
    if not PeopleRules.objects.exists():
        PeopleRules.objects.create()
