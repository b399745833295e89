"""Fixtures shared by every app's tests.

`world` gives every test the same cast, in the spirit of healthchecks' Alice,
Bob and Charlie: a city society with two communes (A = phường Lê Chân,
B = phường Ngô Quyền), a branch under each, and users holding each role.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from nhandao.core.access import Role

# Property tests check what holds, never how fast: no per-example deadline and no "too slow" health
# check, which fail a correct test on a loaded CI machine (the project has no timing assertions).
hypothesis_settings.register_profile(
    "nhandao",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("nhandao")


def pytest_configure(config):
    from django.conf import settings
    from django.core.signals import setting_changed

    # Hashing passwords properly costs ~0.3 s each; tests create dozens of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client and the live server speak plain HTTP on loopback (the
    # deploy check test runs the real production settings in a subprocess).
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # Background jobs run at once, in the test's thread and transaction: deterministic on both databases.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tasks defined while django.setup() ran (AppConfig.ready() imports their modules) already
    # looked up the backend: tell django-tasks the setting changed so they find the new one.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    _row_locks_need_a_transaction_of_their_own()
    _test_logins_pass_the_second_factor()


def _row_locks_need_a_transaction_of_their_own():
    """select_for_update() outside transaction.atomic() raises in production (requests run in
    autocommit) but not in a test, whose wrapping transaction Django counts.  Count only the
    code's own atomic blocks here too (as audit.record does), so such a service fails its tests."""
    from django.db.models.sql import compiler
    from django.db.transaction import TransactionManagementError

    original = compiler.SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        from nhandao.core.audit import in_write_transaction

        if self.query.select_for_update and not in_write_transaction(self.using):
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        return original(self, *args, **kwargs)

    compiler.SQLCompiler.as_sql = as_sql


def second_factor_device(user):
    """The user's confirmed authenticator; one made for them (with a known key) when their role
    requires a second factor and they have none.  None when they need none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nhandao.accounts import twofactor

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and twofactor.second_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    return device


def _test_logins_pass_the_second_factor():
    """`client.force_login(user)` (and `client.login`) give a session that has passed the second
    factor, as the real sign-in does after the code: the tests of other features need not type
    codes.  The two-factor tests sign in through the real pages (nhandao/accounts/tests)."""
    from django.test import client as test_client
    from django_otp import DEVICE_ID_SESSION_KEY

    original = test_client.ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        device = second_factor_device(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    test_client.ClientMixin._login = _login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from nhandao.geo import loader

    with django_db_blocker.unblock():
        loader.ensure_loaded()


SEEDED_CITY = "seeded_city"
_seeded_city_active = False


@dataclass
class SeededCity:
    output: str  # what seed_demo printed while seeding


class _Rollback(Exception):
    pass


@pytest.fixture(scope="session")
def seeded_city(django_db_setup, django_db_blocker):
    """The small demo Hải Phòng (`seed_demo --scale small --seed 7`), seeded once per test database
    (so once per xdist worker) for the tests that read it; they also ask for `db`, so what a test
    writes is rolled back after it.  The seed itself is rolled back at the end of the session.
    Every test that runs after it in the same process would see the city, so the tests that use it
    run last (`pytest_collection_modifyitems` below) and a test that does not use it refuses to
    start while the city is there."""
    global _seeded_city_active
    from django.core.management import call_command
    from django.db import connection, transaction

    from nhandao.geo import loader
    from nhandao.people import identity

    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                loader.ensure_loaded()
                identity.province_codes.cache_clear()  # a flush by a transactional test emptied it
                out = io.StringIO()
                call_command("seed_demo", "--scale", "small", "--seed", "7", stdout=out)
                # PostgreSQL defers the seed's foreign-key checks to the end of this transaction, and
                # each test's teardown (TestCase checks constraints inside its savepoint, then rolls
                # the savepoint back, un-firing them) re-checks the whole city: ~2 s a test.  Check
                # them once here.
                connection.check_constraints()
                _seeded_city_active = True
                yield SeededCity(output=out.getvalue())
                raise _Rollback
        except _Rollback:
            pass
        finally:
            _seeded_city_active = False


def pytest_itemcollected(item):
    """The tests on the seeded city are marked `seeded`: `make test` runs the others on every core
    (pytest-xdist) and then these, on every core too (each worker seeds its own city).  (xdist's
    `--dist loadgroup` would do it in one run, but with pytest 9.2 it groups nothing:
    pytest-dev/pytest-xdist#1386.)"""
    if SEEDED_CITY in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.seeded)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests on the seeded city run last."""
    seeded = [item for item in items if SEEDED_CITY in getattr(item, "fixturenames", ())]
    others = [item for item in items if SEEDED_CITY not in getattr(item, "fixturenames", ())]
    items[:] = others + seeded


def pytest_runtest_setup(item):
    if _seeded_city_active and SEEDED_CITY not in getattr(item, "fixturenames", ()):
        raise RuntimeError(
            f"{item.nodeid} would run on the seeded demo city: run the {SEEDED_CITY} tests last"
        )


@pytest.fixture
def geo(db):
    """Administrative units (reloaded if a transactional test flushed them)."""
    from nhandao.geo import loader

    loader.ensure_loaded()


PASSWORD = "mat-khau-thu-nghiem"


@dataclass
class World:
    city: object
    commune_a: object
    commune_b: object
    branch_a: object
    branch_b: object
    city_admin: object
    manager_a: object
    entry_a: object
    viewer_a: object
    finance_officer_a: object
    finance_approver_a: object
    user_b: object
    manager_b: object
    inspector: object
    inspector_a: object
    agency_reporter: object
    nobody: object
    agency: object

    def client(self, user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def make_user(username: str, full_name: str = ""):
    from nhandao.accounts.models import User

    user = User(username=username, full_name=full_name or username, email=f"{username}@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def world(geo) -> World:
    from nhandao.geo.models import Ward
    from nhandao.org import services
    from nhandao.org.models import AgencyKind, BranchType, UnitKind

    lechan = Ward.objects.get(province_id="31", name="Phường Lê Chân")
    ngoquyen = Ward.objects.get(province_id="31", name="Phường Ngô Quyền")
    since = dt.date(2025, 7, 1)
    city = services.unit_create(
        actor=None,
        name="Hội Chữ thập đỏ thành phố Hải Phòng",
        kind=UnitKind.PROVINCE,
        code="HP",
        province="31",
        valid_from=dt.date(2000, 1, 1),
    )
    a = services.unit_create(
        actor=None,
        parent=city,
        name="Hội Chữ thập đỏ phường Lê Chân",
        kind=UnitKind.COMMUNE,
        code="HP-LC",
        ward=lechan,
        valid_from=since,
    )
    b = services.unit_create(
        actor=None,
        parent=city,
        name="Hội Chữ thập đỏ phường Ngô Quyền",
        kind=UnitKind.COMMUNE,
        code="HP-NQ",
        ward=ngoquyen,
        valid_from=since,
    )
    branch_a = services.unit_create(
        actor=None,
        parent=a,
        name="Chi hội tổ dân phố số 1",
        kind=UnitKind.BRANCH,
        branch_type=BranchType.RESIDENTIAL,
        code="HP-LC-01",
        valid_from=since,
    )
    branch_b = services.unit_create(
        actor=None,
        parent=b,
        name="Chi hội Trường THCS Ngô Quyền",
        kind=UnitKind.BRANCH,
        branch_type=BranchType.SCHOOL,
        code="HP-NQ-01",
        valid_from=since,
    )
    agency = services.agency_create(actor=None, code="SYT", name="Sở Y tế", kind=AgencyKind.DEPARTMENT)

    def user(username, unit, role, **kw):
        u = make_user(username)
        if unit is not None:
            services.role_assign(actor=None, user=u, unit=unit, role=role, valid_from=since, **kw)
        return u

    return World(
        city=city,
        commune_a=a,
        commune_b=b,
        branch_a=branch_a,
        branch_b=branch_b,
        city_admin=user("admin", city, Role.CITY_ADMIN),
        manager_a=user("manager_a", a, Role.UNIT_MANAGER),
        entry_a=user("entry_a", a, Role.DATA_ENTRY),
        viewer_a=user("viewer_a", a, Role.VIEWER),
        finance_officer_a=user("finance_officer_a", a, Role.FINANCE_OFFICER),
        finance_approver_a=user("finance_approver_a", a, Role.FINANCE_APPROVER),
        user_b=user("entry_b", b, Role.DATA_ENTRY),
        manager_b=user("manager_b", b, Role.UNIT_MANAGER),
        inspector=user("inspector", city, Role.INSPECTOR),
        inspector_a=user("inspector_a", a, Role.INSPECTOR),
        agency_reporter=user("reporter", city, Role.AGENCY_REPORTER, agency=agency),
        nobody=make_user("nobody"),
        agency=agency,
    )
