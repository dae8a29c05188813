"""Every published item as data: a record beside its page that matches the page and the schema
in docs/, and the site's catalogue as JSON and CSV (generator/publishing/itemdata.py)."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from pathlib import Path, PurePosixPath

import jsonschema
import pytest

from helpers import run

ROOT = Path(__file__).parents[1]
SCHEMA = json.loads((ROOT / "docs/item.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("data") / "site"
    done = run("build", str(ROOT), "--site-dir", str(site), "--today", "2026-11-23", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return site


def records(site: Path) -> list[tuple[Path, dict]]:
    return [
        (p, json.loads(p.read_text(encoding="utf-8")))
        for p in sorted((site / "item").rglob("index.json"))
    ]


def test_every_record_validates_against_the_published_schema(demo):
    found = records(demo)
    pages = [p for p in (demo / "item").rglob("index.html") if p.parent.suffix != ".md"]
    assert len(found) == len(pages)  # every item page, not its Markdown attachments' pages
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path, data in found:
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path


def test_every_record_says_what_its_page_shows(demo):
    for path, data in records(demo):
        page = (path.parent / "index.html").read_text(encoding="utf-8")
        assert path.parent.relative_to(demo).as_posix() + "/" == data["url"]
        shown = [data["index_no"], data["title"], data["category"]["name"]]
        shown += [data[k] for k in ("doc_no", "written", "date", "publisher") if data[k]]
        shown += [data["validity"]] if data["validity"] else []
        shown += [a["name"] for a in data["attachments"]]
        for value in shown:
            assert html.escape(value, quote=False) in page, (path, value)
        for attachment in data["attachments"]:
            url = attachment["url"]
            if url.endswith("/"):  # a Markdown attachment's page, hashed as its approved file
                assert (demo / url / "index.html").is_file()
                [body] = {f.read_bytes() for f in (ROOT / "content").rglob(PurePosixPath(url).name)}
            else:
                body = (demo / url).read_bytes()
            assert hashlib.sha256(body).hexdigest() == attachment["sha256"]
            assert len(body) == attachment["size"]
        assert "@" not in json.dumps(data["approval"] or {})


def test_catalogue_lists_the_listed_items_as_json_and_csv_with_a_bom(demo):
    catalogue = json.loads((demo / "data/items.json").read_text(encoding="utf-8"))
    listed = [d for _p, d in records(demo) if d["withdrawn"] is None]
    assert catalogue["count"] == len(listed) == len(catalogue["items"]) > 0
    assert {i["index_no"] for i in catalogue["items"]} == {d["index_no"] for d in listed}
    raw = (demo / "data/items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["index_no"] for r in rows] == [i["index_no"] for i in catalogue["items"]]
    assert all(r["title"] and r["url"].startswith("item/") for r in rows)


def test_records_are_in_the_signed_manifest(demo):
    manifest = json.loads((demo / "gongkai-manifest.json").read_text(encoding="utf-8"))
    assert "data/items.json" in manifest["manifest"]["files"]
    path, _data = records(demo)[0]
    assert path.relative_to(demo).as_posix() in manifest["manifest"]["files"]


def test_records_are_written_as_json_with_one_space_indentation(demo):
    for path, data in records(demo):
        assert path.read_text(encoding="utf-8") == json.dumps(data, ensure_ascii=False, indent=1)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [1, -2, 2.5, 1e300, None, True, False, 'x\n"é中\u2028\x00']},
        {"d": {"e": {"f": [[], [{}], ({"g": ()},)]}}},
        {1: "x", 2.5: "y", None: 1, False: 2},
    ],
)
def test_fast_indented_json_is_json_dumps_byte_for_byte(value):
    from generator.publishing.itemdata import indented

    assert indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_every_listed_item_is_in_exactly_one_category_split_and_the_index_names_each(demo):
    catalogue = json.loads((demo / "data/items.json").read_text(encoding="utf-8"))
    index = json.loads((demo / "data/categories.json").read_text(encoding="utf-8"))
    assert index["schema"] == "gongkai-categories/1"
    assert index["count"] == len(index["categories"]) > 1
    seen: list[dict] = []
    for entry in index["categories"]:
        split = json.loads((demo / entry["json"]).read_text(encoding="utf-8"))
        assert entry["json"] == f"data/category/{entry['code']}/items.json"
        assert split["count"] == entry["count"] == len(split["items"]) > 0
        assert {i["category"]["code"] for i in split["items"]} == {entry["code"]}
        raw = (demo / entry["csv"]).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [r["index_no"] for r in rows] == [i["index_no"] for i in split["items"]]
        seen += split["items"]
    numbers = [i["index_no"] for i in seen]
    assert len(numbers) == len(set(numbers))  # no item in two splits
    assert sorted(seen, key=lambda i: i["index_no"]) == sorted(
        catalogue["items"], key=lambda i: i["index_no"]
    )
    on_disk = {p.parent.name for p in (demo / "data/category").glob("*/items.json")}
    assert on_disk == {e["code"] for e in index["categories"]}


def test_catalogues_are_written_as_json_dumps_would_write_them(demo):
    index = json.loads((demo / "data/categories.json").read_text(encoding="utf-8"))
    for path in [demo / "data/items.json", *(demo / e["json"] for e in index["categories"])]:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False), path


def test_html_comments_of_a_body_are_not_published_as_data(tmp_path):
    """docs/content.md lets staff keep internal notes in <!-- -->: no page shows them, and the
    data records (the body as Markdown) leave them out too; one left open is text on the page
    (Markdown escapes it), and in the data."""
    from test_markup import INTRO, TODAY, site_bureau, write_item

    from generator.core.project import load_project
    from generator.site.build import build_site_dir

    bureau = site_bureau(tmp_path / "b")
    notes = [
        "<!-- 内部备注：尚未经局长办公会同意 -->",
        "<!-- 内部备注：拟同意 --!>",
        "<?内部备注：暂缓公开?>",
        "<!DOCTYPE 内部备注：领导批示>",
        "<![CDATA[ 内部备注：请勿外传 ]]>",
    ]
    body = INTRO + "\n\n".join(notes) + "\n\n公开的正文。\n\n<!-- 未闭合的备注\n\n隐藏\n"
    write_item(bureau, 1, body)
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False, inspect=False)
    record = json.loads((site / "item/000014349/2026-00001/index.json").read_text("utf-8"))
    assert "公开的正文。" in record["text"] and "<!-- 未闭合的备注\n\n隐藏" in record["text"]
    every = "".join(p.read_text("utf-8") for p in site.rglob("*.json"))
    page = (site / "item/000014349/2026-00001/index.html").read_text("utf-8")
    assert "内部备注" not in every + page and "&lt;!-- 未闭合的备注" in page
