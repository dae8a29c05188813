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


def cjk_tokens(text: str) -> list[str]:
    """Distinct bigram tokens of every Chinese run, plus a token for each run's last character."""
    seen: dict[str, None] = {}
    for run in CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
        codes = [format(ord(ch), "05x") for ch in run]
        seen.update(dict.fromkeys(["g" + a + b for a, b in zip(codes, codes[1:], strict=False)]))
        seen.setdefault("g" + codes[-1])
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


def shadow_page(html: str, title: str, index_no: str | None, doc_no: str | None) -> str:
    """A minimal page for Pagefind: the item's article plus its tokens, never served."""
    article = indexed_part(html)
    block = token_block(title, visible_text(article.split(MARKER, 1)[0]), index_no, doc_no)
    return (
        f'<!doctype html><html lang="zh-CN"><body>{article.replace(MARKER, block, 1)}</body></html>'
    )


async def _index_dir(shadow: Path, output: Path) -> int:
    config = IndexConfig(output_path=str(output), force_language="zh-cn")
    async with PagefindIndex(config=config) as index:
        done = await index.add_directory(str(shadow))
    return int(done.get("page_count", 0))


def write_index(shadow: Path, output: Path) -> int:
    """Index every page under `shadow` into `output` with one Pagefind call; returns the count.

    One `add_directory` call rather than one `add_html_file` per page: the Python wrapper
    reads one answer per 0.1 s, which caps per-file indexing at ten pages a second. It runs in
    a thread of its own because callers such as `mkdocs serve` or a test driving a browser may
    already run an event loop in this one.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(_index_dir(shadow, output))).result()
