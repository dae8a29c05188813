"""`gongkai import` on real .docx files built with python-docx."""

from __future__ import annotations

import struct
import zlib
from datetime import date

import docx
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH

from generator.authoring.importer import chinese_number, import_paths, parse_date_line
from generator.core.project import load_project

from helpers import run

TODAY = date(2026, 3, 10)


def png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def government_document(
    path,
    *,
    doc_no="测文旅发[2026]12号",
    date_line="二〇二六年三月五日",
    signer="测试市文化和旅游局",
    image=True,
):
    document = docx.Document()
    header = document.add_paragraph("测试市文化和旅游局文件")
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(doc_no).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        "关于开展2026年文化市场安全检查的通知"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("各县（区）文化和旅游局：")
    document.add_heading("一、检查范围", level=2)
    intro = document.add_paragraph("全市")
    intro.add_run("娱乐场所和剧场").bold = True
    intro.add_run("，重点检查消防设施。")
    document.add_paragraph("自查", style="List Number")
    document.add_paragraph("抽查", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([["阶段", "时间"], ["自查", "3月"], ["抽查", "4月"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if image:
        image_path = path.parent / "chart.png"
        image_path.write_bytes(png())
        document.add_picture(str(image_path))
    document.add_paragraph(signer).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(date_line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(str(path))
    return path


def front(path):
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1]), text.split("---", 2)[2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("二〇二六", 2026),
        ("十", 10),
        ("十二", 12),
        ("二十五", 25),
        ("三十一", 31),
        ("五", 5),
        ("2026", 2026),
    ],
)
def test_chinese_numerals(text, expected):
    assert chinese_number(text) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("二〇二六年三月五日", date(2026, 3, 5)),
        ("2026年3月5日", date(2026, 3, 5)),
        ("二〇二五年十二月三十一日", date(2025, 12, 31)),
        ("２０２６年３月５日", date(2026, 3, 5)),
        ("二〇二六年二月三十日", None),
        ("本通知自发布之日起施行", None),
    ],
)
def test_closing_date_lines(line, expected):
    assert parse_date_line(line) == expected


def test_import_fills_front_matter_and_converts_the_body(bureau, tmp_path):
    source = government_document(tmp_path / "通知.docx")
    [result] = import_paths(load_project(bureau.root), [source], "tzgg", TODAY)
    meta, body = front(result.path)
    assert meta["title"] == "关于开展2026年文化市场安全检查的通知"
    assert meta["doc_no"] == "测文旅发〔2026〕12号"  # half-width brackets normalized
    assert meta["written"] == date(2026, 3, 5)  # Chinese numerals in the closing date line
    assert meta["index_no"] == "000014349/2026-00001" and meta["category"] == "tzgg"
    assert meta["disclosure"] is None  # the author decides, never the importer
    assert "publisher" not in meta  # the signer is the catalog's own organization
    assert "## 一、检查范围" in body and "**娱乐场所和剧场**" in body
    assert "1. 自查" in body and "| 阶段 | 时间 |" in body and "| 抽查 | 4月 |" in body
    assert "测试市文化和旅游局文件" not in body and "测文旅发" not in body


def test_images_become_attachments_beside_the_item(bureau, tmp_path):
    source = government_document(tmp_path / "通知.docx")
    [result] = import_paths(load_project(bureau.root), [source], "tzgg", TODAY)
    meta, body = front(result.path)
    [attachment] = meta["attachments"]
    image = result.path.parent / attachment["path"]
    assert image.read_bytes().startswith(b"\x89PNG")
    assert f"]({attachment['path']})" in body


def test_result_passes_validate_except_what_the_author_decides(bureau, tmp_path):
    source = government_document(tmp_path / "通知.docx")
    [result] = import_paths(load_project(bureau.root), [source], "tzgg", TODAY)
    assert len(result.decide) == 1 and "disclosure" in result.decide[0]
    codes = {p.code for p in bureau.problems() if p.is_error}
    assert codes == {"GK110"}


def test_signer_other_than_the_bureau_becomes_publisher(bureau, tmp_path):
    source = government_document(tmp_path / "a.docx", signer="测试市文物局", image=False)
    [result] = import_paths(load_project(bureau.root), [source], "tzgg", TODAY)
    assert front(result.path)[0]["publisher"] == "测试市文物局"


def test_a_folder_is_imported_with_consecutive_numbers(bureau, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    government_document(folder / "1.docx", image=False)
    government_document(folder / "2.docx", doc_no="测文旅发〔2026〕13号", image=False)
    results = import_paths(load_project(bureau.root), [folder], "tzgg", TODAY)
    numbers = sorted(front(r.path)[0]["index_no"] for r in results)
    assert numbers == ["000014349/2026-00001", "000014349/2026-00002"]


def test_corrupt_or_non_docx_file_gets_a_clear_message_and_writes_nothing(bureau, tmp_path):
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    text = tmp_path / "notes.txt"
    text.write_text("x")
    before = sorted(p for p in (bureau.root / "content").rglob("*"))
    done = run("import", str(broken), str(text), "--category", "tzgg", cwd=bureau.root)
    assert done.returncode == 2
    assert "损坏.docx 无法打开" in done.stderr and "notes.txt 不是 .docx 文件" in done.stderr
    assert sorted(p for p in (bureau.root / "content").rglob("*")) == before


def test_import_command_prints_what_the_author_must_decide(bureau, tmp_path):
    source = government_document(tmp_path / "通知.docx", image=False)
    done = run("import", str(source), "--category", "tzgg", cwd=bureau.root)
    assert done.returncode == 0, done.stderr
    assert "已导入 通知.docx → content/tzgg/" in done.stdout and "请作者决定或补充" in done.stdout
    assert "disclosure" in done.stdout
