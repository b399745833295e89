"""What an evidence file may be: a photo (JPEG, PNG, WebP) or a scanned receipt (PDF), at most 10 MB.

The type is read from the file's first bytes, never trusted from its name or the
browser; images are also opened with Pillow so that a renamed file or a broken
upload is refused with a message the officer understands.

Pillow is imported inside `check_upload`: only an uploaded photo needs it, not every process.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_upload(upload) -> str:
    """The content type of an acceptable upload; ValidationError (field "file") otherwise."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if size > MAX_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "Tệp lớn %(mb).1f MB, vượt giới hạn %(max)s MB; hãy chụp lại ở độ phân giải thấp hơn."
                )
                % {"mb": size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            {
                "file": _("Chỉ nhận ảnh (JPG, PNG, WebP) hoặc bản chụp PDF; tệp “%(n)s” không phải loại này.")
                % {"n": getattr(upload, "name", "")}
            }
        )
    if content_type.startswith("image/"):
        from PIL import Image

        try:
            data = upload.read()
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception:
            raise ValidationError(
                {"file": _("Ảnh bị hỏng hoặc không đọc được; hãy chụp hoặc tải lên lại.")}
            ) from None
        finally:
            upload.seek(0)
    return content_type
