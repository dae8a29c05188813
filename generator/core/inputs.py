"""Every file under content/ (and theme/), found without following a symbolic link or opening
anything: the one list of what may be read and published.

A symbolic link (it may point at `.git`, at another item or at itself), a named pipe (reading
one waits forever), a device or a socket is refused with a message and never opened; so is a
name that cannot be printed safely (not UTF-8, control characters). Everything that reads or
publishes a file under content/ takes it from this list: items, attachments, fixed pages,
annual reports.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.core.problems import Problem, error
from generator.core.sanitize import DIRECTION_CONTROL, DIRECTION_CONTROLS
from generator.core.textfile import os_reason

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters published text may not hold, in a file name or in an item's text alike: C0 controls
# but tab, newline and carriage return; DEL and the C1 controls; lone surrogates; the Unicode
# noncharacters (an XML feed cannot hold them, and `gongkai build` would stop); and the
# bidirectional embedding, override and isolate controls, which make text show in another order
# than it is written in (and screened in): 87654321831 shown as 13812345678 (the marks too).
_UNPUBLISHABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + DIRECTION_CONTROLS
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
    + "]"
)
MAX_NAME_BYTES = 255  # one file or folder name, as most file systems allow


@dataclass
class Tree:
    """Regular files and folders under `root`, by path relative to it; and what was refused."""

    root: Path
    files: dict[PurePosixPath, int] = field(default_factory=dict)  # file -> size in bytes
    folders: set[PurePosixPath] = field(default_factory=set)
    refused: dict[PurePosixPath, Problem] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # refusals and unreadable folders

    def path(self, rel: PurePosixPath) -> Path:
        return self.root / rel


def printable(name: str) -> str:
    """A name safe to print: undecodable bytes as �, control characters as \\xNN."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def unpublishable_characters(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character in `text` that published text may not hold."""
    for found in _UNPUBLISHABLE.finditer(text):
        yield found.start(), found.group()


def direction_controls(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each direction control in `text` (`unpublishable_characters`
    finds them too): refused in every published text, as they reorder what is shown."""
    for found in DIRECTION_CONTROL.finditer(text):
        yield found.start(), found.group()


def describe_character(char: str) -> str:
    """A character that cannot be published, named for staff: “U+202E（双向文字控制符……）”."""
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:
        kind = "不成对的代理码位，不是有效的字符"
    elif 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE:
        kind = "Unicode 非字符"
    elif DIRECTION_CONTROL.fullmatch(char):
        kind = "双向文字控制符，会使文字显示的顺序与实际内容不同"
    else:
        kind = "控制字符"
    return f"U+{point:04X}（{kind}）"


def case_clash(path: str, seen: dict[tuple[str, tuple[str, ...]], str]) -> str | None:
    """The path published before (`seen`, which this adds `path` to; start with {}) that `path`
    would take the place of on a server that does not tell A from a (Windows, macOS): the same
    path once letters are compared that way (and, as macOS does, é as one character or as e and
    an accent), or a file where the other needs a folder, or the reverse. None when there is
    none; the same path twice is not a clash."""
    folded = tuple(unicodedata.normalize("NFC", part).lower() for part in path.split("/"))
    clash = next(
        (
            earlier
            for n in range(1, len(folded) + 1)
            if (earlier := seen.get(("file", folded[:n]))) is not None and earlier != path
        ),
        None,
    )
    if clash is None and seen.get(("folder", folded), path) != path:
        clash = seen[("folder", folded)]
    seen.setdefault(("file", folded), path)
    for n in range(1, len(folded)):
        seen.setdefault(("folder", folded[:n]), path)
    return clash


def name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be published, in Chinese; None when it can."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "文件名不是 UTF-8 编码（多为在 Windows 中文系统上压缩或复制所致），请重新命名"
    if _CONTROL.search(name):
        return "文件名含有换行符等控制字符，请重新命名"
    if (found := _UNPUBLISHABLE.search(name)) is not None:
        return f"文件名含有不允许的字符 {describe_character(found.group())}，请重新命名"
    if size > MAX_NAME_BYTES:
        return f"文件名过长（{size} 字节，上限 {MAX_NAME_BYTES} 字节），请改用简短的文件名"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def scan(root: Path, label: str = "content") -> Tree:
    """Walk `root` without following links; `label` names the folder in messages."""
    tree = Tree(root)
    if root.is_symlink():  # mkdocs would follow it and publish whatever it points at
        problem = error(root, 1, "GK109", f"{label}/ 文件夹不能是符号链接，请换成真正的文件夹")
        tree.refused[PurePosixPath()] = problem
        tree.problems.append(problem)
        return tree
    if not root.is_dir():
        return tree
    pending = [PurePosixPath()]
    while pending:  # a stack, not recursion: folders may nest deeper than Python recurses
        folder = pending.pop()
        try:
            with os.scandir(root / folder) as entries:
                found = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            tree.problems.append(_unreadable(tree, folder, label, exc))
            continue
        for entry in found:
            rel = folder / entry.name
            try:
                refusal = _refusal(entry, rel, label)
                size = entry.stat(follow_symlinks=False).st_size
            except OSError:  # removed while we looked
                continue
            if refusal is not None:
                problem = error(root / printable(str(rel)), 1, refusal[0], refusal[1])
                tree.refused[rel] = problem
                tree.problems.append(problem)
            elif entry.is_dir(follow_symlinks=False):
                tree.folders.add(rel)
                pending.append(rel)
            else:
                tree.files[rel] = size
    return tree


def _refusal(entry: os.DirEntry, rel: PurePosixPath, label: str) -> tuple[str, str] | None:
    """(code, message) when the entry is refused, else None."""
    if entry.is_symlink():
        return (
            "GK109",
            f"{label}/ 中不允许使用符号链接（它可能指向仓库之外、.git 或其他信息的文件），"
            "不会被读取或发布：请删除链接，把文件本身复制到这里",
        )
    reason = name_problem(entry.name)
    if reason is not None:
        return "GK156", reason
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return (
        "GK107",
        f"这是{_kind(mode)}，不是普通文件，不会被读取或发布：请从 {label}/ 中删除它",
    )


def _unreadable(tree: Tree, folder: PurePosixPath, label: str, exc: OSError) -> Problem:
    where = tree.root / printable(str(folder))
    return error(where, 1, "GK001", f"无法读取 {label}/ 中的文件夹：{os_reason(exc)}")
