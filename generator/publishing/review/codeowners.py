"""CODEOWNERS from the catalog, covering every file the gate judges.

GitHub reads globs (`.github/CODEOWNERS`), Gitea regular expressions (`.gitea/CODEOWNERS`); in
both the last matching line wins. So the office comes first as the default owner of everything,
then each category's folder (parents before children) with its department's reviewers, then the
office's own paths (fixed pages, annual data, catalog, site configuration, theme, code,
workflows). The forge then asks the right department; the gate itself still decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.core.catalog import Catalog, Department
from generator.core.git_history import GitError
from generator.core.project import CONTENT_DIR
from generator.publishing.review.paths import GATED_DIRS, GATED_FILES, is_gated
from generator.publishing.review.repo import Repo

HEADER = (
    "# 由 gongkai codeowners 根据 catalog.yml 生成，请勿手工修改。\n"
    "# Generated from catalog.yml by `gongkai codeowners`; do not edit by hand.\n"
)
OFFICE_PATHS = (
    f"{CONTENT_DIR}/pages/",
    f"{CONTENT_DIR}/annual/",
    *sorted(GATED_FILES),
    *(d for d in GATED_DIRS if d != f"{CONTENT_DIR}/"),
)
FILES = {".github/CODEOWNERS": False, ".gitea/CODEOWNERS": True}  # file -> Gitea syntax
_UNSAFE = re.compile(r"[\s#!\[\]*?\\]")  # characters a CODEOWNERS path cannot carry as such


@dataclass(frozen=True)
class Rule:
    path: str  # "" = everything; "dir/" = a folder; else one file
    department: str

    def matches(self, path: str) -> bool:
        if not self.path:
            return True
        return path.startswith(self.path) if self.path.endswith("/") else path == self.path


def rules(catalog: Catalog) -> list[Rule]:
    office = str(catalog.review.get("office") or "")
    found = [Rule("", office)]
    for category in catalog.categories.values():  # parents come before children
        found.append(Rule(f"{CONTENT_DIR}/{category.folder}/", category.department))
    found += [Rule(path, office) for path in OFFICE_PATHS]
    return found


def _owners(department: Department | None, gitea: bool) -> list[str]:
    names = []
    for reviewer in department.reviewers if department else []:
        if reviewer.login:
            names.append("@" + reviewer.login)
        elif reviewer.email and not gitea:
            names.append(reviewer.email)
    return names


def _pattern(path: str, gitea: bool) -> str:
    if gitea:
        return (
            ".*" if not path else "^" + re.escape(path) + (".*" if path.endswith("/") else "") + "$"
        )
    return "*" if not path else "/" + path


def _lines(catalog: Catalog, gitea: bool) -> list[str]:
    out = []
    for rule in rules(catalog):
        owners = _owners(catalog.departments.get(rule.department), gitea)
        if owners and not _UNSAFE.search(rule.path):
            out.append(f"{_pattern(rule.path, gitea)} {' '.join(owners)}")
    return out


def render(catalog: Catalog) -> dict[str, str]:
    """File path (relative to the repository) -> content."""
    return {
        name: HEADER + "\n".join(_lines(catalog, gitea)) + "\n" for name, gitea in FILES.items()
    }


def stale(root: Path, catalog: Catalog) -> list[str]:
    """The CODEOWNERS files that differ from what the catalog says."""
    return [
        rel
        for rel, text in render(catalog).items()
        if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text
    ]


def _tracked(root: Path) -> list[str]:
    try:
        out = Repo(root).run("ls-files", "-z")
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if is_gated(p)]
    except GitError:  # not a repository: the files on disk
        return sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and is_gated(p.relative_to(root).as_posix())
        )


def uncovered(root: Path, catalog: Catalog) -> list[str]:
    """Messages for gated files whose CODEOWNERS line names none of their department's reviewers
    (one message per folder and file, naming the first such file)."""
    every = rules(catalog)
    found: dict[tuple[str, str], list] = {}
    for path in _tracked(root):
        rule = next(r for r in reversed(every) if r.matches(path))
        department = catalog.departments.get(rule.department)
        name = department.name if department else (rule.department or "（未指定科室）")
        for gitea, file in ((False, ".github/CODEOWNERS"), (True, ".gitea/CODEOWNERS")):
            if _UNSAFE.search(rule.path):
                why = f"文件夹名“{rule.path}”含空格或 #!*?[]\\ 等字符，CODEOWNERS 无法表示，请改用简单的文件夹名"
            elif not _owners(department, gitea):
                need = "login" if gitea else "login 或邮箱"
                why = f"{name}没有可写进 {file} 的审核人（须登记 {need}）"
            else:
                continue
            entry = found.setdefault((rule.path, file), [path, 0, name, why])
            entry[1] += 1
    return [
        f"{first}{f' 等 {count} 个文件' if count > 1 else ''}：须由{name}审核，但{why}"
        for first, count, name, why in found.values()
    ]


def write(root: Path, catalog: Catalog) -> list[str]:
    written = []
    for rel, text in render(catalog).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(rel)
    return written
