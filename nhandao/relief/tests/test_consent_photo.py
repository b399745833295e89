"""Consent enforced (issue 16, point 7): a household is photographed at a distribution only if it
agreed to photos; otherwise the receipt is confirmed by signature."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nhandao.beneficiaries import services as beneficiaries
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.relief.models import Recipient, StockIssue
from nhandao.relief.services import distributions as services

from .test_distributions import beneficiary_lookups, family_kit, plan  # noqa: F401 (fixtures)


def _photo():
    return SimpleUploadedFile(
        "nhan-hang.jpg", b"\xff\xd8\xff\xe0 not checked here", content_type="image/jpeg"
    )


def test_a_photo_proof_is_refused_without_the_households_consent_to_photos(world, plan):  # noqa: F811
    case = make_case(world.commune_a)  # agreed to sharing only
    services.recipients_add(actor=world.manager_a, plan=plan, cases=[case])
    recipient = Recipient.objects.get(plan=plan, case=case)
    with pytest.raises(ValidationError) as exc:
        services.recipient_confirm(
            actor=world.entry_a, recipient=recipient, proof="photo", proof_file=_photo()
        )
    assert "chưa đồng ý cho chụp ảnh" in str(exc.value)
    recipient.refresh_from_db()
    assert recipient.received_at is None and not StockIssue.objects.exists()


def test_a_withdrawn_consent_to_photos_no_longer_counts(world, plan):  # noqa: F811
    case = make_case(world.commune_a)
    consent = beneficiaries.consent_record(
        actor=None, case=case, purpose="photos", given_on=timezone.localdate(), collected_by="Cán bộ Hội"
    )
    beneficiaries.consent_withdraw(actor=world.entry_a, consent=consent, withdrawn_on=timezone.localdate())
    services.recipients_add(actor=world.manager_a, plan=plan, cases=[case])
    recipient = Recipient.objects.get(plan=plan, case=case)
    with pytest.raises(ValidationError):
        services.recipient_confirm(
            actor=world.entry_a, recipient=recipient, proof="photo", proof_file=_photo()
        )
