"""What the blood module holds about a person, and how it forgets them (core.subjects).

The person's own screening values and deferral reasons are health data: the access export gives
them to the person; shredding blanks the screening values, the prescreen answers, the deferral
reasons and adverse events.  Donation dates, kinds and volumes stay (the honours and the city's
collection figures count them); the donor profile's counters are derived from them.
"""

from __future__ import annotations

from nhandao.core.subjects import Section, text

from .models import Deferral, Donation, Donor, OrganPledge, Registration, Visit


def collect(person) -> list[Section]:
    donor = Donor.objects.filter(person=person).first()
    sections = []
    if donor is not None:
        sections.append(
            Section(
                "Người hiến máu",
                [
                    {
                        "Nhóm máu": donor.get_blood_group_display() if donor.blood_group else "",
                        "Đồng ý được gọi khi cần máu khẩn cấp": text(donor.emergency_consent),
                        "Số lần hiến": text(donor.donation_count),
                    }
                ],
            )
        )
        sections.append(
            Section(
                "Các lần hiến máu",
                [
                    {
                        "Ngày hiến": text(d.donated_on),
                        "Loại": d.get_kind_display(),
                        "Thể tích (ml)": text(d.volume_ml),
                        "Số túi máu": d.bag_number,
                    }
                    for d in Donation.objects.filter(donor=donor).order_by("donated_on", "id")
                ],
            )
        )
        sections.append(
            Section(
                "Kết quả khám sàng lọc",
                [
                    {
                        "Giờ đến": text(v.checked_in_at),
                        "Cân nặng (kg)": text(v.weight),
                        "Huyết sắc tố (g/l)": text(v.haemoglobin),
                        "Kết quả": v.get_result_display() if v.result else "",
                    }
                    for v in Visit.objects.filter(donor=donor).order_by("checked_in_at", "id")
                ],
            )
        )
        sections.append(
            Section(
                "Tạm hoãn hiến máu",
                [
                    {"Ngày": text(d.on), "Hoãn đến ngày": text(d.until), "Lý do": d.reason}
                    for d in Deferral.objects.filter(donor=donor).order_by("on", "id")
                ],
            )
        )
    sections.append(
        Section(
            "Đăng ký hiến mô, tạng",
            [
                {"Số thẻ": p.code, "Ngày đăng ký": text(p.pledged_on), "Ngày rút": text(p.withdrawn_on)}
                for p in OrganPledge.objects.filter(person=person).order_by("id")
            ],
        )
    )
    return [s for s in sections if s.rows]


def shred(person, actor) -> int:
    donor = Donor.objects.select_for_update().filter(person=person).first()
    if donor is None:
        return 0
    n = Visit.objects.filter(donor=donor).update(
        weight=None, haemoglobin=None, bp_systolic=None, bp_diastolic=None
    )
    n += Registration.objects.filter(donor=donor).update(prescreen={})
    n += Deferral.objects.filter(donor=donor).update(reason="")
    n += Donation.objects.filter(donor=donor).update(adverse_event="")
    donor.emergency_consent = False
    donor.emergency_consent_at = None
    donor.save(update_fields=["emergency_consent", "emergency_consent_at"])
    return n + 1


def withdraw(person, actor) -> int:
    return Donor.objects.filter(person=person, emergency_consent=True).update(
        emergency_consent=False, emergency_consent_at=None
    )
