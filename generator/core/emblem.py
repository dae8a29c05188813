"""The bureau's emblem in the header of every page (`site.emblem` in `catalog.yml`).

The bureau supplies its own image (国徽 and 党政机关 marks follow their own rules; Gongkai never
ships one). It must be a PNG, JPEG or WebP file under content/pages/, told by its bytes: an SVG
can carry script that runs in the site's origin, so it is refused, as is anything the build
would not copy (a link, a hidden file, an address the build generates)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from generator.core.filetypes import FAMILY_NAMES, detect
from generator.core.inputs import name_problem, printable

PAGES = PurePosixPath("content/pages")
# By extension: the family the bytes must be (filetypes.sniff).
IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_HOW = "请放一个 PNG、JPEG 或 WebP 图片到 content/pages/ 下（如 content/pages/images/emblem.png），写 images/emblem.png"
_SVG = "SVG 图片可以包含在读者浏览器中运行的脚本，不能作为网站徽标：请导出为 PNG 图片"


def site_path(written: str) -> PurePosixPath | str:
    """The emblem's path in the site (below content/pages/), or why it cannot be one."""
    if _CONTROL.search(written):
        return "路径含有换行符等控制字符，请改用普通的文件名"
    if "\\" in written:
        return "路径请用“/”分隔文件夹，不要用“\\”"
    if _DRIVE.match(written) or written.startswith("//"):
        return f"不能使用本机的绝对路径：{_HOW}"
    parts = [p for p in written.lstrip("/").split("/") if p not in ("", ".")]
    if ".." in parts:
        return f"路径不能用“..”离开 content/pages/ 文件夹：{_HOW}"
    for part in parts:
        reason = name_problem(part)
        if reason is not None:
            return reason
        if part.startswith("."):
            return f"文件名或文件夹名不能以“.”开头（“{printable(part)}”是隐藏文件，不会发布）"
    if not parts:
        return f"路径是空的：{_HOW}"
    return PurePosixPath(*parts)


def emblem_problem(root: Path, written: str) -> str | None:
    """Why `written` cannot be the header emblem of the repository at `root`, in Chinese; None
    when it can (a regular PNG, JPEG or WebP file below content/pages/ that the build copies)."""
    rel = site_path(written)
    if isinstance(rel, str):
        return rel
    suffix = rel.suffix.lower()
    if suffix in (".svg", ".svgz"):
        return _SVG
    if suffix not in IMAGE_SUFFIXES:
        return f"只能是 PNG、JPEG 或 WebP 图片（扩展名 .png、.jpg、.jpeg、.webp）：{_HOW}"
    # Imported here: repo_files needs the project, which reads this catalog (import cycle).
    from generator.core.repo_files import page_collision

    if page_collision(PurePosixPath("pages") / rel) is not None:
        return f"网站在“{rel.parts[0]}”生成自己的页面和文件，请把图片放到别的文件夹，如 images/"
    shown = f"{PAGES}/{rel}"
    return _file_problem(root, rel, shown) or _content_problem(root / PAGES / rel, suffix, shown)


def _file_problem(root: Path, rel: PurePosixPath, shown: str) -> str | None:
    """Why the path is not a regular file reached without symbolic links."""
    current = root / PAGES
    for depth, part in enumerate(rel.parts, 1):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return f"找不到文件 {printable(shown)}：{_HOW}"
        if stat.S_ISLNK(mode):
            return f"{printable(shown)} 经过符号链接，不会发布：请放入图片文件本身"
        if depth == len(rel.parts) and not stat.S_ISREG(mode):
            return f"{printable(shown)} 不是普通文件：{_HOW}"
    return None


def _content_problem(path: Path, suffix: str, shown: str) -> str | None:
    """Why the file's bytes are not the image its extension names."""
    try:
        family = detect(path)
    except OSError as exc:
        return f"无法读取 {printable(shown)}（{exc.strerror or exc}）"
    if family == "svg":
        return f"{printable(shown)} 的内容是 SVG：{_SVG}"
    if family != IMAGE_SUFFIXES[suffix]:
        found = FAMILY_NAMES.get(family, family)
        return (
            f"{printable(shown)} 的扩展名是 {suffix}，内容却是{found}：请用图片软件另存为"
            " PNG、JPEG 或 WebP 图片，并使用对应的扩展名"
        )
    return None
