"""GK901–GK904: markup the public site would not publish, reported at its source line; GK159: a
fixed page that names a theme template.

Derived from the site's own sanitiser (generator/core/sanitize.py) on the body as the site renders
it (generator/core/markup.py), so what is reported is exactly what a page would lose: a script, an
event attribute, a `javascript:` link, however it is spelt or split across lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mkdocs.utils import meta as page_meta

from generator.core import markup, yamlsrc
from generator.core.attachments import attached_files
from generator.core.item import Item
from generator.core.problems import Problem, error
from generator.core.project import CONTENT_DIR, Project
from generator.core.repo_files import page_allowed
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


def _template_line(text: str) -> int:
    """The line of a fixed page's `template:` key, as mkdocs reads the page's metadata: a YAML
    block between --- lines, or MultiMarkdown's “Key: value” lines at the top."""
    if found := page_meta.YAML_RE.match(text):
        try:
            return yamlsrc.load(found.group(1), line_offset=1).line("template", default=2)
        except yamlsrc.YamlSyntaxError:
            return 2
    for number, line in enumerate(text.splitlines(), 1):
        key = page_meta.META_RE.match(line)
        if key is not None and key.group("key").lower().strip() == "template":
            return number
    return 1


def fixed_page_template(project: Project) -> Iterator[Problem]:
    """GK159: a fixed page (content/pages/) that names a template of the theme. The theme's
    templates are for the pages gongkai generates: an item's page fails without its item, and
    base.html leaves out what every page must carry (footer, monitoring metadata)."""
    tree = project.tree
    if tree is None:
        return
    for rel in sorted(tree.files):
        if rel.parts[0] != PAGES_DIR or rel.suffix != ".md" or not page_allowed(project, rel):
            continue
        path = tree.path(rel)
        text, unreadable = read_text(path)
        if unreadable is not None:
            continue  # reported where the pages are read
        try:
            _, meta = page_meta.get_data(text)
        except Exception:  # mkdocs reads no metadata from it then
            continue
        if isinstance(meta, dict) and "template" in meta:
            yield error(
                path,
                _template_line(text),
                "GK159",
                "固定页面不能指定模板（template）：网站的模板只用于自动生成的页面，"
                "固定页面统一使用网站的页面样式。请删除这一行",
            )
