"""Five years of the Hải Phòng humanitarian fund, posted through the services in time order.

Gifts (cash, bank transfers with references and memos, goods), pledges and
their fulfilment, payments, transfers to the communes, goods issues, a few
reversals and drafts still waiting for approval.  Every event goes through the
same services as a clerk's (gifts in daily batches through
`donations_record_batch`), inside `ledger.backdated(...)` so the chain, the
digests and the timestamps follow the calendar.  `funds_donations` in the scale
sets the number of gifts (city: 200,000).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from nhandao.accounts import services as account_services
from nhandao.beneficiaries import api as beneficiaries
from nhandao.campaigns.models import Campaign, CampaignStatus
from nhandao.core import audit
from nhandao.core.access import Role
from nhandao.core.demo_names import ENTERPRISES, SCHOOL_PATRONS, STREETS, person_name, phone
from nhandao.core.seeding import DEMO_PASSWORD, DemoLogin, SeedContext
from nhandao.core.text import normalize
from nhandao.org import services as org_services
from nhandao.org.models import Unit, UnitKind

from . import ledger, public, services
from .models import AccountKind, Channel, Display, Donation, DonorKind, Fund, Pledge, PledgeStatus
from .selectors import fund_stock
from .services import DonationInput, GoodsLine

REFORM = dt.date(2025, 7, 1)
PERSON_AMOUNTS = [50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000]
PERSON_WEIGHTS = [10, 22, 18, 8, 20, 12, 5, 3, 2]
ORG_AMOUNTS = [5_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000, 200_000_000, 500_000_000]
ORG_WEIGHTS = [15, 25, 25, 18, 10, 5, 2]
GOODS = [
    ("Gạo", "kg", 15_000, (100, 2_000)),
    ("Mì tôm", "thùng", 120_000, (20, 300)),
    ("Nước uống đóng chai", "thùng", 90_000, (20, 400)),
    ("Chăn ấm", "chiếc", 250_000, (10, 200)),
    ("Áo phao", "chiếc", 180_000, (10, 100)),
    ("Sữa hộp", "thùng", 350_000, (5, 80)),
]
EXTRA_ORGS = [
    "Ngân hàng TMCP Hàng Hải - Chi nhánh Hải Phòng",
    "Công đoàn Cảng Hải Phòng",
    "Hội Doanh nhân trẻ Hải Phòng",
    "Chùa Dư Hàng",
    "Hội Đồng hương Hải Phòng tại Hà Nội",
] + [f"Trường Tiểu học {p}" for p in SCHOOL_PATRONS[:6]]


@dataclass
class Gift:
    day: dt.date
    unit: Unit
    campaign: Campaign | None
    channel: str
    amount: int
    name: str
    display: str
    org: bool
    items: list = field(default_factory=list)


class History:
    def __init__(self, ctx: SeedContext):
        self.ctx = ctx
        self.rng = ctx.sub_rng("funds")
        self.today = ctx.today
        self.start = (self.today - dt.timedelta(days=365 * ctx.params.get("funds_years", 5))).replace(day=1)
        self.city: Unit = ctx.data["city"]
        self.commune_a: Unit = ctx.data["commune_a"]
        self.communes = sorted(ctx.data["communes"].values(), key=lambda u: u.code)
        self.campaigns: dict[str, Campaign] = ctx.data.get("campaigns", {})
        self.districts = list(
            Unit.objects.filter(kind=UnitKind.DISTRICT, code__startswith="HP-").order_by("code")
        )
        self.clock: dt.datetime | None = None
        # The history stops before the moment the demo is seeded: nothing dated later than "now".
        self.latest = timezone.now() - dt.timedelta(minutes=20)
        self.ref = 0
        self.stats = defaultdict(int)

    # Set-up ---------------------------------------------------------------------------------
    def users(self):
        users = self.ctx.data["users"]
        made = {}
        for username, full_name, role, title in [
            ("ketoan.thanhpho", "Nguyễn Thị Thanh Huyền", Role.FINANCE_OFFICER, "Kế toán"),
            ("duyetchi.thanhpho", "Phạm Quốc Việt", Role.FINANCE_APPROVER, "Phó Chủ tịch thường trực"),
        ]:
            user = account_services.user_create(
                actor=None,
                username=username,
                full_name=full_name,
                password=DEMO_PASSWORD,
                email=f"{username}@example.org",
            )
            org_services.role_assign(
                actor=None, user=user, unit=self.city, role=role, title=title, valid_from=dt.date(2020, 1, 1)
            )
            self.ctx.logins.append(DemoLogin(username, Role(role).label, self.city.name))
            made[username] = user
        self.officer_city, self.approver_city = made["ketoan.thanhpho"], made["duyetchi.thanhpho"]
        self.officer_a, self.approver_a = users["ketoan.lechan"], users["duyetchi.lechan"]

    def accounts(self):
        yagi = self.campaigns.get("yagi")
        self.bank_city = services.bank_account_create(
            actor=None,
            unit=self.city,
            bank_name="Vietcombank - Chi nhánh Hải Phòng",
            bank_bin="970436",
            account_number="0031000123456",
            holder="Hoi Chu thap do thanh pho Hai Phong",
        )
        self.bank_yagi = services.bank_account_create(
            actor=None,
            unit=self.city,
            bank_name="BIDV - Chi nhánh Hải Phòng",
            bank_bin="970418",
            account_number="21510001234567",
            holder="Hoi Chu thap do thanh pho Hai Phong",
            campaign=yagi,
        )
        self.bank_a = services.bank_account_create(
            actor=None,
            unit=self.commune_a,
            bank_name="VietinBank - Chi nhánh Lê Chân",
            bank_bin="970415",
            account_number="108002345678",
            holder="Hoi Chu thap do phuong Le Chan",
        )
        services.fund_create(
            actor=None,
            unit=self.city,
            opened_on=dt.date(2008, 1, 1),
            name="Quỹ nhân đạo Hội Chữ thập đỏ thành phố Hải Phòng",
        )
        for unit in self.communes:
            services.fund_create(actor=None, unit=unit, opened_on=REFORM)

    def donors(self):
        rng = self.rng
        self.registered = []
        for i, name in enumerate(ENTERPRISES[:10]):
            self.registered.append(
                services.donor_create(
                    actor=None,
                    unit=self.city,
                    kind=DonorKind.ORGANISATION,
                    name=name,
                    tax_code=f"02{rng.randrange(10**7, 10**8)}",
                    phone=phone(rng),
                    address=f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, Hải Phòng",
                    display=Display.FULL if i % 4 else Display.INITIALS,
                )
            )
        for i in range(12):
            self.registered.append(
                services.donor_create(
                    actor=None,
                    unit=self.commune_a if i % 2 else self.city,
                    kind=DonorKind.PERSON,
                    name=person_name(rng, "F" if i % 3 else "M"),
                    phone=phone(rng),
                    address=f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}, Lê Chân, Hải Phòng",
                    display=[Display.FULL, Display.INITIALS, Display.ANONYMOUS][i % 3],
                )
            )

    # Gifts ------------------------------------------------------------------------------------
    def _donor(self, org_share: float):
        rng = self.rng
        if rng.random() < org_share:
            name = rng.choice(ENTERPRISES + EXTRA_ORGS)
            return name, Display.FULL, True
        name = person_name(rng, rng.choice("MF"))
        display = rng.choices([Display.FULL, Display.INITIALS, Display.ANONYMOUS], [70, 15, 15])[0]
        return name, display, False

    def _gift(self, day, unit, campaign, *, bank_share=0.5, goods_share=0.0, org_share=0.08) -> Gift:
        rng = self.rng
        name, display, org = self._donor(org_share)
        r = rng.random()
        if r < goods_share:
            goods = rng.sample(GOODS, rng.randint(1, 3))
            items = []
            for n, u, price, (lo, hi) in goods:
                q = rng.randint(lo, hi) if org else max(1, rng.randint(lo, hi) // 20)
                items.append(GoodsLine(n, u, q, q * price))
            return Gift(day, unit, campaign, Channel.IN_KIND, 0, name, display, org, items)
        amount = (
            rng.choices(ORG_AMOUNTS, ORG_WEIGHTS)[0]
            if org
            else rng.choices(PERSON_AMOUNTS, PERSON_WEIGHTS)[0]
        )
        channel = Channel.BANK if r < goods_share + bank_share and unit.pk in self._banks() else Channel.CASH
        return Gift(day, unit, campaign, channel, amount, name, display, org)

    def _banks(self):
        return {self.city.pk: None, self.commune_a.pk: None}

    def _days(self, first: dt.date, last: dt.date, count: int, peak: int = 0) -> list[dt.date]:
        first, last = max(first, self.start), min(last, self.today)
        if first > last or count <= 0:
            return []
        span = (last - first).days
        if peak:
            return [
                first + dt.timedelta(days=min(span, int(self.rng.expovariate(1 / peak))))
                for _ in range(count)
            ]
        return [first + dt.timedelta(days=self.rng.randint(0, span)) for _ in range(count)]

    def gifts(self, total: int) -> list[Gift]:
        c = self.campaigns
        gifts: list[Gift] = []
        yagi = c.get("yagi")
        if yagi is not None:
            for day in self._days(yagi.starts_on, yagi.ends_on, int(total * 0.35), peak=10):
                gifts.append(
                    self._gift(day, self.city, yagi, bank_share=0.9, goods_share=0.01, org_share=0.05)
                )
        tets = [v for k, v in c.items() if k.startswith("tet")]
        per_tet = int(total * 0.18 / max(1, len(tets)))
        for tet in tets:
            for day in self._days(tet.starts_on, tet.ends_on, per_tet):
                unit = self.city if day < REFORM else self._commune()
                gifts.append(self._gift(day, unit, tet, bank_share=0.3, goods_share=0.05))
        months = [v for k, v in c.items() if k.startswith("month")]
        per_month = int(total * 0.1 / max(1, len(months)))
        for month in months:
            for day in self._days(month.starts_on, month.ends_on, per_month):
                unit = self.city if day < REFORM else self._commune()
                gifts.append(self._gift(day, unit, month, bank_share=0.3))
        warm = c.get("warm")
        if warm is not None:
            for day in self._days(warm.starts_on, self.today, max(20, int(total * 0.005))):
                gifts.append(self._gift(day, self.commune_a, warm, bank_share=0.2, goods_share=0.4))
        address = c.get("address")
        rest = total - len(gifts)
        for day in self._days(self.start, self.today, int(rest * 0.55)):
            tagged = address is not None and day >= address.starts_on and self.rng.random() < 0.1
            gifts.append(self._gift(day, self.city, address if tagged else None, org_share=0.12))
        for day in self._days(REFORM, self.today, total - len(gifts)):
            gifts.append(self._gift(day, self._commune(), None, bank_share=0.2))
        return gifts

    def _commune(self) -> Unit:
        return self.commune_a if self.rng.random() < 0.12 else self.rng.choice(self.communes)

    def _row(self, g: Gift, pledge: Pledge | None = None) -> DonationInput:
        rng = self.rng
        row = DonationInput(
            channel=g.channel,
            amount=g.amount or None,
            received_on=g.day,
            unit=g.unit,
            campaign=g.campaign,
            donor_name=g.name,
            display=g.display,
            items=g.items,
            pledge=pledge,
        )
        if rng.random() < 0.05:
            row.donor = rng.choice(self.registered)
            row.donor_name, row.display = row.donor.name, row.donor.display
            if row.donor.unit_id not in (g.unit.pk, self.city.pk) or not g.unit.path.startswith(
                row.donor.unit.path
            ):
                row.donor = None
        if g.channel == Channel.BANK:
            yagi = self.campaigns.get("yagi")
            row.bank_account = (
                self.bank_yagi
                if g.campaign is not None and g.campaign == yagi
                else self.bank_city
                if g.unit.pk == self.city.pk
                else self.bank_a
            )
            self.ref += 1
            row.external_ref = f"FT{g.day:%y}{g.day.timetuple().tm_yday:03d}{self.ref:08d}"
            ascii_name = normalize(g.name).upper()
            account = f"{rng.randrange(10**9, 10**13)}"
            row.counterparty_name = ascii_name
            row.counterparty_account = account if rng.random() < 0.6 else f"{account[:4]}****{account[-3:]}"
            code = g.campaign.code if g.campaign is not None else ""
            row.memo = rng.choice(
                [
                    f"{ascii_name} ung ho {code}".strip(),
                    f"MBVCB.{rng.randrange(10**9, 10**10)}.{rng.randrange(10**5, 10**6)}.{ascii_name} UNG HO {code}"
                    f".CT tu {account} {ascii_name} toi {row.bank_account.account_number}",
                    f"IBFT {ascii_name} chuyen tien ung ho {code}".strip(),
                ]
            )
        return row

    # Money out -------------------------------------------------------------------------------------
    def _draft(self, **kwargs):
        """A clerk's draft, each at its own moment of the working day."""
        with ledger.backdated(self.later(2, 10)):
            return services.disbursement_draft(**kwargs)

    def _fund(self, unit, campaign=None) -> Fund:
        return services.fund_for(actor=None, unit=unit, campaign=campaign)

    def _money(self, fund: Fund):
        """The fund's money account with the most in it."""
        accounts = fund.accounts.filter(kind__in=[AccountKind.CASH, AccountKind.BANK]).order_by(
            "-balance", "id"
        )
        return accounts.first()

    def pay(
        self,
        fund: Fund,
        share: float,
        purpose: str,
        help_kind: str,
        *,
        households: int,
        per_household: tuple[int, int],
        recipient=None,
        drafter=None,
        approver=None,
        approve=True,
        cap: int | None = None,
        campaign=None,
    ):
        """Help of `per_household` (đồng, a range: a round sum drawn in it) to `households` households,
        fewer when `share` of the fund's money (or what the campaign holds, for a campaign's
        spending) does not reach: the amount is what the households received."""
        account = self._money(fund)
        if account is None or account.balance <= 0:
            return None
        budget = int(account.balance * share)
        if cap:
            budget = min(budget, cap)
        if campaign is not None:
            # Spent for a campaign from a general fund: no more than the campaign has raised and holds,
            # so its public page shows no balance below zero.
            budget = min(budget, public.campaign_totals(campaign).balance_money)
        low, high = per_household
        step = 100_000 if high >= 1_000_000 else 50_000
        each = self.rng.randint(low // step, high // step) * step
        households = min(households, budget // each)
        if households < 1:
            return None
        amount = households * each
        drafter = drafter or (self.officer_a if fund.unit_id == self.commune_a.pk else self.officer_city)
        approver = approver or (self.approver_a if fund.unit_id == self.commune_a.pk else self.approver_city)
        d = self._draft(
            actor=drafter,
            fund=fund,
            kind="payment",
            amount=amount,
            source_account=account,
            purpose=purpose,
            help_kind=help_kind,
            recipient_unit=recipient or fund.unit,
            households=households,
            people=households * 3 if households else None,
            value_date=timezone.localdate(ledger.now()),
            campaign=campaign,
        )
        self.stats["disbursements"] += 1
        if approve:
            with ledger.backdated(self.later()):
                services.disbursement_approve(actor=approver, disbursement=d)
        return d

    def transfer(self, fund: Fund, to: Unit, amount: int, purpose: str, campaign=None):
        account = self._money(fund)
        if account is None or account.balance < amount or amount <= 0:
            return None
        d = self._draft(
            actor=self.officer_city,
            fund=fund,
            kind="transfer",
            amount=amount,
            source_account=account,
            purpose=purpose,
            destination_unit=to,
            value_date=timezone.localdate(ledger.now()),
            campaign=campaign,
        )
        self.stats["transfers"] += 1
        with ledger.backdated(self.later()):
            return services.disbursement_approve(actor=self.approver_city, disbursement=d)

    def issue_goods(self, fund: Fund, share: float, purpose: str, recipient):
        stock = [s for s in _stock(fund) if s.quantity > 0]
        if not stock:
            return None
        items = [(s.key, max(1, int(s.quantity * Decimal(str(share))))) for s in stock[:3]]
        # Family kits worth 500,000–1,500,000 đ each: as many households as the goods make kits.
        value = sum(s.value * n // s.quantity for s, (_key, n) in zip(stock, items, strict=False))
        if value < 500_000:
            return None  # not one family kit's worth: kept for the next issue
        households = max(1, int(value) // (self.rng.randint(5, 15) * 100_000))
        d = self._draft(
            actor=self.officer_city if fund.unit_id == self.city.pk else self.officer_a,
            fund=fund,
            kind="goods_issue",
            items=items,
            purpose=purpose,
            help_kind="relief",
            recipient_unit=recipient,
            households=households,
            value_date=timezone.localdate(ledger.now()),
        )
        self.stats["goods_issues"] += 1
        with ledger.backdated(self.later()):
            return services.disbursement_approve(
                actor=self.approver_city if fund.unit_id == self.city.pk else self.approver_a, disbursement=d
            )

    # The calendar ----------------------------------------------------------------------------------------
    def tick(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """The ledger's clock for the work of `day` at `hour`: never behind the last moment, never after
        the demo's "now" (the demo day's afternoon work is done earlier when it is seeded in the morning)."""
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
        return self._advance(moment)

    def later(self, low: int = 5, high: int = 30) -> dt.datetime:
        """A moment some minutes after the last one: an approver decides after the clerk drafted."""
        return self._advance(self.clock + dt.timedelta(minutes=self.rng.randint(low, high)))

    def _advance(self, moment: dt.datetime) -> dt.datetime:
        moment = min(moment, self.latest)
        if self.clock is not None and moment <= self.clock:
            moment = self.clock + dt.timedelta(seconds=1)
        self.clock = moment
        return moment

    def set_status(self, campaign: Campaign, status: str, day: dt.date) -> None:
        """History: the campaign was opened (closed) on that day."""
        before = campaign.status
        moment = self.tick(day, 8)
        Campaign.objects.filter(pk=campaign.pk).update(
            status=status,
            opened_at=moment if status == CampaignStatus.OPEN else campaign.opened_at,
            closed_at=moment if status == CampaignStatus.CLOSED else None,
        )
        campaign.status = status
        audit.record(
            actor=None,
            action=f"campaigns.campaign.{'opened' if status == 'open' else 'closed'}",
            obj=campaign,
            changes={"status": {"before": before, "after": status}},
            data={"seeded_for": day},
        )

    def run(self):
        total = self.ctx.params.get("funds_donations", 1_500)
        gifts = self.gifts(total)
        by_day: dict[dt.date, list[Gift]] = defaultdict(list)
        for g in gifts:
            by_day[g.day].append(g)
        pledges_due = self.plan_pledges()
        campaigns = sorted(self.campaigns.values(), key=lambda c: c.starts_on)
        day = self.start
        while day <= self.today:
            for c in campaigns:
                if (
                    c.status == CampaignStatus.DRAFT
                    and c.starts_on <= day
                    and (c.ends_on is None or c.ends_on >= day)
                ):
                    self.set_status(c, CampaignStatus.OPEN, day)
                elif c.status == CampaignStatus.OPEN and c.ends_on is not None and c.ends_on < day:
                    self.set_status(c, CampaignStatus.CLOSED, day)
            self.make_pledges(day, pledges_due)
            rows = [self._row(g) for g in by_day.get(day, [])]
            rows += self.fulfil_pledges(day)
            if rows:
                with ledger.backdated(self.tick(day, 10)):
                    services.donations_record_batch(actor=None, rows=rows, rng=self.rng)
                self.stats["donations"] += len(rows)
            with ledger.backdated(self.tick(day, 13, 30)):
                self.spend(day)
            day += dt.timedelta(days=1)
        self.finish()

    # Pledges ---------------------------------------------------------------------------------------
    def plan_pledges(self) -> list[tuple]:
        rng = self.rng
        plans = []
        yagi = self.campaigns.get("yagi")
        for i, donor in enumerate(d for d in self.registered if d.kind == DonorKind.ORGANISATION):
            if yagi is not None and i < 4:
                plans.append(
                    (
                        yagi.starts_on + dt.timedelta(days=i),
                        donor,
                        yagi,
                        rng.choice([200, 500, 1000]) * 1_000_000,
                    )
                )
            else:
                day = self.start + dt.timedelta(days=rng.randint(30, (self.today - self.start).days - 30))
                plans.append((day, donor, None, rng.choice([50, 100, 120, 240]) * 1_000_000))
        self.pledges: list[tuple[Pledge, list]] = []
        return sorted(plans, key=lambda p: p[0])

    def make_pledges(self, day, plans):
        for when, donor, campaign, amount in [p for p in plans if p[0] == day]:
            with ledger.backdated(self.tick(day, 9)):
                pledge = services.pledge_record(
                    actor=None,
                    unit=self.city,
                    campaign=campaign,
                    donor=donor,
                    amount=amount,
                    pledged_on=day,
                    due_on=day + dt.timedelta(days=60 if campaign else 365),
                )
            n = 1 if campaign else 4
            installments = [day + dt.timedelta(days=(k + 1) * (20 if campaign else 80)) for k in range(n)]
            # The last pledge is left partly unpaid: the demo shows an outstanding balance.
            self.pledges.append((pledge, installments if when != plans[-1][0] else installments[:1]))
            self.stats["pledges"] += 1

    def fulfil_pledges(self, day) -> list[DonationInput]:
        rows = []
        for pledge, installments in self.pledges:
            if day in installments and pledge.status == PledgeStatus.OPEN:
                share = pledge.amount // (4 if pledge.campaign_id is None else 1)
                gift = Gift(
                    day,
                    self.city,
                    pledge.campaign,
                    Channel.BANK,
                    share,
                    pledge.donor_name,
                    pledge.display,
                    True,
                )
                rows.append(self._row(gift, pledge=pledge))
        return rows

    # Spending -------------------------------------------------------------------------------------------
    def spend(self, day: dt.date):
        rng = self.rng
        yagi = self.campaigns.get("yagi")
        if yagi is not None and yagi.starts_on + dt.timedelta(days=5) <= day <= yagi.distribution_ends_on:
            if day.weekday() in (1, 4):
                fund = self._fund(self.city, yagi)
                district = rng.choice(self.districts) if self.districts else self.city
                self.pay(
                    fund,
                    0.25,
                    f"Hỗ trợ hộ bị thiệt hại do bão số 3 tại {district.name.replace('Hội Chữ thập đỏ ', '')}",
                    "relief",
                    recipient=district,
                    households=rng.randint(80, 900),
                    per_household=(500_000, 2_000_000),
                )
            if day.weekday() == 2:
                fund = self._fund(self.city, yagi)
                district = rng.choice(self.districts) if self.districts else self.city
                self.issue_goods(fund, 0.4, "Cấp phát nhu yếu phẩm cho hộ bị ảnh hưởng bão số 3", district)
        for key, tet in self.campaigns.items():
            if not key.startswith("tet") or tet.ends_on is None:
                continue
            tet_day = tet.ends_on - dt.timedelta(days=15)
            if tet_day - dt.timedelta(days=14) <= day <= tet_day - dt.timedelta(days=1) and day.weekday() in (
                0,
                3,
            ):
                if day < REFORM:
                    self.pay(
                        self._fund(self.city),
                        0.12,
                        f"Trao quà {tet.name}",
                        "gifts",
                        households=rng.randint(200, 800),
                        per_household=(300_000, 1_000_000),
                        cap=2_000_000_000,
                        campaign=tet,
                    )
                else:
                    city_fund = self._fund(self.city)
                    for unit in rng.sample(self.communes, 6):
                        self.transfer(
                            city_fund,
                            unit,
                            rng.choice([20, 30, 50]) * 1_000_000,
                            f"Hỗ trợ quà {tet.name} cho {unit.name}",
                            campaign=tet,
                        )
                    self.pay(
                        self._fund(self.commune_a),
                        0.5,
                        f"Trao quà {tet.name} cho hộ khó khăn",
                        "gifts",
                        households=rng.randint(20, 80),
                        per_household=(300_000, 1_000_000),
                        campaign=tet,
                    )
        if day.day == 15 and day.month not in (1, 2):
            self.pay(
                self._fund(self.city),
                0.03,
                "Hỗ trợ người bệnh nặng, hoàn cảnh khó khăn",
                "health",
                households=rng.randint(5, 30),
                per_household=(1_000_000, 5_000_000),
                cap=300_000_000,
            )
            if day >= REFORM:
                self.pay(
                    self._fund(self.commune_a),
                    0.2,
                    "Hỗ trợ hộ nghèo, người cao tuổi cô đơn",
                    "cash",
                    households=rng.randint(3, 15),
                    per_household=(500_000, 2_000_000),
                )
        if day.month == 6 and day.day == 10:
            month = self.campaigns.get(f"month{day.year}")
            self.pay(
                self._fund(self.city),
                0.15,
                "Xây dựng nhà nhân đạo (Tháng Nhân đạo)",
                "housing",
                households=rng.randint(5, 12),
                per_household=(40_000_000, 70_000_000),
                cap=1_000_000_000,
                campaign=month,
            )

    def finish(self):
        last_day = self.today
        with ledger.backdated(self.tick(last_day, 15)):
            # Corrections: gifts recorded against the wrong fund, reversed by an approver with a reason.
            for donation in (
                self.ctx_donations().filter(unit=self.commune_a, channel=Channel.CASH).order_by("-id")[:2]
            ):
                try:
                    services.donation_reverse(
                        actor=self.approver_a, donation=donation, reason="Ghi nhầm quỹ, đã ghi lại đúng quỹ"
                    )
                except ValidationError:
                    continue  # already spent: a real clerk would correct it another way
                self.stats["reversals"] += 1
            # Work waiting for the approvers of the demo.
            fund_a = self._fund(self.commune_a)
            self.pay(
                fund_a,
                0.1,
                "Hỗ trợ gia đình bà Nguyễn Thị Tư bị cháy nhà",
                "relief",
                households=1,
                per_household=(3_000_000, 10_000_000),
                approve=False,
            )
            self.pay(
                self._fund(self.city),
                0.01,
                "Hỗ trợ khẩn cấp hộ bị sạt lở tại xã An Hưng",
                "relief",
                households=4,
                per_household=(2_000_000, 5_000_000),
                approve=False,
                cap=50_000_000,
            )
            self.help_to_cases()
        self.stats["digests"] = ledger.make_digests(until=self.today - dt.timedelta(days=1))

    def help_to_cases(self):
        """Payments of commune A's fund naming confirmed cases of the beneficiary register: one
        approved (help records made), one approved with a reason for double help, one waiting."""
        fund = self._fund(self.commune_a)
        account = self._money(fund)
        on = timezone.localdate(ledger.now())
        cases = list(
            beneficiaries.eligible_cases(self.officer_a)
            .filter(unit__path__startswith=self.commune_a.path)
            .order_by("pk")[:40]
        )
        fresh, helped = [], []
        for case in cases:
            (helped if beneficiaries.earlier_help(case=case, kind="cash", date=on) else fresh).append(case)
        plans = [
            (fresh[:3], "Hỗ trợ tiền mặt hộ nghèo, hộ cận nghèo (theo danh sách xã xác nhận)", True, ""),
            (
                helped[:1],
                "Hỗ trợ thêm hộ có người ốm nặng",
                True,
                "Xã đề nghị hỗ trợ thêm: chủ hộ nằm viện dài ngày",
            ),
            (fresh[3:5], "Hỗ trợ người cao tuổi cô đơn", False, ""),
        ]
        for chosen, purpose, approve, reason in plans:
            shares = [services.CaseShare(case, 500_000 + 100_000 * (case.pk % 6), reason) for case in chosen]
            if not shares or account is None or account.balance < sum(s.amount for s in shares):
                continue
            d = self._draft(
                actor=self.officer_a,
                fund=fund,
                kind="payment",
                source_account=account,
                purpose=purpose,
                help_kind="cash",
                households=len(shares),
                value_date=on,
                cases=shares,
            )
            self.stats["disbursements"] += 1
            self.stats["case_payments"] += 1
            if approve:
                with ledger.backdated(self.later()):
                    services.disbursement_approve(actor=self.approver_a, disbursement=d)
            account.refresh_from_db()

    def ctx_donations(self):
        return Donation.objects.filter(status="posted")


def _stock(fund):
    return fund_stock(fund)


def run(ctx: SeedContext) -> None:
    history = History(ctx)
    history.users()
    history.accounts()
    history.donors()
    history.run()
    s = history.stats
    ctx.log(
        f"  funds: {s['donations']} khoản ủng hộ, {s['pledges']} cam kết, {s['disbursements']} khoản chi, "
        f"{s['transfers']} điều chuyển, {s['goods_issues']} phiếu xuất, {s['reversals']} bút toán đảo, "
        f"{s['case_payments']} khoản chi cho hồ sơ đối tượng"
    )
