"""`gongkai new` hands out numbers never used before; `validate --base` guards published numbers."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from generator.authoring.new import NewItemError, create_item
from generator.core.project import load_project

from helpers import run

TODAY = date(2026, 3, 10)


def new(bureau, category="tzgg", title="关于开展检查的通知", kind="document"):
    return create_item(load_project(bureau.root), category, title, kind, today=TODAY)


def front(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_new_item_gets_next_serial_of_the_year(bureau):
    bureau.item()  # 000014349/2026-00001
    path = new(bureau)
    meta = front(path)
    assert meta["index_no"] == "000014349/2026-00002"
    assert meta["category"] == "tzgg" and meta["title"] == "关于开展检查的通知"
    assert path.parent == bureau.root / "content/tzgg"


def test_new_item_only_lacks_the_decisions_left_to_its_author(bureau):
    path = new(bureau, "gfxwj", "示例管理办法")
    problems = [p for p in bureau.problems() if p.file == str(path)]
    missing = sorted(p.message.split("（")[1].split("）")[0] for p in problems)
    assert {p.code for p in problems} == {"GK110"}
    assert missing == ["disclosure", "doc_no"]
    assert "# 不予公开时写明依据" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "kind, key",
    [("interpretation", "interprets"), ("consultation", "closes"), ("response", "concern_at")],
)
def test_new_item_of_each_kind_carries_its_keys(bureau, kind, key):
    path = new(bureau, "zcjd", "解读", kind)
    assert f"\n{key}:" in path.read_text(encoding="utf-8")
    assert front(path)["type"] == kind


def test_number_of_a_deleted_item_is_never_reused(bureau):
    bureau.init_git()
    bureau.item()
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002")
    bureau.commit("publish two")
    (bureau.root / "content/tzgg/b.md").unlink()
    bureau.commit("delete one")
    assert front(new(bureau))["index_no"] == "000014349/2026-00003"


def test_new_refuses_unknown_category_and_writes_nothing(bureau):
    with pytest.raises(NewItemError, match="tzgg"):
        new(bureau, "tzgq")
    assert list((bureau.root / "content").rglob("*.md")) == []


def test_new_command_line(bureau):
    done = run("new", "--category", "tzgg", "--title", "通知", cwd=bureau.root)
    assert done.returncode == 0, done.stderr
    assert "已创建 content/tzgg/" in done.stdout
    done = run("new", "--category", "nope", "--title", "通知", cwd=bureau.root)
    assert done.returncode == 2 and "不在目录中" in done.stderr


def test_base_reports_changed_index_number(bureau):
    bureau.init_git()
    bureau.item()
    bureau.commit()
    bureau.item(index_no="000014349/2026-00009")
    done = run("validate", "--base", "HEAD", cwd=bureau.root)
    assert done.returncode == 1
    assert "content/tzgg/a.md:4: GK170" in done.stdout
    assert "000014349/2026-00001" in done.stdout


def test_base_reports_deleted_item(bureau):
    bureau.init_git()
    bureau.item()
    bureau.commit()
    (bureau.root / "content/tzgg/a.md").unlink()
    done = run("validate", "--base", "main", cwd=bureau.root)
    assert done.returncode == 1 and "GK171" in done.stdout and "withdrawn" in done.stdout


def test_base_accepts_renamed_file_with_same_number(bureau):
    bureau.init_git()
    bureau.item()
    bureau.commit()
    (bureau.root / "content/tzgg/a.md").rename(bureau.root / "content/tzgg/renamed.md")
    done = run("validate", "--base", "HEAD", cwd=bureau.root)
    assert done.returncode == 0, done.stdout


def test_base_that_does_not_exist_exits_2(bureau):
    bureau.init_git()
    bureau.item()
    bureau.commit()
    done = run("validate", "--base", "origin/nope", cwd=bureau.root)
    assert done.returncode == 2 and "origin/nope" in done.stderr
