"""Good practice models: figures, photos and documents through the storage API, replication."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from nhandao.movements import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def practice(world):
    return services.practice_create(
        actor=world.manager_a,
        unit=world.commune_a,
        title="Bếp ăn nhân đạo",
        description="Nấu cơm cho người nhà bệnh nhân",
        place="Bệnh viện Việt Tiệp",
        since=dt.date(2024, 3, 1),
        area="1",
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


def test_a_photo_is_kept_through_the_storage_api(world, practice):
    item = services.practice_file_add(
        actor=world.manager_a, practice=practice, upload=SimpleUploadedFile("bep.jpg", _jpeg()), caption="Bếp"
    )
    assert item.is_photo and item.file.storage.exists(item.file.name)


def test_a_photo_that_is_not_an_image_is_refused(world, practice):
    with pytest.raises(ValidationError) as exc:
        services.practice_file_add(
            actor=world.manager_a, practice=practice, upload=SimpleUploadedFile("x.jpg", b"no")
        )
    assert "không phải là ảnh" in exc.value.message_dict["file"][0]


def test_a_file_over_10_mb_is_refused(world, practice):
    upload = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        services.practice_file_add(actor=world.manager_a, practice=practice, upload=upload)
    assert "10 MB" in exc.value.message_dict["file"][0]


def test_a_negative_figure_is_refused(world, practice):
    with pytest.raises(ValidationError):
        services.practice_figure_add(actor=world.manager_a, practice=practice, label="Suất ăn", value=-1)


def test_adoptions_count_replication(world, practice):
    services.adoption_add(actor=None, practice=practice, unit=world.commune_b, adopted_on=dt.date(2025, 1, 1))
    services.adoption_add(actor=None, practice=practice, unit=world.branch_b, adopted_on=dt.date(2025, 2, 1))
    assert selectors.practices_visible(world.city_admin).get().replicated == 2


def test_the_model_s_own_unit_does_not_count_as_replication(world, practice):
    with pytest.raises(ValidationError):
        services.adoption_add(
            actor=None, practice=practice, unit=world.commune_a, adopted_on=dt.date(2025, 1, 1)
        )


def test_a_unit_adopts_a_model_once(world, practice):
    services.adoption_add(actor=None, practice=practice, unit=world.commune_b, adopted_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.adoption_add(
            actor=None, practice=practice, unit=world.commune_b, adopted_on=dt.date(2025, 3, 1)
        )


def test_another_commune_does_not_see_a_commune_s_model(world, practice):
    assert not selectors.practices_visible(world.manager_b).exists()
    assert selectors.practices_visible(world.manager_a).count() == 1
