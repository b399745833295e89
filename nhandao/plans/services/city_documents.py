"""The city's consolidated report of a round as a DOCX: drafts and issuing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit

from ..models import (
    CityDocument,
    DocumentStatus,
    Round,
)
from .common import _manage


@transaction.atomic
def document_generate(*, actor, round: Round, data: bytes, year: int | None = None) -> CityDocument:
    """Store a (re)generated draft of the round's consolidated report; `data` is the DOCX."""
    _manage(actor)
    document = round.documents.select_for_update().filter(status=DocumentStatus.DRAFT).first()
    if document is None:
        document = CityDocument(round=round, year=year or timezone.localdate().year)
    elif document.file:
        document.file.delete(save=False)
    document.file.save("bao-cao.docx", ContentFile(data), save=False)
    document.save()
    audit.record(
        actor=actor,
        action="plans.document.generated",
        obj=document,
        data={"round": round.pk, "bytes": len(data)},
    )
    return document


@transaction.atomic
def document_issue(
    *, actor, document: CityDocument, issued_on: dt.date, data_for, number: int | None = None
) -> CityDocument:
    """Assign the number (the next free one of the year unless given), store the final file and
    freeze the document.  `data_for(document)` renders the DOCX with its number and date."""
    _manage(actor)
    document = CityDocument.objects.select_for_update().get(pk=document.pk)
    if document.status == DocumentStatus.ISSUED:
        raise ValidationError(_("Văn bản đã ban hành, không thay đổi được."))
    year = issued_on.year
    if number is None:
        number = (
            CityDocument.objects.filter(symbol=document.symbol, year=year).aggregate(m=Max("number"))["m"]
            or 0
        ) + 1
    if CityDocument.objects.filter(symbol=document.symbol, year=year, number=number).exists():
        raise ValidationError(
            {
                "number": _("Số %(n)s/%(s)s năm %(y)s đã được dùng cho văn bản khác.")
                % {"n": number, "s": document.symbol, "y": year}
            }
        )
    document.number, document.year, document.issued_on = number, year, issued_on
    document.status = DocumentStatus.ISSUED
    document.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    if document.file:
        document.file.delete(save=False)
    document.file.save("bao-cao.docx", ContentFile(data_for(document)), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise ValidationError(
            {
                "number": _("Số %(n)s/%(s)s năm %(y)s đã được dùng cho văn bản khác.")
                % {"n": number, "s": document.symbol, "y": year}
            }
        ) from None
    audit.record(
        actor=actor,
        action="plans.document.issued",
        obj=document,
        changes={
            "number": {"before": None, "after": number},
            "status": {"before": "draft", "after": "issued"},
        },
    )
    return document
