"""Story images: resized, EXIF (the place a photo was taken) stripped, non-images and files over
10 MB refused in Vietnamese, nothing written."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from nhandao.core.models import AuditEvent
from nhandao.stories import images, services
from nhandao.stories.models import StoryImage

from .conftest import jpeg, story, upload


def test_the_upload_really_carries_gps_exif():
    assert Image.open(io.BytesIO(jpeg(exif=True))).getexif().get(0x8825)


def test_exif_is_stripped_and_the_image_resized(world):
    s = story(world)
    image = services.image_add(actor=world.manager_a, story=s, upload=upload(jpeg(3200, 2000, exif=True)))
    with image.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
    assert stored.format == "JPEG"
    assert max(stored.size) == images.MAX_SIDE and (image.width, image.height) == stored.size
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "icc_profile" not in stored.info


def test_the_stored_name_does_not_keep_the_uploaded_name(world):
    s = story(world)
    image = services.image_add(actor=world.manager_a, story=s, upload=upload(name="Nguyen Van A - nha.jpg"))
    assert "Nguyen" not in image.file.name and image.file.name.startswith("stories/")


def test_a_png_with_transparency_becomes_a_jpeg(world):
    out = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(out, format="PNG")
    image = services.image_add(
        actor=world.manager_a, story=story(world), upload=upload(out.getvalue(), "a.png")
    )
    assert image.file.name.endswith(".jpg")


def test_a_file_that_is_not_an_image_is_refused_in_vietnamese(world):
    s = story(world)
    with pytest.raises(ValidationError) as exc:
        services.image_add(
            actor=world.manager_a, story=s, upload=upload(b"%PDF-1.4 not an image", "giay-to.pdf")
        )
    assert "“giay-to.pdf” không phải là ảnh" in str(exc.value.message_dict["image"])
    assert not StoryImage.objects.exists()
    assert not AuditEvent.objects.filter(action="stories.image.added").exists()


def test_an_image_over_10_mb_is_refused_in_vietnamese(world):
    s = story(world)
    big = jpeg(100, 100) + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        services.image_add(actor=world.manager_a, story=s, upload=upload(big, "to.jpg"))
    assert "lớn hơn 10 MB" in str(exc.value.message_dict["image"])
    assert not StoryImage.objects.exists()


def test_the_upload_page_says_why_a_file_was_refused(world):
    s = story(world)
    client = world.client(world.manager_a)
    response = client.post(
        f"/tin-bai/{s.pk}/anh/", {"image": upload(b"hello", "thu.txt"), "caption": ""}, follow=True
    )
    assert "không phải là ảnh" in response.content.decode()
    assert not StoryImage.objects.exists()
