"""Search for queries that mix Chinese, Latin letters and digits (A级, 5A, PM2.5, 第3号, full-width
Ａ级), and searches that overlap (Enter twice, a double click on 加载更多结果, a filter arrowed
through): in a real Chromium, on the demo and on a small bureau built here."""

from __future__ import annotations

import re
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page

from bench.search_recall import serve
from generator.core.project import load_project
from generator.core.public_set import item_path, public_set
from generator.search.tokens import TEXT_FILE, cjk_tokens, search_text
from generator.site.build import build_site_dir

from .conftest import ROOT, TODAY

MIXED = [
    "示例市4A级旅游景区管理办法",
    "PM2.5浓度，5G基站，第3号公告，第13号令",
    "２０２６年ＡＢＣ全角 Ａ级",
    "旅行社 A级，级5A，a级b，COVID-19防控",
    "x" * 40 + "年",
]

_JS = """async ([root, texts, queries]) => {
  const g = await import(root + 'assets/gongkai-search.js');
  return [texts.map(g.indexTokens), queries.map(g.queryTokens)];
}"""


def substrings(text: str) -> list[str]:
    """Every 1–6 character piece of `text` (as tokens see it) that the search promises to find:
    one that starts inside a run of digits and Latin letters only if a Chinese character ends
    that run within the piece (A级 of 4A级 yes, M2 of PM2.5 no: runs are indexed from their
    start, and from their end where Chinese follows)."""
    text = search_text(text)
    alnum = re.compile("[0-9a-z]")
    word = re.compile("[0-9a-z\u3400-\u9fff]")
    pieces = set()
    for i in range(len(text)):
        for j in range(i + 1, min(i + 7, len(text) + 1)):
            piece = text[i:j]
            if not (word.match(piece[0]) and word.match(piece[-1])):
                continue  # a query starts and ends with a word character
            if i > 0 and alnum.match(text[i - 1]) and alnum.match(text[i]):
                run = re.match("[0-9a-z]+", piece)[0]
                if len(run) == len(piece) or not re.match("[\u3400-\u9fff]", piece[len(run)]):
                    continue
            pieces.add(piece)
    return sorted(pieces)


def test_index_tokens_are_the_same_in_python_and_javascript_for_mixed_text(page, site_url):
    page.goto(site_url)
    js, _ = page.evaluate(_JS, ["./", MIXED, []])
    assert [sorted(t) for t in js] == [sorted(cjk_tokens(s)) for s in MIXED]


def test_every_query_word_of_a_piece_of_text_starts_one_of_the_texts_tokens(page, site_url):
    """What the browser searches for a piece of a text is all in that text's index (as a
    prefix, which is how Pagefind matches), for every piece of mixed text."""
    page.goto(site_url)
    pieces = {text: substrings(text) for text in MIXED}
    queries = [p for ps in pieces.values() for p in ps]
    _, words = page.evaluate(_JS, ["./", [], queries])
    answers = dict(zip(queries, words, strict=True))
    missing = []
    for text, ps in pieces.items():
        tokens = cjk_tokens(text)
        for piece in ps:
            assert answers[piece], piece
            for word in answers[piece].split(" "):
                if not any(t.startswith(word) for t in tokens):
                    missing.append((piece, word))
    assert len(queries) > 200
    assert missing == []


def test_a_latin_piece_cut_from_inside_a_run_is_not_promised():
    # the limit the test above states, so that it cannot silently promise nothing
    assert "a级" in substrings("4A级") and "m2" not in substrings("PM2.5")
    assert "pm2" in substrings("PM2.5") and "3号" in substrings("第13号")


def every_result(page: Page, site_url: str, query: str) -> set[str]:
    """The addresses of all results of the search page (not only the first page shown)."""
    page.goto(f"{site_url}search/?q={quote(query)}")
    page.wait_for_selector("html[data-gk-search-ready]")
    urls = page.evaluate(
        "async () => Promise.all(window.gkSearch.results.map(async (r) => (await r.data()).url))"
    )
    return {re.sub("^.*?/item/", "item/", u) for u in urls}


def holding(texts: dict[str, str], query: str) -> set[str]:
    """Pages whose text holds every space-separated part of `query` (NFKC, any case)."""
    parts = search_text(query).split()
    return {url for url, text in texts.items() if all(p in text for p in parts)}


def demo_texts(site_url: str) -> dict[str, str]:
    texts = {}
    for item in public_set(load_project(ROOT), TODAY).listed:
        path = item_path(item.index_no or "")
        with urlopen(f"{site_url}{path}{TEXT_FILE}") as response:
            texts[path] = search_text(response.read().decode("utf-8"))
    return texts


DEMO_QUERIES = [
    "示例市A级旅游景区管理办法",
    "A级",
    "A级旅游景区",
    "5A",
    "旅行社 A级",
    "2026年",
    "Ａ级",
    "４Ａ级",
    "a级旅游",
]


@pytest.fixture(scope="module")
def texts(site_url) -> dict[str, str]:
    return demo_texts(site_url)


@pytest.mark.parametrize("query", DEMO_QUERIES)
def test_mixed_query_finds_every_demo_item_holding_it(page, site_url, texts, query):
    expected = holding(texts, query)
    assert expected, f"the demo has no item holding {query}"
    assert expected <= every_result(page, site_url, query)


def test_exact_mixed_title_comes_first(page, site_url):
    page.goto(f"{site_url}search/?q={quote('示例市A级旅游景区管理办法')}")
    page.wait_for_selector("html[data-gk-search-ready]")
    first = page.locator(".gk-result__title").first.inner_text()
    assert "示例市A级旅游景区管理办法" in first


BODIES = {
    "00001": "今年PM2.5年均浓度下降。",
    "00002": "全市新建5G基站一百个。",
    "00003": "依据市政府第3号令，第13号公告同时废止。",
    "00004": "新评定4A级旅游景区两家，COVID-19防控常态化。",
    "00005": "全角ＡＢＣ字样，２０２６年度报告。",
    "00006": "正文内容，不含字母与数字。",
}
SMALL_QUERIES = ["PM2.5", "pm2", "5G", "5g基站", "第3号", "3号", "13号", "A级", "4A", "Ａ级", "ABC"]
SMALL_QUERIES += ["2026年", "covid-19", "19防控", "基站", "数字"]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """Six items with mixed text, in three token groups and two index shards."""
    from test_site_build import synthetic

    from helpers import Bureau

    tmp = tmp_path_factory.mktemp("mixed")
    bureau = Bureau(tmp / "b")
    synthetic(bureau, len(BODIES))
    for name, body in BODIES.items():
        path = bureau.root / f"content/tzgg/{name}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("正文内容。" * 40, body), encoding="utf-8")
    options = {"search_group_pages": 2, "search_shard_pages": 4}
    build_site_dir(load_project(bureau.root), tmp / "site", TODAY, progress=False, options=options)
    url, server = serve(tmp / "site")
    texts = {}
    for item in public_set(load_project(bureau.root), TODAY).listed:
        path = item_path(item.index_no or "")
        texts[path] = search_text((tmp / "site" / path / TEXT_FILE).read_text(encoding="utf-8"))
    yield url, texts
    server.shutdown()


@pytest.mark.parametrize("query", SMALL_QUERIES)
def test_mixed_query_finds_exactly_the_items_holding_it(page, small_site, query):
    url, texts = small_site
    page.goto(url + "search/")
    assert page.locator("#gk-search").get_attribute("data-gk-groups") == "3"
    expected = holding(texts, query)
    assert expected, query
    assert every_result(page, url, query) == expected


def settled(page: Page) -> None:
    """Wait until no search is running and nothing more arrives."""
    page.wait_for_function(
        "() => !document.getElementById('gk-status').textContent.includes('正在检索')"
    )
    page.wait_for_timeout(1500)


def shown(page: Page) -> tuple[list[str], int]:
    """The result addresses listed, and the count the status line gives."""
    hrefs = page.locator(".gk-result__title").evaluate_all("as => as.map(a => a.href)")
    status = page.locator("#gk-status").inner_text()
    count = re.search(r"共(?:找到)?\s*(\d+)\s*条", status)
    return hrefs, int(count[1]) if count else 0


def test_enter_pressed_twice_lists_each_result_once(page, site_url):
    page.goto(site_url + "search/")
    page.wait_for_selector("html[data-gk-search-ready]")
    box = page.locator("#gk-search input[name=q]")
    box.fill("旅行社")
    box.press("Enter")
    box.press("Enter")
    box.press("Enter")
    settled(page)
    hrefs, count = shown(page)
    assert count > 0 and len(hrefs) == min(count, 10)
    assert len(set(hrefs)) == len(hrefs)


def test_double_click_on_more_results_adds_one_page_and_no_duplicates(page, site_url):
    page.goto(f"{site_url}search/?q={quote('管理')}")
    page.wait_for_selector("html[data-gk-search-ready]")
    _, count = shown(page)
    assert count > 20
    page.locator("#gk-more").dblclick()
    settled(page)
    hrefs, _ = shown(page)
    assert len(hrefs) == 20 and len(set(hrefs)) == 20
    while page.locator("#gk-more").is_visible():
        page.locator("#gk-more").click()
        page.wait_for_timeout(300)
    hrefs, _ = shown(page)
    assert len(hrefs) == count and len(set(hrefs)) == count


def test_arrowing_through_a_filter_shows_only_the_last_choice(page, site_url):
    page.goto(f"{site_url}search/?q={quote('公开')}")
    page.wait_for_selector("html[data-gk-search-ready]")
    select = page.locator("select[name=年份]")
    select.focus()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    settled(page)
    hrefs, count = shown(page)
    year = select.input_value()
    assert year, "the arrows chose no year"
    assert count > 0 and len(hrefs) == min(count, 10) and len(set(hrefs)) == len(hrefs)
    dates = [m.split("发布日期：")[-1] for m in page.locator(".gk-result__meta").all_inner_texts()]
    assert all(d.startswith(year) for d in dates)
    page.goto(f"{site_url}search/?q={quote('公开')}&{quote('年份')}={year}")
    page.wait_for_selector("html[data-gk-search-ready]")
    assert shown(page) == (hrefs, count)  # the same as that search made afresh
