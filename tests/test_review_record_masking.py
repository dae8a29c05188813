"""The public publish record masks personal numbers in file names ("sealed" entries) and still
carries the approved state: the next publication, reading it, keeps held files held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekit import ForgeRepo, held_from, item, item_page
from gatestub import Server
from gatestub import gated_build as build

MOBILE = "13800138000"
TWIN = "13811118000"  # masks to 138****8000, like MOBILE


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def published_twice(tmp_path, server, pushed: dict) -> tuple[dict, str, Path]:
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", pushed)
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "批准的通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    first = tmp_path / "first"
    done = build(repo, server, first)
    assert done.returncode == 3, done.stderr
    record = tmp_path / "record.json"
    record.write_bytes((first / "gongkai-publish.json").read_bytes())
    # the next approved change, published from the record
    pull = repo.open("tester", {"content/tzgg/c.md": item(3, "第二个通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    second = tmp_path / "second"
    done = build(repo, server, second, "--record", str(record))
    return json.loads(record.read_text(encoding="utf-8")), done.returncode, second, done


def test_a_held_file_named_with_a_mobile_number_stays_held_through_the_record(tmp_path, server):
    name = f"content/tzgg/通知-{MOBILE}.md"
    data, status, site, done = published_twice(tmp_path, server, {name: item(5, "直接推送的通知")})
    text = json.dumps(data, ensure_ascii=False)
    assert MOBILE not in text
    assert data["sealed"] == [
        {
            "shown": "content/tzgg/通知-138****8000.md",
            "value": None,
            "held": data["sealed"][0]["held"],
        }
    ]
    assert status == 3, done.stderr
    assert "第二个通知" in item_page(site, 3)
    assert not (site / "item" / "000014349" / "2026-00005").exists()
    assert "content/tzgg/通知-138****8000.md" in held_from(done.stderr)  # stderr is masked too
    assert MOBILE not in (site / "gongkai-publish.json").read_text(encoding="utf-8")


def test_files_whose_names_mask_alike_are_all_withheld(tmp_path, server):
    one, two = f"content/tzgg/通知-{MOBILE}.md", f"content/tzgg/通知-{TWIN}.md"
    pushed = {one: item(5, "推送的通知一"), two: item(6, "推送的通知二")}
    data, status, site, done = published_twice(tmp_path, server, pushed)
    assert [e["shown"] for e in data["sealed"]] == ["content/tzgg/通知-138****8000.md"] * 2
    assert status == 3, done.stderr
    assert not (site / "item" / "000014349" / "2026-00005").exists()
    assert not (site / "item" / "000014349" / "2026-00006").exists()
    assert "第二个通知" in item_page(site, 3)


def test_a_record_with_sealed_names_is_not_read_without_the_repository(tmp_path):
    from generator.publishing.review.record import RecordError, read_record

    record = tmp_path / "record.json"
    record.write_text(
        json.dumps(
            {
                "version": 2,
                "commit": "a" * 40,
                "sealed": [{"shown": "content/tzgg/通知-138****8000.md", "value": None}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(RecordError, match="隐去个人信息"):
        read_record(record)
