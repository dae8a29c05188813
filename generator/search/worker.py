"""Writing the search index beside the build: a worker process and Pagefind's command line.

The build hands each listed item's rendered article to a worker process (`python -m
generator.search.worker`), which makes its shadow page and readable text (generator/search/tokens.py)
and, once a shard's last page is written, indexes that shard with Pagefind in a thread of its
own. The site's pages therefore keep the build's core to themselves, and the shadow pages and
Pagefind share the other.

The worker is a plain child process fed JSON lines on its standard input, not a
`multiprocessing` pool: a spawned pool re-imports the caller's main script, and a forked one
copies whatever threads `mkdocs serve` runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO

from generator.core import scratch
from generator.core.failure import describe
from generator.core.interrupts import die_with_parent
from generator.search.bundles import bundle_problems
from generator.search.tokens import SHARD_PAGES, TEXT_FILE, SearchEntry, shadow_page, shard_dir

BATCH = 64  # pages per message to the worker
# Pages Pagefind indexes at once, over all its runs: it holds about 0.28 MB per page (a
# 2,000-page shard: 0.55 GB). Two runs of full shards at once, or one of a larger shard alone:
# with the build's own 0.4 GB, 1.5 GB at 10,000 items.
PAGEFIND_PAGES = 2 * SHARD_PAGES
SHADOW_BYTES = 16_000  # room a shadow page needs, with margin (about 8 KB at 3,000 characters)
MEMORY_DIR = Path("/dev/shm")
SCRATCH_PREFIX = "gongkai-search-"  # then the build's process id (generator/core/scratch.py)


def scratch_dir(pages: int) -> Path:
    """A folder for the shadow pages: in memory (Linux's /dev/shm) when it has room for them,
    as writing and reading 10,000 small files costs seconds on some disks; else the usual
    temporary folder (TMPDIR). Folders that killed builds left in either are removed first."""
    for parent in scratch.temp_parents():
        scratch.remove_stale(parent, SCRATCH_PREFIX)
    try:
        room = shutil.disk_usage(MEMORY_DIR).free
    except OSError:
        room = 0
    where = MEMORY_DIR if room > 4 * SHADOW_BYTES * pages else None
    return scratch.new_dir(SCRATCH_PREFIX, where)


class SearchIndexError(RuntimeError):
    pass


_INDEXED = re.compile(r"Indexed (\d+) pages?")


def run_pagefind(source: Path, output: Path) -> int:
    """Index every page under `source` into the bundle `output` with Pagefind's command line
    (the one `pagefind[extended]` installs); returns how many pages it indexed. The command line
    rather than the Python API, whose service answers one request per 0.1 s and costs a few
    seconds per 3,000 pages on top of Pagefind's own work."""
    command = [sys.executable, "-m", "pagefind", "--site", str(source)]
    # "und" (undetermined): the words are ASCII tokens, not Chinese; as "zh-cn" Pagefind would
    # run its Chinese segmenter over them for nothing (about 12% of its time)
    command += ["--output-path", str(output), "--force-language", "und"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )
    _RUNNING.add(process)
    try:
        stdout, stderr = process.communicate()
    finally:
        _RUNNING.discard(process)
    found = _INDEXED.search(stdout)
    if process.returncode != 0 or found is None:
        detail = (stderr or stdout).strip().splitlines()[-2:]
        raise SearchIndexError("Pagefind 建立检索索引失败：" + " ".join(detail))
    return int(found.group(1))


_RUNNING: set[subprocess.Popen] = set()  # Pagefind runs, stopped with the worker


def _kill_running() -> None:
    for process in list(_RUNNING):
        process.kill()


_ROOT: Path | None = None  # the worker's scratch folder, removed when it is stopped


def _stop(signum, frame) -> None:
    _kill_running()
    if _ROOT is not None:
        shutil.rmtree(_ROOT, ignore_errors=True)
    os._exit(1)


def write_shadow_pages(root: Path, site_dir: Path, shard: int | None, entries: list) -> int:
    """Each entry's shadow page (under `root`/shard, unless `shard` is None) and readable text
    (beside its page in the site). Returns how many were written."""
    for message in entries:
        entry, dest_uri, body_html = SearchEntry.from_message(message)
        page, text = shadow_page(entry, body_html)
        if shard is not None:
            target = root / str(shard) / dest_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
        beside = (site_dir / dest_uri).parent
        beside.mkdir(parents=True, exist_ok=True)
        (beside / TEXT_FILE).write_text(text, encoding="utf-8")
    return len(entries)


class Runs:
    """Pagefind runs, each in a thread of its own, started in the order their shards complete,
    as many at once as `limit` pages allow (always at least one)."""

    def __init__(self, index: Callable[[int], tuple[int, float]], limit: int) -> None:
        self.index = index
        self.limit = limit
        self.pending: list[tuple[int, int]] = []  # (shard, pages)
        self.running: dict[int, int] = {}  # shard -> pages
        self.results: list[tuple[int, float]] = []
        self.error: BaseException | None = None
        self.changed = threading.Condition()

    def submit(self, shard: int, pages: int) -> None:
        with self.changed:
            self.pending.append((shard, pages))
            self._start()

    def _start(self) -> None:
        while self.pending and self.error is None:
            shard, pages = self.pending[0]
            if self.running and sum(self.running.values()) + pages > self.limit:
                return
            self.pending.pop(0)
            self.running[shard] = pages
            threading.Thread(target=self._run, args=(shard,), daemon=True).start()

    def _run(self, shard: int) -> None:
        try:
            result = self.index(shard)
        except BaseException as exc:  # reported by `wait`, after the other runs end
            result, error = None, exc
        else:
            error = None
        with self.changed:
            del self.running[shard]
            if result is not None:
                self.results.append(result)
            self.error = self.error or error
            self._start()
            self.changed.notify_all()

    def cancel(self) -> None:
        """Start no more runs and stop the running ones (the worker is failing)."""
        with self.changed:
            self.pending.clear()
        _kill_running()

    def wait(self) -> list[tuple[int, float]]:
        """Every run's (pages, seconds) once all have ended; raises the first run's error."""
        with self.changed:
            self.changed.wait_for(lambda: not self.running and (self.error or not self.pending))
            if self.error is not None:
                raise self.error
            return self.results


def serve_requests(lines: IO[str], root: Path, site_dir: Path, pagefind: bool) -> dict:
    """The worker's loop: {"shard", "pages"} messages write pages, {"done": shard} starts that
    shard's Pagefind run; at the end of input, wait for the runs and report the pages indexed
    (written, without Pagefind) and the seconds Pagefind ran, summed over its runs."""
    written: dict[int, int] = {}

    def index(shard: int) -> tuple[int, float]:
        started = time.perf_counter()
        bundle = site_dir / shard_dir(shard)
        try:
            pages = run_pagefind(root / str(shard), bundle)
        finally:
            shutil.rmtree(root / str(shard), ignore_errors=True)  # free the memory it took
        # Pagefind reports success even when the disk is full and its files are empty: every
        # file the bundle needs is read back and decompressed here, beside the build
        problems = bundle_problems(bundle, written[shard])
        if problems:
            raise SearchIndexError("全文检索索引不完整：" + describe(problems, bundle))
        return pages, time.perf_counter() - started

    runs = Runs(index, PAGEFIND_PAGES)
    try:
        for line in lines:
            message = json.loads(line)
            if "done" in message:
                shard = message["done"]
                if pagefind and written.get(shard):
                    runs.submit(shard, written[shard])
                continue
            shard = message["shard"]
            target = shard if pagefind else None
            count = write_shadow_pages(root, site_dir, target, message["pages"])
            written[shard] = written.get(shard, 0) + count
    except BaseException:
        runs.cancel()  # no Pagefind outlives the worker
        raise
    done = runs.wait()
    pages = sum(n for n, _ in done) if pagefind else sum(written.values())
    return {"pages": pages, "seconds": sum(t for _, t in done)}


def main() -> None:
    global _ROOT
    signal.signal(signal.SIGTERM, _stop)
    die_with_parent()  # Ctrl-C reaches the build, which stops the worker itself
    # The pages are the build's critical path: the worker and its Pagefind runs yield the CPU to
    # them and use what is left (on two cores, the shards are still indexed by the time the last
    # page is written).
    os.nice(10)
    root, site_dir, pagefind = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
    _ROOT = root
    sys.stdin.reconfigure(encoding="utf-8")
    try:
        report = serve_requests(sys.stdin, root, site_dir, pagefind)
    except SearchIndexError as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(2)
    except Exception:  # a bug: the parent shows it
        traceback.print_exc()
        sys.exit(1)
    print(json.dumps(report))


_OPEN: weakref.WeakSet[ShardedIndex] = weakref.WeakSet()  # workers not yet finished or closed


def close_all() -> None:
    """Stop every search worker of this process and remove their scratch folders (a build
    that was interrupted or failed)."""
    for index in list(_OPEN):
        index.close()


class ShardedIndex:
    """The build's side of the worker: pages go out in batches, a shard is announced complete
    as soon as its last page is rendered. With `pagefind=False` (`mkdocs serve` rebuilds) only
    the readable texts are written."""

    def __init__(self, site_dir: Path, expected: dict[int, int], pagefind: bool = True) -> None:
        self.root = scratch_dir(sum(expected.values()) if pagefind else 0)
        # removed at the latest when the build process ends, even interrupted (Ctrl-C)
        weakref.finalize(self, shutil.rmtree, self.root, True)
        self.expected = expected
        self.written: dict[int, int] = dict.fromkeys(expected, 0)
        self.buffer: dict[int, list] = {shard: [] for shard in expected}
        self.seconds = 0.0  # Pagefind's own time, summed over shards
        flag = "1" if pagefind else "0"
        command = [sys.executable, "-m", "generator.search.worker", str(self.root)]
        command.append(str(site_dir.resolve()))
        self.worker = subprocess.Popen(
            [*command, flag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],  # where `generator` imports from
            text=True,
            encoding="utf-8",
        )
        # Messages go out through a thread: the worker runs at a lower priority, and the pages
        # must not wait for it to read.
        self.outbox: queue.SimpleQueue[dict | None] = queue.SimpleQueue()
        self.broken = False
        self.writer = threading.Thread(target=self._write, daemon=True)
        self.writer.start()
        _OPEN.add(self)

    def _write(self) -> None:
        while (message := self.outbox.get()) is not None:
            try:
                self.worker.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
            except (OSError, ValueError):  # the worker stopped (or was closed): reported by
                # `_send` or `finish`, or the build is being stopped
                self.broken = True
                return

    def add(self, entry: SearchEntry, dest_uri: str, body_html: str) -> None:
        """One listed item, as planned, with where its page goes and its body as rendered from
        Markdown."""
        shard = entry.shard
        self.buffer[shard].append(entry.message(dest_uri, body_html))
        self.written[shard] += 1
        complete = self.written[shard] == self.expected[shard]
        if complete or len(self.buffer[shard]) >= BATCH:
            self._flush(shard)
        if complete:
            self._send({"done": shard})

    def _send(self, message: dict) -> None:
        if self.broken:
            self._fail()
        self.outbox.put(message)

    def _flush(self, shard: int) -> None:
        if self.buffer[shard]:
            pages, self.buffer[shard] = self.buffer[shard], []
            self._send({"shard": shard, "pages": pages})

    def _fail(self) -> None:
        _, errors = self.worker.communicate()
        self.close()
        raise self._error(errors)

    def _error(self, errors: str) -> SearchIndexError:
        """The worker's own Chinese message (exit status 2), else what it last said."""
        lines = errors.strip().splitlines()
        if self.worker.returncode == 2 and lines:
            return SearchIndexError("\n".join(lines))
        last = lines[-1] if lines else "没有输出"
        code = self.worker.returncode
        return SearchIndexError(f"全文检索索引进程意外退出（退出码 {code}）：{last}")

    def send_rest(self) -> None:
        """Send what is left and end the worker's input: it finishes alone while this process
        does other work (the build's inspection); this process has one thread again."""
        if self.writer.is_alive():
            for shard in sorted(self.expected):
                self._flush(shard)
                if self.written[shard] < self.expected[shard] or not self.expected[shard]:
                    self._send({"done": shard})
            self.outbox.put(None)
            self.writer.join()
        if self.worker.stdin is not None:
            with contextlib.suppress(OSError):  # the worker stopped: `finish` says why
                self.worker.stdin.close()
            self.worker.stdin = None  # closed: `communicate` must not flush it

    def finish(self) -> int:
        """Send what is left, wait for every shard; returns how many pages were indexed."""
        self.send_rest()
        output, errors = self.worker.communicate()
        _OPEN.discard(self)
        shutil.rmtree(self.root, ignore_errors=True)
        if self.worker.returncode != 0:
            raise self._error(errors)
        report = json.loads(output.strip().splitlines()[-1])
        self.seconds = report["seconds"]
        return report["pages"]

    def close(self) -> None:
        """Stop the worker (and the Pagefind it may be running) and remove the shadow pages."""
        _OPEN.discard(self)
        self.outbox.put(None)
        if self.worker.poll() is None:
            self.worker.terminate()
            self.worker.communicate()
        self.writer.join()
        shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":
    main()
