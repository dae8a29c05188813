"""Reading staff-written text files: UTF-8 (a BOM is fine), with a clear word for GBK files."""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem, error

REENCODE_HINT = (
    "请用 UTF-8 编码重新保存:在记事本中选择“另存为”,编码选“UTF-8”;"
    "在 VS Code 中点击右下角的编码,选择“通过编码保存”→“UTF-8”。"
)


def decode(data: bytes, path: Path | str) -> tuple[str, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            data.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码(Windows 中文系统的默认编码)"
        except UnicodeDecodeError:
            guess = "无法识别其编码"
        return "", error(path, line, "GK100", f"文件不是 UTF-8 编码,{guess}。{REENCODE_HINT}")


def read_text(path: Path) -> tuple[str, Problem | None]:
    """The file's text, or a problem naming the file and line when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "", error(path, 1, "GK001", f"找不到文件 {path},请确认路径正确")
    except OSError as exc:
        return "", error(path, 1, "GK001", f"无法读取文件:{exc.strerror}")
    return decode(data, path)


# Characters XML 1.0 (and so a Word document) cannot hold: C0 controls but tab and newline,
# lone surrogates, and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters a .docx cannot hold (a NUL pasted into the narrative would
    otherwise stop the whole build)."""
    return _NOT_XML.sub("", text)
