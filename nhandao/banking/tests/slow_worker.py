"""`python -m nhandao.banking.tests.slow_worker [db_worker options]`: the real worker, with
posting slowed down (small chunks, a pause after each committed chunk: of an import's lines
with their donations, or of postings of lines already written) so a test can kill it midway.

Only the test's own process is patched: production code has no hook for this.
"""

from __future__ import annotations

import os
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")
    django.setup()
    from django.core.management import call_command

    from nhandao.banking.services import imports, matching

    chunk = int(os.environ.get("SLOW_WORKER_CHUNK", "20"))
    pause = float(os.environ.get("SLOW_WORKER_PAUSE", "0.3"))

    def slowed(original):
        def slow(*args, **kwargs):
            result = original(*args, **kwargs)
            time.sleep(pause)
            return result

        return slow

    matching.CHUNK = chunk
    matching.post_lines.__kwdefaults__["chunk"] = chunk
    matching._post_chunk = slowed(matching._post_chunk)
    imports.write_chunk = slowed(imports.write_chunk)
    call_command("db_worker", *sys.argv[1:])


if __name__ == "__main__":
    main()
