"""Fill English translations into locale/en/LC_MESSAGES/django.po from a Python dict.

Usage: python scripts/po_fill.py TRANSLATIONS.py   (a module defining T = {vi: en})
Entries already translated are left alone unless --force is given; fuzzy flags
on filled entries are removed.  Run `make messages` afterwards to compile.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main(path: str, force: bool = False) -> None:
    table = runpy.run_path(path)["T"]
    po = polib.pofile(str(PO))
    filled = 0
    for entry in po:
        if entry.msgid in table and (force or not entry.msgstr or "fuzzy" in entry.flags):
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.save()
    missing = [e.msgid for e in po if not e.msgstr and not e.msgid_plural]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  ", repr(msgid))


if __name__ == "__main__":
    main(sys.argv[1], force="--force" in sys.argv)
