"""The search page in Chromium: each search a history entry (Back, Forward), suggestions for a
query that finds nothing, filters that cannot narrow hidden, 有效性 in results and lists, and
results in force ranked above repealed ones."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse

from playwright.sync_api import Page, expect

from generator.core.project import load_project
from generator.core.public_set import public_set

from .conftest import ROOT, TODAY
from .test_a11y import PHONE, open_context  # noqa: F401 (a fixture)
from .test_pages import ITEMS, serious_violations
from .test_search import search

CURRENT = ITEMS["lvxingshe2026"].title  # 示例市旅行社服务质量评价办法（修订）, in force
REPEALED = ITEMS["lvxingshe2024"].title  # the rules it repealed
OLD_READING = ITEMS["jd-lvxingshe2024"].title  # the interpretation of the repealed rules


def runs(page: Page) -> str | None:
    return page.evaluate("document.documentElement.dataset.gkSearchRuns")


def wait_for_run(page: Page, before: str | None) -> None:
    # a function, not an expression: the pages' Content-Security-Policy forbids eval
    page.wait_for_function(
        "(runs) => document.documentElement.dataset.gkSearchRuns !== runs", arg=before
    )


def submit(page: Page, query: str) -> None:
    before = runs(page)
    page.locator("#gk-q").fill(query)
    page.locator("#gk-q").press("Enter")
    wait_for_run(page, before)


def query_of(page: Page) -> str:
    return parse_qs(urlparse(page.url).query).get("q", [""])[0]


def history_length(page: Page) -> int:
    return page.evaluate("() => history.length")


def titles(page: Page) -> list[str]:
    return page.locator(".gk-result__title").all_inner_texts()


def all_titles(page: Page) -> list[str]:
    """Every result's title, with 加载更多结果 clicked until none is left."""
    while page.locator("#gk-more").is_visible():
        shown = page.locator(".gk-result").count()
        page.locator("#gk-more").click()
        expect(page.locator(".gk-result")).not_to_have_count(shown)
    return titles(page)


def test_back_and_forward_return_to_the_previous_queries_and_their_results(page, site_url):
    first = search(page, site_url, "预算")
    submit(page, "旅行社")
    second = titles(page)
    before = runs(page)
    page.locator("select[name=类型]").select_option("政策解读")
    wait_for_run(page, before)
    narrowed = titles(page)
    assert first and second and narrowed and len({*map(tuple, (first, second, narrowed))}) == 3

    before = runs(page)
    page.go_back()
    wait_for_run(page, before)
    assert query_of(page) == "旅行社" and titles(page) == second
    expect(page.locator("select[name=类型]")).to_have_value("")
    before = runs(page)
    page.go_back()
    wait_for_run(page, before)
    assert query_of(page) == "预算" and titles(page) == first
    expect(page.locator("#gk-q")).to_have_value("预算")
    before = runs(page)
    page.go_forward()
    wait_for_run(page, before)
    assert query_of(page) == "旅行社" and titles(page) == second
    expect(page.locator("#gk-q")).to_have_value("旅行社")


def test_typing_loading_more_and_the_same_search_again_add_no_history_entry(page, site_url):
    search(page, site_url, "旅行社")
    start = history_length(page)
    page.locator("#gk-q").press_sequentially("管理办法")
    assert history_length(page) == start  # keystrokes are not searches
    submit(page, "管理")
    assert history_length(page) == start + 1
    submit(page, "管理")  # the same search again
    assert history_length(page) == start + 1
    more = page.locator("#gk-more")
    expect(more).to_be_visible()
    shown = page.locator(".gk-result").count()
    more.click()
    expect(page.locator(".gk-result")).not_to_have_count(shown)
    assert history_length(page) == start + 1


def suggestions(page: Page) -> list[str]:
    return page.locator("#gk-suggest a").all_inner_texts()


def test_a_typo_suggests_the_title_word_and_the_suggestion_runs_its_search(page, site_url):
    assert search(page, site_url, "旅行杜") == []  # 社 typed as 杜
    expect(page.locator("#gk-suggest")).to_contain_text("您是不是要找：")
    assert suggestions(page)[0] == "旅行社"
    before = runs(page)
    page.locator("#gk-suggest a", has_text="旅行社").first.click()
    wait_for_run(page, before)
    assert query_of(page) == "旅行社" and CURRENT in titles(page)
    expect(page.locator("#gk-q")).to_have_value("旅行社")
    expect(page.locator("#gk-suggest")).to_be_hidden()
    before = runs(page)
    page.go_back()
    wait_for_run(page, before)
    assert query_of(page) == "旅行杜"


def test_a_missing_or_extra_character_and_full_width_letters_are_suggested_for(page, site_url):
    # very few: 市文化旅游 is in one item's text (旅社, here before, is in none: it was listed
    # only because Pagefind answered it by the token of 旅 alone, see test_search.py)
    assert 1 <= len(search(page, site_url, "市文化旅游")) <= 2
    assert "市文化和旅游" in suggestions(page)
    assert search(page, site_url, "旅社") == []
    assert "旅行社" in suggestions(page)
    assert search(page, site_url, "旅行社社") == []
    assert "旅行社" in suggestions(page)
    assert search(page, site_url, "Ａ级旅游景去") == []  # full-width Ａ, 区 typed as 去
    assert suggestions(page)[0].lower().endswith("级旅游景区")


def test_every_suggestion_finds_something_with_the_filters_chosen(page, site_url):
    assert search(page, site_url, "旅行杜", 类型="政策解读") == []
    words = suggestions(page)
    assert words
    for link in page.locator("#gk-suggest a").all():
        assert "类型=政策解读" in unquote(link.get_attribute("href"))
    for word in words:
        assert search(page, site_url, word, 类型="政策解读"), word


def test_a_nonsense_query_says_so_kindly_without_suggestions(page, site_url):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    assert search(page, site_url, "齉龘靐") == []
    expect(page.locator("#gk-status")).to_contain_text("没有找到与“齉龘靐”相关的信息")
    expect(page.locator("#gk-suggest")).to_be_hidden()
    assert search(page, site_url, "qzxv！！") == []
    expect(page.locator("#gk-suggest")).to_be_hidden()
    assert errors == []


def test_the_words_file_is_loaded_only_when_a_query_finds_nothing_or_very_little(page, site_url):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    search(page, site_url, "旅行社")
    assert not any(u.endswith("/search/words.json") for u in fetched)
    search(page, site_url, "旅行杜")
    assert any(u.endswith("/search/words.json") for u in fetched)


def test_a_filter_with_one_value_that_every_item_holds_is_hidden(page, site_url):
    site = public_set(load_project(ROOT), TODAY)
    assert len({i.publisher for i in site.listed}) == 1  # the demo: one 发布机构
    page.goto(site_url + "search/")
    page.wait_for_selector("html[data-gk-search-ready]")
    expect(page.locator("select[name=发布机构]")).to_have_count(0)
    expect(page.get_by_text("发布机构", exact=False)).to_have_count(0)
    for name in ["主题分类", "年份", "类型", "有效性"]:
        assert page.locator(f"select[name={name}] option").count() > 2, name
    # an address that names the hidden filter still searches everything
    assert CURRENT in search(page, site_url, "旅行社", 发布机构="别的机关")


def test_results_in_force_come_before_repealed_ones_and_carry_their_validity(page, site_url):
    search(page, site_url, "旅行社")
    found = all_titles(page)
    assert CURRENT in found and REPEALED in found and OLD_READING in found
    # the repealed rules and the interpretation of them come after every other result
    assert found[-2:] == [OLD_READING, REPEALED] or found[-2:] == [REPEALED, OLD_READING]
    assert found.index(CURRENT) < found.index(OLD_READING)
    results = page.locator(".gk-result")
    named = lambda title: results.filter(has=page.get_by_role("link", name=title, exact=True))  # noqa: E731
    current = named(CURRENT).locator(".gk-result__validity")
    expect(current).to_have_text("有效性：有效")
    expect(current).not_to_have_class("gk-result__validity gk-result__validity--not-in-force")
    repealed = named(REPEALED)
    expect(repealed.locator(".gk-result__validity")).to_have_text("有效性：已废止")
    expect(repealed.locator(".gk-result__validity--not-in-force")).to_be_visible()
    reading = named(OLD_READING)
    expect(reading.locator(".gk-result__validity--not-in-force")).to_have_text("解读的文件已废止")
    red = repealed.locator(".gk-result__validity").evaluate("e => getComputedStyle(e).color")
    assert red == "rgb(166, 27, 27)"


def test_lists_show_validity_with_its_label_on_phones(open_context, site_url):  # noqa: F811
    for options, label in [({"viewport": {"width": 1280, "height": 900}}, ""), (PHONE, "有效性：")]:
        page = open_context(**options).new_page()
        page.goto(site_url + "category/gfxwj/")
        row = page.locator("tr", has=page.get_by_role("link", name=REPEALED, exact=True))
        cell = row.locator(".gk-list__validity")
        expect(cell).to_have_text("已废止")
        expect(cell).to_have_class("gk-list__validity gk-list__validity--not-in-force")
        before = cell.evaluate("e => getComputedStyle(e, '::before').content")
        assert (label in before) if label else before in ("none", "normal"), before
        if not label:
            expect(page.get_by_role("columnheader", name="有效性")).to_be_visible()
        assert serious_violations(page) == []


def test_a_list_without_validity_facts_has_no_validity_column(page, site_url):
    page.goto(site_url + "category/xzcf/")
    expect(page.locator(".gk-list")).to_be_visible()
    expect(page.get_by_role("columnheader", name="有效性")).to_have_count(0)


def test_search_with_suggestions_and_validity_has_no_serious_violation(page, site_url):
    search(page, site_url, "旅行杜")
    expect(page.locator("#gk-suggest a").first).to_be_visible()
    assert serious_violations(page) == []
    search(page, site_url, "旅行社")
    assert serious_violations(page) == []


def test_screenshots_of_a_suggestion_and_of_validity_marks(open_context, site_url, screenshots):  # noqa: F811
    for width, height in [(1280, 900), (375, 800)]:
        page = open_context(viewport={"width": width, "height": height}).new_page()
        search(page, site_url, "旅行杜")
        expect(page.locator("#gk-suggest a").first).to_be_visible()
        page.screenshot(path=str(screenshots / f"search-suggest-{width}.png"), full_page=True)
        search(page, site_url, "旅行社")
        all_titles(page)  # the repealed ones are last
        page.screenshot(path=str(screenshots / f"search-validity-{width}.png"), full_page=True)
        page.goto(site_url + "category/gfxwj/")
        page.screenshot(path=str(screenshots / f"list-validity-{width}.png"), full_page=True)
