"""`mkdocs serve` at scale: how long a rebuild takes after one item is edited.

    .venv/bin/python -m bench.serve [N]      # default 10000; writes docs/benchmarks.md

Both `mkdocs serve` and `mkdocs serve --dirty` are measured.

The synthetic bureau (seed 1) is served by a real `mkdocs serve`; the figure is mkdocs' own
"Documentation built in" for the first build and for the rebuild after one item's title changes,
and the time from saving the file to the rebuilt page being served.
"""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).parents[1]
MODES = [("`mkdocs serve`", ()), ("`mkdocs serve --dirty`", ("--dirty",))]
BUILT = r"Documentation built in ([0-9.]+) seconds"


class Serve:
    """A `mkdocs serve` child process whose log lines can be waited for."""

    def __init__(self, root: Path, *options: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
            cwd=root,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env={
                "NO_MKDOCS_2_WARNING": "1",
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT),
                "TMPDIR": tempfile.gettempdir(),  # where mkdocs serve builds the site
            },
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 1800) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                found = re.search(pattern, self.lines.get(timeout=1))
            except queue.Empty:
                continue
            if found:
                return found
        raise AssertionError(f"mkdocs serve never said {pattern!r}")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def measure(root: Path, *options: str) -> dict:
    from generator.core.project import load_project
    from generator.core.public_set import item_path

    item = load_project(root).items[-1]
    server = Serve(root, *options)
    try:
        started = time.perf_counter()
        first = float(server.wait_for(BUILT).group(1))
        server.wait_for("Serving on")
        startup = time.perf_counter() - started
        text = item.path.read_text(encoding="utf-8")
        saved = time.perf_counter()
        item.path.write_text(text.replace(item.title, "修改后的标题", 1), encoding="utf-8")
        rebuilt = float(server.wait_for(BUILT).group(1))
        assert "修改后的标题" in server.get(item_path(item.index_no))
        seen = time.perf_counter() - saved
    finally:
        server.stop()
        item.path.write_text(text, encoding="utf-8")
    return {"first": first, "startup": startup, "rebuild": rebuilt, "seen": seen}


def main() -> None:
    from bench.report import write_section
    from bench.synthetic import generate

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    with tempfile.TemporaryDirectory(prefix="gongkai-serve-") as tmp:
        root = generate(Path(tmp) / "bureau", count, seed=1)
        rows = [(mode, measure(root, *options)) for mode, options in MODES]
    lines = "\n".join(
        f"| {mode} | {f['first']:.1f} | {f['rebuild']:.1f} | {f['seen']:.1f} |" for mode, f in rows
    )
    body = f"""`mkdocs serve` on the synthetic bureau ({count:,} items, seed 1), one item's title edited.

| command | first build (s) | rebuild after the edit (s) | from saving the file to the new page served (s) |
| --- | ---: | ---: | ---: |
{lines}

A rebuild reuses the items parsed before (only the edited file is read again), the item checks'
findings for the items that did not change (the checks over the whole bureau run again), and the
search index of the first build (the search page says so). Plain `mkdocs serve` renders every
page again: mkdocs 1.6 rebuilds every page on a change. With
`--dirty`, mkdocs skips the pages whose file is unchanged: an item's page counts as changed when
its file or `catalog.yml` is newer than the page, so only the edited item and the generated
lists (categories, home page, catalog) are rendered again. As mkdocs warns, other pages may then
show stale navigation (an item count) until a full rebuild. Watching for the change (mkdocs
polls) adds the rest.
"""
    write_section("serve", f"Preview rebuild with `mkdocs serve` at {count:,} items", body)
    print(body)


if __name__ == "__main__":
    main()
