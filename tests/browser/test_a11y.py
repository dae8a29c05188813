"""Accessibility for the public (issue #20; GB/T 37668-2019, WCAG 2.1 AA), in real Chromium:
axe-core on every page type before and after its controls are used, the keyboard alone, small
screens and 400 % zoom."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .test_pages import ITEMS, item_url

# Every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"],
    }
}

PAGES = {
    "home": lambda u: u,
    "category": lambda u: f"{u}category/zcwj/",
    "item": lambda u: item_url(u, "lvxingshe2026"),
    "expired": lambda u: item_url(u, "jingqu2024"),
    "interpretation": lambda u: item_url(u, "jd-lvxingshe2026"),
    "attachments": lambda u: item_url(u, "guihua"),
    "search": lambda u: f"{u}search/?q=旅行社",
    "form": lambda u: f"{u}ysqgk/form/",
    "guide": lambda u: f"{u}gkzn/",
    "annual": lambda u: f"{u}ndbg/2025/",
    "sitemap": lambda u: f"{u}wzdt/",
    "404": lambda u: f"{u}404.html",
}
# Widths: a desktop, a phone, and a 1280 px window at 400 % zoom (320 CSS px, WCAG 1.4.10).
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 800}}
ZOOMED = {"viewport": {"width": 320, "height": 225}, "device_scale_factor": 4}


def violations(page: Page, state: str) -> list[str]:
    """Every axe violation, whatever its impact, with its rule and the nodes it names."""
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{state}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    ]


def site_prefix(page: Page, site_url: str) -> str:
    """The path the site is built for (404.html links to it absolutely), e.g. /xxgk/."""
    text = page.request.get(f"{site_url}404.html").text()
    match = re.search(r'href="(/[^"]*?)assets/gongkai\.css"', text)
    assert match, "404.html does not link its stylesheet"
    return match.group(1)


@pytest.fixture
def open_context(browser: Browser, site_url: str) -> Iterator:
    """New browser contexts in which the site's own absolute address (used by 404.html, which a
    web server shows at any address) reaches the test server."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(locale="zh-CN", **options)
        probe = context.new_page()
        prefix = site_prefix(probe, site_url)
        probe.close()
        parts = urlsplit(site_url)
        base = f"{parts.scheme}://{parts.netloc}"
        if prefix != "/":
            context.route(
                re.compile("^" + re.escape(base + prefix)),
                lambda route: route.continue_(url=route.request.url.replace(base + prefix, site_url, 1)),
            )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def load(page: Page, name: str, site_url: str) -> None:
    page.goto(PAGES[name](site_url))
    if name == "search":
        page.wait_for_selector("html[data-gk-search-ready]")
        expect(page.locator(".gk-result").first).to_be_visible()


def use_controls(page: Page, name: str, wide: bool) -> Iterator[str]:
    """Uses each control the page has, yielding the state after each."""
    if name == "search":
        runs = page.evaluate("document.documentElement.dataset.gkSearchRuns")
        page.locator("select[name=类型]").select_option("政策解读")
        page.wait_for_function(
            "(runs) => document.documentElement.dataset.gkSearchRuns !== runs", arg=runs
        )
        yield "筛选类型后"
    if wide:
        toggles = page.locator(".gk-nav-toggle")
        if toggles.count():
            page.locator(".md-sidebar--primary label[for]").first.click()
            yield "展开栏目后"
    else:
        page.get_by_role("button", name="打开导航").click()
        expect(page.locator(".md-sidebar--primary")).to_be_visible()
        yield "打开导航后"
        page.keyboard.press("Escape")
        expect(page.locator(".md-sidebar--primary")).to_be_hidden()
        yield "关闭导航后"
    if page.get_by_role("button", name="大号字体").count():
        page.get_by_role("button", name="大号字体").click()
        yield "调大字体后"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_accessibility_violation_before_or_after_the_controls(
    open_context, site_url, screenshots, name, size
):
    page = open_context(**size).new_page()
    wide = size is DESKTOP
    width = size["viewport"]["width"]
    load(page, name, site_url)
    found = violations(page, "打开时")
    for state in use_controls(page, name, wide):
        found += violations(page, state)
    page.screenshot(path=str(screenshots / f"a11y-{name}-{width}.png"), full_page=True)
    # the font size chosen on an item page is remembered: every page is checked with it set
    page.goto(item_url(site_url, "chunjie"))
    page.get_by_role("button", name="大号字体").click()
    load(page, name, site_url)
    found += violations(page, "记住大号字体后")
    assert found == [], "\n".join(found)


def test_font_buttons_mark_themselves_not_the_page(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    page.get_by_role("button", name="大号字体").click()
    page.goto(f"{site_url}category/zcwj/")
    expect(page.locator("html")).to_have_attribute("data-gk-font", "large")
    expect(page.locator("html")).not_to_have_attribute("aria-pressed", re.compile(".*"))
    page.goto(item_url(site_url, "chunjie"))
    expect(page.locator("html")).not_to_have_attribute("aria-pressed", re.compile(".*"))
    expect(page.get_by_role("button", name="大号字体")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="中号字体")).to_have_attribute("aria-pressed", "false")
