"""Gongkai's own page rendering (generator/site/fastpages.py) gives exactly what mkdocs would."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import jinja2
import material
import pytest

from generator.core.project import load_project
from generator.site.build import build_site_dir
from generator.site.fastpages import AVAILABLE, translator
from generator.site.plugin import THEME, GongkaiPlugin

ROOT = Path(__file__).parents[1]
MATERIAL = Path(material.__file__).parent / "templates"


def files(site: Path) -> dict[str, bytes]:
    """Every file of a site, its .docx files (which carry the time they were made) as the
    documents inside them; not the manifest, which carries the build time."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file() and path.name != "gongkai-manifest.json":
            data = path.read_bytes()
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as docx:
                    data = docx.read("word/document.xml")
            found[str(path.relative_to(site))] = data
    return found


def test_mkdocs_internals_used_are_there():
    assert AVAILABLE  # else every page silently takes mkdocs' slower way


def test_demo_site_is_the_same_byte_for_byte_either_way(tmp_path, monkeypatch):
    project = load_project(ROOT)
    built = {}
    for fast in (True, False):
        monkeypatch.setattr(GongkaiPlugin, "fast_pages", fast)
        site = tmp_path / f"site-{fast}"
        build_site_dir(project, site, date(2026, 11, 23), progress=False, options={"search": False})
        built[fast] = files(site)
    assert len(built[True]) > 100 and built[True].keys() == built[False].keys()
    differ = [name for name, data in built[True].items() if data != built[False][name]]
    assert differ == []


def original_t(language: str, key: str) -> str:
    """mkdocs-material's own partials/language.html (ours shadows it in the theme)."""
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(MATERIAL), jinja2.FileSystemLoader(THEME)]
    )
    env = jinja2.Environment(loader=loader)
    template = env.from_string(
        '{% import "partials/language.html" as lang with context %}{{ lang.t(key) }}'
    )
    return template.render(config={"theme": {"language": language}}, key=key)


@pytest.mark.parametrize("language", ["zh-CN", "zh", "en"])
def test_translations_are_mkdocs_materials_own(language):
    ours = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(THEME), jinja2.FileSystemLoader(MATERIAL)]
        )
    )
    t = translator(ours, language)
    english = (MATERIAL / "partials/languages/en.html").read_text(encoding="utf-8")
    keys = [line.split('"')[1] for line in english.splitlines() if line.startswith('  "')]
    keys += ["language", "no.such.key"]
    assert len(keys) > 50
    for key in keys:
        assert t(key) == original_t(language, key), key
    assert t("search.placeholder") == ("Search" if language == "en" else "搜索")
    assert t("no.such.key") == "no.such.key"
