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

from .test_pages import item_url

# Every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22a",
            "wcag22aa",
            "best-practice",
        ],
    }
}

PAGES = {
    "home": lambda u: u,
    "category": lambda u: f"{u}category/zcwj/",
    "item": lambda u: item_url(u, "lvxingshe2026"),
    "expired": lambda u: item_url(u, "jingqu2024"),
    "interpretation": lambda u: item_url(u, "jd-lvxingshe2026"),
    "attachments": lambda u: item_url(u, "guihua"),
    "attachment-page": lambda u: f"{item_url(u, 'guihua')}attachments/guihua-2026-2030.md/",
    "repealed": lambda u: item_url(u, "lvxingshe2024"),
    "search": lambda u: f"{u}search/?q=旅行社",
    "form": lambda u: f"{u}ysqgk/form/",
    "guide": lambda u: f"{u}gkzn/",
    "annual": lambda u: f"{u}ndbg/2025/",
    "sitemap": lambda u: f"{u}wzdt/",
    "catalog": lambda u: f"{u}catalog/",
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
                lambda route: route.continue_(
                    url=route.request.url.replace(base + prefix, site_url, 1)
                ),
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


class _FirstFocusable(HTMLParser):
    """The first element Tab reaches in a page's markup, the skip link's target, and whether the
    page's h1 (and an item's metadata table) lie inside that target."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, str] | None = None
        self.in_body = False
        self.target_depth = 0  # >0 while inside id="gk-main"
        self.depth = 0
        self.found: set[str] = set()
        self.hidden_depth = 0  # >0 inside mkdocs-material's skip link, hidden by gongkai.css

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.in_body = True
        if tag not in {"input", "img", "br", "meta", "link", "hr", "source", "col", "wbr"}:
            self.depth += 1
        if values.get("data-md-component") == "skip":
            self.hidden_depth = self.depth
        if values.get("id") == "gk-main":
            self.target_depth = self.depth
            self.found.add("target")
        focusable = tag in self.FOCUSABLE and (tag != "a" or "href" in values)
        if tag == "input" and values.get("type") == "hidden":
            focusable = False
        if "tabindex" in values and values["tabindex"].startswith("-"):
            focusable = False
        if (
            tag == "input"
            and "md-toggle" in values.get("class", "")
            and "gk-nav-toggle" not in values.get("class", "")
        ):
            focusable = False  # mkdocs-material's display:none checkboxes
        if self.in_body and focusable and self.first is None and not self.hidden_depth:
            self.first = {"tag": tag, **values}
        if self.target_depth and tag == "h1":
            self.found.add("h1")
        if self.target_depth and "gk-header" in values.get("class", "") and tag == "table":
            self.found.add("metadata")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"input", "img", "br", "meta", "link", "hr", "source", "col", "wbr"}:
            return
        if self.target_depth and self.depth == self.target_depth:
            self.target_depth = 0
        if self.hidden_depth and self.depth == self.hidden_depth:
            self.hidden_depth = 0
        self.depth -= 1


def site_pages(page: Page, site_url: str) -> list[str]:
    """Every page the site lists in its sitemap.xml, as addresses on the test server."""
    prefix = site_prefix(page, site_url)
    root = ElementTree.fromstring(page.request.get(f"{site_url}sitemap.xml").body())
    locs = [e.text or "" for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    return [site_url + urlsplit(loc).path.removeprefix(prefix) for loc in locs] + [
        f"{site_url}404.html"
    ]


def test_every_page_starts_with_a_skip_link_to_the_start_of_its_content(page, site_url):
    pages = site_pages(page, site_url)
    assert len(pages) > 50
    items = 0
    for url in pages:
        parser = _FirstFocusable()
        parser.feed(page.request.get(url).text())
        first = parser.first or {}
        assert (first.get("class"), first.get("href")) == ("gk-skip", "#gk-main"), url
        assert {"target", "h1"} <= parser.found, f"{url}: the skip link skips the h1"
        if "/item/" in url and not url.endswith(".md/"):  # not a Markdown attachment's page
            items += 1
            assert "metadata" in parser.found, f"{url}: the skip link skips the metadata table"
    assert items > 20


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const seen = (m) => {
    const r = m.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = r.width > 0 && x >= 0 && x < innerWidth && y >= 0 && y < innerHeight
      ? document.elementFromPoint(x, y) : null;
    return !!hit && (m.contains(hit) || hit.contains(m));
  };
  const outlined = (m) => {
    const style = getComputedStyle(m);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  };
  let marks = [e];
  if (e.classList.contains('gk-nav-toggle')) {  // its focus is drawn on its label or panel title
    marks = [document.querySelector(`label.md-nav__link[for="${e.id}"]`),
             e.parentElement.querySelector(':scope > .md-nav > .md-nav__title')].filter(m => m);
  }
  const shown = marks.find(m => seen(m) && outlined(m)) || marks[0];
  return {
    name: (e.getAttribute('aria-label') || e.innerText || e.value || e.tagName).trim().slice(0, 40),
    tag: e.tagName, id: e.id, field: e.getAttribute('name'), href: e.href || null,
    drawer: !!e.closest('.md-sidebar--primary'), main: !!e.closest('#gk-main'),
    list: !!e.closest('table.gk-list'), result: !!e.closest('.gk-result__title'),
    visible: seen(shown), outline: outlined(shown),
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def settle(page: Page) -> None:
    """Waits for the drawer's and the panels' transitions to end."""
    page.wait_for_function("() => document.getAnimations().length === 0")


def tab_until(page: Page, wanted, key: str = "Tab", limit: int = 150) -> dict:
    """Presses Tab (or Shift+Tab) until `wanted(focus)` holds; every stop on the way must be
    visible, not covered, and outlined."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if now is None:  # left the page for the browser's own controls
            continue
        assert now["visible"], f"focus on something that cannot be seen: {now}"
        assert now["outline"], f"focus without a visible outline: {now}"
        if wanted(now):
            return now
    raise AssertionError(f"{key} never reached the wanted element (last: {focused(page)})")


def test_the_keyboard_alone_goes_from_home_to_a_category_an_item_a_search_a_filter_and_a_result(
    page, site_url
):
    page.goto(site_url)
    tab_until(page, lambda f: f["main"] and f["name"].startswith("政策文件"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site_url}category/zcwj/")
    item = tab_until(page, lambda f: f["list"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(item["href"])
    expect(page.locator("h1.gk-title")).to_have_text(item["name"])
    tab_until(page, lambda f: f["id"] == "gk-q-header")
    page.keyboard.type("旅行社")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[data-gk-search-ready]")
    expect(page.locator(".gk-result").first).to_be_visible()
    tab_until(page, lambda f: f["result"])
    tab_until(page, lambda f: f["field"] == "类型", key="Shift+Tab")
    runs = page.evaluate("document.documentElement.dataset.gkSearchRuns")
    page.keyboard.press("Space")  # opens the list; an arrow picks, Enter chooses
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(runs) => document.documentElement.dataset.gkSearchRuns !== runs", arg=runs
    )
    chosen = page.locator("select[name=类型]").input_value()
    assert chosen, "the filter was not changed from the keyboard"
    result = tab_until(page, lambda f: f["result"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(result["href"])
    expect(page.locator("h1.gk-title")).to_have_text(result["name"])


@pytest.mark.parametrize("name", ["item", "category", "home"])
def test_skip_link_is_first_and_lands_before_the_title(page, site_url, name):
    load(page, name, site_url)
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip and skip["name"] == "跳到正文" and skip["visible"] and skip["outline"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "gk-main"
    following = tab_until(page, lambda f: True)
    assert following["main"], following
    h1 = page.locator("#gk-main h1")
    expect(h1).to_be_in_viewport()
    if name == "item":
        expect(page.locator("#gk-main table.gk-header")).to_be_in_viewport()


def walk_page(page: Page, limit: int = 400) -> list[dict]:
    """Every stop of Tab from the top of the page until focus comes back around."""
    stops: list[dict] = []
    page.keyboard.press("Tab")
    first = focused(page)
    stops.append(first)
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None or now == first:
            return stops
        stops.append(now)
    raise AssertionError("Tab never came back around")


@pytest.mark.parametrize("size", [PHONE, ZOOMED], ids=["375", "400%"])
@pytest.mark.parametrize("name", ["item", "category"])
def test_small_screen_menu_is_reachable_and_the_closed_drawer_is_not(
    open_context, site_url, screenshots, name, size
):
    page = open_context(**size).new_page()
    load(page, name, site_url)
    stops = walk_page(page)
    hidden = [s for s in stops if s["drawer"] or not s["visible"] or not s["outline"]]
    assert hidden == [], "Tab stops in the closed drawer or where nothing is seen"
    names = [s["name"] for s in stops]
    assert names[:2] == ["跳到正文", "打开导航"], names[:5]
    assert len(stops) > 5

    page.reload()
    menu = tab_until(page, lambda f: f["name"] == "打开导航")
    assert not menu["drawer"]
    page.keyboard.press("Space")
    button = page.get_by_role("button", name="打开导航")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    settle(page)
    assert focused(page)["name"] == "关闭导航"
    page.screenshot(path=str(screenshots / f"a11y-drawer-{name}-{size['viewport']['width']}.png"))
    inside = walk_page(page)
    assert all(s["drawer"] and s["visible"] and s["outline"] for s in inside), inside
    assert len(inside) >= 3
    page.keyboard.press("Escape")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert focused(page)["name"] == "打开导航"
    page.keyboard.press("Enter")
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    page.keyboard.press("Enter")  # on 关闭导航
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()


def test_sidebar_section_toggles_are_named_and_work_with_space(open_context, site_url):
    page = open_context(**DESKTOP).new_page()
    load(page, "category", site_url)
    toggles = page.locator(".gk-nav-toggle")
    assert toggles.count() >= 3
    for toggle in toggles.all():
        assert toggle.get_attribute("aria-label"), toggle.evaluate("t => t.outerHTML")
        expanded = "true" if toggle.is_checked() else "false"
        assert toggle.get_attribute("aria-expanded") == expanded
    section = page.get_by_role("checkbox", name="政策文件（12）的下级栏目")
    child = page.locator(".md-sidebar--primary").get_by_role("link", name="行政规范性文件（6）")
    expect(section).to_have_attribute("aria-expanded", "true")
    expect(child).to_be_visible()
    tab_until(page, lambda f: f["name"] == "政策文件（12）的下级栏目")
    page.keyboard.press("Space")
    expect(section).to_have_attribute("aria-expanded", "false")
    expect(child).to_be_hidden()
    page.keyboard.press("Space")
    expect(section).to_have_attribute("aria-expanded", "true")
    expect(child).to_be_visible()
    page.keyboard.press("Enter")
    expect(section).to_have_attribute("aria-expanded", "false")


def test_in_the_drawer_space_on_the_open_section_goes_back_to_its_parent(open_context, site_url):
    page = open_context(**PHONE).new_page()
    load(page, "category", site_url)
    page.get_by_role("button", name="打开导航").click()
    settle(page)
    child = page.locator(".md-sidebar--primary").get_by_role("link", name="行政规范性文件（6）")
    sibling = page.locator(".md-sidebar--primary").get_by_role("link", name="政策解读（5）")
    expect(child).to_be_visible()
    tab_until(page, lambda f: f["name"] == "政策文件（12）的下级栏目")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="政策文件（12）的下级栏目")).to_have_attribute(
        "aria-expanded", "false"
    )
    expect(child).to_be_hidden()
    settle(page)
    stop = tab_until(page, lambda f: f["name"] == "政策解读（5）")
    assert stop["drawer"]
    expect(sibling).to_be_in_viewport()


@pytest.mark.parametrize(
    "name", ["annual", "attachments", "guide", "form", "item", "category", "search", "home"]
)
def test_nothing_scrolls_sideways_at_320_px(open_context, site_url, screenshots, name):
    page = open_context(**ZOOMED).new_page()
    load(page, name, site_url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320 px"
    for region in page.locator(".gk-scroll").all():
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
    page.screenshot(path=str(screenshots / f"a11y-{name}-320.png"), full_page=True)


def test_page_titles_carry_no_counts_and_the_404_page_is_chinese(open_context, site_url):
    page = open_context(**DESKTOP).new_page()
    categories = [u for u in site_pages(page, site_url) if "/category/" in u]
    assert len(categories) > 10
    for url in categories:
        title = re.search(r"<title>(.*?)</title>", page.request.get(url).text(), re.S)
        assert title and not re.search(r"（\d+）|\(\d+\)", title.group(1)), (url, title)
    load(page, "404", site_url)
    expect(page).to_have_title(re.compile("^您访问的页面不存在 - "))
    expect(page.locator("#gk-main").get_by_role("link", name="返回首页").first).to_be_visible()
    box = page.get_by_role("search", name="在本站检索").get_by_role("searchbox")
    box.fill("旅行社")
    box.press("Enter")
    page.wait_for_selector("html[data-gk-search-ready]")
    expect(page.locator(".gk-result").first).to_be_visible()


def dark(color: str) -> bool:
    """Whether a CSS colour, laid on the white page, is near black."""
    values = [float(v) for v in re.findall(r"[\d.]+", color)]
    alpha = values[3] if len(values) > 3 else 1.0
    return max(v * alpha + 255 * (1 - alpha) for v in values[:3]) < 0x40


@pytest.mark.parametrize("name", ["category", "guide", "sitemap", "annual", "404"])
def test_page_headings_are_dark(open_context, site_url, name):
    page = open_context(**DESKTOP).new_page()
    load(page, name, site_url)
    color = page.locator(".md-content h1").evaluate("h => getComputedStyle(h).color")
    assert dark(color), f"{name}: h1 is {color}"


CELLS = """(table) => [...table.querySelectorAll('tbody tr:first-child td')].map((td, i) => ({
  header: table.querySelectorAll('thead th')[i].textContent.trim(),
  left: td.getBoundingClientRect().left,
  padding: parseFloat(getComputedStyle(td).paddingLeft) + parseFloat(getComputedStyle(td).paddingRight),
  before: getComputedStyle(td, '::before').content, empty: td.textContent.trim() === '',
}))"""


@pytest.mark.parametrize("name", ["category", "home", "catalog"])
def test_list_cells_are_padded_on_a_desktop_and_keep_their_labels_on_a_phone(
    open_context, site_url, name
):
    page = open_context(**DESKTOP).new_page()
    load(page, name, site_url)
    table = page.locator("table.gk-list").first
    cells = table.evaluate(CELLS)
    heads = table.locator("thead th").evaluate_all(
        "ths => ths.map(th => th.getBoundingClientRect().left)"
    )
    assert all(c["padding"] >= 16 for c in cells), cells
    assert [round(c["left"]) for c in cells] == [round(h) for h in heads]
    page.set_viewport_size(PHONE["viewport"])
    cells = table.evaluate(CELLS)
    labelled = [c for c in cells if not c["empty"]]
    assert labelled and all(f'"{c["header"]}："' in c["before"] for c in labelled), cells
    # the table is still a table for a screen reader: its header row and cells are there
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    roles = [n["role"]["value"] for n in tree if "role" in n and not n.get("ignored")]
    assert roles.count("columnheader") >= len(cells) and roles.count("cell") >= len(cells)
