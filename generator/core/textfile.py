"""Reading staff-written text files: UTF-8 (a BOM is fine), with a clear word for GBK files."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from generator.core.problems import Problem, error

REENCODE_HINT = (
    "请用 UTF-8 编码重新保存：在记事本中选择“另存为”，编码选“UTF-8”；"
    "在 VS Code 中点击右下角的编码，选择“通过编码保存”→“UTF-8”。"
)


def decode(data: bytes, path: Path | str) -> tuple[str, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            data.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码（Windows 中文系统的默认编码）"
        except UnicodeDecodeError:
            guess = "无法识别其编码"
        return "", error(path, line, "GK100", f"文件不是 UTF-8 编码，{guess}。{REENCODE_HINT}")


class NotRegularFile(OSError):
    """The name is a named pipe, a device, a socket or a folder, not a file."""


_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "是符号链接，不会被读取",
    errno.EISDIR: "是文件夹，不是文件",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENXIO: "是特殊文件（如套接字），不是普通文件",
    errno.EIO: "读取时发生输入输出错误（磁盘可能损坏）",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese (strerror is English)."""
    if isinstance(exc, NotRegularFile):
        return str(exc.strerror)
    return _REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）")


def open_regular(path: Path | str, follow: bool = True) -> BinaryIO:
    """A regular file opened for reading without blocking: a named pipe, device or socket raises
    NotRegularFile instead of hanging; with `follow=False` a symbolic link raises too."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except ValueError:  # a NUL in the name
        raise NotRegularFile(errno.EINVAL, "文件名含有不允许的字符") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "文件夹" if stat.S_ISDIR(mode) else "特殊文件（命名管道、设备或套接字）"
        raise NotRegularFile(errno.EINVAL, f"是{what}，不是普通文件，不会被读取")
    return os.fdopen(fd, "rb")


def read_regular(path: Path | str, follow: bool = True, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (see `open_regular`), at most `max_bytes` of them."""
    with open_regular(path, follow) as handle:
        return handle.read() if max_bytes is None else handle.read(max_bytes)


def read_text(path: Path) -> tuple[str, Problem | None]:
    """The file's text, or a problem naming the file and line when it cannot be read."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return "", error(path, 1, "GK001", f"找不到文件 {path}，请确认路径正确")
    except OSError as exc:
        return "", error(path, 1, "GK001", f"无法读取文件：{os_reason(exc)}")
    return decode(data, path)


# Characters XML 1.0 (and so a Word document) cannot hold: C0 controls but tab and newline,
# lone surrogates, and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters a .docx cannot hold (a NUL pasted into the narrative would
    otherwise stop the whole build)."""
    return _NOT_XML.sub("", text)
