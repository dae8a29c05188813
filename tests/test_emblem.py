"""The header emblem (catalog.yml `site.emblem`): only a PNG, JPEG or WebP file below
content/pages/, told by its bytes, reaches the header; every other value is refused in Chinese
at the line of `emblem:`, the catalog check fails, and the built header shows no image."""

from __future__ import annotations

import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from generator.core.catalog import load_catalog
from generator.core.project import load_project
from generator.site.build import build_site_dir

ROOT = Path(__file__).resolve().parents[1]
SITE_LINE = "  name: 测试局政府信息公开\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def image(kind: str) -> bytes:
    """A real 8×8 red image in the format Pillow calls `kind`."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (180, 20, 20)).save(out, format=kind)
    return out.getvalue()


def set_emblem(bureau, value: str) -> int:
    """Write `site.emblem: value` into the bureau's catalog; the line it is on."""
    path = bureau.root / "catalog.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(SITE_LINE, f"{SITE_LINE}  emblem: {value}\n", 1), "utf-8")
    [line] = [n for n, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "emblem:" in t]
    return line


def emblem_problems(bureau):
    catalog = load_catalog(bureau.root / "catalog.yml")
    return catalog, [p for p in catalog.problems if "emblem" in p.message]


@pytest.mark.parametrize(
    ("name", "kind"), [("logo.png", "PNG"), ("logo.JPG", "JPEG"), ("hui/logo.webp", "WEBP")]
)
def test_a_png_jpeg_or_webp_emblem_is_accepted(bureau, name, kind):
    bureau.write(f"content/pages/{name}", image(kind))
    set_emblem(bureau, f"/{name}")
    catalog, found = emblem_problems(bureau)
    assert found == [] and catalog.portal.emblem == name
    assert catalog.portal.bureau == "测试市文化和旅游局"


def test_an_emblem_of_the_wrong_type_is_reported_at_its_line(bureau):
    line = set_emblem(bureau, "[logo.png]")
    catalog, [problem] = emblem_problems(bureau)
    assert (problem.code, problem.line) == ("GK003", line)
    assert "site.emblem（网站徽标图片）应为文字" in problem.message
    assert catalog.portal.emblem == ""


@pytest.mark.parametrize(
    ("value", "files", "says"),
    [
        ("images/logo.png", {}, "找不到文件 content/pages/images/logo.png"),
        ("../../catalog.yml", {}, "不能用“..”离开 content/pages/"),
        ("images/../../logo.png", {"content/logo.png": image("PNG")}, "不能用“..”"),
        ('"C:/logo.png"', {}, "不能使用本机的绝对路径"),
        ('"images\\\\logo.png"', {}, "请用“/”分隔文件夹"),
        ("logo.svg", {"content/pages/logo.svg": SVG}, "SVG 图片可以包含"),
        ("logo.png", {"content/pages/logo.png": SVG}, "内容是 SVG"),
        ("logo.png", {"content/pages/logo.png": b"just text, not an image"}, "内容却是文本"),
        ("logo.png", {"content/pages/logo.png": image("JPEG")}, "内容却是JPEG 图片"),
        ("logo.gif", {"content/pages/logo.gif": image("GIF")}, "只能是 PNG、JPEG 或 WebP"),
        ("logo.html", {"content/pages/logo.html": b"<p>hi</p>"}, "只能是 PNG、JPEG 或 WebP"),
        (".hidden/logo.png", {"content/pages/.hidden/logo.png": image("PNG")}, "隐藏文件"),
        ("assets/logo.png", {"content/pages/assets/logo.png": image("PNG")}, "生成自己的页面"),
        ("images", {"content/pages/images/x.png": image("PNG")}, "只能是 PNG"),
        ("images.png", {"content/pages/images.png/x.png": image("PNG")}, "不是普通文件"),
    ],
)
def test_a_bad_emblem_is_refused_in_chinese_at_its_line(bureau, value, files, says):
    for rel, data in files.items():
        bureau.write(rel, data)
    line = set_emblem(bureau, value)
    catalog, [problem] = emblem_problems(bureau)
    assert (problem.code, problem.line, problem.file) == (
        "GK028",
        line,
        str(bureau.root / "catalog.yml"),
    )
    assert problem.message.startswith("site.emblem（网站徽标图片）：") and says in problem.message
    assert catalog.portal.emblem == ""  # the header never shows a refused file


@pytest.mark.parametrize("link", ["file", "folder"])
def test_an_emblem_reached_through_a_symbolic_link_is_refused(bureau, tmp_path, link):
    outside = tmp_path / "outside"
    (outside / "hui").mkdir(parents=True)
    (outside / "hui" / "logo.png").write_bytes(image("PNG"))
    (bureau.root / "content" / "pages").mkdir(parents=True)
    if link == "file":
        os.symlink(outside / "hui" / "logo.png", bureau.root / "content/pages/logo.png")
        line = set_emblem(bureau, "logo.png")
    else:
        os.symlink(outside / "hui", bureau.root / "content/pages/hui")
        line = set_emblem(bureau, "hui/logo.png")
    catalog, [problem] = emblem_problems(bureau)
    assert (problem.code, problem.line) == ("GK028", line) and "符号链接" in problem.message
    assert catalog.portal.emblem == ""


def test_a_bad_emblem_fails_the_check(bureau):
    set_emblem(bureau, "logo.png")
    bureau.write("content/pages/logo.png", SVG)
    assert "GK028" in bureau.codes()


def built_header(bureau, tmp_path) -> str:
    """The <header> of the home page of the bureau's site, built with the demo's settings."""
    bureau.item()
    shutil.copy(ROOT / "mkdocs.yml", bureau.root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    (bureau.root / "content/pages").mkdir(parents=True, exist_ok=True)
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, date(2026, 11, 23), progress=False)
    html = (site / "index.html").read_text(encoding="utf-8")
    return html[html.index("<header") : html.index("</header>")]


def test_the_header_shows_the_emblem_and_the_bureau_name(bureau, tmp_path):
    bureau.write("content/pages/images/hui.png", image("PNG"))
    set_emblem(bureau, "images/hui.png")
    top = built_header(bureau, tmp_path)
    assert '<img class="gk-brand__emblem" src="images/hui.png" alt="测试市文化和旅游局"' in top
    assert (tmp_path / "site/images/hui.png").read_bytes() == image("PNG")


def test_without_an_emblem_the_header_has_the_name_and_no_image(bureau, tmp_path):
    top = built_header(bureau, tmp_path)
    assert "<img" not in top and "gk-brand--plain" in top
    assert '<span class="gk-brand__main">测试局政府信息公开</span>' in top
