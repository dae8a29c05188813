"""Search at scale: indexing time and peak memory, index size, and what one query costs a browser.

    .venv/bin/python -m bench.search_scale [N ...]     # default 1000 10000; writes docs/benchmarks.md

Each size is a synthetic bureau (bench/synthetic.py, seed 1). The build runs in a child
process; its peak memory counts all its processes at once (checks, search worker, Pagefind runs).
Queries are typed into the real search page in headless Chromium; the bytes are the bodies of
everything fetched for that query (index chunks from every shard, and the texts of the results
shown), the time runs from the query to the rendered result list.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.chromium import launch
from bench.report import write_section
from bench.scale import BUILD, step
from bench.search_recall import serve
from bench.synthetic import generate

# Topic words (a few items each), a subject with a place, then common administrative words that
# most items contain (the worst case for a query), as a reader might type them; then a typo
# and nonsense, which find nothing and load the title words for suggestions.
QUERIES = ["古建筑修缮", "青峰县文物保护", "导游培训计划", "民宿", "预算", "政务公开工作"]
QUERIES += ["古建筑修善", "齉龘靐"]

_QUERY = """async (q) => {
  const page = window.gkSearch;
  const form = document.getElementById("gk-search");
  form.elements.q.value = q;
  const t0 = performance.now();
  await page.run(page.state());
  const ms = performance.now() - t0;
  return { ms, results: page.results.length };
}"""


def first_doc_no(root: Path) -> str:
    for path in sorted((root / "content").rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("doc_no: "):
                return line.removeprefix("doc_no: ")
    return "合测发〔2026〕1号"


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


REPEATS = 3  # each query this many times, each in a fresh page: the median time counts


def measure_queries(site_dir: Path, queries: list[str]) -> list[dict]:
    """Each query typed into a fresh search page, `REPEATS` times: the first query as a visitor's
    first (cold: Pagefind's WebAssembly and entry files too), every other one after the first
    query has run in that page (warm: only what the query itself needs is fetched). One run is
    not enough on a shared machine: a garbage collection or another process can double a time."""
    from playwright.sync_api import sync_playwright

    url, server = serve(site_dir)
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            rows = []
            for n, query in enumerate(queries):
                warm_up = queries[0] if n else None
                runs = [_one_query(browser, url, warm_up, query) for _ in range(REPEATS)]
                times = sorted(r["ms"] for r in runs)
                rows.append(
                    {
                        "query": query,
                        "cold": n == 0,
                        "bytes": max(r["bytes"] for r in runs),
                        "results": runs[0]["results"],
                        "ms": statistics.median(times),
                        "spread": (times[0], times[-1]),
                    }
                )
            browser.close()
    finally:
        server.shutdown()
    return rows


def _one_query(browser, url: str, first: str | None, query: str) -> dict:
    page = browser.new_page()
    fetched: list[int] = []
    # Pagefind fetches from a web worker; Playwright reports those requests on the page.
    # Everything a query fetches counts: every index shard (pagefind/, pagefind-1/...)
    # and the texts of the results shown, for their excerpts.
    page.on("requestfinished", lambda r: fetched.append(r.sizes()["responseBodySize"]))
    page.goto(url + "search/")
    page.wait_for_selector("html[data-gk-search-ready]", timeout=120_000)
    if first is not None:
        page.evaluate(_QUERY, first)
        page.wait_for_timeout(200)  # let its last responses report
    fetched.clear()
    row = page.evaluate(_QUERY, query)
    page.wait_for_timeout(100)
    page.close()
    return {**row, "bytes": sum(fetched)}


def run(count: int, work: Path) -> dict:
    root = generate(work / f"bureau-{count}", count, seed=1)
    built = step(BUILD, str(root))  # the same measured build as bench/scale.py
    figures = {
        "total": built["seconds"],
        "search": built["search"],
        "search_wait": built["search_wait"],
        "rss_build": built["rss"],
        "rss_tree": built["rss_tree"],
    }
    bundles = [folder_size(d) for d in (root / "site").glob("pagefind*") if d.is_dir()]
    size, files = sum(b[0] for b in bundles), sum(b[1] for b in bundles)
    queries = [*QUERIES, first_doc_no(root)]
    figures.update(
        count=count,
        index_bytes=size,
        index_files=files,
        queries=measure_queries(root / "site", queries),
    )
    return figures


def report(results: list[dict]) -> str:
    head = (
        "| items | full build (s) | Pagefind runs, summed / waited for (s) "
        "| peak memory: all processes at once (main process) (MB) "
        "| index on disk (MB, files) |\n| ---: | ---: | ---: | ---: | ---: |\n"
    )
    rows = "".join(
        f"| {r['count']:,} | {r['total']:.1f} | {r['search']:.1f} / {r['search_wait']:.1f} | "
        f"{r['rss_tree']:.0f} ({r['rss_build']:.0f}) "
        f"| {r['index_bytes'] / 1e6:.1f} ({r['index_files']:,}) |\n"
        for r in results
    )
    qhead = (
        "\n| items | query | results | fetched (KB) | time (ms): median (fastest–slowest) |\n"
        "| ---: | --- | ---: | ---: | ---: |\n"
    )
    qrows = "".join(
        f"| {r['count']:,} | {q['query']}{' (first, cold)' if q['cold'] else ''} | {q['results']} | "
        f"{q['bytes'] / 1000:.0f} | {q['ms']:.0f} ({q['spread'][0]:.0f}–{q['spread'][1]:.0f}) |\n"
        for r in results
        for q in r["queries"]
    )
    worst = max(results, key=lambda r: r["count"])
    warm = [q for q in worst["queries"] if not q["cold"]]
    summary = (
        f"\nAt {worst['count']:,} items a query after the first fetches at most "
        f"{max(q['bytes'] for q in warm) / 1000:.0f} KB and shows results within "
        f"{max(q['ms'] for q in warm):.0f} ms (the median of {REPEATS} runs; target: 500 KB, 300 ms); "
        "the first query also loads "
        "Pagefind's WebAssembly and entry files. Every request a query makes is counted: index "
        "chunks from every shard and the texts of the results shown, for their excerpts.\n"
    )
    return head + rows + qhead + qrows + summary


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        results = [run(count, Path(tmp)) for count in counts]
    write_section("search-scale", "Search at 1,000 and 10,000 items", report(results))
    print(report(results))


if __name__ == "__main__":
    main()
