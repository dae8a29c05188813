"""适老化 (issue #20) in real Chromium: 关怀模式 (elder mode) and 高对比度 from the masthead of every
page, remembered and applied before the first paint; in elder mode no text under 18 px, line
spacing of 1.5 or more, targets of 44 × 44 px, no motion; AAA contrast; forced colours; strict axe
in both modes; the keyboard; and 【字体：大】 enlarging the whole page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from . import test_a11y as a11y
from .test_pages import item_url

open_context = a11y.open_context  # the fixture, shared with the accessibility tests
DESKTOP, PHONE, ZOOMED = a11y.DESKTOP, a11y.PHONE, a11y.ZOOMED
PAGE_TYPES = ["home", "category", "item", "search", "annual", "form", "404"]

# Every visible piece of text: its size, its line spacing, and where it is.
TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const e = node.parentElement;
    if (!node.textContent.trim() || !e || e.closest('script, style, svg, .gk-sr-only')) continue;
    const style = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (r.width <= 1 || r.height <= 1 || e.closest('[inert]')) continue;
    const size = parseFloat(style.fontSize);
    const line = style.lineHeight === 'normal' ? 1.2 : parseFloat(style.lineHeight) / size;
    out.push({text: node.textContent.trim().slice(0, 20), cls: e.className, tag: e.tagName, size, line});
  }
  return out;
}"""

SIZE = "e => parseFloat(getComputedStyle(e).fontSize)"


def care_on(page: Page) -> None:
    """Switches elder mode on with its masthead button and checks that it took."""
    button = page.get_by_role("button", name="关怀模式")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-gk-care", "on")


def open_page(open_context, site_url: str, name: str, size: dict, mode: str = "") -> Page:
    """A page of the given type, with the mode (care or contrast) switched on first."""
    page = open_context(**size).new_page()
    a11y.load(page, name, site_url)
    if mode:
        names = {"care": "关怀模式", "contrast": "高对比度"}
        page.get_by_role("button", name=names[mode]).click()
        a11y.load(page, name, site_url)
        expect(page.locator("html")).to_have_attribute(f"data-gk-{mode}", "on")
    return page


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_has_both_mode_buttons_and_they_switch(open_context, site_url, name):
    page = open_page(open_context, site_url, name, DESKTOP)
    html = page.locator("html")
    care = page.locator("header").get_by_role("button", name="关怀模式")
    contrast = page.locator("header").get_by_role("button", name="高对比度")
    expect(care).to_be_visible()
    expect(contrast).to_be_visible()
    body = page.locator(".md-content").first.evaluate(SIZE)
    care_on(page)
    expect(contrast).to_have_attribute("aria-pressed", "true")  # elder mode brings high contrast
    assert page.locator(".md-content").first.evaluate(SIZE) > body * 1.15
    contrast.click()  # high contrast off, elder mode stays
    expect(contrast).to_have_attribute("aria-pressed", "false")
    expect(html).not_to_have_attribute("data-gk-contrast", "on")
    expect(html).to_have_attribute("data-gk-care", "on")
    care.click()  # leaving elder mode leaves the page as it was
    expect(care).to_have_attribute("aria-pressed", "false")
    expect(html).not_to_have_attribute("data-gk-care", "on")
    assert page.locator(".md-content").first.evaluate(SIZE) == body
    contrast.click()  # high contrast alone: contrast without larger text
    expect(html).to_have_attribute("data-gk-contrast", "on")
    expect(html).not_to_have_attribute("data-gk-care", "on")
    assert page.locator(".md-content").first.evaluate(SIZE) == body


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_elder_mode_text_is_18_px_or_more_with_line_spacing_of_1_5(
    open_context, site_url, name, size
):
    page = open_page(open_context, site_url, name, size, "care")
    texts = page.evaluate(TEXTS)
    assert len(texts) > 20
    small = [t for t in texts if t["size"] < 18]
    assert small == [], f"{name}: text under 18 px in elder mode: {small[:8]}"
    tight = [t for t in texts if t["line"] < 1.5]
    assert tight == [], f"{name}: line spacing under 1.5 in elder mode: {tight[:8]}"
    if size is DESKTOP:  # the parts the issue names, each looked at on its own
        parts = ["footer .md-copyright", ".md-sidebar--primary .md-nav__link"]
        parts += ["table.gk-header td", ".gk-body p"] if name == "item" else []
        for part in parts:
            assert page.locator(part).first.evaluate(SIZE) >= 18, part
    heading = page.locator("#gk-main h1").first.evaluate(SIZE)
    body = page.locator(".md-typeset").first.evaluate(SIZE)
    assert heading >= body * 1.4, (heading, body)


def boxes(page: Page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(
        """es => es.filter(e => e.checkVisibility()).map(e => {
          const r = e.getBoundingClientRect();
          return {text: e.textContent.trim().slice(0, 12), width: r.width, height: r.height};
        })"""
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("name", ["item", "category"])
def test_elder_mode_targets_are_44_px_or_more(open_context, site_url, name, size):
    page = open_page(open_context, site_url, name, size, "care")
    if size is PHONE:
        page.get_by_role("button", name="打开导航").click()
        expect(page.locator(".md-sidebar--primary")).to_be_visible()
    targets = boxes(page, ".md-sidebar--primary .md-nav__link, .gk-mode, .gk-searchbox button")
    targets += boxes(page, ".gk-tools button, .gk-drawer-close, button.gk-menu, .gk-pager a")
    assert len(targets) > 8
    small = [t for t in targets if t["width"] < 44 or t["height"] < 44]
    assert small == [], small


@pytest.mark.parametrize("size", [PHONE, ZOOMED], ids=["375", "320"])
@pytest.mark.parametrize("mode", ["", "care", "contrast"])
@pytest.mark.parametrize("name", ["home", "item", "search"])
def test_the_buttons_fit_small_screens_in_every_mode(open_context, site_url, name, mode, size):
    page = open_page(open_context, site_url, name, size, mode)
    width = size["viewport"]["width"]
    for label in ("关怀模式", "高对比度"):
        box = page.get_by_role("button", name=label).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} in mode {mode!r} scrolls sideways by {overflow}px at {width}"


# Records, in order, the changes of <html>'s attributes and the moment <body> is inserted.
WATCH = """
window.gkSeen = [];
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === 'attributes' && r.target === document.documentElement)
      window.gkSeen.push(r.attributeName + '=' + r.target.getAttribute(r.attributeName));
    for (const n of r.addedNodes || []) if (n.nodeName === 'BODY') window.gkSeen.push('body');
  }
}).observe(document, {attributes: true, childList: true, subtree: true});
"""


def test_elder_mode_is_remembered_and_applied_before_the_first_paint(page, site_url):
    page.goto(site_url)
    care_on(page)
    page.add_init_script(WATCH)
    for url in (f"{site_url}category/zcwj/", item_url(site_url, "chunjie"), f"{site_url}ndbg/"):
        page.goto(url)
        seen = page.evaluate("window.gkSeen")
        assert "body" in seen, seen
        before = seen[: seen.index("body")]
        after = seen[seen.index("body") + 1 :]
        assert "data-gk-care=on" in before and "data-gk-contrast=on" in before, seen
        assert not [s for s in after if s.startswith(("data-gk-care", "data-gk-contrast"))], seen
        expect(page.get_by_role("button", name="关怀模式")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.get_by_role("button", name="高对比度")).to_have_attribute(
            "aria-pressed", "true"
        )
    page.get_by_role("button", name="关怀模式").click()
    page.goto(site_url)
    expect(page.locator("html")).not_to_have_attribute("data-gk-care", "on")
    assert page.evaluate("localStorage.getItem('gk-care')") is None


MOTION = """() => [...document.querySelectorAll('*')].flatMap(e => {
  const s = getComputedStyle(e);
  const moving = s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
    || s.transitionDelay.split(',').some(d => parseFloat(d) > 0) || s.animationName !== 'none';
  return moving ? [e.tagName + '.' + e.className] : [];
})"""


@pytest.mark.parametrize("way", ["elder mode", "reduced motion"])
def test_nothing_moves_in_elder_mode_or_when_the_system_asks_for_less_motion(
    open_context, site_url, way
):
    context = open_context(
        **PHONE, reduced_motion="reduce" if way == "reduced motion" else "no-preference"
    )
    page = context.new_page()
    a11y.load(page, "category", site_url)
    if way == "elder mode":
        assert page.evaluate(MOTION), "the page has transitions to switch off"
        care_on(page)
    assert page.evaluate(MOTION) == []
    page.get_by_role("button", name="打开导航").click()
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    assert page.evaluate("document.getAnimations().length") == 0
    assert page.evaluate(MOTION) == []


CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}


@pytest.mark.parametrize("mode", ["care", "contrast"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_high_contrast_meets_aaa_contrast(open_context, site_url, name, mode):
    page = open_page(open_context, site_url, name, DESKTOP, mode)
    found = Axe().run(page, options=CONTRAST).response["violations"]
    page.set_viewport_size(PHONE["viewport"])
    found += Axe().run(page, options=CONTRAST).response["violations"]
    page.get_by_role("button", name="打开导航").click()
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    found += Axe().run(page, options=CONTRAST).response["violations"]
    nodes = [(n["target"], n["any"][0]["message"][:90]) for v in found for n in v["nodes"]]
    assert nodes == [], nodes[:8]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("mode", ["care", "contrast"])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_accessibility_violation_in_either_mode(open_context, site_url, name, mode, size):
    page = open_page(open_context, site_url, name, size, mode)
    found = a11y.violations(page, mode)
    if size is PHONE:
        page.get_by_role("button", name="打开导航").click()
        expect(page.locator(".md-sidebar--primary")).to_be_visible()
        found += a11y.violations(page, f"{mode}，打开导航后")
    assert found == [], "\n".join(found)


def test_high_contrast_draws_firm_borders_and_a_dark_focus_ring(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    page.get_by_role("button", name="高对比度").click()
    cell = page.locator("table.gk-header td").first
    assert cell.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(51, 51, 51)"
    a11y.tab_until(page, lambda f: f["name"] == "大号字体")
    ring = "() => getComputedStyle(document.activeElement).outlineColor"
    assert page.evaluate(ring) == "rgb(0, 0, 0)"  # the usual orange ring is 2:1 on white
    a11y.tab_until(page, lambda f: f["id"] == "gk-q-header", key="Shift+Tab")
    assert page.evaluate(ring) == "rgb(255, 255, 255)"  # on the red band


STYLE = """e => { const s = getComputedStyle(e);
  return {border: s.borderTopStyle, borderWidth: parseFloat(s.borderTopWidth),
          outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
          background: s.backgroundColor, color: s.color}; }"""


@pytest.mark.parametrize("name", ["home", "item"])
def test_forced_colours_keep_the_buttons_their_pressed_state_and_the_focus_visible(
    open_context, site_url, screenshots, name
):
    page = open_page(open_context, site_url, name, DESKTOP, "care")
    page.emulate_media(forced_colors="active")
    contrast = page.get_by_role("button", name="高对比度")
    contrast.click()  # one pressed, one not
    care = page.get_by_role("button", name="关怀模式")
    pressed, unpressed = care.evaluate(STYLE), contrast.evaluate(STYLE)
    for style in (pressed, unpressed):
        assert style["border"] != "none" and style["borderWidth"] >= 2, style
    assert pressed["background"] != unpressed["background"], (pressed, unpressed)
    assert pressed["color"] != pressed["background"], pressed
    field = page.locator("#gk-q-header").evaluate(STYLE)  # the search box has no border else
    assert field["border"] != "none" and field["borderWidth"] >= 1, field
    if name == "item":
        cell = page.locator("table.gk-header td").first.evaluate(STYLE)
        assert cell["border"] != "none", cell
    page.locator("body").click(position={"x": 5, "y": 5})
    stop = a11y.tab_until(page, lambda f: f["name"] == "关怀模式")
    assert stop["outline"] and stop["visible"], stop
    focus = care.evaluate(STYLE)
    assert focus["outline"] != "none" and focus["outlineWidth"] >= 2, focus
    page.screenshot(path=str(screenshots / f"care-forced-colors-{name}-1280.png"))


def test_the_keyboard_reaches_and_switches_both_buttons(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    html = page.locator("html")
    a11y.tab_until(page, lambda f: f["tag"] == "BUTTON" and "关怀模式" in f["name"])
    page.keyboard.press("Space")
    expect(html).to_have_attribute("data-gk-care", "on")
    page.keyboard.press("Enter")
    expect(html).not_to_have_attribute("data-gk-care", "on")
    page.keyboard.press("Tab")
    assert "高对比度" in a11y.focused(page)["name"]
    page.keyboard.press("Enter")
    expect(html).to_have_attribute("data-gk-contrast", "on")
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Space")
    expect(html).not_to_have_attribute("data-gk-contrast", "on")


PARTS = ["table.gk-header td", ".md-sidebar--primary .md-nav__link", "footer .md-copyright"]


def test_large_font_enlarges_the_whole_page_not_only_the_body(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    medium = [page.locator(p).first.evaluate(SIZE) for p in PARTS + [".gk-body"]]
    page.get_by_role("button", name="大号字体").click()
    large = [page.locator(p).first.evaluate(SIZE) for p in PARTS + [".gk-body"]]
    assert all(big >= small * 1.15 for big, small in zip(large, medium, strict=True)), (
        medium,
        large,
    )
    page.goto(f"{site_url}category/zcwj/")  # remembered on pages without the control too
    assert page.locator(PARTS[1]).first.evaluate(SIZE) == large[1]


def test_printing_in_elder_mode_looks_as_printing_always_does(page, site_url):
    page.goto(item_url(site_url, "yusuan2026"))
    page.emulate_media(media="print")
    plain = [page.locator(p).first.evaluate(SIZE) for p in ("html", ".gk-body", "h1")]
    ink = page.locator(".gk-body").evaluate("e => getComputedStyle(e).color")
    page.emulate_media(media="screen")
    care_on(page)
    page.get_by_role("button", name="大号字体").click()
    page.emulate_media(media="print")
    assert [page.locator(p).first.evaluate(SIZE) for p in ("html", ".gk-body", "h1")] == plain
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("table.gk-header")).to_be_visible()
    assert page.locator(".gk-body").evaluate("e => getComputedStyle(e).color") == ink


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("name", ["home", "item"])
def test_elder_mode_screenshots(open_context, site_url, screenshots, name, size):
    page = open_page(open_context, site_url, name, size, "care")
    width = size["viewport"]["width"]
    page.screenshot(path=str(screenshots / f"care-{name}-{width}.png"), full_page=True)
    page.get_by_role("button", name="高对比度").click()
    page.get_by_role("button", name="关怀模式").click()
    page.get_by_role("button", name="高对比度").click()
    expect(page.locator("html")).to_have_attribute("data-gk-contrast", "on")
    page.screenshot(path=str(screenshots / f"contrast-{name}-{width}.png"))
