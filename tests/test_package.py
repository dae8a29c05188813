"""The wheel alone carries the product: built from a copy of the sources, installed into a fresh
virtual environment, used from an empty folder (the source tree is not on the import path) to
create, validate, build and inspect a new bureau's portal.

The new environment has no network: it gets the wheel from pip, and the wheel's dependencies
from this environment's site-packages through a .pth file (a path in a .pth file goes on the
import path; .pth files inside that folder, such as the editable install's, are not read)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGED = [
    "generator/site/theme/main.html",
    "generator/site/theme/item.html",
    "generator/site/theme/partials/copyright.html",
    "generator/site/theme/assets/gongkai.css",
    "generator/site/theme/assets/gongkai-care.css",
    "generator/site/theme/assets/gongkai-prefs.js",
    "generator/site/theme/assets/gongkai-search.js",
    "generator/templates/register.html",
    "generator/templates/new_item.md.j2",
    "generator/authoring/skeleton/catalog.yml.j2",
    "generator/authoring/skeleton/dot-github/workflows/publish.yml",
    "generator/authoring/skeleton/content/pages/dot-keep",
]


def call(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONSAFEPATH="1")
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built offline from a copy of the sources (no stale build/ folder in it)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(
        ROOT / "generator", src / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", src)
    call(
        sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", work, src, cwd=work
    )
    return next(work.glob("gongkai-*.whl"))


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    call(sys.executable, "-m", "venv", "--without-pip", env, cwd=env.parent)
    python = env / "bin/python"
    call(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
         "--no-index", wheel, cwd=env.parent)  # fmt: skip
    purelib = call(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                   cwd=env.parent).stdout.strip()  # fmt: skip
    (Path(purelib) / "gongkai-test-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return env


def test_wheel_carries_the_theme_templates_and_skeleton(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [n for n in PACKAGED if n not in names] == []
    theme = {n for n in names if n.startswith("generator/site/theme/")}
    source = {
        "generator/site/theme/" + p.relative_to(ROOT / "generator/site/theme").as_posix()
        for p in (ROOT / "generator/site/theme").rglob("*")
        if p.is_file()
    }
    assert theme == source


def test_installed_wheel_creates_validates_builds_and_inspects_a_new_portal(venv, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    python, gongkai = venv / "bin/python", venv / "bin/gongkai"
    show = "import generator.site.plugin as p; print(p.__file__); print(list(p.THEME.parents))"
    where = call(python, "-c", show, cwd=empty).stdout
    assert where.startswith(str(venv)), where  # the wheel's copy, not the source tree
    assert str(ROOT / "generator") not in where

    call(gongkai, "init", "portal", "--name", "示例县自然资源局", "--org-code", "123456789",
         cwd=empty)  # fmt: skip
    portal = empty / "portal"
    assert "0 个错误" in call(gongkai, "validate", cwd=portal).stdout
    call(gongkai, "build", cwd=portal)
    assert "0 个错误" in call(gongkai, "inspect", cwd=portal).stdout

    site = portal / "site"
    page = next(site.glob("item/123456789/*/index.html")).read_text(encoding="utf-8")
    assert "示例县自然资源局机构职能" in page and "gongkai.css" in page
    installed = Path(where.splitlines()[0]).parent / "theme/assets/gongkai.css"
    assert (site / "assets/gongkai.css").read_bytes() == installed.read_bytes()


def test_new_portal_installs_the_pinned_gongkai(venv, tmp_path):
    """The workflows install the portal's pyproject.toml, which only pins gongkai."""
    empty = tmp_path / "empty"
    empty.mkdir()
    call(venv / "bin/gongkai", "init", "portal", "--name", "示例县自然资源局", "--org-code",
         "123456789", cwd=empty)  # fmt: skip
    call(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", tmp_path / "out", empty / "portal", cwd=tmp_path)  # fmt: skip
    built = next((tmp_path / "out").glob("*.whl"))
    names = zipfile.ZipFile(built).namelist()
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(built).read(metadata).decode()
    version = call(venv / "bin/python", "-c", "import importlib.metadata as m; print(m.version('gongkai'))",
                   cwd=empty).stdout.strip()  # fmt: skip
    assert f"Requires-Dist: gongkai=={version}" in text
    assert not [n for n in names if not n.startswith("gongkai_portal-")]  # no code, no content
