"""Demo data for banking: saved column mappings, and commune A's VietinBank account with two
overlapping statements imported (coded gifts posted, a remembered rule applied, a mistyped code
and uncoded lines waiting in the queue to try)."""

from __future__ import annotations

import datetime as dt

from nhandao.campaigns.models import Campaign
from nhandao.core import refcodes
from nhandao.core.seeding import SeedContext
from nhandao.funds.models import BankAccount

from . import services
from .models import RuleTarget
from .services import imports, matching

NAMES = ["NGUYEN THI MAI", "TRAN VAN BINH", "LE THI HOA", "PHAM QUANG HUY", "VU THI LAN", "DO VAN HUNG"]
HEADER = "STT |Ngày GD |Mô tả giao dịch |Có |Tên đối ứng |Số tài khoản"


def _statement(rows: list[tuple[dt.datetime, int, str, str]]) -> bytes:
    """A statement in the VietinBank extract's layout (the real 2024 files')."""
    lines = [HEADER]
    for i, (when, amount, memo, name) in enumerate(rows, start=1):
        lines.append(
            f"{i} |{when:%d/%m/%Y %H:%M:%S}|{memo} |{amount:,} |{name} |10{i:04d}88***".replace(",", ".")
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _mistyped(code: str) -> str:
    for ch in refcodes.ALPHABET:
        candidate = code[:-1] + ch
        if ch != code[-1] and not refcodes.is_valid(candidate):
            return candidate
    return code


def _mappings(ctx: SeedContext) -> None:
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


def run(ctx: SeedContext) -> None:
    _mappings(ctx)
    rng = ctx.sub_rng("banking")
    unit = ctx.data["commune_a"]
    account = BankAccount.objects.filter(unit=unit, bank_bin="970415", is_active=True).first()
    campaigns = [
        c for c in Campaign.objects.filter(status="open").select_related("unit") if c.accepts_from(unit)
    ]
    if account is None or not campaigns:
        ctx.log(
            "  banking: 2 mẫu cột sao kê (không có tài khoản hoặc cuộc vận động đang mở để nhập sao kê mẫu)"
        )
        return
    campaign, other = campaigns[0], campaigns[-1]
    officer = ctx.data["users"].get("ketoan.lechan")
    services.rule_create(
        actor=None,
        bank_account=account,
        query="ung ho ao am",
        target=matching.Target(RuleTarget.CAMPAIGN, campaign=other),
    )
    start = dt.datetime.combine(ctx.today - dt.timedelta(days=6), dt.time(8, 0))
    rows = []
    for i in range(40):
        when = start + dt.timedelta(hours=3 * i, minutes=rng.randrange(60), seconds=rng.randrange(60))
        name = NAMES[i % len(NAMES)]
        amount = rng.choice([50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000])
        kind = i % 10
        if kind < 4:
            memo = f"{name} chuyen tien ung ho {campaign.code}"
        elif kind < 6:
            memo = f"{name} ung ho ao am cho tre em vung cao"
        elif kind == 6:
            memo = f"{name} ung ho {_mistyped(campaign.code)}"
        elif kind == 7:
            memo = "Ung ho bao Yagi mien Bac"
        elif kind == 8:
            memo = f"CT nhanh 247 den: {name} ung ho quy nhan dao phuong"
        else:
            memo = "Tra lai tien chuyen nham"
        rows.append((when, amount, memo, name))
    first, second = rows[:28], rows[20:]  # overlapping statements: 8 lines in both
    for number, part in ((1, first), (2, second)):
        imp = imports.statement_upload(
            actor=officer, bank_account=account, data=_statement(part), filename=f"vietinbank-{number}.psv"
        )
        imp = imports.run_now(imp)
        if imp.status != "checked":
            ctx.log(f"  banking: sao kê mẫu bị từ chối: {imp.message}")
            return
        imports.statement_commit(actor=officer, statement_import=imp)
        imports.run_now(imp)
    ctx.log(
        "  banking: 2 mẫu cột sao kê, 2 sao kê gối ngày của tài khoản VietinBank phường Lê Chân, 1 quy tắc"
    )
