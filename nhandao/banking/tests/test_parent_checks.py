"""The gift a statement line posts is checked once per statement on PostgreSQL (banking migration
0008), not by a foreign key per row: a line naming a missing gift is refused, by COPY as by
UPDATE, and the line's other references are still checked."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from nhandao.banking.models import LineStatus, StatementLine
from nhandao.core import bulk

from . import samples
from .conftest import import_file
from .test_matching import txns

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps its foreign keys (deferred to the commit)"
    ),
]

MISSING = 987_654_321


def _copy_of_line(line: StatementLine, **changes) -> None:
    columns = [f.attname for f in StatementLine._meta.concrete_fields if not f.primary_key]
    Row = bulk.row_type(StatementLine, columns, "LineCopy")
    values = {c: getattr(line, c) for c in columns}
    values.update({"identity": line.identity + "-copy", "donation_id": None, **changes})
    bulk.insert(Row, [Row(**values)])


def test_a_line_naming_a_missing_gift_is_refused(world, vcb, yagi):
    data = samples.vietcombank_xlsx(txns((f"ung ho {yagi.code}", 500_000), ("khong ro noi dung", 100_000)))
    import_file(world.city_admin, vcb, data)
    posted = StatementLine.objects.filter(bank_account=vcb, status=LineStatus.POSTED).first()
    queued = StatementLine.objects.filter(bank_account=vcb, donation__isnull=True).first()
    assert posted is not None and queued is not None
    with pytest.raises(IntegrityError, match="donation_id"), transaction.atomic():
        _copy_of_line(posted, donation_id=MISSING)
    with pytest.raises(IntegrityError, match="donation_id"), transaction.atomic():
        StatementLine.objects.filter(pk=queued.pk).update(donation_id=MISSING)
    with pytest.raises(IntegrityError, match="statement_import_id"), transaction.atomic():
        _copy_of_line(posted, statement_import_id=MISSING)
    with transaction.atomic():
        _copy_of_line(posted)  # naming existing parents, it is written
    with (
        pytest.raises(IntegrityError, match="still referenced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The gift's posting is deleted with it in one statement (it may not be, the ledger is
        # append-only): the line's trigger refuses first or the ledger's; both refuse.
        cursor.execute("DELETE FROM funds_donation WHERE id = %s", [posted.donation_id])
