"""`gongkai build`: validate, then build the site into a temporary folder and swap it in.

A failed or interrupted build leaves the previous site untouched.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .loader import Project

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass
class Gate:
    """What the publish gate decided: whether this is only a preview, and what to add to the
    finished site (the publish record). Held changes are simply not in the approved state."""

    preview: bool
    on_built: Callable[[Path], None] | None = None  # e.g. write the publish record


class BuildError(Exception):
    """The site could not be built; the message is in Chinese."""


def _progress(stream=sys.stderr):
    interactive = stream.isatty()
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if interactive:
            bar = "█" * (percent // 4) + "░" * (25 - percent // 4)
            stream.write(f"\r生成页面 {bar} {percent:3d}% ({done}/{total})")
            if done >= total:
                stream.write("\n")
        elif percent // 10 != last[0]:
            last[0] = percent // 10
            stream.write(f"生成页面 {percent}% ({done}/{total})\n")
        stream.flush()

    return report


def build_site_dir(
    project: Project,
    site_dir: Path,
    today: date | None = None,
    progress: bool = True,
    gate: Gate | None = None,
    options: dict | None = None,
    verify: Callable[[], None] | None = None,
) -> None:
    """Build the public site for a validated project into `site_dir`, atomically.

    `options` override the `gongkai` plugin's settings from mkdocs.yml (tests and benchmarks).
    `verify`, if given, runs once the site is built and before it replaces the old one; it
    raises BuildError to keep the old site (`gongkai build` waits there for its checks)."""
    config_file = project.root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildError(f"找不到 {config_file},网站配置文件应放在仓库根目录")
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), site_dir=str(staging))
        plugin = config.plugins["gongkai"]
        plugin.project = project
        for key, value in (options or {}).items():
            plugin.config[key] = value
        if gate is not None:
            plugin.preview = gate.preview
        if today is not None:
            plugin.config.today = today.isoformat()
        if progress:
            plugin.progress = _progress()
        try:
            mkdocs_build(config)
        finally:
            gc.unfreeze()  # see GongkaiPlugin.on_env
        if verify is not None:
            verify()
        if gate is not None and gate.on_built is not None:
            gate.on_built(staging)
    except (MkDocsException, OSError, jinja2.TemplateError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"生成网站失败,原有网站保持不变:{exc}") from None
    except BaseException:  # interrupted (Ctrl-C) or a bug: the previous site stays as it was
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site_dir)


def _swap(staging: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
        site_dir.rename(old)
    staging.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
