"""Pure work of the next batches done in a child process while this one writes the current batch.

A bulk job (a statement of 200,000 lines) alternates between Python work of its own and
waiting for the database, on a machine with two cores or more: while the database stores a
batch, the other core can read the next batches' memos.  Threads would not do it (the GIL
lets one run at a time); `mapped` runs the function in one child process instead:

    for facts in ahead.mapped(memo.line_facts, batches):
        write(facts)

The results come in order, as with `map`.  The first batch is computed here while the child
starts; then each next one is computed by the child while the caller writes the one before.

`func` must be pure: a module-level function of plain, picklable data that reads no database,
no settings and no request (it runs in a fresh interpreter, started by the "forkserver" method:
nothing of this process, its database connection or its threads, is inherited).  Whenever the
child cannot serve (one batch only, a platform without it, `settings.AHEAD_PROCESSES = False`,
a child that died), the batches are computed here as they are reached: same results, no
parallelism.  An exception raised by `func` propagates from `mapped` as if it ran here.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from django.conf import settings

logger = logging.getLogger(__name__)

B = TypeVar("B")
R = TypeVar("R")

# How many batches the child may run ahead of the caller (results wait in memory).
WINDOW = 2


def enabled() -> bool:
    return bool(getattr(settings, "AHEAD_PROCESSES", True)) and "forkserver" in (
        multiprocessing.get_all_start_methods()
    )


def mapped(func: Callable[[B], R], batches: Sequence[B], *, window: int = WINDOW) -> Iterator[R]:
    """`func(batch)` for each batch in order, the next ones computed in a child process."""
    if len(batches) < 2 or not enabled():
        for batch in batches:
            yield func(batch)
        return
    try:
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_watch_parent,
            initargs=(os.getpid(),),
        )
    except (OSError, ValueError) as exc:  # no semaphores, no /dev/shm: computed here instead
        logger.warning("ahead: no child process (%s); computing in this process", exc)
        yield from (func(batch) for batch in batches)
        return
    pending: deque = deque()  # the futures of the batches after the one being returned, in order
    submitted = 1
    broken = False

    def give_up(exc: BaseException) -> None:
        # The child died (killed, out of memory) or could not start: the rest is computed here.
        nonlocal broken
        logger.warning("ahead: no child process (%s); computing in this process", exc)
        broken = True
        for future in pending:
            future.cancel()
        pending.clear()

    def submit_more(upto: int) -> None:
        nonlocal submitted
        try:
            while not broken and submitted < min(upto, len(batches)):
                pending.append(pool.submit(func, batches[submitted]))
                submitted += 1
        except (OSError, RuntimeError) as exc:  # BrokenProcessPool is a RuntimeError
            give_up(exc)

    try:
        submit_more(1 + window)
        # The first batch here, while the child starts (an interpreter and the function's module).
        yield func(batches[0])
        for index in range(1, len(batches)):
            submit_more(index + 1 + window)
            if broken:
                yield func(batches[index])
                continue
            try:
                result = pending.popleft().result()
            except BrokenProcessPool as exc:
                give_up(exc)
                result = func(batches[index])
            yield result
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


def _watch_parent(parent: int) -> None:
    """In the child: leave as soon as the process that started it is gone.  A worker killed in
    the middle of an import (SIGKILL: no clean-up) would otherwise leave its child, and the
    forkserver with it, waiting for work for ever."""

    def watch() -> None:
        while _alive(parent):
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="ahead-watch-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a process that died but was not yet waited for (a zombie) is gone too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
