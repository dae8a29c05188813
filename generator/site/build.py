"""`gongkai build`: validate, then build the site into a staging folder, verify it, and swap it in.

The output folder is replaced only if gongkai made it (generator/publishing/outdir.py); the staged site
replaces it only once it is complete (generator/site/completeness.py, run by the plugin). A failed or
interrupted build (SIGINT, SIGTERM) leaves the previous site as it was and removes its staging
folder, search scratch and worker processes; a killed one (SIGKILL) is cleaned up by the next.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.core import scratch
from generator.core.failure import os_error_text
from generator.core.interrupts import Interrupted, deferred
from generator.core.project import Project
from generator.core.public_set import PublicSet
from generator.inspection.gate import before_swap as inspection_gate
from generator.publishing import outdir
from generator.publishing.itemdata import write_item_data
from generator.publishing.manifest import ManifestError, write_manifest
from generator.search import worker as search_index

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass
class Gate:
    """What the publish gate decided: whether this is only a preview, and what to add to the
    finished site (the publish record). Held changes are simply not in the approved state."""

    preview: bool
    on_built: Callable[[Path], None] | None = None  # e.g. write the publish record
    # "/item/…/" address -> repository path of items held back: links to them only warn
    held_pages: Mapping[str, str] = field(default_factory=dict)


class BuildError(Exception):
    """The site could not be built; the message is in Chinese."""


class UnsafeOutput(BuildError):
    """The output folder may not be replaced (generator/publishing/outdir.py): nothing was written."""


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
    inspect: bool = True,
) -> None:
    """Build the public site for a validated project into `site_dir`, atomically.

    `options` override the `gongkai` plugin's settings from mkdocs.yml (tests and benchmarks).
    `verify`, if given, runs once the site is built and before it replaces the old one; it
    raises BuildError to keep the old site (`gongkai build` waits there for its checks).
    `inspect=False` skips `gongkai inspect` (tests of hostile markup, whose links lead nowhere)."""
    config_file = project.root / "mkdocs.yml"
    if not config_file.is_file():
        raise BuildError(f"找不到 {config_file}，网站配置文件应放在仓库根目录")
    kind = outdir.GATED if gate is not None and not gate.preview else outdir.PREVIEW
    try:
        outdir.check(project.root, site_dir, kind)
    except outdir.UnsafeOutput as exc:
        raise UnsafeOutput(f"{exc}。没有写入或删除任何文件") from None
    site_dir = site_dir.resolve()
    staging = _staging(site_dir)
    plugin = None
    finishing = _Finishing(project, site_dir, today, gate, verify, inspect)
    # mkdocs logs a plugin's error before it aborts: gongkai reports it once, in its own words
    logging.getLogger("mkdocs").setLevel(logging.CRITICAL)
    try:
        config = load_config(str(config_file), site_dir=str(staging))
        plugin = config.plugins["gongkai"]
        finishing.site = lambda: plugin.site
        plugin.prepare(
            project,
            preview=gate.preview if gate is not None else True,
            progress=_progress() if progress else None,
            today=today,
            options=options,
            while_indexing=finishing.run,
        )
        try:
            mkdocs_build(config)
        finally:
            gc.unfreeze()  # see GongkaiPlugin.on_env
        finishing.done(staging)
        outdir.write_marker(staging, kind)
        if unsigned := write_manifest(staging, project.root, project.catalog):  # last: all files
            print(f"gongkai：{unsigned}。", file=sys.stderr)
    except (MkDocsException, OSError, jinja2.TemplateError, ManifestError) as exc:
        _discard(staging)
        raise BuildError(f"生成网站失败，原有网站保持不变：{_reason(exc, plugin)}") from None
    except Interrupted as exc:
        _discard(staging, children=True)
        exc.detail = "原有网站保持不变"
        raise
    except BaseException:  # a bug, or Ctrl-C outside `gongkai`: the previous site stays
        _discard(staging)
        raise
    _swap(staging, site_dir, kind)


@dataclass
class _Finishing:
    """What follows the pages before the site may replace the old one: the checks' verdict and
    `gongkai inspect` on the written pages, then the publish record and the item data beside
    them. Run while the search index is finished (the index changes none of it), or after the
    build when there is no index to wait for."""

    project: Project
    site_dir: Path
    today: date | None
    gate: Gate | None
    verify: Callable[[], None] | None
    inspect: bool
    site: Callable[[], PublicSet | None] = lambda: None  # the pages' own PublicSet, once built
    outcome: list[str | None | BaseException] = field(default_factory=list)

    def run(self, staged: Path) -> None:
        try:
            self.outcome.append(self._finish(staged))
        except Exception as exc:  # raised where it would have been, after mkdocs' build
            self.outcome.append(exc)

    def _finish(self, staged: Path) -> str | None:
        if self.verify is not None:
            self.verify()
        held = self.gate.held_pages if self.gate is not None else {}
        if self.inspect and (
            failed := inspection_gate(self.project, staged, self.site_dir, self.today, held)
        ):
            return failed
        if self.gate is not None and self.gate.on_built is not None:
            self.gate.on_built(staged)
        write_item_data(staged, self.site(), self.project)
        return None

    def done(self, staging: Path) -> None:
        """Raises what stopped the site: an error of the checks, the inspection's (BuildError),
        or the failure of a step."""
        if not self.outcome:
            self.run(staging)
        if isinstance(outcome := self.outcome[0], BaseException):
            raise outcome
        if outcome is not None:
            raise BuildError(outcome)  # `gongkai inspect`'s errors keep the published site


def _staging(site_dir: Path) -> Path:
    """A new staging folder beside `site_dir` (a rename away from it), after removing what
    killed builds left there."""
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        outdir.recover(site_dir)
        return scratch.new_dir(outdir.building_prefix(site_dir), site_dir.parent)
    except OSError as exc:
        raise BuildError(
            f"无法在 {site_dir.parent} 中生成网站（{os_error_text(exc)}）："
            "请确认该文件夹存在、可以写入且有剩余空间"
        ) from None


def _reason(exc: BaseException, plugin) -> str:
    """What went wrong, in Chinese: mkdocs replaces a plugin's error with its own Abort."""
    failure = getattr(plugin, "failure", None) or exc
    if isinstance(failure, OSError):
        return os_error_text(failure)
    if isinstance(failure, jinja2.TemplateSyntaxError):
        return f"网站模板 {failure.filename or failure.name} 第 {failure.lineno} 行有语法错误（{failure.message}）"
    if isinstance(failure, jinja2.TemplateError):
        return f"网站模板有错误（{failure.message}）"
    return str(failure)


def _discard(staging: Path, children: bool = False) -> None:
    """Remove the staging folder and stop the search worker (with its Pagefind runs); with
    `children`, also this process's other children (the checks running beside the build)."""
    search_index.close_all()
    if children:
        for child in multiprocessing.active_children():
            child.kill()
            child.join(5)
    shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, site_dir: Path, kind: str) -> None:
    """The one step that replaces the published site; a signal waits until it is done."""
    with deferred("新网站已经生成并替换了原有网站"):
        try:
            outdir.swap_in(staging, site_dir, kind)
        except outdir.UnsafeOutput as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise UnsafeOutput(f"{exc}。新生成的网站已丢弃") from None
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise BuildError(
                f"无法用新网站替换 {site_dir}（{os_error_text(exc)}），原有网站保持不变"
            ) from None
