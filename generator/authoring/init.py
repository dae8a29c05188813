"""`gongkai init`: a new bureau's portal repository, from the skeleton shipped in the package.

The skeleton (`generator/authoring/skeleton/`) holds the files as the new repository has them:
a file ending in `.j2` is rendered with jinja2 (the suffix dropped), any other file is copied as
it is; a path part starting with `dot-` becomes a dot name (`dot-github` is `.github`), because
package data leaves dot files out of the wheel.

Nothing is half-written: the files are written into a staging folder beside the target, which
then takes the target's place in one step (an empty or missing folder), or, with `--force` in a
non-empty folder, is linked in file by file without replacing any file that is already there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path, PurePosixPath

import jinja2

from generator.core.clock import beijing_today

SKELETON = Path(__file__).parent / "skeleton"
EXAMPLE_ITEM = "content/jgzn/jigou-zhineng.md"
MAX_NAME = 50  # characters: the longest official names are about 30
_ORG_CODE = re.compile(r"[0-9A-Z]{9}|[0-9A-Z]{18}")
_DOT = "dot-"


class InitError(Exception):
    """The portal cannot be created; the message is in Chinese and says how to fix the call."""


@dataclass(frozen=True)
class Portal:
    name: str  # the bureau's full name (机关全称)
    org_code: str  # 9-character organization code or 18-character unified credit code
    today: date  # a Beijing date
    version: str  # the gongkai version the portal pins

    @property
    def index_no(self) -> str:
        """The example item's number in the catalog's national template."""
        return f"{self.org_code}/{self.today.year}-00001"


def bureau_name(text: str) -> str:
    """The bureau's name as given, checked: one line of printable text."""
    name = unicodedata.normalize("NFC", text).strip()
    if not name:
        raise InitError("--name 不能为空：请写机关全称，例如 --name 示例市文化和旅游局")
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name):
        raise InitError("--name 只能是一行文字，不能含有换行、制表符或控制字符")
    if len(name) > MAX_NAME:
        raise InitError(f"--name 太长（{len(name)} 个字）：机关全称不超过 {MAX_NAME} 个字")
    return name


def org_code(text: str) -> str:
    """The organization code without hyphen or spaces, upper case, checked for its length."""
    code = re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", text)).upper()
    if not _ORG_CODE.fullmatch(code):
        raise InitError(
            f"--org-code“{text}”不是组织机构代码：应为 9 位组织机构代码（如 00009903-1 写作 000099031）"
            "或 18 位统一社会信用代码，只含数字和大写字母"
        )
    return code


def installed_version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:
        raise InitError(
            "无法确定 Gongkai 的版本：请先用 pip 安装 gongkai，再运行 gongkai init"
        ) from None


def new_portal(name: str, code: str) -> Portal:
    return Portal(bureau_name(name), org_code(code), beijing_today(), installed_version())


def _target_name(rel: PurePosixPath) -> str:
    parts = ["." + p[len(_DOT) :] if p.startswith(_DOT) else p for p in rel.parts]
    name = "/".join(parts)
    return name[: -len(".j2")] if name.endswith(".j2") else name


def portal_files(portal: Portal) -> dict[str, bytes]:
    """Every file of the new repository (path relative to it -> content)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SKELETON),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML, Markdown and TOML, not HTML
    )
    # A double-quoted YAML scalar that keeps Chinese readable (JSON strings are valid YAML).
    env.filters["yaml_str"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    context = {
        "name": portal.name,
        "org_code": portal.org_code,
        "today": portal.today,
        "version": portal.version,
        "index_no": portal.index_no,
        "example": EXAMPLE_ITEM,
    }
    files = {}
    for path in sorted(SKELETON.rglob("*")):
        rel = PurePosixPath(path.relative_to(SKELETON).as_posix())
        if not path.is_file() or "__pycache__" in rel.parts:
            continue
        if rel.suffix == ".j2":
            text = env.get_template(rel.as_posix()).render(context)
            files[_target_name(rel)] = text.encode("utf-8")
        else:
            files[_target_name(rel)] = path.read_bytes()
    return files


def _listing(names: list[str], limit: int = 5) -> str:
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 项" if len(names) > limit else "")


def _clashes(target: Path, names: list[str]) -> list[str]:
    """The files this would write that exist already, or whose folder is a link or a file."""
    found = []
    for name in names:
        path = target / name
        folders = [target / p for p in PurePosixPath(name).parents if p != PurePosixPath(".")]
        if os.path.lexists(path) or any(
            f.is_symlink() or (os.path.lexists(f) and not f.is_dir()) for f in folders
        ):
            found.append(name)
    return found


def refusal(target: Path, names: list[str], force: bool) -> str | None:
    """Why the portal must not be written into `target`, in Chinese; None when it may."""
    shown = str(target)
    if target.is_symlink():
        return f"{shown} 是符号链接：请指定一个真实的文件夹"
    if not target.exists():
        return None
    if not target.is_dir():
        return f"{shown} 已存在，但不是文件夹：请换一个文件夹名"
    present = sorted(p.name for p in target.iterdir())
    if present and not force:
        return (
            f"文件夹 {shown} 不是空的（已有 {_listing(present)}）：gongkai init 只在空文件夹中创建门户仓库。"
            "请换一个新的文件夹；如确要写入这个文件夹，加 --force（已有的文件不会被覆盖）"
        )
    clashes = _clashes(target, names)
    if clashes:
        return (
            f"文件夹 {shown} 中已有 {_listing(clashes)}：gongkai init 不会覆盖已有的文件。"
            "请先把它们移走或删除，再运行"
        )
    return None


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _link_in(staged: Path, target: Path, names: list[str]) -> None:
    """Each staged file into `target`; a link never replaces a file, so a file that appeared
    meanwhile stops the copy, and what was already linked in is taken back out."""
    done: list[Path] = []
    try:
        for name in names:
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            os.link(staged / name, path)
            done.append(path)
    except OSError:
        for path in done:
            path.unlink(missing_ok=True)
        raise


def create_portal(
    target: Path,
    files: dict[str, bytes],
    force: bool = False,
    more: Callable[[Path], dict[str, str]] | None = None,
) -> list[str]:
    """Write the portal into `target`; returns the files written (relative paths). `more` makes
    further files from the staged ones (the CLI passes CODEOWNERS, made from the catalog)."""
    reason = refusal(target, sorted(files), force)
    if reason is not None:
        raise InitError(reason)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".gongkai-init-", dir=target.parent))
    try:
        _write(staged, files)
        extra = {k: v.encode("utf-8") for k, v in (more(staged) if more else {}).items()}
        _write(staged, extra)
        names = sorted({*files, *extra})
        if target.exists() and any(target.iterdir()):
            if (reason := refusal(target, names, force)) is not None:
                raise InitError(reason)
            _link_in(staged, target, names)
        else:  # one step: the folder is there complete, or not at all
            os.replace(staged, target)
        return names
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def todo_count(target: Path) -> int:
    """How many places of the new catalog.yml are marked for the bureau to fill in."""
    text = (target / "catalog.yml").read_text(encoding="utf-8")
    return sum("TODO" in line for line in text.splitlines())
