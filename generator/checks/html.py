"""GK901–GK904: markup the public site would not publish, reported at its source line.

Derived from the site's own sanitiser (generator/core/sanitize.py) on the body as the site renders
it (generator/core/markup.py), so what is reported is exactly what a page would lose: a script, an
event attribute, a `javascript:` link, however it is spelt or split across lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.core import markup
from generator.core.attachments import attached_files
from generator.core.item import Item
from generator.core.problems import Problem, error
from generator.core.project import CONTENT_DIR, Project
from generator.core.textfile import read_text

PAGES_DIR = "pages"  # content/pages: fixed pages, published as mkdocs renders them


def _settings(project: Project) -> markup.SiteMarkdown | None:
    try:
        return markup.for_project(project.root)
    except markup.MarkdownSettingsError:
        return None  # reported once, by markdown_settings


def raw_html(item: Item, project: Project) -> Iterator[Problem]:
    """What the sanitiser would remove from the item's page and from its Markdown attachments'
    pages (published as pages, generator/pages/plan.py), each at its own file's line."""
    settings = _settings(project)
    if settings is None:
        return
    if markup.needs_render(item.body, settings):
        yield from markup.problems(item.path, item.body, item.body_line, settings)
    for found in attached_files(item, project):
        if found.is_page:
            text, unreadable = read_text(found.path)
            if unreadable is None:
                body, line = markup.page_body(text)
                if markup.needs_render(body, settings):
                    yield from markup.problems(found.path, body, line, settings)


def _page_files(project: Project) -> Iterator[Path]:
    pages = project.root / CONTENT_DIR / PAGES_DIR
    if pages.is_dir() and not pages.is_symlink():
        for path in sorted(pages.rglob("*.md")):
            if path.is_file() and not path.is_symlink():
                yield path


def fixed_pages(project: Project) -> Iterator[Problem]:
    """The same check for content/pages/, which mkdocs publishes as pages of their own."""
    settings = _settings(project)
    if settings is None:
        return
    for path in _page_files(project):
        text, unreadable = read_text(path)
        if unreadable is None:
            body, line = markup.page_body(text)
            if markup.needs_render(body, settings):
                yield from markup.problems(path, body, line, settings)


def markdown_settings(project: Project) -> Iterator[Problem]:
    """GK904: without the site's Markdown settings, nothing can say what its pages show."""
    try:
        markup.for_project(project.root)
    except markup.MarkdownSettingsError as exc:
        path = project.root / "mkdocs.yml"
        text, _ = read_text(path)
        lines = text.splitlines()
        line = next((n for n, t in enumerate(lines, 1) if "markdown_extensions" in t), 1)
        yield error(
            path,
            line,
            "GK904",
            f"网站的 Markdown 设置无法使用，无法检查正文中的标记：{exc}。请按 mkdocs 的写法改正 "
            "mkdocs.yml 的 markdown_extensions",
        )
