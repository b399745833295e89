"""What the people registry holds about a person, and how it forgets them (core.subjects)."""

from __future__ import annotations

from nhandao.core.subjects import Section, pseudonym, text

from .models import Award, DuesPayment, Person, PersonRole, TrainingParticipant, VolunteerHours


def collect(person) -> list[Section]:
    profile = Section(
        "Thông tin cá nhân",
        [
            {"Họ và tên": person.full_name},
            {"Giới tính": person.get_sex_display() if person.sex else ""},
            {"Ngày sinh": person.birth_display},
            {"Số CCCD": person.cccd or ""},
            {"Số CMND cũ": person.legacy_id_number},
            {"Điện thoại": person.phone},
            {"Thư điện tử": person.email},
            {"Dân tộc": person.get_ethnicity_display() if person.ethnicity else ""},
            {"Địa chỉ": ", ".join(x for x in (person.address_detail, str(person.ward or "")) if x)},
            {"Nghề nghiệp": person.occupation},
            {"Nơi làm việc, học tập": person.workplace},
            {"Đơn vị quản lý": person.unit.name},
            {"Ghi chú": person.note},
        ],
    )
    roles = Section(
        "Vai trò trong Hội",
        [
            {
                "Vai trò": r.get_kind_display(),
                "Trạng thái": r.get_status_display(),
                "Từ ngày": text(r.started_on),
                "Đến ngày": text(r.ended_on),
                "Đơn vị": r.unit.name,
                "Số thẻ": r.card_number or "",
            }
            for r in PersonRole.objects.filter(person=person).select_related("unit").order_by("id")
        ],
    )
    dues = Section(
        "Hội phí",
        [
            {
                "Năm": text(d.year),
                "Số tiền (đồng)": text(d.amount),
                "Ngày nộp": text(d.paid_on),
                "Miễn": text(d.exempt),
            }
            for d in DuesPayment.objects.filter(person=person).order_by("year")
        ],
    )
    hours = Section(
        "Giờ tình nguyện",
        [
            {"Ngày": text(h.date), "Hoạt động": h.activity, "Số giờ": text(h.hours)}
            for h in VolunteerHours.objects.filter(person=person).order_by("date", "id")
        ],
    )
    training = Section(
        "Tập huấn",
        [
            {"Lớp": t.session.title, "Đạt": text(t.passed), "Số chứng nhận": t.certificate_number}
            for t in TrainingParticipant.objects.filter(person=person)
            .select_related("session")
            .order_by("id")
        ],
    )
    awards = Section(
        "Khen thưởng",
        [
            {"Hình thức": a.title, "Ngày khen": text(a.awarded_on), "Số quyết định": a.decision_number}
            for a in Award.objects.filter(person=person).order_by("awarded_on", "id")
        ],
    )
    return [s for s in (profile, roles, dues, hours, training, awards) if s.rows]


def shred(person, actor) -> int:
    """The person keeps their row (every record points at it) under a pseudonym; identifying
    fields are blanked.  Roles, dues amounts and hours stay: they are the unit's statistics."""

    person = Person.objects.select_for_update().get(pk=person.pk)
    person.full_name = pseudonym(person.pk)
    # The ward and sex stay: the unit's statistics count by them, and neither names anyone.
    for name in ("cccd", "date_of_birth", "birth_year"):
        setattr(person, name, None)
    for name in ("legacy_id_number", "phone", "email", "address_detail", "occupation", "workplace", "note"):
        setattr(person, name, "")
    person.ethnicity = ""
    person.refresh_keys()
    person.save()
    PersonRole.objects.filter(person=person).exclude(card_token=None).update(card_token=None)
    return 1
