"""Validate and build one project into the site folder: the existing checks (beside the build)
and `build_site_dir`, with the gate's preview flag and publish record. Exit 0 built, 1 errors
found (the old site stays)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.checks.worker import check_beside
from generator.site.build import BuildError
from generator.site.build import Gate
from generator.site.build import UnsafeOutput
from generator.site.build import build_site_dir
from generator.core.project import Project
from generator.core.problems import Problem
from generator.core.problems import format_text
from generator.core.problems import one_line


class _Invalid(BuildError):
    """The checks found errors: the new site is discarded."""


def run_build(
    project: Project,
    site_dir: Path,
    today: date | None,
    gate: Gate | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> int:
    if today is not None:
        project.today = today  # one "today" for the checks, deadlines included, and the pages
    checking = check_beside(project)  # the checks run on the other core while pages render

    @functools.cache
    def problems() -> list[Problem]:
        found = checking()
        if found:
            (on_problems or (lambda p: sys.stdout.write(format_text(p))))(found)
        return found

    def verify() -> None:  # before the new site replaces the old one
        if any(p.is_error for p in problems()):
            raise _Invalid

    try:
        build_site_dir(project, site_dir, project.today, gate=gate, verify=verify)
    except UnsafeOutput as exc:
        print(f"gongkai：{one_line(str(exc))}。", file=sys.stderr)
        return 2
    except Exception as exc:
        # Pages render while the checks run: invalid content can make the build fail before
        # the checks have said why, and then what they found is the answer.
        if isinstance(exc, _Invalid) or any(p.is_error for p in problems()):
            print("gongkai：存在错误，未生成网站，原有网站保持不变。", file=sys.stderr)
            return 1
        if not isinstance(exc, BuildError):
            raise  # a bug: main() reports it
        print(f"gongkai：{one_line(str(exc))}", file=sys.stderr)
        return 1
    print(f"网站已生成：{site_dir}")
    return 0
