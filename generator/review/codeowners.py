"""CODEOWNERS from the catalog: each category's folder owned by its department's reviewers.

GitHub reads globs (`.github/CODEOWNERS`), Gitea regular expressions (`.gitea/CODEOWNERS`).
In both the last matching line wins, so parents come before their children.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..catalog import Catalog, Department

HEADER = (
    "# 由 gongkai codeowners 根据 catalog.yml 生成,请勿手工修改。\n"
    "# Generated from catalog.yml by `gongkai codeowners`; do not edit by hand.\n"
)
OFFICE_PATHS = ("catalog.yml", "mkdocs.yml", "theme/", ".github/", ".gitea/", "content/pages/")


def _owners(department: Department | None, gitea: bool) -> str:
    names = []
    for reviewer in department.reviewers if department else []:
        if reviewer.login:
            names.append("@" + reviewer.login)
        elif reviewer.email and not gitea:
            names.append(reviewer.email)
    return " ".join(names)


def _lines(catalog: Catalog, gitea: bool) -> list[str]:
    office = catalog.departments.get(catalog.review.get("office", ""))
    rows: list[tuple[str, str]] = []
    for category in catalog.categories.values():  # parents come before children
        rows.append(
            (
                f"content/{category.folder}/",
                _owners(catalog.departments.get(category.department), gitea),
            )
        )
    rows += [(path, _owners(office, gitea)) for path in OFFICE_PATHS]
    out = []
    for path, owners in rows:
        if not owners:
            continue
        if gitea:
            pattern = "^" + re.escape(path) + (".*" if path.endswith("/") else "") + "$"
            out.append(f"{pattern} {owners}")
        else:
            out.append(f"/{path} {owners}")
    return out


def render(catalog: Catalog) -> dict[str, str]:
    """File path (relative to the repository) -> content."""
    return {
        ".github/CODEOWNERS": HEADER + "\n".join(_lines(catalog, gitea=False)) + "\n",
        ".gitea/CODEOWNERS": HEADER + "\n".join(_lines(catalog, gitea=True)) + "\n",
    }


def stale(root: Path, catalog: Catalog) -> list[str]:
    """The CODEOWNERS files that differ from what the catalog says."""
    return [
        rel
        for rel, text in render(catalog).items()
        if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text
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
