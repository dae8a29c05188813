"""What the build may take from the repository besides items: the guard the mkdocs plugin runs
before mkdocs reads a single file, and the fixed pages (content/pages/) it may copy.

mkdocs walks `docs_dir` following symbolic links and copies every file it finds; `custom_dir`
is copied the same way. So before that walk the plugin refuses to build when either folder is
not the one gongkai checked, or when anything under content/ or theme/ was refused (a link, a
named pipe, a device, an unprintable name); and after it, only the files `validate` accepted
stay in the build. The decisions are the ones `validate` reports (generator/checks/privacy.py).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from generator.core.problems import format_text
from generator.core.project import CONTENT_DIR, THEME_DIR, Project

PAGES_DIR = "pages"
# What gongkai writes at the site's top level (pages, search index, feed) and what the theme
# ships (assets/ holds the site's scripts): a fixed page may not take their place.
GENERATED_ROOTS = frozenset(
    {
        "index",
        "index.html",
        "readme",
        "item",
        "category",
        "catalog",
        "search",
        "ndbg",
        "gkzn",
        "ysqgk",
        "wzdt",  # 网站地图 (generator/core/portal.py)
        "assets",
        "404",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "sitemap.xml.gz",
        "robots.txt",
        ".gongkai-site",  # the build's own marker (generator/publishing/outdir.py)
        "gongkai-publish.json",  # the publish record (generator/publishing/review/record.py)
        "gongkai-manifest.json",  # the signed manifest (generator/publishing/manifest.py)
        "gongkai-keys.json",  # its public keys
        "data",  # the items' catalogue (generator/publishing/itemdata.py)
        "sitemaps",  # the sitemap index and one sitemap per category (generator/pages/harvest.py)
    }
)


def page_collision(rel: PurePosixPath) -> str | None:
    """The address a file of content/pages/ would take from the generated site, if any."""
    top = rel.parts[1] if len(rel.parts) > 1 else ""
    if len(rel.parts) == 2 and top.lower().endswith(".md"):
        top = top[:-3]  # about.md becomes about/: index.md and README.md the home page
    name = top.lower()
    if name in GENERATED_ROOTS or name.startswith("pagefind"):
        return top
    return None


# mkdocs' Markdown extensions (mkdocs.utils.markdown_extensions), compared as written: it renders
# about.md and about.markdown as pages and copies about.MD as a file
MKDOCS_MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def misnamed_page(rel: PurePosixPath) -> str | None:
    """A fixed page's Markdown extension when it is not `.md` as written (`.MD`, `.Md`,
    `.markdown`, …), else None. Such a file is never published: mkdocs would copy about.MD as it
    is instead of a page, and a check that read it as Markdown would not see what the site shows."""
    name = rel.name
    if name.endswith(".md"):
        return None
    lower = name.lower()
    return next((name[-len(s) :] for s in MKDOCS_MARKDOWN if lower.endswith(s)), None)


def page_allowed(project: Project, rel: PurePosixPath) -> bool:
    """Whether a file under content/pages/ (`rel` relative to content/) may reach the site: a
    Markdown page (screened, sanitised when rendered) or a file of an allowed type, in neither
    case at an address the build generates."""
    tree = project.tree
    if tree is None or rel not in tree.files or any(p.startswith(".") for p in rel.parts):
        return False
    if page_collision(rel) is not None or misnamed_page(rel) is not None:
        return False
    return rel.name.endswith(".md") or project.file_verdict(rel).accepted


def build_refusal(project: Project, docs_dir: str, custom_dir: str | None) -> str | None:
    """Why the site must not be built from these folders at all, in Chinese; None when it may."""
    pages = project.root / CONTENT_DIR / PAGES_DIR
    if _same(docs_dir) != _same(pages) or pages.is_symlink():
        return (
            f"mkdocs.yml 的 docs_dir 应为 {CONTENT_DIR}/{PAGES_DIR}（经过检查的固定页面文件夹），"
            "且不能是符号链接：其他文件夹中的文件会未经检查直接发布"
        )
    if custom_dir is not None and _same(custom_dir) != _same(project.root / THEME_DIR):
        return (
            f"mkdocs.yml 的 theme.custom_dir 应为 {THEME_DIR}：其他文件夹中的文件会未经检查直接发布"
        )
    if project.refused:
        return "以下文件不会被读取或发布，请先删除或替换它们：\n" + format_text(project.refused)
    return None


def _same(path: str | Path) -> str:
    """A folder's absolute path without resolving links (a link must not pass as its target)."""
    return os.path.normpath(os.path.abspath(path))


def unpublishable(project: Project, docs_dir: str, sources: list[tuple[str, str]]) -> list[str]:
    """Of the files mkdocs found (`(src_uri, abs_src_path)`), those from docs_dir that
    `page_allowed` refuses: the plugin removes them before anything is copied."""
    base = _same(docs_dir)
    refused = []
    for src_uri, abs_src_path in sources:
        if not abs_src_path or not _same(abs_src_path).startswith(base + os.sep):
            continue
        if not page_allowed(project, PurePosixPath(PAGES_DIR) / src_uri):
            refused.append(src_uri)
    return refused
