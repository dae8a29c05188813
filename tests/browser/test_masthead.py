"""The masthead a citizen sees on every page: the bureau's emblem (catalog.yml `site.emblem`) and
name on the red band, whole and readable at 1280 and at 375 px, with nothing scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from generator.core.project import load_project

from .conftest import ROOT
from .test_pages import PAGES

CATALOG = load_project(ROOT).catalog


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", ["home", "category", "item"])
def test_the_header_shows_the_emblem_and_the_bureau_name(
    browser, site_url, screenshots, name, width
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(PAGES[name](site_url))
    emblem = page.locator("header .gk-brand__emblem")
    expect(emblem).to_be_visible()
    expect(emblem).to_have_attribute("alt", CATALOG.org_name)
    page.wait_for_function("document.querySelector('header .gk-brand__emblem').complete")
    assert emblem.evaluate("img => img.naturalWidth") > 0, "the emblem image did not load"
    title = page.locator("header .gk-brand__main")
    expect(title).to_have_text(CATALOG.org_name)
    box = title.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    # shown whole (it may wrap), never cut off with an ellipsis, at a readable size
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    search = page.locator("header .gk-searchbox").bounding_box()
    assert search and search["x"] + search["width"] <= width, search
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
    page.screenshot(path=str(screenshots / f"header-{name}-{width}.png"))
    context.close()
