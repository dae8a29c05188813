"""Time the markup rule: the sanitiser on every page of a build, and validate's check.

    .venv/bin/python -m bench.markup [N]      # default 10000; writes docs/benchmarks.md

Over a synthetic bureau (bench/synthetic.py), each item's body rendered with the site's
Markdown settings: the sanitiser as the build runs it on every page (clean, then the table of
contents' headings), the second pass a page takes only when the sanitiser changed it, and
validate's GK901–GK903 check with and without its shortcut for bodies that cannot hold markup.
Then the same for a bureau whose every item carries one payload of tests/markup_corpus.py.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.report import write_section
from bench.synthetic import generate
from generator.checks.html import raw_html
from generator.core import markup
from generator.core.project import load_project
from generator.core.sanitize import _STRICT, clean, headings, removals

ROOT = Path(__file__).parents[1]


def per_page(pages: list[str]) -> dict[str, float]:
    """Microseconds per page: the sanitiser as a build runs it, and how many pages changed."""
    started = time.perf_counter()
    for html in pages:
        _STRICT.clean(html)
    nh3_us = (time.perf_counter() - started) / len(pages) * 1e6
    started = time.perf_counter()
    changed = 0
    for html in pages:
        cleaned = clean(html)
        headings(cleaned)
        if cleaned != html:
            changed += 1
            removals(html)
    seconds = time.perf_counter() - started
    return {"sanitise_us": seconds / len(pages) * 1e6, "nh3_us": nh3_us, "changed": changed}


def validate_seconds(project, shortcut: bool) -> float:
    skip = markup.SiteMarkdown.may_skip
    if not shortcut:
        markup.SiteMarkdown.may_skip = property(lambda self: False)  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        for item in project.items:
            list(raw_html(item, project))
        return time.perf_counter() - started
    finally:
        markup.SiteMarkdown.may_skip = skip  # type: ignore[method-assign]


def with_payloads(root: Path) -> None:
    """Every item gets one corpus payload after its first paragraph."""
    sys.path.insert(0, str(ROOT / "tests"))
    from markup_corpus import PAYLOADS

    for n, path in enumerate(sorted((root / "content").rglob("*.md"))):
        if "pages" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n" + PAYLOADS[n % len(PAYLOADS)].markdown + "\n", "utf-8")


def measure(root: Path) -> dict[str, float]:
    project = load_project(root)
    settings = markup.for_project(root)
    started = time.perf_counter()
    pages = [settings.render(item.body) for item in project.items]
    render_us = (time.perf_counter() - started) / len(pages) * 1e6
    return {
        "items": len(pages),
        "render_us": render_us,
        **per_page(pages),
        "validate_s": validate_seconds(project, shortcut=True),
        "validate_full_s": validate_seconds(project, shortcut=False),
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rows = []
    with tempfile.TemporaryDirectory(prefix="gongkai-markup-") as tmp:
        root = generate(Path(tmp) / "bureau", count, seed=1)
        rows.append(("synthetic items", measure(root)))
        with_payloads(root)
        rows.append(("each with a corpus payload", measure(root)))
    lines = [
        "| bureau | items | Markdown (µs/page) | sanitiser (µs/page) | nh3 alone (µs/page) | "
        "pages changed | validate GK90x (s) | without its shortcut (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['items']:,} | {r['render_us']:.0f} | {r['sanitise_us']:.0f} | "
            f"{r['nh3_us']:.0f} | {r['changed']:,} | {r['validate_s']:.1f} | {r['validate_full_s']:.1f} |"
        )
    body = f"""Synthetic bureau (bench/synthetic.py, seed 1), each body rendered with the site's
Markdown settings. Sanitiser: what the build does on every page (markup made only of the plain
tokens Markdown writes is published as it is, anything else goes through nh3 with the
allow-list; then the table of contents' headings), plus the second pass that finds what was
removed, only for pages the sanitiser changed; nh3 alone on the same pages for comparison. Validate: the GK901–GK903 rule over all items, which renders only the
bodies holding `<`, `[`, `]`, `{{`, `}}` or `_` (tests/test_markup_property.py proves the others
lose nothing), and the same rendering every body.

{chr(10).join(lines)}
"""
    write_section("markup", f"Markup sanitiser and check at {count:,} items", body)
    print(body)


if __name__ == "__main__":
    main()
