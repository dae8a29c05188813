"""A body may not use a class name the site's stylesheets give a meaning: every class that
mkdocs-material's or Gongkai's CSS positions, hides, lays out (display, float), layers or clips is in
`sanitize.THEME_CLASS` (which also covers the md- and gk- names wholesale)."""

from __future__ import annotations

import re
from pathlib import Path

import material

from generator.core.sanitize import THEME_CLASS, VALUES

ROOT = Path(__file__).parents[1]
STYLESHEETS = [
    *(Path(material.__file__).parent / "templates/assets/stylesheets").glob("*.css"),
    *(ROOT / "generator/site/theme/assets").glob("*.css"),
]
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_EFFECT = re.compile(
    r"position:\s*(?:fixed|absolute|sticky)|display:|float:|visibility:\s*hidden"
    r"|opacity:\s*0(?![.\d])|(?<![-\w])clip(?:-path)?:|z-index:|(?<![-\w])inset:|transform:"
)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")


def test_the_stylesheets_are_found():
    assert any(p.name.startswith("main.") for p in STYLESHEETS) and len(STYLESHEETS) >= 3


def test_every_class_the_theme_positions_or_hides_is_reserved():
    effective = set()
    for sheet in STYLESHEETS:
        css = _COMMENT.sub("", sheet.read_text(encoding="utf-8"))
        for selector, body in _RULE.findall(css):
            if _EFFECT.search(body):  # the element each selector styles: its last compound
                for one in selector.split(","):
                    effective.update(_CLASS.findall(re.split(r"[\s>+~]+", one.strip())[-1]))
    assert len(effective) > 40  # material's and ours: the scan reads real rules
    reserved = re.compile(THEME_CLASS)
    free = sorted(c for c in effective if not reserved.fullmatch(c))
    assert free == []


def test_a_body_may_still_use_a_class_of_its_own():
    rule = VALUES["class"][0]
    assert rule.fullmatch("note wide") and rule.fullmatch("表格-说明")
    assert not rule.fullmatch("note md-consent__overlay") and not rule.fullmatch("GK-print-only")


def test_a_heading_broken_by_a_line_break_keeps_the_break_in_its_one_line_title():
    """The table of contents and the page title show a heading on one line: the words on either
    side of a <br> stay apart there, as on the page (值班1381<br>2345678 is not 13812345678)."""
    from generator.core.sanitize import clean, headings

    found = headings(str(clean('<h2 id="zb">值班1381<br>2345678</h2>')))
    assert found == {"zb": (2, "值班1381 2345678")}
