"""What the inspection reads from each built page: language, title, h1, meta tags, footer
elements, links and the main text (lxml: one parse per page)."""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import lxml.etree

from generator.core.sanitize import BLOCK_TAGS

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
    # what a reader is shown of the page, as (page line, text): its title, `shown_lines` of its
    # body and its meta tags' values
    shown: list[tuple[int, str]] = field(default_factory=list)
    screened: list = field(default_factory=list)  # screen.Shown, when read with a `judge`
    unreadable: str = ""  # why the page could not be parsed

    @property
    def url(self) -> str:
        """The page's address from the site root, as mkdocs writes it (`item/x/`, `` for home)."""
        return self.path.removesuffix("index.html")


def site_files(site_dir: Path) -> set[str]:
    """Every file of the built site, relative and POSIX, to test links without a stat each."""
    found = set()
    root = os.path.join(site_dir, "")  # with its separator: the prefix cut off each folder
    for folder, dirs, files in os.walk(root):
        # a slice, not a Path made and compared for each of 11,000 folders (1.2 s against 0.5)
        rel = folder[len(root) :].replace(os.sep, "/")
        prefix = rel + "/" if rel else ""
        if not prefix:
            dirs[:] = [d for d in dirs if d not in SKIPPED]
        found.update(prefix + name for name in files)
    return found


def html_pages(files: set[str]) -> Iterator[str]:
    return iter(sorted(f for f in files if f.endswith(".html")))


Judge = Callable[[PageFacts], None]
BATCH = 64  # pages a message to a reader
AHEAD = 4  # batches sent to each reader ahead of the one read (4 × 64 names: within a pipe)
MIN_PARALLEL = 500  # fewer pages are read in the build's own process


class ReaderError(RuntimeError):
    """A page reader ended without answering; the message is in Chinese."""


def read_pages(
    site_dir: Path, pages: list[str], judge: Judge | None = None
) -> Iterator[tuple[str, PageFacts]]:
    """Every page's facts, in order; parsed by one reader process a core when there are many
    (the parse is most of the inspection's time). `judge` runs on each page's facts where they
    were read (e.g. resolving its links there, so that only what it found travels back instead
    of every link).

    The readers are plain child processes (`python -m generator.inspection.reader`) fed pickled
    batches on their standard input, as the search worker is: a `multiprocessing` pool started
    by fork would copy the build (its memory, its threads' locks, its pipes to the search
    worker), and one started by spawn or a fork server imports the caller's main script again
    in every reader, so a script that runs `gongkai build` without a main guard built the site
    once a reader."""
    cores = os.cpu_count() or 1
    if cores < 2 or len(pages) < MIN_PARALLEL:
        seen: set[bytes] = set()
        for rel in pages:
            facts = read_page(site_dir, rel, seen=seen)
            if judge is not None:
                judge(facts)
            yield rel, facts
        return
    yield from _in_readers(Path(os.path.abspath(site_dir)), pages, judge, cores)


def _in_readers(
    site_dir: Path, pages: list[str], judge: Judge | None, cores: int
) -> Iterator[tuple[str, PageFacts]]:
    batches = [pages[i : i + BATCH] for i in range(0, len(pages), BATCH)]
    readers: list[_Reader] = []
    try:
        readers += [_Reader() for _ in range(min(cores, len(batches)))]
        for reader in readers:
            reader.send((site_dir, judge))
        sent = 0
        for n, batch in enumerate(batches):
            # the batches up to AHEAD a reader past this one are out: none waits for work
            while sent < min(len(batches), n + AHEAD * len(readers)):
                readers[sent % len(readers)].send(batches[sent])
                sent += 1
            yield from zip(batch, readers[n % len(readers)].answer(), strict=True)
        for reader in readers:
            reader.send(None)
    finally:
        for reader in readers:
            reader.stop()


class _Reader:
    """A reader process, and a thread in the build that takes in its answers as they come (a
    reader blocked writing an answer into a full pipe would wait for the build's turn)."""

    _END = object()

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator.inspection.reader"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],  # where `generator` imports from
        )
        self.answers: queue.SimpleQueue = queue.SimpleQueue()
        self.collector = threading.Thread(target=self._collect, daemon=True)
        self.collector.start()

    def _collect(self) -> None:
        try:
            while True:
                self.answers.put(pickle.load(self.process.stdout))  # type: ignore[arg-type]
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            self.answers.put(self._END)

    def send(self, message: object) -> None:
        try:
            pickle.dump(message, self.process.stdin, pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
            self.process.stdin.flush()  # type: ignore[union-attr]
        except OSError:
            raise ReaderError(self._ended()) from None

    def answer(self) -> list[PageFacts]:
        found = self.answers.get()
        if found is self._END:
            raise ReaderError(self._ended())
        return found

    def stop(self) -> bytes:
        """End the process (every answer is in, or the reading stopped); its stderr."""
        process = self.process
        if process.poll() is None:
            process.kill()
        process.wait()
        self.collector.join()
        err = b""
        with contextlib.suppress(ValueError, OSError):
            err = process.stderr.read()  # type: ignore[union-attr]
        for stream in (process.stdin, process.stdout, process.stderr):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
        return err

    def _ended(self) -> str:
        err = self.stop()
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:]
        why = f"：{last[0]}" if last else ""
        code = self.process.returncode
        return f"网站检查的页面读取进程意外结束（退出状态 {code}）{why}"


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """A reader (generator/inspection/reader.py): the site folder and the judge, then batches
    of pages, each answered with their facts, until None."""
    site_dir, judge = pickle.load(stdin)
    seen: set[bytes] = set()  # the page regions read so far (`shown_lines`)
    while (batch := pickle.load(stdin)) is not None:
        found = [read_page(site_dir, rel, seen=seen) for rel in batch]
        if judge is not None:
            for facts in found:
                judge(facts)
        pickle.dump(found, stdout, pickle.HIGHEST_PROTOCOL)
        stdout.flush()


def read_page(
    site_dir: Path, rel: str, text: bool = True, seen: set[bytes] | None = None
) -> PageFacts:
    """The page's facts; without `text`, not its text (only the wording check reads it).
    `seen`: the header, navigation and footer regions read on earlier pages of this site, whose
    text is not read again (`shown_lines`)."""
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
        # everything the page shows, not one element's: a template's or the table of
        # contents' text, or a second <article>, would be outside any one of them
        body = _first(root, "body")
        facts.shown = [(1, facts.title), *shown_lines(root if body is None else body, seen)]
        # a meta tag's value may hold line breaks (an item's summary): one line each, as shown
        facts.shown += [(1, " ".join(value.split())) for value in facts.meta.values()]
    return facts


# huge_tree: libxml2 otherwise stops at 256 levels of nesting, where a body the sanitiser keeps
# (plain Markdown nests up to its 512: 260 levels of `>`) left the page's footer unread
_PARSER = lxml.etree.HTMLParser(huge_tree=True)
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


_BLOCKS = frozenset(BLOCK_TAGS)
_UNSHOWN = frozenset({"script", "style", "template"})  # their text is never shown
_EVENTS = ("start", "end", "comment", "pi")
_REGIONS = frozenset({"header", "nav", "footer"})  # shared by many pages (see shown_lines)
_SEEN_MAX = 2000
# attributes whose value a reader sees: on hover, in a picture's place, in the status bar, in a
# form's field
SHOWN_ATTRIBUTES = ("alt", "title", "href", "src", "placeholder", "value", "label")
_SHOWN = frozenset(SHOWN_ATTRIBUTES)


def shown_lines(element, seen: set[bytes] | None = None) -> list[tuple[int, str]]:
    """What a reader is shown of `element`, as (page line, text): one line a block (paragraph,
    cell, list item, line break), the text of inline elements joined as a browser joins it
    (138<b>1234</b>5678 is one number), runs of white space as one space; then each shown
    attribute's value (`SHOWN_ATTRIBUTES`) on a line of its own, never between the words of the
    text. Comments and scripts show nothing.

    With `seen`, a header, navigation or footer whose markup is in `seen` is skipped (the first
    page that showed it had it read: 10,000 item pages share a few dozen navigations), and the
    markup of the others is added to it: their attributes too, which their markup holds."""
    reading = _Reading(element.sourceline or 1, seen)
    walk = lxml.etree.iterwalk(element, events=_EVENTS)
    for event, node in walk:
        if event == "start":
            if reading.start(node):
                walk.skip_subtree()  # its end still comes, with its tail
            continue
        if event == "end":  # a comment or processing instruction has one event: its own
            reading.end(node)
        if node.tail and not reading.hidden and node is not element:
            reading.parts.append(node.tail)
    reading.end_line()
    found = [(line, " ".join(text.split())) for line, text in reading.lines + reading.values]
    return [(line, text) for line, text in found if text]


class _Reading:
    """`shown_lines`' state: the lines so far, the one being read, what hides or skips text."""

    def __init__(self, at: int, seen: set[bytes] | None) -> None:
        self.lines: list[tuple[int, str]] = []
        self.values: list[tuple[int, str]] = []  # the shown attributes' values, in page order
        self.parts: list[str] = []
        self.at = at  # the page line of the line being read
        self.hidden = 0  # inside a script, style or template
        self.seen = seen
        self.region = None  # the header, navigation or footer being read

    def end_line(self) -> None:
        if self.parts:
            self.lines.append((self.at, "".join(self.parts)))
            self.parts.clear()

    def start(self, node) -> bool:
        """Read an element's start; True when its content is to be skipped (seen before)."""
        if node.attrib:  # inside a script or template too: a superset of what can show
            line = node.sourceline or 1
            self.values += [(line, v) for name, v in node.items() if name in _SHOWN]
        tag = node.tag
        if self.hidden or tag in _UNSHOWN:
            self.hidden += tag in _UNSHOWN
            return False
        if tag in _BLOCKS:
            self.end_line()
            self.at = node.sourceline or self.at
        if self.seen is not None and self.region is None and tag in _REGIONS:
            markup = lxml.etree.tostring(node, with_tail=False)
            if markup in self.seen:
                return True
            if len(self.seen) < _SEEN_MAX:
                self.seen.add(markup)
            self.region = node
        if node.text:
            self.parts.append(node.text)
        return False

    def end(self, node) -> None:
        tag = node.tag
        if node is self.region:
            self.region = None
        if tag in _UNSHOWN:
            self.hidden -= 1
        elif tag in _BLOCKS and not self.hidden:
            self.end_line()


def _text(element) -> str:
    return " ".join(_STRING(element).split()) if element is not None else ""
