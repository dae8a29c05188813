"""The title words the search page suggests from, and the filters it shows."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.core.project import load_project
from generator.core.public_set import public_set
from generator.pages.views import item_context, search_facets
from generator.search.tokens import LOWER_TOKEN, cjk_tokens, token_block
from generator.search.words import MAX_WORDS, title_words, words_json

ROOT = Path(__file__).parents[1]

TITLES = [
    "示例市旅行社服务质量评价办法",
    "关于旅行社年检的通知",
    "旅行社业务经营许可办事指南",
    "示例市Ａ级旅游景区管理办法",
    "本年度A级旅游景区名单",
]


def test_a_word_in_several_titles_is_kept_and_its_pieces_inside_it_are_not():
    words = title_words(TITLES)
    assert words["旅行社"] == 3
    assert "行社" not in words and "旅行" not in words  # only ever inside 旅行社
    assert words["示例市"] == 2


def test_full_width_letters_count_as_half_width_and_particles_do_not_end_words():
    words = title_words(TITLES)
    assert words["a级旅游景区"] == 2  # Ａ级 and A级 are one word
    assert not [w for w in words if w.startswith("的") or w.endswith("的")]


def test_a_piece_in_one_title_only_is_not_a_word_but_a_keyword_is():
    words = title_words(TITLES, keywords=["年检", "旅行社"])
    assert "办事指南" not in words
    assert words["年检"] == 1
    assert words["旅行社"] == 3  # the titles' count, not the keywords'


def test_the_file_is_bounded_however_many_titles():
    titles = [
        f"第{n}号文件关于{chr(0x4E00 + n % 5000)}{chr(0x4E00 + n // 7 % 5000)}的通知"
        for n in range(20000)
    ]
    words = json.loads(words_json(titles))
    assert len(words) <= MAX_WORDS
    counts = list(words.values())
    assert counts == sorted(counts, reverse=True)


def test_the_demo_site_ships_its_words(tmp_path):
    site = public_set(load_project(ROOT), date(2026, 11, 23))
    words = title_words([i.title or "" for i in site.listed])
    assert {"旅行社", "征求意见", "a级旅游景区"} <= set(words)


def test_a_filter_that_cannot_narrow_a_search_is_left_out():
    def data(publisher: str, validity: str = "") -> dict:
        filters = [("发布机构", publisher), ("年份", "2026")]
        return {"filters": filters + ([("有效性", validity)] if validity else [])}

    site = public_set(load_project(ROOT), date(2026, 11, 23))
    facets = dict(search_facets(site.catalog, [data("局"), data("局", "有效"), None]))
    assert "发布机构" not in facets and "年份" not in facets  # one value, every item's
    assert facets["有效性"] == [("有效", 1)]  # one value, but one item of two: it narrows
    facets = dict(search_facets(site.catalog, [data("局"), data("厅")]))
    assert facets["发布机构"] == [("厅", 1), ("局", 1)]


def test_repealed_rules_and_their_interpretation_carry_the_lower_token_the_current_ones_not():
    site = public_set(load_project(ROOT), date(2026, 11, 23))
    lower = {
        number: item_context(site, site.by_index[number])["search"]["lower"]
        for number in ("000099031/2024-00005", "000099031/2024-00006", "000099031/2026-00010")
    }
    assert lower == {
        "000099031/2024-00005": True,  # repealed by 2026-00010
        "000099031/2024-00006": True,  # interprets the repealed rules
        "000099031/2026-00010": False,
    }
    assert LOWER_TOKEN in token_block("办法", "正文", None, None, lower=True)
    assert LOWER_TOKEN not in token_block("办法", "正文", None, None)
    # no query token is the lower token or a prefix of it
    assert not LOWER_TOKEN.startswith(tuple(cjk_tokens("旅行社 gk gklater A级")))
