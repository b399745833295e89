"""core.ahead: the next batches computed by a child process, the results as `map` gives them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from nhandao.core import ahead

pytestmark = pytest.mark.skipif(not ahead.enabled(), reason="no forkserver start method here")


def square_all(batch: list[int]) -> list[tuple[int, int]]:
    """Each number squared, with the process that computed it."""
    return [(n * n, os.getpid()) for n in batch]


def fail_on_three(batch: list[int]) -> list[int]:
    if 3 in batch:
        raise ValueError(f"bad batch {batch}")
    return batch


def die_on_three(batch: tuple[int, list[int]]) -> list[int]:
    parent, numbers = batch
    if 3 in numbers and os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)  # the child dies; computed here, it works
    return numbers


BATCHES = [[1, 2], [3], [4, 5, 6], [7], [8, 9], [10]]


def test_results_come_in_order_and_the_batches_after_the_first_in_a_child():
    results = list(ahead.mapped(square_all, BATCHES))
    assert [[value for value, _pid in batch] for batch in results] == [
        [n * n for n in batch] for batch in BATCHES
    ]
    pids = {pid for batch in results[1:] for _value, pid in batch}
    assert {pid for _value, pid in results[0]} == {os.getpid()}  # the first, while the child starts
    assert len(pids) == 1 and os.getpid() not in pids


@pytest.mark.parametrize("batches", [[], [[1, 2]]])
def test_no_child_for_fewer_than_two_batches(batches):
    results = list(ahead.mapped(square_all, batches))
    assert all(pid == os.getpid() for batch in results for _value, pid in batch)
    assert len(results) == len(batches)


def test_switched_off_by_the_setting_everything_is_computed_here(settings):
    settings.AHEAD_PROCESSES = False
    results = list(ahead.mapped(square_all, BATCHES))
    assert all(pid == os.getpid() for batch in results for _value, pid in batch)


def test_an_exception_in_the_child_reaches_the_caller_at_its_batch():
    seen = []
    with pytest.raises(ValueError, match=r"bad batch \[3\]"):
        for batch in ahead.mapped(fail_on_three, BATCHES):
            seen.append(batch)
    assert seen == [[1, 2]]


def test_a_child_that_dies_leaves_the_rest_computed_here():
    batches = [(os.getpid(), batch) for batch in BATCHES]
    assert list(ahead.mapped(die_on_three, batches)) == BATCHES


def test_a_caller_that_stops_early_stops_the_child():
    results = ahead.mapped(square_all, BATCHES)
    next(results)
    next(results)
    results.close()  # no error, nothing left waiting


def slow_pid(batch: list[int]) -> int:
    time.sleep(0.2)
    return os.getpid()


ORPHAN = """
import sys, time
from nhandao.core import ahead
from nhandao.core.tests.test_ahead import slow_pid
results = ahead.mapped(slow_pid, [[n] for n in range(50)])
next(results)
print(next(results), flush=True)  # the child's pid
time.sleep(60)
"""


def test_the_child_leaves_when_its_parent_is_killed():
    """A worker killed (SIGKILL) in the middle of an import leaves no process behind."""
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert child != parent.pid and ahead._alive(child)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 15
    while ahead._alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not ahead._alive(child)


def test_a_child_that_cannot_start_leaves_everything_computed_here(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("no /dev/shm")

    monkeypatch.setattr(ahead.ProcessPoolExecutor, "submit", refuse)
    results = list(ahead.mapped(square_all, BATCHES))
    assert [[value for value, _pid in batch] for batch in results] == [
        [n * n for n in batch] for batch in BATCHES
    ]
    assert all(pid == os.getpid() for batch in results for _value, pid in batch)
