"""Markup that tries to run script, built into a real site and used in headless Chromium.

Each payload of tests/markup_corpus.py is an item of one site, built with its removals allowed
(`stop_on_removed_markup: false`) so that the pages exist; each page is loaded with the
Content-Security-Policy bypassed (the sanitiser alone is under test), every element of its body
and table of contents is hovered and clicked: no dialog, no script error, no inline handler, no
`javascript:`/`data:` address. The policy itself is then tested on its own: markup slipped into
a built page past the sanitiser is blocked by the browser.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from generator.core.project import load_project
from generator.site.build import build_site_dir

from helpers import Bureau, item_text
from markup_corpus import PAYLOADS, SAFE

ROOT = Path(__file__).parents[2]
TODAY = date(2026, 11, 23)

# Addresses a click could run script through, however they are spelt
DANGEROUS_URLS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(el.tagName + " " + name);
      if (/^(javascript|vbscript|data):/.test(value) && name !== "content") {
        bad.push(el.tagName + " " + name + "=" + attr.value.slice(0, 40));
      }
    }
  }
  return bad;
}
"""
# Every event a reader's pointer, keyboard or a click sends, to every element of the body and
# of the table of contents (inline handlers would fire; links with script would run)
POKE = """
() => {
  const targets = document.querySelectorAll(".gk-body *, .md-sidebar--secondary a");
  const kinds = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "focus",
                 "focusin", "pointerover", "pointerdown", "pointerup", "dblclick", "auxclick",
                 "contextmenu", "keydown", "animationstart", "transitionend", "toggle", "load",
                 "error", "begin"];
  for (const el of targets) {
    for (const kind of kinds) el.dispatchEvent(new Event(kind, { bubbles: true }));
    if (el.tagName !== "A") el.click();  // links are clicked as a reader does, one by one
  }
  return targets.length;
}
"""


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("xss")
    bureau = Bureau(root / "b")
    shutil.copy(ROOT / "mkdocs.yml", bureau.root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    bureau.write("content/pages/.keep", "")
    for number, payload in enumerate([*PAYLOADS, None], 1):
        body = "第一段。\n\n" + (payload.markdown if payload else SAFE)
        text = item_text(index_no=f"000014349/2026-{number:05d}").replace("正文。", body)
        bureau.write(f"content/tzgg/p{number:03d}.md", text)
    site = root / "site"
    options = {"stop_on_removed_markup": False, "search": False}
    # the payloads' images and links lead nowhere, which `gongkai inspect` would refuse
    project = load_project(bureau.root)
    build_site_dir(project, site, TODAY, progress=False, options=options, inspect=False)
    url, server = serve(site)
    yield url, site
    server.shutdown()


def item_url(base: str, number: int) -> str:
    return f"{base}item/000014349/2026-{number:05d}/"


def watch(page: Page) -> dict[str, list[str]]:
    """What the page does that it must not: dialogs, script errors, console messages."""
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "console": []}

    def on_dialog(dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: seen["console"].append(message.text))
    return seen


@pytest.fixture(scope="module")
def reader(browser: Browser, corpus_site) -> Iterator[tuple[Page, dict[str, list[str]]]]:
    """A reader with the Content-Security-Policy off, on a machine without the internet."""
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    page = context.new_page()
    host = corpus_site[0]

    def local_only(route, request) -> None:
        if request.url.startswith(host):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", local_only)
    seen = watch(page)
    yield page, seen
    context.close()


def visit(reader, url: str, fresh: bool = True) -> Page:
    """Open `url`; `fresh`: forget what earlier pages did."""
    page, seen = reader
    for kind in seen.values() if fresh else ():
        kind.clear()
    try:
        page.goto(url, wait_until="load")
    except PlaywrightError:  # a navigation the last page's clicks started was still going
        page.wait_for_timeout(500)
        page.goto(url, wait_until="load")
    return page


@pytest.mark.parametrize(
    "number, payload",
    list(enumerate(PAYLOADS, 1)),
    ids=[p.name for p in PAYLOADS],
)
def test_payload_never_runs_on_load_hover_or_click(reader, corpus_site, number, payload):
    url = item_url(corpus_site[0], number)
    page = visit(reader, url)
    seen = reader[1]
    assert page.evaluate(DANGEROUS_URLS) == []
    assert page.evaluate(POKE) >= 1  # the payload's page has a body to poke
    links = page.locator(".gk-body a, .gk-body button, .md-sidebar--secondary a")
    for n in range(links.count()):
        links.nth(n).hover(force=True, timeout=2000)
        links.nth(n).click(force=True, timeout=2000)
        page.wait_for_load_state("load")
        if page.url != url:  # the link led away: back to the payload for the next one
            visit(reader, url, fresh=False)
    page.wait_for_timeout(50)
    assert seen["dialogs"] == [] and seen["errors"] == [], seen
    assert not [m for m in seen["console"] if "alert" in m or "XSS" in m], seen["console"]


def test_safe_markdown_page_works_and_keeps_its_markup(reader, corpus_site):
    page = visit(reader, item_url(corpus_site[0], len(PAYLOADS) + 1))
    seen = reader[1]
    body = page.locator(".gk-body")
    assert body.locator("table td[align=right]").inner_text() == "100"
    assert body.locator("a[href='#zongti']").count() == 1
    assert "<script>alert(1)</script>" in body.locator("code").first.inner_text()
    assert seen["errors"] == []


def test_content_security_policy_blocks_what_got_past_the_sanitiser(browser: Browser, corpus_site):
    """The last line of defence, alone: markup written into a built page behind the
    sanitiser's back (a bug, a tampered file) does not run in a browser that enforces it."""
    base, site = corpus_site
    page_file = site / "item/000014349/2026-00001/index.html"
    original = page_file.read_text(encoding="utf-8")
    slipped = (
        '<img src="x" onerror="alert(\'onerror\')"><script>alert("inline")</script>'
        '<a id="gk-slipped" href="javascript:alert(\'link\')">点我</a>'
        '<object data="data:text/html,<script>alert(1)</script>"></object>'
    )
    page_file.write_text(
        original.replace('<div class="gk-body">', '<div class="gk-body">' + slipped)
    )
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    seen = watch(page)
    try:
        page.goto(item_url(base, 1), wait_until="load")
        page.locator("#gk-slipped").click()
        page.wait_for_timeout(200)
        assert seen["dialogs"] == []
        refused = [m for m in seen["console"] if "Content Security Policy" in m]
        assert len(refused) >= 3, seen["console"]  # the handler, the script, the link
    finally:
        context.close()
        page_file.write_text(original)


DEMO_PAGES = [
    "",
    "catalog/",
    "category/zcwj/",
    "item/000099031/2026-00035/",
    "ndbg/2025/",
    "ysqgk/form/",
    "gkzn/",
    "search/?q=旅行社",
]


@pytest.mark.parametrize("path", DEMO_PAGES)
def test_demo_pages_run_under_the_policy_without_a_violation(page: Page, site_url, path):
    seen = watch(page)
    page.goto(site_url + path, wait_until="load")
    if path.startswith("search/"):
        page.wait_for_function("() => document.documentElement.dataset.gkSearchReady === 'true'")
        assert page.locator(".gk-result").count() > 0
    else:
        page.locator(".md-header").hover()
    policy = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert seen["errors"] == []
    assert not [m for m in seen["console"] if "Content Security Policy" in m], seen["console"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def test_every_built_page_declares_the_policy_and_has_no_inline_script(corpus_site):
    _, site = corpus_site
    pages = list(site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS)
    for built in pages:
        text = built.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in text.split("</head>", 1)[0], built
        assert INLINE_SCRIPT.findall(text) == [], built  # data (material's config) aside
