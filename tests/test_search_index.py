"""What the build hands Pagefind: tokens (grouped on large sites) and the readable text as metadata."""

from __future__ import annotations

import re

from generator.search import (
    MARKER,
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
)

ITEM_PAGE = (
    "<html><body><nav>导航</nav><!--gk-index-start-->"
    '<article class="gk-article" data-pagefind-body data-pagefind-sort="date:2026-03-05">'
    '<h1 class="gk-title" data-pagefind-meta="title">关于财政预算的通知</h1>'
    "<div class='gk-body'><p>一般公共预算拨款 <strong>1,200</strong> 万元。</p></div>"
    '<span data-pagefind-filter="年份:2026"></span>'
    f"{MARKER}</article><!--gk-index-end--><footer>页脚</footer></body></html>"
)


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
    assert shard_count(100, 1000, 3000) == 34
    assert [shard_dir(s) for s in range(3)] == ["pagefind", "pagefind-1", "pagefind-2"]


def test_chinese_tokens_carry_the_group_after_the_g_but_lookups_do_not():
    block = token_block("财政预算", "财政预算管理", "000099031/2026-00010", "示财〔2026〕3号", "07")
    words = re.sub(r"<[^>]+>", " ", block).split()
    assert index_no_token("000099031/2026-00010") in words
    assert doc_no_token("示财〔2026〕3号") in words
    cjk = [w for w in words if w.startswith("g")]
    assert cjk and all(w.startswith("g07") for w in cjk)
    expected = set(cjk_tokens("财政预算") + cjk_tokens("财政预算管理"))
    assert {"g" + w[3:] for w in cjk} == expected


def test_one_group_means_plain_tokens():
    block = token_block("预算", "预算", None, None, "")
    assert re.sub(r"<[^>]+>", " ", block).split() == cjk_tokens("预算") * 2


def test_shadow_page_indexes_only_tokens_and_keeps_the_text_as_metadata():
    page = shadow_page(ITEM_PAGE, "关于财政预算的通知", "000099031/2026-00010", None, "2")
    assert "导航" not in page and "页脚" not in page  # only the article
    readable, tokens = page.rsplit("</p></div>", 1)  # the ignored wrapper, then the tokens
    assert "<div data-pagefind-ignore>" in readable
    assert '<span data-pagefind-filter="年份:2026">' in readable  # filters still read
    text = readable.split('<p data-pagefind-meta="text">', 1)[1]
    assert text == "关于财政预算的通知 一般公共预算拨款 1,200 万元。"
    assert "预算" not in tokens and index_no_token("000099031/2026-00010") in tokens
    assert tokens.rstrip().endswith("</article></body></html>")


def test_meta_text_is_escaped():
    page = ITEM_PAGE.replace("万元。", "万元 &lt;script&gt;。")
    shadow = shadow_page(page, "t", "000099031/2026-00010", None)
    assert "<script>" not in shadow and "&lt;script&gt;" in shadow
