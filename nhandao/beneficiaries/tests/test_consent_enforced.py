"""Consent enforced, not just shown (issue 16, point 7): a handover photo needs the person's
agreement to photos; sharing beyond the commune (exports, other communes' views) needs the
agreement to share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nhandao.beneficiaries import selectors, services
from nhandao.beneficiaries.models import HelpEvidence

from .helpers import give, jpeg_bytes, make_case
from .test_views import media  # noqa: F401 (fixture)


def _photo():
    return SimpleUploadedFile("trao-qua.jpg", jpeg_bytes(), content_type="image/jpeg")


def test_a_handover_photo_is_refused_without_consent_to_photos(world, media):  # noqa: F811
    record = give(make_case(world.commune_a))
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=world.entry_a, record=record, upload=_photo(), kind="photo")
    assert "chưa có sự đồng ý cho chụp ảnh" in str(exc.value.message_dict["kind"])
    assert not HelpEvidence.objects.exists()
    assert not list(media.rglob("*.jpg"))  # no file left behind


def test_a_handover_photo_is_kept_once_the_person_agreed(world, media):  # noqa: F811
    case = make_case(world.commune_a)
    services.consent_record(
        actor=None, case=case, purpose="photos", given_on=timezone.localdate(), collected_by="Cán bộ Hội"
    )
    item = services.evidence_add(actor=world.entry_a, record=give(case), upload=_photo(), kind="photo")
    assert item.kind == "photo"


def test_a_signed_receipt_needs_no_consent_to_photos(world, media):  # noqa: F811
    record = give(make_case(world.commune_a))
    pdf = SimpleUploadedFile("bien-nhan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert (
        services.evidence_add(actor=world.entry_a, record=record, upload=pdf, kind="receipt").kind
        == "receipt"
    )


def test_the_evidence_page_refuses_a_photo_without_consent(world, media):  # noqa: F811
    record = give(make_case(world.commune_a))
    response = world.client(world.entry_a).post(
        f"/tro-giup/{record.pk}/minh-chung/", {"kind": "photo", "file": _photo()}
    )
    assert response.status_code == 200 and "chưa có sự đồng ý cho chụp ảnh" in response.content.decode()
    assert not HelpEvidence.objects.exists()


def test_without_consent_to_share_a_case_is_not_shown_beyond_its_commune(world):
    case = make_case(world.commune_a, consent=False)
    assert not selectors.details_visible(world.city_admin, case)
    assert selectors.details_visible(world.entry_a, case)
    services.consent_record(
        actor=None,
        case=case,
        purpose="share",
        given_on=timezone.localdate() - dt.timedelta(days=1),
        collected_by="Cán bộ Hội",
    )
    case.refresh_from_db()
    assert selectors.details_visible(world.city_admin, case)
