"""The world of the root conftest, plus the city's communication officer, the education
department's reporter, and files kept in a temporary MEDIA_ROOT."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import make_user
from nhandao.core.access import Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.NHANDAO_PORTAL_CACHE_SECONDS = 0


@dataclass
class Cast:
    officer: object
    education: object


@pytest.fixture
def cast(world) -> Cast:
    from nhandao.org import services
    from nhandao.org.models import AgencyKind

    officer = make_user("truyenthong")
    services.role_assign(actor=None, user=officer, unit=world.city, role=Role.COMMUNICATION_OFFICER)
    sgd = services.agency_create(
        actor=None, code="SGDDT", name="Sở Giáo dục và Đào tạo", kind=AgencyKind.DEPARTMENT
    )
    education = make_user("baocao_sgd")
    services.role_assign(actor=None, user=education, unit=world.city, role=Role.AGENCY_REPORTER, agency=sgd)
    return Cast(officer=officer, education=education)


def jpeg(width=800, height=600, *, exif: bool = False, color=(200, 30, 40)) -> bytes:
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0110] = "Phone 12"  # Model
        data[0x0132] = "2026:01:02 10:11:12"  # DateTime
        gps = {1: "N", 2: (20.0, 51.0, 30.0), 3: "E", 4: (106.0, 41.0, 12.0)}
        data[0x8825] = gps  # GPSInfo: where the photo was taken
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def upload(content: bytes | None = None, name: str = "anh.jpg", **kw) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else jpeg(**kw), content_type="image/jpeg")


def story(world, unit=None, *, actor=None, **fields):
    from nhandao.stories import services

    unit = unit or world.commune_a
    writer = world.manager_b if unit.path.startswith(world.commune_b.path) else world.manager_a
    values = {
        "kind": "news",
        "title": "Trao quà Tết Nhân ái",
        "summary": "Hội trao 50 suất quà cho hộ nghèo.",
        "body": "<p>Nội dung bài.</p>",
        "tags": "Tết Nhân ái, quà Tết",
    }
    values.update(fields)
    return services.story_create(actor=actor or writer, unit=unit, **values)


def published(world, cast, unit=None, **fields):
    from nhandao.stories import services

    s = story(world, unit, **fields)
    s = services.story_submit(actor=None, story=s)
    return services.story_publish(actor=cast.officer, story=s)
