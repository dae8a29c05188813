"""Index-number templates: national and local forms, and the next serial."""

from __future__ import annotations

import pytest

from generator.core.indexno import IndexTemplate, TemplateError


def test_national_form_matches_real_examples():
    t = IndexTemplate.compile("{org}/{year}-{serial:05d}", "year", "000014349")
    m = t.match("000014349/2020-00072")
    assert (m.org, m.year, m.serial) == ("000014349", 2020, 72)
    uscc = IndexTemplate.compile("{org}/{year}-{serial:05d}", "year", "11620622013933539B")
    assert uscc.match("11620622013933539B/2021-03844").serial == 3844
    assert t.match("000014349/2020-72") is None


def test_local_form_with_category():
    t = IndexTemplate.compile("jz-lfw-{category}-{serial:05d}", "category", "")
    m = t.match("jz-lfw-0001-00012")
    assert (m.category, m.serial, m.year) == ("0001", 12, None)
    assert t.format(category="0001", year=2026, serial=13) == "jz-lfw-0001-00013"


def test_next_serial_is_per_year_in_year_scope():
    t = IndexTemplate.compile("{org}/{year}-{serial:05d}", "year", "000014349")
    used = ["000014349/2025-00040", "000014349/2026-00003", "000014349/2026-00007"]
    assert t.next_serial(used, category="a", year=2026) == 8
    assert t.next_serial(used, category="a", year=2027) == 1


def test_next_serial_is_per_category_in_category_scope():
    t = IndexTemplate.compile("jz-lfw-{category}-{serial:05d}", "category", "")
    used = ["jz-lfw-0001-00012", "jz-lfw-0002-00030"]
    assert t.next_serial(used, category="0001", year=2026) == 13
    assert t.next_serial(used, category="0003", year=2026) == 1


def test_serial_without_width():
    t = IndexTemplate.compile("{org}-{year}-{serial}", "year", "ABC123456")
    assert t.match("ABC123456-2026-7").serial == 7


def test_org_field_needs_an_org_code():
    with pytest.raises(TemplateError, match="organization.code"):
        IndexTemplate.compile("{org}/{year}-{serial:05d}", "year", "")
