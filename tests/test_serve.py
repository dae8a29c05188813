"""`mkdocs serve`: an edited item shows after a rebuild that reuses parsed items and the index."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.serve import Serve
from generator.core.project import load_project
from generator.core.public_set import category_path, item_path

ROOT = Path(__file__).parents[1]


def test_serve_rebuilds_an_edited_item_and_keeps_search(tmp_path):
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    item = load_project(tmp_path).items[0]
    server = Serve(tmp_path)
    try:
        server.wait_for("Serving on", timeout=120)
        assert "本地预览" not in server.get("search/")  # the first build made its own index
        text = item.path.read_text(encoding="utf-8")
        item.path.write_text(text.replace(item.title, "预览中修改的标题", 1), encoding="utf-8")
        server.wait_for("Documentation built", timeout=120)
        assert "预览中修改的标题" in server.get(item_path(item.index_no))
        # excerpts come from the item's text, which every rebuild writes afresh
        assert server.get(item_path(item.index_no) + "search.txt").startswith("预览中修改的标题")
        # the rebuild kept the first build's index, and the search page says it may be stale
        assert "本地预览" in server.get("search/")
        assert '"version"' in server.get("pagefind/pagefind-entry.json")
    finally:
        server.stop()


def test_serve_dirty_rebuilds_only_the_edited_item_and_the_lists(tmp_path):
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    items = {i.path.stem.split("-", 2)[-1]: i for i in load_project(tmp_path).items}
    doc, reading = items["lvxingshe2026"], items["jd-lvxingshe2026"]  # each links to the other
    server = Serve(tmp_path, "--dirty")
    try:
        server.wait_for("Serving on", timeout=120)
        assert doc.title in server.get(item_path(reading.index_no))
        text = doc.path.read_text(encoding="utf-8")
        doc.path.write_text(text.replace(doc.title, "预览中修改的标题", 1), encoding="utf-8")
        server.wait_for("Documentation built", timeout=120)
        assert "预览中修改的标题" in server.get(item_path(doc.index_no))  # the edited item
        # lists are generated pages: always rebuilt
        assert "预览中修改的标题" in server.get(category_path(doc.category))
        # the interpretation's file did not change, so its page was not rebuilt: it still shows
        # the old title of the document it explains (the staleness mkdocs warns of for --dirty)
        assert doc.title in server.get(item_path(reading.index_no))
    finally:
        server.stop()


def test_parse_cache_reuses_unchanged_items_only(bureau):
    bureau.item("content/tzgg/a.md")
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002")
    cache: dict = {}
    first = {i.path.name: i for i in load_project(bureau.root, cache).items}
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002", title="改过的标题")
    second = {i.path.name: i for i in load_project(bureau.root, cache).items}
    assert second["a.md"] is first["a.md"]
    assert second["b.md"] is not first["b.md"] and second["b.md"].title == "改过的标题"
    bureau.write("catalog.yml", (bureau.root / "catalog.yml").read_text(encoding="utf-8") + "\n")
    third = {i.path.name: i for i in load_project(bureau.root, cache).items}
    assert third["a.md"] is not second["a.md"]  # a changed catalog reparses everything


def test_check_cache_rechecks_only_changed_items_and_attachments(bureau, monkeypatch):
    import generator.checks as rules

    bureau.item("content/tzgg/a.md", attachments="[attachments/附件.md]")
    bureau.write("content/tzgg/attachments/附件.md", "名单\n")
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002")
    checked: list[str] = []
    real = rules._item_problems
    monkeypatch.setattr(
        rules, "_item_problems", lambda item, p: checked.append(item.path.name) or real(item, p)
    )
    parsed: dict = {}
    cache: rules.CheckCache = {}

    def run() -> list[str]:
        checked.clear()
        found = rules.check(load_project(bureau.root, parsed), cache)
        assert found == rules.check(load_project(bureau.root))  # the same as without a cache
        return sorted(checked)

    assert run() == ["a.md", "a.md", "b.md", "b.md"]  # with the cache, and without
    assert run() == ["a.md", "b.md"]  # only the run without the cache
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002", title="改过的标题")
    assert run() == ["a.md", "b.md", "b.md"]  # b.md changed
    bureau.write("content/tzgg/attachments/附件.md", "张三 身份证号码 110101199003074514\n")
    assert run() == ["a.md", "a.md", "b.md"]  # a.md's attachment changed
    assert any(p.code == "GK801" for p in rules.check(load_project(bureau.root, parsed), cache))
