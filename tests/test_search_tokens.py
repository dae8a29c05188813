"""Index tokens for runs of digits and Latin letters next to Chinese (generator/search/tokens.py).
The browser side is compared with these in tests/browser/test_search_mixed.py."""

from __future__ import annotations

from generator.search.tokens import LATIN_CHARS, cjk_tokens, latin_end_token, latin_token
from generator.search.tokens import TOKEN_END as END


def hexes(text: str) -> str:
    return "".join(format(ord(ch), "05x") for ch in text)


def test_a_latin_run_is_indexed_whole_and_backwards_from_the_chinese_after_it():
    tokens = set(cjk_tokens("评定4A级景区"))
    assert {"l4a" + END, "r" + hexes("级") + "a4" + END} <= tokens
    # bigrams across the boundary on both sides: 定4 and a级
    assert {"g" + hexes("定4") + END, "g" + hexes("a级") + END} <= tokens


def test_full_width_and_upper_case_letters_give_the_same_tokens_as_plain_ones():
    assert sorted(cjk_tokens("ＡＢＣ全角，２０２６年")) == sorted(cjk_tokens("abc全角,2026年"))


def test_punctuation_splits_runs_and_only_chinese_after_a_run_gives_a_backwards_token():
    tokens = cjk_tokens("PM2.5浓度")
    assert "lpm2" + END in tokens and "l5" + END in tokens
    assert "r" + hexes("浓") + "5" + END in tokens
    assert not any(t.startswith("r") and t.endswith("2mp" + END) for t in tokens)


def test_latin_tokens_carry_the_group_after_their_first_character():
    assert latin_token("2026", "07") == "l2z07026" + END
    assert latin_end_token("13", "号", "07") == "r" + hexes("号") + "z0731" + END
    assert "l2z07026" + END in cjk_tokens("2026年", "07")


def test_a_long_run_is_cut_at_its_start_and_at_its_end():
    run = "ab" * 40
    assert latin_token(run) == "l" + run[:LATIN_CHARS] + END
    assert latin_end_token(run, "字") == "r" + hexes("字") + run[::-1][:LATIN_CHARS] + END


def test_text_without_digits_or_letters_has_only_chinese_tokens():
    assert all(t.startswith("g") for t in cjk_tokens("财政预算管理，公开。"))


def test_every_token_ends_with_a_letter_that_no_query_word_holds():
    """Pagefind keeps a letter in its word (it splits words at what is not alphanumeric) and
    answers a query word no indexed word starts with by an indexed word that starts it: with
    its end, no token can start a query word, which is ASCII digits and letters."""
    assert END.isalnum() and END.lower() == END and not END.isascii()
    tokens = cjk_tokens("示例市4A级旅游景区，PM2.5浓度，第13号。局", "07") + cjk_tokens("预算，局")
    assert tokens and all(t.endswith(END) and t.count(END) == 1 for t in tokens)
    assert all(t[:-1].isascii() and t[:-1].isalnum() for t in tokens)
