"""Communes that disappeared BEFORE the 30/06/2025 snapshot, so old addresses still resolve.

The official mapping (WardConversion) starts from the list in force on
30/06/2025.  Records made earlier name communes merged before that date, e.g.
"Phường Cát Dài, Quận Lê Chân", merged on 01/01/2025.  Each entry below says
which district the commune belonged to, when it ended, under which act, and —
when known — the wards of the 30/06/2025 list that took it over.  When the
successor is not known for certain, `successors` is empty and every ward of the
same former district is a candidate: the address then resolves only if all of
them lead to the same current unit, and is flagged with the candidates
otherwise.  Nothing is guessed.

Sources (checked through public pages; "verified" below refers to the entry's
successor, not to the act, which is verified for every entry):
- NQ 1232/NQ-UBTVQH15 of 24/10/2024 on arranging district- and commune-level
  units of Hải Phòng 2023–2025, in force 01/01/2025 (Hải Phòng then had 167
  commune-level units: 79 phường, 7 thị trấn, 81 xã) — reported by CafeF,
  09/01/2025, "310 thôn ở Hải Phòng chuyển thành tổ dân phố sau sắp xếp".
- The wards of quận Lê Chân, Ngô Quyền, Hồng Bàng before 2025 as published in
  the GSO list (codes 11368 Cát Dài, 11374 Lam Sơn, …) and repeated in many
  public address datasets; quận Kiến An's ten wards as set by NĐ 54/2007/NĐ-CP
  (Bắc Sơn, Ngọc Sơn, Trần Thành Ngọ, Đồng Hoà, Nam Sơn, Phù Liễn, Tràng Minh,
  Văn Đẩu, Quán Trữ, Lãm Hà) — thukyluat.vn summary of the decree.
- Which ward each of them joined on 01/01/2025 is NOT verified here: the text
  of NQ 1232 was not available to us.  These entries therefore list no
  successor (verified=False) and resolve through their former district.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REFORM_2025_01 = dt.date(2025, 1, 1)
NQ_1232 = "NQ 1232/NQ-UBTVQH15 ngày 24/10/2024"


@dataclass(frozen=True)
class EarlierChange:
    province: str  # GSO code of the province (after 2025: "31" Hải Phòng)
    name: str  # the commune as written before it ended: "Phường Cát Dài"
    district: str  # its district then: "Quận Lê Chân"
    ended: dt.date  # first day it no longer existed
    act: str
    successors: tuple[str, ...] = ()  # wards of the 30/06/2025 list (same district) that took it over
    verified: bool = False  # True only when `successors` was checked against the act


def _lost(district: str, names: str) -> list[EarlierChange]:
    return [
        EarlierChange("31", f"Phường {name.strip()}", district, REFORM_2025_01, NQ_1232)
        for name in names.split(",")
    ]


EARLIER_CHANGES: list[EarlierChange] = [
    *_lost("Quận Lê Chân", "Cát Dài, Lam Sơn, Đông Hải, Dư Hàng, Hồ Nam, Trại Cau, Nghĩa Xá, Niệm Nghĩa"),
    *_lost("Quận Ngô Quyền", "Máy Tơ, Lạc Viên, Lương Khánh Thiện, Lê Lợi, Đổng Quốc Bình"),
    *_lost("Quận Hồng Bàng", "Hạ Lý, Trại Chuối"),
    *_lost("Quận Kiến An", "Quán Trữ, Lãm Hà, Phù Liễn, Tràng Minh"),
]
