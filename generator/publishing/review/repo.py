"""Git plumbing for the gate: every path read NUL-separated (`-z`), every blob by its id.

A file's state is a *value*: its blob id for a regular file, `None` when absent, and a marked
string for a symbolic link or a submodule (which the gate never approves), so a mode change
alone is a change.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.git_history import GitError

Value = str | None
SPECIAL = ("symlink:", "submodule:")
# Options that keep a user's or a repository's configuration from changing what git prints.
_QUIET = ("-c", "log.showSignature=false", "-c", "core.quotePath=false", "-c", "color.ui=false")
# Replace refs (refs/replace/*, which branch protection does not guard and a mirror clone
# fetches) and grafts (.git/info/grafts) make git show another tree, parents or message under
# the id the forge approved: every command of the gate reads the objects themselves.
_NO_SUBSTITUTES = {"GIT_NO_REPLACE_OBJECTS": "1", "GIT_GRAFT_FILE": "/dev/null/gongkai-no-grafts"}
# Variables that would point git at another repository, object store or index than `root`.
_ELSEWHERE = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_REPLACE_REF_BASE",
)


def git_command(root: Path, *args: str) -> list[str]:
    """The argument list of one git command on `root` as the gate runs it."""
    return ["git", "--no-replace-objects", *_QUIET, "-C", str(root), *args]


def git_environment() -> dict[str, str]:
    """The environment of every git command the gate runs (see `_NO_SUBSTITUTES`)."""
    env = {k: v for k, v in os.environ.items() if k not in _ELSEWHERE}
    env.update(_NO_SUBSTITUTES)
    return env


def value_of(mode: str, sha: str) -> Value:
    if set(sha) == {"0"} or mode == "000000":
        return None
    if mode == "120000":
        return "symlink:" + sha
    if mode == "160000":
        return "submodule:" + sha
    return sha


def is_special(value: Value) -> bool:
    return value is not None and value.startswith(SPECIAL)


@dataclass
class Change:
    """A commit of the published branch's first-parent line and what it changed there."""

    sha: str
    parents: tuple[str, ...]
    paths: dict[str, tuple[Value, Value]] = field(default_factory=dict)  # path -> (before, after)


@dataclass(frozen=True)
class Signature:
    status: str  # %G?: G good and trusted, anything else is no proof
    signer: str
    committed: str  # committer date (ISO), set by whoever made the commit


class Repo:
    def __init__(self, root: Path):
        self.root = root
        self._full_history = False

    def require_full_history(self) -> None:
        """GitError unless every commit's parents are here: a shallow clone shows its oldest
        commits without parents, so their whole trees would look like new changes."""
        if self._full_history:
            return
        if self.run("rev-parse", "--is-shallow-repository").strip() == b"true":
            raise GitError(
                f"{self.root} 是浅克隆（shallow clone），缺少早期提交，无法核验审核记录："
                "请取出完整历史（git fetch --unshallow，或在 actions/checkout 中设置 fetch-depth: 0）"
            )
        self._full_history = True

    def run(self, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,)) -> bytes:
        try:
            done = subprocess.run(
                git_command(self.root, *args),
                input=stdin,
                env=git_environment(),
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("找不到 git 命令，请先安装 Git") from None
        if done.returncode not in ok:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise GitError(message or f"git {args[0]} 失败（状态 {done.returncode}）")
        return done.stdout

    def toplevel(self) -> Path:
        return Path(self.run("rev-parse", "--show-toplevel").decode().strip())

    def commit_of(self, ref: str) -> str | None:
        out = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok=(0, 1))
        return out.decode().strip() or None

    def has(self, sha: str) -> bool:
        return self.commit_of(sha) is not None

    def is_ancestor(self, older: str, newer: str) -> bool:
        self.require_full_history()
        done = subprocess.run(
            git_command(self.root, "merge-base", "--is-ancestor", older, newer),
            env=git_environment(),
            capture_output=True,
            check=False,
        )
        if done.returncode not in (0, 1):
            raise GitError(done.stderr.decode("utf-8", "replace").strip() or "git merge-base 失败")
        return done.returncode == 0

    def roots(self, head: str) -> list[str]:
        """Every commit without parents in `head`'s history."""
        self.require_full_history()
        return self.run("rev-list", "--max-parents=0", head).decode().split()

    def first_parent_root(self, head: str) -> str:
        self.require_full_history()
        out = self.run("rev-list", "--first-parent", "--max-parents=0", head).decode().split()
        return out[-1]

    def merge_base(self, a: str, b: str) -> str | None:
        self.require_full_history()
        out = self.run("merge-base", a, b, ok=(0, 1)).decode().strip()
        return out or None

    def empty_tree(self) -> str:
        return self.run("hash-object", "-t", "tree", "--stdin", stdin=b"").decode().strip()

    def changes(self, start: str, head: str) -> list[Change]:
        """The first-parent commits after `start` up to `head`, oldest first, each with its diff
        against its first parent (a merge counts as what it brought in).

        git prints paths byte for byte, so the output is read by position (a commit's header,
        then pairs of an entry and its path), never by looking for a marker that a file name
        could hold; and the commits read must be exactly those `git rev-list` lists."""
        self.require_full_history()
        span = f"{start}..{head}"
        out = self.run(
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--no-renames",
            "--raw",
            "-z",
            "--no-abbrev",
            "--reverse",
            "--format=%x01%H %P",
            span,
        )
        result = _log_changes(out)
        listed = self.run("rev-list", "--first-parent", "--reverse", span).decode().split()
        if [change.sha for change in result] != listed:
            raise GitError("git log 列出的提交与 git rev-list 不一致，无法核验审核记录")
        return result

    def diff(self, a: str | None, b: str) -> dict[str, tuple[Value, Value]]:
        """Paths that differ between two commits (or the empty tree), with both values."""
        out = self.run(
            "diff-tree",
            "-r",
            "-z",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            a or self.empty_tree(),
            b,
        )
        return dict(_raw_entries(out))

    def sources(self, a: str | None, b: str) -> dict[str, str]:
        """New path -> the deleted path git pairs it with as a rename (`git diff -M`), as the
        forges show it: a diff against that path, not the whole file. (Copies are not paired:
        the forges show a copied file whole.)"""
        out = self.run(
            "diff-tree", "-r", "-z", "-M", "--raw", "--no-abbrev", a or self.empty_tree(), b
        )
        tokens = out.lstrip(b"\n").split(b"\0")
        found: dict[str, str] = {}
        i = 0
        while i < len(tokens):
            meta = tokens[i].lstrip(b"\n")
            if not meta.startswith(b":"):
                i += 1
                continue
            status = meta.decode().split()[-1]
            if status[:1] == "R" and i + 2 < len(tokens):
                source, target = (
                    t.decode("utf-8", "surrogateescape") for t in tokens[i + 1 : i + 3]
                )
                found[target] = source
                i += 3
            else:
                i += 2
        return found

    def tree(self, ref: str) -> dict[str, Value]:
        """Every file of a commit's tree, with its value."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", ref)
        result = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, _kind, sha = meta.decode().split()
            result[path.decode("utf-8", "surrogateescape")] = value_of(mode, sha)
        return result

    def paths_ever(self, ref: str) -> set[str]:
        """Every path any commit of `ref`'s history added, changed or deleted."""
        self.require_full_history()
        out = self.run("log", "--format=", "--name-only", "-z", "--no-renames", ref)
        return {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p.strip()}

    def value_at(self, ref: str, path: str) -> Value:
        out = self.run("ls-tree", "-z", "--full-tree", ref, "--", path)
        entry = out.split(b"\0")[0]
        if not entry:
            return None
        meta = entry.partition(b"\t")[0].decode().split()
        return value_of(meta[0], meta[2])

    def blobs(self, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """Blob contents, streamed from one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return
        process = subprocess.Popen(
            git_command(self.root, "cat-file", "--batch"),
            env=git_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None and process.stdout is not None
        request = "".join(f"{s}\n" for s in wanted).encode()
        # fed from another thread: git answers while it reads, and would block on a full pipe
        feeder = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
        feeder.start()
        try:
            for sha in wanted:
                header = process.stdout.readline().split()
                if len(header) < 3 or header[1] != b"blob":
                    raise GitError(f"仓库中找不到文件内容 {sha}（仓库不完整?）")
                data = process.stdout.read(int(header[2]))
                process.stdout.read(1)
                yield sha, data
        finally:
            process.stdout.close()
            process.wait()
            feeder.join()

    def blob(self, sha: str) -> bytes:
        return next(self.blobs([sha]))[1]

    def people(self, span: str) -> list[tuple[str, str]]:
        """(name, e-mail) of every author, committer and Co-authored-by of the commits in `span`."""
        self.require_full_history()
        out = self.run(
            "log",
            "-z",
            "--format=%an%x1f%ae%x1f%cn%x1f%ce%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1f)",
            span,
        )
        found = []
        for record in out.decode("utf-8", "replace").split("\0"):
            fields = record.strip("\n").split("\x1f")
            if len(fields) < 4:
                continue
            found += [(fields[0], fields[1]), (fields[2], fields[3])]
            found += [_name_email(t) for t in fields[4:] if t.strip()]
        return found

    def signature(self, sha: str, allowed_signers: str) -> Signature:
        """The commit's signature as checked against an SSH allowed-signers file; GPG and X.509
        programs are replaced by one that always fails, so only SSH signatures can be good."""
        out = self.run(
            "-c",
            f"gpg.ssh.allowedSignersFile={allowed_signers}",
            "-c",
            "gpg.program=false",
            "-c",
            "gpg.x509.program=false",
            "log",
            "-1",
            "--format=%G?%x1f%GS%x1f%cI",
            sha,
        )
        status, signer, committed = (
            out.decode("utf-8", "replace").strip().split("\x1f") + ["", ""]
        )[:3]
        return Signature(status, signer, committed)

    def trailers(self, sha: str) -> list[tuple[str, str]]:
        """The trailer block of a commit message, as `git interpret-trailers --parse` reads it."""
        out = self.run("log", "-1", "--format=%(trailers:only,unfold)", sha)
        result = []
        for line in out.decode("utf-8", "replace").splitlines():
            key, sep, value = line.partition(":")
            if sep:
                result.append((key.strip().lower(), value.strip()))
        return result

    def dirty(self, pathspecs: Iterable[str]) -> bool:
        """Whether the working tree differs from HEAD under these paths, counting untracked and
        ignored files. A checkout made while replace refs or grafts existed may hold other
        bytes than the ids its index names, which `git status` does not look at: never clean."""
        if self.substitutes():
            return True
        out = self.run(
            "status",
            "--porcelain=v1",
            "-z",
            "--ignored=matching",
            "--untracked-files=all",
            "--",
            *pathspecs,
        )
        return bool(out.strip(b"\0"))

    def substitutes(self) -> bool:
        """Whether this clone has replace refs or a grafts file (which the gate ignores)."""
        if self.run("for-each-ref", "--count=1", "refs/replace/").strip():
            return True
        common = self.run("rev-parse", "--git-common-dir").decode().strip()
        return (self.root / common / "info" / "grafts").exists()


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # git stopped reading (it failed): the reader reports it


# "%x01%H %P": the commit, then its parents (none, and a trailing space, for a first commit)
_HEADER = re.compile(rb"\x01([0-9a-f]{40}|[0-9a-f]{64})((?: (?:[0-9a-f]{40}|[0-9a-f]{64}))*) ?")


def _log_changes(out: bytes) -> list[Change]:
    """`Repo.changes`' `git log --raw -z` output, by position: after a header (\\x01, the commit
    and its parents), each `:`-entry is followed by exactly one path (`--no-renames`), which is
    taken as it is, whatever bytes it holds."""
    tokens = out.split(b"\0")
    result: list[Change] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if not token:
            continue
        if token.startswith(b":") and result and i < len(tokens):
            old_mode, new_mode, old_sha, new_sha, _status = token[1:].decode().split()
            path = tokens[i].decode("utf-8", "surrogateescape")
            result[-1].paths[path] = (value_of(old_mode, old_sha), value_of(new_mode, new_sha))
            i += 1
            continue
        header = _HEADER.fullmatch(token)
        if header is None:
            raise GitError("无法读取 git log 的输出，无法核验审核记录")
        sha, parents = header.group(1).decode(), header.group(2).decode().split()
        result.append(Change(sha, tuple(parents)))
    return result


def _raw_entries(data: bytes) -> Iterator[tuple[str, tuple[Value, Value]]]:
    tokens = data.lstrip(b"\n").split(b"\0")
    i = 0
    while i + 1 < len(tokens):
        meta = tokens[i].lstrip(b"\n")
        if not meta.startswith(b":"):
            i += 1
            continue
        old_mode, new_mode, old_sha, new_sha, _status = meta[1:].decode().split()
        path = tokens[i + 1].decode("utf-8", "surrogateescape")
        yield path, (value_of(old_mode, old_sha), value_of(new_mode, new_sha))
        i += 2


def _name_email(text: str) -> tuple[str, str]:
    name, _, rest = text.partition("<")
    return name.strip(), rest.partition(">")[0].strip()
