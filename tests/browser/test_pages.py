"""What a reader sees in Chromium: pages, font size, print, accessibility, small screens."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from generator.core.project import load_project

from .conftest import ROOT

ITEMS = {i.path.stem.split("-", 2)[-1]: i for i in load_project(ROOT).items}


def item_url(site_url: str, key: str) -> str:
    return f"{site_url}item/{ITEMS[key].index_no}/"


PAGES = {
    "home": lambda u: u,
    "category": lambda u: f"{u}category/zcwj/",
    "item": lambda u: item_url(u, "lvxingshe2026"),
    "interpretation": lambda u: item_url(u, "jd-lvxingshe2026"),
    "expired": lambda u: item_url(u, "jingqu2024"),
    "withdrawn": lambda u: item_url(u, "huimin-tiaozheng"),
    "search": lambda u: f"{u}search/?q=旅行社",
    "annual": lambda u: f"{u}ndbg/2025/",
    "request-form": lambda u: f"{u}ysqgk/form/",
    "site-map": lambda u: f"{u}wzdt/",
}


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_home_page_shows_latest_items_and_catalog(page, site_url):
    page.goto(site_url)
    expect(page).to_have_title("示例市文化和旅游局政府信息公开")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    latest = page.locator("#gk-latest + table tbody tr")
    expect(latest).to_have_count(10)
    expect(latest.first).to_contain_text(ITEMS["feiyi-chuancheng"].title)
    expect(page.get_by_role("link", name="政府信息公开指南").first).to_be_visible()
    expect(page.locator(".gk-catalog")).to_contain_text("行政规范性文件")


def test_category_has_a_second_page(page, site_url):
    page.goto(f"{site_url}category/zcwj/")
    expect(page.locator("h1")).to_have_text("政策文件")
    expect(page.locator("table.gk-list tbody tr")).to_have_count(10)
    page.locator(".gk-pager").get_by_role("link", name="2").click()
    expect(page).to_have_url(f"{site_url}category/zcwj/2/")
    expect(page.locator(".gk-pager [aria-current=page]")).to_have_text("2")
    expect(page.locator("table.gk-list")).to_contain_text(ITEMS["jingqu2024"].title)


def test_item_shows_its_interpretation_and_the_interpretation_its_attachment(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    header = page.locator("table.gk-header")
    expect(header).to_contain_text("示文旅规〔2026〕1号")
    expect(header).to_contain_text("有效")
    page.locator(".gk-related").get_by_role("link", name=ITEMS["jd-lvxingshe2026"].title).click()
    expect(page.locator("h1.gk-title")).to_have_text(ITEMS["jd-lvxingshe2026"].title)
    expect(page.locator("table.gk-header")).to_contain_text("图解")
    image = page.locator(".gk-body img")
    expect(image).to_be_visible()
    assert page.evaluate("document.querySelector('.gk-body img').naturalWidth") > 0
    download = page.locator(".gk-attachments a[download]")
    expect(download).to_have_count(1)
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.ok and response.body().startswith(b"\x89PNG")


def test_expired_item_says_so(page, site_url):
    page.goto(item_url(site_url, "jingqu2024"))
    expect(page.locator(".gk-validity")).to_contain_text("已失效")
    expect(page.locator("table.gk-header")).to_contain_text("2026-05-14")


def test_withdrawn_item_explains_why(page, site_url):
    page.goto(item_url(site_url, "huimin-tiaozheng"))
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("2026-05-12 撤回")
    expect(notice).to_contain_text("检修提前完成")


def body_size(page: Page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.gk-body')).fontSize)"
    )


def test_font_size_control_is_remembered_across_pages(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    medium = body_size(page)
    page.get_by_role("button", name="大号字体").click()
    large = body_size(page)
    assert large > medium * 1.1
    expect(page.get_by_role("button", name="大号字体")).to_have_attribute("aria-pressed", "true")
    page.goto(item_url(site_url, "chunjie"))
    assert body_size(page) == large
    page.get_by_role("button", name="小号字体").focus()
    page.keyboard.press("Enter")  # the keyboard works as well as the mouse
    assert body_size(page) < medium


def test_print_shows_header_table_text_and_attachments_only(page, site_url):
    page.goto(item_url(site_url, "yusuan2026"))
    page.emulate_media(media="print")
    expect(page.locator("table.gk-header")).to_be_visible()
    expect(page.locator(".gk-body")).to_be_visible()
    expect(page.locator(".gk-attachments")).to_be_visible()  # 附件 stay on paper (issue #20)
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".gk-tools",
        ".md-footer",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["home", "category", "item", "withdrawn"])
def test_no_serious_accessibility_violation(page, site_url, name):
    page.goto(PAGES[name](site_url))
    assert serious_violations(page) == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_screenshots_wide_and_narrow(browser, site_url, screenshots, name):
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(PAGES[name](site_url))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
        page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
        context.close()


def test_request_form_prints_and_is_accessible(page, site_url):
    page.goto(f"{site_url}ysqgk/form/")
    expect(page.locator("table.gk-form")).to_contain_text("申请人签名或者盖章")
    assert serious_violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("table.gk-form")).to_be_visible()


def test_annual_report_is_accessible_and_its_chart_loads(page, site_url):
    page.goto(f"{site_url}ndbg/2025/")
    assert page.evaluate("document.querySelector('.gk-annual__chart img').naturalWidth") > 0
    assert serious_violations(page) == []
