"""Red team (careless operator): wrong paths given to the two-stage commands. Every message a
user reads is Chinese (the project has os_error_text for the system's English words), and
`gate --result` does not overwrite a file of the repository it is judging."""

from __future__ import annotations

import re

from gatekit import ForgeRepo, base_env, gongkai

ENGLISH = re.compile(
    r"Errno|No such file|File exists|Is a directory|Expecting value|line \d+ column"
)


def test_gate_out_naming_an_existing_file_is_told_in_chinese(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    target = tmp_path / "approved"
    target.write_text("x")
    done = gongkai(
        "gate",
        "--provider",
        "none",
        "--out",
        str(target),
        "--result",
        str(tmp_path / "r.json"),
        cwd=repo.root,
        env=base_env(),
    )
    assert done.returncode == 2
    assert not ENGLISH.search(done.stderr), done.stderr


def test_build_with_a_result_file_that_is_not_json_is_told_in_chinese(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    bad = tmp_path / "gate-result.json"
    bad.write_text("<html>404</html>")
    done = gongkai(
        "build",
        str(repo.root),
        "--gate-result",
        str(bad),
        "--site-dir",
        str(tmp_path / "site"),
        cwd=tmp_path,
        env=base_env(),
    )
    assert done.returncode == 2
    assert not ENGLISH.search(done.stderr), done.stderr


def test_a_previous_record_that_is_not_json_is_told_in_chinese(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    record = tmp_path / "record.json"
    record.write_text("<!doctype html><title>Page not found</title>")  # a web server's 404 page
    done = gongkai(
        "publish-check",
        "--provider",
        "github",
        "--record",
        str(record),
        cwd=repo.root,
        env=base_env(GITHUB_REPOSITORY="xxgk/portal"),
    )
    assert done.returncode == 2
    assert not ENGLISH.search(done.stderr), done.stderr


def test_gate_result_never_overwrites_a_file_of_the_repository(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    catalog = (repo.root / "catalog.yml").read_bytes()
    done = gongkai(
        "gate",
        "--provider",
        "none",
        "--out",
        str(tmp_path / "approved"),
        "--result",
        "catalog.yml",
        cwd=repo.root,
        env=base_env(),
    )
    assert (repo.root / "catalog.yml").read_bytes() == catalog, done.stdout
