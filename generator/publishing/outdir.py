"""The site's output folder: which folders gongkai may replace, its marker, and the swap.

Gongkai replaces a folder only when it made it: a folder that does not exist yet, an empty
one, or one carrying its marker file. The marker says which kind of build wrote the folder: a
site written by a gated publication (with its publish record) is never replaced by a preview
(a plain `gongkai build`, `mkdocs build`), which would put held changes online and delete the
record the next publication starts from. The repository, `content/`, `catalog.yml` and `.git` are
never output folders, even with a marker in them, and a symbolic link is never followed to
replace what it points at (a `site` link into a shared web root would delete the other sites
there).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.core import scratch
from generator.core.failure import os_error_text

MARKER = ".gongkai-site"
GATED = "gated"  # a publication: only approved versions, with the publish record
PREVIEW = "preview"  # a plain build: the checkout as it is, nothing verified
_KIND_LINE = "kind: "
_KIND_WORDS = {GATED: "正式发布（经审核核验）", PREVIEW: "本地预览（未经审核核验）"}
PUBLISH_RECORD = "gongkai-publish.json"  # review/record.py's RECORD_FILE (a test keeps them equal)
PROTECTED = ("content", "catalog.yml", ".git")


class UnsafeOutput(Exception):
    """The output folder may not be written or replaced; the message is in Chinese."""


def building_prefix(site_dir: Path) -> str:
    return f".gongkai-building-{site_dir.name}-"


def old_prefix(site_dir: Path) -> str:
    return f".gongkai-old-{site_dir.name}-"


def is_marked(folder: Path) -> bool:
    """Whether gongkai made this folder: its marker is a plain file with gongkai's first line."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file():
            return False
        with marker.open("rb") as stream:
            return stream.read(13) == b"gongkai-site\n"
    except OSError:
        return False


def marker_text(kind: str) -> str:
    return (
        f"gongkai-site\n{_KIND_LINE}{kind}\n本文件夹由 gongkai {_KIND_WORDS[kind]}生成，"
        "每次生成网站时整体替换，请勿在其中存放其他文件。\n"
    )


def write_marker(folder: Path, kind: str = PREVIEW) -> None:
    (folder / MARKER).write_text(marker_text(kind), encoding="utf-8")


def written_by(folder: Path) -> str | None:
    """Which kind of build made the folder (GATED or PREVIEW), None if gongkai did not. A
    marker of an older gongkai names no kind: its publish record says it was a publication."""
    if not is_marked(folder):
        return None
    try:
        with (folder / MARKER).open("rb") as stream:
            lines = stream.read(200).decode("utf-8", "replace").splitlines()
    except OSError:
        return GATED  # unreadable now: assume the kind that must not be replaced
    for line in lines[1:2]:
        if line.startswith(_KIND_LINE):
            kind = line[len(_KIND_LINE) :].strip()
            return kind if kind in _KIND_WORDS else GATED
    return GATED if os.path.lexists(folder / PUBLISH_RECORD) else PREVIEW


def _inside(path: Path, other: Path) -> bool:
    return path == other or path.is_relative_to(other)


def _protected(root: Path) -> list[tuple[Path, str]]:
    found = []
    for name in PROTECTED:
        for path in {root / name, (root / name).resolve()}:
            found.append((path, name))
    return found


def refusal(root: Path, site_dir: Path, kind: str | None = None) -> str | None:
    """Why `site_dir` may not be the output folder of the repository at `root`, or None.
    `kind`: the build that asks (GATED or PREVIEW; None when not known yet)."""
    given = Path(os.path.abspath(site_dir))
    shown = str(site_dir)
    if given.is_symlink():
        return (
            f"网站输出文件夹 {shown} 是符号链接（指向 {os.readlink(given)}），gongkai 不会替换或"
            "清空链接指向的文件夹，以免删除其中其他网站或程序的文件。请把 --site-dir 指向一个"
            "真实的文件夹，再由部署步骤把它复制到网站目录"
        )
    real, repo = given.resolve(), root.resolve()
    if _inside(repo, real):
        return f"网站输出文件夹 {shown} 是仓库根目录或其上级目录，生成网站会删除整个仓库。请改用 site 等单独的文件夹"
    for path, name in _protected(repo):
        if _inside(real, path):
            return f"网站输出文件夹 {shown} 位于仓库的 {name} 之中，生成网站会覆盖或删除其中的文件。请改用 site 等单独的文件夹"
        if _inside(path, real):
            return f"网站输出文件夹 {shown} 包含仓库的 {name}，生成网站会删除它。请改用 site 等单独的文件夹"
    return _existing_refusal(real, shown, kind)


def _existing_refusal(real: Path, shown: str, kind: str | None) -> str | None:
    """Why an existing folder may not be replaced: not a folder, one gongkai did not make, or
    a publication's site that a preview asks to replace."""
    if not os.path.lexists(real):
        return None
    if not real.is_dir():
        return f"网站输出位置 {shown} 是一个文件而不是文件夹，gongkai 不会删除它。请指定一个文件夹"
    if is_marked(real):
        return _kind_refusal(written_by(real), shown) if kind == PREVIEW else None
    try:
        entries = sorted(os.listdir(real))
    except OSError as exc:
        return f"无法读取网站输出文件夹 {shown}（{os_error_text(exc)}），因此不会替换它"
    if not entries:
        return None
    names = "、".join(entries[:3]) + (" 等" if len(entries) > 3 else "")
    return (
        f"网站输出文件夹 {shown} 已存在，其中有 {len(entries)} 项（{names}），但它不是 gongkai "
        f"生成的网站（没有标记文件 {MARKER}），gongkai 不会删除其中的文件。请指定一个新的或空的"
        "文件夹；如果它确实是旧版本 gongkai 生成的网站，请确认后手动删除它，再重新生成"
    )


def _kind_refusal(made_by: str | None, shown: str) -> str | None:
    if made_by != GATED:
        return None
    return (
        f"网站输出文件夹 {shown} 是正式发布（经审核核验）生成的网站，其中有发布记录 "
        f"{PUBLISH_RECORD}；本地预览不会替换它，否则未获批准的修改会随预览上线，发布记录也会丢失。"
        "预览请用 --site-dir 另指一个文件夹（例如 gongkai build --site-dir preview）；"
        "更新正式网站请用 gongkai build --gate"
    )


def check(root: Path, site_dir: Path, kind: str | None = None) -> None:
    """Raises UnsafeOutput when `site_dir` may not be written or replaced."""
    reason = refusal(root, site_dir, kind)
    if reason is not None:
        raise UnsafeOutput(reason)


def recover(site_dir: Path) -> None:
    """Undo what a killed build left beside `site_dir`: its staging folders are removed, and a
    previous site it had moved aside is put back if the new one never took its place."""
    for old in scratch.stale_dirs(site_dir.parent, old_prefix(site_dir)):
        if not os.path.lexists(site_dir) and is_marked(old):
            old.rename(site_dir)
        else:
            shutil.rmtree(old, ignore_errors=True)
    scratch.remove_stale(site_dir.parent, building_prefix(site_dir))


def swap_in(staging: Path, site_dir: Path, kind: str | None = None) -> None:
    """Make the complete site in `staging` the site at `site_dir` and remove the old one. On
    Linux the two folders trade places in one step, so the site is never missing."""
    reason = _existing_refusal(site_dir, str(site_dir), kind)
    if reason is not None:  # something else appeared there while the site was being built
        raise UnsafeOutput(reason)
    if not os.path.lexists(site_dir):
        staging.rename(site_dir)
        return
    if _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old site
        return
    old = scratch.new_dir(old_prefix(site_dir), site_dir.parent)
    old.rmdir()  # only its unique name is needed
    site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def escaping(files: Iterable[Any], site_dir: Path) -> list[str]:
    """Files (mkdocs File objects) whose destination lies outside `site_dir`: a `..` in an
    index number or an attachment path must never write into the repository."""
    base = os.path.normpath(site_dir)
    outside = []
    for file in files:
        dest = os.path.normpath(os.path.join(base, file.dest_uri))
        if not dest.startswith(base + os.sep):
            outside.append(file.src_uri)
    return outside
