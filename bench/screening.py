"""Time the privacy screen over a synthetic bureau with attachments (text, DOCX and PDF).

.venv/bin/python -m bench.screening [N]      # default 10000; writes docs/benchmarks.md
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from bench.report import write_section
from bench.synthetic import generate
from generator.checks.privacy import screen_item
from generator.core.project import load_project


def add_documents(root: Path, share: float = 0.04, seed: int = 2) -> int:
    """Give a share of the items a DOCX and a PDF attachment besides the generator's CSVs."""
    import docx
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    added = 0
    for path in sorted((root / "content").rglob("*.md")):
        if rng.random() >= share:
            continue
        document = docx.Document()
        for n in range(40):
            document.add_paragraph(
                f"第{n + 1}条 有关部门切实做好政务公开工作,联系电话 0000-12345{n:02d}。"
            )
        document.save(str(path.with_suffix(".docx")))
        pdf = canvas.Canvas(str(path.with_suffix(".pdf")))
        for n in range(30):
            pdf.drawString(
                72, 800 - 22 * n, f"Item {n + 1}: budget 2026 amount {1000 + n * 37} yuan"
            )
        pdf.save()
        text = path.read_text(encoding="utf-8")
        names = f"[{path.with_suffix('.docx').name}, {path.with_suffix('.pdf').name}]"
        if "attachments:" in text:
            text = text.replace(
                "attachments: [",
                f"attachments: [{path.with_suffix('.docx').name}, {path.with_suffix('.pdf').name}, ",
                1,
            )
        else:
            text = text.replace("\n---\n", f"\nattachments: {names}\n---\n", 1)
        path.write_text(text, encoding="utf-8")
        added += 1
    return added


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    with tempfile.TemporaryDirectory(prefix="gongkai-screen-") as tmp:
        root = generate(Path(tmp) / "bureau", count, seed=1)
        documents = add_documents(root)
        project = load_project(root)
        attachments = sum(len(i.attachments) for i in project.items)
        started = time.perf_counter()
        findings = sum(1 for item in project.items for _ in screen_item(item, project))
        elapsed = time.perf_counter() - started
    body = f"""Synthetic bureau (bench/synthetic.py, seed 1): {count:,} items of 800–3,000 characters,
{attachments:,} attachments ({documents:,} items with a 40-paragraph DOCX and a 30-line PDF, the
rest CSV). Front matter, body and every attachment screened.

| items | attachments | findings | time (s) | per item (ms) |
| ---: | ---: | ---: | ---: | ---: |
| {count:,} | {attachments:,} | {findings} | {elapsed:.1f} | {elapsed / count * 1000:.2f} |
"""
    write_section("screening", f"Privacy screening of {count:,} items", body)
    print(body)


if __name__ == "__main__":
    main()
