"""The staff documentation matches the code, and the demo bureau is realistic and valid."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields
from pathlib import Path

from generator.checks import CODES, check
from generator.core import schema
from generator.core.catalog import Rules, load_catalog
from generator.core.project import load_project

ROOT = Path(__file__).parents[1]
CONTENT_DOC = (ROOT / "docs/content.md").read_text(encoding="utf-8")
CATALOG_DOC = (ROOT / "docs/catalog.md").read_text(encoding="utf-8")


def test_every_front_matter_key_is_documented():
    missing = [k for k in schema.FIELDS if f"`{k}`" not in CONTENT_DOC]
    assert missing == []


def test_every_problem_code_is_documented():
    documented = set(re.findall(r"^\| (GK\d{3}) \|", CONTENT_DOC + CATALOG_DOC, re.MULTILINE))
    assert documented == set(CODES)


def test_every_rule_is_documented_with_its_default():
    for rule in fields(Rules):
        assert f"| `{rule.name}` | {rule.default} |" in CATALOG_DOC


def test_catalog_doc_example_is_a_valid_catalog(tmp_path):
    example = re.search(r"```yaml\n(.*?)```", CATALOG_DOC, re.DOTALL).group(1)
    (tmp_path / "catalog.yml").write_text(example, encoding="utf-8")
    assert load_catalog(tmp_path / "catalog.yml").problems == []


def test_demo_passes_validate():
    problems = check(load_project(ROOT))
    assert [p for p in problems if p.is_error] == []


def test_demo_is_a_realistic_bureau():
    project = load_project(ROOT)
    items = project.items
    assert len(items) >= 40
    assert len({i.category for i in items}) >= 10
    kinds = Counter(i.type for i in items)
    assert kinds["interpretation"] >= 3 and kinds["consultation"] >= 1 and kinds["response"] >= 1
    assert sum(1 for i in items if i.doc_no) >= 10
    assert any(i.expires for i in items)
    assert any(i.repeals for i in items) and any(i.amends for i in items)
    assert any(i.attachments for i in items)
    assert any(i.withdrawn for i in items)
    assert any(i.feedback_for for i in items)
    assert {i.disclosure for i in items} == set(schema.DISCLOSURES)
