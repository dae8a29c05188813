"""What the build hands Pagefind (tokens, grouped on large sites) and the readable texts for excerpts."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import pytest

from generator.search import worker as search_index
from generator.search.tokens import (
    GROUP_TOKEN,
    TEXT_FILE,
    SearchEntry,
    cjk_tokens,
    doc_no_token,
    group_count,
    group_label,
    groups_per_shard,
    index_no_token,
    shadow_page,
    shard_count,
    shard_dir,
    token_block,
    visible_text,
)
from generator.search.tokens import TOKEN_END as END
from generator.search.worker import (
    Runs,
    SearchIndexError,
    ShardedIndex,
    run_pagefind,
    serve_requests,
    write_shadow_pages,
)

TITLE = "关于财政预算的通知"
BODY = "<p>一般公共预算拨款 <strong>1,200</strong> 万元。</p>"  # as rendered from the Markdown
SEARCH = {"filters": [("年份", "2026"), ("发布机构", "示例局")], "meta": [("date", "2026-03-05")]}
SEARCH["date"] = "2026-03-05"


def test_group_count_rounds_up_and_is_at_least_one():
    assert group_count(0) == 1
    assert group_count(1000) == 1
    assert group_count(1001) == 2
    assert group_count(10_000, 1000) == 10
    assert group_count(45, 16) == 3


def test_group_labels_are_empty_for_one_group_and_fixed_width_otherwise():
    assert group_label(0, 1) == ""
    for groups, width in [(3, 1), (10, 1), (11, 2), (100, 2), (101, 3)]:
        labels = [group_label(g, groups) for g in range(groups)]
        assert {len(label) for label in labels} == {width}
        assert [int(label) for label in labels] == list(range(groups))


def test_shards_hold_whole_groups():
    assert groups_per_shard(1000, 3000) == 3
    assert groups_per_shard(1000, 500) == 1  # a shard is never smaller than a group
    assert shard_count(1) == 1
    assert shard_count(10, 1000, 3000) == 4
    assert shard_count(10) == 5  # 2,000 pages to a shard by default
    assert shard_count(100, 1000, 3000) == 34
    assert [shard_dir(s) for s in range(3)] == ["pagefind", "pagefind-1", "pagefind-2"]


def test_chinese_tokens_carry_the_group_after_their_first_character_but_lookups_do_not():
    block = token_block("财政预算", "财政预算管理", "000099031/2026-00010", "示财〔2026〕3号", "07")
    words = re.sub(r"<[^>]+>", " ", block).split()
    assert index_no_token("000099031/2026-00010") in words
    assert doc_no_token("示财〔2026〕3号") in words
    assert GROUP_TOKEN + "07" in words  # every page of the group: date order without words
    cjk = [w for w in words if w.startswith("g") and not w.startswith(GROUP_TOKEN)]
    assert cjk and all(w[6:9] == "z07" for w in cjk)  # after the first character
    assert "g09884z0707b97" + END in cjk  # 预算: 预 (09884), group 07, 算 (07b97)
    expected = set(cjk_tokens("财政预算") + cjk_tokens("财政预算管理"))
    assert {w[:6] + w[9:] for w in cjk} == expected


def test_one_group_means_plain_tokens():
    block = token_block("预算", "预算", None, None, "")
    assert (
        re.sub(r"<[^>]+>", " ", block).split()
        == cjk_tokens("预算")
        == ["g0988407b97" + END, "g07b97" + END]
    )


def test_a_last_character_has_a_token_of_its_own_only_if_it_starts_no_bigram():
    # 市局, 局长 and 长; 局 ends the first run but starts 局长, so a query 局 finds it already
    assert cjk_tokens("市局。局长") == ["g05e0205c40" + END, "g05c400957f" + END, "g0957f" + END]
    assert cjk_tokens("文化局，旅游局") == [
        "g0658705316" + END,  # 文化
        "g0531605c40" + END,  # 化局
        "g065c506e38" + END,  # 旅游
        "g06e3805c40" + END,  # 游局
        "g05c40" + END,  # 局, which starts no bigram here: found by a query of one character
    ]


def test_title_tokens_weigh_more_and_are_not_repeated_in_the_text():
    block = token_block("财政预算", "财政预算 预算管理", None, None, "")
    title, text = re.findall(r'<div data-pagefind-weight="(\d+)">([^<]*)</div>', block)
    assert title == ("10", " ".join(cjk_tokens("财政预算")))
    words = text[1].split()
    # 算管, 管理 and 理 (the run's last character); 预算 and 算 are the title's
    assert text[0] == "1" and words == ["g07b9707ba1" + END, "g07ba107406" + END, "g07406" + END]
    assert set(words) == set(cjk_tokens("财政预算 预算管理")) - set(cjk_tokens("财政预算"))


def test_shadow_page_indexes_only_tokens_and_returns_the_readable_text():
    page, text = shadow_page(SearchEntry(0, "2", TITLE, SEARCH, "000099031/2026-00010", None), BODY)
    assert text == "关于财政预算的通知 一般公共预算拨款 1,200 万元。"
    assert page.startswith('<!doctype html><html lang="zh-CN"><body><article data-pagefind-body')
    assert 'data-pagefind-sort="date:2026-03-05"' in page
    readable, tokens = page.split("</h1></div>", 1)  # the ignored title, then the tokens
    assert '<div data-pagefind-ignore><h1 data-pagefind-meta="title">关于财政预算的通知' in readable
    assert "万元" not in page  # the body is in the text, not in the page Pagefind reads
    assert '<span data-pagefind-filter="年份:2026">' in tokens  # filters and metadata
    assert '<span data-pagefind-meta="date:2026-03-05">' in tokens
    assert "预算" not in tokens and index_no_token("000099031/2026-00010") in tokens
    assert "g09884z207b97" + END in tokens  # 预算, with its group after the first character
    assert tokens.endswith("</article></body></html>")


def test_shadow_page_escapes_what_it_writes_and_the_text_is_plain():
    search = {**SEARCH, "filters": [("发布机构", '示例局"><script>')]}
    body = BODY.replace("万元。", "万元 &lt;script&gt;。")
    shadow, text = shadow_page(
        SearchEntry(0, "", "<b>标题</b>", search, "000099031/2026-00010", None), body
    )
    assert "<b>" not in shadow and "&lt;b&gt;标题" in shadow
    assert "<script>" not in shadow and 'data-pagefind-filter="发布机构:示例局&quot;&gt;' in shadow
    assert text.endswith("万元 <script>。")  # plain text, never put into HTML unescaped


def entry(name: str, title: str = TITLE, body: str = BODY) -> dict:
    """One item as the worker is sent it."""
    planned = SearchEntry(0, "", title, SEARCH, f"000099031/2026-{name}", None)
    return planned.message(f"item/{name}/index.html", body)


def test_worker_writes_shadow_pages_and_texts_beside_the_pages(tmp_path):
    assert write_shadow_pages(tmp_path / "shadow", tmp_path / "site", 0, [entry("a")]) == 1
    assert write_shadow_pages(tmp_path / "shadow", tmp_path / "site", None, [entry("b")]) == 1
    assert (tmp_path / "shadow/0/item/a/index.html").read_text().startswith("<!doctype html>")
    assert [p.name for p in (tmp_path / "shadow").rglob("*.html")] == ["index.html"]  # b: text only
    for name in ("a", "b"):
        text = (tmp_path / "site/item" / name / TEXT_FILE).read_text(encoding="utf-8")
        assert text == "关于财政预算的通知 一般公共预算拨款 1,200 万元。"


def test_sharded_index_indexes_each_shard_with_pagefind(tmp_path):
    site = tmp_path / "site"
    index = ShardedIndex(site, {0: 2, 1: 1})
    for n, shard in enumerate([0, 0, 1]):
        index.add(
            SearchEntry(shard, "", f"标题{n}", SEARCH, f"0/{n}", None), f"item/{n}/index.html", BODY
        )
    assert index.finish() == 3
    assert (site / "pagefind/pagefind-entry.json").is_file()
    assert (site / "pagefind-1/pagefind-entry.json").is_file()
    assert (site / "item/2" / TEXT_FILE).read_text(
        encoding="utf-8"
    ) == "标题2 一般公共预算拨款 1,200 万元。"
    assert not index.root.exists()  # the shadow pages are removed


def test_pagefind_failure_is_reported_in_chinese(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchIndexError, match="Pagefind 建立检索索引失败"):
        run_pagefind(tmp_path / "empty", tmp_path / "out")


def test_visible_text_breaks_words_at_blocks_only():
    html = (
        "<h2>一、总则</h2><p>财政<strong>预算</strong>公开&amp;透明</p><!-- 注释 -->"
        "<table><tr><td>单元格一</td><td>单元格二</td></tr></table>"
        '<script>var x = "<p>";</script><p>结束<br>换行</p>'
    )
    assert visible_text(html).split() == [
        "一、总则",
        "财政预算公开&透明",  # inline tags join, entities decoded
        "单元格一",
        "单元格二",  # table cells are separate words
        "结束",
        "换行",
    ]


def test_a_failing_pagefind_run_fails_the_index_with_its_reason(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "pagefind").write_text("not a folder")  # Pagefind cannot write its bundle here
    index = ShardedIndex(site, {0: 1})
    index.add(SearchEntry(0, "", TITLE, SEARCH, "0/0", None), "item/0/index.html", BODY)
    with pytest.raises(SearchIndexError, match="Pagefind 建立检索索引失败"):
        index.finish()
    assert not index.root.exists()


def test_a_worker_that_dies_is_reported_in_chinese(tmp_path):
    index = ShardedIndex(tmp_path / "site", {0: 2})
    index.worker.kill()
    index.worker.wait()
    with pytest.raises(SearchIndexError, match="全文检索索引进程意外退出"):
        index.add(SearchEntry(0, "", TITLE, SEARCH, "0/0", None), "item/0/index.html", BODY)
        index.finish()
    index.close()
    assert not index.root.exists()


def test_pagefind_runs_start_in_order_within_the_page_limit():
    """At most `limit` pages are indexed at once: two full shards never together, a smaller
    one beside a full one, a shard larger than the limit alone; every run ends up done."""
    lock = threading.Lock()
    running: dict[int, int] = {}
    seen: list[tuple[int, dict[int, int]]] = []  # (shard started, shards running then)
    release = {shard: threading.Event() for shard in range(5)}
    sizes = {0: 2000, 1: 2000, 2: 1000, 3: 5000, 4: 500}

    def index(shard: int) -> tuple[int, float]:
        with lock:
            running[shard] = sizes[shard]
            seen.append((shard, dict(running)))
        release[shard].wait(5)
        with lock:
            del running[shard]
        return sizes[shard], 0.1

    runs = Runs(index, limit=4000)
    for shard in range(5):
        runs.submit(shard, sizes[shard])
    for shard in range(5):
        time.sleep(0.05)  # let the runs that may start, start
        release[shard].set()
    done = runs.wait()
    assert [s for s, _ in seen] == [0, 1, 2, 3, 4]  # in the order the shards were complete
    assert seen[1][1] == {0: 2000, 1: 2000}
    assert seen[2][1] == {1: 2000, 2: 1000}  # 2 waited for 0 to end, then ran beside 1
    assert seen[3][1] == {3: 5000}  # larger than the limit: alone
    assert all(sum(during.values()) <= 4000 or len(during) == 1 for _, during in seen)
    assert sorted(n for n, _ in done) == sorted(sizes.values())


def test_a_failed_pagefind_run_is_raised_once_the_others_end():
    ended = []

    def index(shard: int) -> tuple[int, float]:
        if shard == 1:
            raise SearchIndexError("Pagefind 建立检索索引失败：第 1 片")
        time.sleep(0.1)
        ended.append(shard)
        return 10, 0.1

    runs = Runs(index, limit=100)
    for shard in range(3):
        runs.submit(shard, 10)
    with pytest.raises(SearchIndexError, match="第 1 片"):
        runs.wait()
    assert 0 in ended and 1 not in ended


def test_cancelled_runs_start_no_more_and_stop_pagefind(tmp_path):
    """A failing worker leaves no Pagefind running behind it."""
    started = []
    runs = Runs(lambda shard: started.append(shard) or (1, 0.0), limit=1)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    search_index._RUNNING.add(running)
    try:
        with runs.changed:  # as if shard 0 were running: 1 waits for it
            runs.running[0] = 1
        runs.submit(1, 1)
        runs.cancel()
        assert running.wait(timeout=10) != 0  # killed
        with runs.changed:
            del runs.running[0]
            runs._start()
        assert started == [] and runs.pending == []
    finally:
        search_index._RUNNING.discard(running)
        running.kill()


def test_a_worker_fed_garbage_fails_and_stops_its_runs(tmp_path, monkeypatch):
    cancelled = []
    monkeypatch.setattr(Runs, "cancel", lambda self: cancelled.append(True))
    with pytest.raises(ValueError):
        serve_requests(iter(["not json\n"]), tmp_path / "shadow", tmp_path / "site", True)
    assert cancelled == [True]
