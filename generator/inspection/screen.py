"""The privacy screen (generator/core/screening.py) over what each built page shows: the one
reading that no way of writing a body can get round. `gongkai validate` screens the sources line
by line, with line numbers, and a finding there stops the build before the pages are read; this
screen catches what a source hides from a line-by-line reading (a number split by markup,
entities or invisible characters) as the published page shows it."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.screening import WARNINGS, screen_shown
from generator.inspection.links import LinkJudge
from generator.inspection.pages import PageFacts


@dataclass(frozen=True)
class Shown:
    kind: str  # screening.KINDS
    masked: str  # as the screen shows it, never the value itself
    line: int  # of the page


def screen_page(
    shown: list[tuple[int, str]], words: tuple[str, ...], allow: frozenset[str]
) -> list[Shown]:
    """The errors of the screen in a page's shown lines (`pages.shown_lines`); its warnings
    (personal e-mail, the words 身份证号 or 住址) are the staff check's alone."""
    if not shown:
        return []
    # the screen reads line by line (its patterns cross no line, but for a marking's ★): a line
    # read clean on an earlier page (the navigation, the footer) is not read again
    clean = _CLEAN.setdefault((words, allow), set())
    if len(clean) > _CLEAN_MAX:
        clean.clear()
    texts = [" ".join(text.split()) for _, text in shown]  # a line each, whatever it holds
    hits = screen_shown("\n".join("" if t in clean else t for t in texts), words, allow)
    found = {h.line for h in hits}
    # a marking may run on to the next line (机密 / ★ 10年): a line with 密 is read every time
    clean.update(t for n, t in enumerate(texts, 1) if n not in found and "密" not in t)
    return [Shown(h.kind, h.masked, shown[h.line - 1][0]) for h in hits if h.kind not in WARNINGS]


# lines without a finding in this process, by the words and numbers a catalog sets
_CLEAN: dict[tuple[tuple[str, ...], frozenset[str]], set[str]] = {}
_CLEAN_MAX = 200_000


@dataclass(frozen=True)
class PageJudge:
    """What runs on each page where it was read (`pages.read_pages`): its links resolved, its
    shown text screened; only the findings travel back."""

    links: LinkJudge
    words: tuple[str, ...]
    allow: frozenset[str]

    def __call__(self, page: PageFacts) -> None:
        self.links(page)
        page.screened = screen_page(page.shown, self.words, self.allow)
        page.shown = []
