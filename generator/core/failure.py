"""Failures put into words for staff: system errors in Chinese, and the last-resort report of an
unexpected error (a bug), whose details go to a log file instead of the screen."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXIT_BUG = 70  # EX_SOFTWARE: an internal error, not the user's input
EXIT_SIGNAL = 128  # plus the signal's number, as shells report a process ended by a signal

_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "操作不被允许（没有权限）",
    errno.EROFS: "所在的文件系统是只读的",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EEXIST: "已经存在",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ELOOP: "符号链接形成了循环",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "系统同时打开的文件过多",
    errno.EIO: "读写设备出错",
    errno.EBUSY: "正被其他程序使用",
    errno.EXDEV: "不能跨文件系统移动",
    errno.ENOMEM: "内存不足",
    errno.EINVAL: "名称或参数无效",
    errno.ETXTBSY: "文件正被执行",
    errno.EFBIG: "文件过大",
}


def os_error_text(exc: OSError) -> str:
    """What went wrong with which file, in Chinese (the system's own words are English)."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is None:
        reason = f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误"
    names = [os.fsdecode(n) for n in (exc.filename, exc.filename2) if n is not None]
    return f"{' → '.join(names)}:{reason}" if names else reason


def read_error_text(exc: OSError | ValueError) -> str:
    """Why a JSON file could not be read, in Chinese: a system error, text that is not UTF-8,
    or a line and column where the text stops being JSON (a web page saved instead of it)."""
    if isinstance(exc, OSError):
        return os_error_text(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节有误）"
    if isinstance(exc, json.JSONDecodeError):
        return f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列有误）"
    return "不是有效的 JSON"


def log_path() -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(tempfile.gettempdir()) / f"gongkai-error-{stamp}-{os.getpid()}.log"


def write_log(exc: BaseException) -> Path | None:
    """The details of an unexpected error, readable by this user only (they may quote content)."""
    path = log_path()
    details = "".join(traceback.format_exception(exc))
    text = (
        f"gongkai 内部错误记录 {time.strftime('%Y-%m-%d %H:%M:%S %z')}\n"
        f"命令：{' '.join(sys.argv)}\n工作目录：{os.getcwd()}\nPython {sys.version}\n\n{details}"
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as stream:
            stream.write(text)
    except OSError:
        return None
    return path


def unexpected(exc: BaseException) -> str:
    """The last-resort message: no exception name, no traceback, where the details are."""
    path = write_log(exc)
    lines = ["gongkai：发生了意外的内部错误，本次操作已停止。"]
    if path is not None:
        lines.append(
            f"gongkai：详细信息已写入 {path}；请把该文件和所执行的命令发给本单位的技术支持人员，"
            "或提交到 gongkai 项目的问题跟踪，以便修复。"
        )
    else:
        lines.append("gongkai：详细信息无法写入日志文件（临时文件夹不可写）；请联系技术支持人员。")
    return "\n".join(lines)


def describe(problems: list[str], site_dir: Path) -> str:
    """The first problems, how many there are, and the room left on the disk."""
    shown = "、".join(dict.fromkeys(problems[:5])) + (
        f" 等 {len(problems)} 处" if len(problems) > 5 else ""
    )
    try:
        free = shutil.disk_usage(site_dir).free // (1024 * 1024)
        room = f"（所在磁盘剩余 {free} MB" + ("，很可能已满）" if free < 64 else "）")
    except OSError:
        room = ""
    return f"{shown}{room}"
