"""Attachments, fixed pages and everything else under content/ and theme/: what may be published
is decided once, by content, and the build publishes nothing validate refused."""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import io
import os
import shutil
import socket
import subprocess
import threading
import urllib.parse
import urllib.request
import zipfile
from datetime import date
from pathlib import Path, PurePosixPath

import pytest

from generator.core.project import load_project
from generator.core.repo_files import page_collision
from generator.site.build import BuildError, build_site_dir

from helpers import GONGKAI, Bureau, run

TODAY = date(2026, 11, 30)


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("附件正文")
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 800, "Notice 2026")
    pdf.save()
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
# One file of each allowed type, as its program writes it (what counts is the first bytes).
ALLOWED = {
    "a.pdf": pdf_bytes(),
    "a.ofd": zipped("OFD.xml", "Doc_0/Document.xml"),
    "a.doc": OLE,
    "a.docx": docx_bytes(),
    "a.wps": OLE,
    "a.xls": OLE,
    "a.xlsx": zipped("[Content_Types].xml", "xl/workbook.xml"),
    "a.et": OLE,
    "a.ppt": OLE,
    "a.pptx": zipped("[Content_Types].xml", "ppt/presentation.xml"),
    "a.dps": OLE,
    "a.csv": "名称，数量\n文化馆，3\n".encode(),
    "a.txt": "说明文字。\n".encode(),
    "a.png": PNG,
    "a.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "a.jpeg": b"\xff\xd8\xff\xe1\x00\x10Exif\x00",
    "a.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "a.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8 ",
    "a.zip": zipped("名单/说明.txt"),
    "a.rar": b"Rar!\x1a\x07\x01\x00" + b"\x00" * 16,
    "a.7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 16,
    "a.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 8,
    "a.mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
}


def attach(bureau: Bureau, files: dict[str, bytes | str], rel: str = "content/tzgg/a.md"):
    """Write `files` beside the item and list them as its attachments."""
    folder = (bureau.root / rel).parent
    for name, data in files.items():
        bureau.write(str((folder / name).relative_to(bureau.root)), data)
    names = ", ".join(f'"{n}"' for n in files)
    return bureau.item(rel, attachments=f"[{names}]")


def codes_for(bureau: Bureau, *codes: str) -> list:
    return [p for p in bureau.problems() if p.code in codes]


def test_every_allowed_type_is_accepted_by_its_content(bureau):
    attach(bureau, {f"attachments/{name}": data for name, data in ALLOWED.items()})
    assert codes_for(bureau, "GK150", "GK151", "GK152", "GK153", "GK156") == []


@pytest.mark.parametrize(
    "name, data, code, words",
    [
        (
            "图解.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "GK152",
            "PNG",
        ),
        ("a.html", b"<p>hi</p>", "GK152", "PDF 或 DOCX"),
        ("a.htm", b"<p>hi</p>", "GK152", "PDF 或 DOCX"),
        ("a.xhtml", b"<html/>", "GK152", "PDF 或 DOCX"),
        ("a.xml", b"<?xml version='1.0'?><a/>", "GK152", "XLSX 或 CSV"),
        ("a.js", b"alert(1)", "GK152", "程序"),
        ("a.exe", b"MZ\x90\x00", "GK152", "程序"),
        ("readme", b"text", "GK152", "无扩展名"),
        ("a.bin", b"\x00\x01", "GK152", "允许：PDF"),
        # content decides: a renamed page, a renamed image, a broken document
        ("通知.pdf", b"<!DOCTYPE html><script>alert(1)</script>", "GK152", "网页"),
        ("说明.txt", b"  <svg onload=alert(1)>", "GK152", "SVG"),
        ("说明.md", b"<html><body><script>alert(1)</script>", "GK152", "网页"),
        ("照片.jpg", PNG, "GK153", "PNG 图片"),
        ("报告.pdf", PNG, "GK153", "PNG 图片"),
        ("报告.docx", b"this is not a docx", "GK153", "文本"),
        ("报表.xlsx", zipped("[Content_Types].xml", "word/document.xml"), "GK153", "Word"),
        ("报表.csv", b"\x00\x01\x02binary", "GK153", "二进制"),
    ],
)
def test_refused_types_and_disguised_content_get_a_message_saying_how(
    bureau, name, data, code, words
):
    attach(bureau, {f"attachments/{name}": data})
    [problem] = codes_for(bureau, "GK152", "GK153")
    assert problem.code == code and words in problem.message and problem.line == 8


def test_attachment_must_stay_in_the_items_folder_tree(bureau):
    bureau.write("content/zcjd/other.pdf", ALLOWED["a.pdf"])
    bureau.write("content/tzgg/sub/ok.pdf", ALLOWED["a.pdf"])
    bureau.item(attachments="[../zcjd/other.pdf, sub/../../zcjd/other.pdf, sub/../sub/ok.pdf]")
    problems = codes_for(bureau, "GK150", "GK151", "GK156")
    assert [p.code for p in problems] == ["GK151", "GK151"]
    assert all("“..”" in p.message for p in problems)


def test_another_items_file_is_never_an_attachment(bureau):
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002", disclosure="不予公开")
    bureau.item(attachments="[b.md]")
    [problem] = codes_for(bureau, "GK155")
    assert problem.file.endswith("a.md") and "另一条信息" in problem.message


def test_a_file_of_an_unpublished_item_cannot_be_published_through_another(bureau, tmp_path):
    secret = {"attachments/内部名单.pdf": ALLOWED["a.pdf"]}
    attach(bureau, secret, "content/tzgg/b.md")
    bureau.item(
        "content/tzgg/b.md",
        index_no="000014349/2026-00002",
        disclosure="不予公开",
        disclosure_basis="《中华人民共和国政府信息公开条例》第十四条",
        attachments="[attachments/内部名单.pdf]",
    )
    bureau.item(attachments="[./attachments/内部名单.pdf]")
    problems = codes_for(bureau, "GK154")
    assert sorted(Path(p.file).name for p in problems) == ["a.md", "b.md"]
    by_file = {Path(p.file).name: p.message for p in problems}
    assert "b.md" in by_file["a.md"] and "a.md" in by_file["b.md"]


@pytest.mark.parametrize(
    "files, listed, clashing",
    [
        (["attachments/通知.PDF", "attachments/通知.pdf"], None, 1),
        (["Attachments/a.pdf", "attachments/a.pdf"], None, 1),
        (["attachments/规划.md", "attachments/规划.MD"], None, 1),  # 规划.md/index.html twice
        (["docs.pdf", "Docs.pdf/a.pdf"], None, 1),  # a file where the other needs a folder
        (["caf\u00e9.pdf", "cafe\u0301.pdf"], None, 1),  # é as one character or two (macOS)
        (["stra\u00dfe.pdf", "strasse.pdf"], None, 0),  # ß is not ss to Windows or macOS
        (["a.pdf", "b.pdf"], ["a.pdf", "b.pdf", "./a.pdf"], 0),  # one file listed twice
        (["attachments/规划.md", "attachments/规划/附表.pdf"], None, 0),
    ],
)
def test_attachments_differing_only_in_case_are_refused(bureau, files, listed, clashing):
    """On a server that does not tell A.pdf from a.pdf one would overwrite the other."""
    for name in files:
        data = "# 附表\n" if name.lower().endswith(".md") else ALLOWED["a.pdf"]
        bureau.write(f"content/tzgg/{name}", data)
    bureau.item(attachments="[" + ", ".join(f'"{n}"' for n in listed or files) + "]")
    problems = codes_for(bureau, "GK150", "GK151", "GK152", "GK153", "GK156")
    assert [p.code for p in problems] == ["GK156"] * clashing, problems
    for problem in problems:
        assert "发布到同一位置" in problem.message and problem.line == 8
    done = run("validate", cwd=bureau.root)
    assert done.returncode == (1 if clashing else 0) and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "written, code",
    [
        ('"a\\0b.pdf"', "GK156"),  # NUL
        ('"a\\nb.pdf"', "GK156"),
        ('"a\\\\b.pdf"', "GK156"),
        ('"' + "长" * 100 + '.pdf"', "GK156"),  # 302 bytes in UTF-8
        ('"' + "a/" * 250 + 'x.pdf"', "GK156"),
        ('"attachments/.htaccess"', "GK156"),
        ('"/etc/passwd"', "GK151"),
        ('"C:/Windows/win.ini"', "GK151"),
        ('"index.html"', "GK156"),
        ('"search.txt"', "GK156"),
        ('""', "GK111"),
    ],
)
def test_unusable_attachment_paths_are_messages_not_tracebacks(bureau, written, code):
    bureau.item(attachments=f"[{written}]")
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f" {code} " in done.stdout


def test_symlink_loop_and_links_in_attachment_paths_are_refused(bureau):
    folder = bureau.root / "content/tzgg"
    folder.mkdir(parents=True)
    (folder / "loop").symlink_to("loop")
    (folder / "git").symlink_to(bureau.root / ".git", target_is_directory=True)
    bureau.item(attachments="[loop/x.pdf, git/config, loop]")
    done = run("validate", "--format", "json", cwd=bureau.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.count('"GK109"') == 2 and done.stdout.count('"GK150"') == 3


def test_special_files_are_refused_without_being_opened(bureau, tmp_path):
    """A named pipe would make reading wait forever; validate must finish and say so."""
    bureau.item()
    os.mkfifo(bureau.root / "content/tzgg/b.md")
    os.mkfifo(bureau.root / "content/pages-fifo.md")
    (bureau.root / "content/pages").mkdir()
    os.mkfifo(bureau.root / "content/pages/about.md")
    (bureau.root / "theme").mkdir()
    os.mkfifo(bureau.root / "theme/main.html")
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(bureau.root / "content/tzgg/sock"))
        # a hang is a failure, not a test that never ends
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
        done = subprocess.run(
            [*GONGKAI, "validate"],
            cwd=bureau.root,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    finally:
        listener.close()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    refused = [line for line in done.stdout.splitlines() if " GK107 " in line]
    assert len(refused) == 5 and any("命名管道" in line for line in refused)
    assert any("套接字" in line for line in refused)


def test_unprintable_file_names_are_refused_and_printed_safely(bureau):
    bureau.item()
    folder = os.fsencode(bureau.root / "content/tzgg")
    with open(os.path.join(folder, b"\xb9\xab\xb8\xe6.pdf"), "wb") as handle:  # GBK 公告
        handle.write(ALLOWED["a.pdf"])
    with open(os.path.join(folder, b"x\n::error file=a::forged.pdf"), "wb") as handle:
        handle.write(ALLOWED["a.pdf"])
    done = run("validate", "--format", "github", cwd=bureau.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.count("title=GK156") == 2
    assert "\n::error file=a::forged" not in done.stdout  # the name cannot forge an annotation
    assert "�" in done.stdout and "\\x0a" in done.stdout


def test_category_folder_may_not_be_reserved_or_hidden(bureau):
    catalog = bureau.root / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    for folder in ("pages/x", "annual", ".hidden", "_drafts", "tzgg/attachments", "."):
        catalog.write_text(
            text.replace("    department: bgs\n", f"    department: bgs\n    folder: {folder}\n"),
            encoding="utf-8",
        )
        problems = [p for p in load_project(bureau.root).catalog.problems if p.code == "GK017"]
        assert len(problems) == 1, folder
        assert problems[0].line > 1


def test_fixed_pages_and_annual_reports_are_screened(bureau):
    bureau.item()
    bureau.write("content/pages/about.md", "# 关于本站\n\n联系人手机 138 1234 5678\n")
    bureau.write("content/pages/名单110105194912310 02X.md", "名单\n")
    bureau.write("content/pages/.keep", "")
    bureau.write("content/annual/2025.md", "## 一、总体情况\n\n秘密★一年\n")
    bureau.write("content/annual/2025.yml", "part2:\n  行政事业性收费: 0\n# 经办人 13912345678\n")
    problems = bureau.problems()
    found = {(Path(p.file).name, p.line, p.code) for p in problems if p.code.startswith("GK80")}
    assert ("about.md", 3, "GK802") in found
    assert ("2025.md", 3, "GK804") in found
    assert ("2025.yml", 3, "GK802") in found
    assert any(code == "GK801" for name, _, code in found if name.startswith("名单"))


def test_catalog_names_shown_on_the_site_are_screened(bureau):
    catalog = bureau.root / "catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(
        text.replace("name: 测试局政府信息公开", "name: 测试局 13812345678").replace(
            "sun@example.gov.cn", "13912345678@qq.com"
        ),
        encoding="utf-8",
    )
    bureau.item()
    problems = [p for p in bureau.problems() if p.code in ("GK802", "GK806")]
    assert [(Path(p.file).name, p.line, p.code) for p in problems] == [("catalog.yml", 2, "GK802")]


# --- the build: the same decisions ----------------------------------------------------------


def site_bureau(tmp_path: Path) -> Bureau:
    bureau = Bureau(tmp_path / "repo")
    root = Path(__file__).parents[1]
    bureau.write("mkdocs.yml", (root / "mkdocs.yml").read_text(encoding="utf-8"))
    shutil.copytree(root / "theme", bureau.root / "theme")
    bureau.write("content/pages/.keep", "")
    return bureau


def built(bureau: Bureau, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    build_site_dir(load_project(bureau.root), site, TODAY, progress=False)
    return site


def test_build_copies_no_refused_file(tmp_path):
    bureau = site_bureau(tmp_path)
    attach(
        bureau,
        {
            "attachments/图解.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "attachments/通知.pdf": b"<html><script>alert(1)</script>",
            "attachments/ok.pdf": ALLOWED["a.pdf"],
        },
    )
    bureau.write("content/pages/evil.html", "<script>alert(1)</script>")
    bureau.write("content/pages/about.md", "# 关于本站\n")
    bureau.write("content/pages/logo.png", PNG)
    site = built(bureau, tmp_path)
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert not any(p.endswith(("图解.svg", "通知.pdf", "evil.html")) for p in published)
    assert "item/000014349/2026-00001/attachments/ok.pdf" in published
    assert {"about/index.html", "logo.png"} <= published
    page = (site / "item/000014349/2026-00001/index.html").read_text(encoding="utf-8")
    assert "图解" not in page and "ok.pdf" in page


def test_symlink_in_pages_stops_the_build_before_anything_is_copied(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.item()
    bureau.init_git()
    bureau.commit()
    (bureau.root / "content/pages/git").symlink_to(bureau.root / ".git", target_is_directory=True)
    with pytest.raises(BuildError) as refused:
        built(bureau, tmp_path)
    assert "GK109" in str(refused.value) and not (tmp_path / "site").exists()
    done = run("build", str(bureau.root), "--today", "2026-11-30", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "GK109" in done.stdout + done.stderr
    assert not (bureau.root / "site").exists()


@pytest.mark.parametrize(
    "before, after",
    [("content/pages", "content"), ("content/pages", "content/tzgg"), ("theme", ".")],
)
def test_build_refuses_folders_gongkai_did_not_check(tmp_path, before, after):
    bureau = site_bureau(tmp_path)
    bureau.item()
    mkdocs = bureau.root / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    key = "docs_dir" if before.startswith("content") else "custom_dir"
    mkdocs.write_text(text.replace(f"{key}: {before}\n", f"{key}: {after}\n"), encoding="utf-8")
    done = run("build", str(bureau.root), "--today", "2026-11-30", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"mkdocs.yml 的 {'docs_dir' if key == 'docs_dir' else 'theme.custom_dir'}" in done.stderr
    assert not (bureau.root / "site").exists()


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.downloads: list[str] = []
        self.cells: list[str] = []
        self._in_table = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "section" and values.get("class") == "gk-attachments":
            self._in_table = True
        if self._in_table and tag == "a" and "download" in values:
            self.downloads.append(values["href"])

    def handle_endtag(self, tag):
        if tag == "section":
            self._in_table = False

    def handle_data(self, data):
        if self._in_table and data.strip():
            self.cells.append(data.strip())


@contextlib.contextmanager
def serving(folder: Path):
    """The built site on a real local web server, as visitors reach it."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


NAMES = [
    "附件 一#1.pdf",
    "问答?.pdf",
    "100%完成.pdf",
    "javascript:alert(1).pdf",
    "a&b<c>.pdf",
    "sub dir/名单 (2026).csv",
]


def test_attachment_links_are_encoded_and_names_escaped(tmp_path):
    """Every name gives a working link on a real web server; no name becomes markup or a
    `javascript:` link; the 类型 column says what the content is."""
    bureau = site_bureau(tmp_path)
    data = {f"attachments/{n}": ALLOWED["a.csv" if n.endswith(".csv") else "a.pdf"] for n in NAMES}
    folder = bureau.root / "content/tzgg"
    for name, content in data.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    entries = [
        f'{{path: "{n}", name: "<img src=x onerror=alert(1)>{i}"}}' for i, n in enumerate(data)
    ]
    bureau.item(attachments="[" + ", ".join(entries) + "]")
    assert [p for p in bureau.problems() if p.is_error] == []
    site = built(bureau, tmp_path)
    with serving(site) as base:
        page_url = urllib.parse.urljoin(base, "item/000014349/2026-00001/")
        with urllib.request.urlopen(page_url) as response:
            page = response.read().decode("utf-8")
        links = _Links()
        links.feed(page)
        assert len(links.downloads) == len(NAMES)
        for href, (name, content) in zip(links.downloads, data.items(), strict=True):
            assert href.startswith("./") and ":" not in href and "#" not in href and "?" not in href
            with urllib.request.urlopen(urllib.parse.urljoin(page_url, href)) as response:
                assert response.read() == content, name
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;0" in page
    assert links.cells.count("PDF") == 5 and links.cells.count("CSV 表格") == 1


def test_fixed_pages_cannot_take_an_address_the_build_generates(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.item()
    taken = {
        "content/pages/index.md": "# 假首页\n",
        "content/pages/README.md": "# 假首页\n",
        "content/pages/search.md": "# 假检索\n",
        "content/pages/assets/logo.png": PNG,
        "content/pages/item/000014349/2026-00001/index.md": "# 假信息\n",
        "content/pages/pagefind-1/x.png": PNG,
    }
    for rel, data in taken.items():
        bureau.write(rel, data)
    bureau.write("content/pages/about.md", "# 关于本站\n")
    problems = [p for p in bureau.problems() if p.code == "GK157"]
    assert len(problems) == len(taken)
    site = built(bureau, tmp_path)
    home = (site / "index.html").read_text(encoding="utf-8")
    item = (site / "item/000014349/2026-00001/index.html").read_text(encoding="utf-8")
    assert "假首页" not in home and "假信息" not in item and "关于本站" not in home
    assert (site / "about/index.html").is_file() and not (site / "assets/logo.png").exists()
    # every top-level name the build writes is one a fixed page may not take
    generated = {p.name for p in site.iterdir()} - {"about"}
    assert all(page_collision(PurePosixPath("pages", name)) for name in generated), generated


def test_fixed_pages_with_a_markdown_extension_other_than_md_are_refused(tmp_path):
    """mkdocs copies about.MD as a file and renders guide.markdown: neither is what a check
    reading it as a page would see, so neither is published, and validate says how to fix it."""
    bureau = site_bureau(tmp_path)
    bureau.item()
    names = ["about.MD", "help.Md", "guide.markdown", "faq.mkd"]
    for name in names:
        bureau.write(f"content/pages/{name}", "# 页面\n\n<script>alert(1)</script>\n")
    bureau.write("content/pages/contact.md", "# 联系我们\n")
    problems = [p for p in bureau.problems() if p.code == "GK158"]
    assert sorted(Path(p.file).name for p in problems) == sorted(names)
    assert all(p.is_error and p.line == 1 and "请把扩展名改为 .md" in p.message for p in problems)
    assert "“.MD”" in next(p for p in problems if p.file.endswith("about.MD")).message
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 1 and "GK158" in done.stdout and "Traceback" not in done.stderr
    site = built(bureau, tmp_path)
    published = {p.relative_to(site).as_posix() for p in site.rglob("*")}
    assert "contact/index.html" in published
    assert not any(n.split(".")[0] in part for n in names for part in published), published


def test_fixed_pages_at_addresses_differing_only_in_case_are_refused(tmp_path):
    """About.md and about.md are both a page at about/ on a server that ignores case."""
    bureau = site_bureau(tmp_path)
    bureau.item()
    files = {
        "content/pages/About.md": "# 关于\n",
        "content/pages/about.md": "# 关于本站\n",
        "content/pages/Guide/a.png": PNG,  # the same folder, different files: no clash
        "content/pages/guide/b.png": PNG,
        "content/pages/关于.md": "# 关于\n",  # a page beside its own pictures: no clash
        "content/pages/关于/图.png": PNG,
        "content/pages/img/Logo.PNG": PNG,
        "content/pages/img/logo.png": PNG,
        # mkdocs: README (so written) is its folder's index, Readme a page of its own
        "content/pages/guide/Readme.md": "# 指南\n",
        "content/pages/guide/readme.md": "# 指南\n",
        "content/pages/help/Readme.md": "# 帮助\n",  # help/Readme/
        "content/pages/Help/index.md": "# 帮助\n",  # Help/: no clash
    }
    for rel, data in files.items():
        bureau.write(rel, data)
    problems = [p for p in bureau.problems() if p.code == "GK156"]
    assert sorted(Path(p.file).name for p in problems) == ["about.md", "logo.png", "readme.md"]
    assert all("发布到同一位置" in p.message for p in problems)
    assert (
        "content/pages/About.md" in next(p for p in problems if p.file.endswith("about.md")).message
    )
    done = run("validate", cwd=bureau.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_theme_folder_that_is_a_link_is_refused(tmp_path):
    bureau = site_bureau(tmp_path)
    bureau.item()
    shutil.move(bureau.root / "theme", tmp_path / "elsewhere")
    (bureau.root / "theme").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    [problem] = [p for p in bureau.problems() if p.code == "GK109"]
    assert problem.file.endswith("theme") and "符号链接" in problem.message
    with pytest.raises(BuildError):
        built(bureau, tmp_path)
