"""Every word the public, staff and reviewers read uses full-width punctuation next to Chinese:
templates, the demo content and catalog, the Chinese docs and the tool's own messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from punctuation import findings, prose

ROOT = Path(__file__).parents[1]
SUFFIXES = (".py", ".md", ".yml", ".html", ".js", ".xml")


def reader_files() -> list[Path]:
    roots = ["generator", "theme", "content", "docs"]
    files = [p for r in roots for p in (ROOT / r).rglob("*") if p.suffix in SUFFIXES]
    files += [ROOT / "catalog.yml", ROOT / "mkdocs.yml"]  # README: English, Chinese in its list
    files += sorted((ROOT / ".github/workflows").glob("*.yml"))  # step names staff read
    return sorted(p for p in files if p.name != "benchmarks.md")  # benchmarks: English


def test_half_width_punctuation_next_to_chinese_is_found():
    assert prose("共 3 条,请核对:标题(必填);") == "共 3 条，请核对：标题（必填）；"
    assert prose("见 https://example.cn/a 页面") == "见 https://example.cn/a 页面"
    assert prose("f(x) and g(y)") == "f(x) and g(y)"


@pytest.mark.parametrize("path", reader_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_reader_text_uses_full_width_punctuation(path):
    found = findings(path)
    shown = "\n".join(f"{path.relative_to(ROOT)}:{n}: {line}" for n, line in found[:20])
    assert not found, (
        f"半角标点(,:;())紧挨汉字,请改为全角(python tests/punctuation.py --fix 文件):\n{shown}"
    )
