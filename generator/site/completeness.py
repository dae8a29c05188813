"""Is the staged site complete? Checked after it is built and before it replaces the published
one: with the disk nearly full, Pagefind still exits successfully and leaves empty index files,
and a page cut short would be published as it is.

A complete site has every file mkdocs and the plugin wrote, in full (pages end with `</html>`,
copies are as large as their source), no empty file, a feed and sitemap that parse, a readable
text beside every listed item, and per search shard a Pagefind bundle whose entry parses and
whose every metadata, index, filter and fragment file is there and decompresses, with as many
pages as the shard was given.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import cbor2

from generator.core.failure import describe
from generator.search.bundles import search_problems
from generator.search.tokens import TEXT_FILE, shard_dir

_TAIL = 64  # bytes read at the end of a page to find its closing tag


class Incomplete(Exception):
    """The staged site is missing something; the message (Chinese) lists what."""


def is_search_output(rel: str) -> bool:
    """What the search worker writes, maybe still writing while the pages are checked."""
    return rel.startswith("pagefind") or rel.endswith("/" + TEXT_FILE)


def sizes(site_dir: Path, top: list[Path] | None = None) -> dict[str, int]:
    """Files (POSIX path relative to `site_dir`) and their sizes, in one walk of `top` (default:
    the whole site but the search worker's output, which it may still be writing)."""
    found: dict[str, int] = {}
    pending = [site_dir] if top is None else list(top)
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = Path(entry.path).relative_to(site_dir).as_posix()
                if entry.is_dir(follow_symlinks=False):
                    if top is not None or not rel.startswith("pagefind"):
                        pending.append(Path(entry.path))
                elif top is not None or not is_search_output(rel):
                    found[rel] = entry.stat(follow_symlinks=False).st_size
    return found


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _expected_size(file: Any) -> int | None:
    """A copied file's size as its source has it, None for pages (rendered here)."""
    if file.is_documentation_page():
        return None
    if getattr(file, "generated_by", None) and file.abs_src_path is None:
        return len(file.content_bytes)
    try:
        return os.stat(file.abs_src_path).st_size
    except (OSError, TypeError):
        return None


def _page_complete(path: Path) -> bool:
    with path.open("rb") as stream:
        stream.seek(0, os.SEEK_END)
        stream.seek(max(0, stream.tell() - _TAIL))
        return b"</html>" in stream.read().lower()


def file_problems(site_dir: Path, files: Iterable[Any], found: dict[str, int]) -> list[str]:
    """Files mkdocs wrote (`files`: mkdocs File objects) that are missing or cut short."""
    problems = []
    for file in files:
        rel = file.dest_uri
        if rel not in found:
            problems.append(f"{rel} 没有写入")
            continue
        want = _expected_size(file)
        if file.is_documentation_page():
            if not found[rel] or not _page_complete(site_dir / rel):
                problems.append(f"{rel} 不完整")
        elif want is not None and found[rel] != want:
            problems.append(f"{rel} 应有 {want} 字节，实际 {found[rel]} 字节")
    return problems


def empty_files(found: dict[str, int], allowed: set[str]) -> list[str]:
    return [
        f"{rel} 是空文件" for rel, size in sorted(found.items()) if not size and rel not in allowed
    ]


def _readable_xml(path: Path, compressed: bool = False) -> bool:
    try:
        data = path.read_bytes()
        ElementTree.fromstring(gzip.decompress(data) if compressed else data)
    except (OSError, ElementTree.ParseError, EOFError, zlib.error, gzip.BadGzipFile):
        return False
    return True


def feed_problems(site_dir: Path, found: dict[str, int]) -> list[str]:
    """The feed and the sitemaps parse (the sitemap only where mkdocs wrote one)."""
    problems = []
    for rel, compressed in (("feed.xml", False), ("sitemap.xml", False), ("sitemap.xml.gz", True)):
        if rel == "feed.xml" and rel not in found:
            problems.append(f"{rel} 没有写入")
        elif rel in found and not _readable_xml(site_dir / rel, compressed):
            problems.append(f"{rel} 无法解析")
    return problems


def text_problems(site_dir: Path, listed_pages: Iterable[str]) -> list[str]:
    """The readable text (search excerpts) beside every listed item's page."""
    problems = []
    for dest in listed_pages:
        rel = f"{dest.rpartition('/')[0]}/{TEXT_FILE}".lstrip("/")
        if not _size(site_dir / rel):
            problems.append(f"{rel} 没有写入")
    return problems


def page_count_problems(files: list[Any], items: tuple[str, int]) -> list[str]:
    """Every item its own page (`items`: the folder of item pages and how many there are):
    two index numbers with one address would leave a single page."""
    root, count = items
    made = {f.dest_uri for f in files if f.is_documentation_page() and f.src_uri.startswith(root)}
    if len(made) == count:
        return []
    return [f"应有 {count} 个信息页面，实际 {len(made)} 个（有索引号对应同一网页地址）"]


def check_written(site_dir: Path, files: Iterable[Any], items: tuple[str, int]) -> None:
    """What mkdocs and the plugin wrote is there in full (checked while the search worker may
    still be indexing). Raises Incomplete naming what is missing. `files`: what mkdocs wrote
    (File objects); `items`: the item pages' folder and their number."""
    files = [f for f in files if f.inclusion.is_included()]  # not drafts, not dotfiles
    found = sizes(site_dir)
    allowed_empty = {f.dest_uri for f in files if _expected_size(f) == 0}
    problems = page_count_problems(files, items)
    problems += file_problems(site_dir, files, found)
    problems += empty_files(found, allowed_empty)
    problems += feed_problems(site_dir, found)
    if problems:
        raise Incomplete("生成的网站不完整：" + describe(problems, site_dir))


def check_search(site_dir: Path, listed_pages: list[str], shards: dict[int, int]) -> None:
    """What the search worker wrote, once it has finished: a readable text beside every listed
    item's page (`listed_pages`) and each shard's bundle (`shards`: shard -> its pages; empty
    when no index was built). Raises Incomplete naming what is missing."""
    if not shards:
        return
    bundles = [site_dir / shard_dir(shard) for shard, pages in sorted(shards.items()) if pages]
    found = sizes(site_dir, [b for b in bundles if b.is_dir()])
    problems = text_problems(site_dir, listed_pages)
    problems += empty_files(found, set())
    problems += search_problems(site_dir, shards, found)
    if problems:
        raise Incomplete("生成的网站不完整：" + describe(problems, site_dir))
