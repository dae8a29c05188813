"""Full-text search: Pagefind (extended) through its Python API, with tokens that make Chinese
recall deterministic.

Pagefind segments page text with jieba, but the browser splits a query its own way, so a word
inside a compound (预算 in 财政预算) can be missed. We therefore also index, for every run of
Chinese characters, each character bigram (plus the run's last character) written as an ASCII
token that no segmenter can split; `theme/assets/gongkai-search.js` turns the query into the
same tokens. A query then finds every page containing all of its bigrams, whatever jieba did.
Index numbers and 文号 get exact tokens of their own, so punctuation cannot split them.

Only the tokens are indexed: the readable text travels as metadata (`text`, for excerpts), so
Pagefind neither segments nor stores it as words. Pagefind's browser side scores a word in time
proportional to (pages holding it)², which at 10,000 pages made a word such as 公开 take 0.35 s.
On large sites each page's Chinese tokens therefore carry its group right after the leading
`g` (fixed width, pages in build order, `group_pages` to a group): the browser searches each
group separately, so a common word is scored as several short lists instead of one long one.

Pagefind's indexer holds about 0.4 MB per page, so the index is also written in shards of whole
groups (`shard_pages` to a shard), one Pagefind run each, merged in the browser with
`mergeIndex`. Because a group's tokens share their prefix, a shard's index chunks cover only its
own groups' range of words, and the browser fetches a word's chunk from one shard only. Each
shard is indexed in the background as soon as its last page is rendered.

The tokens are added only to the HTML handed to Pagefind, never to the pages visitors load.
`tests/browser/test_search.py` checks that the Python and JavaScript tokenizers agree.
"""

from __future__ import annotations

import asyncio
import math
import re
import shutil
import tempfile
import time
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
MARKER = "<!--gk-search-tokens-->"
GROUP_PAGES = 1000  # pages per token group: Pagefind scores a 1,000-page list in a few ms
SHARD_PAGES = 3000  # pages per Pagefind run: about 1.3 GB of memory
NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_FNV_PRIME = 0x01000193
_FNV_SEEDS = (0x811C9DC5, 0x050C5D1F)


def cjk_tokens(text: str) -> list[str]:
    """Distinct bigram tokens of every Chinese run, plus a token for each run's last character."""
    seen: dict[str, None] = {}
    for run in CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
        codes = [format(ord(ch), "05x") for ch in run]
        seen.update(dict.fromkeys(["g" + a + b for a, b in zip(codes, codes[1:], strict=False)]))
        seen.setdefault("g" + codes[-1])
    return list(seen)


def group_count(pages: int, group_pages: int = GROUP_PAGES) -> int:
    return max(1, math.ceil(pages / max(1, group_pages)))


def group_label(group: int, groups: int) -> str:
    """A group as fixed-width digits, "" when there is one group (the JS does the same)."""
    return "" if groups <= 1 else f"{group:0{len(str(groups - 1))}d}"


def shard_count(groups: int, group_pages: int = GROUP_PAGES, shard_pages: int = SHARD_PAGES) -> int:
    return math.ceil(groups / groups_per_shard(group_pages, shard_pages))


def groups_per_shard(group_pages: int = GROUP_PAGES, shard_pages: int = SHARD_PAGES) -> int:
    return max(1, shard_pages // max(1, group_pages))


def shard_dir(shard: int) -> str:
    """Where a shard's bundle goes in the site: the first is Pagefind's usual folder."""
    return "pagefind" if shard == 0 else f"pagefind-{shard}"


def fnv64(text: str) -> str:
    """Two FNV-1a 32-bit hashes of the UTF-8 bytes, as 16 hex digits (same as the JS side)."""
    parts = []
    for seed in _FNV_SEEDS:
        h = seed
        for byte in text.encode("utf-8"):
            h = ((h ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
        parts.append(f"{h:08x}")
    return "".join(parts)


def index_no_token(index_no: str) -> str:
    return "ix" + NOT_ALNUM.sub("", unicodedata.normalize("NFKC", index_no).lower())


def normalize_doc_no(doc_no: str) -> str:
    """文号 without brackets, spaces and punctuation: 示文旅发〔2026〕12号 -> 示文旅发202612号."""
    text = unicodedata.normalize("NFKC", doc_no).lower()
    return "".join(ch for ch in text if ch.isalnum())


def doc_no_token(doc_no: str) -> str:
    return "dn" + fnv64(normalize_doc_no(doc_no))


def token_block(
    title: str, text: str, index_no: str | None, doc_no: str | None, group: str = ""
) -> str:
    """The HTML that carries the tokens; the title's tokens weigh more. `group` is the page's
    group label, put after each Chinese token's leading `g`."""
    exact = [index_no_token(index_no)] if index_no else []
    if doc_no:
        exact.append(doc_no_token(doc_no))
    title_tokens = " ".join("g" + group + t[1:] for t in cjk_tokens(title))
    text_tokens = " ".join("g" + group + t[1:] for t in cjk_tokens(text))
    return (
        f'<div data-pagefind-weight="10">{" ".join(exact)} {title_tokens}</div>'
        f'<div data-pagefind-weight="1">{text_tokens}</div>'
    )


class _TextExtractor(HTMLParser):
    """Text as a reader sees it: block elements separate words, inline ones (strong, a) do not."""

    BLOCKS = frozenset(
        [
            "address",
            "article",
            "aside",
            "blockquote",
            "br",
            "dd",
            "div",
            "dl",
            "dt",
            "figcaption",
            "figure",
            "footer",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hr",
            "li",
            "main",
            "nav",
            "ol",
            "p",
            "pre",
            "section",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "tr",
            "ul",
        ]
    )
    SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.parts)


INDEX_START = "<!--gk-index-start-->"
INDEX_END = "<!--gk-index-end-->"


def indexed_part(html: str) -> str:
    """The article of an item page that search indexes (between the template's markers)."""
    return html.split(INDEX_START, 1)[-1].split(INDEX_END, 1)[0]


def shadow_page(
    html: str, title: str, index_no: str | None, doc_no: str | None, group: str = ""
) -> str:
    """A minimal page for Pagefind, never served: the item's article, kept out of the word index
    but read for its filters and metadata (title, and the whole text for excerpts), then the
    tokens, which are all that is indexed."""
    article = indexed_part(html)
    readable, closing = article.split(MARKER, 1)
    opening_end = readable.index(">", readable.index("<article")) + 1
    opening, inner = readable[:opening_end], readable[opening_end:]
    text = visible_text(inner)
    block = token_block(title, text, index_no, doc_no, group)
    meta_text = escape(" ".join(text.split()), quote=False)
    return (
        f'<!doctype html><html lang="zh-CN"><body>{opening}<div data-pagefind-ignore>{inner}'
        f'<p data-pagefind-meta="text">{meta_text}</p></div>{block}{closing}</body></html>'
    )


async def _index_dir(shadow: Path, output: Path) -> int:
    """Index every page under `shadow` into `output`. One `add_directory` call rather than one
    `add_html_file` per page: the Python wrapper reads one answer per 0.1 s, which caps per-file
    indexing at ten pages a second. Callers run it in a thread of its own (`ShardedIndex`), as
    `mkdocs serve` or a test driving a browser may already run an event loop in this one."""
    config = IndexConfig(output_path=str(output), force_language="zh-cn")
    async with PagefindIndex(config=config) as index:
        done = await index.add_directory(str(shadow))
    return int(done.get("page_count", 0))


class ShardedIndex:
    """Shadow pages for Pagefind, shard by shard; a shard is indexed in the background as soon as
    its last page is written (one Pagefind run at a time, to bound memory), while the site goes
    on rendering on the other core."""

    def __init__(self, site_dir: Path, expected: dict[int, int]) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="gongkai-search-"))
        self.site_dir = site_dir
        self.expected = expected
        self.written: dict[int, int] = dict.fromkeys(expected, 0)
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.jobs: dict[int, Future[int]] = {}
        self.seconds = 0.0  # Pagefind's own time, summed over shards

    def _run(self, source: Path, output: Path) -> int:
        started = time.perf_counter()
        try:
            return asyncio.run(_index_dir(source, output))
        finally:
            self.seconds += time.perf_counter() - started

    def add(self, shard: int, dest_uri: str, html: str) -> None:
        target = self.root / str(shard) / dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.written[shard] += 1
        if self.written[shard] == self.expected[shard]:
            self._start(shard)

    def _start(self, shard: int) -> None:
        if shard in self.jobs:
            return
        source = self.root / str(shard)
        source.mkdir(parents=True, exist_ok=True)
        output = self.site_dir / shard_dir(shard)
        self.jobs[shard] = self.pool.submit(self._run, source, output)

    def finish(self) -> int:
        """Index what is left, wait for every shard; returns how many pages were indexed."""
        try:
            for shard in sorted(self.expected) or [0]:
                self._start(shard)
            return sum(job.result() for job in self.jobs.values())
        finally:
            self.close()

    def close(self) -> None:
        """Stop (a running Pagefind finishes first) and remove the shadow pages."""
        for job in self.jobs.values():
            job.cancel()
        self.pool.shutdown(wait=True)
        shutil.rmtree(self.root, ignore_errors=True)
