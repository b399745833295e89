"""The audit trail in words: sentences and formatted changes (core.audit_text), and the pages that
show them instead of event codes."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.utils import translation
from django.utils.text import camel_case_to_spaces

from nhandao.core import audit_text
from nhandao.core.audit import MASK
from nhandao.core.models import AuditEvent


def _event(**kw) -> AuditEvent:
    fields = {
        "actor_label": "Đỗ Thị Hằng",
        "action": "funds.donation.recorded",
        "object_type": "funds.donation",
        "object_id": "53",
        "object_repr": "BN2026-000053",
        "unit_label": "Hội CTĐ phường Lê Chân",
        "changes": {},
    }
    fields.update(kw)
    return AuditEvent(**fields)


def test_an_event_reads_as_who_did_what_to_which_record_of_which_unit():
    assert audit_text.sentence(_event()) == (
        "Đỗ Thị Hằng ghi nhận khoản ủng hộ BN2026-000053 của Hội CTĐ phường Lê Chân"
    )


def test_an_event_without_a_person_is_the_systems_and_an_unknown_code_keeps_its_last_word():
    text = audit_text.sentence(_event(actor_label="", action="funds.donation.frobbed"))
    assert text.startswith("Hệ thống frobbed khoản ủng hộ BN2026-000053")


def test_the_sentence_is_in_the_users_language():
    with translation.override("en"):
        assert audit_text.sentence(_event()) == (
            "Đỗ Thị Hằng recorded donation BN2026-000053 of Hội CTĐ phường Lê Chân"
        )


def test_an_app_may_give_one_of_its_codes_its_own_verb(monkeypatch):
    monkeypatch.setitem(audit_text.CODE_VERBS, "funds.donation.recorded", "nhận tiền mặt")
    assert audit_text.sentence(_event()).startswith("Đỗ Thị Hằng nhận tiền mặt khoản ủng hộ")


def test_changed_fields_show_their_labels_and_values_as_people_read_them():
    event = _event(
        action="funds.donation.updated",
        changes={
            "amount": {"before": 1250000, "after": 2000000},
            "received_on": {"before": "2026-01-05", "after": "2026-02-28"},
            "status": {"before": "posted", "after": "reversed"},
            "donor": {"before": None, "after": {"id": 7, "repr": "Công ty TNHH An Phát"}},
            "note": {"before": "", "after": "Chuyển khoản"},
        },
    )
    rows = {c.field: (c.label, c.before, c.after) for c in audit_text.changes(event)}
    assert rows["amount"] == ("Số tiền (đồng)", "1.250.000 ₫", "2.000.000 ₫")
    assert rows["received_on"] == ("Ngày nhận", "05/01/2026", "28/02/2026")
    assert rows["status"] == ("Trạng thái", "Đã ghi sổ", "Đã hủy bằng bút toán đảo")
    assert rows["donor"][1:] == ("—", "Công ty TNHH An Phát")
    assert rows["note"] == ("Ghi chú", "—", "Chuyển khoản")


def test_choices_show_their_label_and_flags_say_yes_or_no():
    event = _event(
        action="org.unit.updated",
        object_type="org.unit",
        changes={"kind": {"before": None, "after": "commune"}, "is_active": {"before": True, "after": False}},
    )
    rows = {c.field: (c.before, c.after) for c in audit_text.changes(event)}
    assert rows["is_active"] == ("Có", "Không")
    assert rows["kind"] == ("—", "Xã, phường, đặc khu")


def test_masked_values_stay_masked_and_removed_fields_keep_their_name():
    event = _event(
        object_type="people.person",
        changes={"cccd": {"before": "", "after": f"0311{MASK}23"}, "gone_field": {"before": 1, "after": 2}},
    )
    rows = {c.field: (c.label, c.before, c.after) for c in audit_text.changes(event)}
    assert rows["cccd"][2] == f"0311{MASK}23"
    assert rows["gone_field"] == ("Gone_field", "1", "2")


def test_every_event_the_project_writes_reads_as_a_sentence_with_a_verb_in_words():
    """The history shows sentences, never an English code word ("… published tin bài …"): every
    literal event code in the source, and each step of a data-subject request, has its verb."""
    root = Path(audit_text.__file__).resolve().parents[1]
    codes = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes.update(re.findall(r'action="([a-z_]+(?:\.[a-z_0-9]+)+)"', text))
        if path.parent.name == "privacy" and path.name == "services.py":
            steps = re.findall(r'_step\([^,]+, [^,]+, "([a-z_]+)"', text)
            assert steps, "privacy's request steps moved: update this test"
            codes.update(f"privacy.request.{step}" for step in steps)
    assert len(codes) > 150
    known = set(audit_text.VERBS) | set(audit_text.CODE_VERBS)
    missing = sorted(c for c in codes if c not in audit_text.CODE_VERBS and c.rsplit(".", 1)[-1] not in known)
    assert missing == []
    with translation.override("en"):
        for code in codes:
            assert audit_text.verb(code).isascii(), code  # English words, no Vietnamese left


def test_every_model_has_a_name_in_words_for_the_history():
    """A sentence names the record by its model's verbose name ("… đặt unit profile …" read half
    in English): every project model names itself in Vietnamese, not Django's default from the
    class name."""
    with translation.override("vi"):
        defaults = [
            m._meta.label
            for m in apps.get_models()
            if m.__module__.startswith("nhandao.")
            and str(m._meta.verbose_name) == camel_case_to_spaces(m.__name__)
        ]
    assert defaults == []


def test_a_sentence_begins_with_a_capital_whatever_the_stored_label():
    assert audit_text.sentence(_event(actor_label="hệ thống")).startswith("Hệ thống ghi nhận khoản ủng hộ")
