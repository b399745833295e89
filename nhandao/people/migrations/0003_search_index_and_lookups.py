"""Fast name/phone search on PostgreSQL and the seeded lookups (skills, courses).

`search_key LIKE '%nguyen van%'` cannot use a B-tree index; on PostgreSQL a
trigram GIN index (pg_trgm) answers it in milliseconds at 272,000 people.
Creating the extension needs the right privilege: when it is refused, the
migration carries on without the index (searches still work, only slower).
SQLite and other databases use the plain index on search_key.
"""

from django.db import migrations, transaction

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


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:
        return  # no privilege: searches fall back to a scan
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_person_search_trgm "
        "ON people_person USING gin (search_key gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS people_person_search_trgm")


def seed_lookups(apps, schema_editor):
    Skill = apps.get_model("people", "Skill")
    TrainingCourse = apps.get_model("people", "TrainingCourse")
    PeopleRules = apps.get_model("people", "PeopleRules")
    for code, name in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name})
    for name, topic, months in COURSES:
        TrainingCourse.objects.get_or_create(name=name, defaults={"topic": topic, "validity_months": months})
    if not PeopleRules.objects.exists():
        PeopleRules.objects.create()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_roles_dues_hours_clubs_training")]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
        migrations.RunPython(seed_lookups, migrations.RunPython.noop),
    ]
