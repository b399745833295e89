"""The demo logins, one per role, on the city and the two demo communes (phường Lê Chân = A,
phường Ngô Quyền = B).  They run right after org's seed (INSTALLED_APPS order), which built
the units and agencies; the apps after it find the users in ctx.data["users"]."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from nhandao.accounts import services as account_services
from nhandao.core.access import Role
from nhandao.core.seeding import DEMO_PASSWORD, DemoLogin, SeedContext
from nhandao.geo.models import Ward
from nhandao.org import services
from nhandao.org.models import Unit
from nhandao.org.seed import REFORM_FIRST_DAY


def run(ctx: SeedContext) -> None:
    _seed_users(ctx, ctx.data["city"], ctx.data["communes"])


DEMO_USERS = [
    # username, full name, role, unit key
    ("admin.thanhpho", "Trần Thị Thu Hà", Role.CITY_ADMIN, "city", "Phó Chủ tịch Hội"),
    ("kiemtra.thanhpho", "Nguyễn Văn Khải", Role.INSPECTOR, "city", "Ủy viên Ban Kiểm tra"),
    ("quanly.lechan", "Phạm Thị Lan", Role.UNIT_MANAGER, "A", "Chủ tịch Hội"),
    ("nhaplieu.lechan", "Vũ Minh Tuấn", Role.DATA_ENTRY, "A", "Cán bộ chuyên trách"),
    ("ketoan.lechan", "Đỗ Thị Hằng", Role.FINANCE_OFFICER, "A", "Kế toán"),
    ("duyetchi.lechan", "Lê Văn Bình", Role.FINANCE_APPROVER, "A", "Phó Chủ tịch Hội"),
    ("xem.lechan", "Hoàng Thị Mai", Role.VIEWER, "A", "Ủy viên Ban Chấp hành"),
    ("quanly.ngoquyen", "Bùi Đức Thắng", Role.UNIT_MANAGER, "B", "Chủ tịch Hội"),
    ("nhaplieu.ngoquyen", "Ngô Thị Yến", Role.DATA_ENTRY, "B", "Cán bộ chuyên trách"),
    ("baocao.soyte", "Đinh Quang Huy", Role.AGENCY_REPORTER, "city", "Chuyên viên Sở Y tế"),
]


def _seed_users(ctx, city: Unit, communes: dict[str, Unit]) -> None:
    lechan = Ward.objects.get(province_id="31", name="Phường Lê Chân")
    ngoquyen = Ward.objects.get(province_id="31", name="Phường Ngô Quyền")
    units = {"city": city, "A": communes[lechan.code], "B": communes[ngoquyen.code]}
    ctx.data["commune_a"], ctx.data["commune_b"] = units["A"], units["B"]
    User = get_user_model()
    for username, full_name, role, key, title in DEMO_USERS:
        user = account_services.user_create(
            actor=None,
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            email=f"{username}@example.org",
        )
        services.role_assign(
            actor=None,
            user=user,
            unit=units[key],
            role=role,
            title=title,
            agency=ctx.data["agencies"]["SYT"] if role == Role.AGENCY_REPORTER else None,
            valid_from=REFORM_FIRST_DAY,
        )
        ctx.logins.append(DemoLogin(username, Role(role).label, units[key].name))
    ctx.data["users"] = {u.username: u for u in User.objects.filter(username__in=[d[0] for d in DEMO_USERS])}
