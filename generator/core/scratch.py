"""Temporary folders whose names carry the id of the process that made them.

A build that is killed outright (SIGKILL, power loss) cannot remove its folders; the next run
removes those whose process is gone (`remove_stale`) and leaves a live process's folders alone.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path


def new_dir(prefix: str, parent: Path | None = None) -> Path:
    """A new, empty folder `<prefix><pid>-<random>` in `parent` (default: TMPDIR)."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def owner_pid(name: str, prefix: str) -> int | None:
    """The process id a folder name made by `new_dir(prefix)` carries, None for other names."""
    found = re.fullmatch(re.escape(prefix) + r"(\d{1,10})-[A-Za-z0-9_]+", name)
    return int(found.group(1)) if found else None


def is_alive(pid: int) -> bool:
    """Whether a process with this id runs (perhaps another user's: then it is alive too)."""
    if pid <= 0:
        return True  # never ours: 0 and negative ids name process groups
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def stale_dirs(parent: Path, prefix: str) -> list[Path]:
    """Folders `new_dir(prefix, parent)` made for processes that have ended."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    found = []
    for entry in entries:
        pid = owner_pid(entry.name, prefix)
        if pid is None or pid == os.getpid() or is_alive(pid):
            continue
        if entry.is_dir(follow_symlinks=False):
            found.append(Path(entry.path))
    return sorted(found)


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove what killed runs left behind in `parent`; returns what was removed."""
    removed = []
    for path in stale_dirs(parent, prefix):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def temp_parents() -> list[Path]:
    """Where scratch folders may be: Linux's shared memory and the temporary folder."""
    places = [Path("/dev/shm"), Path(tempfile.gettempdir())]
    return [p for i, p in enumerate(places) if p.is_dir() and p not in places[:i]]


def removed_at_exit(path: Path) -> None:
    """Remove `path` when the process ends normally: after Ctrl-C, and after SIGTERM where it
    is turned into the same (interrupts.sigterm_as_ctrl_c)."""
    atexit.register(shutil.rmtree, path, ignore_errors=True)
