"""The import framework: spreadsheets in, checked records out, all or nothing.

Every module that takes data from Excel (people, beneficiary households, bank
statements, …) reuses this package instead of writing its own reader:

1. Declare an `Importer` (base.py): its `key`, `label`, the `permission` needed
   on the target unit, its `columns` (key, Vietnamese header, aliases, required,
   parser from parsers.py), `natural_key(row)`, `validate(rows)` for database
   checks (mark rows that already exist with `row.existing`) and
   `commit(rows, batch)` that writes the valid rows and returns counts.  Register
   it with `@imports.register` from the module's AppConfig.ready().
2. The generic pages do the rest (`nhandao.office.imports.views`, URLs under /nhap-du-lieu/<key>/):
   upload into a unit in the user's scope → dry-run report listing every
   problem by row and column in Vietnamese → confirm (optionally skipping the
   rows with errors) → one transaction.  A downloadable template (template.py)
   has the Vietnamese headers and a guide sheet.
3. `nhandao.office.imports.services.import_check` / `import_commit` are the two writes
   (they live in office because they check the user's scope on the organisation tree); each
   records an ImportBatch (who, when, which file by SHA-256, which unit, the
   counts, the report) and an audit event.  Re-importing a file creates nothing
   new: the natural keys match the records the first import created, and the
   report says when the same file was imported before.

Files are refused as a whole (readers.py, a clear Vietnamese message, nothing
written) when empty, over 50 MB, not XLSX/CSV, containing formulas or merged
cells in the header/data, or missing a required column.  Parsers (parsers.py)
accept messy real data: dd/mm/yyyy, d/m/yy, Excel serials and bare years;
phones with spaces, dots, +84/84 and a dropped leading zero; names in capitals;
amounts written 1.000.000 or 1,000,000 đ.
"""

from .base import IMPORTERS, Column, Importer, Row, get_importer, register
from .errors import CellError, ImportRefused

__all__ = [
    "IMPORTERS",
    "CellError",
    "Column",
    "ImportRefused",
    "Importer",
    "Row",
    "get_importer",
    "register",
]
