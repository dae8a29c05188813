"""Properties of the one markup rule over random Markdown and HTML (hypothesis)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.core import markup
from generator.core.sanitize import (
    _STRICT,
    ATTRIBUTES,
    SCHEMES,
    TAGS,
    _permissive,
    _tokens,
    clean,
    is_plain,
    removals,
)

ROOT = Path(__file__).parents[1]
SITE = markup.for_project(ROOT)  # the repository's own mkdocs.yml
QUICK = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)

# Markdown syntax and words an attack would use, without the characters that make
# `markup.needs_render` render a body (< [ ] { } _ and what NFKC turns into them)
MARKDOWN_SAFE = [
    *"#*`|-:>!()&;=\"'/\\%.~+ \t\n",
    "\n\n", "    ", "## ", "# ", "```", "~~~", "---", "| a | b |\n| :-- | --: |\n", "1. ", "- ",
    "javascript:", "data:text/html,", "vbscript:", "alert(1)", "onerror=", "onclick=",
    "&#x3C;", "&lt;", "&#60;", "&#x6A;", "&colon;", "&#58;", "script", "img", "svg", "a",
    "文", "总则", "（", "）", "：", "＃", "＊", "https://example.gov.cn/", "mailto:x@y.cn",
]  # fmt: skip
MARKDOWN_ANY = [*MARKDOWN_SAFE, *"<[]{}_", "<img src=x ", "onerror=alert(1)>", "](", "{: ", " }",
                "<script>", "</script>", "<!--", "-->", "[r]: ", "![x](", "{#", "<a href=\""]  # fmt: skip
HTML_PIECES = [
    "<", ">", "</", "/>", "=", '"', "'", " ", "\n", "\t", "\x01", "&", "#", ";", ":",
    "a", "img", "p", "svg", "math", "script", "style", "table", "td", "tr", "iframe", "xmp",
    "noscript", "template", "foreignObject", "mi", "mglyph", "select", "option", "textarea",
    " src", " href", " onerror", " onload", " style", " id", " class", " xlink:href",
    " srcset", " align", " title", "javascript", "jav&#x61;script", "java&#x0A;script",
    "data", "https://x.cn/", "alert(1)", "<!--", "-->", "--!>", "<!-->", "&lt;", "&quot;",
]  # fmt: skip


PLAIN_PIECES = [
    "<p>", "</p>", "<em>", "</em>", "<strong>", "</strong>", "<code>", "</code>", "<pre>",
    "</pre>", "<blockquote>", "</blockquote>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>",
    "<table>", "</table>", "<thead>", "<tbody>", "</tbody>", "<tr>", "</tr>", "<th>", "</th>",
    "<td>", "</td>", '<td align="left">', '<th align="center">', '<h2 id="_1">', '<h2 id="__x">',
    "</h2>", "<h1>", "</h1>", "<br />", "<hr>", "<br/>", "文字", "a & b", "&lt;", "&#60;",
    "<p>x</p>", "<table><tr><td>1</td></tr></table>", "<ul><li>a</li></ul>", "<em>x</em>",
    "&#x3C;script&#x3E;", "\n", " ", '"', "'", ">", "=", "javascript:alert(1)", "&amp;",
]  # fmt: skip


def pieces(alphabet: list[str], most: int = 40) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=most).map("".join)


@QUICK
@given(pieces(MARKDOWN_SAFE))
def test_a_body_that_is_not_rendered_by_validate_provably_loses_nothing(body):
    """validate skips rendering bodies without `<[]{}_`: the site keeps all of such a body."""
    assume(not markup.needs_render(body, SITE))
    assert removals(SITE.render(body)) == []


@QUICK
@given(pieces(HTML_PIECES, 60))
def test_published_markup_has_nothing_left_to_remove(fragment):
    """The sanitiser's output is a fixed point (so a browser parsing it again finds the same
    tree), holding only allowed elements, attributes and URL schemes."""
    cleaned = str(clean(fragment))
    assert str(clean(cleaned)) == cleaned
    assert removals(cleaned) == []
    for token in _tokens(cleaned):
        if token.kind != "start":
            continue
        assert token.name in TAGS
        for name, value in token.attributes:
            assert name in ATTRIBUTES["*"] | ATTRIBUTES.get(token.name, frozenset())
            scheme = value.split(":", 1)[0].lower() if ":" in value.split("/", 1)[0] else ""
            assert not (name in ("href", "src") and scheme and scheme not in SCHEMES), value


@QUICK
@given(pieces(HTML_PIECES, 60))
def test_every_element_and_event_attribute_the_sanitiser_drops_is_reported(fragment):
    """Checked against html5ever's own parse (the permissive pass): a dropped element is
    reported, and so is an event attribute, unless its element went with a dropped ancestor."""
    reported = removals(fragment)
    everything = _tokens(_permissive(fragment).clean(fragment))
    kept = _tokens(str(clean(fragment)))

    def starts(tokens, name):
        return sum(1 for t in tokens if t.kind == "start" and t.name == name)

    dropped = {t.name for t in everything if t.kind == "start" and t.name not in TAGS}
    assert dropped <= {r.tag for r in reported if r.code == "GK901"}
    for token in everything:
        if token.kind != "start" or token.name not in TAGS:
            continue
        for name, _ in token.attributes:
            if name.lower().startswith("on"):
                assert (token.name, name) in {(r.tag, r.attribute) for r in reported} or (
                    starts(kept, token.name) < starts(everything, token.name)
                ), (token.name, name)


@settings(max_examples=150, deadline=None)
@given(pieces(MARKDOWN_ANY, 30))
def test_every_removal_is_placed_on_a_line_of_the_body(body):
    found = removals(SITE.render(body))
    problems = markup.problems("a.md", body, 10, SITE, found)
    lines = max(1, len(body.splitlines()))
    assert len(problems) == min(len(found), markup.MAX_LOCATED) + (len(found) > markup.MAX_LOCATED)
    assert all(10 <= p.line < 10 + lines for p in problems), (body, problems)
    assert {p.code for p in problems} <= {"GK901", "GK902", "GK903"}


def assert_nothing_to_remove(fragment: str) -> None:
    """What the real sanitiser does to `fragment`: it keeps all of html5ever's parse of it."""
    everything = _permissive(fragment).clean(fragment)
    assert _STRICT.clean(fragment) == everything
    for token in _tokens(everything):
        if token.kind == "start":
            assert token.name in TAGS
            names = {n for n, _ in token.attributes}
            assert names <= ATTRIBUTES["*"] | ATTRIBUTES.get(token.name, frozenset())


PLAIN_OPEN = [
    "<p>", "<em>", "<strong>", "<code>", "<pre>", "<blockquote>", "<ul>", "<ol>", "<li>",
    "<table>", "<thead>", "<tbody>", "<tr>", '<th align="center">', "<td>", '<td align="left">',
    '<h2 id="_1">', "<h1>", '<h3 id="a-b">',
]  # fmt: skip
PLAIN_TEXT = [
    "文字", "a & b", "&lt;script&gt;", "&#60;img src=x onerror=alert(1)&#62;", "javascript:x",
    '"', "'", ">", "=", " ", "\n", "<br />", "<hr>",
]  # fmt: skip


_NAME = re.compile(r"<(\w+)")


def _element(parts: tuple[str, str]) -> str:
    opening, inner = parts
    name = _NAME.match(opening).group(1)
    return f"{opening}{inner}</{name}>"


# well-nested markup of plain elements in any nesting, sensible or not (<p><table>, <tr><h1>)
NESTED_PLAIN = st.recursive(
    st.sampled_from(PLAIN_TEXT),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(PLAIN_OPEN), inner).map(_element),
        st.lists(inner, max_size=4).map("".join),
    ),
    max_leaves=30,
)


@QUICK
@given(st.one_of(pieces(PLAIN_PIECES, 60), NESTED_PLAIN))
def test_markup_published_without_the_sanitiser_pass_provably_needs_none(fragment):
    """`clean` returns plain markup as it is (sanitize._PLAIN): the sanitiser itself would keep
    every element and attribute of it."""
    assume(is_plain(fragment))
    assert str(clean(fragment)) == fragment
    assert_nothing_to_remove(fragment)
    # and nothing in it stays open past the element the page puts it in
    framed = f"<div>{fragment}</div><span>after</span>"
    assert _permissive(framed).clean(framed).endswith("</div><span>after</span>")


@QUICK
@given(pieces(MARKDOWN_ANY, 40))
def test_rendered_markdown_published_as_it_is_provably_needs_no_sanitising(body):
    html = SITE.render(body)
    if is_plain(html):
        assert_nothing_to_remove(html)
    else:
        assert str(clean(html)) == _STRICT.clean(html)
