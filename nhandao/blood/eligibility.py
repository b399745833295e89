"""Who may give blood, when, and how much: the one place the rules live.

Used by the public registration form, the check-in and the reminders (messages.py);
`manage.py blood_eligibility` asks it from the command line.  Pure: no
database, only dates, numbers and the history given.

The rules are those of Thông tư 26/2013/TT-BYT (hướng dẫn hoạt động truyền máu, signed
16/09/2013, in force 15/11/2013).  Checked on 06/12/2026 against the text as quoted by
thuvienphapluat.vn (Điều 6, and the document itself) and lawnet.vn (Điều 4 khoản 1 and 2):

- Điều 4 khoản 1 (tiêu chuẩn người hiến máu: tuổi): "từ đủ 18 tuổi đến 60 tuổi"; we read "đến 60
  tuổi" as: until the day before the 61st birthday.
- Điều 4 khoản 2 điểm a (cân nặng, máu toàn phần): at least 42 kg for women and 45 kg for men;
  42 to under 45 kg: at most 250 ml a time; 45 kg and more: at most 9 ml per kg and 500 ml a time.
- Điều 4 khoản 2 điểm b (gạn tách): "Người có cân nặng ít nhất là 50 kg được phép hiến các thành
  phần máu bằng gạn tách; ... tổng thể tích các thành phần máu hiến không quá 500 ml; Người có cân
  nặng ít nhất là 60 kg được phép hiến tổng thể tích các thành phần máu hiến mỗi lần không quá
  650 ml" (quoted by lawnet.vn, checked 06/12/2026).  Modelled: `max_apheresis_volume` (0 under
  50 kg, 500 ml from 50 kg, 650 ml from 60 kg); an apheresis donation's total volume, when the
  centre records it, is checked against it.
- Điều 5 (trì hoãn): 12 months after childbirth or the end of a pregnancy, a transfusion; 6 months
  after a tattoo, a piercing, exposure to blood, recovery from typhoid, septicaemia, a snake
  bite…; 4 weeks after recovery from gastro-enteritis, a urinary infection, pneumonia, measles…;
  7 days after recovery from flu, a cold, a sore throat.
- Điều 6 (khoảng cách tối thiểu): khoản 1, 12 weeks between two donations of whole blood or red
  cells by apheresis; khoản 2, 2 weeks between two of plasma or platelets by apheresis; khoản 4,
  when types alternate, the type given last decides.  Khoản 3 (granulocytes or stem cells: at
  most three times in 7 days) is not modelled: nhandao does not record those donations.
- A yearly maximum: the circular sets none beyond the intervals, so `Rules.max_per_year` is None;
  a centre that sets one gets it enforced.

Later amendments: Thông tư 18/2022/TT-BYT amends TT 26/2013; its text could not be found with the
sources available when this was checked (06/12/2026, searched again the same day: only TT 26/2013
itself and pages quoting its Điều 4-6 came back), so whether it changed any of the points above is
NOT verified here.  Centres' own practice may be stricter than the circular: the Viện Huyết học -
Truyền máu Trung ương tells platelet donors to wait 3 weeks (suckhoedoisong.vn, 2019;
alobacsi.com), not the circular's 2; a centre that applies it sets `short_interval_days=21`.  Whoever checks the rules: compare Điều 4, 5 and 6 as amended with
`Rules` and `EVENT_DEFERRALS` below; every figure lives there, nowhere else.

A 29 February birthday falls on 1 March in other years (the person is a full
year older only once 28 February has passed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from nhandao.core.formatting import date as fmt_date

WHOLE, RED_CELLS, PLASMA, PLATELETS = "whole", "red_cells", "plasma", "platelets"
KINDS = (WHOLE, RED_CELLS, PLASMA, PLATELETS)
APHERESIS = (RED_CELLS, PLASMA, PLATELETS)
BAGS_ML = (250, 350, 450)


@dataclass(frozen=True)
class Rules:
    min_age: int = 18
    max_age: int = 60
    min_weight_female: float = 42
    min_weight_male: float = 45
    small_volume_below: float = 45  # under this weight: at most `small_volume_ml`
    small_volume_ml: int = 250
    ml_per_kg: int = 9
    max_volume_ml: int = 500
    apheresis_min_weight: float = 50  # Điều 4.2.b
    apheresis_max_volume_ml: int = 500  # Điều 4.2.b: all components of one apheresis together
    apheresis_large_weight: float = 60  # Điều 4.2.b: from this weight ...
    apheresis_large_max_volume_ml: int = 650  # ... at most this much
    long_interval_days: int = 84  # 12 weeks: whole blood, red cells
    short_interval_days: int = 14  # 2 weeks: plasma, platelets
    max_per_year: int | None = None


RULES = Rules()

# Pre-screening events (Điều 5): code -> (months, days) of deferral from the event's date.
EVENT_DEFERRALS: dict[str, tuple[int, int]] = {
    "childbirth": (12, 0),
    "transfusion": (12, 0),
    "tattoo": (6, 0),
    "piercing": (6, 0),
    "blood_exposure": (6, 0),
    "serious_illness": (6, 0),
    "infection": (0, 28),
    "flu": (0, 7),
}


def event_labels() -> dict[str, str]:
    return {
        "childbirth": _("sinh con hoặc kết thúc thai kỳ"),
        "transfusion": _("được truyền máu"),
        "tattoo": _("xăm trên da"),
        "piercing": _("bấm lỗ tai, mũi, rốn hoặc nơi khác"),
        "blood_exposure": _("phơi nhiễm với máu, dịch cơ thể"),
        "serious_illness": _("khỏi thương hàn, nhiễm trùng huyết, rắn cắn, viêm tụy…"),
        "infection": _("khỏi viêm dạ dày ruột, nhiễm trùng tiết niệu, viêm phổi, sởi…"),
        "flu": _("khỏi cúm, cảm lạnh, viêm họng"),
    }


@dataclass(frozen=True)
class Past:
    """A donation already given."""

    kind: str
    on: dt.date


@dataclass(frozen=True)
class Deferral:
    """Not before `until` (the first day allowed again); `until` None: never."""

    until: dt.date | None
    reason: str


@dataclass(frozen=True)
class Reason:
    code: str  # age_min, age_max, weight, interval, yearly, deferral
    text: str
    until: dt.date | None  # the first day this reason no longer holds; None: no date known


@dataclass(frozen=True)
class Verdict:
    on: dt.date
    eligible: bool
    next_date: dt.date | None  # `on` when eligible; None when no date can be given
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    max_volume_ml: int = 0
    apheresis: bool = False
    max_apheresis_ml: int = 0

    @property
    def largest_bag_ml(self) -> int | None:
        fitting = [b for b in BAGS_ML if b <= self.max_volume_ml]
        return max(fitting) if fitting else None

    def allows(self, kind: str, volume_ml: int | None = None) -> bool:
        if not self.eligible:
            return False
        if kind in APHERESIS:
            return self.apheresis and (volume_ml is None or volume_ml <= self.max_apheresis_ml)
        return volume_ml is None or volume_ml <= self.max_volume_ml

    def headline(self) -> str:
        """The verdict's first line, as the command prints it (English, for the people who check)."""
        if self.eligible:
            return "eligible"
        if self.next_date is None:
            return "not eligible"
        return f"not eligible until {self.next_date:%d/%m/%Y}"

    def explanation(self) -> str:
        if self.eligible:
            return _("Đủ điều kiện hiến máu ngày %(d)s.") % {"d": fmt_date(self.on)}
        return " ".join(r.text for r in self.reasons)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later; a day the month lacks moves to the 1st of the next month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    try:
        return day.replace(year=year, month=month)
    except ValueError:  # 29-31 in a shorter month
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return nxt


def anniversary(born: dt.date, years: int) -> dt.date:
    """The day a person born on `born` is a full `years` old (29/02 -> 01/03 in other years)."""
    return add_months(born, 12 * years)


def age_on(born: dt.date, on: dt.date) -> int:
    years = on.year - born.year
    return years if anniversary(born, years) <= on else years - 1


def deferral_for_event(event: str, on: dt.date) -> Deferral:
    months, days = EVENT_DEFERRALS[event]
    until = add_months(on, months) + dt.timedelta(days=days)
    return Deferral(until, event_labels()[event])


def max_volume(weight: float | None, sex: str, rules: Rules = RULES) -> int:
    """The largest whole-blood volume in ml for this weight (0: too light to give)."""
    if weight is None:
        return 0
    minimum = rules.min_weight_female if sex == "F" else rules.min_weight_male
    if weight < minimum:
        return 0
    if weight < rules.small_volume_below:
        return rules.small_volume_ml
    return min(rules.max_volume_ml, int(rules.ml_per_kg * weight))


def max_apheresis_volume(weight: float | None, rules: Rules = RULES) -> int:
    """The largest total volume in ml of one apheresis donation for this weight (0: under 50 kg)."""
    if weight is None or weight < rules.apheresis_min_weight:
        return 0
    if weight >= rules.apheresis_large_weight:
        return rules.apheresis_large_max_volume_ml
    return rules.apheresis_max_volume_ml


def interval_days(kind: str, rules: Rules = RULES) -> int:
    return rules.short_interval_days if kind in (PLASMA, PLATELETS) else rules.long_interval_days


def assess(
    *,
    born: dt.date,
    sex: str,
    weight: float | None,
    on: dt.date,
    history: Iterable[Past] = (),
    deferrals: Iterable[Deferral] = (),
    rules: Rules = RULES,
) -> Verdict:
    """May this person give on `on`, and if not, from which date.

    Every rule that blocks is a Reason with the first day it stops blocking;
    the next eligible date is the latest of them (each only ever stops
    blocking as time passes, so the latest is the first day all are clear),
    unless that day is past the upper age limit, or a reason has no date
    (too light, a permanent deferral): then no date is given.
    """
    reasons: list[Reason] = []
    volume = max_volume(weight, sex, rules)
    apheresis_ml = max_apheresis_volume(weight, rules)
    apheresis = apheresis_ml > 0
    adult = anniversary(born, rules.min_age)
    last_day = anniversary(born, rules.max_age + 1) - dt.timedelta(days=1)
    if on < adult:
        reasons.append(
            Reason(
                "age_min",
                _("Chưa đủ %(n)s tuổi: được hiến từ ngày %(d)s.")
                % {"n": rules.min_age, "d": fmt_date(adult)},
                adult,
            )
        )
    if volume == 0:
        minimum = rules.min_weight_female if sex == "F" else rules.min_weight_male
        reasons.append(
            Reason(
                "weight",
                _("Cân nặng dưới %(w)s kg (mức tối thiểu cho %(s)s).")
                % {"w": f"{minimum:g}", "s": _("nữ") if sex == "F" else _("nam")},
                None,
            )
        )
    past = sorted((p for p in history if p.on <= on), key=lambda p: p.on)
    if past:
        last = past[-1]
        free = last.on + dt.timedelta(days=interval_days(last.kind, rules))
        if free > on:
            reasons.append(
                Reason(
                    "interval",
                    _("Lần hiến gần nhất (%(k)s, ngày %(d)s) cần cách %(w)s tuần: hiến lại từ ngày %(f)s.")
                    % {
                        "k": kind_label(last.kind),
                        "d": fmt_date(last.on),
                        "w": interval_days(last.kind, rules) // 7,
                        "f": fmt_date(free),
                    },
                    free,
                )
            )
    if rules.max_per_year and past:
        window_start = on - dt.timedelta(days=364)
        recent = [p.on for p in past if p.on >= window_start]
        if len(recent) >= rules.max_per_year:
            oldest_counted = sorted(recent, reverse=True)[rules.max_per_year - 1]
            free = oldest_counted + dt.timedelta(days=365)
            reasons.append(
                Reason(
                    "yearly",
                    _("Đã hiến %(n)s lần trong 12 tháng (tối đa %(m)s): hiến lại từ ngày %(f)s.")
                    % {"n": len(recent), "m": rules.max_per_year, "f": fmt_date(free)},
                    free,
                )
            )
    for deferral in deferrals:
        if deferral.until is None:
            reasons.append(
                Reason("deferral", _("Không được hiến máu: %(r)s.") % {"r": deferral.reason}, None)
            )
        elif deferral.until > on:
            reasons.append(
                Reason(
                    "deferral",
                    _("Tạm hoãn (%(r)s) đến ngày %(d)s.")
                    % {"r": deferral.reason, "d": fmt_date(deferral.until)},
                    deferral.until,
                )
            )
    if not reasons and on > last_day:
        reasons.append(
            Reason("age_max", _("Quá %(n)s tuổi: không còn hiến máu được.") % {"n": rules.max_age}, None)
        )
    if not reasons:
        return Verdict(on, True, on, (), volume, apheresis, apheresis_ml)
    if any(r.until is None for r in reasons):
        next_date = None
    else:
        next_date = max(r.until for r in reasons)
        if next_date > last_day:
            next_date = None
            reasons.append(
                Reason(
                    "age_max",
                    _("Đến ngày đủ điều kiện thì đã quá %(n)s tuổi.") % {"n": rules.max_age},
                    None,
                )
            )
    return Verdict(on, False, next_date, tuple(reasons), volume, apheresis, apheresis_ml)


def kind_label(kind: str) -> str:
    return {
        WHOLE: _("máu toàn phần"),
        RED_CELLS: _("khối hồng cầu"),
        PLASMA: _("huyết tương"),
        PLATELETS: _("tiểu cầu"),
    }.get(kind, kind)


def parse_history(text: str) -> list[Past]:
    """'whole:2026-01-05,plasma:2026-03-01' -> [Past(...), ...]; ValueError naming the bad item."""
    items: list[Past] = []
    for chunk in (c.strip() for c in (text or "").split(",")):
        if not chunk:
            continue
        kind, sep, day = chunk.partition(":")
        if not sep or kind.strip() not in KINDS:
            raise ValueError(f"history item {chunk!r}: expected <{'|'.join(KINDS)}>:YYYY-MM-DD")
        try:
            items.append(Past(kind.strip(), dt.date.fromisoformat(day.strip())))
        except ValueError:
            raise ValueError(f"history item {chunk!r}: the date must be YYYY-MM-DD") from None
    return items
