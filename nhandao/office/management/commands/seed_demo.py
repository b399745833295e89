from __future__ import annotations

import importlib
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from nhandao.accounts import twofactor
from nhandao.core import audit
from nhandao.core.seeding import DEMO_PASSWORD, SCALES, SeedContext
from nhandao.org.models import RoleAssignment, Unit


def seed_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("nhandao."):
            continue
        try:
            yield config.label, importlib.import_module(f"{config.name}.seed")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.seed":
                raise


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu Hải Phòng (xác định theo --seed). Chạy lại khi đã có dữ liệu thì không làm gì."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--reset", action="store_true", help="Xóa toàn bộ dữ liệu rồi tạo lại.")

    def handle(self, *args, scale, seed, reset, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        call_command("load_geo", verbosity=0, stdout=self.stdout)
        if Unit.objects.filter(code="HP").exists():
            self.stdout.write("Dữ liệu mẫu đã có; bỏ qua (dùng --reset để tạo lại).")
            self.print_logins()
            return
        ctx = SeedContext(scale=scale, seed=seed, stdout=self.stdout)
        started = time.monotonic()
        with audit.via("seed"), transaction.atomic():
            for label, module in seed_modules():
                t0 = time.monotonic()
                module.run(ctx)
                self.stdout.write(f"  {label}: {time.monotonic() - t0:.1f} s")
            twofactor.demo_devices_seed(DEMO_USERNAMES)
        # Fresh tables have no statistics until autovacuum comes by: the planner then takes a city's
        # people list for two rows and joins it row by row (1.5 s instead of milliseconds).
        # Only this application's tables: a bare ANALYZE also takes the catalogs PostgreSQL shares
        # between databases, and waited past the lock timeout while another database was created.
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and tables:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))
            else:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu mẫu ({scale}, seed {seed}) trong {time.monotonic() - started:.1f} s."
            )
        )
        self.print_logins()

    def print_logins(self):
        rows = (
            RoleAssignment.objects.active()
            .filter(user__username__in=DEMO_USERNAMES)
            .select_related("user", "unit")
            .order_by("user__username")
        )
        if not rows:
            raise CommandError("Không tìm thấy tài khoản mẫu.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for a in rows:
            self.stdout.write(f"  {a.user.username:<22} {a.get_role_display():<32} {a.unit.name}")
        self.stdout.write(
            "Quản trị, kế toán, duyệt chi, kiểm tra: xác thực hai bước bằng khóa mẫu "
            f"{twofactor.DEMO_TOTP_KEY_BASE32} (thêm vào ứng dụng xác thực)."
        )


DEMO_USERNAMES = [
    "admin.thanhpho",
    "kiemtra.thanhpho",
    "quanly.lechan",
    "nhaplieu.lechan",
    "ketoan.lechan",
    "duyetchi.lechan",
    "xem.lechan",
    "quanly.ngoquyen",
    "nhaplieu.ngoquyen",
    "baocao.soyte",
    "ketoan.thanhpho",
    "duyetchi.thanhpho",
    "yte.thanhpho",
    "truytim.thanhpho",
    "truyenthong.thanhpho",
    "baocao.sogddt",
]
