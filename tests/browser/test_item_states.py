"""An item no longer in force says so above its title, with the date labelled as its state; a
Markdown attachment reads as a page; print keeps 附件 and 相关信息; the application form prints
on one A4 page with room to write (issue #20)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from .test_pages import ITEMS, item_url


def header_rows(page: Page) -> dict[str, str]:
    """The metadata table as label -> text."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('table.gk-header tr')]
            .map(r => [r.querySelector('th').innerText.trim(), r.querySelector('td').innerText.trim()]))"""
    )


def notice_comes_before_title(page: Page) -> bool:
    """The notice precedes the h1 in the document and sits above it on the screen."""
    return page.evaluate(
        """() => {
            const notice = document.querySelector('.gk-notice[role=note]');
            const title = document.querySelector('h1');
            const before = notice.compareDocumentPosition(title) & Node.DOCUMENT_POSITION_FOLLOWING;
            return Boolean(before)
                && notice.getBoundingClientRect().bottom <= title.getBoundingClientRect().top;
        }"""
    )


def test_expired_item_has_a_notice_above_its_title_and_a_lapse_date(page, site_url):
    page.goto(item_url(site_url, "jingqu2024"))
    notice = page.get_by_role("note")
    expect(notice).to_have_text("本文件已于 2026年5月14日 失效。")
    assert notice_comes_before_title(page)
    rows = header_rows(page)
    assert rows["失效日期"] == "2026-05-14"
    assert "有效期至" not in rows and "废止日期" not in rows
    assert rows["有效性"] == "已失效"


def test_interpretation_of_a_repealed_document_says_so_above_its_title(page, site_url):
    page.goto(item_url(site_url, "jd-lvxingshe2024"))
    repealed, repealing = ITEMS["lvxingshe2024"], ITEMS["lvxingshe2026"]
    notice = page.get_by_role("note")
    expect(notice).to_contain_text(f"所解读的文件《{repealed.title}》已于 2026年4月1日 废止。")
    expect(notice.get_by_role("link", name=f"《{repealed.title}》")).to_have_attribute(
        "href", f"../{repealed.index_no.split('/')[1]}/"
    )
    expect(notice.get_by_role("link", name=repealing.title)).to_be_visible()
    assert notice_comes_before_title(page)
    # the interpretation itself is not repealed: its own validity is not claimed
    assert "废止日期" not in header_rows(page)


def test_repealed_item_names_its_repeal_date_and_the_repealing_document(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2024"))
    repealing = ITEMS["lvxingshe2026"]
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("本文件已于 2026年4月1日 废止。")
    expect(notice.get_by_role("link", name=repealing.title)).to_have_attribute(
        "href", f"../{repealing.index_no.split('/')[1]}/"
    )
    assert notice_comes_before_title(page)
    rows = header_rows(page)
    assert rows["废止日期"] == str(repealing.takes_effect) == "2026-04-01"
    assert rows["废止文件"] == repealing.title
    assert "失效日期" not in rows
    link = page.locator("table.gk-header tr", has_text="废止文件").get_by_role("link")
    link.click()
    expect(page.locator("h1.gk-title")).to_have_text(repealing.title)


def test_amended_item_has_a_notice_naming_the_amendment(page, site_url):
    page.goto(item_url(site_url, "mianfei2025"))
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("本文件已被修改")
    expect(notice.get_by_role("link", name=ITEMS["mianfei2026"].title)).to_be_visible()
    assert notice_comes_before_title(page)


def test_item_in_force_has_no_state_notice(page, site_url):
    page.goto(item_url(site_url, "lvxingshe2026"))
    expect(page.locator(".gk-notice")).to_have_count(0)
    expect(page.locator("table.gk-header")).to_contain_text("有效")


def test_markdown_attachment_is_read_as_a_page_with_the_way_back(page, site_url):
    page.goto(item_url(site_url, "guihua"))
    row = page.locator(".gk-attachments tr", has_text="规划全文")
    expect(row).to_contain_text("网页")
    link = row.get_by_role("link")
    expect(link).not_to_have_attribute("download", "")
    link.click()
    expect(page.locator("h1")).to_have_text("示例市“十五五”文化和旅游发展规划（全文）")
    expect(page.locator(".gk-body h2").first).to_have_text("第一章 发展基础")
    expect(page.locator(".gk-body ol li")).to_have_count(4)  # Markdown, rendered
    assert "text/html" in page.evaluate("document.contentType")
    back = page.locator(".gk-attachment-of").get_by_role("link")
    expect(back).to_have_text(ITEMS["guihua"].title)
    back.click()
    expect(page.locator("h1.gk-title")).to_have_text(ITEMS["guihua"].title)


def test_print_keeps_attachments_and_related_information(page, site_url, screenshots):
    page.goto(item_url(site_url, "jd-lvxingshe2026"))
    page.emulate_media(media="print")
    interpreted = ITEMS["lvxingshe2026"].title
    related = page.locator(".gk-related")
    expect(related).to_be_visible()
    expect(related.get_by_role("heading", name="解读的文件")).to_be_visible()
    expect(related).to_contain_text(interpreted)
    attachments = page.locator(".gk-attachments")
    expect(attachments).to_be_visible()
    expect(attachments).to_contain_text("一图读懂（图片）")
    for hidden in (".md-header", ".md-sidebar--primary", ".gk-tools", ".md-footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    text = pdf_text(page.pdf())
    for words in ("附件", "一图读懂", "相关信息", "解读的文件", "旅行社服务质量评价办法"):
        assert words in text
    page.screenshot(path=str(screenshots / "interpretation-print-1280.png"), full_page=True)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text without spaces; NFKC maps the Kangxi radicals Chromium's text layer uses
    for some ideographs (⽂ for 文) back."""
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", "".join(text.split()))


def form_layout(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const table = document.querySelector('table.gk-form');
            const cells = [...table.querySelectorAll('td')].map(td => td.getBoundingClientRect());
            return {
                table: table.getBoundingClientRect().width,
                fill: Math.min(...cells.map(c => c.width)),
                lowest: Math.min(...cells.map(c => c.height)),
                cm: (() => { const d = document.createElement('div'); d.style.height = '1cm';
                             document.body.append(d); const h = d.getBoundingClientRect().height;
                             d.remove(); return h; })(),
            };
        }"""
    )


def test_application_form_prints_on_one_a4_page_with_room_to_write(page, site_url, screenshots):
    page.goto(f"{site_url}ysqgk/form/")
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1.5  # A4, pt
    text = unicodedata.normalize("NFKC", "".join(pdf.pages[0].extract_text().split()))
    for words in ("申请人签名或者盖章", "申请时间", "递交本表", "受理机构"):
        assert words in text
    # the page as A4 lays it out: 21 cm less 1.5 cm margins either side, 96 px to the inch
    page.set_viewport_size({"width": round((21 - 3) / 2.54 * 96), "height": 1000})
    layout = form_layout(page)
    assert layout["fill"] >= 0.6 * layout["table"], layout
    assert layout["lowest"] >= layout["cm"] - 0.5, layout
    page.screenshot(path=str(screenshots / "form-print-a4.png"), full_page=True)


@pytest.mark.parametrize(
    "name, url",
    [
        ("expired", lambda u: item_url(u, "jingqu2024")),
        ("repealed", lambda u: item_url(u, "lvxingshe2024")),
        ("attachment-page", lambda u: f"{item_url(u, 'guihua')}attachments/guihua-2026-2030.md/"),
        ("form-print", lambda u: f"{u}ysqgk/form/"),
    ],
)
def test_state_screenshots_wide_and_narrow(browser, site_url, screenshots, name, url):
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        if name.endswith("print"):
            page.emulate_media(media="print")
        page.goto(url(site_url))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px scrolls sideways by {overflow}px"
        page.screenshot(path=str(screenshots / f"state-{name}-{width}.png"), full_page=True)
        context.close()
