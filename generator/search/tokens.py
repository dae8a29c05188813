"""Full-text search: Pagefind (extended, run by generator/search/worker.py), with tokens that
make Chinese recall deterministic.

Pagefind segments page text with jieba, but the browser splits a query its own way, so a word
inside a compound (预算 in 财政预算) can be missed. We therefore also index, for every run of
Chinese characters, each character bigram (plus the run's last character, unless a bigram starts
with it) written as an ASCII token that no segmenter can split;
`generator/site/theme/assets/gongkai-search.js` turns the query into the same tokens. A query then finds every
page containing all of its bigrams, whatever jieba did. Index numbers and 文号 get exact tokens
of their own, so punctuation cannot split them.

Digits and Latin letters (after NFKC, so full-width Ａ is A, and in lower case) are indexed as
whole runs (`l` tokens: a query finds a run it starts, as a prefix), as the run backwards after
the Chinese character that follows it (`r` tokens: a query such as A级 finds 4A级, 3号 finds 第13号)
and as bigrams across the Chinese/Latin boundary (级5 in 一级5A). Not every substring of a Latin
run is indexed: a query cut from inside a run (M2 of PM2.5) is found only when Chinese follows it.

Only the tokens are indexed. The readable text, for excerpts, is written beside each item's
page (`TEXT_FILE`) and fetched by the browser for the results it shows: given to Pagefind as
metadata it cost about 1 ms of CPU and 0.15 MB of memory per page. Pagefind's browser side scores
a word in time proportional to (pages holding it)², which at 10,000 pages made a word such as
公开 take 0.35 s. On large sites each page's Chinese tokens therefore carry its group (pages in
build order, `group_pages` to a group) as `z` and a fixed-width label after the token's first
character: 预算 in group 7 of 10 is `g09884z707b97ω` (ω: `TOKEN_END`). The browser searches each
group separately, so a common word is scored as several short lists instead of one long one; a
lone character `g09884z7` still matches, as a prefix, every token of its group that starts with it. Keeping the
first character ahead of the group keeps one word's tokens of all groups next to each other in
Pagefind's sorted word list, so a query fetches the index chunk holding a word once per shard,
not once per group.

Pagefind's indexer holds about 0.3 MB per page, so the index is also written in shards of whole
groups (`shard_pages` to a shard), one Pagefind run each, merged in the browser with
`mergeIndex`. Each shard is indexed in the background as soon as its last page is rendered
(`generator/search/worker.py`).

The tokens are added only to the HTML handed to Pagefind, never to the pages visitors load.
`tests/browser/test_search.py` checks that the Python and JavaScript tokenizers agree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from html import escape, unescape
from typing import Any

from generator.core.sanitize import BLOCK_TAGS

CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
GROUP_PAGES = 1000  # pages per token group: Pagefind scores a 1,000-page list in a few ms
# pages per Pagefind run, about 0.55 GB of memory: two runs at once, which index the last pages
# on both cores once the pages are rendered, stay well within 2 GB with the build at 10,000
# items (a third more pages to a shard saved 0.5 s there but took 2 GB)
SHARD_PAGES = 2000
NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_FNV_PRIME = 0x01000193
_FNV_SEEDS = (0x811C9DC5, 0x050C5D1F)


_CJK = CJK_RUN.pattern[:-1]  # one Chinese character
_WORD = f"[0-9a-z{_CJK[1:-1]}]"  # a character that is indexed: Chinese, digit or Latin letter
# bigrams with a Chinese character in them, across a Chinese/Latin boundary too (级 and a in A级)
_BIGRAM = re.compile(f"(?=({_CJK}{_WORD}|[0-9a-z]{_CJK}))")
_RUN_END = re.compile(f"{_CJK}(?!{_CJK})")
# a run of digits and Latin letters, and the Chinese character right after it if any
_LATIN_RUN = re.compile(f"([0-9a-z]+)({_CJK})?")
LATIN_CHARS = 32  # a Latin run's token holds at most this many of its characters
_TOKENS: dict[str, dict[str, str]] = {}  # group label -> unit -> token
_CACHED = 1_000_000  # tokens kept in _TOKENS at most, over all groups


# Ends every indexed token (g, l and r). Pagefind answers a word that no indexed word starts with
# by the longest indexed word that starts *it*: without an end of their own, 益的 (on no page)
# found the 9,998 pages whose token 益 (a run's last character) is such a start, and 4A级 the
# pages of A级. Query words are ASCII and never hold this letter, so no indexed word is ever a
# start of one; a query still finds, as a prefix, every token it starts. A letter (Unicode
# alphanumeric, already lower case), so that Pagefind keeps it in the word and does not split
# the word there.
TOKEN_END = "ω"


def _token(unit: str, group: str) -> str:
    """A bigram or lone character as hex code points, the group after the first one."""
    mark = "z" + group if group else ""
    hexes = "".join(format(ord(ch), "05x") + (mark if i == 0 else "") for i, ch in enumerate(unit))
    return "g" + hexes + TOKEN_END


def latin_token(run: str, group: str = "") -> str:
    """A run of digits and Latin letters (`l`), found by any query it starts with (5a, 5a级)."""
    run = run[:LATIN_CHARS]
    return "l" + run[0] + ("z" + group if group else "") + run[1:] + TOKEN_END


def latin_end_token(run: str, after: str, group: str = "") -> str:
    """A run followed by a Chinese character (`r`: the character, then the run backwards), found
    by any query that ends the run there (A级 in 4A级景区, 3号 in 第13号)."""
    mark = "z" + group if group else ""
    return "r" + format(ord(after), "05x") + mark + run[::-1][:LATIN_CHARS] + TOKEN_END


def search_text(text: str) -> str:
    """Text as tokens see it: NFKC (full-width Ａ is A) and lower case (the JS does the same)."""
    return unicodedata.normalize("NFKC", text).lower()


def _units(text: str) -> list[str]:
    """Bigrams with a Chinese character, plus each Chinese run's last character that starts none."""
    units = dict.fromkeys(_BIGRAM.findall(text))
    starts = {unit[0] for unit in units}
    units.update(dict.fromkeys(c for c in _RUN_END.findall(text) if c not in starts))
    return list(units)


def cjk_tokens(text: str, group: str = "") -> list[str]:
    """Distinct tokens of `text` (after `search_text`), with the group label `group` after the
    first character (see above; "" for none):
    - every bigram holding a Chinese character (two Chinese, or Chinese and a digit or Latin
      letter side by side), plus a token for each Chinese run's last character that starts none
      of them. A query of one character finds its pages as the prefix of their tokens: the
      bigrams it starts, else its own token (a tenth of the tokens were last characters, half of
      them also starting a bigram);
    - every run of digits and Latin letters (`latin_token`) and, where a Chinese character
      follows it, the run backwards after that character (`latin_end_token`): a query's Latin
      part is the start of a run, the end of one, or both, and never split differently.
    Order carries no meaning (Pagefind ranks by counts and weights, not positions)."""
    text = search_text(text)
    known = _TOKENS.get(group)
    if known is None:
        if sum(map(len, _TOKENS.values())) > _CACHED:
            _TOKENS.clear()
        known = _TOKENS[group] = {}
    tokens = []
    for unit in _units(text):
        token = known.get(unit)
        if token is None:
            token = known[unit] = _token(unit, group)
        tokens.append(token)
    latin = {}
    for run, after in _LATIN_RUN.findall(text):
        latin[latin_token(run, group)] = None
        if after:
            latin[latin_end_token(run, after, group)] = None
    return tokens + list(latin)


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


# A token only the pages the search page ranks after the others carry (repealed or expired, or
# interpreting such a document): one search for it lists them, loading one index chunk per
# shard. A filter would do, but Pagefind loads every index chunk to list a filter's pages. No
# query makes this token or a prefix of it (queries' tokens are g + hex digits, l, r, ix, dn).
LOWER_TOKEN = "gklater"
# A token every page of a token group carries, then the group's fixed-width label (on sites of
# more than one group): sorted by date with filters and no query words, each group's pages are
# listed in turn, newest group first, as a page's rank under a sort compares only within its own
# index shard. No query makes a token that starts with it either.
GROUP_TOKEN = "gkgroup"


def token_block(
    title: str,
    text: str,
    index_no: str | None,
    doc_no: str | None,
    group: str = "",
    lower: bool = False,
) -> str:
    """The HTML that carries the tokens; the title's tokens weigh more, and are not repeated
    among the text's (Pagefind's cost grows with the tokens it reads). `group` is the page's
    group label, put after each Chinese token's first character (see above) and after
    `GROUP_TOKEN`; `lower` adds `LOWER_TOKEN`."""
    exact = [index_no_token(index_no)] if index_no else []
    if doc_no:
        exact.append(doc_no_token(doc_no))
    if lower:
        exact.append(LOWER_TOKEN)
    if group:
        exact.append(GROUP_TOKEN + group)
    title_tokens = cjk_tokens(title, group)
    in_title = set(title_tokens)
    text_tokens = [t for t in cjk_tokens(text, group) if t not in in_title]
    return (
        f'<div data-pagefind-weight="10">{" ".join(exact + title_tokens)}</div>'
        f'<div data-pagefind-weight="1">{" ".join(text_tokens)}</div>'
    )


_SKIPPED = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(BLOCK_TAGS))})\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


def visible_text(html: str) -> str:
    """Text as a reader sees it, from HTML rendered from Markdown (tags well formed, `<` in text
    escaped): block elements separate words, inline ones do not. Regular expressions rather
    than an HTML parser: five times faster, the same text on every page of the synthetic and
    demo bureaus."""
    text = _BLOCK_TAG.sub("\n", _SKIPPED.sub("", html))
    return unescape(_ANY_TAG.sub("", text))


TEXT_FILE = "search.txt"  # an item's readable text, beside its page, for result excerpts


@dataclass(frozen=True)
class SearchEntry:
    """One listed item as the search index takes it, planned before any page is rendered
    (`generator/pages/plan.py`); its body comes later, as rendered from Markdown."""

    shard: int  # which Pagefind bundle indexes it
    group: str  # its token group (`group_label`)
    title: str
    data: dict[str, Any]  # filters, metadata and sort key (`views.item_context`'s `search`)
    index_no: str | None
    doc_no: str | None

    def message(self, dest_uri: str, body_html: str) -> dict[str, Any]:
        """What the search worker is sent for the item (JSON)."""
        return {**asdict(self), "dest_uri": dest_uri, "body_html": body_html}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> tuple[SearchEntry, str, str]:
        """The entry, its page's address and its body, from `message`."""
        fields = {k: message[k] for k in cls.__dataclass_fields__}
        return cls(**fields), message["dest_uri"], message["body_html"]


def shadow_page(entry: SearchEntry, body_html: str) -> tuple[str, str]:
    """A minimal page for Pagefind, never served, and the item's readable text (title, body).

    The page holds the sort key, the title as metadata, the filters and metadata of the entry's
    data (`views.item_context`), then the tokens, which are all that is indexed. Visitors' pages carry
    none of this. The readable text is written beside the item's page (`TEXT_FILE`) rather than
    given to Pagefind as metadata: Pagefind spends about 1 ms of CPU and 0.15 MB of memory per
    page on Chinese metadata text."""
    title, search = entry.title, entry.data
    index_no, doc_no, group = entry.index_no, entry.doc_no, entry.group
    lower = bool(search.get("lower"))
    text = " ".join(f"{title}\n{visible_text(body_html)}".split())
    tags = [f'<span data-pagefind-filter="{n}:{escape(v)}"></span>' for n, v in search["filters"]]
    tags += [f'<span data-pagefind-meta="{n}:{escape(v)}"></span>' for n, v in search["meta"]]
    page = (
        '<!doctype html><html lang="zh-CN"><body><article data-pagefind-body '
        f'data-pagefind-sort="date:{escape(search["date"])}"><div data-pagefind-ignore>'
        f'<h1 data-pagefind-meta="title">{escape(title, quote=False)}</h1></div>'
        f"{''.join(tags)}{token_block(title, text, index_no, doc_no, group, lower)}</article></body></html>"
    )
    return page, text
