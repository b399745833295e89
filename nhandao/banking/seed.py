"""Demo data for banking: saved column mappings (statements arrive with the fund ledger)."""

from __future__ import annotations

from nhandao.core.seeding import SeedContext

from . import services


def run(ctx: SeedContext) -> None:
    city = ctx.data["city"]
    services.column_mapping_create(
        actor=None,
        unit=city,
        name="Bảng kê CSV chung (Ngày, Nội dung, Số tiền)",
        date_column="Ngày",
        description_columns="Nội dung",
        amount_column="Số tiền",
        reference_column="Mã giao dịch",
        counterparty_name_column="Người chuyển",
    )
    services.column_mapping_create(
        actor=None,
        unit=ctx.data["commune_a"],
        name="Sao kê theo vị trí cột (A: ngày, B: diễn giải, C: nợ, D: có)",
        bank_code="VBA",
        date_column="A",
        description_columns="B",
        debit_column="C",
        credit_column="D",
        header_row=1,
    )
    ctx.log("  banking: 2 mẫu cột sao kê")
