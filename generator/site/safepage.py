"""A page as templates may see it: content sanitised, table of contents and title made from
what the sanitiser kept, and what it removed reported at a source line.

mkdocs' Jinja environment escapes every value in Gongkai builds (GongkaiPlugin.on_env), so a
value printed as HTML must be `Markup`; `sanitise` is what makes page content so.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from markdown.extensions.toc import nest_toc_tokens
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc

from generator.core import markup
from generator.core import sanitize
from generator.core.problems import Problem
from generator.core.problems import error
from generator.core.problems import format_text
from generator.core.textfile import read_text

log = logging.getLogger("mkdocs.plugins.gongkai")


class RemovedMarkup(MkDocsException):
    """Sanitising removed markup from pages: the build stops. Not an mkdocs BuildError, which
    mkdocs would log in place of raising, so the Chinese message reaches the user as it is."""


def sanitise(page: Page, rendered: str) -> tuple[Markup, list[sanitize.Removal]]:
    """The page's content as it is published, and what was removed from it (in the
    fast case, when the sanitiser changes nothing, without a second pass)."""
    cleaned = sanitize.clean(rendered)
    found = sanitize.removals(rendered) if cleaned != rendered else []
    page.toc = safe_toc(page.toc, cleaned)
    _safe_title(page)
    return cleaned, found


def safe_toc(toc: TableOfContents, cleaned: str) -> TableOfContents:
    """The entries of `toc` whose heading kept its id, titled with the heading's sanitised
    text (so neither an id nor a title can break out of the table of contents' markup)."""
    kept = sanitize.headings(cleaned)
    flat: list[dict[str, Any]] = []

    def walk(links) -> None:
        for link in links:
            if link.id in kept:
                title = kept[link.id][1]
                flat.append({"level": link.level, "id": link.id, "name": title, "children": []})
            walk(link.children)

    walk(toc)
    return get_toc(nest_toc_tokens(flat))


def _safe_title(page: Page) -> None:
    """A title mkdocs took from the rendered first heading is HTML text: as Markup, escaped
    once. Titles from the navigation or front matter are plain text, escaped when printed."""
    if "title" in vars(page) or "title" in (page.meta or {}):
        return
    rendered = getattr(page, "_title_from_render", None)
    if rendered:
        page.title = escape(html.unescape(rendered))


def problems(
    page: Page,
    context: dict[str, Any],
    config: MkDocsConfig,
    found: list[sanitize.Removal],
) -> list[Problem]:
    """GK901–GK903 for a built page, at the line of its source file, as `validate` reports."""
    settings = markup.SiteMarkdown(
        list(config["markdown_extensions"]), dict(config["mdx_configs"] or {})
    )
    item = context.get("item") if context.get("kind") == "item" else None
    if item is not None:
        return markup.problems(item.path, item.body, item.body_line, settings, found)
    if context.get("kind") == "attachment":  # a Markdown attachment: its file, after its front matter
        text, _ = read_text(Path(context["source"]))
        body, line = markup.page_body(text)
        return markup.problems(context["source"], body, line, settings, found)
    source = page.file.abs_src_path
    if source and not page.file.generated_by and Path(source).is_file():
        text, unreadable = read_text(Path(source))
        if unreadable is None:
            body, line = markup.page_body(text)
            return markup.problems(source, body, line, settings, found)
    where = page.file.src_uri
    return [error(where, 1, r.code, sanitize.message(r)) for r in found]


def removed_problems(
    removed: list[tuple[Page, list[sanitize.Removal]]],
    contexts: dict[str, dict[str, Any]],
    config: MkDocsConfig,
    stop: bool = True,
) -> list[Problem]:
    """What sanitising the pages removed, at its source lines. `validate` reports the same as
    errors, so a build that finds any has content that bypassed the checks: it stops (raises
    RemovedMarkup) unless `stop` is off, when the problems are logged as warnings."""
    found = [
        problem
        for page, lost in removed
        for problem in problems(page, contexts.get(page.file.src_uri, {}), config, lost)
    ]
    if found and stop:
        raise RemovedMarkup(
            "以下页面含有发布时会被删除的标记（gongkai validate 会报告它们），"
            "为安全起见未生成网站:\n" + format_text(found)
        )
    if found:
        log.warning("以下标记已从页面中删除:\n%s", format_text(found))
    return found
