"""Full-text search in Chromium on the built demo: Chinese words, lookups, filters, recall."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, expect

from bench.search_recall import measure
from generator.core.project import load_project
from generator.core.public_set import item_path, public_set
from generator.search.tokens import (
    CJK_RUN,
    TEXT_FILE,
    cjk_tokens,
    doc_no_token,
    fnv64,
    group_count,
    index_no_token,
    shard_count,
)

from .conftest import GROUPED, ROOT, TODAY
from .test_pages import ITEMS, serious_violations


def search(page: Page, site_url: str, query: str, **params: str) -> list[str]:
    extra = "".join(f"&{quote(k)}={quote(v)}" for k, v in params.items())
    page.goto(f"{site_url}search/?q={quote(query)}{extra}")
    page.wait_for_selector("html[data-gk-search-ready]")
    return page.locator(".gk-result__title").all_inner_texts()


def test_two_character_word_in_the_middle_of_a_sentence_and_inside_a_compound(page, site_url):
    titles = search(page, site_url, "预算")
    # 预算 sits inside 一般公共预算拨款 (budget) and inside 预算金额 (procurement plan)
    assert ITEMS["yusuan2026"].title in titles
    assert ITEMS["caigou-yixiang"].title in titles
    expect(page.locator(".gk-result mark").first).to_have_text("预算")
    assert ITEMS["huimin2026"].title not in titles


def test_phrase_finds_the_item_that_holds_it(page, site_url):
    titles = search(page, site_url, "索道因强风触发安全保护")
    assert titles[0] == ITEMS["huiying-zhiliu"].title
    expect(page.locator(".gk-result__excerpt mark").first).to_be_visible()


def test_result_shows_index_number_and_date(page, site_url):
    search(page, site_url, "汛期文物安全")
    first = page.locator(".gk-result").first
    expect(first).to_contain_text(ITEMS["xunqi"].index_no)
    expect(first).to_contain_text("2026-06-05")


def test_filter_narrows_the_results(page, site_url):
    everything = search(page, site_url, "旅行社")
    narrowed = search(page, site_url, "旅行社", 类型="政策解读")
    assert 0 < len(narrowed) < len(everything)
    assert all(t.startswith(("《", "图解")) for t in narrowed)
    expect(page.locator("select[name=类型]")).to_have_value("政策解读")


def test_filter_chosen_in_the_page_reruns_the_search(page, site_url):
    search(page, site_url, "旅行社")
    runs = page.evaluate("document.documentElement.dataset.gkSearchRuns")
    page.locator("select[name=年份]").select_option("2024")
    # a function, not an expression: Playwright evaluates expressions with eval, which the
    # pages' Content-Security-Policy forbids
    page.wait_for_function(
        "(runs) => document.documentElement.dataset.gkSearchRuns !== runs", arg=runs
    )
    dates = [m.split("发布日期：")[-1] for m in page.locator(".gk-result__meta").all_inner_texts()]
    assert dates and all(d.startswith("2024") for d in dates)


@pytest.mark.parametrize("query", ["管理", "旅行社", "文化"])
def test_sort_by_date(page, site_url, query):
    # the test site's items are in several token groups and index shards (newest first)
    search(page, site_url, query, sort="date")
    dates = [
        m.split("发布日期：")[-1].strip()
        for m in page.locator(".gk-result__meta").all_inner_texts()
    ]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_sort_by_date_with_a_filter_and_no_query(page, site_url):
    """Every 文件, newest first: the list spans every index shard, whose ranks under a sort
    compare only within the shard."""
    search(page, site_url, "", 类型="文件", sort="date")
    count = int(page.locator("#gk-status").inner_text().split("共 ")[1].split(" 条")[0])
    shown = page.locator(".gk-result")
    while page.locator("#gk-more").is_visible():
        before = shown.count()
        page.locator("#gk-more").click()
        expect(shown).not_to_have_count(before)
    expect(shown).to_have_count(count)
    dates = [
        m.split("发布日期：")[-1].split("有效性")[0].strip()
        for m in page.locator(".gk-result__meta").all_inner_texts()
    ]
    assert count > 20 and dates == sorted(dates, reverse=True)
    # every 文件 is listed: the filter's own count, rendered with the site
    option = page.locator("select[name=类型] option[value=文件]").inner_text()
    assert option == f"文件（{count}）"


@pytest.mark.parametrize(
    "query", ["000099031/2026-00010", "000099031/2026-00010 ", "０００099031/2026-00010"]
)
def test_index_number_finds_its_item_first(page, site_url, query):
    titles = search(page, site_url, query)
    assert titles[0] == ITEMS["lvxingshe2026"].title


@pytest.mark.parametrize(
    "query", ["示文旅规〔2026〕1号", "示文旅规[2026]1号", "示文旅规（2026）1号"]
)
def test_doc_number_finds_its_item_first(page, site_url, query):
    titles = search(page, site_url, query)
    assert titles[0] == ITEMS["lvxingshe2026"].title


def test_no_results_message(page, site_url):
    assert search(page, site_url, "不存在的词语组合") == []
    expect(page.locator("#gk-status")).to_contain_text("没有找到与“不存在的词语组合”相关的信息")


def test_header_search_box_leads_to_results(page, site_url):
    page.goto(site_url)
    page.get_by_role("searchbox", name="全文检索").fill("非遗")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[data-gk-search-ready]")
    assert page.locator(".gk-result").count() >= 2


@pytest.mark.parametrize("key", ["neibu-fangan", "buyu", "feiyi-gouwujie", "huimin-tiaozheng"])
def test_unpublished_and_withdrawn_items_are_not_found(page, site_url, key):
    item = ITEMS[key]
    assert item.title not in search(page, site_url, item.title)
    assert search(page, site_url, item.index_no) == [] or item.title not in search(
        page, site_url, item.index_no
    )


def test_only_published_items_are_indexed(page, site_url):
    page.goto(site_url + "search/")
    page.wait_for_selector("html[data-gk-search-ready]")
    counts = page.evaluate("async () => (await window.gkSearch.pagefind()).filters()")
    indexed = sum(counts["年份"].values())
    assert indexed == len(public_set(load_project(ROOT), TODAY).listed)


def test_filter_counts_in_the_page_match_the_index(page, site_url):
    """The options are rendered with the site; Pagefind's own counts must say the same."""
    page.goto(site_url + "search/")
    page.wait_for_selector("html[data-gk-search-ready]")
    counts = page.evaluate("async () => (await window.gkSearch.pagefind()).filters()")
    for name in ["主题分类", "年份", "发布机构", "类型", "有效性"]:
        options = page.locator(f"select[name={name}] option").all_inner_texts()[1:]
        if name == "发布机构":  # one value, every item's: hidden (test_search_history.py)
            assert options == [] and list(counts[name].values()) == [sum(counts["年份"].values())]
            continue
        assert options, name
        assert sorted(options) == sorted(f"{v}（{n}）" for v, n in counts[name].items())
    years = page.locator("select[name=年份] option").evaluate_all("os => os.map(o => o.value)")
    assert years[1:] == sorted(years[1:], reverse=True)


def test_the_test_site_uses_grouped_tokens_and_shards(page, site_url):
    listed = len(public_set(load_project(ROOT), TODAY).listed)
    groups = group_count(listed, GROUPED["search_group_pages"])
    shards = shard_count(groups, *GROUPED.values())
    assert groups >= 3 and shards == 2
    page.goto(site_url + "search/")
    assert page.locator("#gk-search").get_attribute("data-gk-groups") == str(groups)
    assert page.locator("#gk-search").get_attribute("data-gk-shards") == str(shards)
    # every shard is its own Pagefind bundle, and together they hold every listed item
    counts = page.evaluate("async () => (await window.gkSearch.pagefind()).filters()")
    assert sum(counts["年份"].values()) == listed
    assert page.request.get(site_url + "pagefind-1/pagefind-entry.json").ok


def test_search_page_has_no_serious_accessibility_violation(page, site_url):
    search(page, site_url, "预算")
    assert serious_violations(page) == []


SAMPLES = ["财政预算管理", "示例市A级旅游景区", "〔2026〕12号", "单", "𠀀𠀁中文", "ＡＢＣ全角"]
SAMPLES += [
    "市局。局长",
    "文化局，旅游局",
]  # a last character that starts a bigram, and one that does not


def test_one_character_finds_every_page_holding_it_even_only_at_the_end_of_a_run(page, site_url):
    listed = public_set(load_project(ROOT), TODAY).listed
    texts = {}
    for item in listed:
        with urlopen(f"{site_url}{item_path(item.index_no or '')}{TEXT_FILE}") as response:
            texts[item.title] = unicodedata.normalize("NFKC", response.read().decode("utf-8"))

    def only_at_run_ends(text: str, ch: str) -> bool:
        runs = CJK_RUN.findall(text)
        return any(r.endswith(ch) for r in runs) and not any(ch in r[:-1] for r in runs)

    # characters that some page holds only at the end of a run (before punctuation), where the
    # page has a token of that character alone, and that few pages hold (one page of results)
    rare = {}
    for text in texts.values():
        for ch in {run[-1] for run in CJK_RUN.findall(text)}:
            if only_at_run_ends(text, ch):
                holding = {t for t, other in texts.items() if ch in other}
                if 1 < len(holding) <= 5:
                    rare[ch] = holding
    assert len(rare) >= 3
    for ch in sorted(rare)[:3]:
        assert set(search(page, site_url, ch)) == rare[ch], ch


def test_a_word_on_no_page_finds_nothing_even_where_its_start_is_indexed(page, site_url):
    """Pagefind answers a word that no indexed word starts with by the longest indexed word
    that starts it. Without an end of their own on the tokens, 局龘 (on no page) listed every
    page holding 局 at the end of a run (its token of 局 alone), and 9A级 every page of A级."""
    texts = [
        unicodedata.normalize(
            "NFKC", urlopen(f"{site_url}{item_path(i.index_no or '')}{TEXT_FILE}").read().decode()
        )
        for i in public_set(load_project(ROOT), TODAY).listed
    ]
    ends = {run[-1] for text in texts for run in CJK_RUN.findall(text)}
    assert "局" in ends and not any("龘" in text for text in texts)
    assert any("A级" in text for text in texts) and not any("9A级" in text for text in texts)
    assert search(page, site_url, "A级")  # the start is found, as a word of its own
    for query in ("局龘", "9A级", "A级龘"):
        assert search(page, site_url, query) == [], query
        expect(page.locator("#gk-status")).to_contain_text("没有找到")


_SAME_NAME = """async (root) => {
  const g = await import(root + "assets/gongkai-search.js");
  // Pagefind's results as its search() gives them. Pages of two groups (so of two index shards)
  // have the same name, as two of the 10,000 synthetic pages had: Pagefind names a page by a
  // 7-digit hash, unique within one shard only (a real pair needs some 16,000 pages).
  // und_same holds 预算 in both groups; und_twin holds 预算 in group 0 and 公开 in group 1.
  const result = (id) => ({ id, score: 1, words: [0], data: async () => ({}) });
  const all = ["und_same", "und_a", "und_twin", "und_same", "und_twin"];
  const pf = { search: async (term) => {
    if (term === null) return { results: all.map(result) };
    const group = (term.match(/^(?:g[0-9a-f]{5}z|gkgroup)([01])/) || [])[1];
    const pages = {
      "0": { g09884: all.slice(0, 3), gkgrou: all.slice(0, 3) },
      "1": { g09884: ["und_same"], g0516c: ["und_twin"], gkgrou: all.slice(3) },
    }[group] || {};
    return { results: (pages[term.slice(0, 6)] || []).map(result) };
  } };
  const count = async (q, options) => (await g.find(pf, q, { groups: 2, ...options })).length;
  return [await count("预算"), await count("预算公开"), await count("", { filters: { x: ["y"] } }),
          await count("", { filters: { x: ["y"] }, sort: "date" })];
}"""


def test_pages_of_two_shards_with_the_same_pagefind_name_are_both_listed_and_never_merged(
    page, site_url
):
    page.goto(f"{site_url}search/")
    counts = page.evaluate(_SAME_NAME, site_url)
    # 预算: the four pages holding it; 预算公开: none (no one page holds both words); a list by
    # filters, unsorted and by date: all five pages
    assert counts == [4, 0, 5, 5]


def test_javascript_and_python_tokenizers_agree(page, site_url):
    page.goto(site_url)
    js = page.evaluate(
        """async (samples) => { const g = await import('./assets/gongkai-search.js');
        return samples.map((s) => [g.indexTokens(s), g.fnv64(g.normalizeDocNo(s))]); }""",
        SAMPLES,
    )
    from generator.search.tokens import normalize_doc_no

    # the same tokens (their order carries no meaning) and the same 文号 hashes
    assert [[sorted(t), h] for t, h in js] == [
        [sorted(cjk_tokens(s)), fnv64(normalize_doc_no(s))] for s in SAMPLES
    ]
    lookups = page.evaluate(
        "async (qs) => { const g = await import('./assets/gongkai-search.js'); return qs.map(g.lookupToken); }",
        ["000099031/2026-00010", "示文旅发〔2026〕12号"],
    )
    assert lookups == [index_no_token("000099031/2026-00010"), doc_no_token("示文旅发〔2026〕12号")]


@pytest.mark.parametrize("options", [{}, GROUPED], ids=["one-group", "grouped-and-sharded"])
def test_recall_over_the_demo_vocabulary_is_at_least_99_9_percent(
    browser, tmp_path_factory, options
):
    from generator.core.project import load_project
    from generator.core.public_set import public_set
    from generator.site.build import build_site_dir

    project = load_project(ROOT)
    listed = public_set(project, TODAY).listed
    site_dir = tmp_path_factory.mktemp("recall") / "site"
    build_site_dir(project, site_dir, TODAY, progress=False, options=options)
    from bench.search_recall import serve

    url, server = serve(site_dir)
    try:
        result = measure(browser.new_page(), url, site_dir, listed)
    finally:
        server.shutdown()
    assert result.words > 500
    assert result.recall >= 0.999, result.misses[:20]
    # every item listed holds each piece of the query (before tokens had an end, 局龘 listed
    # the items with 局 alone at the end of a run, test_a_word_on_no_page_finds_nothing...)
    assert result.wrong == []


def test_search_page_of_a_bureau_with_nothing_published_says_so(page, tmp_path):
    from test_site_build import synthetic

    from bench.search_recall import serve
    from generator.site.build import build_site_dir

    from helpers import Bureau

    bureau = Bureau(tmp_path / "b")
    synthetic(bureau, 0)
    build_site_dir(load_project(bureau.root), tmp_path / "site", TODAY, progress=False)
    url, server = serve(tmp_path / "site")
    try:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}search/?q=预算")
        page.wait_for_selector("html[data-gk-search-ready]")
        expect(page.locator("#gk-status")).to_have_text("本站还没有发布可供检索的信息。")
        assert errors == []  # no attempt to load an index that does not exist
    finally:
        server.shutdown()
