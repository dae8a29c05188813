"""Red team (careless operator): a plain `gongkai build` (the local preview) pointed at the folder
the gated publication wrote replaces it: the held change goes online (as a "preview") and the
publish record disappears. The workflow then finds no record (404), treats the next run as the
first publication and lets the pushed generator/ judge itself (docs/publishing.md, 首次发布)."""

from __future__ import annotations

import pytest

from gatekit import TODAY, ForgeRepo, base_env, gongkai, item, item_page
from gatestub import Server, gated_build


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def test_plain_build_does_not_replace_a_gated_site_and_its_record(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/a.md": item(1, "通知", body="未经审核推送的正文。")})
    site = tmp_path / "www"
    done = gated_build(repo, server, site)
    assert done.returncode == 3, done.stderr
    assert (site / "gongkai-publish.json").is_file()
    plain = gongkai(
        "build", "--site-dir", str(site), "--today", TODAY, cwd=repo.root, env=base_env()
    )
    assert (site / "gongkai-publish.json").is_file(), plain.stdout[-300:]
    assert "未经审核推送的正文。" not in item_page(site, 1)
