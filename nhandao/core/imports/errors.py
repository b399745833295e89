"""The two kinds of import problem.

`ImportRefused`: the file as a whole cannot be read (not a spreadsheet, empty,
too large, formulas, merged header cells, missing columns).  Nothing is written
and the user sees the message.

`CellError`: one cell's value is wrong; the engine records it against the row
and column and carries on, so the dry-run report lists every problem at once.
"""

from __future__ import annotations


class ImportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
