"""Red team (careless operator): the two-stage publish run by hand with the wrong folder or an
old result. `build DIR --gate-result FILE` trusts that DIR is what the gate wrote for FILE."""

from __future__ import annotations

import json

import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item, item_page
from gatestub import Server, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def pushed(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/a.md": item(1, "通知", body="未经审核推送的正文。")})
    reset_stub(repo)
    result = tmp_path / "gate-result.json"
    gate = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tmp_path / "approved"),
        "--result",
        str(result),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert gate.returncode == 3, gate.stderr
    return repo, result


def test_build_with_a_gate_result_from_the_checkout_does_not_publish_held_changes(
    tmp_path, server, pushed
):
    repo, result = pushed
    site = tmp_path / "site"
    # the operator forgets the folder argument: ROOT defaults to "." (the checkout)
    done = gongkai(
        "build",
        "--gate-result",
        str(result),
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        cwd=repo.root,
        env=server.env("github"),
    )
    if done.returncode == 0:
        record = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
        assert "content/tzgg/a.md" in record["exceptions"]  # the record says: held
        # ... so the page must not carry the held text
        assert "未经审核推送的正文。" not in item_page(site, 1), done.stdout
    else:
        assert done.returncode in (1, 2) and "Traceback" not in done.stderr
