"""Full-text search: Pagefind (extended) through its Python API, with tokens that make Chinese
recall deterministic.

Pagefind segments page text with jieba, but the browser splits a query its own way, so a word
inside a compound (预算 in 财政预算) can be missed. We therefore also index, for every run of
Chinese characters, each character bigram (plus the run's last character) written as an ASCII
token that no segmenter can split; `theme/assets/gongkai-search.js` turns the query into the
same tokens. A query then finds every page containing all of its bigrams, whatever jieba did.
Index numbers and 文号 get exact tokens of their own, so punctuation cannot split them.

The tokens are added only to the HTML handed to Pagefind, never to the pages visitors load.
`tests/browser/test_search.py` checks that the Python and JavaScript tokenizers agree.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
MARKER = "<!--gk-search-tokens-->"
TOKENS_START = "gkstart"  # the UI cuts displayed text at this word
NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_FNV_PRIME = 0x01000193
_FNV_SEEDS = (0x811C9DC5, 0x050C5D1F)


def _hex(char: str) -> str:
    return f"{ord(char):05x}"


def cjk_tokens(text: str) -> list[str]:
    """Distinct bigram tokens of every Chinese run, plus a token for each run's last character."""
    seen: dict[str, None] = {}
    for run in CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
        for a, b in zip(run, run[1:], strict=False):
            seen.setdefault("g" + _hex(a) + _hex(b))
        seen.setdefault("g" + _hex(run[-1]))
    return list(seen)


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


def token_block(title: str, text: str, index_no: str | None, doc_no: str | None) -> str:
    """The hidden HTML that carries the tokens; the title's tokens weigh more."""
    exact = [index_no_token(index_no)] if index_no else []
    if doc_no:
        exact.append(doc_no_token(doc_no))
    return (
        f'<div data-pagefind-weight="10">{TOKENS_START} {" ".join(exact)} '
        f"{' '.join(cjk_tokens(title))}</div>"
        f'<div data-pagefind-weight="1">{" ".join(cjk_tokens(text))}</div>'
    )


class _TextExtractor(HTMLParser):
    """Text as a reader sees it: block elements separate words, inline ones (strong, a) do not."""

    BLOCKS = frozenset(
        ["address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
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


def _indexed_html(html: str) -> str:
    """The part of an item page Pagefind indexes (its data-pagefind-body element)."""
    return html.split("data-pagefind-body", 1)[-1].split(MARKER, 1)[0].split(">", 1)[-1]


SearchPage = tuple[str, Path, str, str | None, str | None]  # url, built file, title, 索引号, 文号


async def _index(pages: Iterable[SearchPage], output: Path, batch: int) -> int:
    count = 0
    config = IndexConfig(output_path=str(output), force_language="zh-cn")
    async with PagefindIndex(config=config) as index:
        pending = []
        for url, path, title, index_no, doc_no in pages:
            html = path.read_text(encoding="utf-8")
            block = token_block(title, visible_text(_indexed_html(html)), index_no, doc_no)
            html = html.replace(MARKER, block, 1)
            pending.append(
                index.add_html_file(content=html, url=url, source_path=url + "index.html")
            )
            count += 1
            if len(pending) >= batch:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
    return count


def write_index(pages: Iterable[SearchPage], output: Path, batch: int = 64) -> int:
    """Index the built pages of listed items into `output`; returns the number of pages.

    Runs in a thread of its own: callers such as `mkdocs serve` or a test driving a browser
    may already have an event loop running in this one.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(_index(pages, output, batch))).result()
