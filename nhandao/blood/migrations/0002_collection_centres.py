"""The collection centres that serve Hải Phòng's drives (data; more are added in the admin)."""

from django.db import migrations

CENTRES = [
    ("Bệnh viện Hữu nghị Việt Tiệp", "Số 1 Nhà Thương, phường Lê Chân, Hải Phòng", "02253700436"),
    ("Bệnh viện Đa khoa tỉnh Hải Dương (cơ sở tiếp nhận máu)", "225 Nguyễn Lương Bằng, Hải Phòng", ""),
    ("Bệnh viện Trẻ em Hải Phòng", "Đường Võ Nguyên Giáp, Hải Phòng", ""),
]


def add(apps, schema_editor):
    Centre = apps.get_model("blood", "CollectionCentre")
    for name, address, phone in CENTRES:
        Centre.objects.get_or_create(name=name, defaults={"address": address, "phone": phone})


class Migration(migrations.Migration):
    dependencies = [("blood", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
