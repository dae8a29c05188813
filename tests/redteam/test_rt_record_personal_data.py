"""Red team (careless staff member): a file that must never be public (an applicant's request,
named with the applicant's ID and mobile number) is pushed by mistake. The gate holds it (and the CI log
masks its name), but the public publish record (gongkai-publish.json on the site) names it
unmasked, and a commit author name with a mobile number is published in the record's pull request table."""

from __future__ import annotations

import pytest

from gatekit import ForgeRepo, gongkai, item
from gatestub import Server, gated_build, reset_stub

ID = "110105199001011232"  # a valid check digit
MOBILE = "13800138000"
AUTHOR_MOBILE = "13912345678"


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory, server):
    base = tmp_path_factory.mktemp("record")
    repo = ForgeRepo(base / "repo")
    repo.push(
        "tester",
        {
            f"content/tzgg/张三-{ID}-{MOBILE}.md": item(
                9, "依申请材料", disclosure="不予公开", disclosure_basis="《条例》第十五条"
            )
        },
    )
    pull = repo.open("tester", {"content/tzgg/c.md": item(3, "通知三")})
    repo.git("config", "user.name", f"赵敏 {AUTHOR_MOBILE}")
    repo.git("config", "user.email", "zm@example.gov.cn")
    repo.git("checkout", "-q", pull.branch)
    repo.write({"content/tzgg/c.md": item(3, "通知三", body="改正。")})
    repo.git("commit", "-qam", "改正")
    pull.head = repo.sha()
    repo.git("checkout", "-q", "main")
    repo.review(pull, "wang")
    repo.merge(pull)
    site = base / "site"
    done = gated_build(repo, server, site, "--format", "github")
    assert done.returncode == 3, done.stderr
    return site, done


@pytest.mark.parametrize("number", [ID, MOBILE, AUTHOR_MOBILE])
def test_public_publish_record_carries_no_unmasked_personal_number(published, number):
    site, _ = published
    record = (site / "gongkai-publish.json").read_text(encoding="utf-8")
    assert number not in record


def test_job_summary_carries_no_unmasked_personal_number(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {f"content/tzgg/张三-{ID}-{MOBILE}.md": item(9, "依申请材料")})
    reset_stub(repo)
    summary = tmp_path / "summary.md"
    done = gongkai(
        "publish-check",
        "--provider",
        "github",
        "--format",
        "github",
        cwd=repo.root,
        env=server.env("github", GITHUB_STEP_SUMMARY=str(summary)),
    )
    assert done.returncode == 3, done.stderr
    text = summary.read_text(encoding="utf-8")  # shown on the workflow run's page
    assert ID not in text and MOBILE not in text, text
