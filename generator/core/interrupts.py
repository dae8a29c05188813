"""SIGINT (Ctrl-C) and SIGTERM (a CI job cancelled, a service stopped) as an exception.

The exception unwinds the build like any error, so every `finally` and `except BaseException`
on the way removes what it made (staging folder, search scratch, worker processes); the command
then exits with 128 + the signal's number (130, 143) and a Chinese message.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_NAMES = {signal.SIGINT: "中断信号（Ctrl-C）", signal.SIGTERM: "终止信号（SIGTERM）"}


class Interrupted(BaseException):
    """A signal asked gongkai to stop. Not an Exception: library code that catches every
    Exception must not swallow it."""

    def __init__(self, signum: int, detail: str = "") -> None:
        super().__init__(signum)
        self.signum = signum
        self.detail = detail  # what became of the site, said by the code that knows

    def message(self) -> str:
        name = _NAMES.get(self.signum, f"信号 {self.signum}")
        detail = f";{self.detail}" if self.detail else ""
        return f"gongkai：收到{name}，已停止并清除临时文件和子进程{detail}。"


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise(signum: int, frame) -> None:
    for other in SIGNALS:  # cleaning up must not be interrupted by a second Ctrl-C
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


@contextmanager
def raised() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise Interrupted in the main thread."""
    if not _in_main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, _raise)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def deferred(detail: str) -> Iterator[None]:
    """A step that must not be cut in two (the swap of the new site): a signal that arrives
    within it takes effect after it, as Interrupted carrying `detail`."""
    if not _in_main_thread():
        yield
        return
    caught: list[int] = []
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if not caught:
        return
    if previous[caught[0]] is _raise:
        raise Interrupted(caught[0], detail)
    if previous[caught[0]] is not signal.SIG_IGN:
        signal.raise_signal(caught[0])  # what it would have done at once


def _as_ctrl_c(signum: int, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up must not be cut short
    raise KeyboardInterrupt


def sigterm_as_ctrl_c() -> None:
    """For a command whose loop is not gongkai's (`mkdocs serve`): SIGTERM, as a service
    manager or a closed terminal sends it, stops it the way Ctrl-C does, so its own clean-up
    and the process's exit handlers (scratch.removed_at_exit) run instead of none at all."""
    if _in_main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _as_ctrl_c)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """For a child process of a build (the search worker, the forked checks): Linux sends it
    SIGTERM when the build dies, even by SIGKILL, and Ctrl-C in a terminal, which reaches the
    whole process group, is left to the build, which stops its children itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (AttributeError, OSError):
        return
    if os.getppid() != parent:  # the build died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)
