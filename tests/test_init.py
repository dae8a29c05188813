"""`gongkai init`: a new bureau's portal that validates, builds and passes the inspection at once,
and the calls it refuses without writing anything. The packaged theme, and a bureau's own
overrides in theme/ winning over it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from punctuation import findings

from generator.authoring import init as portal_init
from generator.core.catalog import load_catalog
from generator.publishing.review import codeowners
from generator.site.plugin import THEME

from helpers import run

ROOT = Path(__file__).parents[1]
NAME = "示例县自然资源局"
ARTICLE_20 = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
]
ACTIONLINT = ROOT / ".venv/bin/actionlint"


def init(target: Path, *extra: str, name: str = NAME, code: str = "12345678-9"):
    return run("init", str(target), "--name", name, "--org-code", code, *extra, cwd=target.parent)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "portal"
    done = init(target)
    assert done.returncode == 0, done.stderr
    assert "TODO" in done.stdout and "README.md" in done.stdout
    return target


def test_new_portal_validates_builds_and_passes_the_inspection(portal, tmp_path):
    work = tmp_path / "portal"
    shutil.copytree(portal, work)
    validated = run("validate", ".", cwd=work)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "0 个错误" in validated.stdout
    built = run("build", ".", cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    year = portal_init.beijing_today().year  # the example item is published the day it is made
    page = (work / f"site/item/123456789/{year}-00001/index.html").read_text(encoding="utf-8")
    assert f"{NAME}机构职能" in page and "123456789/" in page
    assert (work / "site/assets/gongkai.css").read_bytes() == (
        THEME / "assets/gongkai.css"
    ).read_bytes()
    inspected = run("inspect", ".", cwd=work)
    assert inspected.returncode == 0, inspected.stdout + inspected.stderr
    assert "0 个错误" in inspected.stdout


def test_new_catalog_lists_the_fifteen_kinds_of_article_20(portal):
    catalog = load_catalog(portal / "catalog.yml")
    assert not [p for p in catalog.problems if p.is_error]
    roots = catalog.roots
    assert len(roots) == 15
    for number, category in zip(ARTICLE_20, roots, strict=True):
        assert f"条例第二十条第（{number}）项" in category.description
    assert catalog.org_name == NAME
    assert catalog.categories["gfxwj"].normative
    text = (portal / "catalog.yml").read_text(encoding="utf-8")
    assert 'organization:\n  name: "示例县自然资源局"\n  code: "123456789"' in text
    assert "# TODO：按本单位的实际科室改写" in text  # departments to fill in


def test_new_portal_has_its_codeowners_as_gongkai_codeowners_writes_them(portal):
    assert codeowners.stale(portal, load_catalog(portal / "catalog.yml")) == []


def test_new_portal_pins_the_installed_gongkai(portal):
    from importlib.metadata import version

    project = (portal / "pyproject.toml").read_text(encoding="utf-8")
    assert f'dependencies = ["gongkai=={version("gongkai")}"]' in project
    assert "packages = []" in project  # installing the portal installs only gongkai


def test_new_portal_runs_the_same_gate_as_this_repository(portal):
    """The publish job's steps are this repository's (the gate bootstrap, the approved build);
    only the comments differ, and the pull-request job installs the pinned version."""

    def steps(path: Path) -> list:
        return yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]

    ours, theirs = ROOT / ".github/workflows", portal / ".github/workflows"
    assert steps(theirs / "publish.yml") == steps(ours / "publish.yml")
    pull = steps(theirs / "pull-request.yml")["check"]["steps"]
    ours_pull = steps(ours / "pull-request.yml")["check"]["steps"]
    assert [s for s in pull if s.get("run") != "pip install ."] == [
        s for s in ours_pull if s.get("run") != "pip install -e ."
    ]
    assert len(pull) == len(ours_pull) and any(s.get("run") == "pip install ." for s in pull)


@pytest.mark.skipif(not ACTIONLINT.exists(), reason="actionlint and zizmor are dev dependencies")
def test_new_portal_workflows_pass_actionlint_and_zizmor(portal):
    folder = portal / ".github/workflows"
    workflows = sorted(str(p) for p in folder.glob("*.yml"))
    for command in (
        [str(ACTIONLINT), *workflows],
        [str(ACTIONLINT.parent / "zizmor"), "--offline", "--no-progress", str(folder)],
    ):
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_new_portal_text_uses_full_width_punctuation(portal):
    found = [
        f"{p.relative_to(portal)}:{n}: {line}"
        for p in sorted(portal.rglob("*"))
        if p.suffix in (".md", ".yml", ".toml")
        for n, line in findings(p)
    ]
    assert not found, found


def test_demo_theme_folder_explains_overrides_as_a_new_portal_does(portal):
    assert (ROOT / "theme/README.md").read_bytes() == (portal / "theme/README.md").read_bytes()


@pytest.mark.parametrize("present", ["README.md", ".git"])
def test_non_empty_folder_is_refused_and_left_as_it_was(tmp_path, present):
    target = tmp_path / "portal"
    (target / present).parent.mkdir(parents=True, exist_ok=True)
    (target / present).write_text("已有的内容\n", encoding="utf-8")
    done = init(target)
    assert done.returncode == 2
    assert "不是空的" in done.stderr and present in done.stderr and "--force" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(target) == {present: "已有的内容\n".encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portal"]  # no staging left


def test_force_adds_the_portal_beside_files_already_there(tmp_path):
    target = tmp_path / "portal"
    (target / ".git").mkdir(parents=True)
    (target / "LICENSE").write_text("许可证\n", encoding="utf-8")
    done = init(target, "--force")
    assert done.returncode == 0, done.stderr
    assert (target / "LICENSE").read_text(encoding="utf-8") == "许可证\n"
    assert (target / "catalog.yml").is_file() and (target / ".github/CODEOWNERS").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portal"]


def test_force_never_replaces_a_file_of_the_same_name(tmp_path):
    target = tmp_path / "portal"
    target.mkdir()
    (target / "README.md").write_text("托管平台生成的说明\n", encoding="utf-8")
    (target / "content").symlink_to(tmp_path, target_is_directory=True)
    done = init(target, "--force")
    assert done.returncode == 2
    assert "不会覆盖" in done.stderr and "README.md" in done.stderr
    assert "content/jgzn/jigou-zhineng.md" in done.stderr  # its folder is a link
    assert sorted(os.listdir(target)) == ["README.md", "content"]
    assert (target / "README.md").read_text(encoding="utf-8") == "托管平台生成的说明\n"


def test_file_in_place_of_the_folder_is_refused(tmp_path):
    (tmp_path / "portal").write_text("x", encoding="utf-8")
    done = init(tmp_path / "portal")
    assert done.returncode == 2 and "不是文件夹" in done.stderr
    assert (tmp_path / "portal").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    "code", ["1234", "12345678-9-0", "1234567８9１", "12345678/9", "91110000MA0000000汉"]
)
def test_malformed_organization_code_is_refused(tmp_path, code):
    done = init(tmp_path / "portal", code=code)
    assert done.returncode == 2 and "--org-code" in done.stderr and "9 位" in done.stderr
    assert not (tmp_path / "portal").exists()


@pytest.mark.parametrize("code", ["12345678-9", "91110000ma01abcd2x", "  123456789 "])
def test_organization_code_is_written_without_hyphen_in_upper_case(code):
    assert portal_init.org_code(code) in {"123456789", "91110000MA01ABCD2X"}


@pytest.mark.parametrize("name", ["", "   ", "示例县\n自然资源局", "局" * 51])
def test_unusable_name_is_refused(tmp_path, name):
    done = init(tmp_path / "portal", name=name)
    assert done.returncode == 2 and "--name" in done.stderr
    assert not (tmp_path / "portal").exists()


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path):
    portal = portal_init.new_portal(NAME, "123456789")

    def broken(staged: Path) -> dict[str, str]:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        portal_init.create_portal(
            tmp_path / "portal", portal_init.portal_files(portal), more=broken
        )
    assert list(tmp_path.iterdir()) == []


def test_empty_folder_is_used(tmp_path):
    (tmp_path / "portal").mkdir()
    done = init(tmp_path / "portal")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "portal/content/pages/.keep").is_file()


def test_bureau_override_in_theme_wins_over_the_packaged_theme(portal, tmp_path):
    work = tmp_path / "portal"
    shutil.copytree(portal, work)
    (work / "theme/assets").mkdir()
    (work / "theme/assets/gongkai.css").write_text("/* 本单位的样式 */\n", encoding="utf-8")
    built = run("build", ".", cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    css = (work / "site/assets/gongkai.css").read_text(encoding="utf-8")
    assert css == "/* 本单位的样式 */\n"
    assert (work / "site/assets/gongkai.js").read_bytes() == (
        THEME / "assets/gongkai.js"
    ).read_bytes()
