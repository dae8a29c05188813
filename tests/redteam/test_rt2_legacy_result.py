"""Red team round 2: a gate result without a folder digest (from a gate older than the digest)
is accepted for any folder outside a Git work tree. A careless operator who builds an export of
the checkout (`git archive`, a downloaded ZIP, a copy without .git) with such a result
publishes the held, unreviewed changes in it; nothing limits the old result to "once" either."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gatekit import TODAY, ForgeRepo, base_env, gongkai, item, site_text
from gatestub import Server, reset_stub

PUSHED = "未经审核直接推送的正文。"


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def _export(repo: ForgeRepo, dest: Path) -> None:
    """The checkout as `git archive` (or a forge's ZIP download) gives it: no .git."""
    dest.mkdir()
    archive = subprocess.run(
        ["git", "archive", "HEAD"], cwd=repo.root, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def test_an_old_result_does_not_build_an_export_of_the_checkout(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/a.md": item(1, "通知", body=PUSHED)})
    out, result = tmp_path / "approved", tmp_path / "gate-result.json"
    reset_stub(repo)
    gate = gongkai(
        "gate", "--provider", "github", "--out", str(out), "--result", str(result),
        cwd=repo.root, env=server.env("github"),
    )  # fmt: skip
    assert gate.returncode == 3, gate.stderr  # the push is held
    data = json.loads(result.read_text(encoding="utf-8"))
    del data["folder"]  # as the gate before the digest wrote it
    result.write_text(json.dumps(data), encoding="utf-8")
    export = tmp_path / "export"
    _export(repo, export)
    site = tmp_path / "site"
    done = gongkai(
        "build", str(export), "--gate-result", str(result), "--site-dir", str(site),
        "--today", TODAY, cwd=tmp_path, env=base_env(),
    )  # fmt: skip
    built = site_text(site) if site.exists() else ""
    assert PUSHED not in built, f"exit {done.returncode}: the held push was published"
