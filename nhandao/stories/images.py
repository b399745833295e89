"""Story images: checked, resized and stripped of every metadata before they are stored.

Photos from phones carry EXIF: the GPS position of the house of a vulnerable person, the camera's
owner, the time.  Nothing of the upload is kept but its pixels: the image is decoded, turned the
way EXIF says, reduced to at most MAX_SIDE pixels, and encoded anew as a JPEG with no EXIF, XMP or
ICC block.  Anything Pillow cannot decode, or larger than MAX_BYTES, is refused in Vietnamese.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class Processed:
    content: ContentFile
    width: int
    height: int
    size: int


def process(upload, *, field: str = "image") -> Processed:
    """The upload (a Django File) re-encoded; ValidationError naming the file otherwise."""
    name = getattr(upload, "name", "") or _("ảnh")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            {field: _("Ảnh “%(name)s” lớn hơn 10 MB: hãy chọn ảnh nhỏ hơn.") % {"name": name}}
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {field: _("Ảnh “%(name)s” lớn hơn 10 MB: hãy chọn ảnh nhỏ hơn.") % {"name": name}}
        )
    not_an_image = ValidationError(
        {field: _("Tệp “%(name)s” không phải là ảnh (JPEG, PNG, WebP hoặc GIF).") % {"name": name}}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    {field: _("Ảnh “%(name)s” quá lớn (quá 40 triệu điểm ảnh).") % {"name": name}}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    content = out.getvalue()
    width, height = image.size
    return Processed(ContentFile(content, name="image.jpg"), width, height, len(content))
