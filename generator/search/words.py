"""The words of item titles, with how many titles hold each: the search page suggests the closest
of them when a query finds nothing (a typo, a character missing or extra).

Without a dictionary (jieba takes 1.4 s to load): every 2–10 character piece of a title's
Chinese runs (with the Latin letters among them: A级) that at least two titles hold, minus the pieces that only ever occur inside one
longer piece (行社 is always in 旅行社, so only 旅行社 is kept; a phrase repeated in several
titles is kept whole, not as its overlapping pieces), minus pieces that start or end with a
particle (的通知), plus runs of Latin letters and digits that hold a letter, plus
the items' 主题词. Only `SAMPLE` titles are read (0.4 s at 10,000 items rather than 7 s) and the
most frequent `MAX_WORDS` words kept, so the file stays small however many items there are
(about 60 KB, 10 KB compressed, at 10,000); the browser loads it only when a query finds little.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable

from generator.search.tokens import CJK_RUN, search_text

_CJK = CJK_RUN.pattern[1:-2]  # the characters of a Chinese run
_RUN = re.compile(f"[a-z{_CJK}]*[{_CJK}][a-z{_CJK}]*")  # Chinese, with any Latin letters in it

WORDS_FILE = "search/words.json"  # beside the search page
MAX_WORDS = 2000
SHORTEST, LONGEST = 2, 10  # characters of a Chinese piece
SAMPLE = 2000  # titles counted at most, evenly spread: frequent words are found in any sample
_PARTICLES = set("的和与及或之对于在是为了")
_LATIN = re.compile(r"[0-9a-z]*[a-z][0-9a-z]*")


def _pieces(title: str) -> set[str]:
    text = search_text(title)
    found = {run for run in _LATIN.findall(text) if len(run) >= 2}
    for run in _RUN.findall(text):
        for size in range(SHORTEST, min(LONGEST, len(run)) + 1):
            found.update(run[i : i + size] for i in range(len(run) - size + 1))
    return found


def title_words(titles: Iterable[str], keywords: Iterable[str] = ()) -> dict[str, int]:
    """Word -> titles of the sample (or items, for 主题词) holding it, most frequent first."""
    titles = list(titles)
    counts: Counter[str] = Counter()
    for title in titles[:: math.ceil(len(titles) / SAMPLE) or 1]:
        counts.update(_pieces(title))
    kept = {w: n for w, n in counts.items() if n >= 2}
    # a piece whose one-longer extension has as many titles never occurs without it
    inside = {
        part
        for word, n in kept.items()
        if _RUN.fullmatch(word)
        for part in (word[:-1], word[1:])
        if kept.get(part) == n
    }
    words = {
        w: n
        for w, n in kept.items()
        if w not in inside and w[0] not in _PARTICLES and w[-1] not in _PARTICLES
    }
    for word, n in Counter(search_text(k).strip() for k in keywords).items():
        if len(word) >= SHORTEST:
            words[word] = max(words.get(word, 0), n)
    ranked = sorted(words.items(), key=lambda wn: (-wn[1], wn[0]))[:MAX_WORDS]
    return dict(ranked)


def words_json(titles: Iterable[str], keywords: Iterable[str] = ()) -> str:
    return json.dumps(title_words(titles, keywords), ensure_ascii=False, separators=(",", ":"))
