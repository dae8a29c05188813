"""Which change on main last touched each file, and what that change was (merge or push)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from ..history import GitError


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    @classmethod
    def parse(cls, text: str) -> Person:
        name, email = parseaddr(text.strip())
        return cls(name.strip(), email.strip().lower())

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass
class Change:
    """A commit on main's first-parent line: a merge of a branch, or a direct push."""

    sha: str
    parents: tuple[str, ...]
    committed: str  # ISO date of the commit on main
    message: str = ""
    authors: set[Person] = field(default_factory=set)  # who wrote the change (branch commits)

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    def trailers(self, key: str = "Reviewed-by") -> list[Person]:
        found = []
        for line in self.message.splitlines():
            head, _, value = line.partition(":")
            if head.strip().lower() == key.lower() and value.strip():
                found.append(Person.parse(value))
        return found

    def reviewed_on(self) -> str:
        for line in self.message.splitlines():
            head, _, value = line.partition(":")
            if head.strip().lower() == "reviewed-on":
                return value.strip()
        return ""


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return done.stdout.decode("utf-8", "replace")


def head(root: Path, ref: str = "HEAD") -> str:
    return _git(root, "rev-parse", ref).strip()


def last_changes(root: Path, paths: set[str], ref: str = "HEAD") -> dict[str, Change]:
    """For each path (relative to the repository), the first-parent change that last touched it.

    One `git log` over main's first-parent line, each commit diffed against its first parent,
    so a merge counts as the change it brought in.
    """
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    wanted = {prefix + p: p for p in paths}
    log = _git(
        root,
        "log",
        "--first-parent",
        "-m",
        "--name-only",
        "--no-renames",
        "--format=%x1e%H%x1f%P%x1f%cI",
        ref,
        "--",
        *(prefix + "content", prefix + "catalog.yml"),
    )
    found: dict[str, Change] = {}
    changes: dict[str, Change] = {}
    for record in log.split("\x1e")[1:]:
        header, _, names = record.partition("\n")
        sha, parents, committed = header.split("\x1f")
        change = changes.setdefault(sha, Change(sha, tuple(parents.split()), committed))
        for name in names.split("\n"):
            if name in wanted and wanted[name] not in found:
                found[wanted[name]] = change
    _describe(root, list({c.sha: c for c in found.values()}.values()))
    return found


def _describe(root: Path, changes: list[Change]) -> None:
    """Fill in each change's message and the authors of the commits it brought in."""
    for change in changes:
        change.message = _git(root, "show", "-s", "--format=%B", change.sha)
        if change.is_merge:
            span = f"{change.parents[0]}..{change.parents[1]}"
            authors = _git(root, "log", "--format=%an <%ae>", span).splitlines()
        else:
            authors = [_git(root, "show", "-s", "--format=%an <%ae>", change.sha).strip()]
        change.authors = {Person.parse(a) for a in authors if a.strip()}
