"""Validation beside the build: `gongkai build` renders the pages while every check runs in a
forked copy of the process, on the other core. The new site replaces the old one only after the
checks found no error (generator/site/build.py builds into a temporary folder), so nothing invalid is
ever published; it only saves the time the checks take.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from generator.checks import check
from generator.core.interrupts import die_with_parent
from generator.core.problems import Problem
from generator.core.project import Project

_PROJECT: Project | None = None  # what the forked process checks (fork copies it as it is)


def _check_forked() -> list[Problem]:
    assert _PROJECT is not None
    # the build's own handler (generator/core/interrupts.py) is no use in this copy
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()  # a killed build leaves no checks running
    return check(_PROJECT)


def check_beside(project: Project) -> Callable[[], list[Problem]]:
    """Start checking `project`; the returned function waits for the problems. Falls back to
    checking here and now where forking is unsafe (other threads running) or unavailable."""
    global _PROJECT
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        problems = check(project)
        return lambda: problems
    _PROJECT = project
    # Python's advice before forking: the cyclic garbage collector then leaves the objects
    # loaded so far alone, in both processes, so the copy shares their memory pages instead of
    # copying each one it touches (generator/site/build.py unfreezes them after the build).
    gc.freeze()
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    try:
        future = pool.submit(_check_forked)  # forks now, while this process has one thread
    finally:
        _PROJECT = None
        pool.shutdown(wait=False)

    def problems() -> list[Problem]:
        try:
            return future.result()
        except BrokenProcessPool:  # the copy was killed (out of memory?): check here instead
            return check(project)
        finally:
            # the copy holds this process's stdout: it must have ended before `gongkai` exits
            # at once (os._exit), or it waits for work forever and its caller for that output
            pool.shutdown(wait=True)

    return problems
