"""Registered donors and the documents kept with gifts, pledges and disbursements."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import FUNDS_DRAFT, FUNDS_RECORD, ORG_VIEW
from nhandao.core.text import clean_spaces, search_key, title_name
from nhandao.org import access
from nhandao.org.access import require
from nhandao.people.models import Person

from ..models import Attachment, Display, Donor, DonorKind

MAX_ATTACHMENT = 10 * 1024 * 1024
# File signatures we accept: scans and photos of paper documents.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


def _person_create(*, unit, full_name: str, phone: str, email: str):
    """A minimal Person for a new individual donor (one identity per human: see people.models)."""
    name = title_name(full_name)
    person = Person(
        full_name=name,
        given_name=name.split(" ")[-1] if name else "",
        phone=clean_spaces(phone),
        email=(email or "").strip(),
        unit=unit,
        search_key=search_key(name),
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def donor_create(
    *,
    actor,
    unit,
    kind: str,
    name: str = "",
    person=None,
    phone: str = "",
    email: str = "",
    address: str = "",
    tax_code: str = "",
    contact_name: str = "",
    display: str = Display.FULL,
    note: str = "",
) -> Donor:
    """Register a donor: an organisation, or a person (an existing Person, or a new one made here)."""
    require(actor, FUNDS_RECORD, unit)
    if kind not in DonorKind.values:
        raise ValidationError({"kind": _("Loại nhà hảo tâm không hợp lệ.")})
    if display not in Display.values:
        raise ValidationError({"display": _("Cách hiển thị không hợp lệ.")})
    name = clean_spaces(name)
    if kind == DonorKind.PERSON:
        if person is not None:
            if actor is not None and not access.has_perm(actor, ORG_VIEW, person.unit):
                raise PermissionDenied(_("Người này không thuộc phạm vi của bạn."))
            if Donor.objects.filter(unit=unit, person=person).exists():
                raise ValidationError(
                    {"person": _("“%(n)s” đã là nhà hảo tâm của đơn vị.") % {"n": person.full_name}}
                )
            name = person.full_name
        else:
            if not name:
                raise ValidationError({"name": _("Hãy nhập họ và tên.")})
            person = _person_create(unit=unit, full_name=name, phone=phone, email=email)
            name = person.full_name
        tax_code = ""
    else:
        person = None
        if not name:
            raise ValidationError({"name": _("Hãy nhập tên tổ chức, doanh nghiệp.")})
    donor = Donor(
        unit=unit,
        kind=kind,
        person=person,
        name=name[:200],
        tax_code=clean_spaces(tax_code)[:20],
        contact_name=clean_spaces(contact_name)[:150],
        phone=clean_spaces(phone)[:20],
        email=(email or "").strip(),
        address=clean_spaces(address)[:300],
        display=display,
        note=clean_spaces(note)[:500],
    )
    donor.full_clean()
    donor.save()
    audit.record(actor=actor, action="funds.donor.created", obj=donor, changes=audit.created(donor))
    return donor


DONOR_EDITABLE = ("name", "phone", "email", "address", "tax_code", "contact_name", "display", "note")


@transaction.atomic
def donor_update(*, actor, donor: Donor, **fields) -> Donor:
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    require(actor, FUNDS_RECORD, donor.unit)
    unknown = set(fields) - set(DONOR_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if donor.kind == DonorKind.PERSON:
        fields.pop("name", None)  # a person's name is kept in the registry
        fields.pop("tax_code", None)
    before = audit.snapshot(donor, fields)
    for key, value in fields.items():
        setattr(donor, key, clean_spaces(value) if isinstance(value, str) and key != "email" else value)
    if not donor.name:
        raise ValidationError({"name": _("Hãy nhập tên.")})
    if donor.display not in Display.values:
        raise ValidationError({"display": _("Cách hiển thị không hợp lệ.")})
    donor.full_clean()
    changes = audit.diff(before, audit.snapshot(donor, fields))
    if changes:
        donor.save()
        audit.record(actor=actor, action="funds.donor.updated", obj=donor, changes=changes)
    return donor


def _sniff(upload) -> tuple[str, str]:
    head = upload.read(16)
    upload.seek(0)
    for signature, (content_type, ext) in SIGNATURES.items():
        if head.startswith(signature):
            return content_type, ext
    raise ValidationError({"file": _("Chỉ nhận tệp PDF, PNG hoặc JPEG.")})


@transaction.atomic
def attachment_add(*, actor, upload, donation=None, pledge=None, disbursement=None) -> Attachment:
    owners = [o for o in (donation, pledge, disbursement) if o is not None]
    if len(owners) != 1:
        raise ValueError("exactly one owner")
    owner = owners[0]
    require(actor, FUNDS_DRAFT if disbursement is not None else FUNDS_RECORD, owner.unit)
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationError({"file": _("Hãy chọn tệp.")})
    if upload.size > MAX_ATTACHMENT:
        raise ValidationError({"file": _("Tệp lớn hơn 10 MB.")})
    content_type, ext = _sniff(upload)
    name = clean_spaces(getattr(upload, "name", "")) or f"tep{ext}"
    attachment = Attachment(
        donation=donation,
        pledge=pledge,
        disbursement=disbursement,
        name=name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(f"tep{ext}", upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action="funds.attachment.added",
        obj=owner,
        data={"attachment": attachment.pk, "name": attachment.name, "size": attachment.size},
    )
    return attachment
