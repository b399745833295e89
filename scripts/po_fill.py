"""Fill English translations into locale/en/LC_MESSAGES/django.po from Python dicts.

Usage: python scripts/po_fill.py [--force] TRANSLATIONS.py [MORE.py ...]

Each module defines T = {key: value}:
  - key is the Vietnamese msgid, or a tuple (msgctxt, msgid) for an entry with
    a context (`{% translate "Thu" context "sổ quỹ: tiền vào" %}`, pgettext);
  - value is the English text, or a tuple (singular, plural) for an entry with a
    plural form (ngettext, `{% blocktranslate count %}`).
Entries already translated are left alone unless --force is given; fuzzy flags
on filled entries are removed.  `python scripts/po_fill.py scripts/translations/*.py`
re-applies every dict after a new `makemessages`; run `make messages` afterwards
to compile (it also rewraps the file the way gettext does, so diffs stay small).
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def load(paths: list[str]) -> dict:
    table: dict = {}
    for path in paths:
        table.update(runpy.run_path(path)["T"])
    return table


def fill(entry: polib.POEntry, value) -> None:
    if entry.msgid_plural:
        singular, plural = value if isinstance(value, tuple) else (value, value)
        entry.msgstr_plural = {0: singular, 1: plural}
    else:
        if isinstance(value, tuple):
            raise ValueError(f"{entry.msgid!r} has no plural form but got {value!r}")
        entry.msgstr = value
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def main(paths: list[str], force: bool = False) -> None:
    table = load(paths)
    po = polib.pofile(str(PO), wrapwidth=79)
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
        if key in table and (force or not entry.translated()):
            fill(entry, table[key])
            filled += 1
    if filled:
        po.save()
    missing = [e for e in po if not e.obsolete and not e.translated()]
    print(f"filled {filled}; still untranslated or fuzzy: {len(missing)}")
    for entry in missing:
        print("  ", repr((entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--force"]
    main(args, force="--force" in sys.argv)
