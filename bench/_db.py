"""Throwaway PostgreSQL databases for the benchmarks (created, then dropped)."""

from __future__ import annotations

import os
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
