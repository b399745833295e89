"""Bulk jobs pause the cyclic garbage collector and always give it back as they found it."""

import gc

import pytest

from nhandao.core import jobs


def test_the_collector_is_paused_inside_and_resumes_after():
    assert gc.isenabled()
    with jobs.cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_resumes_after_a_failure():
    with pytest.raises(ValueError), jobs.cycle_collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with jobs.cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
