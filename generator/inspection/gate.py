"""The inspection as a step of `gongkai build`: run on the staged site before it replaces the
published one; its errors keep the old site (freshness errors only with `block_stale`, since
holding a site back never makes it fresher)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from generator.core.problems import Problem, format_text
from generator.core.project import Project
from generator.inspection.freshness import STALE_CODES
from generator.inspection.run import inspect_site


def blocking(problems: list[Problem], block_stale: bool) -> list[Problem]:
    return [p for p in problems if p.is_error and (block_stale or p.code not in STALE_CODES)]


def before_swap(
    project: Project,
    staged: Path,
    site_dir: Path,
    today: date | None,
    held: Mapping[str, str] | None = None,
) -> str | None:
    """Inspect the staged site and print the report (pages named by their final place);
    returns why the site may not replace the published one, or None. `held`: the addresses of
    items held back by the gate (links to them only warn)."""
    report = inspect_site(project, staged, today, held)
    problems = [_moved(p, staged, site_dir) for p in report.problems]
    # problem lines only: the build's own last line says whether the site went out
    sys.stdout.write("".join(line + "\n" for line in format_text(problems).splitlines()[:-1]))
    stopping = blocking(problems, project.catalog.inspection.block_stale)
    if stopping:
        return (
            f"网站检查（国办秘函〔2019〕19号检查指标）发现 {len(stopping)} 个须改正的错误（见上），"
            "新网站未替换原有网站"
        )
    return None


def _moved(problem: Problem, staged: Path, site_dir: Path) -> Problem:
    path = Path(problem.file)
    if not path.is_relative_to(staged):
        return problem
    return dataclasses.replace(problem, file=str(site_dir / path.relative_to(staged)))
