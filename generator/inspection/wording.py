"""严重表述错误: wrong or outdated expressions from the catalog's word list, with the fix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from generator.core.inspection_settings import Wording
from generator.core.screening import without_invisible


@dataclass(frozen=True)
class Misworded:
    entry: Wording
    context: str  # the words around it, to find it


# Spaces and invisible characters (screening.INVISIBLE) inside a word (国家 旅游局,
# 国家\u200b旅游局) do not hide it.
_SPACES = re.compile(r"\s+")


def misworded(text: str, entries: tuple[Wording, ...], dated: date) -> list[Misworded]:
    """The entries found in `text` of a page dated `dated` (an entry applies from its `since`)."""
    found = []
    text = _SPACES.sub("", without_invisible(text))
    for entry in entries:
        if entry.since is not None and dated < entry.since:
            continue
        at = text.find(entry.wrong)
        if at >= 0:
            context = text[max(0, at - 12) : at + len(entry.wrong) + 12].strip()
            found.append(Misworded(entry, context))
    return found


def message(found: Misworded) -> str:
    entry = found.entry
    fix = f"应为“{entry.right}”" if entry.right else "请改正"
    since = f"（{entry.since} 起）" if entry.since else ""
    return f"严重表述错误：“{entry.wrong}”{since}{fix}。原文：“…{found.context}…”"
