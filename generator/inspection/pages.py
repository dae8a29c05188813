"""What the inspection reads from each built page: language, title, h1, meta tags, footer
elements, links and the main text (lxml: one parse per page)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.etree

from generator.core.interrupts import die_with_parent

SKIPPED = ("pagefind",)  # the search bundle: not pages
LINKING = (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"), ("iframe", "src"))


@dataclass
class Ref:
    tag: str
    target: str  # as written
    line: int


@dataclass
class PageFacts:
    path: str  # relative to the site folder, POSIX
    lang: str = ""
    title: str = ""
    h1: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    footer: dict[str, str] = field(default_factory=dict)  # data-gk-footer -> href/src/text
    refs: list[Ref] = field(default_factory=list)
    broken: list = field(default_factory=list)  # links.Broken, when read with a `judge`
    external: set[str] = field(default_factory=set)  # links that leave the site, likewise
    text: str = ""  # the title, h1 and main content, for the wording check
    unreadable: str = ""  # why the page could not be parsed

    @property
    def url(self) -> str:
        """The page's address from the site root, as mkdocs writes it (`item/x/`, `` for home)."""
        return self.path.removesuffix("index.html")


def site_files(site_dir: Path) -> set[str]:
    """Every file of the built site, relative and POSIX, to test links without a stat each."""
    found = set()
    for folder, dirs, files in os.walk(site_dir):
        rel = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        if not prefix:
            dirs[:] = [d for d in dirs if d not in SKIPPED]
        found.update(prefix + name for name in files)
    return found


def html_pages(files: set[str]) -> Iterator[str]:
    return iter(sorted(f for f in files if f.endswith(".html")))


Judge = Callable[[PageFacts], None]
_judge: Judge | None = None  # in a reader: given once, when it starts


def _read(job: tuple[Path, str]) -> PageFacts:
    facts = read_page(*job)
    if _judge is not None:
        _judge(facts)
    return facts


def read_pages(
    site_dir: Path, pages: list[str], judge: Judge | None = None
) -> Iterator[tuple[str, PageFacts]]:
    """Every page's facts, in order; parsed by one reader process a core when there are many
    (the parse is most of the inspection's time). `judge` runs on each page's facts where they
    were read (e.g. resolving its links there, so that only what it found travels back instead
    of every link).

    The readers are forked from a small fresh process (multiprocessing's fork server), not
    from the build: a copy of the build would hold its memory (counted once a copy), its locks
    as other threads held them, its pipes to the search worker and its signal handlers."""
    global _judge
    jobs = [(site_dir, rel) for rel in pages]
    cores = os.cpu_count() or 1
    if cores < 2 or len(jobs) < 500 or "forkserver" not in multiprocessing.get_all_start_methods():
        _judge = judge
        try:
            yield from zip(pages, map(_read, jobs), strict=True)
        finally:
            _judge = None
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # not the build's __main__
    with context.Pool(cores, initializer=_reader_started, initargs=(judge,)) as pool:
        yield from zip(pages, pool.imap(_read, jobs, chunksize=64), strict=True)


def _reader_started(judge: Judge | None) -> None:
    """In each reader: its judge; SIGTERM ends it (`Pool.terminate` ends the readers so once
    every page is read), and it ends with the build."""
    global _judge
    _judge = judge
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()


def read_page(site_dir: Path, rel: str, text: bool = True) -> PageFacts:
    """The page's facts; without `text`, not its text (only the wording check reads it)."""
    facts = PageFacts(rel)
    try:
        # lxml.etree's HTML parser, not lxml.html's: the same tree, without a Python class
        # looked up for every element (a third of the time a page)
        root = lxml.etree.fromstring((site_dir / rel).read_bytes(), _PARSER)
    except (OSError, ValueError, lxml.etree.ParserError) as exc:
        facts.unreadable = str(exc) or type(exc).__name__
        return facts
    if root is None:
        facts.unreadable = "Document is empty"
        return facts
    facts.lang = root.get("lang") or ""
    facts.title = _text(_first(root, "title"))
    facts.h1 = _text(_first(root, "h1"))
    for meta in root.iter("meta"):
        name = meta.get("name")
        if name:
            facts.meta[name] = (meta.get("content") or "").strip()
    for element in _FOOTER(root):
        value = element.get("href") or element.get("src") or _text(element)
        facts.footer[element.get("data-gk-footer")] = value
    facts.refs = _refs(root)
    if text:
        article = _first(root, "article")
        facts.text = "\n".join([facts.title, facts.h1, _text(article)])
    return facts


_PARSER = lxml.etree.HTMLParser()
_FOOTER = lxml.etree.XPath("//*[@data-gk-footer]")
_STRING = lxml.etree.XPath("string()")


def _first(root, tag: str):
    return next(root.iter(tag), None)


_ATTRIBUTE = dict(LINKING)
_ORDER = {tag: n for n, (tag, _) in enumerate(LINKING)}


def _refs(root) -> list[Ref]:
    """The links, the `a` elements first, then `img`... (each kind in document order): one
    walk of the tree instead of one a kind."""
    found = []
    for element in root.iter(*_ATTRIBUTE):
        tag = element.tag
        target = element.get(_ATTRIBUTE[tag])
        if target is not None:
            found.append(Ref(tag, target.strip(), element.sourceline or 1))
    found.sort(key=lambda ref: _ORDER[ref.tag])  # stable: document order within a kind
    return found


def _text(element) -> str:
    return " ".join(_STRING(element).split()) if element is not None else ""
