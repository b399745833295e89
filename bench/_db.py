"""Throwaway PostgreSQL databases for the benchmarks (created, then dropped)."""

from __future__ import annotations

import os
import socket
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Loading a city takes statements longer than a web request may (settings: the web's timeouts).
os.environ.setdefault("DATABASE_LOCK_TIMEOUT_MS", "0")
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def throwaway(name: str, keep: bool = False):
    """Create database `name` (unless it exists and keep=True), point Django at it, drop it afterwards."""
    import psycopg

    admin = with_name(server_url(), "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not keep:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = with_name(server_url(), name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")
    os.environ.setdefault("HTTPS", "false")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    try:
        yield bool(exists)
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def signed_in(client, username):
    """A session past the sign-in and, for a role that needs it, the second factor (a device is
    made in the throwaway database, as the real sign-in would after the code)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nhandao.accounts import twofactor
    from nhandao.accounts.models import User

    user = User.objects.get(username=username)
    client.force_login(user)
    if twofactor.second_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
