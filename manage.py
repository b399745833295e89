#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")
    # The database's lock and statement timeouts (settings.py) protect web requests; commands
    # (the worker's long imports, seeding a city, migrations, verify_ledger) run without them
    # unless the environment sets them.  The development server serves web requests: it keeps them.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("DATABASE_LOCK_TIMEOUT_MS", "0")
        os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
