"""Gongkai's generated pages rendered without mkdocs' per-page set-up, with the same output.

For every page mkdocs parses the YAML front matter of its source and builds a new Markdown
converter (every extension, every pattern); mkdocs-material's templates look each interface
string up with a macro that builds the language's whole table (about 140 entries) on every
call. At 10,000 items these cost about 2.5 s of a 16 s build, in plain mkdocs-material too.
Gongkai's pages are generated with their metadata in hand, so:

- `read_source` takes the metadata as generated instead of parsing it back from YAML;
- `render` reuses one converter, reset between pages (as Python-Markdown intends), with
  mkdocs' own per-page processors registered afresh for each page, exactly as
  `mkdocs.structure.pages.Page.render` does;
- `translator` looks each interface string up once per build (`theme/partials/language.html`).

`tests/test_fastpages.py` builds the demo site both ways and compares every file. Should
mkdocs rename the internals used here, `AVAILABLE` is false and mkdocs renders as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import jinja2
import markdown
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_INTERNALS = (
    "_RawHTMLPreprocessor",
    "_ExtractAnchorsTreeprocessor",
    "_RelativePathTreeprocessor",
    "_ExtractTitleTreeprocessor",
    "get_toc",
)
AVAILABLE = all(hasattr(mkdocs_pages, name) for name in _INTERNALS)


class PageRenderer:
    """One Markdown converter for a build's generated pages."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None

    def adopt(self, page: Page, meta: dict[str, Any], body: str) -> None:
        """From now on `page` reads `meta` and `body` as given and renders with the shared
        converter (instance attributes: mkdocs calls `page.read_source()`, `page.render()`)."""

        def read_source(config: MkDocsConfig) -> None:
            # as mkdocs.utils.meta.get_data leaves them, after the front matter
            page.markdown, page.meta = body.lstrip("\n"), dict(meta)

        def render(config: MkDocsConfig, files: Files) -> None:
            self.render(page, config, files)

        page.read_source = read_source  # type: ignore[method-assign]
        page.render = render  # type: ignore[method-assign]

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`mkdocs.structure.pages.Page.render` (mkdocs 1.6) with a reused converter."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._md
        if md is None:
            md = self._md = markdown.Markdown(
                extensions=config["markdown_extensions"],
                extension_configs=config["mdx_configs"] or {},
            )
        md.reset()
        # registering under the same names replaces the previous page's processors
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        try:
            page.content = md.convert(page.markdown)
        except ValueError as exc:  # mkdocs splits every link: `//[x/` cannot be split
            raise PluginError(
                f"{(getattr(page.file, 'sources', None) or [page.file.src_uri])[0]}："
                "正文中有无法解析的链接地址"
                f"（{exc}），网站未生成：请运行 gongkai validate 查看所在的行并改正"
            ) from None
        page.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors


def translator(env: jinja2.Environment, language: str) -> Callable[[str], Markup]:
    """mkdocs-material's `lang.t(key)` (partials/language.html): the theme language's string,
    else the English one, else the key; each key looked up once."""
    own = env.get_template(f"partials/languages/{language}.html").module
    fallback = env.get_template("partials/languages/en.html").module
    found: dict[str, str] = {}

    def t(key: str) -> str:
        try:
            return found[key]
        except KeyError:
            # Markup: the theme's own strings, printed as they are by autoescaping templates
            value = found[key] = Markup(own.t(key) or fallback.t(key) or key)
            return value

    return t
