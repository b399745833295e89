"""The list of a commendation proposal as a DOCX in the layout of Decree 30/2020/NĐ-CP.

The page, the styles, the letterhead, the table and the signature with "Nơi nhận" are the shared
ones of `nhandao.core.docx30` (one home for the Decree 30 layout).
"""

from __future__ import annotations

from nhandao.core import docx30 as d30
from nhandao.core.formatting import number

from .models import Proposal, ProposalLevel, ProposalStatus

RECIPIENT = {
    ProposalLevel.CENTRAL: "Trung ương Hội Chữ thập đỏ Việt Nam",
    ProposalLevel.CITY_COMMITTEE: "Ủy ban nhân dân thành phố Hải Phòng",
    ProposalLevel.CITY_SOCIETY: "Ban Thường vụ Hội Chữ thập đỏ thành phố",
}


def proposal_rows(proposal: Proposal) -> list[list[str]]:
    items = proposal.items.select_related("unit", "person").order_by("person_id", "id")
    if proposal.status in (ProposalStatus.REVIEWED, ProposalStatus.DECIDED):
        items = items.filter(accepted=True)
    rows = []
    for n, item in enumerate(items, start=1):
        who = item.unit.name if item.unit_id else item.person.full_name
        kind = "Tập thể" if item.unit_id else "Cá nhân"
        rows.append([str(n), who, kind, item.reason])
    return rows


def proposal_docx(proposal: Proposal, *, on=None) -> bytes:
    """The list under the proposing unit's letterhead, one row per accepted item, signed by the unit."""
    letterhead = d30.Letterhead(
        issuer=proposal.unit.name.upper(),
        recipients=(RECIPIENT[proposal.level], "Lưu: VT"),
    )
    doc = d30.new_document()
    d30.letterhead_block(doc, letterhead, reference="      /DS-CTĐ", issued_on=on or proposal.decided_on)
    d30.styled(doc, "Title").add_run("DANH SÁCH")
    d30.styled(doc, "Title").add_run(f"Đề nghị {proposal.title} năm {proposal.year}")
    d30.body(doc, f"Kính gửi: {RECIPIENT[proposal.level]}.", italic=True)
    if proposal.decision_number:
        d30.body(doc, f"Kèm theo Quyết định số {proposal.decision_number}.")
    rows = proposal_rows(proposal)
    d30.table(
        doc,
        ["STT", "Tập thể, cá nhân", "Loại", "Thành tích"],
        rows,
        [1.2, 5.5, 2.0, 7.8],
        aligns=[d30.CENTER, d30.LEFT, d30.LEFT, d30.LEFT],
    )
    d30.body(doc, f"Danh sách gồm {number(len(rows))} tập thể, cá nhân./.")
    d30.signature_block(doc, letterhead)
    return d30.to_bytes(doc)
