"""Scale: validate and build a synthetic bureau, against a plain mkdocs-material build of the
same Markdown (no Gongkai plugin, items not in the nav, no search) and a Hugo build of it
(Debian's `hugo`, bare templates) as lower bounds.

    .venv/bin/python -m bench.scale [N ...] [--work DIR]   # default 1000 10000; writes
                                                           # docs/benchmarks.md

Each step runs in a child process that reports its own time (from the start of the step's code
to its end) and peak memory; the memory of all its processes at once (checks, search worker,
Pagefind runs) is sampled from /proc, and the time of the whole process (the command as staff
run it: Python's start, imports, exit) is measured from outside. Up to 10,000 items the full and
the plain build run twice, alternately, and the faster run of each counts (the machine's speed
drifts by several per cent from minute to minute).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import write_section
from bench.synthetic import generate

ROOT = Path(__file__).parents[1]
REPEAT = 2  # runs of the full and the plain build, up to 10,000 items

_MEASURE = """
import json, os, resource, sys, time
started = time.perf_counter()
exec(compile(sys.argv[1], "step", "exec"))
print(json.dumps({"seconds": time.perf_counter() - started,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  **globals().get("extra", {})}))
if globals().get("fast_exit"):  # as the `gongkai` command ends (generator.cli.main.run)
    sys.stdout.flush()
    os._exit(0)
"""

VALIDATE = """
from pathlib import Path
from generator.core.project import load_project
from generator.checks import check
root = Path(sys.argv[2])
extra = {"problems": len(check(load_project(root)))}
"""

BUILD = """
import generator.site.plugin as plugin
from generator.cli.main import main  # `gongkai build`: the command (generator.cli.main.run) calls main
timings = {}
original = plugin.GongkaiPlugin.on_post_build
def spy(self, config):
    original(self, config)
    timings.update(self.timings)
plugin.GongkaiPlugin.on_post_build = spy
# `gongkai build`: load, validate (every check), then pages and search
code = main(["build", sys.argv[2], "--today", "2026-11-23", "--site-dir", sys.argv[2] + "/site"])
assert code == 0, code
extra = {"search": timings.get("search", 0), "search_wait": timings.get("search_wait", 0)}
fast_exit = True
"""

PLAIN = """
import os
os.environ["NO_MKDOCS_2_WARNING"] = "1"
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(sys.argv[2]))
"""


HUGO = """
import subprocess
subprocess.run(["hugo", "--quiet", "--source", sys.argv[2], "--destination", "public"], check=True)
"""

_HUGO_PAGE = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    "</head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n"
)


def hugo_copy(root: Path) -> Path:
    """The same Markdown as a Hugo site with the barest templates: the fastest static build."""
    site = root / "hugo-site"
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    for name in ("single", "list"):
        (site / "layouts" / "_default" / f"{name}.html").write_text(_HUGO_PAGE, encoding="utf-8")
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\nlanguageCode = "zh-cn"\ncontentDir = "../content"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        'ignoreFiles = ["/pages/", "/annual/"]\n',
        encoding="utf-8",
    )
    return site


def hugo_version() -> str:
    if shutil.which("hugo") is None:
        raise SystemExit("bench/scale.py needs Hugo: apt-get install hugo (or `make bench`)")
    return subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]


def tree_rss(pid: int) -> float:
    """MB resident in process `pid` and all its descendants right now (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += sum(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
        )
    return total / 1024


def step(code: str, argument: str) -> dict:
    """Run `code` in a child process; its own figures, plus the peak memory of all its processes
    at once (sampled every 0.1 s: the build, its checks, the search worker, Pagefind runs)."""
    # Output goes to files, not pipes: a build printing thousands of warnings would fill a pipe
    # that nobody reads while the memory is sampled, and wait forever.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, code, argument], stdout=out, stderr=err, cwd=ROOT
        )
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.1)
        process_seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"bench step failed:\n{err.read()}")
        output = out.read()
    figures = json.loads(output.strip().splitlines()[-1])
    return {**figures, "rss_tree": peak, "process_seconds": process_seconds}


def fastest(runs: list[dict]) -> dict:
    """The fastest of several runs of a step, with the highest peak memory of them all."""
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["process_seconds"] = min(r["process_seconds"] for r in runs)
    for key in ("rss", "rss_tree"):
        best[key] = max(r[key] for r in runs)
    return best


def plain_copy(root: Path) -> Path:
    """The same Markdown as a plain mkdocs-material site: items not in the nav, no search."""
    docs = root / "plain-docs"
    shutil.copytree(root / "content", docs, ignore=shutil.ignore_patterns("pages", "annual"))
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    config = root / "mkdocs-plain.yml"
    config.write_text(
        "site_name: plain\ndocs_dir: plain-docs\nsite_dir: plain-site\ntheme:\n  name: material\n"
        "  language: zh\n  font: false\nplugins: []\nnav:\n  - 首页: index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n  links:\n    not_found: ignore\n",
        encoding="utf-8",
    )
    return config


def size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run(count: int, work: Path) -> dict:
    root = generate(work / f"bureau-{count}", count, seed=1)
    validate = step(VALIDATE, str(root))
    plain_config = str(plain_copy(root))
    builds, plains = [], []
    for _ in range(REPEAT if count <= 10_000 else 1):  # alternately, see the docstring
        builds.append(step(BUILD, str(root)))
        plains.append(step(PLAIN, plain_config))
    built, plain = fastest(builds), fastest(plains)
    hugo = step(HUGO, str(hugo_copy(root)))
    return {
        "count": count,
        "validate": validate,
        "build": built,
        "plain": plain,
        "hugo": hugo,
        "hugo_mb": size(root / "hugo-site" / "public"),
        "site_mb": size(root / "site"),
        "index_mb": sum(size(d) for d in (root / "site").glob("pagefind*") if d.is_dir()),
        "plain_mb": size(root / "plain-site"),
    }


def versions() -> str:
    from importlib.metadata import version

    names = ["mkdocs", "mkdocs-material", "pagefind"]
    return ", ".join(f"{n} {version(n)}" for n in names) + f", Hugo {hugo_version()}"


def report(results: list[dict], where: str, load: tuple[float, float] = (0.0, 0.0)) -> str:
    lines = [
        f"Versions: {versions()}. Synthetic bureau from `bench/synthetic.py`, seed 1. "
        f"Bureaus and sites on {where}. Load average (1 minute) when the run started "
        f"{load[0]:.1f}, when it ended {load[1]:.1f} (other work on the machine slows both "
        "builds, not always alike).",
        "",
        "| items | validate (s) | full build (s) = validation and pages + search after them "
        "| Pagefind runs, summed (s) | plain mkdocs-material (s) | ratio | as commands: "
        "`gongkai build` / `mkdocs build` (s), ratio | Hugo (s) "
        "| peak memory: full build (its main process) / plain / Hugo (MB) "
        "| output: site / index / plain / Hugo (MB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        b, p, v, h = r["build"], r["plain"], r["validate"], r["hugo"]
        pages = b["seconds"] - b["search_wait"]
        lines.append(
            f"| {r['count']:,} | {v['seconds']:.1f} | {b['seconds']:.1f} = {pages:.1f} + "
            f"{b['search_wait']:.1f} | {b['search']:.1f} | {p['seconds']:.1f} "
            f"| {b['seconds'] / p['seconds']:.2f} | {b['process_seconds']:.1f} / "
            f"{p['process_seconds']:.1f}, {b['process_seconds'] / p['process_seconds']:.2f} "
            f"| {h['seconds']:.1f} "
            f"| {b['rss_tree']:.0f} ({b['rss']:.0f}) / {p['rss_tree']:.0f} / {h['rss_tree']:.0f} "
            f"| {r['site_mb']:.0f} / {r['index_mb']:.0f} / {r['plain_mb']:.0f} / {r['hugo_mb']:.0f} |"
        )
    return "\n".join(lines) + (
        "\n\nTargets (issue 10): at 10,000 items the full build at most 1.3 times the plain build, "
        "`validate` at most 10 s, peak memory at most 2 GB; 100,000 items within 24 GB. The full "
        "build is `gongkai build`: it loads the items, then renders the pages while every check "
        "runs in a forked copy of the process (the new site replaces the old only if they pass). "
        "A worker process makes the search tokens from each item's rendered Markdown and indexes "
        "each shard of 2,000 pages with Pagefind as soon as the shard is complete, at most 4,000 "
        'pages at once, while the pages are still rendering; "search after them" is what the '
        'build waits for once the pages are done, "Pagefind runs, summed" the sum of the runs\' '
        "times. The build and the plain build are timed from the start of their code to its end "
        "(the ratio the target is about) and, as commands, from the start of the process to its "
        "exit. Peak memory is that of all of a step's processes at once (sampled every 0.1 s: the "
        "build, its checks, the search worker, Pagefind runs), the build's main process alone in "
        "brackets. Up to 10,000 items the full and the plain build ran twice, alternately: the "
        "faster run of each counts, and the higher peak. Hugo renders the same Markdown with bare "
        "templates (`{{ .Content }}` in a page): the lower bound for any static build.\n"
    )


def filesystem(path: Path) -> str:
    """The type of the file system holding `path` (tmpfs, ext4...), from /proc/mounts."""
    best, kind = "", "unknown"
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount, fstype, *_ = line.split()
        if str(path.resolve()).startswith(mount) and len(mount) > len(best):
            best, kind = mount, fstype
    return kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--work", help="folder for the bureaus and sites (default: TMPDIR)")
    args = parser.parse_args()
    hugo_version()  # fail early if Hugo is missing
    started_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="gongkai-scale-", dir=args.work) as tmp:
        where = f"{filesystem(Path(tmp))} ({Path(tmp).parent})"
        results = [run(count, Path(tmp)) for count in args.counts]
    text = report(results, where, (started_load, os.getloadavg()[0]))
    write_section(
        "scale", "Validate and build at scale, against plain mkdocs-material and Hugo", text
    )
    print(text)


if __name__ == "__main__":
    main()
