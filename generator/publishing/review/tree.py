"""The approved state as files: HEAD's gated files with the exceptions applied.

Files are written from Git's objects (`git ls-tree` and `git cat-file --batch`), byte for byte:
no checkout, no `git archive`, so no `.gitattributes` a pusher adds (export-subst,
export-ignore, eol, working-tree-encoding, filters) can change what is built.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from generator.core import scratch
from generator.publishing.review.paths import PATHSPECS, is_gated
from generator.publishing.review.repo import Repo, Value, is_special


class TreeError(Exception):
    """The approved state cannot be written as files (the message is in Chinese)."""


def approved_files(repo: Repo, head: str, exceptions: dict[str, Value]) -> dict[str, str]:
    """path -> blob of every gated file in the approved state."""
    files = {p: v for p, v in repo.tree(head).items() if is_gated(p)}
    for path, value in exceptions.items():
        if value is None:
            files.pop(path, None)
        else:
            files[path] = value
    for path, value in files.items():
        if is_special(value):
            raise TreeError(f"{path} 是符号链接或子模块，不会发布：请改为普通文件")
        parts = PurePosixPath(path).parts
        if path.startswith("/") or ".." in parts or ".git" in parts:
            raise TreeError(f"文件路径“{path}”不安全，拒绝写出")
    return files  # type: ignore[return-value]


def write_tree(repo: Repo, files: dict[str, str], dest: Path) -> None:
    """Write the files into `dest` (which must be empty or absent)."""
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise TreeError(f"输出文件夹 {dest} 不是空的，请指定一个新的文件夹")
    paths_of: dict[str, list[str]] = defaultdict(list)
    for path, blob in files.items():
        paths_of[blob].append(path)
    for blob, data in repo.blobs(paths_of):
        for path in paths_of[blob]:
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def can_build_in_place(repo: Repo, exceptions: dict, attributes: bool) -> bool:
    """Whether the checkout itself is the approved state: no exceptions, no attributes file
    (`attributes`: one anywhere in HEAD) that could have changed what the checkout wrote,
    nothing else in the gated folders."""
    if exceptions or attributes:
        return False
    attributes = repo.run("rev-parse", "--git-path", "info/attributes").decode().strip()
    if (repo.root / attributes).exists():
        return False
    return not repo.dirty(PATHSPECS)


APPROVED_PREFIX = "gongkai-approved-"


@contextmanager
def approved_folder(
    repo: Repo, head: str, exceptions: dict[str, Value], in_place: bool
) -> Iterator[Path]:
    """The folder to build from: the checkout when it is the approved state, else a temporary
    copy removed afterwards, also on error or Ctrl-C."""
    if in_place:
        yield repo.root
        return
    for parent in scratch.temp_parents():  # what killed runs left behind
        scratch.remove_stale(parent, APPROVED_PREFIX)
    folder = scratch.new_dir(APPROVED_PREFIX)
    try:
        write_tree(repo, approved_files(repo, head, exceptions), folder)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
