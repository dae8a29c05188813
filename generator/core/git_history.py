"""What Git remembers about index numbers: every number ever published, and the numbers at a ref.

Index numbers are immutable and never reused, so both `gongkai new` and `validate --base`
look past the working tree into the history of content/.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from generator.core.problems import Problem, error
from generator.core.project import CONTENT_DIR, UnusableFile, split_front_matter
from generator.core.textfile import decode

_INDEX_LINE = re.compile(r"^[+-]\s*index_no\s*:\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


class GitError(Exception):
    """Git could not answer; the message is in Chinese."""


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Git's output for `args` in `root`; raises GitError, in Chinese, when git cannot answer
    (not installed, not a repository, a bad revision). The review gate has its own plumbing
    (`publishing/review/repo.py`: NUL-separated paths, no replace objects)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令，请先安装 Git") from None
    except OSError as exc:
        raise GitError(f"无法运行 git：{exc.strerror or exc}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return done.stdout


def is_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def ever_published(root: Path) -> set[str]:
    """Every index number that any commit of HEAD's history had under content/."""
    if not is_repository(root):
        return set()
    try:
        log = git(
            root,
            "log",
            "-p",
            "--format=",
            "--unified=0",
            "--no-renames",
            "--no-color",
            "--",
            CONTENT_DIR,
        )
    except GitError:
        return set()  # a repository without commits has no history yet
    text = log.decode("utf-8", "replace")
    return {m.group(1).strip().strip("'\"") for m in _INDEX_LINE.finditer(text)}


def index_numbers_at(root: Path, ref: str) -> dict[str, str]:
    """Index number -> path (relative to content/) of every item file at `ref`."""
    result: dict[str, str] = {}
    for rel, data in markdown_files_at(root, ref):
        number = _index_of(data, rel)
        if number:
            result.setdefault(number, rel)
    return result


def markdown_files_at(root: Path, ref: str) -> list[tuple[str, bytes]]:
    """(path relative to content/, content) of every Markdown file under content/ at `ref`."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(
            f"找不到 Git 引用“{ref}”，请确认分支或提交名称正确（CI 中可能需要先 git fetch）"
        ) from None
    listing = git(root, "ls-tree", "-r", "-z", "--full-name", "--name-only", ref, "--", CONTENT_DIR)
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    paths = [p for p in listing.decode("utf-8").split("\0") if p.endswith(".md")]
    found = []
    for path, data in zip(paths, _cat_files(root, ref, paths), strict=True):
        rel = path[len(prefix) :] if prefix and path.startswith(prefix) else path
        found.append((rel.removeprefix(CONTENT_DIR + "/"), data))
    return found


def _cat_files(root: Path, ref: str, paths: list[str]) -> Iterator[bytes]:
    request = "".join(f"{ref}:{p}\n" for p in paths).encode("utf-8")
    out = git(root, "cat-file", "--batch", stdin=request)
    pos = 0
    for _ in paths:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        yield out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1


def _index_of(data: bytes, path: str) -> str | None:
    text, problem = decode(data, path)
    if problem is not None:
        return None
    try:
        src, _, _ = split_front_matter(text, Path(path))
    except UnusableFile:  # an old broken file simply had no number
        return None
    value = src.data.get("index_no")
    return str(value).strip() if value is not None else None


def immutable_numbers(
    root: Path, ref: str, current: dict[str, Path], content_dir: Path, lines: dict[Path, int]
) -> list[Problem]:
    """GK170 a published number changed in place; GK171 a published number disappeared."""
    before = index_numbers_at(root, ref)
    by_path = {p.relative_to(content_dir).as_posix(): n for n, p in current.items()}
    problems = []
    for number, rel in sorted(before.items()):
        if number in current:
            continue
        path = content_dir / rel
        now = by_path.get(rel)
        if now is not None:
            problems.append(
                error(
                    path,
                    lines.get(path, 1),
                    "GK170",
                    f"索引号由“{number}”（在 {ref} 中已发布）改成了“{now}”。已发布的索引号不可更改，请改回“{number}”",
                )
            )
        else:
            problems.append(
                error(
                    path,
                    1,
                    "GK171",
                    f"{ref} 中已发布的索引号“{number}”（content/{rel}）现在找不到了。已发布的信息不能删除或改号："
                    "请恢复该文件，如需下架请填写 withdrawn（撤回日期和原因）",
                )
            )
    return problems
