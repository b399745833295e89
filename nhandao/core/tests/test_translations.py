"""The English catalogue (locale/en/LC_MESSAGES/django.po) is the one home of the English text.

Every string is translated there, none is fuzzy, the compiled .mo says the same as the .po, and every string
the code marks for translation has its entry (so a new string without English fails the suite).
The rendered pages are checked in test_english.py.
"""

import gettext
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"


def untranslated(po_path: Path) -> list[str]:
    """Entries without English (the header is metadata, not an entry)."""
    po = polib.pofile(str(po_path))
    return [_name(e) for e in po if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]


def fuzzy(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    return [_name(e) for e in po.fuzzy_entries()]


def _name(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt} | {entry.msgid}" if entry.msgctxt else entry.msgid


def catalogue(mo_path: Path) -> dict:
    """What Django's gettext reads from a compiled file, without the header (it carries dates)."""
    with open(mo_path, "rb") as f:
        messages = gettext.GNUTranslations(f)._catalog
    messages.pop("", None)
    return messages


def compiled(po_path: Path, directory: Path) -> dict:
    mo_path = directory / "compiled.mo"
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return catalogue(mo_path)


def test_every_entry_of_the_english_catalogue_is_translated():
    assert untranslated(PO) == []


def test_no_english_translation_is_fuzzy():
    # gettext ignores fuzzy entries: the page would show Vietnamese.
    assert fuzzy(PO) == []


def test_the_compiled_english_catalogue_matches_the_po_file(tmp_path):
    # After editing the .po: `make messages` (or manage.py compilemessages -l en --ignore=.venv).
    assert catalogue(MO) == compiled(PO, tmp_path)


def test_the_checks_notice_a_missing_a_fuzzy_and_an_uncompiled_translation(tmp_path):
    po = polib.pofile(str(PO))
    entries = [e for e in po if not e.msgid_plural]
    entries[0].msgstr = ""
    entries[1].flags.append("fuzzy")
    entries[2].msgstr = entries[2].msgstr + " (changed)"
    edited = tmp_path / "django.po"
    po.save(str(edited))

    assert untranslated(edited) == [_name(entries[0])]
    assert fuzzy(edited) == [_name(entries[1])]
    assert catalogue(MO) != compiled(edited, tmp_path)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (xgettext)")
def test_every_string_marked_for_translation_has_english(tmp_path, monkeypatch):
    # makemessages into a copy of the catalogue: the real .po keeps its line references untouched.
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO, copy / "django.po")
    monkeypatch.chdir(settings.BASE_DIR / "nhandao")  # no locale/ here, so the copy is the only target
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    assert untranslated(copy / "django.po") == []
