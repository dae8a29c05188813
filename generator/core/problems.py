"""Problems found in a catalog or in content, and the three ways of printing them.

Every way masks ID, mobile and card numbers in messages and file names (`mask_personal`):
CI logs are public, and a message may quote any value a file holds.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from generator.core.screening import mask_personal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where it is, its stable code, and a Chinese message that says how to fix it."""

    file: str
    line: int
    code: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(file: str | Path, line: int, code: str, message: str) -> Problem:
    return Problem(str(file), max(int(line), 1), code, Severity.ERROR, message)


def warning(file: str | Path, line: int, code: str, message: str) -> Problem:
    return Problem(str(file), max(int(line), 1), code, Severity.WARNING, message)


def display_path(path: str | Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return Path(os.path.relpath(p)).as_posix() if p.is_relative_to(Path.cwd()) else p.as_posix()
    except ValueError:
        return p.as_posix()


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))


def shown_path(path: str | Path) -> str:
    """The path as printed: `display_path`, numbers masked (a file may be named after a person)."""
    return mask_personal(display_path(path))


# Line breaks and control characters (staff's text quoted in a message, a file's name): one
# problem is one line, and nothing written by staff drives the terminal or the CI log.
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    return _NOT_ON_ONE_LINE.sub(" ", text)


def format_text(problems: list[Problem]) -> str:
    lines = [
        one_line(
            f"{shown_path(p.file)}:{p.line}: {p.code} [{SEVERITY_LABEL[p.severity]}] "
            + mask_personal(p.message)
        )
        for p in problems
    ]
    lines.append(summary(problems))
    return "\n".join(lines) + "\n"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "检查通过：未发现问题。"
    verdict = "存在错误，不能发布。" if errors else "没有错误，可以发布。"
    return f"共发现 {errors} 个错误、{warnings} 个警告。{verdict}"


def format_json(problems: list[Problem]) -> str:
    rows = [
        {
            **asdict(p),
            "file": shown_path(p.file),
            "severity": str(p.severity),
            "message": mask_personal(p.message),
        }
        for p in problems
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: list[Problem]) -> str:
    """GitHub (and Gitea) workflow commands, so each problem shows on the pull request's diff."""
    out = []
    for p in problems:
        kind = "error" if p.is_error else "warning"
        props = f"file={_escape_property(shown_path(p.file))},line={p.line},title={p.code}"
        out.append(f"::{kind} {props}::{_escape_data(p.code + ' ' + mask_personal(p.message))}")
    out.append(summary(problems))
    return "\n".join(out) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


class MaskedStream(io.TextIOBase):
    """A text stream that masks ID, mobile and card numbers in whatever is written to it, line
    by line (a number is never split between two writes of one line): `gongkai` prints through
    it, so no command can print a number a file holds (generator/cli/main.py)."""

    def __init__(self, target: TextIO):
        self.target = target
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        cut = max(self._pending.rfind("\n"), self._pending.rfind("\r"))
        if cut >= 0:
            done, self._pending = self._pending[: cut + 1], self._pending[cut + 1 :]
            self.target.write(mask_personal(done))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.target.write(mask_personal(self._pending))
            self._pending = ""
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", "utf-8")


@contextlib.contextmanager
def masked_output() -> Iterator[None]:
    """Within it, everything printed to stdout and stderr passes through `MaskedStream`."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, MaskedStream):
        sys.stdout = MaskedStream(sys.stdout)
    if not isinstance(sys.stderr, MaskedStream):
        sys.stderr = MaskedStream(sys.stderr)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        sys.stdout, sys.stderr = saved
